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
    rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
}
