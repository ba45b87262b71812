"""elementsize (SPEC.md section 7): byte planes before encoding, joined after decoding."""

import array

import pytest
from hypothesis import given
from hypothesis import strategies as st
from reference import spec_decode, spec_encode
from support import guarded, guards_intact, optional, runs_strategy

import runlen


def shuffle(data: bytes, k: int) -> bytes:
    """The byte planes of ``data``, from the definition: byte p of every element, p = 0..k-1."""
    return b"".join(data[p::k] for p in range(k))


def unshuffle(planes: bytes, k: int) -> bytes:
    n = len(planes) // k
    out = bytearray(len(planes))
    for p in range(k):
        out[p::k] = planes[p * n:(p + 1) * n]
    return bytes(out)


def elements_strategy():
    """(k, data): element sizes the kernels special-case (2, 4, 8) and others, data a whole
    number of elements made of runs of equal elements or of arbitrary bytes."""
    ks = st.one_of(st.sampled_from([1, 2, 3, 4, 8, 16]), st.integers(1, 255))

    def data_for(k):
        element = st.binary(min_size=k, max_size=k)
        runs = st.lists(st.tuples(element, st.integers(1, 300)), max_size=12).map(
            lambda rs: b"".join(e * n for e, n in rs))
        noise = st.integers(0, 600 // k).flatmap(lambda n: st.binary(min_size=n * k, max_size=n * k))
        return st.tuples(st.just(k), st.one_of(runs, noise))

    return ks.flatmap(data_for)


@given(elements_strategy())
def test_round_trip_against_the_definition(case):
    k, data = case
    pairs = runlen.encode(data, elementsize=k)
    assert pairs == spec_encode(shuffle(data, k))
    assert runlen.encoded_len(data, elementsize=k) == len(pairs)
    # Plain pairs: decoding without elementsize gives the planes.
    assert runlen.decode(pairs) == shuffle(data, k)
    assert runlen.decoded_len(pairs) == len(data)
    assert runlen.decode(pairs, elementsize=k) == data


@given(elements_strategy())
def test_into_forms_write_only_their_window(case):
    k, data = case
    pairs = runlen.encode(data, elementsize=k)
    backing, out = guarded(len(pairs))
    assert runlen.encode_into(data, out, elementsize=k) == len(pairs)
    assert bytes(out) == pairs and guards_intact(backing)
    backing, out = guarded(len(data))
    assert runlen.decode_into(pairs, out, elementsize=k) == len(data)
    assert bytes(out) == data and guards_intact(backing)


@pytest.mark.parametrize("k", [2, 3, 4, 8])
@pytest.mark.parametrize("n", [0, 1, 15, 16, 17, 100, 4099])
def test_sizes_around_the_vector_blocks(k, n):
    data = bytes((i * 131 + i // 7) % 251 for i in range(n * k))
    assert runlen.decode(runlen.encode(data, elementsize=k), elementsize=k) == data
    assert runlen.encode(data, elementsize=k) == spec_encode(shuffle(data, k))


def test_large_calls_go_through_the_gil_free_path():
    # 1 MiB of uint32 labels: past the GIL threshold, with whole vector blocks and a tail.
    words = array.array("I", [i // 1000 for i in range(262_147)])
    data = words.tobytes()
    pairs = runlen.encode(words, elementsize=4)
    assert pairs == spec_encode(shuffle(data, 4))
    assert runlen.decode(pairs, elementsize=4) == data
    out = bytearray(len(data))
    assert runlen.decode_into(pairs, out, elementsize=4) == len(data) and out == data


def test_elementsize_one_is_the_default():
    data = b"aaaabbbcc\xff"
    assert runlen.encode(data, elementsize=1) == runlen.encode(data)
    assert runlen.decode(runlen.encode(data), elementsize=1) == data


@pytest.mark.parametrize("bad", [0, 256, -1, 1000, 2.0, "2", True, b"\x02"])
def test_a_wrong_elementsize_is_value_error(bad):
    calls = [
        lambda: runlen.encode(b"aabb", elementsize=bad),
        lambda: runlen.decode(b"a\x04", elementsize=bad),
        lambda: runlen.encoded_len(b"aabb", elementsize=bad),
        lambda: runlen.encode_into(b"aabb", bytearray(8), elementsize=bad),
        lambda: runlen.decode_into(b"a\x04", bytearray(8), elementsize=bad),
    ]
    for call in calls:
        with pytest.raises(ValueError, match="elementsize must be an int from 1 to 255"):
            call()


def test_elementsize_is_keyword_only():
    with pytest.raises(TypeError):
        runlen.encode(b"aabb", 2)  # type: ignore[misc]


def test_a_length_not_a_multiple_is_value_error():
    with pytest.raises(ValueError, match="data is 5 bytes, not a multiple of elementsize 2"):
        runlen.encode(b"aabbc", elementsize=2)
    with pytest.raises(ValueError, match="not a multiple of elementsize 4"):
        runlen.encoded_len(b"abcdef", elementsize=4)
    backing, out = guarded(10)
    with pytest.raises(ValueError, match="not a multiple"):
        runlen.encode_into(b"aabbc", out, elementsize=2)
    assert guards_intact(backing) and bytes(out) == bytes([0xA5]) * 10
    # decode: the decoded length (7 bytes) is what must be a whole number of elements.
    with pytest.raises(ValueError, match="the decoded data is 7 bytes, not a multiple of elementsize 2"):
        runlen.decode(b"a\x07", elementsize=2)
    backing, out = guarded(10)
    with pytest.raises(ValueError, match="not a multiple"):
        runlen.decode_into(b"a\x07", out, elementsize=2)
    assert guards_intact(backing) and bytes(out) == bytes([0xA5]) * 10
    # Neither is a runlen.Error: the pairs are fine.
    with pytest.raises(ValueError) as caught:
        runlen.decode(b"a\x07", elementsize=2)
    assert not isinstance(caught.value, runlen.Error)


def test_bad_pairs_and_short_outputs_keep_their_errors():
    with pytest.raises(runlen.TruncatedPair):
        runlen.decode(b"a\x02b", elementsize=2)
    with pytest.raises(runlen.ZeroCount) as zero:
        runlen.decode(b"a\x02b\x00", elementsize=2)
    assert zero.value.offset == 2
    # Bad pairs before the length check, as for decode.
    with pytest.raises(runlen.ZeroCount):
        runlen.decode(b"a\x03b\x00", elementsize=2)
    data = bytes(range(64))
    pairs = runlen.encode(data, elementsize=4)
    backing, out = guarded(63)
    with pytest.raises(runlen.OutputTooSmall) as short:
        runlen.decode_into(pairs, out, elementsize=4)
    assert short.value.needed == 64 and guards_intact(backing)
    backing, out = guarded(len(pairs) - 1)
    with pytest.raises(runlen.OutputTooSmall) as short:
        runlen.encode_into(data, out, elementsize=4)
    assert short.value.needed == len(pairs) and guards_intact(backing)


def test_uint16_labels_meet_the_size_target():
    np = optional("numpy")
    y, x = np.mgrid[:512, :512]
    labels = ((y // 32) * 16 + (x // 32) + 1000).astype(np.uint16)  # 256 labels, all > 255
    plain = runlen.encode(labels)
    planes = runlen.encode(labels, elementsize=2)
    assert len(planes) <= 0.10 * len(plain)
    assert len(planes) <= 0.05 * labels.nbytes
    assert np.array_equal(np.frombuffer(runlen.decode(planes, elementsize=2), np.uint16)
                          .reshape(labels.shape), labels)


@given(runs_strategy(max_runs=10))
def test_numpy_dtypes_use_their_itemsize(data):
    np = optional("numpy")
    for dtype in (np.uint16, np.int32, np.float64):
        k = np.dtype(dtype).itemsize
        arr = np.frombuffer(data[:len(data) // k * k], dtype)
        pairs = runlen.encode(arr, elementsize=k)
        assert pairs == spec_encode(shuffle(arr.tobytes(), k))
        assert np.array_equal(np.frombuffer(runlen.decode(pairs, elementsize=k), dtype), arr,
                              equal_nan=dtype == np.float64)
        assert unshuffle(spec_decode(pairs), k) == arr.tobytes()
