"""Every buffer kind in and out, zero-copy, guard bytes, and what is refused and why: for
the pairs and PackBits (``fmt``) alike."""

import array
import ctypes
import mmap

import pytest
from hypothesis import given
from hypothesis import strategies as st
from reference import spec_decode, spec_encode, tutorial_encode
from support import each_format, guarded, guards_intact, optional, runs_strategy

import runlen

DATA = b"aaaabbbcc" + b"\x00" * 300 + b"\xff\xff" + bytes(range(256))
PAIRS = spec_encode(DATA)


def input_kinds(data: bytes):
    """The same bytes as every kind of buffer runlen must take."""
    n = len(data)
    mapped = mmap.mmap(-1, max(n, 1))
    mapped[:n] = data
    kinds = {
        "bytes": data,
        "bytearray": bytearray(data),
        "memoryview": memoryview(data),
        "memoryview slice": memoryview(b"xx" + data + b"yy")[2:2 + n],
        "memoryview of bytearray": memoryview(bytearray(data)),
        "array B": array.array("B", data),
        "ctypes array": (ctypes.c_ubyte * n).from_buffer_copy(data),
        "mmap": memoryview(mapped)[:n],
    }
    if n % 8 == 0:
        kinds["array d (as bytes)"] = array.array("d", data)
    if n % 2 == 0:
        kinds["array H (as bytes)"] = array.array("H", data)
        kinds["memoryview cast H"] = memoryview(data).cast("H")
    return kinds


@each_format
@pytest.mark.parametrize("kind", list(input_kinds(DATA)))
def test_every_input_kind(fmt, kind):
    data = input_kinds(DATA)[kind]
    assert fmt.api.encode(data) == fmt.encode(DATA)
    assert fmt.api.encoded_len(data) == len(fmt.encode(DATA))


@each_format
@pytest.mark.parametrize("kind", list(input_kinds(PAIRS)))
def test_every_input_kind_decodes(fmt, kind):
    # The pairs of DATA are 172 bytes; pad PackBits' (264) to a length with every kind.
    encoded = fmt.encode(DATA)
    if fmt.name == "packbits":
        encoded += b"\x80" * (-len(encoded) % 8)  # no-op headers
    encoded = input_kinds(encoded)[kind]
    assert fmt.api.decode(encoded) == DATA
    assert fmt.api.decoded_len(encoded) == len(DATA)


def test_words_are_their_bytes():
    # array.array('H') of 8 items: what is encoded is its memory, in machine byte order.
    words = array.array("H", [1, 1, 1, 0x0101, 0x0101, 7, 7, 0xFFFF])
    assert runlen.encode(words) == spec_encode(words.tobytes())


def output_kinds(n: int):
    np = optional("numpy")
    return {
        "bytearray": lambda: bytearray(n),
        "memoryview of bytearray": lambda: memoryview(bytearray(n)),
        "numpy uint8": lambda: np.zeros(n, dtype=np.uint8),
        "numpy 2-D": lambda: np.zeros((1, n), dtype=np.uint8),
        "array B": lambda: array.array("B", bytes(n)),
        "ctypes array": lambda: (ctypes.c_ubyte * n)(),
        "mmap": lambda: mmap.mmap(-1, n),
    }


@each_format
@pytest.mark.parametrize("kind", ["bytearray", "memoryview of bytearray", "numpy uint8",
                                  "numpy 2-D", "array B", "ctypes array", "mmap"])
def test_every_output_kind(fmt, kind):
    encoded = fmt.encode(DATA)
    out = output_kinds(len(encoded))[kind]()
    assert fmt.api.encode_into(DATA, out) == len(encoded)
    assert bytes(memoryview(out).cast("B")) == encoded
    back = output_kinds(len(DATA))[kind]()
    assert fmt.api.decode_into(encoded, back) == len(DATA)
    assert bytes(memoryview(back).cast("B")) == DATA


@each_format
@given(runs_strategy(), st.integers(0, 40))
def test_encode_into_writes_nothing_past_out(fmt, data, slack):
    encoded = fmt.encode(data)
    for size in {len(encoded), len(encoded) + slack, fmt.api.max_encoded_len(len(data))}:
        backing, out = guarded(size)
        assert fmt.api.encode_into(data, out) == len(encoded)
        assert out[:len(encoded)] == encoded
        assert guards_intact(backing)
    if encoded:  # one byte short, and any shorter: OutputTooSmall, nothing written outside
        for size in {len(encoded) - 1, len(encoded) // 2, 0}:
            backing, out = guarded(size)
            with pytest.raises(runlen.OutputTooSmall) as caught:
                fmt.api.encode_into(data, out)
            assert caught.value.needed == len(encoded)
            assert guards_intact(backing)


@each_format
@given(runs_strategy(), st.integers(0, 40))
def test_decode_into_writes_nothing_past_out(fmt, data, slack):
    encoded = fmt.encode(data)
    for size in {len(data), len(data) + slack}:
        backing, out = guarded(size)
        assert fmt.api.decode_into(encoded, out) == len(data)
        assert out[:len(data)] == data
        assert guards_intact(backing)
    if data:
        for size in {len(data) - 1, len(data) // 3, 0}:
            backing, out = guarded(size)
            with pytest.raises(runlen.OutputTooSmall) as caught:
                fmt.api.decode_into(encoded, out)
            assert caught.value.needed == len(data)
            assert guards_intact(backing)


@each_format
@given(st.binary(max_size=300), st.integers(0, 700))
def test_decode_into_errors_write_nothing_outside(fmt, encoded, size):
    backing, out = guarded(size)
    try:
        written = fmt.api.decode_into(encoded, out)
    except runlen.Error:
        pass
    else:
        assert out[:written] == fmt.decode(encoded)
    assert guards_intact(backing)


@each_format
@pytest.mark.parametrize("value", ["text", 42, None, [1, 2], 3.5, object()])
def test_non_buffers_are_type_errors(fmt, value):
    api = fmt.api
    for call in (api.encode, api.decode, api.encoded_len, api.decoded_len):
        with pytest.raises(TypeError, match=r"data must be a buffer .* not "):
            call(value)
    with pytest.raises(TypeError, match="data must be a buffer"):
        api.encode_into(value, bytearray(8))
    with pytest.raises(TypeError, match="out must be a buffer"):
        api.encode_into(b"ab", value)
    with pytest.raises(TypeError, match="chunk must be a buffer"):
        api.Encoder().encode(value)
    with pytest.raises(TypeError, match="chunk must be a buffer"):
        api.Decoder().decode(value)


@each_format
def test_non_contiguous_inputs_are_buffer_errors(fmt):
    np = optional("numpy")
    api = fmt.api
    strided = [
        memoryview(bytes(range(20)))[::2],
        np.arange(20, dtype=np.uint8)[::2],
        np.zeros((4, 6), dtype=np.uint8)[:, :3],
        np.asfortranarray(np.arange(12, dtype=np.uint8).reshape(3, 4)),
    ]
    for data in strided:
        for call in (api.encode, api.decode, api.encoded_len, api.decoded_len):
            with pytest.raises(BufferError, match="data is not C-contiguous"):
                call(data)
        with pytest.raises(BufferError, match="chunk is not C-contiguous"):
            api.Encoder().encode(data)
        with pytest.raises(BufferError, match="out is not C-contiguous"):
            api.encode_into(b"ab", np.zeros(20, dtype=np.uint8)[::2])
    # A contiguous copy of the same is fine, as the message suggests.
    assert api.encode(np.ascontiguousarray(strided[1])) == fmt.encode(bytes(range(0, 20, 2)))


@each_format
def test_read_only_out_is_a_type_error(fmt):
    np = optional("numpy")
    frozen = np.zeros(16, dtype=np.uint8)
    frozen.flags.writeable = False
    encoded = fmt.encode(b"aaa")
    for out in (bytes(16), memoryview(bytes(16)), memoryview(bytearray(16)).toreadonly(), frozen):
        with pytest.raises(TypeError, match="out is a read-only buffer"):
            fmt.api.encode_into(b"abc", out)
        with pytest.raises(TypeError, match="out is a read-only buffer"):
            fmt.api.decode_into(encoded, out)
    assert not frozen.any()


@each_format
def test_object_arrays_are_refused(fmt):
    np = optional("numpy")
    with pytest.raises(TypeError, match="Python objects"):
        fmt.api.encode(np.array([object(), object()]))


@each_format
def test_out_overlapping_data_is_refused(fmt):
    backing = bytearray(b"aabbccdd" + bytes(16))
    view = memoryview(backing)
    for data, out in [(backing, backing), (view[:8], view[4:]), (view[4:12], view[:6])]:
        with pytest.raises(ValueError, match="out overlaps data"):
            fmt.api.encode_into(data, out)
        with pytest.raises(ValueError, match="out overlaps data"):
            fmt.api.decode_into(data, out)
    # Adjacent is not overlapping.
    encoded = fmt.encode(b"aabbccdd")
    assert fmt.api.encode_into(view[:8], view[8:]) == len(encoded)
    assert backing[8:8 + len(encoded)] == encoded


@each_format
def test_bytes_out_is_a_new_object_and_input_is_untouched(fmt):
    data = bytearray(DATA)
    first, second = fmt.api.encode(data), fmt.api.encode(data)
    assert first == second and first is not second
    assert data == DATA


def test_numpy_dtypes_are_their_bytes():
    np = optional("numpy")
    rng = np.random.default_rng(5)
    u8 = np.repeat(rng.integers(0, 255, 300, dtype=np.uint8), rng.integers(1, 40, 300))
    assert runlen.encode(u8) == tutorial_encode(u8.tobytes()) == spec_encode(u8.tobytes())
    i8 = u8.view(np.int8)
    assert runlen.encode(i8) == runlen.encode(u8)
    u16 = np.repeat(rng.integers(0, 3, 200).astype(np.uint16) * 0x0101, 7)
    assert runlen.encode(u16) == spec_encode(u16.tobytes())
    back = np.empty_like(u16)
    assert runlen.decode_into(runlen.encode(u16), back) == u16.nbytes
    assert np.array_equal(back, u16)
    floats = np.zeros(64, dtype=np.float64)
    assert runlen.encode(floats) == b"\x00\xff\x00\xff\x00\x02"
    # numpy exports datetime64 only without a format string: still their bytes, both ways.
    times = np.array(["2026-12-01T09:00", "2026-12-01T09:00", "2027-01-01T00:00"], "M8[s]")
    assert runlen.encode(times) == spec_encode(times.tobytes())
    back = np.empty_like(times)
    assert runlen.decode_into(runlen.encode(times), back) == times.nbytes
    assert (back == times).all()


def test_numpy_2d_image():
    np = optional("numpy")
    # A 0/1 mask of a disc, row-major: what segmentation masks look like.
    y, x = np.mgrid[:480, :640]
    image = (((y - 240) ** 2 + (x - 320) ** 2) < 150**2).astype(np.uint8)
    pairs = runlen.encode(image)
    assert pairs == tutorial_encode(image.tobytes()) == spec_encode(image.tobytes())
    assert len(pairs) < image.nbytes // 50
    restored = np.empty_like(image)
    assert runlen.decode_into(pairs, restored) == image.nbytes
    assert np.array_equal(restored, image)
    assert np.array_equal(np.frombuffer(runlen.decode(pairs), np.uint8).reshape(480, 640), image)


@each_format
@pytest.mark.parametrize("kind", list(input_kinds(b"")))
def test_empty_buffers_of_every_kind(fmt, kind):
    empty = input_kinds(b"")[kind]
    api = fmt.api
    assert api.encode(empty) == b"" and api.decode(empty) == b""
    assert api.encoded_len(empty) == 0 and api.decoded_len(empty) == 0
    assert api.encode_into(empty, bytearray()) == 0
    assert api.decode_into(empty, memoryview(bytearray(3))[:0]) == 0
    assert api.Encoder().encode(empty) == b"" and api.Decoder().decode(empty) == b""
