#!/usr/bin/env bash
# Big-endian CI: the scalar kernel owns the word loads (`u64::from_le_bytes`), and every
# mask and shift in it assumes byte 0 is the low byte of the word. A little-endian host
# cannot catch a missing byte swap, so the scalar path runs on s390x (big-endian) under
# qemu-user. Kept cheap: only the scalar build (--no-default-features, the sole backend
# there anyway), in debug (overflow checks and debug_asserts on), and only the test
# binaries that compare against the byte-at-a-time oracle (both directions: the scalar
# decoder reads its pairs as little-endian words too).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never
started=$(date +%s)
trap 'echo "bigendian.sh: $(($(date +%s) - started))s"' EXIT

need_apt=()
command -v qemu-s390x >/dev/null || need_apt+=(qemu-user)
command -v s390x-linux-gnu-gcc >/dev/null || need_apt+=(gcc-s390x-linux-gnu)
[ -e /usr/s390x-linux-gnu/lib/libc.so.6 ] || need_apt+=(libc6-dev-s390x-cross)
apt_install "${need_apt[@]}"
target=s390x-unknown-linux-gnu
rustup target add "$target"

export CARGO_TARGET_S390X_UNKNOWN_LINUX_GNU_LINKER=s390x-linux-gnu-gcc
export CARGO_TARGET_S390X_UNKNOWN_LINUX_GNU_RUNNER="qemu-s390x -L /usr/s390x-linux-gnu"

# Fail loudly if this is not the byte order the job exists for.
output_matches '^target_endian="big"$' rustc --print cfg --target "$target" ||
    { echo "$target is not big-endian" >&2; exit 1; }

echo "--- $target (big-endian) under qemu: scalar kernel, unit and oracle tests"
cargo test --target "$target" --no-default-features \
  --test golden --test properties --test regressions --test differential --test errors \
  --test decode --test decode_stream --test packbits --test packbits_stream
