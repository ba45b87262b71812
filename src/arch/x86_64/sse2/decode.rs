//! SSE2 decode primitives: blocks of 16 pairs (two 16-byte vectors). Without `pshufb` there
//! is no table-driven path: a block of ones is de-interleaved with `packuswb`, anything
//! else takes the driver's per-pair splat stores, 8 bytes wide (from a general-purpose
//! register) when every count of the block allows it.

use core::arch::x86_64::*;

use crate::decode::{Pairs, expand_blocks, measure_blocks};

/// Marker type for the SSE2 primitives.
pub(crate) struct Sse2;

/// The 16 counts of a block, in pair order.
#[inline(always)]
fn counts(b: (__m128i, __m128i)) -> __m128i {
    // SAFETY: SSE2 is baseline on every x86_64 target this module is compiled for.
    unsafe { _mm_packus_epi16(_mm_srli_epi16::<8>(b.0), _mm_srli_epi16::<8>(b.1)) }
}

// SAFETY: each method touches exactly the bytes its `Pairs` contract names (16-byte
// unaligned loads and stores); SSE2 is baseline on x86_64.
unsafe impl Pairs for Sse2 {
    const PAIRS: usize = 16;
    const SPLAT: usize = 16;
    const TIERS: [usize; 3] = [8, 16, 0];
    const FILL_STORES: usize = 2;
    type Block = (__m128i, __m128i);

    #[inline(always)]
    unsafe fn load(src: *const u8) -> Self::Block {
        // SAFETY: the caller guarantees 32 readable bytes at `src`.
        unsafe {
            (
                _mm_loadu_si128(src.cast()),
                _mm_loadu_si128(src.add(16).cast()),
            )
        }
    }

    #[inline(always)]
    unsafe fn has_zero(b: Self::Block) -> bool {
        // SAFETY: SSE2 is baseline.
        unsafe { _mm_movemask_epi8(_mm_cmpeq_epi8(counts(b), _mm_setzero_si128())) != 0 }
    }

    #[inline(always)]
    unsafe fn sum(b: Self::Block) -> u32 {
        // SAFETY: SSE2 is baseline.
        unsafe {
            let s = _mm_sad_epu8(counts(b), _mm_setzero_si128());
            (_mm_cvtsi128_si32(s) + _mm_extract_epi16::<4>(s)) as u32
        }
    }

    #[inline(always)]
    unsafe fn at_most(b: Self::Block, limit: usize) -> bool {
        // SAFETY: SSE2 is baseline.
        unsafe {
            let splat = _mm_set1_epi8(limit as i8);
            _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_max_epu8(counts(b), splat), splat)) == 0xFFFF
        }
    }

    #[inline(always)]
    unsafe fn all_ones(b: Self::Block) -> bool {
        // SAFETY: SSE2 is baseline.
        unsafe { _mm_movemask_epi8(_mm_cmpeq_epi8(counts(b), _mm_set1_epi8(1))) == 0xFFFF }
    }

    #[inline(always)]
    unsafe fn store_values(b: Self::Block, dst: *mut u8) {
        // SAFETY: the caller guarantees 16 writable bytes at `dst`; SSE2 is baseline.
        unsafe {
            let low = _mm_set1_epi16(0xFF);
            let values = _mm_packus_epi16(_mm_and_si128(b.0, low), _mm_and_si128(b.1, low));
            _mm_storeu_si128(dst.cast(), values);
        }
    }

    #[inline(always)]
    unsafe fn splat_n(dst: *mut u8, value: u8, width: usize) {
        // SAFETY: the caller guarantees `width` (8 or 16) writable bytes at `dst`; SSE2 is
        // baseline.
        unsafe {
            if width == 8 {
                // A general-purpose store: no vector broadcast to wait for.
                let splat = u64::from(value) * 0x0101_0101_0101_0101;
                dst.cast::<u64>().write_unaligned(splat);
            } else {
                debug_assert_eq!(width, 16);
                _mm_storeu_si128(dst.cast(), _mm_set1_epi8(value as i8));
            }
        }
    }
}

sse2! {
    /// The SSE2 expand kernel (see [`ExpandKernel`](crate::decode::ExpandKernel)).
    ///
    /// # Safety
    /// The CPU has the SSE2 backend's features (baseline wherever this module is compiled).
    pub(crate) unsafe fn expand(encoded: &[u8], out: &mut [core::mem::MaybeUninit<u8>]) -> (usize, usize) {
        // SAFETY: this function has the backend's features (its caller's contract).
        unsafe { expand_blocks::<Sse2>(encoded, out) }
    }

    /// The SSE2 measure kernel (see [`MeasureKernel`](crate::decode::MeasureKernel)).
    ///
    /// # Safety
    /// As [`expand`].
    pub(crate) unsafe fn measure(encoded: &[u8]) -> (usize, Option<u64>) {
        // SAFETY: this function has the backend's features (its caller's contract).
        unsafe { measure_blocks::<Sse2>(encoded) }
    }
}
