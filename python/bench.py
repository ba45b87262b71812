"""runlen against the numba tutorial's run-length encoder, on the same numpy arrays.

    pip install ./python numpy numba
    python python/bench.py                    # 1 KiB, 64 KiB and 16 MiB; table in Markdown
    python python/bench.py --sizes 1K,64K --rounds 5

Encode: ``runlen.encode(a)`` against the tutorial's complete ``do_run_length_encode``
(allocate the output, run the ``@njit`` kernel, slice, ``tobytes``), both returning
``bytes``. Decode: ``runlen.decode(pairs)`` against the numpy expansion
``np.repeat(values, counts).tobytes()``. Inputs hold no 0xFF byte (the tutorial drops
those), and both encoders' outputs are checked equal before timing. Rounds interleave the
contenders; each round times a batch of calls of about 20 ms, and the table shows the median
round. Without numba the tutorial kernel runs as plain Python (far slower; said in the
header): the ratios then mean nothing, so the targets are checked only with numba.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from typing import Callable

# Run as a script, this file's folder comes first on sys.path, and its runlen/ (the source,
# without the compiled module) would shadow the installed package. The tutorial's kernel is
# the tests' transcription (tests/reference.py).
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path = [p for p in sys.path if os.path.abspath(p or ".") != HERE] + [os.path.join(HERE, "tests")]

import numpy as np  # noqa: E402

import runlen  # noqa: E402
from reference import run_length_encode  # noqa: E402

SIZES = {"1K": 1 << 10, "64K": 1 << 16, "16M": 1 << 24}
# The targets: runlen's speedup over the tutorial, per input, by size.
TARGETS = {
    ("random", "1K"): 3, ("mean 8", "1K"): 3, ("zeros", "1K"): 3,
    ("random", "64K"): 5, ("mean 8", "64K"): 5, ("zeros", "64K"): 10,
    ("random", "16M"): 5, ("mean 8", "16M"): 5, ("zeros", "16M"): 10,
}


try:
    import numba

    kernel = numba.njit(run_length_encode)
    REFERENCE = f"numba {numba.__version__} @njit"
except ImportError:
    numba = None
    kernel = run_length_encode
    REFERENCE = "plain Python (numba not installed)"


def do_run_length_encode(input):  # noqa: A002
    """The tutorial's complete function."""
    output = np.empty(2 * len(input), dtype=np.uint8)
    n = kernel(input, output)
    return output[:n].tobytes()


def numpy_decode(pairs: np.ndarray) -> bytes:
    return np.repeat(pairs[0::2], pairs[1::2]).tobytes()


def inputs(n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    lengths = rng.geometric(1 / 8, size=n // 4 + 16)
    values = rng.integers(0, 255, size=lengths.size, dtype=np.uint8)
    return {
        "random": rng.integers(0, 255, size=n, dtype=np.uint8),
        "mean 8": np.repeat(values, lengths)[:n].copy(),
        "zeros": np.zeros(n, dtype=np.uint8),
    }


def batch_seconds(call: Callable[[], object], number: int) -> float:
    start = time.perf_counter()
    for _ in range(number):
        call()
    return (time.perf_counter() - start) / number


def compare(contenders: list[Callable[[], object]], rounds: int) -> list[float]:
    """Median seconds per call of each contender, over interleaved rounds."""
    for call in contenders:
        call()  # warm: compile, fault pages in
    once = min(batch_seconds(call, 1) for call in contenders)
    number = max(1, int(0.02 / max(once, 1e-7)))
    times: list[list[float]] = [[] for _ in contenders]
    for _ in range(rounds):
        for slot, call in zip(times, contenders):
            slot.append(batch_seconds(call, number))
    return [statistics.median(slot) for slot in times]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1K,64K,16M", help="comma-separated: 1K,64K,16M")
    parser.add_argument("--rounds", type=int, default=11)
    parser.add_argument("--check-targets", action="store_true",
                        help="exit 1 if a speedup misses the issue's target (needs numba)")
    args = parser.parse_args()
    rng = np.random.default_rng(7)
    print(f"runlen {runlen.__version__} ({runlen.backend()}), numpy {np.__version__}, "
          f"reference {REFERENCE}, Python {sys.version.split()[0]}; "
          f"median of {args.rounds} interleaved rounds")
    print()
    print("| input | size | tutorial encode | runlen.encode | speedup | target "
          "| np.repeat decode | runlen.decode | speedup |")
    print("|---|---|---|---|---|---|---|---|---|")
    missed = []
    for size in args.sizes.split(","):
        n = SIZES[size]
        for name, array in inputs(n, rng).items():
            pairs = runlen.encode(array)
            assert do_run_length_encode(array) == pairs, (name, size)
            pairs_array = np.frombuffer(pairs, dtype=np.uint8)
            assert runlen.decode(pairs_array) == numpy_decode(pairs_array) == array.tobytes()
            tutorial, ours, repeat, decode = compare([
                lambda: do_run_length_encode(array),
                lambda: runlen.encode(array),
                lambda: numpy_decode(pairs_array),
                lambda: runlen.decode(pairs_array),
            ], args.rounds)
            speedup = tutorial / ours
            target = TARGETS[(name, size)]
            if speedup < target:
                missed.append(f"{name} {size}: {speedup:.1f}x < {target}x")

            def rate(seconds: float) -> str:
                return f"{n / seconds / 1e9:.2f} GB/s"

            print(f"| {name} | {size} | {rate(tutorial)} | {rate(ours)} | {speedup:.1f}x "
                  f"| {target}x | {rate(repeat)} | {rate(decode)} | {repeat / decode:.1f}x |")
    print()
    print("GB/s of unencoded bytes (input of encode, output of decode).")
    if missed:
        print("below target: " + "; ".join(missed))
    if args.check_targets and missed:
        return 1 if numba is not None else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
