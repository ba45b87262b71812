//! PackBits kernels for x86_64: SSE2 (16-byte vectors), AVX2 (32) and AVX-512 (64). The
//! encoder's scan compares each vector of bytes with the same vector loaded one and two
//! bytes later (`x[k] == x[k + 1] == x[k + 2]`: a run of three starts at `k`), turns the
//! result into a bit mask and takes its lowest bit; runs are measured against a splat of
//! their value. The decoder is the shared driver, compiled with each backend's features.

use core::arch::x86_64::*;

use super::Kernels;
use super::decode::expand;
use super::encode::{BLOCK, Full, Scan, drive};
use crate::Backend;

/// The kernels of an x86 backend. The caller ([`super::kernels`]) has checked that the CPU
/// runs `backend`: the crate's detection checks AVX2 (with BMI1/2, POPCNT) for `Avx2` and
/// AVX-512 F, BW, VL and VBMI2 for `Avx512`, a superset of what these kernels enable.
pub(crate) fn kernels(backend: Backend) -> Option<Kernels> {
    match backend {
        Backend::Sse2 => Some(Kernels {
            encode: sse2_encode,
            measure: sse2_measure,
            expand: sse2_expand,
        }),
        Backend::Avx2 => Some(Kernels {
            encode: avx2_encode,
            measure: avx2_measure,
            expand: avx2_expand,
        }),
        Backend::Avx512 => Some(Kernels {
            encode: avx512_encode,
            measure: avx512_measure,
            expand: avx512_expand,
        }),
        _ => None,
    }
}

/// SSE2 scan: 16 bytes a step.
struct Sse2;

impl Scan for Sse2 {
    #[inline(always)]
    unsafe fn first_run3(p: *const u8) -> usize {
        let mut c = 0;
        while c < BLOCK {
            // SAFETY: c <= 112, so the loads read p[c..c + 18], within p[..130]; SSE2 is
            // baseline on this target (the module is compiled only with it).
            let m = unsafe {
                let a = _mm_loadu_si128(p.add(c).cast());
                let b = _mm_loadu_si128(p.add(c + 1).cast());
                let d = _mm_loadu_si128(p.add(c + 2).cast());
                _mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(a, b), _mm_cmpeq_epi8(b, d)))
            };
            if m != 0 {
                return c + m.trailing_zeros() as usize;
            }
            c += 16;
        }
        BLOCK
    }

    #[inline(always)]
    unsafe fn run_len(p: *const u8, len: usize, v: u8) -> usize {
        let mut k = 0;
        // SAFETY: SSE2 is baseline here.
        let splat = unsafe { _mm_set1_epi8(v as i8) };
        while len - k >= 16 {
            // SAFETY: k + 16 <= len: the load is within p[..len].
            let m = unsafe {
                _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128(p.add(k).cast()), splat))
            };
            if m != 0xFFFF {
                return k + (!m).trailing_zeros() as usize;
            }
            k += 16;
        }
        // SAFETY: k < len on every read.
        while k < len && unsafe { *p.add(k) } == v {
            k += 1;
        }
        k
    }
}

/// AVX2 scan: 32 bytes a step.
struct Avx2;

impl Scan for Avx2 {
    #[inline(always)]
    unsafe fn first_run3(p: *const u8) -> usize {
        let mut c = 0;
        while c < BLOCK {
            // SAFETY: c <= 96, so the loads read p[c..c + 34], within p[..130]; the caller
            // runs with AVX2 enabled.
            let m = unsafe {
                let a = _mm256_loadu_si256(p.add(c).cast());
                let b = _mm256_loadu_si256(p.add(c + 1).cast());
                let d = _mm256_loadu_si256(p.add(c + 2).cast());
                _mm256_movemask_epi8(_mm256_and_si256(
                    _mm256_cmpeq_epi8(a, b),
                    _mm256_cmpeq_epi8(b, d),
                ))
            };
            if m != 0 {
                return c + m.trailing_zeros() as usize;
            }
            c += 32;
        }
        BLOCK
    }

    #[inline(always)]
    unsafe fn run_len(p: *const u8, len: usize, v: u8) -> usize {
        let mut k = 0;
        // SAFETY: the caller runs with AVX2 enabled.
        let splat = unsafe { _mm256_set1_epi8(v as i8) };
        while len - k >= 32 {
            // SAFETY: k + 32 <= len: the load is within p[..len].
            let m = unsafe {
                _mm256_movemask_epi8(_mm256_cmpeq_epi8(
                    _mm256_loadu_si256(p.add(k).cast()),
                    splat,
                ))
            } as u32;
            if m != u32::MAX {
                return k + (!m).trailing_zeros() as usize;
            }
            k += 32;
        }
        // SAFETY: k < len on every read.
        while k < len && unsafe { *p.add(k) } == v {
            k += 1;
        }
        k
    }
}

/// AVX-512 scan: 64 bytes a step, compares straight into mask registers.
struct Avx512;

impl Scan for Avx512 {
    #[inline(always)]
    unsafe fn first_run3(p: *const u8) -> usize {
        let mut c = 0;
        while c < BLOCK {
            // SAFETY: c <= 64, so the loads read p[c..c + 66], within p[..130]; the caller
            // runs with AVX-512 F and BW enabled.
            let m = unsafe {
                let a = _mm512_loadu_si512(p.add(c).cast());
                let b = _mm512_loadu_si512(p.add(c + 1).cast());
                let d = _mm512_loadu_si512(p.add(c + 2).cast());
                _mm512_cmpeq_epi8_mask(a, b) & _mm512_cmpeq_epi8_mask(b, d)
            };
            if m != 0 {
                return c + m.trailing_zeros() as usize;
            }
            c += 64;
        }
        BLOCK
    }

    #[inline(always)]
    unsafe fn run_len(p: *const u8, len: usize, v: u8) -> usize {
        let mut k = 0;
        // SAFETY: the caller runs with AVX-512 F and BW enabled.
        let splat = unsafe { _mm512_set1_epi8(v as i8) };
        while len - k >= 64 {
            // SAFETY: k + 64 <= len: the load is within p[..len].
            let m = unsafe { _mm512_cmpneq_epi8_mask(_mm512_loadu_si512(p.add(k).cast()), splat) };
            if m != 0 {
                return k + m.trailing_zeros() as usize;
            }
            k += 64;
        }
        // SAFETY: k < len on every read.
        while k < len && unsafe { *p.add(k) } == v {
            k += 1;
        }
        k
    }
}

/// Defines one backend's three kernels as `#[target_feature]` instantiations of the shared
/// drivers.
macro_rules! kernels {
    ($features:literal, $scan:ty, $encode:ident, $measure:ident, $expand:ident) => {
        /// Encodes (see [`drive`]).
        ///
        /// # Safety
        /// The CPU has the features this function enables.
        #[target_feature(enable = $features)]
        unsafe fn $encode(x: &[u8], out: &mut [u8], last: bool) -> Result<(usize, usize), Full> {
            // SAFETY: the caller guarantees the features the scan's intrinsics need.
            unsafe { drive::<$scan, true>(x, out, last) }
        }

        /// Measures (see [`drive`]).
        ///
        /// # Safety
        /// The CPU has the features this function enables.
        #[target_feature(enable = $features)]
        unsafe fn $measure(x: &[u8], out: &mut [u8], last: bool) -> Result<(usize, usize), Full> {
            // SAFETY: as above.
            unsafe { drive::<$scan, false>(x, out, last) }
        }

        /// Decodes (see [`expand`]).
        ///
        /// # Safety
        /// The CPU has the features this function enables.
        #[target_feature(enable = $features)]
        unsafe fn $expand(out: &mut [u8], enc: &[u8]) -> (usize, usize) {
            // SAFETY: as above.
            unsafe { expand(out, enc) }
        }
    };
}

kernels!("sse2", Sse2, sse2_encode, sse2_measure, sse2_expand);
kernels!("avx2", Avx2, avx2_encode, avx2_measure, avx2_expand);
kernels!(
    "avx512f,avx512bw,avx2",
    Avx512,
    avx512_encode,
    avx512_measure,
    avx512_expand
);
