"""Encoder and Decoder over any split: exactly the one-shot bytes."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from reference import spec_encode
from support import data_strategy

import runlen


def split(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({min(c, len(data)) for c in cuts})
    edges = [0, *points, len(data)]
    return [data[a:b] for a, b in zip(edges, edges[1:])]


cuts_strategy = st.lists(st.integers(0, 3000), max_size=12)


@given(data_strategy(), cuts_strategy)
def test_encoder_any_split(data, cuts):
    encoder = runlen.Encoder()
    chunks = split(data, cuts)
    # Mix the buffer kinds, empty chunks included.
    kinds = [bytes, bytearray, memoryview]
    out = b"".join(encoder.encode(kinds[i % 3](c)) for i, c in enumerate(chunks + [b""]))
    assert out + encoder.finish() == spec_encode(data)
    # finish() started a new stream.
    assert encoder.encode(b"zz") + encoder.finish() == b"z\x02"
    assert encoder.finish() == b""


@given(data_strategy(), cuts_strategy)
def test_decoder_any_split(data, cuts):
    pairs = spec_encode(data)
    decoder = runlen.Decoder()
    chunks = split(pairs, cuts)
    kinds = [bytes, bytearray, memoryview]
    out = b"".join(decoder.decode(kinds[i % 3](c)) for i, c in enumerate(chunks + [b""]))
    assert out == data  # nothing held back once the chunks are complete pairs
    assert decoder.finish() == b""
    assert decoder.decode(b"q\x03") + decoder.finish() == b"qqq"


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


def test_encoder_and_decoder_are_independent_instances():
    a, b = runlen.Encoder(), runlen.Encoder()
    assert a.encode(b"xxx") == b"" and b.encode(b"yy") == b""
    assert a.finish() == b"x\x03" and b.finish() == b"y\x02"
