//! aarch64 kernels. This module is compiled only with `neon` as a compile-time target
//! feature (see `arch/mod.rs`), so NEON needs no run-time detection: every CPU the binary
//! can run on has it. Under Miri the same holds.

#[macro_use]
mod features;

pub(crate) mod neon;

use crate::Backend;

/// Whether the CPU can run an aarch64 backend's kernels: NEON's whole list is enabled at
/// compile time wherever this module is compiled (asserted); nothing else is aarch64.
pub(crate) fn detect(backend: Backend) -> bool {
    const { assert!(neon!(@compiled)) };
    matches!(backend, Backend::Neon)
}
