"""Inputs of 64 MiB and more, once: one-shot, into, streaming; the pairs against numpy's
view of the format (an oracle independent of runlen, fast enough for this size), PackBits by its bound,
its round trip, and its calls agreeing with each other (the plain-Python reference is too
slow for this size; test_packbits.py holds it to smaller inputs)."""

import pytest
from support import PACKBITS, PAIRS, each_format, guarded, guards_intact, optional

import runlen

np = optional("numpy")

SIZE = 80 << 20  # 80 MiB: past any power-of-two edge


def numpy_encode(data):
    """SPEC section 1 with numpy: maximal runs, each split into counts of 255 and the rest."""
    if data.size == 0:
        return b""
    starts = np.flatnonzero(np.concatenate(([True], data[1:] != data[:-1])))
    lengths = np.diff(np.append(starts, data.size))
    pieces = (lengths + 254) // 255  # pairs per run
    values = np.repeat(data[starts], pieces)
    counts = np.full(values.size, 255, dtype=np.int64)
    last = np.cumsum(pieces) - 1  # each run's last pair holds the remainder
    counts[last] = lengths - 255 * (pieces - 1)
    return np.column_stack((values, counts.astype(np.uint8))).tobytes()


def large_input():
    rng = np.random.default_rng(64)
    # Runs of every scale: single bytes, mean 8, long runs past 255, 0x00 and 0xFF.
    lengths = np.concatenate((np.ones(1 << 20, np.int64), rng.geometric(1 / 8, 1 << 21),
                              rng.integers(200, 2000, 1 << 14)))
    rng.shuffle(lengths)
    values = rng.integers(0, 256, lengths.size, dtype=np.uint8)
    data = np.repeat(values, lengths)
    return np.resize(data, SIZE)


@pytest.fixture(scope="module")
def data():
    data = large_input()
    assert data.nbytes >= 64 << 20
    return data


@each_format
def test_large_input(fmt, data):
    api = fmt.api
    encoded = api.encode(data)
    if fmt is PAIRS:
        assert encoded == numpy_encode(data)
    else:
        assert fmt is PACKBITS and len(encoded) <= api.max_encoded_len(data.nbytes)
    assert api.encoded_len(data) == len(encoded)
    assert api.decoded_len(encoded) == data.nbytes
    assert api.decode(encoded) == data.tobytes()

    backing, out = guarded(len(encoded))
    assert api.encode_into(data, out) == len(encoded)
    assert guards_intact(backing) and out == encoded
    del backing, out
    back = np.empty_like(data)
    assert api.decode_into(encoded, back) == data.nbytes
    assert np.array_equal(back, data)
    del back

    encoder = api.Encoder()
    cut = [0, 1, (20 << 20) + 3, (60 << 20) + 1, SIZE]
    streamed = b"".join(encoder.encode(data[a:b]) for a, b in zip(cut, cut[1:]))
    assert streamed + encoder.finish() == encoded
    decoder = api.Decoder()
    cut = [0, 3, len(encoded) // 3, len(encoded) // 2 + 1, len(encoded)]
    restored = b"".join(decoder.decode(memoryview(encoded)[a:b]) for a, b in zip(cut, cut[1:]))
    assert restored == data.tobytes()
    assert decoder.finish() == b""
