"""runlen's bytes against the tutorial's loop (no 0xFF) and the spec (everything)."""

import os
import tomllib

from hypothesis import given
from hypothesis import strategies as st
from reference import spec_encode, tutorial_encode
from support import PAIRS, assert_decodes_as_the_spec, data_strategy, runs_strategy

import runlen

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_version_is_the_crates():
    with open(os.path.join(ROOT, "Cargo.toml"), "rb") as f:
        core = tomllib.load(f)["package"]["version"]
    with open(os.path.join(ROOT, "python", "Cargo.toml"), "rb") as f:
        binding = tomllib.load(f)["package"]["version"]
    assert runlen.__version__ == core == binding


def test_backend_is_a_known_name():
    assert runlen.backend() in {"scalar", "sse2", "avx2", "avx512", "neon"}


def test_max_encoded_len():
    assert [runlen.max_encoded_len(n) for n in (0, 1, 7, 1 << 40)] == [0, 2, 14, 1 << 41]
    assert runlen.max_encoded_len(2**64 - 1) == 2**64 - 1  # saturates


def test_goldens():
    # The README's example: runs, a split run of 300, and 0xFF encoded like any value.
    data = b"aaab" + b"\x00" * 300 + b"\xff"
    pairs = b"a\x03b\x01\x00\xff\x00\x2d\xff\x01"
    assert runlen.encode(data) == pairs
    assert runlen.decode(pairs) == data
    assert runlen.encode(b"") == b"" and runlen.decode(b"") == b""
    assert runlen.encode(b"\x07" * 255) == b"\x07\xff"
    assert runlen.encode(b"\x07" * 256) == b"\x07\xff\x07\x01"
    assert runlen.encode(b"\x07" * 510) == b"\x07\xff\x07\xff"


def test_where_the_tutorial_differs_0xff():
    # The tutorial drops 0xFF (its sentinel) and cuts the runs around it; runlen does not.
    assert tutorial_encode(bytes([5, 0xFF, 5])) == bytes([5, 1, 5, 1])
    assert runlen.encode(bytes([5, 0xFF, 5])) == bytes([5, 1, 0xFF, 1, 5, 1])


@given(runs_strategy(alphabet=b"\x00\x01\x7f\xfe"))
def test_equals_the_tutorial_without_0xff_runs(data):
    data = data.replace(b"\xff", b"\xfe")
    assert runlen.encode(data) == tutorial_encode(data)


@given(st.binary(max_size=3000).map(lambda b: b.replace(b"\xff", b"")))
def test_equals_the_tutorial_without_0xff_bytes(data):
    assert runlen.encode(data) == tutorial_encode(data)


@given(data_strategy())
def test_equals_the_spec(data):
    pairs = runlen.encode(data)
    assert pairs == spec_encode(data)
    assert runlen.encoded_len(data) == len(pairs)
    assert runlen.decoded_len(pairs) == len(data)
    assert runlen.decode(pairs) == data


pairs_strategy = st.one_of(
    st.binary(max_size=600),  # any bytes: odd lengths, zero counts, non-canonical pairs
    st.lists(st.tuples(st.integers(0, 255), st.integers(0, 255)), max_size=200).map(
        lambda ps: bytes(b for p in ps for b in p)
    ),
)


@given(pairs_strategy)
def test_decode_any_bytes_as_the_spec_says(pairs):
    assert_decodes_as_the_spec(PAIRS, pairs)
