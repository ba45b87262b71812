//! The AVX-512 primitives of the encode driver ([`crate::encode`]): 64-byte blocks, run
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

/// The decode primitives of this ISA (the block driver is `crate::decode`). The explicit
/// path keeps it found when this file is included by path (the Bochs harness).
#[path = "avx512/decode.rs"]
pub(crate) mod decode;

use core::arch::x86_64::*;

use crate::encode::{self, Block, Blocks};
use crate::scalar::Run;

/// Lane `i` holds `i`: the positions that the compress turns into run starts.
const IOTA: [u8; 64] = {
    let mut a = [0u8; 64];
    let mut i = 0;
    while i < 64 {
        a[i] = i as u8;
        i += 1;
    }
    a
};

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
    /// `vpcompressb` of `a`'s lanes selected by `k` into the low lanes; the other lanes come
    /// from `src` (merge masking, see the module docs).
    #[cfg(not(miri))]
    #[inline]
    fn compress(src: __m512i, k: u64, a: __m512i) -> __m512i {
        _mm512_mask_compress_epi8(src, k, a)
    }
}

/// Miri has no shim for `vpcompressb`; this is its definition from the instruction set
/// reference (selected lanes in order to the bottom, `src` above), so that everything else
/// in the kernel still runs under Miri.
#[cfg(miri)]
#[inline]
fn compress(src: __m512i, k: u64, a: __m512i) -> __m512i {
    // SAFETY: `__m512i` and `[u8; 64]` are both 64 bytes of plain data, valid for every bit
    // pattern.
    let (mut dst, a): ([u8; 64], [u8; 64]) =
        unsafe { (core::mem::transmute(src), core::mem::transmute(a)) };
    let mut m = 0;
    for (j, &byte) in a.iter().enumerate() {
        if k >> j & 1 == 1 {
            dst[m] = byte;
            m += 1;
        }
    }
    // SAFETY: as above.
    unsafe { core::mem::transmute(dst) }
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

#[cfg(test)]
mod tests {
    extern crate std;

    use super::encode;
    use crate::scalar::{Run, encode_tail};
    use std::io::Write;
    use std::vec;
    use std::vec::Vec;

    /// The kernel may run here: the crate's detection of the backend, which is `cpuid`
    /// natively and the features enabled at compile time under Miri.
    fn available() -> bool {
        crate::Backend::Avx512.is_supported()
    }

    /// Says loudly when the kernel cannot run, so a green run is never mistaken for a
    /// tested one.
    fn skip(test: &str) -> bool {
        if available() {
            return false;
        }
        // Straight to stderr: libtest captures `eprintln!` of passing tests.
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED avx512::{test}: this CPU (or the Miri target features) lacks the AVX-512 \
             backend's features; the AVX-512 kernel was NOT executed"
        );
        true
    }

    const GUARD: usize = 80;
    const FILL: u8 = 0xA5;

    /// Reference output and final run for `input` after `run` (prepared as callers do).
    fn reference(mut run: Run, input: &[u8]) -> (Vec<u8>, Run) {
        run.prepare(input);
        let mut out = vec![0u8; 2 * input.len()];
        let n = encode_tail(&mut run, input, crate::engine::as_uninit(&mut out))
            .expect("2n bytes always suffice");
        out.truncate(n);
        (out, run)
    }

    /// Runs the kernel with `out_len` bytes of `out` (plus a guard zone that must stay
    /// untouched) and checks the contract against the reference: the prefix it claims is
    /// exactly the reference's for the input it consumed, and finishing with the scalar
    /// tail gives the whole reference output. Returns the bytes consumed.
    fn check_with(mut run0: Run, input: &[u8], out_len: usize) -> usize {
        // Prepared once here, so that the reference of an empty prefix starts the same.
        run0.prepare(input);
        let (full, full_run) = reference(run0, input);
        let mut buf = vec![FILL; out_len + GUARD];
        let mut run = run0;
        // SAFETY: `available()` was checked by every caller; `run` is prepared.
        let (consumed, written) = unsafe {
            encode(
                &mut run,
                input,
                crate::engine::as_uninit(&mut buf[..out_len]),
            )
        };
        let ctx = || std::format!("len {} out_len {out_len} run0 {run0:?}", input.len());
        assert!(consumed <= input.len(), "{}", ctx());
        assert!(written <= out_len, "{}", ctx());
        assert!(
            buf[out_len..].iter().all(|&b| b == FILL),
            "wrote past out.len(): {}",
            ctx()
        );
        let (prefix, prefix_run) = reference(run0, &input[..consumed]);
        assert_eq!(&buf[..written], &prefix[..], "{}", ctx());
        assert_eq!(run, prefix_run, "{}", ctx());
        assert!(run.len <= 255, "{}", ctx());
        let mut rest = vec![0u8; 2 * (input.len() - consumed)];
        let n = encode_tail(
            &mut run,
            &input[consumed..],
            crate::engine::as_uninit(&mut rest),
        )
        .unwrap();
        let mut all = buf[..written].to_vec();
        all.extend_from_slice(&rest[..n]);
        assert_eq!(all, full, "{}", ctx());
        assert_eq!(run, full_run, "{}", ctx());
        consumed
    }

    /// `check_with` for roomy, exactly sized and too small buffers; an exactly sized
    /// buffer must not stop the kernel before the last whole block.
    fn check(run0: Run, input: &[u8]) {
        let (full, _) = reference(run0, input);
        check_with(run0, input, 2 * input.len() + 64);
        let consumed = check_with(run0, input, full.len());
        assert_eq!(
            consumed,
            input.len() / 64 * 64,
            "exact out stopped early: len {}",
            input.len()
        );
        if cfg!(miri) {
            // A few shorter buffers, so that Miri stays quick: none, mid-block, one short.
            for out_len in [0, full.len() / 2, full.len().saturating_sub(1)] {
                check_with(run0, input, out_len.min(full.len()));
            }
        } else {
            for out_len in 0..full.len() {
                check_with(run0, input, out_len);
            }
        }
    }

    /// Every carried-run start the contract allows, for `input`.
    fn check_runs(input: &[u8]) {
        check(Run::default(), input);
        if let Some(&b) = input.first() {
            let lens: &[u32] = if cfg!(miri) { &[255] } else { &[1, 200, 255] };
            for &len in lens {
                check(Run { value: b, len }, input);
                check(
                    Run {
                        value: b.wrapping_add(1),
                        len,
                    },
                    input,
                );
            }
        }
    }

    struct XorShift(u64);
    impl XorShift {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
    }

    /// Runs with geometric lengths of mean about `mean`, values from a few bytes (0x00 and
    /// 0xFF among them) so that neighbours often repeat.
    fn geometric(rng: &mut XorShift, n: usize, mean: u64) -> Vec<u8> {
        const VALUES: [u8; 4] = [0x00, 0xFF, 0x41, 0x42];
        let mut v = Vec::with_capacity(n);
        let mut value = 0;
        while v.len() < n {
            if rng.next().is_multiple_of(mean) {
                value = VALUES[(rng.next() % 4) as usize];
            }
            v.push(value);
        }
        v
    }

    #[test]
    fn every_length() {
        if skip("every_length") {
            return;
        }
        let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
        let (max, stride) = if cfg!(miri) { (200, 23) } else { (200, 1) };
        for n in (0..=max).step_by(stride) {
            let input = geometric(&mut rng, n, 4);
            check(Run::default(), &input);
            let input: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
            check(Run::default(), &input);
        }
    }

    #[test]
    fn run_ending_at_every_offset() {
        if skip("run_ending_at_every_offset") {
            return;
        }
        let offsets: Vec<usize> = if cfg!(miri) {
            vec![0, 1, 15, 16, 47, 63]
        } else {
            (0..64).collect()
        };
        for &end in &offsets {
            // A run covering the start of the first block and ending at `end` of the
            // second, then random bytes, then a long run.
            let mut input = vec![7u8; 64 + end];
            input.extend((0..64u8).map(|x| x.wrapping_mul(37)));
            input.resize(input.len() + 100, 9);
            input.resize(256, 3);
            check_runs(&input);
            // A run of one at `end` among equal bytes.
            let mut input = vec![5u8; 192];
            input[64 + end] = 6;
            check_runs(&input);
        }
    }

    #[test]
    fn long_runs_straddle_blocks() {
        if skip("long_runs_straddle_blocks") {
            return;
        }
        let lens: &[usize] = if cfg!(miri) {
            &[255, 256, 511, 512]
        } else {
            &[254, 255, 256, 257, 320, 509, 510, 511, 512, 513, 765, 766]
        };
        let starts: &[usize] = if cfg!(miri) {
            &[1, 63]
        } else {
            &[0, 1, 2, 31, 32, 62, 63]
        };
        for &len in lens {
            for &at in starts {
                let mut input: Vec<u8> = (0..at as u8).map(|x| x | 0x80).collect();
                input.resize(at + len, 0x11);
                input.push(0x12);
                input.resize(input.len() + 64, 0x11);
                check_runs(&input);
            }
        }
    }

    #[test]
    fn alternating_full_and_empty_blocks() {
        if skip("alternating_full_and_empty_blocks") {
            return;
        }
        let mut input = Vec::new();
        for b in 0..6u8 {
            if b % 2 == 0 {
                // Every byte a boundary: distinct from neighbours and from the next block.
                input.extend((0..64u8).map(|x| x.wrapping_add(b.wrapping_mul(64))));
            } else {
                input.extend([0xEE; 64]);
            }
        }
        check_runs(&input);
        // The same, with the empty blocks first.
        check_runs(&input[64..]);
        // Every byte a boundary, and boundaries on every lane of the first block too.
        let ramp: Vec<u8> = (0..=255u8).collect();
        check_runs(&ramp);
    }

    #[test]
    fn extreme_values_at_block_edges() {
        if skip("extreme_values_at_block_edges") {
            return;
        }
        for edge in [0x00u8, 0xFF] {
            for other in [0x00u8, 0x01, 0xFE, 0xFF] {
                let mut input = vec![other; 192];
                for at in [0, 63, 64, 127, 128, 191] {
                    input[at] = edge;
                }
                check_runs(&input);
                let mut input = vec![edge; 192];
                input[0] = other;
                input[191] = other;
                check_runs(&input);
            }
        }
    }

    #[test]
    fn random_geometric_runs() {
        if skip("random_geometric_runs") {
            return;
        }
        let mut rng = XorShift(0x2545_F491_4F6C_DD1D);
        let rounds = if cfg!(miri) { 2 } else { 200 };
        for mean in [1, 2, 8, 64, 300] {
            for _ in 0..rounds {
                let n = (rng.next() % if cfg!(miri) { 300 } else { 2000 }) as usize;
                let input = geometric(&mut rng, n, mean);
                check_runs(&input);
            }
        }
    }
}
