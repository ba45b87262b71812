//! The AVX-512 primitives of the encode driver ([`fn@crate::encode`]): 64-byte blocks, run
//! starts found with one byte compare into a mask register, run values and start positions
//! packed with `vpcompressb`.
//!
//! The compress step gets the boundaries after the first, whose runs lie wholly inside the
//! block: the values and positions at the boundaries are compressed to the low lanes, the
//! counts are the differences of consecutive positions, and values and counts are
//! interleaved and stored as whole registers, narrowed to byte-masked stores near the end
//! of `out`, so an exactly sized `out` keeps the kernel going to the last whole block.
//!
//! `vpcompressb` is used in its register-destination, merge-masked form: the zero-masked
//! form has a false output dependency on some AMD cores, and the memory-destination form
//! is microcoded (slow) there.

use core::arch::x86_64::*;

use super::{IOTA, compress};
use crate::encode::{self, Block, Blocks};
use crate::scalar::Run;

/// `vpermt2q` indices that undo the per-128-bit-lane order of `vpunpck{l,h}bw`: pairs
/// 0..32 are lanes 0 and 1 of the low and high unpacks, alternating.
const INTERLEAVE_LO: [u64; 8] = [0, 1, 8, 9, 2, 3, 10, 11];
/// As [`INTERLEAVE_LO`], for pairs 32..64 (lanes 2 and 3).
const INTERLEAVE_HI: [u64; 8] = [4, 5, 12, 13, 6, 7, 14, 15];

/// A mask of the `n` low bits, `n` in `0..=64`.
#[inline(always)]
fn low_bits(n: usize) -> u64 {
    if n >= 64 { !0 } else { (1u64 << n) - 1 }
}

avx512! {
    /// Stores the first `len` bytes (`len` in `1..=64`) of `v` at `p`: a plain store when
    /// `room >= 64`, a byte-masked one otherwise, so no store reaches past `p + room`.
    ///
    /// # Safety
    /// `len <= room` and `p` is valid for writes of `room` bytes.
    #[inline]
    unsafe fn store(p: *mut u8, v: __m512i, len: usize, room: usize) {
        debug_assert!(len <= room && (1..=64).contains(&len));
        if room >= 64 {
            // SAFETY: `p` is valid for `room >= 64` bytes, the width of the store.
            unsafe { _mm512_storeu_si512(p.cast(), v) };
        } else {
            // SAFETY: the mask enables bytes `0..len` only, `len <= room`, and `p` is valid
            // for `room` bytes; disabled bytes of a masked store are neither written nor
            // faulted.
            unsafe { _mm512_mask_storeu_epi8(p.cast(), low_bits(len), v) };
        }
    }

    /// The AVX-512 kernel (see [`crate::scalar::Kernel`]).
    ///
    /// # Safety
    /// The CPU has the AVX-512 backend's features and the OS the ZMM state; `run` as the
    /// kernel contract asks.
    pub(crate) unsafe fn encode(run: &mut Run, input: &[u8], out: &mut [core::mem::MaybeUninit<u8>]) -> (usize, usize) {
        // SAFETY: this function is compiled with the backend's features, which `Avx512`
        // uses, and its caller guarantees the CPU has them.
        unsafe { encode::encode::<Avx512>(run, input, out) }
    }

    /// Interleaves `values` and `counts` into the pairs of lanes 0..32 and 32..64.
    #[inline]
    fn interleave(values: __m512i, counts: __m512i) -> (__m512i, __m512i) {
        // SAFETY: `[u64; 8]` and `__m512i` are 64 bytes of plain data; every bit pattern is
        // valid for both.
        let (lo_idx, hi_idx) = unsafe {
            (
                core::mem::transmute::<[u64; 8], __m512i>(INTERLEAVE_LO),
                core::mem::transmute::<[u64; 8], __m512i>(INTERLEAVE_HI),
            )
        };
        let lo = _mm512_unpacklo_epi8(values, counts);
        let hi = _mm512_unpackhi_epi8(values, counts);
        (
            _mm512_permutex2var_epi64(lo, lo_idx, hi),
            _mm512_permutex2var_epi64(lo, hi_idx, hi),
        )
    }
}

struct Avx512;

// SAFETY: only instantiated in `encode` above, compiled with the backend's features.
unsafe impl Blocks for Avx512 {
    const BLOCK: usize = 64;
    const SKIP: usize = 64;
    // Masked stores write exactly the pairs.
    const MAX_REACH: usize = 2 * 63;
    type Bytes = __m512i;
    type Mask = u64;

    #[inline(always)]
    unsafe fn load(at: *const u8) -> __m512i {
        // SAFETY: the caller makes the 64 bytes at `at` readable; the CPU has AVX-512 F.
        unsafe { _mm512_loadu_si512(at.cast()) }
    }

    #[inline(always)]
    unsafe fn boundaries(b: &Block<__m512i>) -> u64 {
        // SAFETY: the CPU has AVX-512 BW.
        unsafe { _mm512_cmpneq_epi8_mask(b.cur, b.prev) }
    }

    #[inline(always)]
    unsafe fn all_equal(at: *const u8, value: u8) -> bool {
        // SAFETY: the caller makes the 64 bytes at `at` readable; the CPU has AVX-512 BW.
        unsafe {
            let v = _mm512_loadu_si512(at.cast());
            _mm512_cmpneq_epi8_mask(v, _mm512_set1_epi8(value as i8)) == 0
        }
    }

    #[inline(always)]
    unsafe fn singles(prev: __m512i, dst: *mut u8) {
        // SAFETY: the caller gives 128 bytes of room at `dst`; the CPU has AVX-512 F, BW.
        unsafe {
            let (lo, hi) = interleave(prev, _mm512_set1_epi8(1));
            _mm512_storeu_si512(dst.cast(), lo);
            _mm512_storeu_si512(dst.add(64).cast(), hi);
        }
    }

    #[inline(always)]
    fn reach(pairs: usize) -> usize {
        2 * pairs
    }

    #[inline(always)]
    unsafe fn runs(
        b: &Block<__m512i>,
        _at: *const u8,
        starts: u64,
        dst: *mut u8,
        room: usize,
    ) -> usize {
        let body = 2 * (starts.count_ones() as usize - 1);
        if body == 0 {
            return 0;
        }
        // The stores: the first writes `min(body, 64)` bytes or, with `room >= 64`, the whole
        // register; the second runs only when `body > 64`, then `room - 64 >= body - 64 >= 1`,
        // so `dst + 64` is valid for `room - 64` bytes, of which it writes at most `body - 64`
        // (or a whole register with room).
        // SAFETY: the CPU has AVX-512 F, BW, VBMI2; `dst` is valid for `room >= body` bytes
        // (the caller's `reach`), which bounds both stores as argued above.
        unsafe {
            // SAFETY: `[u8; 64]` and `__m512i` are 64 bytes of plain data.
            let iota = core::mem::transmute::<[u8; 64], __m512i>(IOTA);
            let vals = compress(iota, starts, b.cur);
            let pos = compress(iota, starts, iota);
            // Lane t of `next` is lane t + 1 of `pos`: the start of the following run, i.e.
            // where run t ends (`valignd` brings each 128-bit lane's upper neighbour in,
            // `vpalignr` takes one byte of it). Lanes 0..k-1 of the difference are the run
            // lengths, 1..=63; lanes past them are garbage that lands past the pairs
            // written (or nowhere).
            let above = _mm512_alignr_epi32::<4>(pos, pos);
            let next = _mm512_alignr_epi8::<1>(above, pos);
            let (lo, hi) = interleave(vals, _mm512_sub_epi8(next, pos));
            store(dst, lo, body.min(64), room);
            if body > 64 {
                store(dst.add(64), hi, body - 64, room - 64);
            }
        }
        body
    }
}
