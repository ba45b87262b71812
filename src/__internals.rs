//! Not API: the AVX-512 kernels (the pairs' encoder and decoder, PackBits' encoder) for the
//! repository's Bochs harness (`.ci/avx512-bochs`), which runs them in a CPU emulator,
//! compiled only with the `__internals` feature. Hidden from the docs, unstable, and free
//! to change or vanish in any release.

use crate::arch::x86_64::{avx512, packbits};
use crate::engine::as_uninit;
use crate::scalar::Run;

/// The AVX-512 pairs encoder, continuing the run `(value, len)` (`len <= 255`): returns
/// `(consumed, written)` and the run it leaves open.
///
/// # Safety
/// The CPU has the AVX-512 backend's target features.
pub unsafe fn avx512_encode(
    run: (u8, u32),
    input: &[u8],
    out: &mut [u8],
) -> ((usize, usize), (u8, u32)) {
    let mut run = Run {
        value: run.0,
        len: run.1,
    };
    // SAFETY: the caller's contract.
    let done = unsafe { avx512::encode::encode(&mut run, input, as_uninit(out)) };
    (done, (run.value, run.len))
}

/// The AVX-512 pairs expand kernel: `(consumed, written)`.
///
/// # Safety
/// As [`avx512_encode`].
pub unsafe fn avx512_expand(encoded: &[u8], out: &mut [u8]) -> (usize, usize) {
    // SAFETY: the caller's contract.
    unsafe { avx512::decode::expand(encoded, as_uninit(out)) }
}

/// The AVX-512 pairs measure kernel: `(scanned, total)`, `None` for an overflow.
///
/// # Safety
/// As [`avx512_encode`].
pub unsafe fn avx512_measure(encoded: &[u8]) -> (usize, Option<u64>) {
    // SAFETY: the caller's contract.
    unsafe { avx512::decode::measure(encoded) }
}

/// The AVX-512 PackBits encoder on the whole of `input` (a last chunk): `(consumed,
/// written)`, or `None` when `out` is too short.
///
/// # Safety
/// As [`avx512_encode`].
pub unsafe fn avx512_packbits_encode(input: &[u8], out: &mut [u8]) -> Option<(usize, usize)> {
    // SAFETY: the caller's contract.
    unsafe { packbits::avx512_encode(input, as_uninit(out), true) }.ok()
}
