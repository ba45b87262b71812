//! PackBits kernels for aarch64 NEON: the scan compares 64 bytes with the same bytes loaded
//! one and two later and gathers the results into 64-bit masks (weights and pairwise adds);
//! long runs are measured against a splat, narrowed to one nibble a byte (`shrn`). The decoder is the shared driver.
//!
//! NEON is a compile-time target feature wherever this module is compiled (see `mod.rs`):
//! no run-time check is needed.

use core::arch::aarch64::*;

use crate::packbits_kernels::Encoded;
use crate::packbits_kernels::blocks::{Blocks, drive_blocks, first_run3_by_masks};
use crate::packbits_kernels::decode::expand;
use crate::packbits_kernels::encode::Scan;

/// The 64-bit mask of four comparison results (each byte all ones or zero): bit `k` from
/// byte `k % 16` of `v[k / 16]`. Each byte keeps its own bit of a byte (1, 2, .. 128), and
/// three rounds of pairwise adds gather eight bytes' bits into one byte.
#[inline(always)]
fn bits64(v: [uint8x16_t; 4]) -> u64 {
    const WEIGHTS: [u8; 16] = [1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128];
    // SAFETY: NEON is enabled at compile time for this module; WEIGHTS is 16 bytes.
    unsafe {
        let w = vld1q_u8(WEIGHTS.as_ptr());
        let a = vpaddq_u8(vandq_u8(v[0], w), vandq_u8(v[1], w));
        let b = vpaddq_u8(vandq_u8(v[2], w), vandq_u8(v[3], w));
        let s = vpaddq_u8(a, b);
        vgetq_lane_u64::<0>(vreinterpretq_u64_u8(vpaddq_u8(s, s)))
    }
}

/// One nibble per byte of a comparison result (all ones or zero), byte `k` in bits
/// `4k..4k + 4`.
#[inline(always)]
fn nibbles(eq: uint8x16_t) -> u64 {
    // SAFETY: NEON is enabled at compile time for this module.
    unsafe {
        vget_lane_u64::<0>(vreinterpret_u64_u8(vshrn_n_u16::<4>(vreinterpretq_u16_u8(
            eq,
        ))))
    }
}

/// NEON scan: 16 bytes a step.
struct Neon;

impl Blocks for Neon {
    #[inline(always)]
    unsafe fn masks(p: *const u8) -> (u64, u64) {
        // SAFETY: the loads read p[..66] (the last at p + 50, 16 bytes); NEON is enabled
        // at compile time.
        let (eq1, eq3) = unsafe {
            let mut eq1 = [vdupq_n_u8(0); 4];
            let mut eq3 = [vdupq_n_u8(0); 4];
            for c in 0..4 {
                let q = p.add(16 * c);
                let a = vld1q_u8(q);
                let b = vld1q_u8(q.add(1));
                let d = vld1q_u8(q.add(2));
                eq1[c] = vceqq_u8(a, b);
                eq3[c] = vandq_u8(eq1[c], vceqq_u8(b, d));
            }
            (eq1, eq3)
        };
        (bits64(eq3), !bits64(eq1))
    }
}

impl Scan for Neon {
    #[inline(always)]
    unsafe fn first_run3(p: *const u8) -> usize {
        // SAFETY: the caller's contract.
        unsafe { first_run3_by_masks::<Self>(p) }
    }

    #[inline(always)]
    unsafe fn run_len(p: *const u8, len: usize, v: u8) -> usize {
        let mut k = 0;
        // SAFETY: NEON is enabled at compile time.
        let splat = unsafe { vdupq_n_u8(v) };
        while len - k >= 16 {
            // SAFETY: k + 16 <= len: the load is within p[..len].
            let ne = unsafe { vmvnq_u8(vceqq_u8(vld1q_u8(p.add(k)), splat)) };
            let m = nibbles(ne);
            if m != 0 {
                return k + (m.trailing_zeros() / 4) as usize;
            }
            k += 16;
        }
        // SAFETY: k < len on every read.
        while k < len && unsafe { *p.add(k) } == v {
            k += 1;
        }
        k
    }
}

neon! {
    /// Encodes (see [`drive_blocks`]).
    ///
    /// # Safety
    /// The CPU has the NEON backend's features (always, where this module is compiled).
    pub(crate) unsafe fn neon_encode(x: &[u8], out: &mut [core::mem::MaybeUninit<u8>], last: bool) -> Encoded {
        // SAFETY: this function has the backend's features (its caller's contract).
        unsafe { drive_blocks::<Neon, true>(x, out, last) }
    }

    /// Measures (see [`drive_blocks`]).
    ///
    /// # Safety
    /// As [`neon_encode`].
    pub(crate) unsafe fn neon_measure(x: &[u8], out: &mut [core::mem::MaybeUninit<u8>], last: bool) -> Encoded {
        // SAFETY: this function has the backend's features (its caller's contract).
        unsafe { drive_blocks::<Neon, false>(x, out, last) }
    }

    /// Decodes (see [`expand`]).
    ///
    /// # Safety
    /// As [`neon_encode`].
    pub(crate) unsafe fn neon_expand(out: &mut [core::mem::MaybeUninit<u8>], enc: &[u8]) -> (usize, usize) {
        // SAFETY: this function has the backend's features; 16 is a power of two.
        unsafe { expand::<16>(out, enc) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::packbits_kernels::blocks::tests::{reference_masks, windows};

    /// NEON's masks (weights and pairwise adds) equal the definition.
    #[test]
    fn masks_match_the_definition() {
        for buf in windows() {
            // SAFETY: buf holds 66 bytes; NEON is enabled at compile time.
            let got = unsafe { Neon::masks(buf.as_ptr()) };
            assert_eq!(got, reference_masks(&buf), "{buf:?}");
        }
    }
}
