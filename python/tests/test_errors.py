"""Every format error, its class, its attribute, and the spec's precedence."""

import pickle

import pytest

import runlen


def test_the_hierarchy():
    for cls in (runlen.TruncatedPair, runlen.ZeroCount, runlen.OutputTooSmall):
        assert issubclass(cls, runlen.Error)
    assert issubclass(runlen.Error, ValueError)


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


def test_output_too_small_needed_is_exact():
    with pytest.raises(runlen.OutputTooSmall, match="9 bytes needed") as caught:
        runlen.decode_into(b"a\x04b\x05", bytearray(8))
    assert caught.value.needed == 9
    with pytest.raises(runlen.OutputTooSmall) as caught:
        runlen.encode_into(b"abcd", bytearray(7))
    assert caught.value.needed == 8
    # The same calls with `needed` bytes succeed.
    assert runlen.decode_into(b"a\x04b\x05", bytearray(9)) == 9
    assert runlen.encode_into(b"abcd", bytearray(8)) == 8


def test_errors_are_value_errors_and_pickle():
    try:
        runlen.decode(b"a\x01\x00\x00")
    except ValueError as e:  # what code written for "bad data" catches
        error = e
    assert isinstance(error, runlen.ZeroCount)
    assert str(error) == "pair at byte offset 2 has count 0"
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is runlen.ZeroCount and again.offset == 2 and str(again) == str(error)
    short = runlen.OutputTooSmall("output buffer too small: 5 bytes needed", 5)
    again = pickle.loads(pickle.dumps(short))
    assert again.needed == 5 and str(again) == str(short)


def test_negative_lengths_are_refused():
    with pytest.raises(OverflowError):
        runlen.max_encoded_len(-1)
