//! The NEON kernel: 16-byte blocks, boundaries as a 4-bits-per-byte mask (`shrn` by 4),
//! run values and start positions compressed with `tbl` lookup tables.
//!
//! Per block, a boundary is a byte that differs from its predecessor (the block compared
//! with itself shifted by one lane, the previous block's last byte carried in). Four cases,
//! cheapest first, chosen by the 64-bit nibble mask:
//! - no boundary: the open run grows by 16; then blocks of 64 are compared with the run's
//!   value until one differs, so long runs go at load speed;
//! - every byte a boundary (random data): the block zipped with ones is the output; then
//!   32 bytes at a time while that lasts;
//! - one boundary (long runs): one pair, scalar;
//! - otherwise the boundary positions are compressed with `tbl` tables indexed by the two
//!   8-bit halves of the mask, run lengths are differences of adjacent positions, values
//!   are gathered with a second `tbl`, and values and counts are zipped and stored whole.
//!
//! The pair closing the run carried into a block is written by scalar code, since it alone
//! can exceed 255 (it then splits into `(v, 255)` and the rest). Room in `out` is checked
//! per block against what that block stores, so an exactly sized `out` keeps the kernel
//! running to within a block or two of the end.

/// The decode primitives of this ISA (the block driver is `crate::decode`). The explicit
/// path keeps it found when this file is included by path (the Bochs harness).
#[path = "neon/decode.rs"]
pub(crate) mod decode;

use core::arch::aarch64::{
    uint8x16_t, vaddq_u8, vandq_u8, vceqq_u8, vcombine_u8, vdup_n_u8, vdupq_n_u8, vextq_u8,
    vget_lane_u64, vld1_u8, vld1q_u8, vorrq_u8, vqtbl1q_u8, vreinterpret_u64_u8,
    vreinterpretq_u16_u8, vsetq_lane_u8, vshrn_n_u16, vst1q_u8, vsubq_u8, vzip1q_u8, vzip2q_u8,
};

use crate::scalar::Run;

/// Bytes per block.
const BLOCK: usize = 16;

/// Entry `m`: the positions (0..8) of the set bits of `m`, lowest first; the lanes past
/// `m.count_ones()` are never read as results.
static COMPRESS: [[u8; 8]; 256] = compress_table();

/// Entry `c` (0..=8): the `tbl` indices that close the gap between the low half's `c`
/// compressed lanes and the high half's, which start at lane 8. Rows 9..16 are padding so
/// that an index masked with 15 needs no bounds check.
static CLOSE_GAP: [[u8; 16]; 16] = close_gap_table();

/// `POPCOUNT[m] == m.count_ones()`: aarch64 has no scalar popcount before FEAT_CSSC, and a
/// byte load is cheaper than the round trip through a vector register.
static POPCOUNT: [u8; 256] = popcount_table();

const fn compress_table() -> [[u8; 8]; 256] {
    let mut table = [[0u8; 8]; 256];
    let mut m = 0;
    while m < 256 {
        let mut k = 0;
        let mut bit = 0;
        while bit < 8 {
            if (m >> bit) & 1 != 0 {
                table[m][k] = bit as u8;
                k += 1;
            }
            bit += 1;
        }
        m += 1;
    }
    table
}

const fn close_gap_table() -> [[u8; 16]; 16] {
    let mut table = [[0u8; 16]; 16];
    let mut c = 0;
    while c <= 8 {
        let mut lane = 0;
        while lane < 16 {
            // Out-of-range `tbl` indices (>= 16) read as 0: only lanes past every boundary.
            table[c][lane] = if lane < c { lane } else { lane - c + 8 } as u8;
            lane += 1;
        }
        c += 1;
    }
    table
}

const fn popcount_table() -> [u8; 256] {
    let mut table = [0u8; 256];
    let mut m = 0;
    while m < 256 {
        table[m] = (m as u8).count_ones() as u8;
        m += 1;
    }
    table
}

/// The `shrn`-by-4 mask of a comparison result: nibble `j` of the result is all ones
/// exactly when lane `j` is.
#[inline]
#[target_feature(enable = "neon")]
fn nibble_mask(eq: uint8x16_t) -> u64 {
    vget_lane_u64::<0>(vreinterpret_u64_u8(vshrn_n_u16::<4>(vreinterpretq_u16_u8(
        eq,
    ))))
}

/// The two 8-bit lane masks (lanes 0..8 and 8..16) of a nibble mask, one bit per lane.
/// Plain integer code: it runs on the integer pipes while the vector pipes are busy.
#[inline(always)]
fn lane_masks(nibbles: u64) -> (usize, usize) {
    // Bit 4j is lane j; each step halves the stride, pulling pairs of groups together.
    let x = nibbles & 0x1111_1111_1111_1111;
    let x = (x | (x >> 3)) & 0x0303_0303_0303_0303;
    let x = (x | (x >> 6)) & 0x000f_000f_000f_000f;
    let x = x | (x >> 12);
    ((x & 0xff) as usize, ((x >> 32) & 0xff) as usize)
}

/// Writes the pair `(value, count)` at `dst`.
///
/// # Safety
/// `dst..dst + 2` is writable.
#[inline(always)]
unsafe fn put(dst: *mut u8, value: u8, count: u8) {
    // SAFETY: the caller guarantees two writable bytes at `dst`.
    unsafe { dst.cast::<[u8; 2]>().write_unaligned([value, count]) };
}

/// The NEON kernel (see [`Kernel`](crate::scalar::Kernel)).
///
/// # Safety
/// The CPU must have NEON. It always has where this module is compiled (`neon` is a
/// compile-time target feature); the function is `unsafe` only because a
/// `#[target_feature]` function must be to become a [`Kernel`](crate::scalar::Kernel).
#[target_feature(enable = "neon")]
pub(crate) unsafe fn encode(run: &mut Run, input: &[u8], out: &mut [u8]) -> (usize, usize) {
    let n = input.len();
    let cap = out.len();
    let src = input.as_ptr();
    let dst = out.as_mut_ptr();
    let mut value = run.value;
    let mut len = run.len;
    // Consumed input and written output: `i <= n`, `w <= cap` throughout.
    let mut i = 0;
    let mut w = 0;
    // Lane 15 is the byte before the next block: the open run's value, as the contract
    // says `run.value` is the byte before `input[0]`.
    let mut prev = vdupq_n_u8(value);
    let ones = vdupq_n_u8(1);
    let high_half = vcombine_u8(vdup_n_u8(0), vdup_n_u8(8));

    'blocks: while n - i >= BLOCK {
        // SAFETY: `i + 16 <= n`, so the 16 bytes read are inside `input`.
        let cur = unsafe { vld1q_u8(src.add(i)) };
        let before = vextq_u8::<15>(prev, cur);
        let boundaries = !nibble_mask(vceqq_u8(cur, before));

        if boundaries == 0 {
            // The whole block extends the open run; every lane of `cur` is `value`.
            let grown = len + BLOCK as u32;
            if grown > 255 {
                if cap - w < 2 {
                    break;
                }
                // SAFETY: `w + 2 <= cap` was just checked.
                unsafe { put(dst.add(w), value, 255) };
                w += 2;
                len = grown - 255;
            } else {
                len = grown;
            }
            i += BLOCK;
            prev = cur;
            // Scan on 64 bytes at a time while they all equal `value`.
            while n - i >= 4 * BLOCK {
                // SAFETY: `i + 64 <= n`: all four loads are inside `input`.
                let (a, b, c, d) = unsafe {
                    let p = src.add(i);
                    (
                        vld1q_u8(p),
                        vld1q_u8(p.add(BLOCK)),
                        vld1q_u8(p.add(2 * BLOCK)),
                        vld1q_u8(p.add(3 * BLOCK)),
                    )
                };
                let same = vandq_u8(
                    vandq_u8(vceqq_u8(a, cur), vceqq_u8(b, cur)),
                    vandq_u8(vceqq_u8(c, cur), vceqq_u8(d, cur)),
                );
                if nibble_mask(same) != u64::MAX {
                    break;
                }
                // `len <= 255` before, so at most one `(value, 255)` pair falls due.
                let grown = len + 4 * BLOCK as u32;
                if grown > 255 {
                    if cap - w < 2 {
                        break 'blocks;
                    }
                    // SAFETY: `w + 2 <= cap` was just checked.
                    unsafe { put(dst.add(w), value, 255) };
                    w += 2;
                    len = grown - 255;
                } else {
                    len = grown;
                }
                i += 4 * BLOCK;
            }
            continue;
        }

        // SAFETY: `i + 16 <= n`.
        let last = unsafe { *src.add(i + BLOCK - 1) };

        if boundaries == u64::MAX {
            // Every byte starts a run: the pairs are `(before[j], 1)`, except that the
            // first closes the carried run, `len <= 255` long (no split), and `cur[15]`
            // stays open.
            if cap - w < 2 * BLOCK {
                break;
            }
            let counts = vsetq_lane_u8::<0>(len as u8, ones);
            // SAFETY: `w + 32 <= cap` was just checked.
            unsafe {
                vst1q_u8(dst.add(w), vzip1q_u8(before, counts));
                vst1q_u8(dst.add(w + BLOCK), vzip2q_u8(before, counts));
            }
            w += 2 * BLOCK;
            len = 1;
            i += BLOCK;
            prev = cur;
            // Random data: go on 32 bytes at a time while every byte starts a run. The
            // open run is then always one byte long, so every count is 1, the pairs are
            // the shifted input zipped with ones, and there is no state but `prev`.
            while n - i >= 2 * BLOCK && cap - w >= 4 * BLOCK {
                // SAFETY: `i + 32 <= n`: both loads are inside `input`.
                let (a, b) = unsafe { (vld1q_u8(src.add(i)), vld1q_u8(src.add(i + BLOCK))) };
                let a_before = vextq_u8::<15>(prev, a);
                let b_before = vextq_u8::<15>(a, b);
                let equal = vorrq_u8(vceqq_u8(a, a_before), vceqq_u8(b, b_before));
                if nibble_mask(equal) != 0 {
                    break;
                }
                // SAFETY: `w + 64 <= cap` is the loop condition.
                unsafe {
                    let p = dst.add(w);
                    vst1q_u8(p, vzip1q_u8(a_before, ones));
                    vst1q_u8(p.add(BLOCK), vzip2q_u8(a_before, ones));
                    vst1q_u8(p.add(2 * BLOCK), vzip1q_u8(b_before, ones));
                    vst1q_u8(p.add(3 * BLOCK), vzip2q_u8(b_before, ones));
                }
                w += 4 * BLOCK;
                i += 2 * BLOCK;
                prev = b;
            }
            // SAFETY: `i >= 16` here, and `i <= n`.
            value = unsafe { *src.add(i - 1) };
            continue;
        }

        let first = boundaries.trailing_zeros() / 4;
        let final_start = (BLOCK as u32 - 1) - boundaries.leading_zeros() / 4;
        // The carried run ends at the first boundary; with `len <= 255` it is at most
        // 270 long, so it needs at most two pairs.
        let closing = len + first;
        let closing_bytes = if closing > 255 { 4 } else { 2 };

        if first == final_start {
            // One boundary: the carried run closes, one run opens.
            if cap - w < closing_bytes {
                break;
            }
            // SAFETY: `w + closing_bytes <= cap` was just checked.
            unsafe { close(dst.add(w), value, closing) };
            w += closing_bytes;
        } else {
            let (lo, hi) = lane_masks(boundaries);
            let lo_count = POPCOUNT[lo];
            let runs = usize::from(lo_count) + usize::from(POPCOUNT[hi]);
            // Pairs stored by vector: the `runs - 1` runs that start and end in the block.
            let pairs = runs - 1;
            // Room for the most any block stores (4 + 32 bytes) is the usual case, and
            // then both halves are stored without a test; near the end of `out` only
            // what this block needs is asked for: an exactly sized `out` keeps the kernel
            // going to within a block of its end.
            let wide = cap - w >= 4 + 2 * BLOCK;
            let store = if wide || pairs > BLOCK / 2 {
                2 * BLOCK
            } else {
                BLOCK
            };
            if !wide && cap - w < closing_bytes + store {
                break;
            }
            // SAFETY: `w + closing_bytes <= cap`: implied by `wide` (`closing_bytes <= 4`)
            // or checked just above.
            unsafe { close(dst.add(w), value, closing) };
            w += closing_bytes;
            // SAFETY: the tables are statics of 8 and 16 bytes per entry.
            let (lo_idx, hi_idx, gap) = unsafe {
                (
                    vld1_u8(COMPRESS[lo].as_ptr()),
                    vld1_u8(COMPRESS[hi].as_ptr()),
                    vld1q_u8(CLOSE_GAP[usize::from(lo_count) & 15].as_ptr()),
                )
            };
            // Lane j: the position of the j-th boundary, for j < runs.
            let starts = vqtbl1q_u8(vaddq_u8(vcombine_u8(lo_idx, hi_idx), high_half), gap);
            let values = vqtbl1q_u8(cur, starts);
            let counts = vsubq_u8(vextq_u8::<1>(starts, starts), starts);
            // SAFETY: `w + store <= cap` holds (checked above before `w` grew by
            // `closing_bytes`, or implied by `wide`), and `store` is 32 whenever the second
            // store happens.
            unsafe {
                vst1q_u8(dst.add(w), vzip1q_u8(values, counts));
                if store > BLOCK {
                    vst1q_u8(dst.add(w + BLOCK), vzip2q_u8(values, counts));
                }
            }
            w += 2 * pairs;
        }
        value = last;
        len = BLOCK as u32 - final_start;
        i += BLOCK;
        prev = cur;
    }
    *run = Run { value, len };
    (i, w)
}

/// Writes the pairs of a run of `len` bytes (1..=270): `(value, 255)` first if needed.
///
/// # Safety
/// `dst` has room for the 2 or 4 bytes written.
#[inline(always)]
unsafe fn close(dst: *mut u8, value: u8, len: u32) {
    if len > 255 {
        // SAFETY: `len > 255` means the caller made room for 4 bytes.
        unsafe {
            put(dst, value, 255);
            put(dst.add(2), value, (len - 255) as u8);
        }
    } else {
        // SAFETY: the caller made room for at least 2 bytes.
        unsafe { put(dst, value, len as u8) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lane_masks_gather_every_nibble() {
        for lanes in 0..=u16::MAX {
            let mut nibbles = 0u64;
            for j in 0..16 {
                if lanes >> j & 1 != 0 {
                    nibbles |= 0xf << (4 * j);
                }
            }
            let (lo, hi) = lane_masks(nibbles);
            assert_eq!(
                (lo, hi),
                (usize::from(lanes as u8), usize::from(lanes >> 8))
            );
        }
    }

    #[test]
    fn tables_compress() {
        for m in 0..256usize {
            let set: [u8; 8] = core::array::from_fn(|b| b as u8);
            let expected = set.iter().filter(|&&b| m >> b & 1 != 0);
            assert!(expected.zip(COMPRESS[m].iter()).all(|(a, b)| a == b));
            assert_eq!(u32::from(POPCOUNT[m]), (m as u32).count_ones());
        }
    }
}
