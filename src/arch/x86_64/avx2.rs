//! The AVX2 kernel (with SSSE3 `pshufb`, BMI1, BMI2 and POPCNT).
//!
//! The input goes in 64-byte blocks, two 32-byte vectors. The bytes that differ from their
//! predecessor (the block compared with itself loaded one byte earlier) form a 64-bit
//! boundary mask. Each boundary at `i` closes a run: its pair is `(prev[i], i - previous
//! boundary)`, where `prev[i]` is the byte before `i`. So the kernel builds all 64
//! candidate pairs at once and keeps those at boundaries:
//! - counts: lane `i` gets `i + 1 - (last boundary before i, plus one)`, the last boundary
//!   coming from a prefix maximum of the boundary positions (shifts and `max` within each
//!   128-bit half, then carried across halves and vectors); the first boundary's count,
//!   which continues the carried run, is patched in afterwards;
//! - `unpack` interleaves `prev` and the counts into 16-bit pairs, 8 per 128-bit half;
//! - each 8-pair group is compressed to its boundaries' pairs by `pshufb` with a pattern
//!   from a 256-entry table indexed by the group's 8 mask bits (the simdjson technique,
//!   applied to whole pairs), stored as a whole 16-byte vector, and the output advances
//!   by `2 * popcount` of those bits.
//!
//! Fast paths: a block without boundaries only lengthens the open run (then a loop skips
//! 64 bytes at a time while they equal the run's value: long runs go at scan speed); a
//! block where every byte is a boundary (random data) is `prev` interleaved with ones; a
//! block with at most [`SPARSE`] boundaries writes its few pairs one by one.

/// The decode primitives of this ISA (the block driver is `crate::decode`). The explicit
/// path keeps it found when this file is included by path (the Bochs harness).
#[path = "avx2/decode.rs"]
pub(crate) mod decode;

use core::arch::x86_64::*;

use crate::scalar::Run;

/// Bytes per block.
const W: usize = 64;
/// Bytes per vector.
const V: usize = 32;

/// Blocks with at most this many boundaries take a trailing-zero loop: fewer instructions
/// than the shuffle path for sparse boundaries (runs of tens of bytes), and rare enough in
/// dense data (4% of blocks at a mean run of 8) that the branch stays predictable.
const SPARSE: u32 = 3;

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

/// Writes the pair `(value, count)` at `dst`.
///
/// # Safety
/// `dst` is valid for 2 bytes of writes.
#[inline(always)]
unsafe fn put(dst: *mut u8, value: u8, count: u8) {
    // SAFETY: forwarded from the caller.
    unsafe {
        dst.cast::<u16>()
            .write_unaligned(u16::from_le_bytes([value, count]))
    }
}

/// The pattern for the low byte of `m`, as a pointer for `_mm256_loadu2_m128i`.
#[inline(always)]
fn pattern(m: u64) -> *const __m128i {
    PAIR_SHUFFLES.0[(m & 0xFF) as usize].as_ptr().cast()
}

/// Bytes of output of the 8-pair group whose mask is the low byte of `m`.
#[inline(always)]
fn group_bytes(m: u64) -> usize {
    2 * (m & 0xFF).count_ones() as usize
}

/// Prefix maximum over the 32 byte lanes of `t`.
#[target_feature(enable = "avx2")]
#[inline]
fn prefix_max(t: __m256i, lane15: __m256i) -> __m256i {
    let t = _mm256_max_epu8(t, _mm256_bslli_epi128::<1>(t));
    let t = _mm256_max_epu8(t, _mm256_bslli_epi128::<2>(t));
    let t = _mm256_max_epu8(t, _mm256_bslli_epi128::<4>(t));
    let t = _mm256_max_epu8(t, _mm256_bslli_epi128::<8>(t));
    // The high half also takes the low half's maximum (its byte 15).
    let low_max = _mm256_shuffle_epi8(_mm256_permute2x128_si256::<0x08>(t, t), lane15);
    _mm256_max_epu8(t, low_max)
}

/// The AVX2 kernel; see [`Kernel`](crate::scalar::Kernel) for the contract.
///
/// # Safety
/// The CPU supports AVX2, SSSE3, BMI1, BMI2 and POPCNT and the OS the AVX state; `run`
/// satisfies the kernel contract.
#[target_feature(enable = "avx2,bmi1,bmi2,popcnt")]
pub(crate) unsafe fn encode(run: &mut Run, input: &[u8], out: &mut [u8]) -> (usize, usize) {
    let n = input.len();
    if n < W {
        return (0, 0);
    }
    let src = input.as_ptr();
    let dst = out.as_mut_ptr();
    let cap = out.len();
    let mut value = run.value;
    let mut len = run.len;
    let mut p = 0;
    let mut w = 0;

    let ones = _mm256_set1_epi8(1);
    let lane15 = _mm256_set1_epi8(15);
    let lane7 = _mm256_set1_epi8(7);
    let iota0 = _mm256_setr_epi8(
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24,
        25, 26, 27, 28, 29, 30, 31,
    );
    let iota1 = _mm256_add_epi8(iota0, ones);
    let iota32 = _mm256_add_epi8(iota0, _mm256_set1_epi8(32));
    let iota33 = _mm256_add_epi8(iota32, ones);

    // Every block reads the two bytes before it. For the first block they are the run's
    // value (the byte before `input`; the one before that only feeds lane 0 of the
    // run-start compare, which no count reads), so it runs on a copy with them in front.
    let mut head = [value; W + 2];
    head[2..].copy_from_slice(&input[..W]);
    // SAFETY: `head` has 2 bytes before this point and W after it.
    let mut s: *const u8 = unsafe { head.as_ptr().add(2) };

    'blocks: loop {
        debug_assert!(p + W <= n);
        // SAFETY: `s` is `src + p` with `p >= W` and `p + W <= n`, or the block in `head`:
        // either way the W bytes at `s` and the two before them are readable.
        let (cur0, cur1, prev0, prev1) = unsafe {
            (
                _mm256_loadu_si256(s.cast()),
                _mm256_loadu_si256(s.add(V).cast()),
                _mm256_loadu_si256(s.sub(1).cast()),
                _mm256_loadu_si256(s.add(V - 1).cast()),
            )
        };
        let eq0 = _mm256_movemask_epi8(_mm256_cmpeq_epi8(cur0, prev0)) as u32;
        let eq1 = _mm256_movemask_epi8(_mm256_cmpeq_epi8(cur1, prev1)) as u32;
        let m = !(u64::from(eq1) << 32 | u64::from(eq0));
        let room = cap - w;
        if m == 0 {
            // The whole block continues the run, and so do the next ones while all their
            // bytes equal the run's value. A block adds 64 to a run of at most 255, so one
            // split per block suffices.
            let splat = _mm256_set1_epi8(value as i8);
            loop {
                let grown = len + W as u32;
                if grown > 255 {
                    if cap - w < 2 {
                        // No room for the split: stop the kernel here (a plain `break`
                        // would retry this same block forever).
                        break 'blocks;
                    }
                    // SAFETY: 2 bytes of room at `w`, checked just above.
                    unsafe { put(dst.add(w), value, 255) };
                    w += 2;
                    len = grown - 255;
                } else {
                    len = grown;
                }
                p += W;
                if p + W > n {
                    break;
                }
                // SAFETY: `p + W <= n`.
                let (a, b) = unsafe {
                    (
                        _mm256_loadu_si256(src.add(p).cast()),
                        _mm256_loadu_si256(src.add(p + V).cast()),
                    )
                };
                let same =
                    _mm256_and_si256(_mm256_cmpeq_epi8(a, splat), _mm256_cmpeq_epi8(b, splat));
                if _mm256_movemask_epi8(same) != -1 {
                    break;
                }
            }
        } else if m == u64::MAX {
            if room < 2 * W {
                break;
            }
            // The pairs are (prev[i], 1); prev[0] is the carried run's value, whose count
            // is `len` (at most 255: the run ends at the block's first byte). `unpack` works
            // per 128-bit half, so halves are regrouped before the stores.
            let lo0 = _mm256_unpacklo_epi8(prev0, ones);
            let hi0 = _mm256_unpackhi_epi8(prev0, ones);
            let lo1 = _mm256_unpacklo_epi8(prev1, ones);
            let hi1 = _mm256_unpackhi_epi8(prev1, ones);
            // SAFETY: `2 * W` bytes of room at `w`, checked above; the byte at `s + W - 1`
            // is in the block.
            unsafe {
                let d = dst.add(w);
                _mm256_storeu_si256(d.cast(), _mm256_permute2x128_si256::<0x20>(lo0, hi0));
                _mm256_storeu_si256(d.add(V).cast(), _mm256_permute2x128_si256::<0x31>(lo0, hi0));
                _mm256_storeu_si256(
                    d.add(2 * V).cast(),
                    _mm256_permute2x128_si256::<0x20>(lo1, hi1),
                );
                _mm256_storeu_si256(
                    d.add(3 * V).cast(),
                    _mm256_permute2x128_si256::<0x31>(lo1, hi1),
                );
                d.add(1).write(len as u8);
                value = *s.add(W - 1);
            }
            w += 2 * W;
            len = 1;
            p += W;
        } else {
            let boundaries = m.count_ones();
            let first = m.trailing_zeros();
            let mut count = len + first;
            let split = count > 255;
            // One pair per boundary plus the split of a carried run that outgrew 255.
            let pairs = 2 * (boundaries as usize + split as usize);
            if boundaries <= SPARSE {
                if room < pairs {
                    break;
                }
                // SAFETY: the pairs written are the ones the room test above counts; the
                // reads are at block offsets below W.
                unsafe {
                    if split {
                        put(dst.add(w), value, 255);
                        w += 2;
                        count -= 255;
                    }
                    put(dst.add(w), value, count as u8);
                    w += 2;
                    let mut m = m & (m - 1);
                    let mut last = first;
                    value = *s.add(first as usize);
                    while m != 0 {
                        let at = m.trailing_zeros();
                        put(dst.add(w), value, (at - last) as u8);
                        w += 2;
                        value = *s.add(at as usize);
                        last = at;
                        m &= m - 1;
                    }
                }
            } else {
                // The last 16-byte store may reach 16 bytes past the pairs. Most blocks pass
                // the cheap worst-case test (64 pairs and a split); near the end, count.
                if room < 2 * (W + 1) + 16 && room < pairs + 16 {
                    break;
                }
                // Lane i of `t0`, `t1` is i if a run starts at i - 1 (compare `prev` with
                // the bytes one further back), else 0; its prefix maximum is then one past
                // the last boundary before i, and `i + 1` minus it the count of the pair
                // at i. Block offsets (at most 64) fit in a byte.
                // SAFETY: as for `prev0`, one byte further back.
                let (prev0b, prev1b) = unsafe {
                    (
                        _mm256_loadu_si256(s.sub(2).cast()),
                        _mm256_loadu_si256(s.add(V - 2).cast()),
                    )
                };
                let t0 = _mm256_andnot_si256(_mm256_cmpeq_epi8(prev0, prev0b), iota0);
                let t0 = prefix_max(t0, lane15);
                let t1 = _mm256_andnot_si256(_mm256_cmpeq_epi8(prev1, prev1b), iota32);
                let t1 = prefix_max(t1, lane15);
                // The second vector also takes the first one's maximum (its byte 31).
                let t0_max = _mm256_shuffle_epi8(_mm256_permute4x64_epi64::<0xFF>(t0), lane7);
                let t1 = _mm256_max_epu8(t1, t0_max);
                let counts0 = _mm256_sub_epi8(iota1, t0);
                let counts1 = _mm256_sub_epi8(iota33, t1);
                // Pairs of lanes 0-7 | 16-23 and 8-15 | 24-31 of each vector.
                let lo0 = _mm256_unpacklo_epi8(prev0, counts0);
                let hi0 = _mm256_unpackhi_epi8(prev0, counts0);
                let lo1 = _mm256_unpacklo_epi8(prev1, counts1);
                let hi1 = _mm256_unpackhi_epi8(prev1, counts1);
                // SAFETY: the table patterns are 16 bytes each.
                let (a0, b0, a1, b1) = unsafe {
                    (
                        _mm256_shuffle_epi8(lo0, _mm256_loadu2_m128i(pattern(m >> 16), pattern(m))),
                        _mm256_shuffle_epi8(
                            hi0,
                            _mm256_loadu2_m128i(pattern(m >> 24), pattern(m >> 8)),
                        ),
                        _mm256_shuffle_epi8(
                            lo1,
                            _mm256_loadu2_m128i(pattern(m >> 48), pattern(m >> 32)),
                        ),
                        _mm256_shuffle_epi8(
                            hi1,
                            _mm256_loadu2_m128i(pattern(m >> 56), pattern(m >> 40)),
                        ),
                    )
                };
                // SAFETY: the room test above covers the split pair, then 8 stores of 16
                // bytes, each starting at most 2 * popcount(m) bytes after the first.
                unsafe {
                    if split {
                        put(dst.add(w), value, 255);
                        w += 2;
                        count -= 255;
                    }
                    let w0 = w;
                    _mm_storeu_si128(dst.add(w).cast(), _mm256_castsi256_si128(a0));
                    w += group_bytes(m);
                    _mm_storeu_si128(dst.add(w).cast(), _mm256_castsi256_si128(b0));
                    w += group_bytes(m >> 8);
                    _mm_storeu_si128(dst.add(w).cast(), _mm256_extracti128_si256::<1>(a0));
                    w += group_bytes(m >> 16);
                    _mm_storeu_si128(dst.add(w).cast(), _mm256_extracti128_si256::<1>(b0));
                    w += group_bytes(m >> 24);
                    _mm_storeu_si128(dst.add(w).cast(), _mm256_castsi256_si128(a1));
                    w += group_bytes(m >> 32);
                    _mm_storeu_si128(dst.add(w).cast(), _mm256_castsi256_si128(b1));
                    w += group_bytes(m >> 40);
                    _mm_storeu_si128(dst.add(w).cast(), _mm256_extracti128_si256::<1>(a1));
                    w += group_bytes(m >> 48);
                    _mm_storeu_si128(dst.add(w).cast(), _mm256_extracti128_si256::<1>(b1));
                    w += group_bytes(m >> 56);
                    // The first pair continues the carried run.
                    dst.add(w0 + 1).write(count as u8);
                }
                // SAFETY: the block's last byte.
                value = unsafe { *s.add(W - 1) };
            }
            // The run now open started at the last boundary.
            len = m.leading_zeros() + 1;
            p += W;
        }
        if p + W > n {
            break;
        }
        // SAFETY: `p >= W` and `p + W <= n`.
        s = unsafe { src.add(p) };
    }
    *run = Run { value, len };
    (p, w)
}
