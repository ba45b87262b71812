"""elementsize (SPEC.md section 7): byte planes before encoding, joined after decoding; for
the pairs and PackBits (``fmt``) alike."""

import array

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support import PACKBITS, each_format, guarded, guards_intact, optional, runs_strategy

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


@each_format
@given(elements_strategy())
def test_round_trip_against_the_definition(fmt, case):
    k, data = case
    encoded = fmt.api.encode(data, elementsize=k)
    assert encoded == fmt.encode(shuffle(data, k))
    assert fmt.api.encoded_len(data, elementsize=k) == len(encoded)
    # A plain encoding: decoding without elementsize gives the planes.
    assert fmt.api.decode(encoded) == shuffle(data, k)
    assert fmt.api.decoded_len(encoded) == len(data)
    assert fmt.api.decode(encoded, elementsize=k) == data


@each_format
@given(elements_strategy())
def test_into_forms_write_only_their_window(fmt, case):
    k, data = case
    encoded = fmt.api.encode(data, elementsize=k)
    backing, out = guarded(len(encoded))
    assert fmt.api.encode_into(data, out, elementsize=k) == len(encoded)
    assert bytes(out) == encoded and guards_intact(backing)
    backing, out = guarded(len(data))
    assert fmt.api.decode_into(encoded, out, elementsize=k) == len(data)
    assert bytes(out) == data and guards_intact(backing)


@each_format
@pytest.mark.parametrize("k", [2, 3, 4, 8])
@pytest.mark.parametrize("n", [0, 1, 15, 16, 17, 100, 4099])
def test_sizes_around_the_vector_blocks(fmt, k, n):
    data = bytes((i * 131 + i // 7) % 251 for i in range(n * k))
    assert fmt.api.decode(fmt.api.encode(data, elementsize=k), elementsize=k) == data
    assert fmt.api.encode(data, elementsize=k) == fmt.encode(shuffle(data, k))


@each_format
def test_large_calls_go_through_the_gil_free_path(fmt):
    # 1 MiB of uint32 labels: past the GIL threshold, with whole vector blocks and a tail.
    words = array.array("I", [i // 1000 for i in range(262_147)])
    data = words.tobytes()
    encoded = fmt.api.encode(words, elementsize=4)
    assert encoded == fmt.encode(shuffle(data, 4))
    assert fmt.api.decode(encoded, elementsize=4) == data
    out = bytearray(len(data))
    assert fmt.api.decode_into(encoded, out, elementsize=4) == len(data) and out == data


@each_format
def test_elementsize_one_is_the_default(fmt):
    data = b"aaaabbbcc\xff"
    assert fmt.api.encode(data, elementsize=1) == fmt.api.encode(data)
    assert fmt.api.decode(fmt.api.encode(data), elementsize=1) == data


@each_format
@pytest.mark.parametrize("bad", [0, 256, -1, 1000, 2.0, "2", True, b"\x02"])
def test_a_wrong_elementsize_is_value_error(fmt, bad):
    api, encoded = fmt.api, fmt.encode(b"aaaa")
    calls = [
        lambda: api.encode(b"aabb", elementsize=bad),
        lambda: api.decode(encoded, elementsize=bad),
        lambda: api.encoded_len(b"aabb", elementsize=bad),
        lambda: api.encode_into(b"aabb", bytearray(8), elementsize=bad),
        lambda: api.decode_into(encoded, bytearray(8), elementsize=bad),
    ]
    for call in calls:
        with pytest.raises(ValueError, match="elementsize must be an int from 1 to 255"):
            call()


@each_format
def test_elementsize_is_keyword_only(fmt):
    with pytest.raises(TypeError):
        fmt.api.encode(b"aabb", 2)


@each_format
def test_a_length_not_a_multiple_is_value_error(fmt):
    api, seven = fmt.api, fmt.encode(b"a" * 7)
    with pytest.raises(ValueError, match="data is 5 bytes, not a multiple of elementsize 2"):
        api.encode(b"aabbc", elementsize=2)
    with pytest.raises(ValueError, match="not a multiple of elementsize 4"):
        api.encoded_len(b"abcdef", elementsize=4)
    backing, out = guarded(10)
    with pytest.raises(ValueError, match="not a multiple"):
        api.encode_into(b"aabbc", out, elementsize=2)
    assert guards_intact(backing) and bytes(out) == bytes([0xA5]) * 10
    # decode: the decoded length (7 bytes) is what must be a whole number of elements.
    with pytest.raises(ValueError, match="the decoded data is 7 bytes, not a multiple of elementsize 2"):
        api.decode(seven, elementsize=2)
    backing, out = guarded(10)
    with pytest.raises(ValueError, match="not a multiple"):
        api.decode_into(seven, out, elementsize=2)
    assert guards_intact(backing) and bytes(out) == bytes([0xA5]) * 10
    # Neither is a runlen.Error: the encoding is fine.
    with pytest.raises(ValueError) as caught:
        api.decode(seven, elementsize=2)
    assert not isinstance(caught.value, runlen.Error)


def test_bad_pairs_keep_their_errors():
    with pytest.raises(runlen.ZeroCount) as zero:
        runlen.decode(b"a\x02b\x00", elementsize=2)
    assert zero.value.offset == 2
    # Bad pairs before the length check, as for decode.
    with pytest.raises(runlen.ZeroCount):
        runlen.decode(b"a\x03b\x00", elementsize=2)


@each_format
def test_cut_encodings_and_short_outputs_keep_their_errors(fmt):
    # fmt.cut decodes to 3 or 2 bytes before its cut: the cut is found before the length
    # is checked, as for decode.
    for call in (lambda: fmt.api.decode(fmt.cut, elementsize=4),
                 lambda: fmt.api.decode_into(fmt.cut, bytearray(8), elementsize=4)):
        with pytest.raises(fmt.truncated):
            call()
    data = bytes(range(64))
    encoded = fmt.api.encode(data, elementsize=4)
    backing, out = guarded(63)
    with pytest.raises(runlen.OutputTooSmall) as short:
        fmt.api.decode_into(encoded, out, elementsize=4)
    assert short.value.needed == 64 and guards_intact(backing)
    backing, out = guarded(len(encoded) - 1)
    with pytest.raises(runlen.OutputTooSmall) as short:
        fmt.api.encode_into(data, out, elementsize=4)
    assert short.value.needed == len(encoded) and guards_intact(backing)


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


@each_format
@given(runs_strategy(max_runs=10))
def test_numpy_dtypes_use_their_itemsize(fmt, data):
    np = optional("numpy")
    for dtype in (np.uint16, np.int32, np.float64):
        k = np.dtype(dtype).itemsize
        arr = np.frombuffer(data[:len(data) // k * k], dtype)
        encoded = fmt.api.encode(arr, elementsize=k)
        assert encoded == fmt.encode(shuffle(arr.tobytes(), k))
        assert np.array_equal(np.frombuffer(fmt.api.decode(encoded, elementsize=k), dtype), arr,
                              equal_nan=dtype == np.float64)
        assert unshuffle(fmt.decode(encoded), k) == arr.tobytes()


def test_packbits_uint16_labels():
    # PackBits of the planes: runs of 128 at most, so 2 bytes per 128 elements per plane.
    np = optional("numpy")
    y, x = np.mgrid[:512, :512]
    labels = ((y // 32) * 16 + (x // 32) + 1000).astype(np.uint16)
    planes = runlen.packbits.encode(labels, elementsize=2)
    assert planes == PACKBITS.encode(shuffle(labels.tobytes(), 2))
    assert len(planes) <= 0.05 * labels.nbytes
    # As bytes (e8 03 e8 03 ...) they are literal data: PackBits keeps them at their size.
    assert labels.nbytes < len(runlen.packbits.encode(labels)) <= 1.01 * labels.nbytes
