#!/usr/bin/env bash
# Miri over the library's unit tests and the integration tests (doc tests skipped: slow
# under Miri, and they repeat the integration tests). One job per instruction set; each
# job has its own target dir, so reruns rebuild only runlen, never the dev-dependencies:
#   nosimd  --no-default-features: the scalar kernel behind every entry point, including
#           the unchecked one
#   sse2    default features, plain x86_64 (SSE2 is baseline): scalar + SSE2 kernels
#   avx2    RUSTFLAGS=-Ctarget-feature=+avx2,+bmi1,+bmi2,+popcnt,+ssse3: Miri cannot run
#           cpuid, so detection falls back to these compile-time features and the AVX2
#           kernel runs (whenever it exists in src/arch/x86_64)
#   neon    --target aarch64-unknown-linux-gnu (Miri interprets it on any host): the NEON
#           kernel, as far as Miri implements its intrinsics
# Usage: .ci/miri.sh [job...]   (default: MIRI_JOBS, else "avx2 nosimd", which fits the CI
# budget; `.ci/miri.sh nosimd sse2 avx2 neon` runs all four). The avx2 job runs the SSE2
# kernels too (`backends()` holds every supported one, and SSE2 is baseline), so the sse2
# job adds only SSE2 as the default dispatch, which the same entry points reach.
# Test-binary arguments go in MIRI_TEST_ARGS (e.g. "--skip guards"). Every test runs by
# default: their inputs shrink under cfg(miri).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/.."

need_miri

jobs=("$@")
if [ ${#jobs[@]} -eq 0 ]; then
    # Longest first, so that two at a time finish together.
    read -r -a jobs <<<"${MIRI_JOBS:-avx2 nosimd}"
fi
read -r -a test_args <<<"${MIRI_TEST_ARGS-}"

# Miri checks for leaks and UB; -Zmiri-strict-provenance also flags int-to-pointer casts.
export MIRIFLAGS="${MIRIFLAGS:--Zmiri-strict-provenance}"

# Miri interprets one test thread at a time: on a machine with two cores, two jobs run side
# by side (MIRI_PARALLEL, default 2). Each job has its own target dir (so they never wait on
# one another's lock) and its own log, printed when it ends.
parallel="${MIRI_PARALLEL:-2}"
logs=target/miri-logs
mkdir -p "$logs"
cargo +nightly miri setup
for job in "${jobs[@]}"; do
    if [ "$job" = neon ]; then
        cargo +nightly miri setup --target aarch64-unknown-linux-gnu
    fi
done

run_job() {
    local job=$1 flags="" dir=target/miri-$1
    local cargo_args=(--lib --tests)
    case "$job" in
        nosimd) cargo_args+=(--no-default-features) ;;
        sse2) ;;
        avx2) flags="-Ctarget-feature=+avx2,+bmi1,+bmi2,+popcnt,+ssse3" ;;
        neon) cargo_args+=(--target aarch64-unknown-linux-gnu) ;;
        *) echo "miri.sh: unknown job '$job'" >&2; return 2 ;;
    esac
    echo "=== miri job $job: RUSTFLAGS='$flags' cargo miri test ${cargo_args[*]}"
    local start
    start=$(date +%s)
    RUSTFLAGS="$flags" cargo +nightly miri test --target-dir "$dir" \
        "${cargo_args[@]}" -- "${test_args[@]}"
    echo "=== miri job $job passed in $(( $(date +%s) - start ))s"
}

for job in "${jobs[@]}"; do
    while [ "$(jobs -rp | wc -l)" -ge "$parallel" ]; do
        wait -n || true
    done
    ( run_job "$job" >"$logs/$job.log" 2>&1; echo $? >"$logs/$job.status" ) &
done
wait

failed=0
for job in "${jobs[@]}"; do
    cat "$logs/$job.log"
    if [ "$(cat "$logs/$job.status")" != 0 ]; then
        echo "=== miri job $job FAILED" >&2
        failed=1
    fi
done
grep -h '^=== miri job .* passed in' "$logs"/*.log || true
exit "$failed"
