# Sourced by the .ci scripts: what several of them need on a fresh machine.

# apt_install PKG...: installs PKG... (callers pass only what this machine lacks), after the
# `apt-get update` a fresh machine needs; does nothing for an empty list.
apt_install() {
    (($#)) || return 0
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@"
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
