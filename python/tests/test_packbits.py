"""runlen.packbits (SPEC.md section 8): the canonical encoding against the spec in plain
Python (reference.py), decoding any PackBits, its errors and their precedence. What holds
for both formats (buffers, elementsize, streaming) is tested with the pairs, for both."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from reference import SpecError, packbits_decode, packbits_encode
from support import (PACKBITS, assert_decodes_as_the_spec, data_strategy, guarded, guards_intact,
                     optional, runlen_outcome, spec_outcome)

import runlen
from runlen import packbits


def test_the_module_has_the_pairs_api():
    names = ["encode", "decode", "encode_into", "decode_into", "encoded_len", "decoded_len",
             "max_encoded_len", "Encoder", "Decoder"]
    for name in names:
        assert callable(getattr(packbits, name)) and getattr(packbits, name) is not getattr(runlen, name)
        assert name in packbits.__all__
    assert packbits.Encoder.__module__ == packbits.Decoder.__module__ == "runlen.packbits"
    assert packbits.TruncatedPacket is runlen.TruncatedPacket
    import runlen.packbits as imported  # also importable by its own name

    assert imported is packbits


def test_max_encoded_len():
    assert [packbits.max_encoded_len(n) for n in (0, 1, 127, 128, 129, 256, 1 << 40)] == \
        [0, 2, 128, 129, 131, 258, (1 << 40) + (1 << 33)]
    assert packbits.max_encoded_len(2**64 - 1) == 2**64 - 1  # saturates
    with pytest.raises(OverflowError):
        packbits.max_encoded_len(-1)


def test_goldens():
    # SPEC.md section 8 and the crate's examples.
    assert packbits.encode(b"abcddddddddeeef") == b"\x02abc\xf9d\xfee\x00f"
    assert packbits.encode(b"xyzzzz") == b"\x01xy\xfdz"
    assert packbits.encode(b"") == b"" and packbits.decode(b"") == b""
    assert packbits.encode(b"ab") == b"\x01ab"  # a run of 2 is literal data
    assert packbits.encode(b"aab") == b"\x02aab"
    assert packbits.encode(b"aaa") == b"\xfea"
    assert packbits.encode(b"\x07" * 128) == b"\x81\x07"
    assert packbits.encode(b"\x07" * 129) == b"\x81\x07\x00\x07"  # a remainder of 1: literal
    assert packbits.encode(b"\x07" * 130) == b"\x81\x07\xff\x07"  # a remainder of 2: a run
    assert packbits.encode(b"\x07" * 300) == b"\x81\x07\x81\x07\xd5\x07"
    assert packbits.encode(bytes(range(129))) == b"\x7f" + bytes(range(128)) + b"\x00\x80"
    assert packbits.decode(b"\x01ab\x80\xfex") == b"abxxx"  # 0x80: a no-op


def test_the_bound_is_tight():
    # No runs: literal packets of 128, one header byte each.
    for n in (1, 2, 127, 128, 129, 1000, 100_000):
        data = bytes(i % 251 for i in range(n))  # no two equal neighbours
        assert len(packbits.encode(data)) == n + math.ceil(n / 128) == packbits.max_encoded_len(n)


@given(data_strategy())
def test_equals_the_spec(data):
    packets = packbits.encode(data)
    assert packets == packbits_encode(data)
    assert packbits.encoded_len(data) == len(packets)
    assert len(packets) <= len(data) + math.ceil(len(data) / 128)
    assert packbits.decoded_len(packets) == len(data)
    assert packbits.decode(packets) == data


def packet(kind, value, length):
    """One packet, canonical or not: a literal of 1..128 bytes, a run of 2..128, a no-op."""
    if kind == "literal":
        return bytes([length - 1]) + bytes((value + i) % 256 for i in range(length))
    if kind == "run":
        return bytes([257 - max(length, 2), value])
    return b"\x80"


packets_strategy = st.one_of(
    st.binary(max_size=600),  # any bytes: cut packets, no-ops, headers of every value
    st.lists(st.builds(packet, st.sampled_from(["literal", "run", "noop"]), st.integers(0, 255),
                       st.integers(1, 128)), max_size=40).map(b"".join),
)


@given(packets_strategy)
def test_decode_any_bytes_as_the_spec_says(packets):
    assert_decodes_as_the_spec(PACKBITS, packets)


@given(packets_strategy, st.integers(0, 2000))
def test_decode_into_as_the_spec_says_writing_nothing_outside(packets, size):
    backing, out = guarded(size)
    outcome = runlen_outcome(lambda: packbits.decode_into(packets, out))
    expected = spec_outcome(packbits_decode, packets, size)
    if isinstance(expected, bytes):
        assert outcome == len(expected) and out[:outcome] == expected
    else:
        assert outcome == expected
    assert guards_intact(backing)


@given(packets_strategy)
def test_any_packets_reencode_canonically(packets):
    try:
        data = packbits_decode(packets)
    except SpecError:
        return
    assert packbits.encode(packbits.decode(packets)) == packbits_encode(data)


@pytest.mark.parametrize("call", [packbits.decode, packbits.decoded_len,
                                  lambda d: packbits.decode_into(d, bytearray(1000))])
def test_truncated_packet_offset_is_its_header(call):
    cases = [
        (b"\x00", 0),                  # a literal of 1 without its byte
        (b"\x05abc", 0),               # a literal of 6 with 3
        (b"\xfe", 0),                  # a run without its value
        (b"\x01ab\x80\x80\xfe", 5),    # after no-ops
        (b"\x81a" * 10 + b"\x7f" + bytes(127), 20),
    ]
    for packets, offset in cases:
        with pytest.raises(runlen.TruncatedPacket, match=f"offset {offset} is cut off") as caught:
            call(packets)
        assert caught.value.offset == offset


def test_truncated_packet_comes_before_a_short_out():
    backing, out = guarded(1)
    with pytest.raises(runlen.TruncatedPacket) as caught:
        packbits.decode_into(b"\x81a\x02xy", out)
    assert caught.value.offset == 2 and guards_intact(backing)


def test_the_formats_differ():
    data = b"a" * 10
    assert runlen.encode(data) == b"a\x0a" and packbits.encode(data) == b"\xf7a"
    # Pairs read as PackBits: "a" is the header of a literal of 98 bytes, cut off.
    with pytest.raises(runlen.TruncatedPacket) as caught:
        packbits.decode(runlen.encode(data))
    assert caught.value.offset == 0


def test_numpy_images():
    np = optional("numpy")
    y, x = np.mgrid[:480, :640]
    mask = (((y - 240) ** 2 + (x - 320) ** 2) < 150**2).astype(np.uint8)
    packets = packbits.encode(mask)
    assert packets == packbits_encode(mask.tobytes())
    assert len(packets) < mask.nbytes // 20
    restored = np.empty_like(mask)
    assert packbits.decode_into(packets, restored) == mask.nbytes
    assert np.array_equal(restored, mask)
    # Noise: literal packets, one byte in 128 more; pairs would double it.
    noise = np.random.default_rng(7).integers(0, 256, 1 << 20, dtype=np.uint8)
    assert len(packbits.encode(noise)) <= noise.nbytes * 129 // 128 + 1
    assert len(runlen.encode(noise)) > 1.9 * noise.nbytes
    assert packbits.decode(packbits.encode(noise)) == noise.tobytes()
