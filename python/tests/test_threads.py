"""The GIL is released during large calls: other threads run, and threads scale.

The machine may be loaded (CI shares two cores), so each claim is judged by comparison
within the same run and on the best of a few tries, never by absolute times.
"""

import hashlib
import os
import sys
import threading
import time

import pytest
from support import PACKBITS, PAIRS, optional

import runlen

TRIES = 5


def other_thread_share(call) -> float:
    """The fraction of the middle half of ``call``'s wall time during which another Python
    thread ran. The edges are left out: just before and after the call the GIL may change
    hands between bytecodes, and a busy machine can stretch that to milliseconds."""
    stamps: list[float] = []
    stop = threading.Event()
    running = threading.Event()

    def spin() -> None:
        running.set()
        n = 0
        while not stop.is_set():
            n += 1
            if n % 16 == 0:
                stamps.append(time.perf_counter())

    spinner = threading.Thread(target=spin)
    spinner.start()
    running.wait()
    time.sleep(0.005)
    start = time.perf_counter()
    call()
    end = time.perf_counter()
    stop.set()
    spinner.join()
    quarter = (end - start) / 4
    inside = [s for s in stamps if start + quarter <= s <= end - quarter]
    # Time covered by the spinner: gaps between its stamps, a gap over 1 ms not counted.
    covered = sum(min(b - a, 0.001) for a, b in zip(inside, inside[1:]))
    return covered / (2 * quarter)


@pytest.fixture
def short_switch_interval():
    # A waiting thread asks for the GIL after this long: keeps the edges of a call (before
    # the GIL is released, after it is retaken) from counting as progress.
    old = sys.getswitchinterval()
    sys.setswitchinterval(0.0002)
    yield
    sys.setswitchinterval(old)


@pytest.mark.parametrize("fmt, elementsize", [(PAIRS, 1), (PAIRS, 2), (PACKBITS, 1)], ids=repr)
def test_a_python_thread_runs_during_a_large_call(short_switch_interval, fmt, elementsize):
    # 8 MiB of pairs (or of PackBits run packets) decode to 512 MiB: tens of
    # milliseconds in one call. With byte planes (decoded into a scratch, then joined), a
    # quarter of that.
    runs = b"\x01\xff\x02\xff" if fmt is PAIRS else b"\x81\x01\x81\x02"
    encoded = runs * (1 << (21 if elementsize == 1 else 19))
    out = bytearray(fmt.api.decoded_len(encoded))
    shares = []
    for _ in range(2 * TRIES):  # a busy machine may not run the other thread at once
        shares.append(other_thread_share(
            lambda: fmt.api.decode_into(encoded, out, elementsize=elementsize)))
        if shares[-1] > 0.1:
            break
    share = max(shares)
    # The same measurement of a call that holds the GIL (list.sort) shows that it can fail.
    floats = [((i * 7919) % 1000003) / 7.0 for i in range(1 << 20)]
    held = other_thread_share(lambda: sorted(floats))
    print(f"other thread's share of the call: runlen {share:.2f}, sorted() {held:.2f}")
    # Held, the other thread cannot run in the middle of the call at all (0.00); released,
    # it runs throughout (0.9 on an idle machine, 0.35 with four jobs on the two cores).
    assert held < 0.05
    assert share > 0.1


def test_small_calls_keep_the_gil():
    # Below the threshold the call is too short to be worth a GIL round trip.
    assert 1024 < runlen._runlen._RELEASE_GIL_AT <= 64 * 1024


def parallel_over_in_turn(work, n: int, repeat: int = 5) -> float:
    """Wall time of ``work(0..n)`` in n threads over the same calls one after another,
    each the fastest of ``repeat`` interleaved runs: load from other jobs only ever makes a
    run slower, so the fastest runs are the fairest comparison."""

    def in_turn() -> float:
        start = time.perf_counter()
        for i in range(n):
            work(i)
        return time.perf_counter() - start

    def in_parallel() -> float:
        threads = [threading.Thread(target=work, args=(i,)) for i in range(n)]
        start = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return time.perf_counter() - start

    in_turn()  # fault the output pages in before timing
    turns, parallels = [], []
    for _ in range(repeat):
        turns.append(in_turn())
        parallels.append(in_parallel())
    return min(parallels) / min(turns)


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="needs two cores")
def test_threads_on_separate_arrays_finish_sooner_than_one_thread():
    np = optional("numpy")
    rng = np.random.default_rng(11)
    n = 2
    arrays = [rng.integers(0, 256, 4 << 20, dtype=np.uint8) for _ in range(n)]
    outs = [np.empty(2 * a.size, dtype=np.uint8) for a in arrays]

    def encode(i: int) -> None:
        for _ in range(12):
            runlen.encode_into(arrays[i], outs[i])

    def sha256(i: int) -> None:  # hashlib releases the GIL too: the machine's yardstick
        for _ in range(4):
            hashlib.sha256(arrays[i]).digest()

    # Other jobs on the machine may hold a core for a while: try again, for some seconds.
    ours, yardstick = [], []
    for _ in range(2 * TRIES):
        ours.append(parallel_over_in_turn(encode, n))
        yardstick.append(parallel_over_in_turn(sha256, n))
        if ours[-1] < 0.8:
            break
    print("parallel / in turn: runlen", ", ".join(f"{r:.2f}" for r in ours),
          "| hashlib", ", ".join(f"{r:.2f}" for r in yardstick))
    # Holding the GIL, runlen stays at 1.0 or more whatever the machine does. Failing needs
    # proof that a second core was there: hashlib scaling in several tries.
    if min(ours) >= 0.8 and sum(r < 0.8 for r in yardstick) < 3:
        pytest.skip("no second core free during the test (hashlib.sha256 did not scale either)")
    assert min(ours) < 0.8
    for a, out in zip(arrays, outs):  # and the threads' results are right
        assert out[:runlen.encoded_len(a)].tobytes() == runlen.encode(a)
