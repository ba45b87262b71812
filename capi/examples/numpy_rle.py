"""runlen from numpy through ctypes, timed against the numba tutorial's njit function.

    cargo build --release -p runlen-capi
    pip install numpy numba          # numba optional: without it, the pure-Python loop
    python3 capi/examples/numpy_rle.py [size_in_MiB]

`run_length_encode` below is the ten-line replacement for the tutorial's compiled
function. Inputs are drawn from 0..254: the tutorial drops 0xFF bytes (255 is its sentinel),
so only there are the two outputs identical, which this script asserts before timing.
"""

import ctypes
import os
import sys
import timeit

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LIB = os.environ.get("RUNLEN_LIB", os.path.join(ROOT, "target", "release", "librunlen.so"))

# ---- the replacement: a dozen lines ------------------------------------------------------
_rl = ctypes.CDLL(LIB)
_rl.runlen_encode.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_void_p, ctypes.c_size_t,
                              ctypes.POINTER(ctypes.c_size_t)]
_rl.runlen_strerror.restype = ctypes.c_char_p

def run_length_encode(arr):
    arr = np.ascontiguousarray(arr)
    if arr.dtype != np.uint8: raise TypeError("expected a uint8 array, got %s" % arr.dtype)
    out = np.empty(2 * arr.size, dtype=np.uint8)
    n = ctypes.c_size_t()
    rc = _rl.runlen_encode(out.ctypes.data, out.size, arr.ctypes.data, arr.size, ctypes.byref(n))
    if rc: raise ValueError(_rl.runlen_strerror(rc).decode())
    return out[:n.value]
# --------------------------------------------------------------------------------------------


def tutorial_kernel(input, output):
    """The numba tutorial's loop (255 = 'no run yet'); njit-compiled when numba is present."""
    j = 0
    current = 255
    count = 0
    for i in range(input.shape[0]):
        x = input[i]
        if x == current and count < 255:
            count += 1
        else:
            if current != 255:
                output[j] = current
                output[j + 1] = count
                j += 2
            current = x
            count = 1
    if current != 255:
        output[j] = current
        output[j + 1] = count
        j += 2
    return j


try:
    import numba

    do_run_length_encode = numba.njit(tutorial_kernel)
    REFERENCE = "numba %s njit" % numba.__version__

    # Inside numba code, call runlen through ctypes too: no Python in between.
    _unchecked = _rl.runlen_encode_unchecked
    _unchecked.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t]
    _unchecked.restype = ctypes.c_size_t

    @numba.njit
    def do_run_length_encode_runlen(input, output):
        """The tutorial kernel's signature, for use inside other njit code."""
        if output.size < 2 * input.size:  # what the unchecked call requires
            raise ValueError("output needs 2 * input.size bytes")
        return _unchecked(output.ctypes, input.ctypes, input.size)

    def numba_calls_runlen(arr):
        out = np.empty(2 * arr.size, dtype=np.uint8)
        return out[: do_run_length_encode_runlen(arr, out)]
except ImportError:
    do_run_length_encode = tutorial_kernel
    REFERENCE = "pure-Python loop"
    numba_calls_runlen = None


def tutorial_encode(arr):
    out = np.empty(2 * arr.size, dtype=np.uint8)
    return out[: do_run_length_encode(arr, out)]


def inputs(n, rng):
    def runs(mean):
        lengths = rng.geometric(1.0 / mean, size=2 * (n // int(mean)) + 64)
        values = rng.integers(0, 255, size=lengths.size, dtype=np.uint8)  # no 0xFF
        return np.repeat(values, lengths)[:n]

    return {
        "random bytes (no runs)": rng.integers(0, 255, size=n, dtype=np.uint8),
        "runs of mean length 4": runs(4),
        "runs of mean length 64": runs(64),
        "all zero": np.zeros(n, dtype=np.uint8),
    }


def best_of(f, repeat, number):
    return min(timeit.repeat(f, number=number, repeat=repeat)) / number


def main():
    mib = float(sys.argv[1]) if len(sys.argv) > 1 else (16 if "numba" in REFERENCE else 0.25)
    n = int(mib * 2**20)
    rng = np.random.default_rng(42)
    tutorial_encode(np.zeros(10, dtype=np.uint8))  # compile outside the timing
    ways = [("runlen", run_length_encode)]
    if numba_calls_runlen is not None:
        numba_calls_runlen(np.zeros(10, dtype=np.uint8))
        ways.append(("njit->runlen", numba_calls_runlen))
    ways.append(("tutorial", tutorial_encode))
    backend = ctypes.CDLL(LIB).runlen_backend
    backend.restype = ctypes.c_char_p
    print("input %s MiB; runlen backend %s; reference %s" % (mib, backend().decode(), REFERENCE))
    print("MB/s of input, best of several runs; speedup = runlen / tutorial")
    print("%-24s" % "input" + "".join("%14s" % w for w, _ in ways) + "%9s" % "speedup")
    cases = list(inputs(n, rng).items())
    # Per-call overhead (ctypes marshalling against numba's dispatcher) shows on small arrays.
    cases.append(("1000 bytes, mean run 4", inputs(4000, rng)["runs of mean length 4"][:1000]))
    for name, arr in cases:
        assert arr.max(initial=0) < 255
        want = tutorial_encode(arr)
        repeat = 11 if "numba" in REFERENCE else 2
        number = max(1, 2**20 // arr.size)
        for way, f in ways:
            assert np.array_equal(f(arr), want), (name, way)
        # Rounds interleave the ways, so a busy spell on the machine hits them alike.
        times = [min(ts) for ts in zip(*(
            [best_of(lambda: f(arr), 1, number) for _, f in ways] for _ in range(repeat)))]
        print("%-24s" % name + "".join("%14.0f" % (arr.size / t / 1e6) for t in times)
              + "%8.1fx" % (times[-1] / times[0]))


if __name__ == "__main__":
    main()
