"""The zarr v3 codec "runlen" (SPEC.md sections 7 and 8): entry point, metadata, reopening in
a fresh process, sharding, threads, and corrupt chunks; pairs and ``format="packbits"``
(``fmt``)."""

import json
import os
import subprocess
import sys
import textwrap
from importlib.metadata import entry_points

import pytest
from support import PAIRS, each_format, optional

import runlen

np = optional("numpy")
zarr = optional("zarr")
if int(zarr.__version__.split(".")[0]) < 3:
    pytest.skip("zarr 3 API (zarr %s installed)" % zarr.__version__, allow_module_level=True)

from runlen.zarr import RunLength  # noqa: E402 - needs zarr 3


def labels(dtype, shape=(256, 384)):
    y, x = np.mgrid[:shape[0], :shape[1]]
    return ((y // 40) * 50 + (x // 30) + 300).astype(dtype)


def stored_codecs(path):
    with open(os.path.join(path, "zarr.json"), encoding="utf-8") as f:
        return json.load(f)["codecs"]


def stored_config(fmt, elementsize):
    """The configuration zarr.json holds: no "format" for pairs, as before PackBits."""
    if fmt is PAIRS:
        return {"elementsize": elementsize}
    return {"elementsize": elementsize, "format": fmt.name}


def test_entry_point_is_registered():
    names = {ep.name: ep.value for ep in entry_points(group="zarr.codecs")}
    assert names["runlen"] == "runlen.zarr:RunLength"
    from zarr.registry import get_codec_class

    assert get_codec_class("runlen") is RunLength


def test_importing_runlen_imports_no_zarr(tmp_path):
    # From an empty folder: python -c puts the current one first on sys.path, and python/
    # holds the package's sources without the compiled module.
    code = "import sys, runlen; runlen.encode(b'ab'); print(sorted(m for m in sys.modules if m.split('.')[0] in ('zarr', 'numcodecs', 'numpy')))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, cwd=tmp_path)
    assert result.stdout.strip() == "[]"


@each_format
def test_round_trip_and_metadata_of_uint16(fmt, tmp_path):
    image = labels(np.uint16)
    z = zarr.create_array(str(tmp_path), shape=image.shape, chunks=(128, 128), dtype="uint16",
                          compressors=RunLength(format=fmt.name))
    z[:] = image
    assert np.array_equal(z[:], image)
    assert stored_codecs(tmp_path)[-1] == {"name": "runlen", "configuration": stored_config(fmt, 2)}
    # The chunk is the plain encoding of the chunk's byte planes.
    with open(tmp_path / "c" / "0" / "0", "rb") as f:
        chunk = f.read()
    assert chunk == fmt.api.encode(np.ascontiguousarray(image[:128, :128]), elementsize=2)
    assert len(chunk) < 0.05 * 128 * 128 * 2


@pytest.mark.parametrize("dtype, size", [("uint8", 1), ("bool", 1), ("int16", 2), ("uint32", 4),
                                         ("uint64", 8), ("float32", 4), ("complex128", 16)])
@each_format
def test_none_takes_the_item_size(fmt, dtype, size):
    z = zarr.create_array({}, shape=(64, 64), chunks=(32, 32), dtype=dtype,
                          compressors=RunLength(format=fmt.name))
    codec = z.metadata.codecs[-1]
    assert codec == RunLength(elementsize=size, format=fmt.name)
    assert codec.to_dict() == {"name": "runlen", "configuration": stored_config(fmt, size)}
    data = (np.arange(64 * 64) // 100).reshape(64, 64).astype(dtype)
    z[:] = data
    assert np.array_equal(z[:], data)


def test_an_explicit_elementsize_is_kept():
    z = zarr.create_array({}, shape=(64,), chunks=(32,), dtype="uint32",
                          compressors=RunLength(elementsize=1))
    assert z.metadata.codecs[-1].to_dict()["configuration"] == {"elementsize": 1}
    z[:] = np.arange(64, dtype=np.uint32)
    assert np.array_equal(z[:], np.arange(64))


def test_config_round_trip():
    codec = RunLength(elementsize=4)
    assert RunLength.from_dict(codec.to_dict()) == codec
    assert RunLength.from_dict({"name": "runlen"}) == RunLength()
    assert RunLength.from_dict({"name": "runlen", "configuration": {}}) == RunLength()
    packbits = RunLength(elementsize=4, format="packbits")
    assert packbits.to_dict() == {"name": "runlen",
                                  "configuration": {"elementsize": 4, "format": "packbits"}}
    assert RunLength.from_dict(packbits.to_dict()) == packbits != codec
    # A configuration that names the default is the same codec, written without it.
    named = RunLength.from_dict({"name": "runlen", "configuration": {"format": "pairs"}})
    assert named == RunLength() and named.to_dict()["configuration"] == {"elementsize": 1}
    assert RunLength().format == "pairs"
    # Any other format is refused, as the numcodecs codec refuses it (test_numcodecs.py).
    with pytest.raises(ValueError, match="format must be 'pairs' or 'packbits', not 'PackBits'"):
        RunLength(format="PackBits")
    configuration = {"elementsize": 2, "format": None}
    with pytest.raises(ValueError, match="format must be 'pairs' or 'packbits', not None"):
        RunLength.from_dict({"name": "runlen", "configuration": configuration})




@pytest.mark.parametrize("bad", [0, 256, "2", 2.0, True])
def test_a_wrong_elementsize_is_value_error(bad):
    with pytest.raises(ValueError, match="elementsize"):
        RunLength(elementsize=bad)
    with pytest.raises(ValueError, match="elementsize"):
        RunLength.from_dict({"name": "runlen", "configuration": {"elementsize": bad}})


@each_format
def test_reopens_in_a_fresh_process_by_its_path_alone(fmt, tmp_path):
    image = labels(np.uint32)
    z = zarr.create_array(str(tmp_path), shape=image.shape, chunks=(100, 100), dtype="uint32",
                          compressors=RunLength(format=fmt.name))
    z[:] = image
    np.save(tmp_path / "expected.npy", image)
    # Nothing of runlen imported by hand: zarr finds the codec through its entry point.
    code = textwrap.dedent(f"""
        import sys, numpy as np, zarr
        z = zarr.open_array({str(tmp_path)!r}, mode="r")
        assert np.array_equal(z[:], np.load({str(tmp_path / "expected.npy")!r}))
        codec = z.metadata.codecs[-1]
        print(type(codec).__module__, codec.elementsize, codec.format)
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["runlen.zarr", "4", fmt.name]


@each_format
def test_sharded_array_round_trips(fmt, tmp_path):
    image = labels(np.uint16, (300, 400))
    z = zarr.create_array(str(tmp_path), shape=image.shape, chunks=(50, 50), shards=(100, 200),
                          dtype="uint16", compressors=RunLength(format=fmt.name))
    z[:] = image
    (sharding,) = stored_codecs(tmp_path)
    assert sharding["name"] == "sharding_indexed"
    assert sharding["configuration"]["codecs"][-1] == {"name": "runlen",
                                                       "configuration": stored_config(fmt, 2)}
    again = zarr.open_array(str(tmp_path), mode="r")
    assert np.array_equal(again[:], image)
    assert np.array_equal(again[120:250, 33:377], image[120:250, 33:377])


@each_format
def test_many_chunks_through_zarrs_threads(fmt):
    # zarr runs the async codec path on its event loop, each chunk in a worker thread.
    image = labels(np.uint16, (1024, 1024))
    z = zarr.create_array({}, shape=image.shape, chunks=(64, 64), dtype="uint16",
                          compressors=RunLength(format=fmt.name))
    z[:] = image
    assert np.array_equal(z[:], image)


@each_format
def test_a_corrupt_chunk_is_a_clear_exception(fmt, tmp_path):
    image = labels(np.uint16, (64, 64))
    z = zarr.create_array(str(tmp_path), shape=image.shape, chunks=(64, 64), dtype="uint16",
                          compressors=RunLength(format=fmt.name))
    z[:] = image
    chunk = tmp_path / "c" / "0" / "0"
    good = chunk.read_bytes()
    if fmt is PAIRS:
        cases = [
            (good[:-1], runlen.TruncatedPair, "truncated pair"),
            (good[:2] + b"\x07\x00" + good[4:], runlen.ZeroCount, "byte offset 2 has count 0"),
        ]
    else:
        assert good[-2] > 128  # the chunk ends with a run packet
        cases = [
            (good[:-1], runlen.TruncatedPacket, rf"offset {len(good) - 2} is cut off"),
            (good + b"\x05ab", runlen.TruncatedPacket, rf"offset {len(good)} is cut off"),
        ]
    cases += [
        # A valid encoding, but not the chunk's size: the last pair or run packet dropped,
        # and one byte more (a pair of count 1, a literal packet of 1).
        (good[:-2], ValueError, r"decoded to \d+ bytes, but a chunk of shape \(64, 64\) .* has 8192"),
        (good + b"\x00\x01", ValueError, "decoded data is 8193 bytes, not a multiple of elementsize 2"),
    ]
    for data, error, message in cases:
        chunk.write_bytes(data)
        reopened = zarr.open_array(str(tmp_path), mode="r")
        with pytest.raises(error, match=message):
            reopened[:]

