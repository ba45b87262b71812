//! PackBits kernels for aarch64 NEON: the scan compares 16 bytes with the same loaded one
//! and two bytes later, and narrows the comparison to a 64-bit mask of one nibble a byte
//! (`shrn`), whose lowest set bit is the first run of three; runs are measured against a
//! splat. The decoder is the shared driver.
//!
//! NEON is a compile-time target feature wherever this module is compiled (see `mod.rs`):
//! no run-time check is needed.

use core::arch::aarch64::*;

use super::Kernels;
use super::decode::expand;
use super::encode::{BLOCK, Full, Scan, drive};
use crate::Backend;

/// The kernels of an aarch64 backend.
pub(crate) fn kernels(backend: Backend) -> Option<Kernels> {
    match backend {
        Backend::Neon => Some(Kernels {
            encode: neon_encode,
            measure: neon_measure,
            expand: neon_expand,
        }),
        _ => None,
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

impl Scan for Neon {
    #[inline(always)]
    unsafe fn first_run3(p: *const u8) -> usize {
        let mut c = 0;
        while c < BLOCK {
            // SAFETY: c <= 112, so the loads read p[c..c + 18], within p[..130]; NEON is
            // enabled at compile time.
            let eq = unsafe {
                let a = vld1q_u8(p.add(c));
                let b = vld1q_u8(p.add(c + 1));
                let d = vld1q_u8(p.add(c + 2));
                vandq_u8(vceqq_u8(a, b), vceqq_u8(b, d))
            };
            let m = nibbles(eq);
            if m != 0 {
                return c + (m.trailing_zeros() / 4) as usize;
            }
            c += 16;
        }
        BLOCK
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

/// Encodes (see [`drive`]).
///
/// # Safety
/// None beyond the build's NEON (always present here); `unsafe` for the kernel type.
unsafe fn neon_encode(x: &[u8], out: &mut [u8], last: bool) -> Result<(usize, usize), Full> {
    // SAFETY: NEON is enabled at compile time.
    unsafe { drive::<Neon, true>(x, out, last) }
}

/// Measures (see [`drive`]).
///
/// # Safety
/// As [`neon_encode`].
unsafe fn neon_measure(x: &[u8], out: &mut [u8], last: bool) -> Result<(usize, usize), Full> {
    // SAFETY: NEON is enabled at compile time.
    unsafe { drive::<Neon, false>(x, out, last) }
}

/// Decodes (see [`expand`]).
///
/// # Safety
/// As [`neon_encode`].
unsafe fn neon_expand(out: &mut [u8], enc: &[u8]) -> (usize, usize) {
    // SAFETY: NEON is enabled at compile time.
    unsafe { expand(out, enc) }
}
