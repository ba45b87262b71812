#!/usr/bin/env bash
# Bare-metal C library (issue 9): builds the no_std librunlen.a for five bare-metal targets,
# checks that none carries std and that the code a caller of the whole C API links has no
# vector register on the soft-float targets, then builds a C test firmware for a Cortex-M4F
# with arm-none-eabi-gcc against the thumbv7em-none-eabihf librunlen.a and runs it under
# qemu-system-arm (mps2-an386), reporting through semihosting. Run from the repo root;
# idempotent; installs only what is missing.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

need=()
command -v arm-none-eabi-gcc >/dev/null || need+=(gcc-arm-none-eabi)
[ -e /usr/lib/arm-none-eabi/newlib/libc_nano.a ] || need+=(libnewlib-arm-none-eabi)
command -v qemu-system-arm >/dev/null || need+=(qemu-system-arm)
apt_install "${need[@]}"
targets=(thumbv6m-none-eabi thumbv7em-none-eabihf riscv32imac-unknown-none-elf
    aarch64-unknown-none-softfloat x86_64-unknown-none)
rustup target add "${targets[@]}"
rustup component add llvm-tools
tools="$(rustc --print sysroot)/lib/rustlib/$(rustc -vV | sed -n 's/^host: //p')/bin"

target_dir="${CARGO_TARGET_DIR:-target}"
out="$target_dir/firmware"
mkdir -p "$out"
functions=$(sed -n 's/^[a-z].*[ *]\(runlen_[a-z_]*\)(.*/\1/p' capi/include/runlen.h)
[ -n "$functions" ]

printf '%-32s %8s %8s  %s\n' target text data "(the whole C API, linked with --gc-sections)"
for t in "${targets[@]}"; do
    # rustc notes that it drops the cdylib crate type there: bare metal has no shared libs.
    cargo build --release -p runlen-capi --target "$t"
    lib="$target_dir/$t/release/librunlen.a"
    [ -f "$lib" ] || { echo "$t: no $lib" >&2; exit 1; }
    # Nothing from std: no archive member of the std crate, no symbol mangled into it.
    if "$tools/llvm-ar" t "$lib" | grep -E '^std-' ||
        "$tools/llvm-nm" "$lib" 2>/dev/null | grep -E '_ZN3std|Cs[0-9A-Za-z]+_3std'; then
        echo "$t: librunlen.a contains std" >&2
        exit 1
    fi
    # What a program calling every function of runlen.h links: the archive's members
    # reachable from those symbols. Other members (compiler_builtins' C float helpers,
    # which use SSE on x86_64-unknown-none) are never linked.
    closure="$out/closure-$t.elf"
    "$tools/rust-lld" -flavor gnu -static --gc-sections -e runlen_encode \
        $(printf -- '-u %s ' $functions) "$lib" -o "$closure"
    "$tools/llvm-objdump" -d --no-show-raw-insn "$closure" >"$closure.asm"
    for f in $functions; do
        grep -q "<$f>:" "$closure.asm" || { echo "$t: $f not linked" >&2; exit 1; }
    done
    case "$t" in
    x86_64-unknown-none) vector='%[xyz]mm[0-9]' ;;
    aarch64-unknown-none-softfloat) vector='\b[qdsbhv][0-9]{1,2}\b' ;;
    *) vector='' ;;
    esac
    if [ -n "$vector" ] && grep -E "$vector" "$closure.asm"; then
        echo "$t: vector/FP registers in the linked code of a soft-float target" >&2
        exit 1
    fi
    "$tools/llvm-size" "$closure" | awk -v t="$t" 'NR == 2 {printf "%-32s %8d %8d\n", t, $1, $2}'
done

# The firmware: built and run by exactly the lines capi/README.md gives, taken from there (the
# ```sh block after "run by exactly these"): each command runs to the first line that does
# not end in a backslash.
readme_command() {
    awk -v first="$1" '
        /run by exactly these/ { armed = 1 }
        armed && /^```sh$/ { inside = 1; next }
        inside && /^```$/ { exit }
        inside && index($0, first) == 1 { taking = 1 }
        taking { print; if ($0 !~ /\\$/) exit }' capi/README.md
}
build_line=$(readme_command arm-none-eabi-gcc)
run_line=$(readme_command qemu-system-arm)
if [ -z "$build_line" ] || [ -z "$run_line" ]; then
    echo "capi/README.md lacks the firmware's build or run line" >&2
    exit 1
fi
fw=target/firmware/runlen-test.elf
[ "$target_dir" = target ] || { echo "the README's lines use target/: unset CARGO_TARGET_DIR" >&2; exit 1; }
rm -f "$fw"
echo "$build_line"
bash -euc "$build_line"
arm-none-eabi-size "$fw"

echo "== firmware: qemu-system-arm -M mps2-an386 (Cortex-M4F), semihosting"
echo "$run_line"
status=0
timeout 300 bash -euc "$run_line" >"$out/qemu.txt" 2>&1 || status=$?
cat "$out/qemu.txt"
if [ "$status" -ne 0 ] || ! grep -qE '^firmware: [1-9][0-9]* passed, 0 failed$' "$out/qemu.txt"; then
    echo "firmware test failed (qemu exit status $status)" >&2
    exit 1
fi
# The harness can fail: the same build with -DFIRMWARE_SELF_TEST fails a check, writes past
# a buffer and faults; each must be reported and QEMU must exit with status 1.
echo "== firmware: self-test of the harness (a failed check, a write past a buffer, a fault)"
bash -euc "${build_line/ -o target\/firmware\/runlen-test.elf/ -DFIRMWARE_SELF_TEST -o target/firmware/self-test.elf}"
status=0
timeout 300 bash -euc "${run_line//runlen-test.elf/self-test.elf}" >"$out/self-test.txt" 2>&1 || status=$?
cat "$out/self-test.txt"
for want in 'FAILED at .*runlen_max_encoded_len\(1\) == 3' 'a write past the end' 'FAULT'; do
    grep -qE "$want" "$out/self-test.txt" || { echo "self-test: no '$want'" >&2; exit 1; }
done
[ "$status" -eq 1 ] || { echo "self-test: qemu exit status $status, want 1" >&2; exit 1; }
echo "firmware: all checks passed; the harness reports failures"
