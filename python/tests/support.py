"""Helpers shared by the tests."""

from __future__ import annotations

import os
from types import ModuleType

import pytest


def optional(module: str) -> ModuleType:
    """Imports an optional dependency (numpy, numcodecs, zarr); skips without it, unless
    RUNLEN_TEST_ALL=1 (as in CI), where a missing one fails: CI cannot skip silently."""
    if os.environ.get("RUNLEN_TEST_ALL") == "1":
        return __import__(module)
    return pytest.importorskip(module)


GUARD = 0xA5
GUARD_LEN = 64


def guarded(n: int) -> tuple[bytearray, memoryview]:
    """A writable view of ``n`` bytes with GUARD_LEN guard bytes on both sides."""
    backing = bytearray([GUARD]) * (n + 2 * GUARD_LEN)
    return backing, memoryview(backing)[GUARD_LEN:GUARD_LEN + n]


def guards_intact(backing: bytearray) -> bool:
    untouched = bytes([GUARD]) * GUARD_LEN
    return backing[:GUARD_LEN] == untouched and backing[-GUARD_LEN:] == untouched


def runs_strategy(max_runs: int = 40, max_run: int = 700, alphabet: bytes = b"\x00\x01\x7f\xfe\xff"):
    """Bytes made of runs: long ones (past 255, 510) and short ones, of few values, so
    that neighbouring runs often share a value with a split pair between them."""
    from hypothesis import strategies as st

    run = st.tuples(
        st.one_of(st.sampled_from(list(alphabet)), st.integers(0, 255)),
        st.one_of(st.integers(1, 4), st.integers(1, max_run), st.sampled_from([254, 255, 256, 510, 511])),
    )
    return st.lists(run, max_size=max_runs).map(
        lambda runs: b"".join(bytes([value]) * length for value, length in runs)
    )


def data_strategy():
    """Arbitrary bytes, or bytes made of runs."""
    from hypothesis import strategies as st

    return st.one_of(st.binary(max_size=2000), runs_strategy())
