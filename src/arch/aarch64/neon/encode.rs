//! The NEON primitives of the encode driver ([`crate::encode`]): 16-byte blocks,
//! boundaries as a 4-bits-per-byte mask (`shrn` by 4, NEON has no movemask), run values and
//! start positions compressed with `tbl` lookup tables.
//!
//! The compress step gets the boundaries after the first, whose runs lie wholly inside the
//! block: the boundary positions are compressed with `tbl` tables indexed by the two 8-bit
//! halves of the mask, run lengths are differences of adjacent positions, values are
//! gathered with a second `tbl`, and values and counts are zipped and stored whole (16
//! bytes, or 32 when more than 8 pairs or room allow).

use core::arch::aarch64::{
    uint8x16_t, vaddq_u8, vandq_u8, vceqq_u8, vcombine_u8, vdup_n_u8, vdupq_n_u8, vextq_u8,
    vget_lane_u64, vld1_u8, vld1q_u8, vqtbl1q_u8, vreinterpret_u64_u8, vreinterpretq_u16_u8,
    vshrn_n_u16, vst1q_u8, vsubq_u8, vzip1q_u8, vzip2q_u8,
};

use crate::encode::{self, Block, Blocks, Mask};
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

neon! {
    /// The `shrn`-by-4 mask of a comparison result: nibble `j` of the result is all ones
    /// exactly when lane `j` is.
    #[inline]
    fn nibble_mask(eq: uint8x16_t) -> u64 {
        vget_lane_u64::<0>(vreinterpret_u64_u8(vshrn_n_u16::<4>(vreinterpretq_u16_u8(eq))))
    }
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

/// A boundary mask of four bits per byte, as `shrn` gives it.
#[derive(Clone, Copy)]
struct Nibbles(u64);

impl Mask for Nibbles {
    #[inline(always)]
    fn is_empty(self) -> bool {
        self.0 == 0
    }
    #[inline(always)]
    fn is_full(self) -> bool {
        self.0 == u64::MAX
    }
    #[inline(always)]
    fn count(self) -> usize {
        self.0.count_ones() as usize / 4
    }
    #[inline(always)]
    fn first(self) -> usize {
        self.0.trailing_zeros() as usize / 4
    }
    #[inline(always)]
    fn last(self) -> usize {
        (BLOCK - 1) - self.0.leading_zeros() as usize / 4
    }
}

neon! {
    /// The NEON kernel (see [`Kernel`](crate::scalar::Kernel)).
    ///
    /// # Safety
    /// The CPU has the NEON backend's features. It always has where this module is
    /// compiled (`neon` is a compile-time target feature); the function is `unsafe` only
    /// because a `#[target_feature]` function must be to become a
    /// [`Kernel`](crate::scalar::Kernel).
    pub(crate) unsafe fn encode(run: &mut Run, input: &[u8], out: &mut [core::mem::MaybeUninit<u8>]) -> (usize, usize) {
        // SAFETY: this function is compiled with the backend's features, which the CPU has.
        unsafe { encode::encode::<Neon>(run, input, out) }
    }
}

struct Neon;

// SAFETY: only instantiated in `encode` above, compiled with the backend's features.
unsafe impl Blocks for Neon {
    const BLOCK: usize = BLOCK;
    const SKIP: usize = 4 * BLOCK;
    const MAX_REACH: usize = 2 * BLOCK;
    type Bytes = uint8x16_t;
    type Mask = Nibbles;

    #[inline(always)]
    unsafe fn load(at: *const u8) -> uint8x16_t {
        // SAFETY: the caller makes the 16 bytes at `at` readable; the CPU has NEON.
        unsafe { vld1q_u8(at) }
    }

    #[inline(always)]
    unsafe fn boundaries(b: &Block<uint8x16_t>) -> Nibbles {
        // SAFETY: the CPU has NEON.
        Nibbles(!unsafe { nibble_mask(vceqq_u8(b.cur, b.prev)) })
    }

    #[inline(always)]
    unsafe fn all_equal(at: *const u8, value: u8) -> bool {
        // SAFETY: the caller makes the 64 bytes at `at` readable; the CPU has NEON.
        unsafe {
            let v = vdupq_n_u8(value);
            let (a, b, c, d) = (
                vld1q_u8(at),
                vld1q_u8(at.add(BLOCK)),
                vld1q_u8(at.add(2 * BLOCK)),
                vld1q_u8(at.add(3 * BLOCK)),
            );
            let same = vandq_u8(
                vandq_u8(vceqq_u8(a, v), vceqq_u8(b, v)),
                vandq_u8(vceqq_u8(c, v), vceqq_u8(d, v)),
            );
            nibble_mask(same) == u64::MAX
        }
    }

    #[inline(always)]
    unsafe fn singles(prev: uint8x16_t, dst: *mut u8) {
        // SAFETY: the caller gives 32 bytes of room at `dst`; the CPU has NEON.
        unsafe {
            let ones = vdupq_n_u8(1);
            vst1q_u8(dst, vzip1q_u8(prev, ones));
            vst1q_u8(dst.add(BLOCK), vzip2q_u8(prev, ones));
        }
    }

    #[inline(always)]
    fn reach(pairs: usize) -> usize {
        match pairs {
            0 => 0,
            1..=8 => BLOCK,
            _ => 2 * BLOCK,
        }
    }

    #[inline(always)]
    unsafe fn runs(
        b: &Block<uint8x16_t>,
        _at: *const u8,
        mask: Nibbles,
        dst: *mut u8,
        room: usize,
    ) -> usize {
        if mask.first() == mask.last() {
            return 0;
        }
        let (lo, hi) = lane_masks(mask.0);
        let lo_count = POPCOUNT[lo];
        let pairs = usize::from(lo_count) + usize::from(POPCOUNT[hi]) - 1;
        // SAFETY: the CPU has NEON; the tables are statics of 8 and 16 bytes per entry; the
        // stores: `room >= reach(pairs)`, 16 bytes, and 32 whenever the second store runs
        // (it runs for `pairs > 8`, where `reach` is 32, or when `room` has them anyway).
        unsafe {
            let high_half = vcombine_u8(vdup_n_u8(0), vdup_n_u8(8));
            let (lo_idx, hi_idx, gap) = (
                vld1_u8(COMPRESS[lo].as_ptr()),
                vld1_u8(COMPRESS[hi].as_ptr()),
                vld1q_u8(CLOSE_GAP[usize::from(lo_count) & 15].as_ptr()),
            );
            // Lane j: the position of the j-th boundary, for j <= pairs.
            let starts = vqtbl1q_u8(vaddq_u8(vcombine_u8(lo_idx, hi_idx), high_half), gap);
            let values = vqtbl1q_u8(b.cur, starts);
            let counts = vsubq_u8(vextq_u8::<1>(starts, starts), starts);
            vst1q_u8(dst, vzip1q_u8(values, counts));
            if room >= 2 * BLOCK || pairs > BLOCK / 2 {
                vst1q_u8(dst.add(BLOCK), vzip2q_u8(values, counts));
            }
        }
        2 * pairs
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
