//! AVX2 decode primitives: blocks of 32 pairs (two 32-byte vectors). The values and the
//! counts are separated with `packuswb`; a block of ones stores its values, a block of
//! ones and twos expands 8 pairs per `pshufb` from [`SMALL_PATTERNS`], a block of counts up
//! to 8 expands 4 pairs per `pshufb` from [`OCTS`], and anything else takes the driver's
//! per-pair splat stores.

use core::arch::x86_64::*;

use crate::decode::{OCTS, Pairs, SMALL_PATTERNS, expand_blocks, measure_blocks};

/// Marker type for the AVX2 primitives.
pub(crate) struct Avx2;

/// The 32 counts of a block (`packuswb` of the high bytes), in pair order after the
/// `vpermq` that undoes the per-half packing.
///
/// # Safety
/// The CPU has AVX2.
#[inline(always)]
unsafe fn counts(b: (__m256i, __m256i)) -> __m256i {
    // SAFETY: the caller guarantees AVX2.
    unsafe {
        let packed = _mm256_packus_epi16(_mm256_srli_epi16::<8>(b.0), _mm256_srli_epi16::<8>(b.1));
        _mm256_permute4x64_epi64::<0xD8>(packed)
    }
}

/// Whether every byte of `c` (a block's counts) is 1 to `limit`: `count - 1` is at most
/// `limit - 1` for those only, as a 0 wraps to 0xFF, so one test also finds a zero.
///
/// # Safety
/// The CPU has AVX2; `limit` is 1 to 255.
#[inline(always)]
unsafe fn one_to(c: __m256i, limit: u8) -> bool {
    // SAFETY: the caller guarantees AVX2.
    unsafe {
        let top = _mm256_set1_epi8((limit - 1) as i8);
        let less_one = _mm256_sub_epi8(c, _mm256_set1_epi8(1));
        _mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_max_epu8(less_one, top), top)) == -1
    }
}

/// The 32 values of a block, in pair order.
///
/// # Safety
/// The CPU has AVX2.
#[inline(always)]
unsafe fn values(b: (__m256i, __m256i)) -> __m256i {
    // SAFETY: the caller guarantees AVX2.
    unsafe {
        let low = _mm256_set1_epi16(0xFF);
        let packed = _mm256_packus_epi16(_mm256_and_si256(b.0, low), _mm256_and_si256(b.1, low));
        _mm256_permute4x64_epi64::<0xD8>(packed)
    }
}

/// Writes the expansion of 32 pairs with counts 1 or 2, given their `values` in order and
/// the mask of the twos: four groups of 8 pairs, each one `pshufb` and one 16-byte store;
/// writes `32 + twos.count_ones()` bytes and at most 8 more.
///
/// # Safety
/// The CPU has AVX2; `32 + twos.count_ones() + 8` bytes at `dst` are writable.
#[inline(always)]
unsafe fn expand_small32(values: __m256i, twos: u64, dst: *mut u8) {
    // SAFETY: the caller guarantees AVX2 and the room: group `g` stores 16 bytes at
    // `8 * g + popcount(twos below group g)`, ending at most 8 bytes after the expansion
    // of its own 8 pairs, which is at most 8 bytes past the expansion of all 32.
    unsafe {
        let lo = _mm256_castsi256_si128(values);
        let hi = _mm256_extracti128_si256::<1>(values);
        let groups = [lo, _mm_srli_si128::<8>(lo), hi, _mm_srli_si128::<8>(hi)];
        let mut d = dst;
        for (g, group) in groups.into_iter().enumerate() {
            let key = ((twos >> (8 * g)) & 0xFF) as usize;
            let pattern = _mm_load_si128(SMALL_PATTERNS.0[key].as_ptr().cast());
            _mm_storeu_si128(d.cast(), _mm_shuffle_epi8(group, pattern));
            d = d.add(8 + key.count_ones() as usize);
        }
    }
}

/// Expands a block of 32 pairs with counts 1 to 8, given its `counts` in pair order and
/// its encoded bytes at `src`, and returns the length: per group of 4 pairs, one broadcast
/// of its 8 encoded bytes from memory, one `pshufb` by its [`OCTS`] pattern and one 32-byte
/// store. The eight groups' keys and lengths come from two multiply-adds each over the
/// whole block, packed into one 32-bit word a group (the pattern's byte offset below bit
/// 17, the length from bit 24), and reach general registers as four 64-bit words: the loop
/// does a shift and a mask per group, and its only vector work is the `pshufb`.
///
/// # Safety
/// The CPU has AVX2; 64 bytes at `src` are readable and hold the block whose counts are
/// `counts`, every one 1 to 8; 256 bytes at `dst` are writable.
#[inline(always)]
unsafe fn expand_octs(counts: __m256i, src: *const u8, dst: *mut u8) -> usize {
    // SAFETY: the caller guarantees AVX2.
    let words: [u64; 4] = unsafe {
        // Byte `i` of `counts` is pair `i`'s count. `count - 1` fits 3 bits; the first
        // multiply-add packs pairs `2j, 2j + 1` as `m0 + 8 m1` (16 bits), the second
        // groups `4g..4g + 4` as `m0 + 8 m1 + 64 m2 + 512 m3`: the [`OCTS`] key, below
        // 4096, so `32 key` (the pattern's offset) stays below bit 17. A group's length is
        // at most 32 and sits from bit 24.
        let minus_one = _mm256_sub_epi8(counts, _mm256_set1_epi8(1));
        let pairs = _mm256_maddubs_epi16(minus_one, _mm256_set1_epi16(0x0801));
        let keys = _mm256_madd_epi16(pairs, _mm256_set1_epi32(0x0040_0001));
        let sums = _mm256_maddubs_epi16(counts, _mm256_set1_epi8(1));
        let lens = _mm256_madd_epi16(sums, _mm256_set1_epi16(1));
        let both = _mm256_or_si256(_mm256_slli_epi32::<5>(keys), _mm256_slli_epi32::<24>(lens));
        let (low, high) = (
            _mm256_castsi256_si128(both),
            _mm256_extracti128_si256::<1>(both),
        );
        [
            _mm_cvtsi128_si64(low) as u64,
            _mm_extract_epi64::<1>(low) as u64,
            _mm_cvtsi128_si64(high) as u64,
            _mm_extract_epi64::<1>(high) as u64,
        ]
    };
    // Hidden behind `black_box`, the pointer no longer tells the compiler that the groups
    // are bytes of the block it holds in registers, so it broadcasts each from memory (a
    // load) instead of shuffling it out of those registers.
    let src = core::hint::black_box(src);
    let table = OCTS.0.as_ptr().cast::<u8>();
    let mut written = 0;
    for g in 0..8 {
        let word = (words[g / 2] >> (32 * (g % 2))) as u32;
        let (offset, len) = (word as usize & 0x1_FFE0, (word >> 24) as usize);
        // SAFETY: group `g`'s 8 bytes lie in the block at `src`; `offset` (masked) is a
        // 32-aligned entry inside the 64-aligned table, exact as the counts are 1 to 8; the
        // store starts at most `32 g` bytes in, so its 32 bytes lie in the 256 writable.
        unsafe {
            let pattern = _mm256_load_si256(table.add(offset).cast());
            let bytes = _mm256_broadcastq_epi64(_mm_loadl_epi64(src.add(8 * g).cast()));
            _mm256_storeu_si256(dst.add(written).cast(), _mm256_shuffle_epi8(bytes, pattern));
        }
        written += len;
    }
    written
}

/// The running sums of 16 words (lane `i`: lanes `0..=i`), which must not overflow: within
/// each 16-byte half by three shifts, then the low half's total added to the high half.
///
/// # Safety
/// The CPU has AVX2.
#[inline(always)]
unsafe fn word_sums(x: __m256i) -> __m256i {
    // SAFETY: the caller guarantees AVX2.
    unsafe {
        let x = _mm256_add_epi16(x, _mm256_slli_si256::<2>(x));
        let x = _mm256_add_epi16(x, _mm256_slli_si256::<4>(x));
        let x = _mm256_add_epi16(x, _mm256_slli_si256::<8>(x));
        let last = _mm256_shuffle_epi8(x, _mm256_set1_epi16(0x0F0E));
        _mm256_add_epi16(x, _mm256_permute2x128_si256::<0x08>(last, last))
    }
}

/// Sum of the bytes of `c` (each at most 255, so 32 of them fit easily).
///
/// # Safety
/// The CPU has AVX2.
#[inline(always)]
pub(crate) unsafe fn byte_sum(c: __m256i) -> u32 {
    // SAFETY: the caller guarantees AVX2.
    unsafe {
        let s = _mm256_sad_epu8(c, _mm256_setzero_si256());
        let s = _mm_add_epi64(_mm256_castsi256_si128(s), _mm256_extracti128_si256::<1>(s));
        (_mm_cvtsi128_si32(s) + _mm_extract_epi16::<4>(s)) as u32
    }
}

// SAFETY: each method touches exactly the bytes its `Pairs` contract names; the driver is
// instantiated only in the `#[target_feature]` functions below, so AVX2 is present.
unsafe impl Pairs for Avx2 {
    const PAIRS: usize = 32;
    const SPLAT: usize = 32;
    const TIERS: [usize; 3] = [16, 32, 0];
    const FILL_STORES: usize = 2;
    const SMALL_SLACK: usize = 8;
    const END_STORES: bool = true;
    type Block = (__m256i, __m256i);

    #[inline(always)]
    unsafe fn load(src: *const u8) -> Self::Block {
        // SAFETY: the caller guarantees 64 readable bytes at `src`, and AVX2.
        unsafe {
            (
                _mm256_loadu_si256(src.cast()),
                _mm256_loadu_si256(src.add(32).cast()),
            )
        }
    }

    #[inline(always)]
    unsafe fn has_zero(b: Self::Block) -> bool {
        // SAFETY: the caller guarantees AVX2.
        unsafe { _mm256_movemask_epi8(_mm256_cmpeq_epi8(counts(b), _mm256_setzero_si256())) != 0 }
    }

    #[inline(always)]
    unsafe fn sum(b: Self::Block) -> u32 {
        // SAFETY: the caller guarantees AVX2.
        unsafe { byte_sum(counts(b)) }
    }

    #[inline(always)]
    unsafe fn at_most(b: Self::Block, limit: usize) -> bool {
        // SAFETY: the caller guarantees AVX2.
        unsafe {
            let splat = _mm256_set1_epi8(limit as i8);
            _mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_max_epu8(counts(b), splat), splat)) == -1
        }
    }

    #[inline(always)]
    unsafe fn all_ones(b: Self::Block) -> bool {
        // SAFETY: the caller guarantees AVX2.
        unsafe { _mm256_movemask_epi8(_mm256_cmpeq_epi8(counts(b), _mm256_set1_epi8(1))) == -1 }
    }

    #[inline(always)]
    unsafe fn store_values(b: Self::Block, dst: *mut u8) {
        // SAFETY: the caller guarantees 32 writable bytes at `dst`, and AVX2.
        unsafe { _mm256_storeu_si256(dst.cast(), values(b)) }
    }

    #[inline(always)]
    unsafe fn small(b: Self::Block) -> Option<u64> {
        // SAFETY: the caller guarantees AVX2.
        unsafe {
            let c = counts(b);
            if !one_to(c, 2) {
                return None;
            }
            Some(u64::from(
                _mm256_movemask_epi8(_mm256_cmpeq_epi8(c, _mm256_set1_epi8(2))) as u32,
            ))
        }
    }

    #[inline(always)]
    unsafe fn expand_small(b: Self::Block, twos: u64, dst: *mut u8) {
        // SAFETY: the caller guarantees AVX2 and `32 + popcount + 8` bytes of room, which
        // is what `expand_small32` needs.
        unsafe { expand_small32(values(b), twos, dst) }
    }

    #[inline(always)]
    unsafe fn expand_short(
        b: Self::Block,
        src: *const u8,
        dst: *mut u8,
        room: usize,
    ) -> Option<usize> {
        // 32 counts of 1 to 8: the last group's store starts at most 224 bytes in.
        // SAFETY: the caller guarantees AVX2, the block's 64 readable bytes at `src` and
        // `room` writable bytes at `dst`: what `expand_octs` needs once tested here.
        unsafe {
            let c = counts(b);
            if room < 256 || !one_to(c, 8) {
                return None;
            }
            Some(expand_octs(c, src, dst))
        }
    }

    #[inline(always)]
    unsafe fn ends(b: Self::Block) -> ([u16; 32], u32) {
        let mut ends = [0u16; 32];
        // SAFETY: the caller guarantees AVX2; the two stores write the 64 bytes of `ends`.
        let longs = unsafe {
            let c = counts(b);
            // Counts are at most 64 here, so a signed compare sees them right.
            let longs =
                _mm256_movemask_epi8(_mm256_cmpgt_epi8(c, _mm256_set1_epi8(Self::SPLAT as i8)));
            let low = word_sums(_mm256_cvtepu8_epi16(_mm256_castsi256_si128(c)));
            let high = word_sums(_mm256_cvtepu8_epi16(_mm256_extracti128_si256::<1>(c)));
            // Every lane of `high` adds the last of `low`.
            let last = _mm256_shuffle_epi8(low, _mm256_set1_epi16(0x0F0E));
            let high = _mm256_add_epi16(high, _mm256_permute2x128_si256::<0x11>(last, last));
            _mm256_storeu_si256(ends.as_mut_ptr().cast(), low);
            _mm256_storeu_si256(ends.as_mut_ptr().add(16).cast(), high);
            longs as u32
        };
        (ends, longs)
    }

    #[inline(always)]
    unsafe fn splat_n(dst: *mut u8, value: u8, width: usize) {
        // SAFETY: the caller guarantees `width` writable bytes at `dst`, and AVX2.
        unsafe {
            let v = _mm256_set1_epi8(value as i8);
            if width == 16 {
                _mm_storeu_si128(dst.cast(), _mm256_castsi256_si128(v));
            } else {
                debug_assert_eq!(width, 32);
                _mm256_storeu_si256(dst.cast(), v);
            }
        }
    }
}

avx2! {
    /// The AVX2 expand kernel (see [`ExpandKernel`](crate::decode::ExpandKernel)).
    ///
    /// # Safety
    /// The CPU has the AVX2 backend's features and the OS the AVX state.
    pub(crate) unsafe fn expand(encoded: &[u8], out: &mut [core::mem::MaybeUninit<u8>]) -> (usize, usize) {
        // SAFETY: this function has the backend's features (its caller's contract).
        unsafe { expand_blocks::<Avx2>(encoded, out) }
    }

    /// The AVX2 measure kernel (see [`MeasureKernel`](crate::decode::MeasureKernel)).
    ///
    /// # Safety
    /// As [`expand`].
    pub(crate) unsafe fn measure(encoded: &[u8]) -> (usize, Option<u64>) {
        // SAFETY: this function has the backend's features (its caller's contract).
        unsafe { measure_blocks::<Avx2>(encoded) }
    }
}
