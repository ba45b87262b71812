#!/usr/bin/env bash
# Distribution (issue 17): what `cargo package` ships for the core crate and a dry-run
# publish; the Python abi3 manylinux wheel (maturin + zig, offline) and the sdist; the wheel
# installed into a fresh venv whose PATH has no cargo, and the Python tests run against it.
# Run from anywhere; idempotent. Reuses the shared cargo target dir.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/.."
root=$PWD
started=$(date +%s)
step() { printf '== package: %s (at %ss)\n' "$*" "$(($(date +%s) - started))"; }

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
work="$CARGO_TARGET_DIR/package-work"
rm -rf "$work"
mkdir -p "$work"

step "cargo package --list: the library's sources, build script, README, licenses, changelog"
cargo package --list --allow-dirty >"$work/crate-files.txt"
cat "$work/crate-files.txt"
unexpected=$(grep -vE '^(src/.*\.rs|build\.rs|Cargo\.toml|Cargo\.toml\.orig|Cargo\.lock|README\.md|CHANGELOG\.md|LICENSE-APACHE|LICENSE-MIT|\.cargo_vcs_info\.json)$' "$work/crate-files.txt" || true)
if [ -n "$unexpected" ]; then
    echo "files in the crate's package that a user of the crate does not need:" >&2
    echo "$unexpected" >&2
    exit 1
fi
for need in src/lib.rs build.rs Cargo.toml README.md CHANGELOG.md LICENSE-MIT LICENSE-APACHE; do
    grep -qx "$need" "$work/crate-files.txt" || { echo "$need missing from the package" >&2; exit 1; }
done

step "cargo publish --dry-run"
cargo publish --dry-run --allow-dirty --locked

if ! command -v python3 >/dev/null || ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
    apt_install python3 python3-venv
fi

step "build tools: maturin and zig (a wheel of the package index) in a venv"
tools="$work/tools"
python3 -m venv "$tools"
"$tools/bin/pip" install -q --disable-pip-version-check 'maturin>=1.9,<2' 'ziglang<0.14'

step "the wheel: maturin build --release --zig --compatibility manylinux2014"
(PATH="$tools/bin:$PATH" maturin build --release --locked --zig --compatibility manylinux2014 \
    -m python/Cargo.toml -o "$work/dist" -q)
step "the sdist: maturin sdist"
(PATH="$tools/bin:$PATH" maturin sdist -m python/Cargo.toml -o "$work/dist")
ls -l "$work/dist"
wheel=$(ls "$work"/dist/runlen-*.whl)
sdist=$(ls "$work"/dist/runlen-*.tar.gz)

step "the wheel's tags and contents"
"$tools/bin/python" - "$wheel" "$sdist" <<'PY'
import re, sys, tarfile, zipfile
wheel, sdist = sys.argv[1:]
name = wheel.rsplit("/", 1)[1]
assert "-cp311-abi3-" in name, name
assert re.search(r"manylinux_2_(17|28)_x86_64", name), name
z = zipfile.ZipFile(wheel)
meta = z.read(next(n for n in z.namelist() if n.endswith(".dist-info/WHEEL"))).decode()
tags = [l.split(": ", 1)[1] for l in meta.splitlines() if l.startswith("Tag: ")]
assert "cp311-abi3-manylinux_2_17_x86_64" in tags, tags
metadata = z.read(next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))).decode()
assert "Requires-Python: >=3.11" in metadata, metadata[:500]
names = z.namelist()
for need in ["runlen/__init__.py", "runlen/_runlen.abi3.so", "runlen/_runlen.pyi", "runlen/py.typed",
             "runlen/numcodecs.py", "runlen/zarr.py"]:
    assert need in names, (need, names)
entry = z.read(next(n for n in names if n.endswith("entry_points.txt"))).decode().replace(" ", "")
assert "[zarr.codecs]\nrunlen=runlen.zarr:RunLength" in entry, entry
assert "[numcodecs.codecs]\nrunlen=runlen.numcodecs:RunLength" in entry, entry
members = tarfile.open(sdist).getnames()
top = members[0].split("/")[0]
for need in ["pyproject.toml", "python/Cargo.toml", "python/src/lib.rs", "runlen/zarr.py", "python/src/shuffle.rs",
             "src/lib.rs", "Cargo.toml"]:
    assert any(m.endswith("/" + need) or m == f"{top}/{need}" for m in members), (need, members[:40])
print("wheel", name, "tags", tags)
print("sdist", sdist.rsplit("/", 1)[1], len(members), "members")
PY
# The extension may use only the stable ABI, plus one symbol every CPython 3 exports:
# _PyBytes_Resize (buffers.rs), which shrinks a bytes object in place.
so="$work/so"
"$tools/bin/python" -m zipfile -e "$wheel" "$so"
command -v objdump >/dev/null || apt_install binutils
private=$(objdump -T "$so/runlen/_runlen.abi3.so" | awk '$NF ~ /^_Py/ {print $NF}' |
    grep -vxE '_PyBytes_Resize|_Py_DecRef|_Py_IncRef|_Py_NoneStruct' || true)
[ -z "$private" ] || { echo "non-stable-ABI symbols in the wheel: $private" >&2; exit 1; }
glibc=$(objdump -T "$so/runlen/_runlen.abi3.so" | grep -oE 'GLIBC_[0-9.]+' | sort -uV | tail -1)
echo "newest glibc symbol version: $glibc"
case "$glibc" in GLIBC_2.1[0-7] | GLIBC_2.[0-9] | GLIBC_2.[0-9].*) ;; *) echo "needs $glibc > 2.17" >&2; exit 1 ;; esac

step "a fresh venv without cargo on PATH: install the wheel, run the Python tests against it"
venv="$work/wheel-venv"
python3 -m venv "$venv"
nocargo="$venv/bin:/usr/local/bin:/usr/bin:/bin"
PATH="$nocargo" bash -c '! command -v cargo && ! command -v rustc' >/dev/null ||
    { echo "cargo is still on the test PATH" >&2; exit 1; }
need_tiff_tools
PATH="$nocargo" "$venv/bin/pip" install -q --disable-pip-version-check --only-binary=:all: "$wheel" \
    "${PYTHON_TEST_PACKAGES[@]}"
(cd python && PATH="$nocargo" RUNLEN_TEST_ALL=1 HYPOTHESIS_PROFILE=ci \
    "$venv/bin/python" -m pytest tests -q -rs -p no:cacheprovider)

step "the sdist builds a wheel with cargo (pip wheel)"
"$tools/bin/pip" wheel -q --disable-pip-version-check --no-deps "$sdist" -w "$work/from-sdist"
ls "$work/from-sdist"
ls "$work"/from-sdist/runlen-0.1.0-cp311-abi3-*.whl >/dev/null

step "done"
