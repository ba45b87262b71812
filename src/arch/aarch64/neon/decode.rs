//! NEON decode primitives: blocks of 16 pairs. `uzp1`/`uzp2` de-interleave values and
//! counts, across-lane `minv`/`maxv`/`addv` classify and sum a block, a block of ones and
//! twos expands 8 pairs per `tbl` from [`SMALL_PATTERNS`], a block of counts up to 8
//! expands 4 pairs per two `tbl` from [`OCTS`], and the per-pair splat stores are 32 bytes
//! (two `q` registers).
use core::arch::aarch64::*;

use crate::decode::{OCTS, Pairs, SMALL_PATTERNS, expand_blocks, measure_blocks, octs_key};

/// Marker type for the NEON primitives.
pub(crate) struct Neon;

/// Bit `i % 8` in lane `i`: ANDed with a compare result and summed per half, it turns 16
/// lane flags into two 8-bit masks.
const LANE_BITS: [u8; 16] = [1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128];

/// Whether every count in `c` is 1 to `limit`: `count - 1` is at most `limit - 1` for those
/// only, as a 0 wraps to 0xFF, so one test also finds a zero.
///
/// # Safety
/// NEON is present (it is enabled for the whole build of this module); `limit` is 1 to 255.
#[inline(always)]
unsafe fn one_to(c: uint8x16_t, limit: u8) -> bool {
    // SAFETY: the caller guarantees NEON.
    unsafe { vmaxvq_u8(vsubq_u8(c, vdupq_n_u8(1))) < limit }
}

// SAFETY: each method touches exactly the bytes its `Pairs` contract names; NEON is a
// compile-time feature wherever this module is built.
unsafe impl Pairs for Neon {
    const PAIRS: usize = 16;
    const SPLAT: usize = 32;
    const TIERS: [usize; 3] = [16, 32, 0];
    const SMALL_SLACK: usize = 8;
    /// `.0` the values, `.1` the counts, in pair order.
    type Block = uint8x16x2_t;

    #[inline(always)]
    unsafe fn load(src: *const u8) -> uint8x16x2_t {
        // Two plain loads and `uzp1`/`uzp2` rather than `ld2`: the same de-interleave for
        // two more instructions per 16 pairs, and one that Miri can run.
        // SAFETY: the caller guarantees 32 readable bytes at `src`; `ld1` has no alignment
        // requirement.
        unsafe {
            let (a, b) = (vld1q_u8(src), vld1q_u8(src.add(16)));
            uint8x16x2_t(vuzp1q_u8(a, b), vuzp2q_u8(a, b))
        }
    }

    #[inline(always)]
    unsafe fn has_zero(b: uint8x16x2_t) -> bool {
        // SAFETY: NEON is enabled for the whole build of this module.
        unsafe { vminvq_u8(b.1) == 0 }
    }

    #[inline(always)]
    unsafe fn sum(b: uint8x16x2_t) -> u32 {
        // Widen-add the halves, then add across (16 counts of at most 255 fit 16 bits):
        // `uaddl` + `uaddv`, where `uaddlv` would be one instruction that Miri lacks.
        // SAFETY: NEON is enabled for the whole build of this module.
        u32::from(unsafe { vaddvq_u16(vaddl_u8(vget_low_u8(b.1), vget_high_u8(b.1))) })
    }

    #[inline(always)]
    unsafe fn at_most(b: uint8x16x2_t, limit: usize) -> bool {
        // SAFETY: NEON is enabled for the whole build of this module.
        unsafe { usize::from(vmaxvq_u8(b.1)) <= limit }
    }

    #[inline(always)]
    unsafe fn all_ones(b: uint8x16x2_t) -> bool {
        // SAFETY: NEON is enabled for the whole build of this module.
        unsafe { vminvq_u8(vceqq_u8(b.1, vdupq_n_u8(1))) == 0xFF }
    }

    #[inline(always)]
    unsafe fn store_values(b: uint8x16x2_t, dst: *mut u8) {
        // SAFETY: the caller guarantees 16 writable bytes at `dst`.
        unsafe { vst1q_u8(dst, b.0) }
    }

    #[inline(always)]
    unsafe fn small(b: uint8x16x2_t) -> Option<u64> {
        // SAFETY: NEON is enabled for the whole build of this module; `LANE_BITS` is 16
        // readable bytes.
        unsafe {
            if !one_to(b.1, 2) {
                return None;
            }
            let bits = vandq_u8(vceqq_u8(b.1, vdupq_n_u8(2)), vld1q_u8(LANE_BITS.as_ptr()));
            let low = vaddv_u8(vget_low_u8(bits));
            let high = vaddv_u8(vget_high_u8(bits));
            Some(u64::from(low) | u64::from(high) << 8)
        }
    }

    #[inline(always)]
    unsafe fn expand_small(b: uint8x16x2_t, twos: u64, dst: *mut u8) {
        let low = (twos & 0xFF) as usize;
        let high = ((twos >> 8) & 0xFF) as usize;
        // The first store covers 16 bytes from `dst`, the second 16 from the end of the
        // first group's expansion (8 + popcount(low)), ending at most 8 bytes past the whole
        // expansion. Pattern bytes 0x80 (+ 8) are out of `tbl`'s range and give zero.
        // SAFETY: NEON is enabled for the whole build; the table entries are 16 bytes; the
        // caller guarantees the `16 + popcount(twos) + 8` writable bytes both stores need.
        unsafe {
            let first = vqtbl1q_u8(b.0, vld1q_u8(SMALL_PATTERNS.0[low].as_ptr()));
            let pattern = vaddq_u8(vld1q_u8(SMALL_PATTERNS.0[high].as_ptr()), vdupq_n_u8(8));
            let second = vqtbl1q_u8(b.0, pattern);
            vst1q_u8(dst, first);
            vst1q_u8(dst.add(8 + low.count_ones() as usize), second);
        }
    }

    #[inline(always)]
    unsafe fn expand_short(
        b: uint8x16x2_t,
        src: *const u8,
        dst: *mut u8,
        room: usize,
    ) -> Option<usize> {
        // 16 counts of 1 to 8: the last group's 32-byte store starts at most 96 bytes in.
        // SAFETY: NEON is enabled for the whole build of this module.
        if room < 128 || !unsafe { one_to(b.1, 8) } {
            return None;
        }
        let mut written = 0;
        for g in 0..4 {
            // SAFETY: group `g`'s 8 bytes lie inside the block's 32 readable bytes at `src`
            // (the caller's contract); its counts are 1 to 8, so `octs_key` is exact and its
            // store starts at most `32 g` bytes in: 32 bytes inside the 128 of room tested
            // above. Pattern bytes 0x80 are out of `tbl`'s range and give zero.
            unsafe {
                let group = src.add(8 * g).cast::<u64>().read_unaligned();
                let (key, len) = octs_key(u64::from_le(group));
                let bytes = vreinterpretq_u8_u64(vdupq_n_u64(group));
                let pattern = OCTS.0[key].as_ptr();
                let d = dst.add(written);
                vst1q_u8(d, vqtbl1q_u8(bytes, vld1q_u8(pattern)));
                vst1q_u8(d.add(16), vqtbl1q_u8(bytes, vld1q_u8(pattern.add(16))));
                written += len;
            }
        }
        Some(written)
    }

    #[inline(always)]
    unsafe fn splat_n(dst: *mut u8, value: u8, width: usize) {
        // SAFETY: the caller guarantees `width` (16 or 32) writable bytes at `dst`; NEON is
        // enabled for the whole build of this module.
        unsafe {
            let v = vdupq_n_u8(value);
            vst1q_u8(dst, v);
            if width == 32 {
                vst1q_u8(dst.add(16), v);
            }
        }
    }
}

neon! {
    /// The NEON expand kernel (see [`ExpandKernel`](crate::decode::ExpandKernel)).
    ///
    /// # Safety
    /// The CPU has the NEON backend's features (compile-time features wherever this module
    /// is compiled).
    pub(crate) unsafe fn expand(encoded: &[u8], out: &mut [core::mem::MaybeUninit<u8>]) -> (usize, usize) {
        // SAFETY: this function has the backend's features (its caller's contract).
        unsafe { expand_blocks::<Neon>(encoded, out) }
    }

    /// The NEON measure kernel (see [`MeasureKernel`](crate::decode::MeasureKernel)).
    ///
    /// # Safety
    /// As [`expand`].
    pub(crate) unsafe fn measure(encoded: &[u8]) -> (usize, Option<u64>) {
        // SAFETY: this function has the backend's features (its caller's contract).
        unsafe { measure_blocks::<Neon>(encoded) }
    }
}
