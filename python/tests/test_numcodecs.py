"""The numcodecs codec "runlen", found through its entry point, and zarr v2 arrays; pairs and
``format="packbits"`` (``fmt``)."""

from importlib.metadata import entry_points

import pytest
from support import PACKBITS, PAIRS, each_format, optional

import runlen

numcodecs = optional("numcodecs")
np = optional("numpy")

from runlen.numcodecs import RunLength  # noqa: E402 - needs numcodecs


def mask():
    y, x = np.mgrid[:200, :300]
    return (((y - 100) ** 2 + (x - 150) ** 2) < 60**2).astype(np.uint8)


def test_entry_point_is_registered():
    names = {ep.name: ep.value for ep in entry_points(group="numcodecs.codecs")}
    assert names["runlen"] == "runlen.numcodecs:RunLength"


def test_get_codec_finds_it():
    codec = numcodecs.get_codec({"id": "runlen"})
    assert isinstance(codec, RunLength)
    assert codec.codec_id == "runlen"


@each_format
def test_encode_decode(fmt):
    codec = RunLength(format=fmt.name)
    image = mask()
    encoded = codec.encode(image)
    assert bytes(encoded) == fmt.encode(image.tobytes()) == fmt.api.encode(image)
    decoded = codec.decode(encoded)
    assert np.array_equal(np.frombuffer(decoded, np.uint8).reshape(image.shape), image)


@each_format
def test_decode_into_out(fmt):
    codec = RunLength(format=fmt.name)
    image = mask()
    out = np.empty_like(image)
    result = codec.decode(codec.encode(image), out=out)
    assert result is out
    assert np.array_equal(out, image)
    words = np.arange(1000, dtype=np.uint16) // 100
    out16 = np.empty_like(words)
    assert np.array_equal(codec.decode(codec.encode(words), out=out16), words)


@each_format
def test_decode_into_wrong_size_out_is_refused(fmt):
    codec = RunLength(format=fmt.name)
    encoded = codec.encode(b"abcdef")
    with pytest.raises(ValueError, match="decoded 6 bytes into an out of 8"):
        codec.decode(encoded, out=np.empty(8, np.uint8))
    with pytest.raises(runlen.OutputTooSmall):
        codec.decode(encoded, out=np.empty(5, np.uint8))


@each_format
def test_config_round_trip(fmt):
    # Pairs, the default, are not named: their configs are what they were before PackBits.
    named = {} if fmt is PAIRS else {"format": fmt.name}
    codec = RunLength(format=fmt.name)
    assert codec.format == fmt.name
    config = codec.get_config()
    assert config == {"id": "runlen", "elementsize": 1, **named}
    # numcodecs' convention: get_codec pops "id" before calling from_config.
    again = RunLength.from_config({k: v for k, v in config.items() if k != "id"})
    assert isinstance(again, RunLength) and again == codec
    assert numcodecs.get_codec(config) == codec
    shown = "" if fmt is PAIRS else f", format={fmt.name!r}"
    assert repr(codec) == f"RunLength(elementsize=1{shown})"
    wide = RunLength(elementsize=4, format=fmt.name)
    assert wide.get_config() == {"id": "runlen", "elementsize": 4, **named}
    assert numcodecs.get_codec({"id": "runlen", "elementsize": 4, **named}) == wide != codec
    # A config that names the default is the same codec, and equal codecs of the two
    # formats are not.
    assert numcodecs.get_codec({"id": "runlen", "format": "pairs"}) == RunLength()
    assert RunLength(format="packbits") != RunLength()


def test_a_config_without_elementsize_means_one():
    # Configs written before elementsize existed keep working.
    assert numcodecs.get_codec({"id": "runlen"}) == RunLength(elementsize=1)


@each_format
def test_elementsize_encodes_byte_planes(fmt):
    labels = (np.arange(40_000, dtype=np.uint32) // 1000 + 70_000).reshape(200, 200)
    codec = RunLength(elementsize=4, format=fmt.name)
    encoded = codec.encode(labels)
    assert bytes(encoded) == fmt.api.encode(labels, elementsize=4)
    assert len(encoded) < len(RunLength(format=fmt.name).encode(labels)) / 10
    assert np.array_equal(np.frombuffer(codec.decode(encoded), np.uint32).reshape(200, 200), labels)
    out = np.empty_like(labels)
    assert codec.decode(encoded, out=out) is out and np.array_equal(out, labels)


@pytest.mark.parametrize("key, bad", [("elementsize", bad) for bad in (0, 256, "2", None)] +
                         [("format", bad) for bad in ("PackBits", "rle", "", None, 1)])
def test_a_wrong_parameter_is_refused(key, bad):
    message = "format must be 'pairs' or 'packbits'" if key == "format" else "elementsize"
    with pytest.raises(ValueError, match=message):
        RunLength(**{key: bad})
    with pytest.raises(ValueError, match=message):
        numcodecs.get_codec({"id": "runlen", key: bad})


@each_format
def test_zarr_format_2_array_under_zarr_3(fmt, tmp_path):
    # zarr 3 still writes and reads zarr format 2, whose compressors are numcodecs codecs.
    zarr = optional("zarr")
    if int(zarr.__version__.split(".")[0]) < 3:
        pytest.skip("zarr 3 API (zarr %s installed)" % zarr.__version__)

    labels = (np.arange(200 * 300, dtype=np.uint16).reshape(200, 300) // 700) + 300
    codec = RunLength(elementsize=2, format=fmt.name)
    z = zarr.create_array(str(tmp_path), shape=labels.shape, chunks=(100, 150), dtype="uint16",
                          compressors=codec, zarr_format=2)
    z[:] = labels
    reopened = zarr.open_array(str(tmp_path), mode="r")
    assert reopened.metadata.compressor == codec
    assert np.array_equal(reopened[:], labels)
    # The chunk is the format's encoding of the chunk's byte planes.
    chunk = np.ascontiguousarray(labels[:100, :150])
    assert (tmp_path / "0.0").read_bytes() == fmt.api.encode(chunk, elementsize=2)


def test_packbits_keeps_noise_at_its_size():
    noise = np.random.default_rng(3).integers(0, 256, 100_000, dtype=np.uint8)
    assert len(RunLength(format="packbits").encode(noise)) <= 100_000 + 782
    assert len(RunLength().encode(noise)) > 190_000
    assert PACKBITS.decode(RunLength(format="packbits").encode(noise)) == noise.tobytes()


def test_zarr_v2_array():
    zarr = optional("zarr")
    if int(zarr.__version__.split(".")[0]) != 2:
        pytest.skip("zarr v2 API (zarr %s installed)" % zarr.__version__)
    image = mask()
    store = zarr.MemoryStore()
    z = zarr.open_array(store=store, mode="w", shape=image.shape, chunks=(100, 150),
                        dtype=np.uint8, compressor=RunLength())
    z[:] = image
    assert np.array_equal(z[:], image)
    # Chunks are stored as runlen pairs, and the codec is in the array's metadata.
    assert bytes(store["0.0"]) == runlen.encode(np.ascontiguousarray(image[:100, :150]))
    reopened = zarr.open_array(store=store, mode="r")
    assert reopened.compressor == RunLength()
    assert np.array_equal(reopened[50:150, 100:200], image[50:150, 100:200])
