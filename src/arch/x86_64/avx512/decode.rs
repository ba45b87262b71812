//! AVX-512 decode primitives: blocks of 32 pairs, one 64-byte vector. `vpmovwb` separates
//! values from counts in one instruction each, and the count tests land in mask registers.
//! A block of ones and twos doubles every value and drops the second copy of the ones with
//! one `vpcompressb`; one with one or two longer runs among its ones and twos does the
//! same and then moves the rest of its expansion past each run's extra bytes; blocks of
//! counts up to 4, 8 and 16 expand 16, 8 and 4 pairs per `vpcompressb` of 4-, 8- and
//! 16-byte slots; longer runs get AVX2's 32-byte splat stores.

use core::arch::x86_64::*;

use super::super::avx2::decode::byte_sum;
use super::IOTA;
use crate::decode::{Pairs, expand_blocks, measure_blocks};

/// Word `i` holds `i`: the lanes of a block's counts.
static WORD_IOTA: [u16; 32] = {
    let mut a = [0u16; 32];
    let mut i = 0;
    while i < 32 {
        a[i] = i as u16;
        i += 1;
    }
    a
};

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

/// Byte `j` of the slot pattern for slots of `SLOT` bytes: the offset of the value of the
/// pair whose slot holds byte `j` (slot `j / SLOT` of the block's first group), in the
/// block for `vpermb` or, taken mod 16 by `pshufb`, in a 16-byte lane.
const fn slot_values<const SLOT: usize>() -> [u8; 64] {
    let mut index = [0u8; 64];
    let mut j = 0;
    while j < 64 {
        index[j] = 2 * (j / SLOT) as u8;
        j += 1;
    }
    index
}

/// Byte `j` of the place pattern: `j % SLOT`, the byte's place in its slot.
const fn slot_places<const SLOT: usize>() -> [u8; 64] {
    let mut place = [0u8; 64];
    let mut j = 0;
    while j < 64 {
        place[j] = (j % SLOT) as u8;
        j += 1;
    }
    place
}

/// Expands a block of 32 pairs with counts 1 to `SLOT` (4, 8 or 16) and returns its length:
/// per group of `64 / SLOT` pairs, each value fills a slot of `SLOT` bytes (`vpermb` of the
/// block for slots of 4 and 8, `pshufb` of the group's lane for 16), and a merge-masked
/// `vpcompressb` keeps each slot's run for one 64-byte store. (The zero-masked form
/// carries a false dependency on Zen 4; the merge form takes the slots as its own
/// fallback.) The compress mask comes from the same shuffle with the counts (one byte on
/// from each value) compared with each byte's place in its slot: no mask travels through
/// a general register.
///
/// # Safety
/// The CPU has the AVX-512 backend's features; `SLOT` is 4, 8 or 16; every count of `b` is
/// 1 to `SLOT`; `32 * SLOT` bytes at `dst` are writable.
#[inline(always)]
unsafe fn expand_slots<const SLOT: usize>(b: __m512i, dst: *mut u8) -> usize {
    let per_group = 64 / SLOT;
    let mut written = 0;
    // Group `g` starts at most `64 g` bytes in, since its predecessors' counts are at most
    // `SLOT`, and its store writes 64 bytes: at most `32 * SLOT` in all. Counts of at most
    // `SLOT` fit their slots, so each store begins with its group's exact expansion.
    // SAFETY: the features and the `32 * SLOT` bytes at `dst` are the caller's contract,
    // and the stores stay inside them (above).
    unsafe {
        let values = _mm512_loadu_si512(const { slot_values::<SLOT>() }.as_ptr().cast());
        let places = _mm512_loadu_si512(const { slot_places::<SLOT>() }.as_ptr().cast());
        let lanes = [
            _mm512_shuffle_i64x2::<0x00>(b, b),
            _mm512_shuffle_i64x2::<0x55>(b, b),
            _mm512_shuffle_i64x2::<0xAA>(b, b),
            _mm512_shuffle_i64x2::<0xFF>(b, b),
        ];
        for g in 0..32 / per_group {
            let first = per_group * g;
            let (slots, counts) = if SLOT <= 8 {
                // 16 or 8 pairs a group: one `vpermb` each for the values and the counts,
                // straight from the block, by the slot pattern plus the group's offset (no
                // pattern of its own per group, so no register taken from the paths of
                // ones and twos). Slots of 16 keep a lane broadcast and `pshufb`: with
                // `vpermb` too, they measured no faster on real files.
                let offset = _mm512_set1_epi8((2 * per_group * g) as i8);
                let index = _mm512_add_epi8(values, offset);
                (
                    _mm512_permutexvar_epi8(index, b),
                    _mm512_permutexvar_epi8(_mm512_add_epi8(index, _mm512_set1_epi8(1)), b),
                )
            } else {
                // The group's first pair is pair `first % 8` of lane `first / 8`.
                let offset = _mm512_set1_epi8(2 * (first % 8) as i8);
                let (source, index) = (lanes[first / 8], _mm512_add_epi8(values, offset));
                let slots = _mm512_shuffle_epi8(source, index);
                let counts =
                    _mm512_shuffle_epi8(source, _mm512_add_epi8(index, _mm512_set1_epi8(1)));
                (slots, counts)
            };
            let keep = _mm512_cmplt_epu8_mask(places, counts);
            let packed = _mm512_mask_compress_epi8(slots, keep, slots);
            _mm512_storeu_si512(dst.add(written).cast(), packed);
            written += keep.count_ones() as usize;
        }
    }
    written
}

/// A block of ones and twos, every count above 2 cut to 2: each value twice (`pshufb`),
/// then a merge-masked `vpcompressb` that keeps the first copy always and the second where
/// the count is 2 or more. Returns the keep mask and the expansion, at most 64 bytes.
/// (The zero-masked form carries a false dependency on Zen 4; the merge form takes the
/// doubled values as its own fallback.)
///
/// # Safety
/// The CPU has the AVX-512 backend's features.
#[inline(always)]
unsafe fn cut_to_twos(b: __m512i) -> (u64, __m512i) {
    // SAFETY: the caller guarantees the features.
    unsafe {
        let (lo, hi) = (0x0606_0404_0202_0000, 0x0E0E_0C0C_0A0A_0808);
        let doubled = _mm512_shuffle_epi8(b, _mm512_set_epi64(hi, lo, hi, lo, hi, lo, hi, lo));
        // The keep mask is one compare: value bytes forced to 2, count bytes as they are.
        let keep = _mm512_cmpge_epu8_mask(
            _mm512_ternarylogic_epi32::<0xF8>(
                _mm512_set1_epi16(2),
                b,
                _mm512_set1_epi16(0xFF00u16 as i16),
            ),
            _mm512_set1_epi8(2),
        );
        (keep, _mm512_mask_compress_epi8(doubled, keep, doubled))
    }
}

/// The mask of a block's counts above 2 (`counts`: one a 16-bit lane), if it has at most
/// two bits and `room` is at least [`EXCEPTIONS_ROOM`]: what [`expand_exceptions`] takes.
///
/// # Safety
/// The CPU has the AVX-512 backend's features.
#[inline(always)]
unsafe fn few_exceptions(counts: __m512i, room: usize) -> Option<u32> {
    // SAFETY: the caller guarantees the features.
    let exceptions = unsafe { _mm512_cmpgt_epu16_mask(counts, _mm512_set1_epi16(2)) };
    let beyond = exceptions & exceptions.wrapping_sub(1);
    (beyond & beyond.wrapping_sub(1) == 0 && room >= EXCEPTIONS_ROOM).then_some(exceptions)
}

/// Room [`expand_exceptions`] needs: where its last store can start (past at most 64 bytes
/// of ones and twos, two runs' 32 extra bytes and 2) and that store's 64 bytes.
const EXCEPTIONS_ROOM: usize = 64 + 2 * 32 + 2 + 64;

/// Expands a block whose counts are all 1 or 2 but for one or two pairs (its exceptions)
/// with counts 3 to 34, and returns its length: the block of ones and twos
/// ([`cut_to_twos`]), then for each exception its extra bytes (one 32-byte splat) and the
/// rest of that expansion moved past them (one `vpermb` and one store). Most blocks of source code, prose and machine code that are
/// neither ones nor ones and twos are of this kind (a run of spaces or zeros among single
/// bytes), and their cost no longer follows their longest count.
///
/// Each later store starts where the bytes of the one before stop being right: the splat
/// where the cut run's two copies end, the moved rest where the extra bytes end. A second
/// exception that the block does not have is placed past the expansion, with no extra
/// bytes, so one and two exceptions take the same stores.
///
/// # Safety
/// The CPU has the AVX-512 backend's features; `b` was loaded from the 64 bytes at `src`;
/// `exceptions`, the mask of `b`'s counts above 2, has one or two bits set; every count of
/// `b` is 1 to 34; [`EXCEPTIONS_ROOM`] bytes at `dst` are writable.
#[inline(always)]
unsafe fn expand_exceptions(b: __m512i, src: *const u8, dst: *mut u8, exceptions: u32) -> usize {
    // Reads: bytes `2 k` and `2 k + 1` of the block for an exception's pair `k < 32` (a
    // missing second exception reads the first's). Writes, at offsets from `dst`: 64 bytes
    // at 0; for each exception, with `q` its first copy's place among the ones and twos (at
    // most their length, 64, which a missing one takes) and `moved` the extra bytes so far
    // (at most 32 an exception), 32 bytes at `q + moved + 2` before its own and 64 at
    // `q + moved + 2` after. The last ends by 64 + 2 * 32 + 2 + 64 = EXCEPTIONS_ROOM.
    // SAFETY: the features are the caller's; every read is inside the block at `src` and
    // every write inside the EXCEPTIONS_ROOM bytes at `dst` (above).
    unsafe {
        let (keep, small) = cut_to_twos(b);
        _mm512_storeu_si512(dst.cast(), small);
        let len = keep.count_ones() as usize;
        let iota = _mm512_loadu_si512(IOTA.as_ptr().cast());
        // `moved`: extra bytes so far, by which the rest of the expansion moves.
        let mut moved = 0;
        let first = exceptions.trailing_zeros() as usize;
        let second = exceptions & (exceptions - 1);
        for (k, present) in [
            (first, true),
            (second.trailing_zeros() as usize, second != 0),
        ] {
            let at = if present { k } else { first };
            let (value, count) = (*src.add(2 * at), usize::from(*src.add(2 * at + 1)));
            let extra = if present { count - 2 } else { 0 };
            // Copies of the ones and twos before pair `k` (all of them when it is missing).
            let q = _bzhi_u64(keep, 2 * k as u32).count_ones() as usize;
            _mm256_storeu_si256(dst.add(q + moved + 2).cast(), _mm256_set1_epi8(value as i8));
            let rest = _mm512_permutexvar_epi8(
                _mm512_add_epi8(iota, _mm512_set1_epi8((q + 2) as i8)),
                small,
            );
            moved += extra;
            _mm512_storeu_si512(dst.add(q + moved + 2).cast(), rest);
        }
        len + moved
    }
}

// SAFETY: each method touches exactly the bytes its `Pairs` contract names; the driver is
// instantiated only in the `#[target_feature]` functions below, so the AVX-512 features
// (and AVX2, which they imply) are present.
unsafe impl Pairs for Avx512 {
    const PAIRS: usize = 32;
    // Long runs take 32-byte stores, two a step, as on AVX2: a 64-byte store takes two
    // store-queue entries on Zen 4 and crosses a cache line unless aligned, and one per
    // 64 bytes filled long runs 10-17 % slower than two of 32 (64 and 256 KiB, Zen 4).
    const SPLAT: usize = 32;
    const TIERS: [usize; 3] = [16, 32, 0];
    const LONG_STORES: usize = 2;
    const FILL_STORES: usize = 2;
    const ALIGNED_FILL: bool = true;
    const END_STORES: bool = true;
    const WORD_PAIRS: bool = true;
    // `expand_small` stores 64 bytes for an expansion of at least 32.
    const SMALL_SLACK: usize = 32;
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
            // `count - 1` is at most 1 for counts of 1 and 2 only: a 0 wraps to 0xFFFF.
            let c = count_lanes(b);
            let one = _mm512_set1_epi16(1);
            if _mm512_cmple_epu16_mask(_mm512_sub_epi16(c, one), one) != u32::MAX {
                return None;
            }
            // The twos are the counts that are not 1: the same compare as `all_ones`, which
            // the driver asked just before, so the compiler computes it once.
            Some(u64::from(!_mm512_cmpeq_epi16_mask(c, one)))
        }
    }

    #[inline(always)]
    unsafe fn expand_small(b: __m512i, _twos: u64, dst: *mut u8) {
        // SAFETY: the caller guarantees the features and `32 + popcount(twos) + 32` bytes
        // at `dst`, at least the 64 the store covers.
        unsafe { _mm512_storeu_si512(dst.cast(), cut_to_twos(b).1) }
    }

    #[inline(always)]
    unsafe fn expand_short(b: __m512i, src: *const u8, dst: *mut u8, room: usize) -> Option<usize> {
        // The first test below turns away a count of 0, and so does the test for counts up
        // to 34 in its branch. `few_exceptions` is asked only about blocks with a count
        // above 4, so its mask of counts above 2 is never empty.
        // SAFETY: the caller guarantees the features, `room` writable bytes at `dst` (each
        // path below tests for what it needs) and the block at `src`; with the tests above,
        // each path gets the counts it needs.
        unsafe {
            let counts = count_lanes(b);
            // `count - 1`, in which a count of 0 wraps to 0xFFFF: the tests on it that
            // bound the counts also find a 0, so that the driver's own test for one is left
            // to the blocks no path here takes.
            let less_one = _mm512_sub_epi16(counts, _mm512_set1_epi16(1));
            // The test that turns long runs away comes first: they pay one compare here.
            // One or two longer runs among ones and twos (see `expand_exceptions`) are tested
            // for after the tests for counts up to 16 and up to 4: the mixed blocks of
            // photographs and machine code decode fastest with those branches first.
            if _mm512_cmplt_epu16_mask(less_one, _mm512_set1_epi16(16)) != u32::MAX {
                if _mm512_cmplt_epu16_mask(less_one, _mm512_set1_epi16(34)) == u32::MAX
                    && let Some(exceptions) = few_exceptions(counts, room)
                {
                    return Some(expand_exceptions(b, src, dst, exceptions));
                }
                return None;
            }
            if _mm512_cmple_epu16_mask(counts, _mm512_set1_epi16(4)) == u32::MAX {
                return (room >= 128).then(|| expand_slots::<4>(b, dst));
            }
            if let Some(exceptions) = few_exceptions(counts, room) {
                return Some(expand_exceptions(b, src, dst, exceptions));
            }
            if _mm512_cmple_epu16_mask(counts, _mm512_set1_epi16(8)) == u32::MAX {
                return (room >= 256).then(|| expand_slots::<8>(b, dst));
            }
            (room >= 512).then(|| expand_slots::<16>(b, dst))
        }
    }

    #[inline(always)]
    unsafe fn ends(b: __m512i) -> ([u16; 32], u32) {
        let mut ends = [0u16; 32];
        // SAFETY: the caller guarantees the features; the store writes the 64 bytes of
        // `ends`.
        let longs = unsafe {
            let counts = count_lanes(b);
            // A prefix sum in five steps: lane `i` adds lane `i - k`, for k = 1, 2, 4, 8, 16
            // (`vpermw` by `iota - k`, the lanes below `k` zeroed).
            let iota = _mm512_loadu_si512(WORD_IOTA.as_ptr().cast());
            let mut sums = counts;
            for k in [1, 2, 4, 8, 16] {
                let from = _mm512_sub_epi16(iota, _mm512_set1_epi16(k as i16));
                let shifted = _mm512_maskz_permutexvar_epi16(u32::MAX << k, from, sums);
                sums = _mm512_add_epi16(sums, shifted);
            }
            _mm512_storeu_si512(ends.as_mut_ptr().cast(), sums);
            _mm512_cmpgt_epu16_mask(counts, _mm512_set1_epi16(Self::SPLAT as i16))
        };
        (ends, longs)
    }

    #[inline(always)]
    unsafe fn splat_n(dst: *mut u8, value: u8, width: usize) {
        // SAFETY: the caller guarantees `width` writable bytes at `dst`, and the features.
        // Each width broadcasts into a register of its own size.
        unsafe {
            if width == 16 {
                _mm_storeu_si128(dst.cast(), _mm_set1_epi8(value as i8));
            } else {
                debug_assert_eq!(width, 32);
                _mm256_storeu_si256(dst.cast(), _mm256_set1_epi8(value as i8));
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
