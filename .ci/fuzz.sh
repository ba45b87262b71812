#!/usr/bin/env bash
# Builds and runs every cargo-fuzz target for a bounded time with AddressSanitizer (the
# cargo-fuzz default) on nightly; fails on any crash, leak or timeout, and prints libFuzzer's
# final stats (executions, coverage) per target.
#
# The committed seeds in fuzz/seeds/<target> are read-only inputs; new corpus entries go
# to a scratch dir, fuzz/corpus/<target> (git-ignored), listed first so libFuzzer writes
# there. Crash reproducers land in fuzz/artifacts/<target>/.
#
# Env: FUZZ_SECONDS (per target, default 30: six targets in three minutes), FUZZ_TARGETS (default: all), FUZZ_JOBS.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/.."

seconds="${FUZZ_SECONDS:-30}"

need_nightly
if ! cargo fuzz --version >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked
fi

read -r -a targets <<<"${FUZZ_TARGETS:-$(cargo +nightly fuzz list | tr '\n' ' ')}"

# One build for all targets, so the timed runs below measure fuzzing only.
cargo +nightly fuzz build

summary=()
for t in "${targets[@]}"; do
    mkdir -p "fuzz/corpus/$t"
    log="fuzz/target/fuzz-$t.log"
    echo "=== fuzzing $t for ${seconds}s"
    # -max_len: the seeds are at most ~600 bytes; 4 KiB inputs cover every block size
    # while keeping executions fast. Leak detection stays on (the crate never allocates,
    # the targets free everything).
    set +e
    cargo +nightly fuzz run "$t" "fuzz/corpus/$t" "fuzz/seeds/$t" -- \
        -max_total_time="$seconds" -max_len=4096 -print_final_stats=1 \
        -timeout=10 -rss_limit_mb=2048 >"$log" 2>&1
    status=$?
    set -e
    grep -E '^#[0-9]+[[:space:]]+(INITED|DONE)' "$log" || true
    if [ "$status" -ne 0 ]; then
        echo "=== $t FAILED (exit $status); the reproducer is in fuzz/artifacts/$t/." >&2
        echo "=== last lines of $log:" >&2
        tail -n 80 "$log" >&2
        exit 1
    fi
    execs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' || echo '?')
    done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -n1 || true)
    cov=$(grep -Eo 'cov: [0-9]+' <<<"$done_line" | grep -Eo '[0-9]+' || echo '?')
    ft=$(grep -Eo 'ft: [0-9]+' <<<"$done_line" | grep -Eo '[0-9]+' || echo '?')
    corp=$(grep -Eo 'corp: [0-9]+/[0-9a-zA-Z]+' <<<"$done_line" | cut -d' ' -f2 || echo '?')
    summary+=("$t: ${execs} execs in ${seconds}s, cov ${cov} edges, ft ${ft} features, corpus ${corp}")
    grep -E '^stat::' "$log" || true
done
echo "=== fuzz summary"
printf '%s\n' "${summary[@]}"
