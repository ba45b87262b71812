//! x86_64 kernels and their run-time detection.
//!
//! Detection uses `cpuid` and `xgetbv` directly, so it works without `std`; what it checks
//! for each backend is that backend's feature list (`features.rs`). Dispatch
//! (`crate::backend`) caches its answers.

#[macro_use]
mod features;

pub(crate) mod avx2;
pub(crate) mod avx512;
pub(crate) mod sse2;

use crate::Backend;

/// Whether the CPU and OS can run `$backend`'s kernels: the build enables all of its
/// features (the only check under Miri, which cannot run `cpuid`), or `cpuid` and XCR0
/// report them all.
macro_rules! detect {
    ($backend:ident) => {{
        const { assert!(features::known(&$backend!(@list)), "a feature detection lacks") };
        $backend!(@compiled) || features::detected(&$backend!(@list))
    }};
}

/// Whether the CPU and OS can run an x86 backend's kernels; `false` for the other
/// architectures' backends. Uncached: dispatch calls it once per backend.
#[cold]
pub(crate) fn detect(backend: Backend) -> bool {
    match backend {
        Backend::Sse2 => detect!(sse2),
        Backend::Avx2 => detect!(avx2),
        Backend::Avx512 => detect!(avx512),
        _ => false,
    }
}
