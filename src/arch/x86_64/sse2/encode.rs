//! The SSE2 primitives of the encode driver ([`fn@crate::encode`]): plain SSE2 (no `pshufb`),
//! which every x86_64 CPU has.
//!
//! A block is 32 bytes, two 16-byte vectors, compared with themselves loaded one byte
//! earlier; `pmovmskb` gives a 32-bit boundary mask. The compress step has no byte shuffle
//! to work with, so it writes one pair per boundary by trailing-zero iteration over the
//! whole block, except that a 16-byte half where every byte is a boundary is stored whole:
//! the half shifted by one, interleaved with ones, then its first count patched.

use core::arch::x86_64::*;

use crate::encode::{self, Block, Blocks, runs_one_by_one};
use crate::scalar::Run;

/// Bytes per vector.
const V: usize = 16;

sse2! {
    /// The SSE2 kernel; see [`Kernel`](crate::scalar::Kernel) for the contract.
    ///
    /// # Safety
    /// The CPU has the SSE2 backend's features (always true on x86_64 targets that compile
    /// this module); `run` satisfies the kernel contract.
    pub(crate) unsafe fn encode(run: &mut Run, input: &[u8], out: &mut [core::mem::MaybeUninit<u8>]) -> (usize, usize) {
        // SAFETY: this function is compiled with the backend's features, and its caller
        // guarantees the CPU has them.
        unsafe { encode::encode::<Sse2>(run, input, out) }
    }
}

struct Sse2;

// SAFETY: only instantiated in `encode` above, compiled with the backend's features.
unsafe impl Blocks for Sse2 {
    const BLOCK: usize = 32;
    const SKIP: usize = 64;
    const MAX_REACH: usize = 2 * 31;
    type Bytes = [__m128i; 2];
    type Mask = u32;

    #[inline(always)]
    unsafe fn load(at: *const u8) -> [__m128i; 2] {
        // SAFETY: the caller makes the 32 bytes at `at` readable; the CPU has SSE2.
        unsafe {
            [
                _mm_loadu_si128(at.cast()),
                _mm_loadu_si128(at.add(V).cast()),
            ]
        }
    }

    #[inline(always)]
    unsafe fn boundaries(b: &Block<[__m128i; 2]>) -> u32 {
        // SAFETY: the CPU has SSE2 (the trait's contract).
        let (eq0, eq1) = unsafe {
            (
                _mm_movemask_epi8(_mm_cmpeq_epi8(b.cur[0], b.prev[0])) as u32,
                _mm_movemask_epi8(_mm_cmpeq_epi8(b.cur[1], b.prev[1])) as u32,
            )
        };
        !(eq1 << V | eq0)
    }

    #[inline(always)]
    unsafe fn all_equal(at: *const u8, value: u8) -> bool {
        // SAFETY: the caller makes the 64 bytes at `at` readable; the CPU has SSE2.
        unsafe {
            let splat = _mm_set1_epi8(value as i8);
            let (a, b, c, d) = (
                _mm_loadu_si128(at.cast()),
                _mm_loadu_si128(at.add(V).cast()),
                _mm_loadu_si128(at.add(2 * V).cast()),
                _mm_loadu_si128(at.add(3 * V).cast()),
            );
            let same = _mm_and_si128(
                _mm_and_si128(_mm_cmpeq_epi8(a, splat), _mm_cmpeq_epi8(b, splat)),
                _mm_and_si128(_mm_cmpeq_epi8(c, splat), _mm_cmpeq_epi8(d, splat)),
            );
            _mm_movemask_epi8(same) == 0xFFFF
        }
    }

    #[inline(always)]
    unsafe fn singles(prev: [__m128i; 2], dst: *mut u8) {
        // SAFETY: the caller gives 64 bytes of room at `dst`; the CPU has SSE2.
        unsafe {
            let ones = _mm_set1_epi8(1);
            _mm_storeu_si128(dst.cast(), _mm_unpacklo_epi8(prev[0], ones));
            _mm_storeu_si128(dst.add(V).cast(), _mm_unpackhi_epi8(prev[0], ones));
            _mm_storeu_si128(dst.add(2 * V).cast(), _mm_unpacklo_epi8(prev[1], ones));
            _mm_storeu_si128(dst.add(3 * V).cast(), _mm_unpackhi_epi8(prev[1], ones));
        }
    }

    #[inline(always)]
    fn reach(pairs: usize) -> usize {
        2 * pairs
    }

    #[inline(always)]
    unsafe fn runs(
        b: &Block<[__m128i; 2]>,
        at: *const u8,
        mask: u32,
        dst: *mut u8,
        _room: usize,
    ) -> usize {
        let mut start = mask.trailing_zeros();
        let mut rest = mask & (mask - 1);
        let mut d = dst;
        // SAFETY: one pair per boundary after the first, within the caller's room (a half
        // stored whole is its 16 pairs; the first half overwrites the driver's pair and
        // writes its bytes back); `runs_one_by_one` gets bits below 32 and reads the byte
        // before each, inside the block; the CPU has SSE2.
        unsafe {
            let ones = _mm_set1_epi8(1);
            if mask & 0xFFFF == 0xFFFF {
                // The first half is all boundaries, the first of them at byte 0: store the
                // half whole over the pair the driver wrote for it, and put its count back.
                let closing = d.sub(2);
                let count = closing.add(1).read();
                _mm_storeu_si128(closing.cast(), _mm_unpacklo_epi8(b.prev[0], ones));
                _mm_storeu_si128(closing.add(V).cast(), _mm_unpackhi_epi8(b.prev[0], ones));
                closing.add(1).write(count);
                d = d.add(2 * V - 2);
                start = V as u32 - 1;
                rest &= !0xFFFF;
            }
            if rest >> V != 0xFFFF {
                // No whole half left (short mixed runs): the block's remaining boundaries in
                // one loop, so one mispredicted loop exit per block rather than per half.
                return d.offset_from(dst) as usize
                    + runs_one_by_one(at, u64::from(rest) | 1 << start, d);
            }
            // The second half is all boundaries (text, random data): the first half's pairs
            // one by one, then the second half whole, its first count patched.
            let first_half = u64::from(rest & 0xFFFF) | 1 << start;
            d = d.add(runs_one_by_one(at, first_half, d));
            let last = 63 - first_half.leading_zeros();
            _mm_storeu_si128(d.cast(), _mm_unpacklo_epi8(b.prev[1], ones));
            _mm_storeu_si128(d.add(V).cast(), _mm_unpackhi_epi8(b.prev[1], ones));
            d.add(1).write((V as u32 - last) as u8);
            d = d.add(2 * V);
            d.offset_from(dst) as usize
        }
    }
}
