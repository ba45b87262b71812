#!/usr/bin/env bash
# The Python package (issues 10, 17, 18): a fresh venv, `pip install ./python` exactly as
# python/README.md says (pip fetches maturin), then pytest + hypothesis (numpy, numcodecs,
# zarr 3, and for the PackBits interop tests imagecodecs, tifffile, scikit-image and libtiff's
# tools installed, so nothing is skipped but the zarr-2-only tests), mypy --strict on the
# stubs, the wheel from `maturin build --release`, and the benchmark on small sizes. The
# manylinux wheel and the sdist are .ci/package.sh's. Run from anywhere; idempotent.
# The extension builds into the shared cargo target dir, so a second run rebuilds nothing.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/.."
root=$PWD
started=$(date +%s)
step() { printf '== python: %s (at %ss)\n' "$*" "$(($(date +%s) - started))"; }

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
venv="$CARGO_TARGET_DIR/python-venv"

if ! command -v python3 >/dev/null || ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
    apt_install python3 python3-venv
fi
need_tiff_tools

step "fresh venv, pip install ./python (builds the extension with maturin)"
rm -rf "$venv"
python3 -m venv "$venv"
py="$venv/bin/python"
"$py" -m pip install -q --disable-pip-version-check ./python
# The test and benchmark tools; numba for the tutorial's function in bench.py.
"$py" -m pip install -q --disable-pip-version-check "${PYTHON_TEST_PACKAGES[@]}" mypy numba
"$py" -c 'import runlen; print("runlen", runlen.__version__, "backend", runlen.backend())'

step "clippy and rustfmt on the extension crate (outside the cargo workspace)"
cargo fmt --manifest-path python/Cargo.toml --check
cargo clippy --manifest-path python/Cargo.toml --all-targets --locked -- -D warnings

step "pytest"
# RUNLEN_TEST_ALL=1: a missing optional dependency fails instead of skipping.
(cd python && RUNLEN_TEST_ALL=1 HYPOTHESIS_PROFILE=ci "$py" -m pytest tests -q -rs -p no:cacheprovider)

step "mypy --strict on the installed package and a typed usage of it"
# From an empty folder, so that mypy reads what was installed (stubs, py.typed).
work=$(mktemp -d)
mypy=("$py" -m mypy --strict --no-incremental --cache-dir=/dev/null)
(cd "$work" && "${mypy[@]}" -p runlen && "${mypy[@]}" "$root/python/tests/typing_usage.py")

step "maturin build --release makes an abi3 wheel with the stubs and both entry points"
"$py" -m pip install -q --disable-pip-version-check 'maturin>=1.9,<2'
rm -rf "$work/wheels"
"$venv/bin/maturin" build --release --locked -m python/Cargo.toml -o "$work/wheels" -q
wheel=$(ls "$work"/wheels/runlen-*.whl)
"$py" - "$wheel" <<'EOF'
import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
need = ["runlen/__init__.py", "runlen/_runlen.pyi", "runlen/py.typed", "runlen/numcodecs.py",
        "runlen/zarr.py", "runlen/packbits.py", "runlen/_formats.py"]
missing = [n for n in need if n not in names]
assert not missing, missing
assert any(n.startswith("runlen/_runlen.") and n.endswith(".so") for n in names), names
entry = [n for n in names if n.endswith("entry_points.txt")]
text = zipfile.ZipFile(sys.argv[1]).read(entry[0]).decode()
lines = [line.replace(" ", "") for line in text.splitlines()]
assert "[numcodecs.codecs]" in lines and "runlen=runlen.numcodecs:RunLength" in lines, text
assert "[zarr.codecs]" in lines and "runlen=runlen.zarr:RunLength" in lines, text
assert "-cp311-abi3-" in sys.argv[1], sys.argv[1]  # one wheel for every CPython >= 3.11
print("wheel", sys.argv[1].rsplit("/", 1)[1], "has", len(names), "files")
EOF
rm -rf "$work"

step "python/compare.py compiles (running it needs blosc2, imagecodecs, scikit-image: by hand)"
"$py" -m py_compile python/compare.py

step "benchmark, small sizes (python/bench.py)"
"$py" python/bench.py --sizes 1K,64K --rounds 3

step "done"
