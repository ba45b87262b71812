"""PackBits between runlen and two other implementations, both ways: imagecodecs
(``packbits_encode`` / ``packbits_decode``) and libtiff (``tiffcp``, ``tiffinfo``), on real
images that scikit-image ships (a photograph, a scanned page, a mask, an RGB photograph).

TIFF packs each row separately (compression 32773), so runlen writes a strip as the
concatenation of its rows' encodings, and decodes libtiff's strips whole. Skipped without
imagecodecs, tifffile, scikit-image or libtiff's tools (Debian: libtiff-tools), except in
CI (RUNLEN_TEST_ALL=1), which installs them all.
"""

import re
import subprocess

import pytest
from hypothesis import given
from support import data_strategy, optional, tool

import runlen
from runlen import packbits

np = optional("numpy")
imagecodecs = optional("imagecodecs")
tifffile = optional("tifffile")

IMAGES = ["camera", "page", "horse", "astronaut"]


def load(name):
    """A sample image of scikit-image (shipped in its wheel: no download), as uint8."""
    data = optional("skimage.data")
    image = getattr(data, name)()
    if image.dtype == bool:  # the horse: a mask, 0 or 255
        image = image.astype(np.uint8) * 255
    return np.ascontiguousarray(image, dtype=np.uint8)


def rows(image):
    """The image's rows as bytes (all samples of a pixel together, as TIFF stores them)."""
    return [row.tobytes() for row in image.reshape(image.shape[0], -1)]


def photometric(image):
    return "rgb" if image.ndim == 3 else "minisblack"


@pytest.mark.parametrize("name", IMAGES)
def test_runlen_decodes_imagecodecs(name):
    image = load(name)
    # Row by row (imagecodecs packs the last axis of an array separately, as TIFF does)
    # and the whole image as one stream.
    by_rows = imagecodecs.packbits_encode(image.reshape(image.shape[0], -1))
    assert packbits.decode(by_rows) == image.tobytes()
    whole = imagecodecs.packbits_encode(image.tobytes())
    assert packbits.decoded_len(whole) == image.nbytes
    assert packbits.decode(whole) == image.tobytes()
    out = np.empty_like(image)
    assert packbits.decode_into(whole, out) == image.nbytes and np.array_equal(out, image)


@pytest.mark.parametrize("name", IMAGES)
def test_imagecodecs_decodes_runlen(name):
    image = load(name)
    by_rows = b"".join(packbits.encode(row) for row in rows(image))
    assert imagecodecs.packbits_decode(by_rows) == image.tobytes()
    whole = packbits.encode(image)
    assert imagecodecs.packbits_decode(whole) == image.tobytes()
    assert len(whole) <= packbits.max_encoded_len(image.nbytes)


@given(data_strategy())
def test_imagecodecs_both_ways_on_any_bytes(data):
    assert packbits.decode(imagecodecs.packbits_encode(data)) == data
    assert imagecodecs.packbits_decode(packbits.encode(data)) == data


def strips(page, fh):
    """The raw (still encoded) bytes of each strip of a tifffile page."""
    for offset, count in zip(page.dataoffsets, page.databytecounts):
        fh.seek(offset)
        yield fh.read(count)


@pytest.mark.parametrize("rowsperstrip", [None, 7])
@pytest.mark.parametrize("name", IMAGES)
def test_runlen_decodes_libtiffs_strips(name, rowsperstrip, tmp_path):
    tiffcp = tool("tiffcp", "libtiff-tools")
    image = load(name)
    plain, packed = tmp_path / "plain.tif", tmp_path / "packbits.tif"
    tifffile.imwrite(plain, image, photometric=photometric(image))
    rows_option = [] if rowsperstrip is None else ["-r", str(rowsperstrip)]
    subprocess.run([tiffcp, "-c", "packbits", *rows_option, str(plain), str(packed)],
                   check=True, capture_output=True)
    with tifffile.TiffFile(packed) as tif:
        page = tif.pages[0]
        assert page.compression == 32773
        assert len(page.dataoffsets) > 1 and (rowsperstrip is None or page.rowsperstrip == 7)
        row_bytes = image.nbytes // image.shape[0]
        decoded = []
        for index, raw in enumerate(strips(page, tif.filehandle)):
            strip = packbits.decode(raw)
            first = index * page.rowsperstrip
            assert strip == image[first:first + page.rowsperstrip].tobytes()
            assert len(strip) % row_bytes == 0
            decoded.append(strip)
    assert b"".join(decoded) == image.tobytes()


def tiffinfo_strips(tiffinfo, path):
    """The decoded strips as libtiff reads them: ``tiffinfo -D -d`` prints each in hex."""
    result = subprocess.run([tiffinfo, "-D", "-d", str(path)], check=True, capture_output=True,
                            text=True)
    assert result.stderr == "", result.stderr  # no warning or error from the decoder
    decoded = []
    # "Strip N:", then lines of hex bytes, a row's last line shorter or followed by an empty one.
    for part in re.split(r"^Strip \d+:\n", result.stdout, flags=re.M)[1:]:
        lines = []
        for line in part.splitlines():
            if line and not re.fullmatch(r"( [0-9a-f]{2})+", line):
                break
            lines.append(line)
        decoded.append(bytes.fromhex("".join(lines)))
    return decoded


@pytest.mark.parametrize("name", IMAGES)
def test_libtiff_and_tifffile_read_runlens_strips(name, tmp_path):
    tiffcp, tiffinfo = tool("tiffcp", "libtiff-tools"), tool("tiffinfo", "libtiff-tools")
    image = load(name)
    rowsperstrip = 16
    lines = rows(image)
    encoded = [b"".join(packbits.encode(row) for row in lines[i:i + rowsperstrip])
               for i in range(0, len(lines), rowsperstrip)]
    ours = tmp_path / "runlen.tif"
    # The strips go in as they are: tifffile writes the tags and offsets around them.
    tifffile.imwrite(ours, iter(encoded), shape=image.shape, dtype=image.dtype,
                     photometric=photometric(image), compression="packbits",
                     rowsperstrip=rowsperstrip)
    with tifffile.TiffFile(ours) as tif:
        assert tif.pages[0].compression == 32773
        assert list(strips(tif.pages[0], tif.filehandle)) == encoded
    # tifffile decodes with imagecodecs.
    assert np.array_equal(tifffile.imread(ours), image)
    # libtiff: decompressed by tiffcp, and decoded strip by strip by tiffinfo.
    plain = tmp_path / "plain.tif"
    subprocess.run([tiffcp, "-c", "none", str(ours), str(plain)], check=True,
                   capture_output=True)
    assert np.array_equal(tifffile.imread(plain), image)
    assert b"".join(tiffinfo_strips(tiffinfo, ours)) == image.tobytes()
    # What libtiff writes for the same image is a valid encoding too, and its size is
    # about runlen's (both PackBits of the same rows).
    relibtiffed = tmp_path / "libtiff.tif"
    subprocess.run([tiffcp, "-c", "packbits", "-r", str(rowsperstrip), str(plain),
                    str(relibtiffed)], check=True, capture_output=True)
    with tifffile.TiffFile(relibtiffed) as tif:
        theirs = list(strips(tif.pages[0], tif.filehandle))
    assert [packbits.decode(s) for s in theirs] == [packbits.decode(s) for s in encoded]
    assert sum(map(len, encoded)) <= 1.01 * sum(map(len, theirs))


def test_a_cut_strip_is_truncated_packet_for_runlen_and_an_error_for_libtiff(tmp_path):
    tiffinfo = tool("tiffinfo", "libtiff-tools")
    image = load("page")
    encoded = b"".join(packbits.encode(row) for row in rows(image))
    header = 0  # the first packet past the middle: its header alone stays
    while header < len(encoded) // 2:
        header += encoded[header] + 2 if encoded[header] < 128 else 2
    cut = header + 1
    with pytest.raises(runlen.TruncatedPacket) as caught:
        packbits.decode(encoded[:cut])
    assert caught.value.offset == header
    path = tmp_path / "cut.tif"
    tifffile.imwrite(path, iter([encoded[:cut]]), shape=image.shape, dtype=image.dtype,
                     photometric="minisblack", compression="packbits",
                     rowsperstrip=image.shape[0])
    result = subprocess.run([tiffinfo, "-D", str(path)], capture_output=True, text=True)
    assert result.returncode != 0 and "PackBitsDecode: Not enough data" in result.stderr
