#!/usr/bin/env bash
# aarch64 CI: lints the NEON kernel (host clippy never compiles it), runs the whole test
# suite under qemu-aarch64 (NEON is baseline there, so every test covers Backend::Neon),
# and checks that the soft-float target builds without the NEON module and without warnings.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never
started=$(date +%s)
trap 'echo "aarch64.sh: $(($(date +%s) - started))s"' EXIT

need_apt=()
command -v qemu-aarch64 >/dev/null || need_apt+=(qemu-user)
command -v aarch64-linux-gnu-gcc >/dev/null || need_apt+=(gcc-aarch64-linux-gnu)
[ -e /usr/aarch64-linux-gnu/lib/libc.so.6 ] || need_apt+=(libc6-dev-arm64-cross)
command -v aarch64-linux-gnu-objdump >/dev/null || need_apt+=(binutils-aarch64-linux-gnu)
apt_install "${need_apt[@]}"
rustup target add aarch64-unknown-linux-gnu aarch64-unknown-none-softfloat
rustup component add clippy

export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc
export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_RUNNER="qemu-aarch64 -L /usr/aarch64-linux-gnu"
target=aarch64-unknown-linux-gnu

echo "--- clippy for $target (the NEON kernel)"
cargo clippy --all-targets --target "$target" -- -D warnings

echo "--- whole test suite for $target under qemu (debug: overflow checks and debug_asserts on)"
cargo test --target "$target"

echo "--- NEON and differential tests, the crate optimized (checks still on)"
# Optimizes only this crate: no release rebuild of the dev-dependencies.
cargo test --config 'profile.dev.package.runlen.opt-level=3' --target "$target" \
  --test aarch64 --test differential --test packbits --test packbits_stream

echo "--- $target without the simd feature: Scalar only"
RUSTFLAGS="-D warnings" cargo build --lib --target "$target" --no-default-features

echo "--- aarch64-unknown-none-softfloat: no NEON module, no warning, no vector register"
# The default features last: their library is the one disassembled below.
for features in "--no-default-features" ""; do
  # shellcheck disable=SC2086 # an empty $features must vanish
  RUSTFLAGS="-D warnings" cargo build --release --lib --target aarch64-unknown-none-softfloat $features
done
aarch64-linux-gnu-objdump -d target/aarch64-unknown-none-softfloat/release/librunlen.rlib \
  >target/aarch64-softfloat.asm
grep -q 'encode' target/aarch64-softfloat.asm || {
  echo "objdump found no encoder code" >&2
  exit 1
}
# SIMD/FP registers appear as v0-v31 (vector arrangement), q/d/s/h/b0-31 (scalar views).
if grep -E '\s(v[0-9]+\.|[qdshb][0-9]+(,|$))' target/aarch64-softfloat.asm; then
  echo "SIMD/FP registers in the aarch64-unknown-none-softfloat build" >&2
  exit 1
fi
echo "aarch64-unknown-none-softfloat: no SIMD/FP register in the object code"
