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

/// Expands a block of 32 pairs with counts 1 to 8: per 8 pairs, every value fills an
/// 8-byte slot of a vector (a `pshufb` of the pairs' 16 bytes, broadcast to every lane), a
/// compare of each slot's byte index against its count gives the bytes to keep, and a
/// merge-masked `vpcompressb` packs them for one 64-byte store. (The zero-masked form
/// carries a false dependency on Zen 4; the merge form takes the slots as its own
/// fallback.) Writes the expansion and at most 64 bytes past its last group's start.
///
/// # Safety
/// The CPU has the AVX-512 backend's features; 64 bytes at `src` are readable and every
/// count among them is 1 to 8; the expansion plus 64 bytes at `dst` are writable.
#[inline(always)]
unsafe fn expand_slots(src: *const u8, dst: *mut u8) {
    // Byte `j` of a lane-local index: slot `j / 8` copies pair `j / 8` of the lane's 16
    // bytes (each lane holds 2 slots: pairs `2l` and `2l + 1` of the broadcast group).
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
    let mut d = dst;
    // SAFETY: the caller guarantees the features. Group `g` reads 16 bytes at
    // `src + 16 g`, inside the 64 readable. Its counts are 1 to 8, so slot `i` keeps its
    // first `count` bytes and the store begins with the group's expansion; it starts at
    // the group's own expansion start, at most the expansion's length past `dst`, and
    // writes 64 bytes: inside the expansion plus 64.
    unsafe {
        let values = _mm512_loadu_si512(VALUES.as_ptr().cast());
        let counts = _mm512_loadu_si512(COUNTS.as_ptr().cast());
        let within = _mm512_set1_epi64(0x0706_0504_0302_0100);
        for g in 0..4 {
            let group = _mm512_broadcast_i32x4(_mm_loadu_si128(src.add(16 * g).cast()));
            let slots = _mm512_shuffle_epi8(group, values);
            let keep = _mm512_cmplt_epu8_mask(within, _mm512_shuffle_epi8(group, counts));
            let packed = _mm512_mask_compress_epi8(slots, keep, slots);
            _mm512_storeu_si512(d.cast(), packed);
            d = d.add(keep.count_ones() as usize);
        }
    }
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
    unsafe fn expand_short(b: __m512i, src: *const u8, dst: *mut u8, room: usize) -> Option<usize> {
        // SAFETY: the caller guarantees the features and the block's 64 readable bytes at
        // `src`.
        unsafe {
            if _mm512_cmple_epu16_mask(count_lanes(b), _mm512_set1_epi16(8)) != u32::MAX {
                return None;
            }
            let sum = Self::sum(b) as usize;
            if room < sum + 64 {
                return None;
            }
            expand_slots(src, dst);
            Some(sum)
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

/// The AVX-512 expand kernel (see [`ExpandKernel`](crate::decode::ExpandKernel)).
///
/// # Safety
/// The CPU supports the AVX-512 backend's features (F, BW, VL, VBMI2, with AVX2, BMI1,
/// BMI2, POPCNT) and the OS the ZMM state.
#[target_feature(enable = "avx512f,avx512bw,avx512vl,avx512vbmi2,avx2,bmi1,bmi2,popcnt")]
pub(crate) unsafe fn expand(encoded: &[u8], out: &mut [u8]) -> (usize, usize) {
    // SAFETY: this function has the features (its caller's contract).
    unsafe { expand_blocks::<Avx512>(encoded, out) }
}

/// The AVX-512 measure kernel (see [`MeasureKernel`](crate::decode::MeasureKernel)).
///
/// # Safety
/// As [`expand`].
#[target_feature(enable = "avx512f,avx512bw,avx512vl,avx512vbmi2,avx2,bmi1,bmi2,popcnt")]
pub(crate) unsafe fn measure(encoded: &[u8]) -> (usize, Option<u64>) {
    // SAFETY: this function has the features (its caller's contract).
    unsafe { measure_blocks::<Avx512>(encoded) }
}
