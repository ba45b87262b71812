//! The engine of the pairs format: a kernel on a prefix, then the checked scalar reference
//! on the rest (written once, for each direction, and used by the one-shot entry points and
//! the streaming `Encoder` and `Decoder`), and the one-shot encode and decode.
//!
//! Decoding does its two jobs in one pass: the kernel expands whole blocks while each is
//! free of zero counts and fits in `out`; the reference ([`expand_pairs`]) finishes from
//! there and finds the exact error, if any. Only when `out` runs out does a second,
//! read-only pass ([`decoded_len`]) run, to report the length needed (or the zero count that
//! outranks it). So on `Err` parts of `out` may have been written; nothing past `out.len()`
//! ever is.
//!
//! Everything below the public API writes into `&mut [MaybeUninit<u8>]`, so one code path
//! serves initialized buffers (the `&mut [u8]` entry points, through [`as_uninit`]) and
//! uninitialized ones (`encode_uninit` and `decode_uninit`, through [`into_uninit`], which
//! hands back the prefix a call wrote as `&mut [u8]`).
//!
//! The kernels come as [`Kernels`], whose calls are safe; the `unsafe` here is
//! [`encode_unchecked`]'s unchecked tail and the two views between `&mut [u8]` and
//! `&mut [MaybeUninit<u8>]` ([`as_uninit`], [`written_prefix`]). The public length queries
//! ([`max_encoded_len`], [`encoded_len`]) are here too, since the engine's errors use them.

use core::mem::MaybeUninit;

use crate::backend::Kernels;
use crate::error::Error;
use crate::scalar::decode::{Stop, expand_pairs, measure_pairs};
use crate::scalar::{self, Full, Run};

/// The most bytes that encoding `input_len` bytes can take: `2 * input_len` (every byte a
/// run of one), saturating at `usize::MAX`.
///
/// ```
/// assert_eq!(runlen::max_encoded_len(10), 20);
/// assert_eq!(runlen::max_encoded_len(usize::MAX), usize::MAX);
/// ```
pub const fn max_encoded_len(input_len: usize) -> usize {
    input_len.saturating_mul(2)
}

/// The exact length of the encoding of `input`. Writes nothing.
///
/// ```
/// assert_eq!(runlen::encoded_len(b""), 0);
/// assert_eq!(runlen::encoded_len(b"aab"), 4);
/// assert_eq!(runlen::encoded_len(&[0; 300]), 4); // (0, 255), (0, 45)
/// ```
pub fn encoded_len(input: &[u8]) -> usize {
    let (body, run) = scalar::measure(Run::default(), input);
    body + run.flush_len()
}

/// `out` as possibly uninitialized bytes: what the engine, the kernels and the references
/// write into.
///
/// Sound because no code in this crate writes an uninitialized value into such a slice:
/// kernels, references and drivers store only `u8` values (`MaybeUninit::new`, pointer
/// writes of `u8`, copies from initialized slices, `write_bytes`), never
/// `MaybeUninit::uninit()`, and nothing reads through the view what it did not write. So
/// every byte of `out` is still initialized when the borrow ends.
#[inline(always)]
pub(crate) fn as_uninit(out: &mut [u8]) -> &mut [MaybeUninit<u8>] {
    let len = out.len();
    // `MaybeUninit<u8>` has the size and alignment of `u8` and accepts every value a `u8`
    // holds. That `out` holds only initialized bytes when the borrow ends is the argument
    // in the doc comment: nothing in the crate writes an uninitialized value.
    // SAFETY: `out`'s pointer and length describe a valid `[MaybeUninit<u8>]` of the same
    // memory, borrowed exclusively for the same lifetime.
    unsafe { core::slice::from_raw_parts_mut(out.as_mut_ptr().cast::<MaybeUninit<u8>>(), len) }
}

/// The first `len` bytes of `out`, as initialized bytes.
///
/// # Safety
/// `len <= out.len()` and every byte of `out[..len]` has been written.
#[inline(always)]
unsafe fn written_prefix(out: &mut [MaybeUninit<u8>], len: usize) -> &mut [u8] {
    debug_assert!(len <= out.len());
    // SAFETY: `out[..len]` is in bounds and initialized (the caller's contract), and `u8`
    // has the layout of `MaybeUninit<u8>`; the result reborrows `out` exclusively.
    unsafe { core::slice::from_raw_parts_mut(out.as_mut_ptr().cast::<u8>(), len) }
}

/// Encodes `input` into `out`, continuing `run`: `k`'s kernel, then the checked scalar tail.
/// Does not flush. Returns the bytes written, or `Full` (`run` and `out` are then
/// meaningless).
#[inline]
pub(crate) fn encode_body(
    k: Kernels,
    run: &mut Run,
    input: &[u8],
    out: &mut [MaybeUninit<u8>],
) -> Result<usize, Full> {
    run.prepare(input);
    let (consumed, written) = k.encode(run, input, out);
    let tail = scalar::encode_tail(run, &input[consumed..], &mut out[written..])?;
    Ok(written + tail)
}

/// One-shot encoding with `k`: body, then flush.
pub(crate) fn encode(
    k: Kernels,
    out: &mut [MaybeUninit<u8>],
    input: &[u8],
) -> Result<usize, Error> {
    let mut run = Run::default();
    let done = encode_body(k, &mut run, input, out)
        .and_then(|body| Ok(body + scalar::flush(&mut run, &mut out[body..])?));
    done.map_err(|Full| Error::OutputTooSmall {
        needed: encoded_len(input),
    })
}

/// Encodes without bounds checks, as the numba tutorial's compiled loop drops them.
///
/// The vector kernels test room once per block either way; what this drops is the scalar
/// tail's check per pair and the exact-length query of the error path.
///
/// ```
/// let input = b"xxxy";
/// let mut out = [0u8; runlen::max_encoded_len(4)];
/// // SAFETY: `out` holds `max_encoded_len(input.len())` bytes.
/// let n = unsafe { runlen::encode_unchecked(&mut out, input) };
/// assert_eq!(&out[..n], b"x\x03y\x01");
/// ```
///
/// # Safety
/// `out.len() >= max_encoded_len(input.len())`. This is checked by `debug_assert!` only;
/// in release builds a shorter `out` is undefined behaviour.
pub unsafe fn encode_unchecked(out: &mut [u8], input: &[u8]) -> usize {
    debug_assert!(
        out.len() >= max_encoded_len(input.len()),
        "runlen::encode_unchecked: output buffer of {} bytes is shorter than max_encoded_len = {}",
        out.len(),
        max_encoded_len(input.len())
    );
    let out = as_uninit(out);
    let mut run = Run::default();
    run.prepare(input);
    let (consumed, written) = Kernels::best().encode(&mut run, input, out);
    // The kernel's output equals the reference's on `input[..consumed]`, which writes at
    // most 2 bytes per byte consumed; so `out[written..]` holds `2 * (input.len() -
    // consumed)` bytes, which is what the unchecked tail needs.
    // SAFETY: by the caller's contract and the argument above.
    let tail = unsafe {
        scalar::encode_tail_unchecked(
            &mut run,
            &input[consumed..],
            out.get_unchecked_mut(written..),
        )
    };
    let body = written + tail;
    // The total is at most 2 * input.len() <= out.len(), so the flush fits; it is checked
    // all the same (once per call).
    match scalar::flush(&mut run, &mut out[body..]) {
        Ok(n) => body + n,
        Err(Full) => unreachable!("runlen::encode_unchecked: out shorter than its contract"),
    }
}

/// Expands the whole pairs of `encoded` (an odd last byte is ignored) into `out`: `k`'s
/// kernel, then the checked scalar reference. Returns `(consumed, written, why it
/// stopped)`, as [`expand_pairs`] does for the whole of `encoded` (a zero count's offset
/// counted from its start).
#[inline]
pub(crate) fn expand(
    k: Kernels,
    encoded: &[u8],
    out: &mut [MaybeUninit<u8>],
) -> (usize, usize, Stop) {
    let (body, body_written) = k.expand(encoded, out);
    let (tail, tail_written, stop) = expand_pairs(&encoded[body..], &mut out[body_written..]);
    let stop = match stop {
        Stop::ZeroCount(at) => Stop::ZeroCount(body + at),
        stop => stop,
    };
    (body + tail, body_written + tail_written, stop)
}

/// Validates `encoded` and returns its decoded length, with `k`'s measure kernel.
pub(crate) fn decoded_len(k: Kernels, encoded: &[u8]) -> Result<usize, Error> {
    if !encoded.len().is_multiple_of(2) {
        return Err(Error::TruncatedPair);
    }
    let (scanned, body) = k.measure(encoded);
    let (zero, rest) = measure_pairs(&encoded[scanned..]);
    if let Some(at) = zero {
        return Err(Error::ZeroCount {
            offset: scanned + at,
        });
    }
    body.and_then(|b| b.checked_add(rest))
        .and_then(|t| usize::try_from(t).ok())
        .ok_or(Error::LengthOverflow)
}

/// One-shot decoding of `encoded` into `out` with `k`.
pub(crate) fn decode(
    k: Kernels,
    out: &mut [MaybeUninit<u8>],
    encoded: &[u8],
) -> Result<usize, Error> {
    if !encoded.len().is_multiple_of(2) {
        return Err(Error::TruncatedPair);
    }
    let (_, written, stop) = expand(k, encoded, out);
    match stop {
        Stop::Done => Ok(written),
        Stop::ZeroCount(offset) => Err(Error::ZeroCount { offset }),
        // A zero count or an overflow further on outranks the small buffer.
        Stop::Full => Err(match decoded_len(k, encoded) {
            Ok(needed) => Error::OutputTooSmall { needed },
            Err(e) => e,
        }),
    }
}

/// A one-shot call that [`into_uninit`] may hand the output of: given kernels, an `out`
/// and an input, it returns `Ok(n)` only after writing every byte of `out[..n]`.
///
/// # Safety
/// Implementations must keep that promise: [`into_uninit`] hands `out[..n]` back as
/// initialized bytes on it.
pub(crate) unsafe trait OneShotCall: Copy {
    /// Runs the call.
    fn call(self, k: Kernels, out: &mut [MaybeUninit<u8>], input: &[u8]) -> Result<usize, Error>;
}

/// The pairs' one-shot engine calls, for [`into_uninit`].
#[derive(Clone, Copy)]
pub(crate) enum OneShot {
    /// [`encode`].
    Encode,
    /// [`decode`].
    Decode,
}

// SAFETY: `encode`'s and `decode`'s `Ok(n)` means they wrote `out[..n]`: the kernel
// contracts say `out[..written]` is exactly the reference's output, and the references
// write every byte they count.
unsafe impl OneShotCall for OneShot {
    fn call(self, k: Kernels, out: &mut [MaybeUninit<u8>], input: &[u8]) -> Result<usize, Error> {
        match self {
            OneShot::Encode => encode(k, out, input),
            OneShot::Decode => decode(k, out, input),
        }
    }
}

/// Runs `call` with `k` into `out`, which may be uninitialized, and returns the prefix it
/// wrote: the uninitialized-output entry points (`encode_uninit`, ...) of both formats.
#[inline(always)]
pub(crate) fn into_uninit<'a, C: OneShotCall>(
    call: C,
    k: Kernels,
    out: &'a mut [MaybeUninit<u8>],
    input: &[u8],
) -> Result<&'a mut [u8], Error> {
    let n = call.call(k, out, input)?;
    // SAFETY: `OneShotCall`'s contract: `Ok(n)` means `out[..n]` is written, so also
    // `n <= out.len()`.
    Ok(unsafe { written_prefix(out, n) })
}
