"""Inputs of 64 MiB and more, once: one-shot, into, streaming, against numpy's view of the
format (an oracle independent of runlen, fast enough for this size)."""

from support import guarded, guards_intact, optional

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


def test_large_input():
    data = large_input()
    assert data.nbytes >= 64 << 20
    pairs = runlen.encode(data)
    assert pairs == numpy_encode(data)
    assert runlen.encoded_len(data) == len(pairs)
    assert runlen.decoded_len(pairs) == data.nbytes
    assert runlen.decode(pairs) == data.tobytes()

    backing, out = guarded(len(pairs))
    assert runlen.encode_into(data, out) == len(pairs)
    assert guards_intact(backing) and out == pairs
    del backing, out
    back = np.empty_like(data)
    assert runlen.decode_into(pairs, back) == data.nbytes
    assert np.array_equal(back, data)
    del back

    encoder = runlen.Encoder()
    cut = [0, 1, (20 << 20) + 3, (60 << 20) + 1, SIZE]
    streamed = b"".join(encoder.encode(data[a:b]) for a, b in zip(cut, cut[1:]))
    assert streamed + encoder.finish() == pairs
    decoder = runlen.Decoder()
    cut = [0, 3, len(pairs) // 3, len(pairs) // 2 + 1, len(pairs)]
    restored = b"".join(decoder.decode(memoryview(pairs)[a:b]) for a, b in zip(cut, cut[1:]))
    assert restored == data.tobytes()
    assert decoder.finish() == b""
