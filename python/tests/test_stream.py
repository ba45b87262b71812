"""Encoder and Decoder over any split: exactly the one-shot bytes, for the pairs and
PackBits (``fmt``) alike."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from reference import spec_encode
from support import PACKBITS, each_format, data_strategy

import runlen


def split(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({min(c, len(data)) for c in cuts})
    edges = [0, *points, len(data)]
    return [data[a:b] for a, b in zip(edges, edges[1:])]


cuts_strategy = st.lists(st.integers(0, 3000), max_size=12)


@each_format
@given(data_strategy(), cuts_strategy)
def test_encoder_any_split(fmt, data, cuts):
    encoder = fmt.api.Encoder()
    chunks = split(data, cuts)
    # Mix the buffer kinds, empty chunks included.
    kinds = [bytes, bytearray, memoryview]
    out = b"".join(encoder.encode(kinds[i % 3](c)) for i, c in enumerate(chunks + [b""]))
    assert out + encoder.finish() == fmt.encode(data)
    # finish() started a new stream.
    assert encoder.encode(b"zzz") + encoder.finish() == fmt.encode(b"zzz")
    assert encoder.finish() == b""


@each_format
@given(data_strategy(), cuts_strategy)
def test_decoder_any_split(fmt, data, cuts):
    encoded = fmt.encode(data)
    decoder = fmt.api.Decoder()
    chunks = split(encoded, cuts)
    kinds = [bytes, bytearray, memoryview]
    out = b"".join(decoder.decode(kinds[i % 3](c)) for i, c in enumerate(chunks + [b""]))
    assert out == data  # nothing held back once the chunks are complete
    assert decoder.finish() == b""
    assert decoder.decode(fmt.encode(b"qqq")) + decoder.finish() == b"qqq"


@given(st.binary(max_size=600), cuts_strategy)
def test_packbits_decoder_any_packets_any_split(packets, cuts):
    # Any bytes: short runs, split literals, no-ops, a packet cut at the end.
    decoder = runlen.packbits.Decoder()
    out = b"".join(decoder.decode(c) for c in split(packets, cuts))
    try:
        whole = PACKBITS.decode(packets)
    except Exception:  # a cut packet: everything before it, then finish() says so
        with pytest.raises(runlen.TruncatedPacket) as caught:
            runlen.packbits.decode(packets)
        with pytest.raises(runlen.TruncatedPacket) as at_finish:
            decoder.finish()
        assert at_finish.value.offset == caught.value.offset
        assert out.startswith(PACKBITS.decode(packets[:caught.value.offset]))
    else:
        assert out == whole and decoder.finish() == b""


def test_decoder_one_byte_at_a_time():
    data = b"\x00" * 1000 + b"xy" * 10 + b"\xff" * 256
    pairs = spec_encode(data)
    decoder = runlen.Decoder()
    out = [decoder.decode(pairs[i:i + 1]) for i in range(len(pairs))]
    assert b"".join(out) == data
    # Value bytes give nothing; each count byte gives its whole run.
    assert out[0] == b"" and out[1] == b"\x00" * 255
    assert decoder.finish() == b""


def test_decoder_truncated_pair_at_finish():
    decoder = runlen.Decoder()
    assert decoder.decode(b"a\x02b") == b"aa"
    with pytest.raises(runlen.TruncatedPair):
        decoder.finish()
    # Unchanged by the error: the missing count still completes the pair.
    assert decoder.decode(b"\x03") == b"bbb"
    assert decoder.finish() == b""


def test_decoder_zero_count_offset_counts_from_the_stream_start():
    decoder = runlen.Decoder()
    assert decoder.decode(b"a\x01b") == b"a"
    with pytest.raises(runlen.ZeroCount) as caught:
        decoder.decode(b"\x02c\x05d\x00")
    assert caught.value.offset == 6
    # A failed call leaves the decoder as it was: the same stream continues from "b".
    assert decoder.decode(b"\x02c\x05d\x01") == b"bbcccccd"
    assert decoder.finish() == b""
    # After finish, offsets count from the new stream's start.
    with pytest.raises(runlen.ZeroCount) as caught:
        decoder.decode(b"a\x01\x00\x00")
    assert caught.value.offset == 2


def test_decoder_large_expansion_across_chunks():
    # 4000 pairs of count 255 cut at odd points: each chunk expands ~127x, so the
    # output grows past any first guess.
    pairs = b"\x01\xff\x02\xff" * 2000
    decoder = runlen.Decoder()
    chunks = [pairs[i:i + 333] for i in range(0, len(pairs), 333)]
    assert b"".join(decoder.decode(c) for c in chunks) == runlen.decode(pairs)
    assert decoder.finish() == b""


def test_packbits_decoder_one_byte_at_a_time():
    data = b"\x00" * 1000 + b"xy" * 100 + b"\xff" * 129
    packets = PACKBITS.encode(data)
    decoder = runlen.packbits.Decoder()
    out = [decoder.decode(packets[i:i + 1]) for i in range(len(packets))]
    assert b"".join(out) == data
    # Headers give nothing; a run's value byte gives its whole run, a literal byte itself.
    assert out[0] == b"" and out[1] == b"\x00" * 128
    # The end: a run packet of 128 0xFF, then the last 0xFF as a literal packet.
    assert packets[-4:] == b"\x81\xff\x00\xff"
    assert out[-4:] == [b"", b"\xff" * 128, b"", b"\xff"]
    assert decoder.finish() == b""


def test_packbits_decoder_truncated_packet_at_finish():
    # (the stream's first chunk, the offset of the packet it cuts, the rest of the packet)
    for head, offset, rest in [(b"\x01a", 0, b"b"), (b"\xfd", 0, b"c"), (b"\x01ab\x02x", 3, b"yz")]:
        decoder = runlen.packbits.Decoder()
        got = decoder.decode(head)
        with pytest.raises(runlen.TruncatedPacket) as caught:
            decoder.finish()
        assert caught.value.offset == offset
        # Unchanged by the error: the rest still completes the packet.
        assert got + decoder.decode(rest) == runlen.packbits.decode(head + rest)
        assert decoder.finish() == b""
        # After finish, offsets count from the new stream's start.
        decoder.decode(b"\x00a\x05")
        with pytest.raises(runlen.TruncatedPacket) as caught:
            decoder.finish()
        assert caught.value.offset == 2


def test_packbits_decoder_large_expansion_across_chunks():
    # Run packets of 128 cut at odd points: each chunk expands 64x, and literal packets
    # between them are cut too.
    packets = (b"\x81\x01\x81\x02\x02abc" * 2000)
    decoder = runlen.packbits.Decoder()
    chunks = [packets[i:i + 333] for i in range(0, len(packets), 333)]
    assert b"".join(decoder.decode(c) for c in chunks) == runlen.packbits.decode(packets)
    assert decoder.finish() == b""


def test_packbits_encoder_holds_what_depends_on_what_follows():
    encoder = runlen.packbits.Encoder()
    assert encoder.encode(b"zzzz") == b""  # the run may go on
    assert encoder.encode(b"y" * 200) == b"\xfdz\x81y"
    assert encoder.finish() == b"\xb9y"  # the held 72
    # 130 bytes of literal data at most are held.
    assert len(encoder.encode(bytes(range(256)))) == 129
    assert encoder.finish() == b"\x7f" + bytes(range(128, 256))


def test_encoder_and_decoder_are_independent_instances():
    a, b = runlen.Encoder(), runlen.Encoder()
    assert a.encode(b"xxx") == b"" and b.encode(b"yy") == b""
    assert a.finish() == b"x\x03" and b.finish() == b"y\x02"
