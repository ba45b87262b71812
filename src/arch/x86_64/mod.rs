//! x86_64 kernels and their run-time detection.
//!
//! Detection uses `cpuid` and `xgetbv` directly, so it works without `std`. Its result is
//! cached in one atomic byte with plain loads and stores: racing first callers all compute
//! and store the same value, so no compare-and-swap is needed.

#[macro_use]
mod features;

mod avx2;
mod avx512;
mod sse2;

use core::sync::atomic::{AtomicU8, Ordering};

use crate::Backend;
use crate::decode::Decoding;
use crate::scalar::Kernel;

/// Bit of [`FEATURES`]: the AVX2 kernel can run.
const AVX2: u8 = 1;
/// Bit of [`FEATURES`]: the AVX-512 kernel can run.
const AVX512: u8 = 2;
/// Bit of [`FEATURES`]: detection has run; a zero byte means "not yet".
const KNOWN: u8 = 0x80;

/// The detected kernel set, `KNOWN` plus the bits of the kernels the CPU and OS can run.
static FEATURES: AtomicU8 = AtomicU8::new(0);

/// The kernel for an x86 backend, if the running CPU and OS support it. Cheap after the
/// first call (one relaxed atomic load): it is called per `encode_with` call and per
/// `Encoder::with_backend`.
pub(crate) fn kernel(backend: Backend) -> Option<Kernel> {
    match backend {
        // SSE2 is part of the x86_64 baseline, and this module is only compiled when the
        // target has it enabled.
        Backend::Sse2 => Some(sse2::encode as Kernel),
        Backend::Avx2 if features() & AVX2 != 0 => Some(avx2::encode as Kernel),
        Backend::Avx512 if features() & AVX512 != 0 => Some(avx512::encode as Kernel),
        _ => None,
    }
}

/// The decode kernels for an x86 backend, under the same conditions as [`kernel`].
pub(crate) fn decoding(backend: Backend) -> Option<Decoding> {
    match backend {
        Backend::Sse2 => Some(Decoding {
            expand: sse2::decode::expand,
            measure: sse2::decode::measure,
        }),
        Backend::Avx2 if features() & AVX2 != 0 => Some(Decoding {
            expand: avx2::decode::expand,
            measure: avx2::decode::measure,
        }),
        Backend::Avx512 if features() & AVX512 != 0 => Some(Decoding {
            expand: avx512::decode::expand,
            measure: avx512::decode::measure,
        }),
        _ => None,
    }
}

/// The detected kernel bits; detects on the first call only.
#[inline]
fn features() -> u8 {
    let cached = FEATURES.load(Ordering::Relaxed);
    if cached & KNOWN != 0 {
        return cached;
    }
    let detected = detect() | KNOWN;
    FEATURES.store(detected, Ordering::Relaxed);
    detected
}

/// Whether the CPU and OS can run `$backend`'s kernels: the build enables all of its
/// features (the only check under Miri, which cannot run `cpuid`), or `cpuid` and XCR0
/// report them all.
macro_rules! detect {
    ($backend:ident) => {{
        const { assert!(features::known(&$backend!(@list)), "a feature detection lacks") };
        $backend!(@compiled) || features::detected(&$backend!(@list))
    }};
}

/// Reads the kernels the CPU has and the OS has enabled the register state for.
#[cold]
fn detect() -> u8 {
    let mut found = 0;
    if detect!(avx2) {
        found |= AVX2;
    }
    if detect!(avx512) {
        found |= AVX512;
    }
    found
}
