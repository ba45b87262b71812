"""Helpers shared by the tests."""

from __future__ import annotations

import importlib
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType

import pytest
from reference import SpecError, packbits_decode, packbits_encode, spec_decode, spec_encode

import runlen


def optional(module: str) -> ModuleType:
    """Imports an optional dependency (numpy, numcodecs, zarr); skips without it, unless
    RUNLEN_TEST_ALL=1 (as in CI), where a missing one fails: CI cannot skip silently."""
    if os.environ.get("RUNLEN_TEST_ALL") == "1":
        return importlib.import_module(module)
    return pytest.importorskip(module)


def tool(command: str, package: str) -> str:
    """The path of a command-line tool; skips without it (saying which Debian package has
    it), unless RUNLEN_TEST_ALL=1, where a missing one fails, as a missing module does."""
    path = shutil.which(command)
    if path is None:
        reason = f"{command} is not installed (Debian package {package})"
        if os.environ.get("RUNLEN_TEST_ALL") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return path


@dataclass(frozen=True)
class Format:
    """One of runlen's formats, for tests that hold for both: its module of functions (the
    same names in both), the spec's encoder and decoder in plain Python (reference.py),
    the exception for an encoding cut off at its end, and one such encoding."""

    name: str
    api: ModuleType
    encode: Callable[[bytes], bytes]
    decode: Callable[..., bytes]
    truncated: type[runlen.Error]
    cut: bytes

    def __repr__(self) -> str:
        return self.name


PAIRS = Format("pairs", runlen, spec_encode, spec_decode, runlen.TruncatedPair, b"a\x03b")
PACKBITS = Format("packbits", runlen.packbits, packbits_encode, packbits_decode,
                  runlen.TruncatedPacket, b"\x01ab\xfe")

# @each_format on a test with an argument `fmt`: the test runs for the pairs and PackBits.
each_format = pytest.mark.parametrize("fmt", [PAIRS, PACKBITS], ids=repr)


def spec_outcome(decode: Callable[..., bytes], *args: object) -> object:
    """What a reference decoder returns, or the error it says, as (kind, value)."""
    try:
        return decode(*args)
    except SpecError as e:
        return (e.kind, e.value)


def runlen_outcome(call: Callable[[], object]) -> object:
    """What ``call`` returns, or its runlen error in the form of ``spec_outcome``."""
    try:
        return call()
    except runlen.TruncatedPair:
        return ("TruncatedPair", None)
    except (runlen.ZeroCount, runlen.TruncatedPacket) as e:
        return (type(e).__name__, e.offset)
    except runlen.OutputTooSmall as e:
        return ("OutputTooSmall", e.needed)


def assert_decodes_as_the_spec(fmt: Format, encoded: bytes) -> None:
    """``decode`` and ``decoded_len`` of any bytes: what the spec's decoder gives or says."""
    expected = spec_outcome(fmt.decode, encoded)
    assert runlen_outcome(lambda: fmt.api.decode(encoded)) == expected
    length = runlen_outcome(lambda: fmt.api.decoded_len(encoded))
    assert length == (len(expected) if isinstance(expected, bytes) else expected)


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
    """Bytes made of runs: long ones (past 255, 510; PackBits: around 128) and short ones,
    of few values, so that neighbouring runs often share a value with a split pair between
    them."""
    from hypothesis import strategies as st

    run = st.tuples(
        st.one_of(st.sampled_from(list(alphabet)), st.integers(0, 255)),
        st.one_of(st.integers(1, 4), st.integers(1, max_run), st.sampled_from([3, 127, 128, 129, 130, 254, 255, 256, 257, 510, 511])),
    )
    return st.lists(run, max_size=max_runs).map(
        lambda runs: b"".join(bytes([value]) * length for value, length in runs)
    )


def data_strategy():
    """Arbitrary bytes, bytes made of runs, or both by turns (PackBits' literal packets
    between its run packets)."""
    from hypothesis import strategies as st

    mixed = st.lists(st.one_of(st.binary(max_size=300), runs_strategy(max_runs=4)), max_size=6)
    return st.one_of(st.binary(max_size=2000), runs_strategy(), mixed.map(b"".join))
