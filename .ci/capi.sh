#!/usr/bin/env bash
# C ABI (issues 5 and 9): builds librunlen.a / librunlen.so and tests them from Rust, C
# (static, dynamic, AddressSanitizer+UBSan, valgrind), C++ and Python (ctypes); checks the
# version, the SONAME, the README's examples and capi/install.sh with pkg-config. Run from
# the repo root; idempotent; installs only what is missing. The bare-metal library is
# .ci/firmware.sh's.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

need=()
command -v gcc >/dev/null || need+=(gcc)
command -v g++ >/dev/null || need+=(g++)
command -v python3 >/dev/null || need+=(python3)
command -v valgrind >/dev/null || need+=(valgrind)
command -v nm >/dev/null || need+=(binutils)
command -v pkg-config >/dev/null || need+=(pkg-config)
apt_install "${need[@]}"

target="${CARGO_TARGET_DIR:-target}"
lib="$target/release"
out="$target/capi-tests"
mkdir -p "$out"

echo "== capi: cargo build --release -p runlen-capi"
cargo build --release -p runlen-capi
# Rust-side tests, including the header <-> code drift check (names, types, #defines, state
# types, version).
echo "== capi: cargo test --release -p runlen-capi"
cargo test --release -p runlen-capi

echo "== capi: version (runlen.h, both Cargo.toml) and SONAME"
manifest_version() { sed -n '/^\[package\]/,/^\[/s/^version = "\(.*\)"/\1/p' "$1"; }
version=$(manifest_version capi/Cargo.toml)
core_version=$(manifest_version Cargo.toml)
header_version=$(for part in MAJOR MINOR PATCH; do
    sed -n "s/^#define RUNLEN_VERSION_$part  *\([0-9][0-9]*\).*/\1/p" capi/include/runlen.h
done | paste -sd.)
if [[ -z "$version" || "$version" != "$core_version" || "$version" != "$header_version" ]]; then
    echo "versions differ: runlen-capi $version, runlen $core_version, runlen.h $header_version"
    exit 1
fi
soname=$(readelf -d "$lib/librunlen.so" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
if [[ "$soname" != "librunlen.so.${version%%.*}" ]]; then
    echo "SONAME is '$soname', want librunlen.so.${version%%.*}"
    exit 1
fi
echo "version $version everywhere; SONAME $soname"
# Programs linked in the build tree record the SONAME: the loader looks for that name.
ln -sfn librunlen.so "$lib/$soname"

echo "== capi: exported symbols == declared functions"
exported=$(nm -D --defined-only "$lib/librunlen.so" | awk '$2 == "T" && $3 ~ /^runlen_/ {print $3}' | sort)
declared=$(sed -n 's/^[a-z].*[ *]\(runlen_[a-z_]*\)(.*/\1/p' capi/include/runlen.h | sort)
if [[ "$exported" != "$declared" || -z "$declared" ]]; then
    echo "exported:"; echo "$exported"; echo "declared:"; echo "$declared"
    exit 1
fi
echo "$(echo "$declared" | wc -l) functions, all exported"

cflags=(-std=c99 -Wall -Wextra -Werror -pedantic -O1 -g -I capi/include -I capi/tests)
static_libs=("$lib/librunlen.a" -lpthread -ldl -lm)
dynamic_libs=(-L "$lib" -lrunlen "-Wl,-rpath,$(cd "$lib" && pwd)")

for t in abi_check test_capi; do
    echo "== capi: $t (static, dynamic)"
    gcc "${cflags[@]}" "capi/tests/$t.c" "${static_libs[@]}" -o "$out/$t.static"
    gcc "${cflags[@]}" "capi/tests/$t.c" "${dynamic_libs[@]}" -o "$out/$t.dynamic"
    "$out/$t.static"
    "$out/$t.dynamic"
done
if output_matches librunlen ldd "$out/test_capi.static"; then
    echo "test_capi.static is linked dynamically against librunlen"; exit 1
fi
output_matches "$soname" ldd "$out/test_capi.dynamic" ||
    { echo "test_capi.dynamic does not load $soname" >&2; exit 1; }

# ASan/UBSan instrument the C side (and intercept memcpy/memset); valgrind checks every
# access, the Rust library's included. Buffers are malloc'ed at their exact length.
echo "== capi: test_capi under AddressSanitizer + UBSan"
gcc "${cflags[@]}" -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
    capi/tests/test_capi.c "${static_libs[@]}" -o "$out/test_capi.asan"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 "$out/test_capi.asan"
echo "== capi: test_capi under valgrind"
valgrind -q --error-exitcode=99 --leak-check=full "$out/test_capi.static"

echo "== capi: C++ (extern \"C\" guard)"
cxxflags=(-std=c++11 -Wall -Wextra -Werror -pedantic -I capi/include)
g++ "${cxxflags[@]}" capi/tests/test_cxx.cpp "${dynamic_libs[@]}" -o "$out/test_cxx.dynamic"
g++ "${cxxflags[@]}" capi/tests/test_cxx.cpp "${static_libs[@]}" -o "$out/test_cxx.static"
"$out/test_cxx.dynamic"
"$out/test_cxx.static"

echo "== capi: capi/README.md quotes the C examples CI builds, in full"
for example in example stream; do
    # The ```c block that follows the line naming the file.
    awk -v name="(\`capi/examples/$example.c\`" '
        index($0, name) { armed = 1 }
        armed && /^```c$/ { inside = 1; next }
        inside && /^```$/ { exit }
        inside { print }' capi/README.md >"$out/readme-$example.c"
    diff -u "capi/examples/$example.c" "$out/readme-$example.c"
done

echo "== capi: install.sh into a temporary prefix; the examples with pkg-config only"
prefix=$(mktemp -d)
stage=$(mktemp -d)
trap 'rm -rf "$prefix" "$stage"' EXIT
capi/install.sh --prefix "$prefix"
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
for example in example stream; do
    # shellcheck disable=SC2046 # pkg-config's output is meant to be split into words
    gcc -std=c99 -Wall -Wextra -Werror "capi/examples/$example.c" \
        $(pkg-config --cflags --libs runlen) -o "$out/$example.installed"
    LD_LIBRARY_PATH="$prefix/lib" "$out/$example.installed" | tee "$out/$example.txt"
done
grep -q '^(61, 4) (62, 3) (63, 2) (ff, 2) $' "$out/example.txt"
if ! output_matches "$soname => $prefix/lib/$soname" \
    env LD_LIBRARY_PATH="$prefix/lib" ldd "$out/example.installed"; then
    LD_LIBRARY_PATH="$prefix/lib" ldd "$out/example.installed"
    exit 1
fi
# Statically: the installed archive and the system libraries runlen.pc lists as private.
# shellcheck disable=SC2046
gcc -std=c99 capi/examples/example.c $(pkg-config --cflags runlen) "$prefix/lib/librunlen.a" \
    $(pkg-config --static --libs-only-l runlen | sed 's/-lrunlen //') -o "$out/example.static"
output_matches '^(61, 4) (62, 3) (63, 2) (ff, 2) $' "$out/example.static" ||
    { echo "example.static printed the wrong pairs" >&2; exit 1; }
unset PKG_CONFIG_PATH
printf 'librunlen.a: %s bytes installed (LTO), %s from cargo build --release; librunlen.so: %s\n' \
    "$(stat -c %s "$prefix/lib/librunlen.a")" "$(stat -c %s "$lib/librunlen.a")" \
    "$(stat -c %s "$prefix/lib/librunlen.so.$version")"
printf 'example linked statically: %s bytes stripped\n' \
    "$(strip -o "$out/example.stripped" "$out/example.static" && stat -c %s "$out/example.stripped")"
# DESTDIR stages the files; runlen.pc still names the final prefix.
DESTDIR="$stage" capi/install.sh --prefix /opt/runlen --no-build >/dev/null
(cd "$stage" && find . | sort) >"$out/staged.txt"
printf '%s\n' . ./opt ./opt/runlen ./opt/runlen/include ./opt/runlen/include/runlen \
    ./opt/runlen/include/runlen/LICENSE-APACHE ./opt/runlen/include/runlen/LICENSE-MIT \
    ./opt/runlen/include/runlen/runlen.h ./opt/runlen/lib ./opt/runlen/lib/librunlen.a \
    ./opt/runlen/lib/librunlen.so "./opt/runlen/lib/$soname" \
    "./opt/runlen/lib/librunlen.so.$version" ./opt/runlen/lib/pkgconfig \
    ./opt/runlen/lib/pkgconfig/runlen.pc | sort >"$out/staged.want"
diff -u "$out/staged.want" "$out/staged.txt"
grep -qx 'prefix=/opt/runlen' "$stage/opt/runlen/lib/pkgconfig/runlen.pc"
[ "$(readlink "$stage/opt/runlen/lib/librunlen.so")" = "$soname" ]
[ "$(readlink "$stage/opt/runlen/lib/$soname")" = "librunlen.so.$version" ]
echo "DESTDIR install: the expected files and symlinks; runlen.pc names /opt/runlen"

echo "== capi: Python ctypes"
RUNLEN_LIB="$lib/librunlen.so" python3 capi/tests/test_python.py

echo "capi: all checks passed"
