#!/usr/bin/env bash
# Installs the C library like a system library:
#
#   capi/install.sh --prefix /usr/local            # or DESTDIR=/tmp/stage capi/install.sh ...
#
#   PREFIX/include/runlen/runlen.h                  the header, and beside it LICENSE-MIT and
#   PREFIX/include/runlen/LICENSE-{MIT,APACHE}      LICENSE-APACHE
#   LIBDIR/librunlen.a                              static library
#   LIBDIR/librunlen.so.X.Y.Z                       shared library, SONAME librunlen.so.X,
#   LIBDIR/librunlen.so.X -> librunlen.so.X.Y.Z     with the usual symlinks
#   LIBDIR/librunlen.so   -> librunlen.so.X
#   LIBDIR/pkgconfig/runlen.pc                      pkg-config --cflags --libs runlen
#
# LIBDIR is PREFIX/lib unless --libdir says otherwise. DESTDIR is prepended to every path
# written, never to the paths recorded in runlen.pc (the staged-install convention).
#
# The libraries are built first, unless --no-build is given, in a profile of their own
# ("capi": release with fat LTO and one codegen unit, into target/capi/; CARGO_TARGET_DIR is
# honoured). LTO lets the static library carry only the part of std the C functions reach:
# a program linking librunlen.a statically is about 3x smaller than with the plain
# `cargo build --release` archive, whose std objects come whole. The shared library shrinks
# a little too.
set -euo pipefail

usage() {
    echo "usage: $0 --prefix DIR [--libdir DIR] [--no-build]" >&2
    exit 2
}

prefix=""
libdir=""
build=1
while (($#)); do
    case "$1" in
    --prefix) prefix="${2:?--prefix needs a directory}"; shift 2 ;;
    --prefix=*) prefix="${1#--prefix=}"; shift ;;
    --libdir) libdir="${2:?--libdir needs a directory}"; shift 2 ;;
    --libdir=*) libdir="${1#--libdir=}"; shift ;;
    --no-build) build=0; shift ;;
    -h | --help) usage ;;
    *) echo "unknown argument: $1" >&2; usage ;;
    esac
done
[ -n "$prefix" ] || usage
case "$prefix" in /*) ;; *) echo "--prefix must be an absolute path" >&2; exit 2 ;; esac
libdir="${libdir:-$prefix/lib}"
case "$libdir" in /*) ;; *) echo "--libdir must be an absolute path" >&2; exit 2 ;; esac
destdir="${DESTDIR:-}"

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
built="${CARGO_TARGET_DIR:-$root/target}/capi"
profile=(--profile capi --config 'profile.capi.inherits="release"'
    --config 'profile.capi.lto=true' --config 'profile.capi.codegen-units=1')

# The version, from the manifest (the CI checks header, library and manifests agree).
version=$(sed -n '/^\[package\]/,/^\[/s/^version = "\(.*\)"/\1/p' capi/Cargo.toml)
major="${version%%.*}"
[ -n "$major" ] || { echo "no version in capi/Cargo.toml" >&2; exit 1; }

if ((build)); then
    # --print native-static-libs: the system libraries the static library needs, recorded in
    # runlen.pc as Libs.private. The note it prints is the only place rustc says so.
    # Cargo replays the note when the build is fresh.
    notes=$(mktemp)
    trap 'rm -f "$notes"' EXIT
    cargo rustc -p runlen-capi "${profile[@]}" -- --print native-static-libs 2>"$notes" ||
        { cat "$notes" >&2; exit 1; }
    mkdir -p "$built"
    sed -n 's/.*native-static-libs: //p' "$notes" | tail -n 1 >"$built/native-static-libs.txt"
fi
native=$(cat "$built/native-static-libs.txt" 2>/dev/null || true)
for f in librunlen.a librunlen.so; do
    [ -f "$built/$f" ] || { echo "$built/$f missing: build first" >&2; exit 1; }
done

includedir="$prefix/include/runlen"
install -d "$destdir$includedir" "$destdir$libdir/pkgconfig"
install -m 644 capi/include/runlen.h LICENSE-MIT LICENSE-APACHE "$destdir$includedir/"
install -m 644 "$built/librunlen.a" "$destdir$libdir/librunlen.a"
install -m 755 "$built/librunlen.so" "$destdir$libdir/librunlen.so.$version"
ln -sfn "librunlen.so.$version" "$destdir$libdir/librunlen.so.$major"
ln -sfn "librunlen.so.$major" "$destdir$libdir/librunlen.so"
# Paths under the prefix are recorded relative to it, so that
# `pkg-config --define-prefix` / `--define-variable=prefix=...` can relocate the tree.
pc_libdir="$libdir"
case "$libdir" in "$prefix"/*) pc_libdir="\${prefix}${libdir#"$prefix"}" ;; esac
cat >"$destdir$libdir/pkgconfig/runlen.pc" <<PC
prefix=$prefix
libdir=$pc_libdir
includedir=\${prefix}/include/runlen

Name: runlen
Description: Run-length encoding of bytes into (value, count) pairs, SIMD with run-time detection
Version: $version
Cflags: -I\${includedir}
Libs: -L\${libdir} -lrunlen
Libs.private: $native
PC
chmod 644 "$destdir$libdir/pkgconfig/runlen.pc"
echo "installed runlen $version into $destdir$prefix (libdir $destdir$libdir)"
