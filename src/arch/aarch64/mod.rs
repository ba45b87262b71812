//! aarch64 kernels. This module is compiled only with `neon` as a compile-time target
//! feature (see `arch/mod.rs`), so NEON needs no run-time detection: every CPU the binary
//! can run on has it. Under Miri the same holds.

#[macro_use]
mod features;

mod neon;

use crate::Backend;
use crate::decode::Decoding;
use crate::scalar::Kernel;

/// The kernel for an aarch64 backend: NEON is baseline here (the build enables its whole
/// list, asserted below); nothing else is aarch64.
pub(crate) fn kernel(backend: Backend) -> Option<Kernel> {
    const { assert!(neon!(@compiled)) };
    match backend {
        Backend::Neon => Some(neon::encode as Kernel),
        _ => None,
    }
}

/// The decode kernels for an aarch64 backend.
pub(crate) fn decoding(backend: Backend) -> Option<Decoding> {
    match backend {
        Backend::Neon => Some(Decoding {
            expand: neon::decode::expand,
            measure: neon::decode::measure,
        }),
        _ => None,
    }
}
