"""Every format error, its class, its attribute, and the spec's precedence (PackBits' own:
test_packbits.py)."""

import pickle

import pytest
from support import PAIRS, each_format

import runlen


def test_the_hierarchy():
    for cls in (runlen.TruncatedPair, runlen.ZeroCount, runlen.OutputTooSmall,
                runlen.TruncatedPacket):
        assert issubclass(cls, runlen.Error)
    assert issubclass(runlen.Error, ValueError)
    assert not issubclass(runlen.TruncatedPacket, runlen.TruncatedPair)


@pytest.mark.parametrize("call", [runlen.decode, runlen.decoded_len,
                                  lambda d: runlen.decode_into(d, bytearray(100))])
def test_truncated_pair(call):
    with pytest.raises(runlen.TruncatedPair, match="odd length"):
        call(b"a\x03b")
    # Precedence: an odd length wins over a zero count before it.
    with pytest.raises(runlen.TruncatedPair):
        call(b"a\x00b")


@pytest.mark.parametrize("call", [runlen.decode, runlen.decoded_len,
                                  lambda d: runlen.decode_into(d, bytearray(1000))])
def test_zero_count_offset_is_the_first_zero_pairs(call):
    with pytest.raises(runlen.ZeroCount, match="offset 4 has count 0") as caught:
        call(b"a\x03b\x01c\x00d\x00")
    assert caught.value.offset == 4
    with pytest.raises(runlen.ZeroCount) as caught:
        call(b"\x00\x00")
    assert caught.value.offset == 0


def test_zero_count_comes_before_a_short_out():
    with pytest.raises(runlen.ZeroCount) as caught:
        runlen.decode_into(b"a\xffb\x00", bytearray(1))
    assert caught.value.offset == 2


@each_format
def test_output_too_small_needed_is_exact(fmt):
    encoded, needed = (b"a\x04b\x05", 9) if fmt is PAIRS else (b"\x81a\x04abcde", 133)
    with pytest.raises(runlen.OutputTooSmall, match=f"{needed} bytes needed") as caught:
        fmt.api.decode_into(encoded, bytearray(needed - 1))
    assert caught.value.needed == needed
    size = len(fmt.encode(b"abcd"))  # pairs 8, PackBits 5
    with pytest.raises(runlen.OutputTooSmall) as caught:
        fmt.api.encode_into(b"abcd", bytearray(size - 1))
    assert caught.value.needed == size
    # The same calls with `needed` bytes succeed.
    assert fmt.api.decode_into(encoded, bytearray(needed)) == needed
    assert fmt.api.encode_into(b"abcd", bytearray(size)) == size


@pytest.mark.parametrize("api, bad, cls, message", [
    (runlen, b"a\x01\x00\x00", runlen.ZeroCount, "pair at byte offset 2 has count 0"),
    (runlen.packbits, b"\x00a\x02b", runlen.TruncatedPacket,
     "packet at byte offset 2 is cut off by the end of the input"),
], ids=["pairs", "packbits"])
def test_errors_are_value_errors_and_pickle(api, bad, cls, message):
    try:
        api.decode(bad)
    except ValueError as e:  # what code written for "bad data" catches
        error = e
    assert isinstance(error, cls)
    assert str(error) == message
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is cls and again.offset == 2 and str(again) == str(error)
    short = runlen.OutputTooSmall("output buffer too small: 5 bytes needed", 5)
    again = pickle.loads(pickle.dumps(short))
    assert again.needed == 5 and str(again) == str(short)


def test_negative_lengths_are_refused():
    with pytest.raises(OverflowError):
        runlen.max_encoded_len(-1)
