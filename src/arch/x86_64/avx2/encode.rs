//! The AVX2 primitives of the encode driver ([`fn@crate::encode`]), with SSSE3 `pshufb`,
//! BMI1, BMI2 and POPCNT.
//!
//! A block is 64 bytes, two 32-byte vectors, compared with themselves loaded one byte
//! earlier: a 64-bit boundary mask. The compress step builds all 64 candidate pairs at once
//! and keeps those at boundaries. A boundary at `i` closes the run that started at the
//! previous boundary, so its pair is `(prev[i], i - previous boundary)`:
//! - counts: lane `i` gets `i + 1 - (last run start before i, plus one)`, the run starts
//!   coming from a prefix maximum of their positions (shifts and `max` within each 128-bit
//!   half, then carried across halves and vectors);
//! - `unpack` interleaves `prev` and the counts into 16-bit pairs, 8 per 128-bit half;
//! - each 8-pair group is compressed to its boundaries' pairs by `pshufb` with a pattern
//!   from a 256-entry table indexed by the group's 8 mask bits (the simdjson technique,
//!   applied to whole pairs), stored as a whole 16-byte vector, and the output advances
//!   by `2 * popcount` of those bits.
//!
//! A block with at most [`SPARSE`] pairs to write takes the driver's one-by-one loop.

use core::arch::x86_64::*;

use crate::encode::{self, Block, Blocks, runs_one_by_one};
use crate::scalar::Run;

/// Bytes per vector.
const V: usize = 32;

/// Blocks with at most this many pairs after the first take a trailing-zero loop: fewer
/// instructions than the shuffle path for sparse boundaries (runs of tens of bytes), and
/// rare enough in dense data (4% of blocks at a mean run of 8) that the branch stays
/// predictable. (Longer loops, unconditional extraction and a `pext` step were slower:
/// PERFORMANCE.md, "Tried and dropped".)
const SPARSE: usize = 2;

avx2! {
    /// The AVX2 kernel; see [`Kernel`](crate::scalar::Kernel) for the contract.
    ///
    /// # Safety
    /// The CPU has the AVX2 backend's features and the OS the AVX state; `run` satisfies
    /// the kernel contract.
    pub(crate) unsafe fn encode(run: &mut Run, input: &[u8], out: &mut [core::mem::MaybeUninit<u8>]) -> (usize, usize) {
        // SAFETY: this function is compiled with the backend's features, which `Avx2` uses,
        // and its caller guarantees the CPU has them.
        unsafe { encode::encode::<Avx2>(run, input, out) }
    }
}

struct Avx2;

/// `pshufb` patterns: entry `m` moves the 16-bit pairs whose bit is set in `m` to the
/// front, in order (the rest is zeroed, and overwritten by the next store).
#[repr(C, align(64))]
struct PairShuffles([[u8; 16]; 256]);

static PAIR_SHUFFLES: PairShuffles = PairShuffles(pair_shuffles());

const fn pair_shuffles() -> [[u8; 16]; 256] {
    let mut table = [[0x80u8; 16]; 256];
    let mut m = 0;
    while m < 256 {
        let mut k = 0;
        let mut j = 0;
        while j < 8 {
            if m & (1 << j) != 0 {
                table[m][2 * k] = 2 * j as u8;
                table[m][2 * k + 1] = 2 * j as u8 + 1;
                k += 1;
            }
            j += 1;
        }
        m += 1;
    }
    table
}

/// Mask byte `k` of `m` times 16: the byte offset of its pattern in the table. A rotate
/// (`rorx`, which leaves `m` in place) and an `and`, where extracting the byte and scaling
/// it would take three instructions.
#[inline(always)]
fn group(m: u64, k: u32) -> usize {
    (m.rotate_right((8 * k).wrapping_sub(4) & 63) & 0xFF0) as usize
}

/// The pattern of mask byte `k` of `m`, as a pointer for `_mm256_loadu2_m128i`.
#[inline(always)]
fn pattern(m: u64, k: u32) -> *const __m128i {
    // SAFETY: `group` is below 256 * 16, the size of the table.
    unsafe {
        PAIR_SHUFFLES
            .0
            .as_ptr()
            .cast::<u8>()
            .add(group(m, k))
            .cast()
    }
}

/// Bytes of output of the 8-pair group of mask byte `k` of `m` (scaling the byte by 16
/// does not change its popcount).
#[inline(always)]
fn group_bytes(m: u64, k: u32) -> usize {
    2 * group(m, k).count_ones() as usize
}

avx2! {
    /// Prefix maximum over the 32 byte lanes of `t`.
    #[inline]
    fn prefix_max(t: __m256i) -> __m256i {
        let t = _mm256_max_epu8(t, _mm256_bslli_epi128::<1>(t));
        let t = _mm256_max_epu8(t, _mm256_bslli_epi128::<2>(t));
        let t = _mm256_max_epu8(t, _mm256_bslli_epi128::<4>(t));
        let t = _mm256_max_epu8(t, _mm256_bslli_epi128::<8>(t));
        // The high half also takes the low half's maximum (its byte 15).
        let lane15 = _mm256_set1_epi8(15);
        let low_max = _mm256_shuffle_epi8(_mm256_permute2x128_si256::<0x08>(t, t), lane15);
        _mm256_max_epu8(t, low_max)
    }

    /// The block's counts: lane `i` is `i - (the last boundary before i)`, for every `i` that
    /// has a boundary before it in the block. `prevb` is the block loaded two bytes earlier.
    #[inline]
    fn counts(prev: [__m256i; 2], prevb: [__m256i; 2]) -> [__m256i; 2] {
        let iota0 = _mm256_setr_epi8(
            0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,
            23, 24, 25, 26, 27, 28, 29, 30, 31,
        );
        let ones = _mm256_set1_epi8(1);
        let iota32 = _mm256_add_epi8(iota0, _mm256_set1_epi8(32));
        // Lane i of `t0`, `t1` is i if a run starts at i - 1 (`prev` differs from the bytes
        // one further back), else 0; its prefix maximum is one past the last run start before
        // i. Block offsets (at most 64) fit in a byte.
        let t0 = prefix_max(_mm256_andnot_si256(
            _mm256_cmpeq_epi8(prev[0], prevb[0]),
            iota0,
        ));
        let t1 = prefix_max(_mm256_andnot_si256(
            _mm256_cmpeq_epi8(prev[1], prevb[1]),
            iota32,
        ));
        // The second vector also takes the first one's maximum (its byte 31).
        let t0_max = _mm256_shuffle_epi8(_mm256_permute4x64_epi64::<0xFF>(t0), _mm256_set1_epi8(7));
        let t1 = _mm256_max_epu8(t1, t0_max);
        [
            _mm256_sub_epi8(_mm256_add_epi8(iota0, ones), t0),
            _mm256_sub_epi8(_mm256_add_epi8(iota32, ones), t1),
        ]
    }
}

// SAFETY: only instantiated in `encode` above, compiled with the backend's features.
unsafe impl Blocks for Avx2 {
    const BLOCK: usize = 64;
    // Two blocks a step: half the scan loop's branches on long runs (PERFORMANCE.md).
    const SKIP: usize = 128;
    // With 128-byte stretches a run of 128 would mostly end inside the first one, and long
    // runs of about that length would pay the scan without its gain (PERFORMANCE.md).
    const SCAN_AFTER: usize = 192;
    // 63 pairs, and the last 16-byte store may reach 16 bytes past them.
    const MAX_REACH: usize = 2 * 63 + 16;
    type Bytes = [__m256i; 2];
    type Mask = u64;

    #[inline(always)]
    unsafe fn load(at: *const u8) -> [__m256i; 2] {
        // SAFETY: the caller makes the 64 bytes at `at` readable; the CPU has AVX2.
        unsafe {
            [
                _mm256_loadu_si256(at.cast()),
                _mm256_loadu_si256(at.add(V).cast()),
            ]
        }
    }

    #[inline(always)]
    unsafe fn boundaries(b: &Block<[__m256i; 2]>) -> u64 {
        // SAFETY: the CPU has AVX2.
        let (eq0, eq1) = unsafe {
            (
                _mm256_movemask_epi8(_mm256_cmpeq_epi8(b.cur[0], b.prev[0])) as u32,
                _mm256_movemask_epi8(_mm256_cmpeq_epi8(b.cur[1], b.prev[1])) as u32,
            )
        };
        !(u64::from(eq1) << 32 | u64::from(eq0))
    }

    #[inline(always)]
    unsafe fn all_equal(at: *const u8, value: u8) -> bool {
        // SAFETY: the caller makes the SKIP bytes at `at` readable; the CPU has AVX2.
        unsafe {
            let splat = _mm256_set1_epi8(value as i8);
            let differ =
                |i: usize| _mm256_xor_si256(_mm256_loadu_si256(at.add(i * V).cast()), splat);
            let any = _mm256_or_si256(
                _mm256_or_si256(differ(0), differ(1)),
                _mm256_or_si256(differ(2), differ(3)),
            );
            _mm256_testz_si256(any, any) == 1
        }
    }

    #[inline(always)]
    unsafe fn singles(prev: [__m256i; 2], dst: *mut u8) {
        // SAFETY: the caller gives 128 bytes of room at `dst`; the CPU has AVX2.
        unsafe {
            let ones = _mm256_set1_epi8(1);
            // `unpack` works per 128-bit half, so halves are regrouped before the stores.
            let lo0 = _mm256_unpacklo_epi8(prev[0], ones);
            let hi0 = _mm256_unpackhi_epi8(prev[0], ones);
            let lo1 = _mm256_unpacklo_epi8(prev[1], ones);
            let hi1 = _mm256_unpackhi_epi8(prev[1], ones);
            _mm256_storeu_si256(dst.cast(), _mm256_permute2x128_si256::<0x20>(lo0, hi0));
            _mm256_storeu_si256(
                dst.add(V).cast(),
                _mm256_permute2x128_si256::<0x31>(lo0, hi0),
            );
            _mm256_storeu_si256(
                dst.add(2 * V).cast(),
                _mm256_permute2x128_si256::<0x20>(lo1, hi1),
            );
            _mm256_storeu_si256(
                dst.add(3 * V).cast(),
                _mm256_permute2x128_si256::<0x31>(lo1, hi1),
            );
        }
    }

    #[inline(always)]
    fn reach(pairs: usize) -> usize {
        if pairs <= SPARSE {
            2 * pairs
        } else {
            2 * pairs + 16
        }
    }

    #[inline(always)]
    unsafe fn runs(
        b: &Block<[__m256i; 2]>,
        at: *const u8,
        mask: u64,
        dst: *mut u8,
        _room: usize,
    ) -> usize {
        let m = mask & (mask - 1);
        if m.count_ones() as usize <= SPARSE {
            // SAFETY: the block is readable from `at - 1`, and the room is the caller's.
            return unsafe { runs_one_by_one(at, mask, dst) };
        }
        // SAFETY: `at - 2 .. at + 64` is readable (the driver's `load` contract); the CPU
        // has AVX2; the table patterns are 16 bytes each; the stores: 8 of 16 bytes, each
        // starting at most `2 * pairs` bytes after `dst`, within the `reach` the caller
        // gives room for.
        unsafe {
            let prevb = [
                _mm256_loadu_si256(at.sub(2).cast()),
                _mm256_loadu_si256(at.add(V - 2).cast()),
            ];
            let [counts0, counts1] = counts(b.prev, prevb);
            // Pairs of lanes 0-7 | 16-23 and 8-15 | 24-31 of each vector.
            let lo0 = _mm256_unpacklo_epi8(b.prev[0], counts0);
            let hi0 = _mm256_unpackhi_epi8(b.prev[0], counts0);
            let lo1 = _mm256_unpacklo_epi8(b.prev[1], counts1);
            let hi1 = _mm256_unpackhi_epi8(b.prev[1], counts1);
            let a0 = _mm256_shuffle_epi8(lo0, _mm256_loadu2_m128i(pattern(m, 2), pattern(m, 0)));
            let b0 = _mm256_shuffle_epi8(hi0, _mm256_loadu2_m128i(pattern(m, 3), pattern(m, 1)));
            let a1 = _mm256_shuffle_epi8(lo1, _mm256_loadu2_m128i(pattern(m, 6), pattern(m, 4)));
            let b1 = _mm256_shuffle_epi8(hi1, _mm256_loadu2_m128i(pattern(m, 7), pattern(m, 5)));
            let mut w = 0;
            _mm_storeu_si128(dst.add(w).cast(), _mm256_castsi256_si128(a0));
            w += group_bytes(m, 0);
            _mm_storeu_si128(dst.add(w).cast(), _mm256_castsi256_si128(b0));
            w += group_bytes(m, 1);
            _mm_storeu_si128(dst.add(w).cast(), _mm256_extracti128_si256::<1>(a0));
            w += group_bytes(m, 2);
            _mm_storeu_si128(dst.add(w).cast(), _mm256_extracti128_si256::<1>(b0));
            w += group_bytes(m, 3);
            _mm_storeu_si128(dst.add(w).cast(), _mm256_castsi256_si128(a1));
            w += group_bytes(m, 4);
            _mm_storeu_si128(dst.add(w).cast(), _mm256_castsi256_si128(b1));
            w += group_bytes(m, 5);
            _mm_storeu_si128(dst.add(w).cast(), _mm256_extracti128_si256::<1>(a1));
            w += group_bytes(m, 6);
            _mm_storeu_si128(dst.add(w).cast(), _mm256_extracti128_si256::<1>(b1));
            w + group_bytes(m, 7)
        }
    }
}
