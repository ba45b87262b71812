#!/usr/bin/env bash
# C ABI (issue 5): builds librunlen.a / librunlen.so and tests them from Rust, C (static,
# dynamic, AddressSanitizer+UBSan, valgrind), C++ and Python (ctypes). Run from the repo
# root; idempotent; installs only what is missing.
set -euo pipefail

need=()
command -v gcc >/dev/null || need+=(gcc)
command -v g++ >/dev/null || need+=(g++)
command -v python3 >/dev/null || need+=(python3)
command -v valgrind >/dev/null || need+=(valgrind)
command -v nm >/dev/null || need+=(binutils)
if ((${#need[@]})); then
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need[@]}"
fi

target="${CARGO_TARGET_DIR:-target}"
lib="$target/release"
out="$target/capi-tests"
mkdir -p "$out"

echo "== capi: cargo build --release -p runlen-capi"
cargo build --release -p runlen-capi
# Rust-side tests, including the header <-> code drift check (names, types, #defines).
echo "== capi: cargo test --release -p runlen-capi"
cargo test --release -p runlen-capi

echo "== capi: exported symbols == declared functions"
exported=$(nm -D --defined-only "$lib/librunlen.so" | awk '$2 == "T" && $3 ~ /^runlen_/ {print $3}' | sort)
declared=$(sed -n 's/^[a-z].*[ *]\(runlen_[a-z_]*\)(.*/\1/p' capi/include/runlen.h | sort)
if [[ "$exported" != "$declared" || -z "$declared" ]]; then
    echo "exported:"; echo "$exported"; echo "declared:"; echo "$declared"
    exit 1
fi
echo "$(echo "$declared" | wc -l) functions, all exported"

cflags=(-std=c99 -Wall -Wextra -Werror -pedantic -O1 -g -I capi/include)
static_libs=("$lib/librunlen.a" -lpthread -ldl -lm)
dynamic_libs=(-L "$lib" -lrunlen "-Wl,-rpath,$(cd "$lib" && pwd)")

for t in abi_check test_capi; do
    echo "== capi: $t (static, dynamic)"
    gcc "${cflags[@]}" "capi/tests/$t.c" "${static_libs[@]}" -o "$out/$t.static"
    gcc "${cflags[@]}" "capi/tests/$t.c" "${dynamic_libs[@]}" -o "$out/$t.dynamic"
    "$out/$t.static"
    "$out/$t.dynamic"
done
if ldd "$out/test_capi.static" | grep -q librunlen; then
    echo "test_capi.static is linked dynamically against librunlen"; exit 1
fi
ldd "$out/test_capi.dynamic" | grep -q librunlen.so

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

echo "== capi: README example"
gcc "${cflags[@]}" capi/examples/example.c "${dynamic_libs[@]}" -o "$out/example"
"$out/example" | tee "$out/example.txt"
grep -q '^(61, 4) (62, 3) (63, 2) (ff, 2) $' "$out/example.txt"

echo "== capi: Python ctypes"
RUNLEN_LIB="$lib/librunlen.so" python3 capi/tests/test_python.py

echo "capi: all checks passed"
