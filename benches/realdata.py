#!/usr/bin/env python3
"""Extracts the image corpora of the benchmarks and the demo into raw bytes.

The images are the sample data that the scikit-image wheel ships (photographs, a scanned
page, a rendered logo, a binary mask): the wheel is fetched with pip (or given with
--wheel), opened as a zip file, and each image is decoded with Pillow into its raw pixel
bytes, row-major, as an image pipeline would hand them to an encoder. Writes NAME.raw and
index.tsv (name, file, description) under --out, default target/realdata, where
runlen_support::realdata looks for them. Needs Pillow; an image missing from the wheel
is skipped with a note.

    python3 benches/realdata.py [--out DIR] [--wheel FILE]
"""

import argparse
import glob
import io
import os
import subprocess
import sys
import zipfile

# name, file in the wheel's skimage/data, Pillow mode (or "mask"), what it is
IMAGES = [
    ("photo-astronaut", "astronaut.png", "RGB", "colour photograph, RGB"),
    ("photo-camera", "camera.png", "L", "greyscale photograph"),
    ("photo-coins", "coins.png", "L", "greyscale photograph of coins on a plain ground"),
    ("scan-page", "page.png", "L", "scanned page of text, greyscale"),
    ("graphic-logo", "logo.png", "RGBA", "rendered logo, flat colours and alpha (screenshot-like)"),
    ("mask-horse", "horse.png", "mask", "binary silhouette mask, one byte 0/1 a pixel"),
]


def wheel_path(out: str, given: str | None) -> str:
    if given:
        return given
    cache = os.path.join(out, "wheel")
    found = glob.glob(os.path.join(cache, "scikit_image-*.whl"))
    if not found:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
             "--only-binary=:all:", "-d", cache, "scikit-image"],
            check=True,
        )
        found = glob.glob(os.path.join(cache, "scikit_image-*.whl"))
    if not found:
        sys.exit("realdata.py: pip fetched no scikit-image wheel")
    return sorted(found)[-1]


def raw_pixels(data: bytes, mode: str) -> tuple[bytes, str]:
    from PIL import Image

    img = Image.open(io.BytesIO(data))
    if mode == "mask":
        grey = img.convert("L")
        return bytes(1 if p < 128 else 0 for p in grey.tobytes()), f"{grey.width}x{grey.height}"
    img = img.convert(mode)
    return img.tobytes(), f"{img.width}x{img.height} {mode}"


def main() -> None:
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(here, "..", "target", "realdata"))
    parser.add_argument("--wheel", help="a scikit-image wheel already on disk")
    args = parser.parse_args()
    try:
        import PIL  # noqa: F401
    except ImportError:
        sys.exit("realdata.py: needs Pillow (python3 -m pip install pillow, in a venv)")
    os.makedirs(args.out, exist_ok=True)
    wheel = wheel_path(args.out, args.wheel)
    rows = []
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        for name, member, mode, what in IMAGES:
            path = f"skimage/data/{member}"
            if path not in names:
                print(f"realdata.py: skipped {name}: no {path} in {os.path.basename(wheel)}")
                continue
            raw, shape = raw_pixels(z.read(path), mode)
            with open(os.path.join(args.out, f"{name}.raw"), "wb") as f:
                f.write(raw)
            rows.append(f"{name}\t{name}.raw\t{what}, {shape} ({member} of scikit-image)\n")
            print(f"realdata.py: {name}: {len(raw)} bytes ({shape})")
    with open(os.path.join(args.out, "index.tsv"), "w") as f:
        f.writelines(rows)


if __name__ == "__main__":
    main()
