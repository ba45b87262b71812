//! aarch64 kernels. This module is compiled only with `neon` as a compile-time target
//! feature (see `arch/mod.rs`), so NEON needs no run-time detection: every CPU the binary
//! can run on has it. Under Miri the same holds.

#[macro_use]
mod features;

pub(crate) mod neon;
pub(crate) mod packbits;

/// Whether the CPU can run the NEON backend's kernels: its whole list is enabled at compile
/// time wherever this module is compiled (asserted).
pub(crate) fn detect_neon() -> bool {
    const { assert!(neon!(@compiled)) };
    true
}
