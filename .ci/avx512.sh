#!/usr/bin/env bash
# Executes the AVX-512 kernel although neither this machine nor CI has AVX-512:
#   miri   its unit tests (src/arch/x86_64/avx512/) under Miri with the AVX-512 target
#          features compiled in; Miri lacks vpcompressb, vpexpandb and vpermb, so those
#          are replaced there by their reference definitions (arch/x86_64/avx512/mod.rs);
#          everything else runs as shipped
#   bochs  the shipped kernels (the pairs' encoder and decoder, PackBits' encoder),
#          vpcompressb included, inside the Bochs CPU emulator (bochscpu-python from
#          PyPI, a Tiger Lake model), ~35k differential runs against byte-at-a-time
#          references, with unmapped pages around input and output
# Usage: .ci/avx512.sh [bochs] [miri]   (default: both; AVX512_QUICK=1 for fewer cases)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/.."

jobs=("$@")
if [ ${#jobs[@]} -eq 0 ]; then jobs=(bochs miri); fi

for job in "${jobs[@]}"; do
    start=$(date +%s)
    case "$job" in
    bochs)
        dir=target/avx512-bochs
        mkdir -p "$dir"
        if ! command -v gcc >/dev/null || ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
            apt_install gcc python3-venv
        fi
        [ -x "$dir/venv/bin/python" ] || python3 -m venv "$dir/venv"
        "$dir/venv/bin/python" -c 'import importlib.util, sys; sys.exit(importlib.util.find_spec("bochscpu") is None)' 2>/dev/null \
            || "$dir/venv/bin/pip" install -q 'bochscpu-python==0.4.0'
        so=$(ls "$dir"/venv/lib/python3*/site-packages/bochscpu/_bochscpu*.so)
        python3 .ci/avx512-bochs/patch_bochs.py "$so"
        gcc -shared -fPIC -O2 -o "$dir/libisoc23.so" .ci/avx512-bochs/isoc23.c
        # With `--target`, RUSTFLAGS (the bare-metal link flags) apply to the harness and
        # runlen, not to runlen's build script, which runs on the host as usual.
        target=x86_64-unknown-linux-gnu
        RUSTFLAGS="-C relocation-model=static -C link-arg=-nostartfiles \
-C link-arg=-nostdlib -C link-arg=-static -C link-arg=-Wl,-e,harness_entry \
-C link-arg=-Wl,--build-id=none" \
            cargo build --release --manifest-path .ci/avx512-bochs/Cargo.toml --target "$target" \
            --target-dir "$dir/cargo"
        LD_PRELOAD="$PWD/$dir/libisoc23.so" "$dir/venv/bin/python" .ci/avx512-bochs/run.py \
            "$dir/cargo/$target/release/runlen-avx512-bochs" ${AVX512_QUICK:+quick}
        ;;
    miri)
        need_miri
        cargo +nightly miri setup
        # The AVX-512 instance of the kernel-contract harness, but its pairs decoder: Miri
        # has no `vpcompressb` (the decoder's short-run paths), so that kernel runs natively
        # in the test suite and in Bochs above.
        RUSTFLAGS="-Ctarget-feature=+avx512f,+avx512bw,+avx512vl,+avx512vbmi,+avx512vbmi2,+bmi1,+bmi2,+popcnt" \
            cargo +nightly miri test --target-dir target/miri-avx512 --lib -- avx512 \
            --skip contract::avx512::pairs_expand
        ;;
    *)
        echo "avx512.sh: unknown job '$job'" >&2
        exit 2
        ;;
    esac
    echo "=== avx512 $job passed in $(($(date +%s) - start))s"
done
