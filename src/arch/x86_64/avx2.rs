//! The AVX2 kernel (with SSSE3 `pshufb`, BMI1, BMI2 and POPCNT).
//!
//! Per 32-byte block, the bytes that differ from their predecessor (the block compared with
//! itself loaded one byte earlier) form a 32-bit boundary mask. Each boundary at `i` closes
//! a run: its pair is `(prev[i], i - previous boundary)`, where `prev[i]` is the byte before
//! `i`. So the kernel works on all 32 candidate pairs at once:
//! - counts: every lane gets `i + 1 - (last boundary before i, plus one)`, the last
//!   boundary coming from a prefix maximum of the boundary positions; the first boundary's
//!   count, which continues the carried run, is patched afterwards;
//! - `unpack` interleaves `prev` and the counts into 16-bit pairs, 8 per 128-bit half;
//! - each 8-pair group is compressed to its boundaries' pairs by `pshufb` with a pattern
//!   from a 256-entry table indexed by the group's 8 mask bits (the simdjson technique,
//!   applied to whole pairs), stored as a whole vector, and the output advances by
//!   `2 * popcount` of those bits.
//!
//! Two fast paths: a block without boundaries only lengthens the open run (then a loop
//! skips 64 bytes at a time while they equal the run's value: long runs go at scan speed);
//! a block where every byte is a boundary (random data) is `prev` interleaved with ones.

use core::arch::x86_64::*;

use crate::scalar::Run;

const W: usize = 32;

/// Blocks with at most this many boundaries take the trailing-zero loop: fewer
/// instructions than the shuffle path for sparse boundaries (geo64-like data).
const SPARSE: u32 = 2;

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

/// The pattern for mask byte `m`, as a pointer for `_mm256_loadu2_m128i`.
#[inline(always)]
fn pattern(m: u32) -> *const __m128i {
    PAIR_SHUFFLES.0[(m & 0xFF) as usize].as_ptr().cast()
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
    let iota0 = _mm256_setr_epi8(
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24,
        25, 26, 27, 28, 29, 30, 31,
    );
    let iota1 = _mm256_add_epi8(iota0, ones);

    // Every block reads the two bytes before it. For the first block they are the run's
    // value (the byte before `input`; the one before that only feeds lane 0, which no
    // boundary reads), so it runs on a copy with them in front.
    let mut head = [value; W + 2];
    head[2..].copy_from_slice(&input[..W]);
    // SAFETY: `head` has 2 bytes before this point and W after it.
    let mut s: *const u8 = unsafe { head.as_ptr().add(2) };

    loop {
        debug_assert!(p + W <= n);
        // SAFETY: `s` is `src + p` with `p >= 1` and `p + W <= n`, or the block in `head`:
        // either way W bytes at `s` and one before it are readable.
        let (cur, prev) = unsafe {
            (
                _mm256_loadu_si256(s.cast()),
                _mm256_loadu_si256(s.sub(1).cast()),
            )
        };
        let m = !(_mm256_movemask_epi8(_mm256_cmpeq_epi8(cur, prev)) as u32);
        let room = cap - w;
        if m == 0 {
            // The whole block continues the run; then skip 64 bytes at a time while they
            // all equal the run's value. A step adds at most 64 to a run of at most 255,
            // so one split per step suffices.
            let grown = len + W as u32;
            if grown > 255 {
                if room < 2 {
                    break;
                }
                // SAFETY: 2 bytes of room at `w`, checked just above.
                unsafe { put(dst.add(w), value, 255) };
                w += 2;
                len = grown - 255;
            } else {
                len = grown;
            }
            p += W;
            let splat = _mm256_set1_epi8(value as i8);
            while p + 2 * W <= n {
                // SAFETY: `p + 2 * W <= n`.
                let (a, b) = unsafe {
                    (
                        _mm256_loadu_si256(src.add(p).cast()),
                        _mm256_loadu_si256(src.add(p + W).cast()),
                    )
                };
                let same =
                    _mm256_and_si256(_mm256_cmpeq_epi8(a, splat), _mm256_cmpeq_epi8(b, splat));
                if _mm256_movemask_epi8(same) != -1 {
                    break;
                }
                let grown = len + 2 * W as u32;
                if grown > 255 {
                    if cap - w < 2 {
                        break;
                    }
                    // SAFETY: 2 bytes of room at `w`, checked just above.
                    unsafe { put(dst.add(w), value, 255) };
                    w += 2;
                    len = grown - 255;
                } else {
                    len = grown;
                }
                p += 2 * W;
            }
        } else if m == u32::MAX {
            if room < 2 * W {
                break;
            }
            // The pairs are (prev[i], 1); prev[0] is the carried run's value, whose count
            // is `len` (at most 255: the run ends at the block's first byte). `unpack` works
            // per 128-bit half, so lanes are regrouped before the stores.
            let lo = _mm256_unpacklo_epi8(prev, ones);
            let hi = _mm256_unpackhi_epi8(prev, ones);
            // SAFETY: `2 * W` bytes of room at `w`, checked above; the byte at `s + W - 1`
            // is in the block.
            unsafe {
                let d = dst.add(w);
                _mm256_storeu_si256(d.cast(), _mm256_permute2x128_si256::<0x20>(lo, hi));
                _mm256_storeu_si256(d.add(W).cast(), _mm256_permute2x128_si256::<0x31>(lo, hi));
                d.add(1).write(len as u8);
                value = *s.add(W - 1);
            }
            w += 2 * W;
            len = 1;
            p += W;
        } else {
            let first = m.trailing_zeros();
            let mut count = len + first;
            let split = count > 255;
            // One pair per boundary plus the split of a carried run that outgrew 255.
            let pairs = 2 * (m.count_ones() as usize + split as usize);
            if m.count_ones() <= SPARSE {
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
                    len = W as u32 - last;
                }
                p += W;
                if p + W > n {
                    break;
                }
                // SAFETY: `p >= W` and `p + W <= n`.
                s = unsafe { src.add(p) };
                continue;
            }
            // The last 16-byte store may reach 16 bytes past the pairs. Most blocks pass
            // the cheap worst-case test (32 pairs and a split); near the end, count.
            if room < 2 * (W + 1) + 16 && room < pairs + 16 {
                break;
            }
            // Lane i of `starts` is i if a run starts at i - 1 (compare `prev` with the
            // bytes one further back), else 0; its prefix maximum is then one past the
            // last boundary before i, and `iota1` minus it the count of the pair at i.
            // SAFETY: as for `prev`, one more byte back: `p >= 2` or the block in `head`.
            let prev2 = unsafe { _mm256_loadu_si256(s.sub(2).cast()) };
            let mut t = _mm256_andnot_si256(_mm256_cmpeq_epi8(prev, prev2), iota0);
            t = _mm256_max_epu8(t, _mm256_bslli_epi128::<1>(t));
            t = _mm256_max_epu8(t, _mm256_bslli_epi128::<2>(t));
            t = _mm256_max_epu8(t, _mm256_bslli_epi128::<4>(t));
            t = _mm256_max_epu8(t, _mm256_bslli_epi128::<8>(t));
            // The high half also takes the low half's maximum (its byte 15).
            let low_max = _mm256_shuffle_epi8(_mm256_permute2x128_si256::<0x08>(t, t), lane15);
            t = _mm256_max_epu8(t, low_max);
            let counts = _mm256_sub_epi8(iota1, t);
            // Pairs of lanes 0-7 | 16-23 and 8-15 | 24-31.
            let lo = _mm256_unpacklo_epi8(prev, counts);
            let hi = _mm256_unpackhi_epi8(prev, counts);
            // SAFETY: the table patterns are 16 bytes each.
            let (shuf_lo, shuf_hi) = unsafe {
                (
                    _mm256_loadu2_m128i(pattern(m >> 16), pattern(m)),
                    _mm256_loadu2_m128i(pattern(m >> 24), pattern(m >> 8)),
                )
            };
            let a = _mm256_shuffle_epi8(lo, shuf_lo);
            let b = _mm256_shuffle_epi8(hi, shuf_hi);
            // SAFETY: the room test above covers the split pair, then 4 stores of 16 bytes,
            // each starting at most 2 * popcount(m) bytes after the first; the byte at
            // `s + W - 1` is in the block.
            unsafe {
                if split {
                    put(dst.add(w), value, 255);
                    w += 2;
                    count -= 255;
                }
                let w0 = w;
                _mm_storeu_si128(dst.add(w).cast(), _mm256_castsi256_si128(a));
                w += 2 * (m & 0xFF).count_ones() as usize;
                _mm_storeu_si128(dst.add(w).cast(), _mm256_castsi256_si128(b));
                w += 2 * ((m >> 8) & 0xFF).count_ones() as usize;
                _mm_storeu_si128(dst.add(w).cast(), _mm256_extracti128_si256::<1>(a));
                w += 2 * ((m >> 16) & 0xFF).count_ones() as usize;
                _mm_storeu_si128(dst.add(w).cast(), _mm256_extracti128_si256::<1>(b));
                w += 2 * (m >> 24).count_ones() as usize;
                // The first pair continues the carried run.
                dst.add(w0 + 1).write(count as u8);
                value = *s.add(W - 1);
            }
            len = W as u32 - (31 - m.leading_zeros());
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
