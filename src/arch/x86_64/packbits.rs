//! PackBits kernels for x86_64: SSE2 (16-byte vectors), AVX2 (32) and AVX-512 (64-byte
//! compares into mask registers; it decodes with AVX2's kernel). The encoder's scan
//! compares 64 bytes with the same bytes loaded one and two later and turns the results
//! into two 64-bit masks: where runs of three start (`x[k] == x[k + 1] == x[k + 2]`) and
//! where runs end (`x[k] != x[k + 1]`); long runs are measured against a splat of their
//! value. AVX-512 also writes a block's short runs in registers ([`Blocks::segment`]:
//! compress, expand and a byte permute). The decoder is the shared driver, compiled with
//! each backend's features.

use core::arch::x86_64::*;

use crate::arch::x86_64::avx512;
use crate::packbits_kernels::Encoded;
use crate::packbits_kernels::blocks::{Blocks, Segment, drive_blocks, first_run3_by_masks};
use crate::packbits_kernels::decode::expand;
use crate::packbits_kernels::encode::Scan;

/// SSE2 scan: 16 bytes a step.
struct Sse2;

impl Blocks for Sse2 {
    #[inline(always)]
    unsafe fn masks(p: *const u8) -> (u64, u64) {
        let (mut t, mut e) = (0u64, 0u64);
        for c in 0..4 {
            // SAFETY: 16c + 18 <= 66: the loads read p[16c..16c + 18], within p[..66];
            // SSE2 is baseline on this target (the module is compiled only with it).
            let (eq1, eq2) = unsafe {
                let q = p.add(16 * c);
                let a = _mm_loadu_si128(q.cast());
                let b = _mm_loadu_si128(q.add(1).cast());
                let d = _mm_loadu_si128(q.add(2).cast());
                (_mm_cmpeq_epi8(a, b), _mm_cmpeq_epi8(b, d))
            };
            // SAFETY: SSE2 is baseline here.
            let (m1, m3) = unsafe {
                (
                    _mm_movemask_epi8(eq1) as u16 as u64,
                    _mm_movemask_epi8(_mm_and_si128(eq1, eq2)) as u16 as u64,
                )
            };
            t |= m3 << (16 * c);
            e |= m1 << (16 * c);
        }
        (t, !e)
    }
}

impl Scan for Sse2 {
    #[inline(always)]
    unsafe fn first_run3(p: *const u8) -> usize {
        // SAFETY: the caller's contract.
        unsafe { first_run3_by_masks::<Self>(p) }
    }

    #[inline(always)]
    unsafe fn run_len(p: *const u8, len: usize, v: u8) -> usize {
        let mut k = 0;
        // SAFETY: SSE2 is baseline here.
        let splat = unsafe { _mm_set1_epi8(v as i8) };
        while len - k >= 16 {
            // SAFETY: k + 16 <= len: the load is within p[..len].
            let m = unsafe {
                _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128(p.add(k).cast()), splat))
            };
            if m != 0xFFFF {
                return k + (!m).trailing_zeros() as usize;
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

/// AVX2 scan: 32 bytes a step.
struct Avx2;

impl Blocks for Avx2 {
    #[inline(always)]
    unsafe fn masks(p: *const u8) -> (u64, u64) {
        let (mut t, mut e) = (0u64, 0u64);
        for c in 0..2 {
            // SAFETY: 32c + 34 <= 66: the loads read p[32c..32c + 34], within p[..66]; the
            // caller runs with AVX2 enabled.
            let (m1, m3) = unsafe {
                let q = p.add(32 * c);
                let a = _mm256_loadu_si256(q.cast());
                let b = _mm256_loadu_si256(q.add(1).cast());
                let d = _mm256_loadu_si256(q.add(2).cast());
                let eq1 = _mm256_cmpeq_epi8(a, b);
                let eq3 = _mm256_and_si256(eq1, _mm256_cmpeq_epi8(b, d));
                (
                    _mm256_movemask_epi8(eq1) as u32 as u64,
                    _mm256_movemask_epi8(eq3) as u32 as u64,
                )
            };
            t |= m3 << (32 * c);
            e |= m1 << (32 * c);
        }
        (t, !e)
    }
}

impl Scan for Avx2 {
    #[inline(always)]
    unsafe fn first_run3(p: *const u8) -> usize {
        // SAFETY: the caller's contract.
        unsafe { first_run3_by_masks::<Self>(p) }
    }

    #[inline(always)]
    unsafe fn run_len(p: *const u8, len: usize, v: u8) -> usize {
        let mut k = 0;
        // SAFETY: the caller runs with AVX2 enabled.
        let splat = unsafe { _mm256_set1_epi8(v as i8) };
        // Long runs: 64 bytes a step, one branch for two compares.
        while len - k >= 64 {
            // SAFETY: k + 64 <= len: the loads are within p[..len].
            let m = unsafe {
                let a = _mm256_cmpeq_epi8(_mm256_loadu_si256(p.add(k).cast()), splat);
                let b = _mm256_cmpeq_epi8(_mm256_loadu_si256(p.add(k + 32).cast()), splat);
                (_mm256_movemask_epi8(a) as u32 as u64)
                    | (_mm256_movemask_epi8(b) as u32 as u64) << 32
            };
            if m != u64::MAX {
                return k + (!m).trailing_zeros() as usize;
            }
            k += 64;
        }
        while len - k >= 32 {
            // SAFETY: k + 32 <= len: the load is within p[..len].
            let m = unsafe {
                _mm256_movemask_epi8(_mm256_cmpeq_epi8(
                    _mm256_loadu_si256(p.add(k).cast()),
                    splat,
                ))
            } as u32;
            if m != u32::MAX {
                return k + (!m).trailing_zeros() as usize;
            }
            k += 32;
        }
        // SAFETY: k < len on every read.
        while k < len && unsafe { *p.add(k) } == v {
            k += 1;
        }
        k
    }
}

/// AVX-512 scan: the masks from 64-byte compares into mask registers; AVX2's run lengths.
struct Avx512;

impl Blocks for Avx512 {
    #[inline(always)]
    unsafe fn masks(p: *const u8) -> (u64, u64) {
        // SAFETY: the loads read p[..64], p[1..65] and p[2..66], within p[..66]; the caller
        // runs with AVX-512BW.
        unsafe {
            let a = _mm512_loadu_si512(p.cast());
            let b = _mm512_loadu_si512(p.add(1).cast());
            let d = _mm512_loadu_si512(p.add(2).cast());
            let eq1 = _mm512_cmpeq_epi8_mask(a, b);
            let eq2 = _mm512_cmpeq_epi8_mask(b, d);
            (eq1 & eq2, !eq1)
        }
    }

    const SEGMENTS: bool = true;

    /// The segment's packets from the block's bytes in registers: the kept bytes
    /// compressed, the packets' lengths from the compressed positions of their heads, and
    /// both expanded to their places in the output.
    #[inline(always)]
    unsafe fn segment(p: *const u8, seg: &Segment, dst: *mut u8) {
        // Where the headers go in the output: the head bytes and kept bytes interleaved
        // (a head's header before its byte) into 128 bits, of which `pext` takes the
        // header bits (the even ones) at the places the kept bits give them.
        // SAFETY: the caller runs with BMI2.
        let slots = unsafe {
            const EVEN: u64 = 0x5555_5555_5555_5555;
            let (h, k) = (seg.heads, seg.keep);
            let lo = _pdep_u64(h & 0xFFFF_FFFF, EVEN) | _pdep_u64(k & 0xFFFF_FFFF, !EVEN);
            let hi = _pdep_u64(h >> 32, EVEN) | _pdep_u64(k >> 32, !EVEN);
            let n = lo.count_ones();
            let (lo, hi) = (_pext_u64(EVEN, lo), _pext_u64(EVEN, hi));
            // n < 64: the segment's packets take at most 63 bytes.
            lo | hi << n
        };
        // SAFETY: p[..64] is readable and dst[..64] writable (the caller's contract); the
        // caller runs with AVX-512 BW and VBMI2; the compresses and expands are the
        // merge-masked register forms (the zero-masked ones wait on their destination on
        // Zen 4).
        unsafe {
            let iota = _mm512_loadu_si512(avx512::IOTA.as_ptr().cast());
            let one = _mm512_set1_epi8(1);
            let x = _mm512_loadu_si512(p.cast());
            let kept = avx512::compress(x, seg.keep, x);
            // The heads' positions in order, then the segment's end: their differences are
            // the packets' lengths.
            let heads = avx512::compress(_mm512_set1_epi8(seg.end as i8), seg.heads, iota);
            let next = avx512::permute(_mm512_add_epi8(iota, one), heads);
            let less = _mm512_sub_epi8(_mm512_sub_epi8(next, heads), one);
            // Run packets' headers are 257 - r, that is 1 - r, the negated length less one:
            // `runs` is all ones at run heads.
            let runs = avx512::permute(heads, _mm512_movm_epi8(seg.firsts));
            let headers = _mm512_sub_epi8(_mm512_xor_si512(less, runs), runs);
            let bytes = avx512::expand(kept, !slots, kept);
            let v = avx512::expand(bytes, slots, headers);
            _mm512_storeu_si512(dst.cast(), v);
        }
    }
}

impl Scan for Avx512 {
    #[inline(always)]
    unsafe fn first_run3(p: *const u8) -> usize {
        // SAFETY: the caller's contract.
        unsafe { first_run3_by_masks::<Self>(p) }
    }

    #[inline(always)]
    unsafe fn run_len(p: *const u8, len: usize, v: u8) -> usize {
        // SAFETY: the caller's contract (AVX-512's features contain AVX2's).
        unsafe { Avx2::run_len(p, len, v) }
    }
}

/// Defines one backend's encoder kernels (encode and measure) as instantiations of the
/// shared driver over its scan, compiled with `$backend`'s target features, and, given a
/// width, its decoder (the shared expand driver with stores of that width). Dispatch
/// (`crate::backend`) puts them in the backend's table.
macro_rules! kernels {
    ($backend:ident, $scan:ty, $encode:ident, $measure:ident) => {
        $backend! {
            /// Encodes (see [`drive_blocks`]).
            ///
            /// # Safety
            /// The CPU has the backend's features.
            pub(crate) unsafe fn $encode(x: &[u8], out: &mut [core::mem::MaybeUninit<u8>], last: bool) -> Encoded {
                // SAFETY: the caller guarantees the features the scan's intrinsics need.
                unsafe { drive_blocks::<$scan, true>(x, out, last) }
            }

            /// Measures (see [`drive_blocks`]).
            ///
            /// # Safety
            /// The CPU has the backend's features.
            pub(crate) unsafe fn $measure(x: &[u8], out: &mut [core::mem::MaybeUninit<u8>], last: bool) -> Encoded {
                // SAFETY: as above.
                unsafe { drive_blocks::<$scan, false>(x, out, last) }
            }
        }
    };
    ($backend:ident, $scan:ty, $encode:ident, $measure:ident, $width:literal, $expand:ident) => {
        kernels!($backend, $scan, $encode, $measure);
        $backend! {
            /// Decodes (see [`expand`]).
            ///
            /// # Safety
            /// The CPU has the backend's features.
            pub(crate) unsafe fn $expand(out: &mut [core::mem::MaybeUninit<u8>], enc: &[u8]) -> (usize, usize) {
                // SAFETY: the caller guarantees the features; the width is a power of two.
                unsafe { expand::<$width>(out, enc) }
            }
        }
    };
}

kernels!(sse2, Sse2, sse2_encode, sse2_measure, 16, sse2_expand);
kernels!(avx2, Avx2, avx2_encode, avx2_measure, 32, avx2_expand);
// AVX-512 decodes with AVX2's kernel (its feature list contains AVX2's): 64-byte copies
// and fills were 6-20 % faster on literal packets but 8-20 % slower on long runs.
kernels!(avx512, Avx512, avx512_encode, avx512_measure);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::Backend;
    use crate::packbits_kernels::blocks::tests::{reference_masks as reference, windows};

    /// Every x86 backend's masks equal the definition, on windows of short runs over small
    /// alphabets.
    #[test]
    fn masks_match_the_definition() {
        for buf in windows() {
            let want = reference(&buf);
            // SAFETY: buf holds 66 bytes; SSE2 is baseline.
            assert_eq!(unsafe { Sse2::masks(buf.as_ptr()) }, want, "sse2 {buf:?}");
            if Backend::Avx2.is_supported() {
                // SAFETY: 66 bytes; the CPU has AVX2 (checked).
                let got = unsafe { avx2_masks(buf.as_ptr()) };
                assert_eq!(got, want, "avx2 {buf:?}");
            }
            if Backend::Avx512.is_supported() {
                // SAFETY: 66 bytes; the CPU has AVX-512's features (checked).
                let got = unsafe { avx512_masks(buf.as_ptr()) };
                assert_eq!(got, want, "avx512 {buf:?}");
            }
        }
    }

    /// AVX-512's segment kernel writes what the default one writes.
    #[test]
    fn avx512_segment_matches_the_default() {
        if !Backend::Avx512.is_supported() {
            return;
        }
        for (w, seg) in crate::packbits_kernels::blocks::tests::segments() {
            let block: &[u8; 64] = w[..64].try_into().unwrap();
            let mut want = [0u8; 64];
            crate::packbits_kernels::blocks::segment_packets(block, &seg, &mut want);
            let mut got = [0u8; 64];
            // SAFETY: 64 bytes each way, no overlap; the CPU has AVX-512's features
            // (checked).
            unsafe { avx512_segment(block.as_ptr(), &seg, got.as_mut_ptr()) };
            assert_eq!(got[..seg.len()], want[..seg.len()], "{w:?} {seg:?}");
        }
    }

    avx512! {
        /// `Avx512::segment` compiled with the AVX-512 backend's features.
        ///
        /// # Safety
        /// As [`Blocks::segment`].
        unsafe fn avx512_segment(p: *const u8, seg: &Segment, dst: *mut u8) {
            // SAFETY: the caller's contract.
            unsafe { Avx512::segment(p, seg, dst) }
        }
    }

    avx2! {
        /// `Avx2::masks` compiled with the AVX2 backend's features.
        ///
        /// # Safety
        /// `p[..66]` is readable; the CPU has the backend's features.
        unsafe fn avx2_masks(p: *const u8) -> (u64, u64) {
            // SAFETY: the caller's contract.
            unsafe { Avx2::masks(p) }
        }
    }

    avx512! {
        /// `Avx512::masks` compiled with the AVX-512 backend's features.
        ///
        /// # Safety
        /// `p[..66]` is readable; the CPU has the backend's features.
        unsafe fn avx512_masks(p: *const u8) -> (u64, u64) {
            // SAFETY: the caller's contract.
            unsafe { Avx512::masks(p) }
        }
    }
}
