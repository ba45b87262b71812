//! x86_64 kernels and their run-time detection.
//!
//! Detection uses `cpuid` and `xgetbv` directly, so it works without `std`; what it checks
//! for each backend is that backend's feature list (`features.rs`). Dispatch
//! (`crate::backend`) caches its answers.

#[macro_use]
mod features;

pub(crate) mod avx2;
pub(crate) mod avx512;
pub(crate) mod packbits;
pub(crate) mod sse2;

/// Whether the CPU and OS can run `$backend`'s kernels: the build enables all of its
/// features (the only check under Miri, which cannot run `cpuid`), or `cpuid` and XCR0
/// report them all.
macro_rules! detect {
    ($backend:ident) => {{
        const { assert!(features::known(&$backend!(@list)), "a feature detection lacks") };
        $backend!(@compiled) || features::detected(&$backend!(@list))
    }};
}

/// Whether the CPU and OS can run the SSE2 backend's kernels. Uncached: dispatch calls
/// each of these once.
#[cold]
pub(crate) fn detect_sse2() -> bool {
    detect!(sse2)
}

/// Whether the CPU and OS can run the AVX2 backend's kernels.
#[cold]
pub(crate) fn detect_avx2() -> bool {
    detect!(avx2)
}

/// Whether the CPU and OS can run the AVX-512 backend's kernels.
#[cold]
pub(crate) fn detect_avx512() -> bool {
    detect!(avx512)
}
