//! x86_64 kernels and their run-time detection.
//!
//! Detection uses `cpuid` and `xgetbv` directly, so it works without `std`. Its result is
//! cached in one atomic byte with plain loads and stores: racing first callers all compute
//! and store the same value, so no compare-and-swap is needed.

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

/// Miri cannot run `cpuid`: trust the features the build was compiled with, so that
/// `RUSTFLAGS=-Ctarget-feature=+avx2,+bmi1,+bmi2,+popcnt cargo miri test` exercises the
/// AVX2 kernel. All of the kernel's features are required, as on hardware: Miri rejects a
/// call to a function whose target features the build lacks.
#[cfg(miri)]
#[cold]
fn detect() -> u8 {
    let mut found = 0;
    if cfg!(all(
        target_feature = "avx2",
        target_feature = "bmi1",
        target_feature = "bmi2",
        target_feature = "popcnt"
    )) {
        found |= AVX2;
    }
    if cfg!(all(
        target_feature = "avx512f",
        target_feature = "avx512bw",
        target_feature = "avx512vl",
        target_feature = "avx512vbmi2",
        target_feature = "bmi1",
        target_feature = "bmi2",
        target_feature = "popcnt"
    )) {
        found |= AVX512;
    }
    found
}

/// Tests a bit of a `cpuid` register.
#[cfg(not(miri))]
#[inline(always)]
fn bit(reg: u32, n: u32) -> bool {
    reg & (1 << n) != 0
}

/// Reads the kernels the CPU has and the OS has enabled the register state for.
///
/// Every feature a kernel's `#[target_feature]` list enables is checked, including those
/// the compiler derives from it (`avx2` implies `avx` and the SSE levels below it;
/// `avx512f` implies `avx2`, `fma` and `f16c`).
#[cfg(not(miri))]
#[cold]
fn detect() -> u8 {
    use core::arch::x86_64::{__cpuid, __cpuid_count};

    // `__cpuid` is an unsafe function in older Rust releases (the minimum supported one
    // among them) and a safe one in newer ones; the block serves both. Leaf 0 gives the
    // highest standard leaf: leaf 7 must not be read past it (Intel then returns another
    // leaf's data).
    // SAFETY: `cpuid` exists on every x86_64 CPU and only reads identification
    // registers; leaf 7 is read only once leaf 0 says it exists.
    #[allow(unused_unsafe)]
    let (leaf1, leaf7) = unsafe {
        if __cpuid(0).eax < 7 {
            return 0;
        }
        (__cpuid(1), __cpuid_count(7, 0))
    };
    let (ecx1, ebx7, ecx7) = (leaf1.ecx, leaf7.ebx, leaf7.ecx);

    let sse_levels = bit(ecx1, 0) && bit(ecx1, 9) && bit(ecx1, 19) && bit(ecx1, 20);
    let popcnt = bit(ecx1, 23);
    let osxsave = bit(ecx1, 27);
    let avx = bit(ecx1, 28);
    let fma = bit(ecx1, 12);
    let f16c = bit(ecx1, 29);
    let bmi1 = bit(ebx7, 3);
    let avx2 = bit(ebx7, 5);
    let bmi2 = bit(ebx7, 8);
    let avx512f = bit(ebx7, 16);
    let avx512bw = bit(ebx7, 30);
    let avx512vl = bit(ebx7, 31);
    let avx512vbmi2 = bit(ecx7, 6);

    // xgetbv faults unless the OS has set CR4.OSXSAVE, which cpuid reports as OSXSAVE.
    if !osxsave {
        return 0;
    }
    // SAFETY: OSXSAVE is set, so the CPU has XSAVE and the OS has enabled xgetbv.
    let xcr0 = unsafe { xgetbv0() };
    // XMM and YMM state (bits 1, 2); then opmask, ZMM0-15 upper halves, ZMM16-31 (5, 6, 7).
    let os_avx = xcr0 & 0b110 == 0b110;
    let os_avx512 = os_avx && xcr0 & 0b1110_0000 == 0b1110_0000;

    let mut found = 0;
    let avx2_set = sse_levels && popcnt && avx && avx2 && bmi1 && bmi2;
    if os_avx && avx2_set {
        found |= AVX2;
    }
    if os_avx512 && avx2_set && fma && f16c && avx512f && avx512bw && avx512vl && avx512vbmi2 {
        found |= AVX512;
    }
    found
}

/// Extended control register 0: which register state the OS saves and restores.
///
/// # Safety
/// The CPU supports XSAVE and the OS has enabled it (cpuid leaf 1, ECX bit 27, OSXSAVE).
#[cfg(not(miri))]
#[target_feature(enable = "xsave")]
unsafe fn xgetbv0() -> u64 {
    // SAFETY: forwarded from the caller; `xgetbv` with ECX = 0 reads XCR0.
    unsafe { core::arch::x86_64::_xgetbv(0) }
}
