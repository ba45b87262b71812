//! AVX-512 decode primitives: blocks of 32 pairs, one 64-byte vector. `vpmovwb` separates
//! values from counts in one instruction each, the count tests land in mask registers, a
//! block of ones and twos reuses AVX2's 8-pair `pshufb` expansion, a block of counts up to 8
//! expands 8 pairs per `vpcompressb`, and the per-pair splat
//! stores are 64 bytes wide, so long runs fill at one store per 64 bytes.

use core::arch::x86_64::*;

use super::super::avx2::decode::{byte_sum, expand_small32};
use crate::decode::{Pairs, expand_blocks, measure_blocks};

/// Marker type for the AVX-512 primitives.
pub(crate) struct Avx512;

/// The counts of a block, one per 16-bit lane.
///
/// # Safety
/// The CPU has AVX-512 F and BW.
#[inline(always)]
unsafe fn count_lanes(b: __m512i) -> __m512i {
    // SAFETY: the caller guarantees the features.
    unsafe { _mm512_srli_epi16::<8>(b) }
}

/// Expands a block of 32 pairs with counts 1 to 8 and returns its length: per 8 pairs,
/// their 16 bytes broadcast to every lane, every value fills an 8-byte slot (`pshufb`), a
/// compare of each slot's byte index against its count gives the bytes to keep, and a
/// merge-masked `vpcompressb` packs them for one 64-byte store. (The zero-masked form
/// carries a false dependency on Zen 4; the merge form takes the slots as its own
/// fallback.)
///
/// # Safety
/// The CPU has the AVX-512 backend's features; every count of `b` is 1 to 8; 256 bytes at
/// `dst` are writable.
#[inline(always)]
unsafe fn expand_slots(b: __m512i, dst: *mut u8) -> usize {
    // Byte `j` of a lane: slot `j / 8` takes pair `j / 8` of the lane's 16 bytes (lane
    // `l` holds the group's slots `2l` and `2l + 1`); `count` picks its count byte.
    const fn index(count: u8) -> [u8; 64] {
        let mut index = [0u8; 64];
        let mut j = 0;
        while j < 64 {
            index[j] = 2 * (j as u8 / 8) + count;
            j += 1;
        }
        index
    }
    const VALUES: [u8; 64] = index(0);
    const COUNTS: [u8; 64] = index(1);
    let mut written = 0;
    // SAFETY: the caller guarantees the features. Group `g` starts at most `64 g` bytes
    // in, since its predecessors' counts are at most 8, and its store writes 64 bytes:
    // at most 256 in all, the room the caller guarantees. Counts of at most 8 fit their
    // slots, so each store begins with its group's exact expansion.
    unsafe {
        let values = _mm512_loadu_si512(VALUES.as_ptr().cast());
        let counts = _mm512_loadu_si512(COUNTS.as_ptr().cast());
        let within = _mm512_set1_epi64(0x0706_0504_0302_0100);
        let groups = [
            _mm512_shuffle_i64x2::<0x00>(b, b),
            _mm512_shuffle_i64x2::<0x55>(b, b),
            _mm512_shuffle_i64x2::<0xAA>(b, b),
            _mm512_shuffle_i64x2::<0xFF>(b, b),
        ];
        for group in groups {
            let slots = _mm512_shuffle_epi8(group, values);
            let keep = _mm512_cmplt_epu8_mask(within, _mm512_shuffle_epi8(group, counts));
            let packed = _mm512_mask_compress_epi8(slots, keep, slots);
            _mm512_storeu_si512(dst.add(written).cast(), packed);
            written += keep.count_ones() as usize;
        }
    }
    written
}

// SAFETY: each method touches exactly the bytes its `Pairs` contract names; the driver is
// instantiated only in the `#[target_feature]` functions below, so the AVX-512 features
// (and AVX2, which they imply) are present.
unsafe impl Pairs for Avx512 {
    const PAIRS: usize = 32;
    const SPLAT: usize = 64;
    const TIERS: [usize; 3] = [16, 32, 0];
    // A ZMM store covers runs up to 64 bytes: one branch-free store is enough for runs of
    // tens of bytes.
    const LONG_STORES: usize = 1;
    const SMALL_SLACK: usize = 8;
    type Block = __m512i;

    #[inline(always)]
    unsafe fn load(src: *const u8) -> __m512i {
        // SAFETY: the caller guarantees 64 readable bytes at `src`, and the features.
        unsafe { _mm512_loadu_si512(src.cast()) }
    }

    #[inline(always)]
    unsafe fn has_zero(b: __m512i) -> bool {
        // SAFETY: the caller guarantees the features.
        unsafe { _mm512_test_epi16_mask(b, _mm512_set1_epi16(0xFF00u16 as i16)) != u32::MAX }
    }

    #[inline(always)]
    unsafe fn sum(b: __m512i) -> u32 {
        // SAFETY: the caller guarantees the features.
        unsafe { byte_sum(_mm512_cvtepi16_epi8(count_lanes(b))) }
    }

    #[inline(always)]
    unsafe fn at_most(b: __m512i, limit: usize) -> bool {
        // SAFETY: the caller guarantees the features.
        unsafe {
            _mm512_cmple_epu16_mask(count_lanes(b), _mm512_set1_epi16(limit as i16)) == u32::MAX
        }
    }

    #[inline(always)]
    unsafe fn all_ones(b: __m512i) -> bool {
        // SAFETY: the caller guarantees the features.
        unsafe { _mm512_cmpeq_epi16_mask(count_lanes(b), _mm512_set1_epi16(1)) == u32::MAX }
    }

    #[inline(always)]
    unsafe fn store_values(b: __m512i, dst: *mut u8) {
        // SAFETY: the caller guarantees 32 writable bytes at `dst`, and the features;
        // `vpmovwb` keeps the low byte of every lane: the values, in order.
        unsafe { _mm256_storeu_si256(dst.cast(), _mm512_cvtepi16_epi8(b)) }
    }

    #[inline(always)]
    unsafe fn small(b: __m512i) -> Option<u64> {
        // SAFETY: the caller guarantees the features.
        unsafe {
            let c = count_lanes(b);
            let two = _mm512_set1_epi16(2);
            if _mm512_cmple_epu16_mask(c, two) != u32::MAX {
                return None;
            }
            Some(u64::from(_mm512_cmpeq_epi16_mask(c, two)))
        }
    }

    #[inline(always)]
    unsafe fn expand_small(b: __m512i, twos: u64, dst: *mut u8) {
        // SAFETY: the caller guarantees the features (AVX2 among them) and the room that
        // `expand_small32` needs.
        unsafe { expand_small32(_mm512_cvtepi16_epi8(b), twos, dst) }
    }

    #[inline(always)]
    unsafe fn expand_short(
        b: __m512i,
        _src: *const u8,
        dst: *mut u8,
        room: usize,
    ) -> Option<usize> {
        // SAFETY: the caller guarantees the features and `room` writable bytes at `dst`,
        // which is what `expand_slots` needs.
        unsafe {
            // 32 counts of at most 8: the last group's store starts at most 192 bytes in.
            if room < 256
                || _mm512_cmple_epu16_mask(count_lanes(b), _mm512_set1_epi16(8)) != u32::MAX
            {
                return None;
            }
            Some(expand_slots(b, dst))
        }
    }

    #[inline(always)]
    unsafe fn splat_n(dst: *mut u8, value: u8, width: usize) {
        // SAFETY: the caller guarantees `width` writable bytes at `dst`, and the features.
        // Each width broadcasts into a register of its own size: a ZMM broadcast costs
        // more on current cores and short runs do not need it.
        unsafe {
            match width {
                16 => _mm_storeu_si128(dst.cast(), _mm_set1_epi8(value as i8)),
                32 => _mm256_storeu_si256(dst.cast(), _mm256_set1_epi8(value as i8)),
                _ => {
                    debug_assert_eq!(width, 64);
                    _mm512_storeu_si512(dst.cast(), _mm512_set1_epi8(value as i8))
                }
            }
        }
    }
}

avx512! {
    /// The AVX-512 expand kernel (see [`ExpandKernel`](crate::decode::ExpandKernel)).
    ///
    /// # Safety
    /// The CPU has the AVX-512 backend's features and the OS the ZMM state.
    pub(crate) unsafe fn expand(encoded: &[u8], out: &mut [core::mem::MaybeUninit<u8>]) -> (usize, usize) {
        // SAFETY: this function has the backend's features (its caller's contract).
        unsafe { expand_blocks::<Avx512>(encoded, out) }
    }

    /// The AVX-512 measure kernel (see [`MeasureKernel`](crate::decode::MeasureKernel)).
    ///
    /// # Safety
    /// As [`expand`].
    pub(crate) unsafe fn measure(encoded: &[u8]) -> (usize, Option<u64>) {
        // SAFETY: this function has the backend's features (its caller's contract).
        unsafe { measure_blocks::<Avx512>(encoded) }
    }
}
