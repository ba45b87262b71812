# Sourced by the .ci scripts: what several of them need on a fresh machine.

# apt_install PKG...: installs PKG... (callers pass only what this machine lacks), after the
# `apt-get update` a fresh machine needs; does nothing for an empty list.
apt_install() {
    (($#)) || return 0
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@"
}

# What the Python tests import (python/tests; under RUNLEN_TEST_ALL=1 a missing one fails):
# zarr 3 for its codec; imagecodecs, tifffile and scikit-image's sample images for the PackBits
# interop tests (test_packbits_interop.py), which also run libtiff's tools (need_tiff_tools).
PYTHON_TEST_PACKAGES=(pytest hypothesis numpy numcodecs 'zarr>=3' imagecodecs tifffile scikit-image)

# need_tiff_tools: libtiff's tiffcp and tiffinfo (Debian's libtiff-tools), if missing.
need_tiff_tools() {
    if ! command -v tiffcp >/dev/null || ! command -v tiffinfo >/dev/null; then
        apt_install libtiff-tools
    fi
}

# need_nightly: a nightly toolchain (cargo-fuzz and Miri run on it), minimal if installed here.
need_nightly() {
    output_matches '^nightly' rustup toolchain list ||
        rustup toolchain install nightly --profile minimal
}

# need_miri: nightly with Miri and the sources its sysroot is built from.
need_miri() {
    need_nightly
    cargo +nightly miri --version >/dev/null 2>&1 || rustup +nightly component add miri rust-src
}

# output_matches REGEX CMD...: whether a line of CMD's output (stdout and stderr) matches
# the basic regular expression REGEX. Not `CMD | grep -q`: under `set -o pipefail` that
# fails at random, because grep exits at the first match and CMD, still writing, dies of
# SIGPIPE (status 141). CMD's own status is ignored (ldd exits 1 on a static binary).
output_matches() {
    local regex=$1 out
    shift
    out=$("$@" 2>&1) || true
    grep -q -- "$regex" <<<"$out"
}
