//! Run-length encoding of bytes into `(value, count)` pairs, as fast as the hardware allows.
//!
//! Every maximal run of equal bytes becomes pairs `(value, count)` with `count` in
//! `1..=255`; a longer run is split greedily into `(value, 255)` pairs and a remainder.
//! All 256 byte values are encoded, 0xFF included. The encoding of `n` bytes is at most
//! `2 * n` bytes.
//!
//! ```
//! use runlen::{decode, decoded_len, encode, encoded_len, max_encoded_len};
//!
//! let input = b"aaaaabbbc";
//! let mut packed = [0u8; max_encoded_len(9)];
//! let n = encode(&mut packed, input);
//! assert_eq!(&packed[..n], b"a\x05b\x03c\x01");
//! assert_eq!(n, encoded_len(input));
//!
//! let mut unpacked = [0u8; 9];
//! assert_eq!(decoded_len(&packed[..n]), Ok(9));
//! assert_eq!(decode(&mut unpacked, &packed[..n]), Ok(9));
//! assert_eq!(&unpacked, input);
//! ```
//!
//! The crate is `#![no_std]`, never allocates and has no dependencies. Encoding and decoding
//! run the fastest backend the CPU supports ([`Backend::best`], detected once without
//! `std`); [`encode_with`] and [`decode_with`] force one, and building without the default
//! `simd` feature leaves only [`Backend::Scalar`], which touches no vector register.
//! [`Encoder`] and [`Decoder`] stream over input that arrives in pieces.
//!
//! Vector backends store whole registers: on success, bytes of `out` past the returned
//! length may have been overwritten, and a failed decode may have written a decoded prefix
//! (it validates while it expands); nothing past `out.len()` ever is.
#![no_std]
#![deny(
    missing_docs,
    unsafe_code,
    unsafe_op_in_unsafe_fn,
    clippy::undocumented_unsafe_blocks
)]

// The stack, from the bottom up; each layer uses only those below it:
// - `uninit` (copy and fill into `MaybeUninit<u8>`, what every layer above writes into);
// - kernel types and contracts, the scalar reference and the drivers over per-ISA traits:
//   `decode` (the decode kernel types and block driver), `scalar` (the reference in both
//   directions, and the scalar kernels), `encode` (the encode block driver),
//   `packbits_kernels` (the same for PackBits);
// - `arch/<arch>/<isa>/{encode,decode}` and `arch/<arch>/packbits`: what differs per ISA,
//   with each backend's target features and their detection;
// - dispatch: `backend` (`Backend`, `Kernels`);
// - `error`, then the engine: `engine` (pairs), `packbits`' `engine` (PackBits);
// - the public API: this file, `stream`, `packbits` and its `stream`.
// `unsafe` code lives only in the modules allowed it here: `uninit`, the kernels and their
// drivers, dispatch (whose `Kernels` makes calling a kernel safe) and the engines (for
// `encode_unchecked` and the views between `&mut [u8]` and `&mut [MaybeUninit<u8>]`). The
// public API (this file, `stream`, `packbits` and its `stream`) has none.
//
// First: the backends' feature macros are in textual scope for the modules after it.
#[macro_use]
#[allow(unsafe_code)]
mod arch;
#[allow(unsafe_code)]
mod backend;
#[cfg(test)]
mod contract;
#[allow(unsafe_code)]
mod decode;
#[cfg(runlen_simd)]
#[allow(unsafe_code)]
mod encode;
#[allow(unsafe_code)]
mod engine;
mod error;
pub mod packbits;
#[allow(unsafe_code)]
mod packbits_kernels;
#[allow(unsafe_code)]
mod scalar;
mod stream;
#[allow(unsafe_code)]
mod uninit;

// Not API: the door of the repository's AVX-512 emulator harness (see Cargo.toml).
#[cfg(all(feature = "__internals", runlen_simd, target_arch = "x86_64"))]
#[doc(hidden)]
#[allow(unsafe_code)]
pub mod __internals;

// The README's Rust examples run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

pub use backend::Backend;
pub use engine::{encode_unchecked, encoded_len, max_encoded_len};
pub use error::Error;
pub use stream::{Decoder, Encoder, Held};

use core::mem::MaybeUninit;

use backend::Kernels;
use engine::{OneShot, as_uninit};

/// Encodes `input` into `out` with the best backend and returns the length written.
///
/// ```
/// let mut out = [0u8; 6];
/// assert_eq!(runlen::encode(&mut out, &[0xFF, 0xFF, 1, 2, 2]), 6);
/// assert_eq!(out, [0xFF, 2, 1, 1, 2, 2]);
/// ```
///
/// # Panics
/// If `out` is shorter than [`encoded_len`]`(input)`; the message names both lengths. Use
/// [`try_encode`] to get an error instead. A buffer of [`max_encoded_len`]`(input.len())`
/// bytes always suffices.
pub fn encode(out: &mut [u8], input: &[u8]) -> usize {
    match try_encode(out, input) {
        Ok(n) => n,
        Err(Error::OutputTooSmall { needed }) => panic!(
            "runlen::encode: output buffer of {} bytes is too small, {} bytes needed",
            out.len(),
            needed
        ),
        Err(e) => panic!("runlen::encode: {e}"),
    }
}

/// Encodes `input` into `out` with the best backend and returns the length written.
///
/// An `out` of exactly [`encoded_len`]`(input)` bytes works, at nearly full speed.
///
/// ```
/// use runlen::{try_encode, Error};
///
/// let mut out = [0u8; 3];
/// assert_eq!(try_encode(&mut out, b"ab"), Err(Error::OutputTooSmall { needed: 4 }));
/// let mut out = [0u8; 4];
/// assert_eq!(try_encode(&mut out, b"ab"), Ok(4));
/// ```
///
/// # Errors
/// [`Error::OutputTooSmall`] with the exact length needed. `out`'s contents are then
/// unspecified, but nothing past `out.len()` is touched.
pub fn try_encode(out: &mut [u8], input: &[u8]) -> Result<usize, Error> {
    engine::encode(Kernels::best(), as_uninit(out), input)
}

/// Encodes `input` with a chosen backend, for testing and benchmarking one against another,
/// or forcing [`Backend::Scalar`] where vector registers are off limits.
///
/// ```
/// use runlen::{encode_with, Backend};
///
/// let mut out = [0u8; 4];
/// assert_eq!(encode_with(Backend::Scalar, &mut out, b"zzzz"), Ok(2));
/// assert_eq!(&out[..2], b"z\x04");
/// ```
///
/// # Errors
/// [`Error::UnsupportedBackend`] (before anything else) if this build or CPU cannot run
/// `backend`; otherwise as [`try_encode`].
pub fn encode_with(backend: Backend, out: &mut [u8], input: &[u8]) -> Result<usize, Error> {
    let k = Kernels::new(backend).ok_or(Error::UnsupportedBackend(backend))?;
    engine::encode(k, as_uninit(out), input)
}

/// Encodes `input` into `out`, which may be uninitialized, with the best backend, and
/// returns the encoding: the prefix of `out` it wrote. [`try_encode`] for memory not yet
/// written, such as a `Vec`'s spare capacity, so that nothing has to zero it first.
///
/// ```
/// use runlen::{encode_uninit, max_encoded_len, Error};
///
/// let input = b"aaab";
/// let mut buf = Vec::with_capacity(max_encoded_len(input.len()));
/// let encoded = encode_uninit(buf.spare_capacity_mut(), input)?;
/// assert_eq!(encoded, b"a\x03b\x01");
///
/// let mut small = [core::mem::MaybeUninit::uninit(); 3];
/// assert_eq!(encode_uninit(&mut small, input), Err(Error::OutputTooSmall { needed: 4 }));
/// # Ok::<(), Error>(())
/// ```
///
/// # Errors
/// As [`try_encode`]: [`Error::OutputTooSmall`] with the exact length needed. `out` may
/// then have been partly written, but nothing past `out.len()` is touched; as with
/// [`try_encode`], bytes past the returned prefix may have been written too.
pub fn encode_uninit<'a>(
    out: &'a mut [MaybeUninit<u8>],
    input: &[u8],
) -> Result<&'a mut [u8], Error> {
    engine::into_uninit(OneShot::Encode, Kernels::best(), out, input)
}

/// [`encode_uninit`] with a chosen backend, as [`encode_with`].
///
/// ```
/// use core::mem::MaybeUninit;
/// use runlen::{encode_uninit_with, Backend};
///
/// let mut out = [MaybeUninit::uninit(); 4];
/// assert_eq!(encode_uninit_with(Backend::Scalar, &mut out, b"zzzz")?, b"z\x04");
/// # Ok::<(), runlen::Error>(())
/// ```
///
/// # Errors
/// [`Error::UnsupportedBackend`] (before anything else) if this build or CPU cannot run
/// `backend`; otherwise as [`encode_uninit`].
pub fn encode_uninit_with<'a>(
    backend: Backend,
    out: &'a mut [MaybeUninit<u8>],
    input: &[u8],
) -> Result<&'a mut [u8], Error> {
    let k = Kernels::new(backend).ok_or(Error::UnsupportedBackend(backend))?;
    engine::into_uninit(OneShot::Encode, k, out, input)
}

/// The length that decoding `encoded` produces, after validating it (with the best
/// backend's vector scan).
///
/// ```
/// use runlen::{decoded_len, Error};
///
/// assert_eq!(decoded_len(&[1, 255, 2, 10]), Ok(265));
/// assert_eq!(decoded_len(&[1, 255, 2]), Err(Error::TruncatedPair));
/// ```
///
/// # Errors
/// [`Error::TruncatedPair`] for an odd length, else [`Error::ZeroCount`] for the first pair
/// with count 0, else [`Error::LengthOverflow`] if the total exceeds `usize::MAX`.
pub fn decoded_len(encoded: &[u8]) -> Result<usize, Error> {
    engine::decoded_len(Kernels::best(), encoded)
}

/// Decodes pairs into `out` with the best backend and returns the length written. Accepts
/// any pairs with counts in `1..=255`, canonical or not.
///
/// ```
/// let mut out = [0u8; 5];
/// assert_eq!(runlen::decode(&mut out, &[b'a', 2, b'a', 1, b'b', 2]), Ok(5));
/// assert_eq!(&out, b"aaabb");
/// ```
///
/// Decoding validates and expands in one pass, so on `Err` a prefix of `out` may have been
/// written, and on success bytes of `out` past the returned length may have been
/// overwritten (vector kernels store whole registers); nothing past `out.len()` ever is.
/// Size `out` with [`decoded_len`] to write exactly the decoded bytes.
///
/// # Errors
/// As [`decoded_len`] (same precedence), then [`Error::OutputTooSmall`] with the decoded
/// length if `out` is shorter.
pub fn decode(out: &mut [u8], encoded: &[u8]) -> Result<usize, Error> {
    engine::decode(Kernels::best(), as_uninit(out), encoded)
}

/// Decodes with a chosen backend: exactly [`decode`](fn@decode)'s result and errors, for
/// testing and benchmarking one backend against another, or forcing [`Backend::Scalar`]
/// where vector registers are off limits.
///
/// ```
/// use runlen::{decode_with, Backend, Error};
///
/// let mut out = [0u8; 4];
/// assert_eq!(decode_with(Backend::Scalar, &mut out, b"z\x03y\x01"), Ok(4));
/// assert_eq!(&out, b"zzzy");
/// assert_eq!(decode_with(Backend::Scalar, &mut out, b"z\x00"), Err(Error::ZeroCount { offset: 0 }));
/// ```
///
/// # Errors
/// [`Error::UnsupportedBackend`] (before anything else) if this build or CPU cannot run
/// `backend`; otherwise as [`decode`](fn@decode).
pub fn decode_with(backend: Backend, out: &mut [u8], encoded: &[u8]) -> Result<usize, Error> {
    let k = Kernels::new(backend).ok_or(Error::UnsupportedBackend(backend))?;
    engine::decode(k, as_uninit(out), encoded)
}

/// Decodes pairs into `out`, which may be uninitialized, with the best backend, and returns
/// the decoded bytes: the prefix of `out` it wrote. [`decode`](fn@decode) for memory not
/// yet written, such as a `Vec`'s spare capacity sized with [`decoded_len`], so that
/// nothing has to zero it first.
///
/// ```
/// use runlen::{decode_uninit, decoded_len, Error};
///
/// let encoded = b"a\x03b\x01";
/// let mut buf = Vec::with_capacity(decoded_len(encoded)?);
/// let decoded = decode_uninit(buf.spare_capacity_mut(), encoded)?;
/// assert_eq!(decoded, b"aaab");
///
/// let mut small = [core::mem::MaybeUninit::uninit(); 3];
/// assert_eq!(decode_uninit(&mut small, encoded), Err(Error::OutputTooSmall { needed: 4 }));
/// # Ok::<(), Error>(())
/// ```
///
/// # Errors
/// As [`decode`](fn@decode), in the same precedence. `out` may then have been partly
/// written, but nothing past `out.len()` is touched.
pub fn decode_uninit<'a>(
    out: &'a mut [MaybeUninit<u8>],
    encoded: &[u8],
) -> Result<&'a mut [u8], Error> {
    engine::into_uninit(OneShot::Decode, Kernels::best(), out, encoded)
}

/// [`decode_uninit`] with a chosen backend, as [`decode_with`].
///
/// ```
/// use core::mem::MaybeUninit;
/// use runlen::{decode_uninit_with, Backend, Error};
///
/// let mut out = [MaybeUninit::uninit(); 4];
/// assert_eq!(decode_uninit_with(Backend::Scalar, &mut out, b"z\x03y\x01")?, b"zzzy");
/// assert_eq!(
///     decode_uninit_with(Backend::Scalar, &mut out, b"z\x00"),
///     Err(Error::ZeroCount { offset: 0 })
/// );
/// # Ok::<(), Error>(())
/// ```
///
/// # Errors
/// [`Error::UnsupportedBackend`] (before anything else) if this build or CPU cannot run
/// `backend`; otherwise as [`decode_uninit`].
pub fn decode_uninit_with<'a>(
    backend: Backend,
    out: &'a mut [MaybeUninit<u8>],
    encoded: &[u8],
) -> Result<&'a mut [u8], Error> {
    let k = Kernels::new(backend).ok_or(Error::UnsupportedBackend(backend))?;
    engine::into_uninit(OneShot::Decode, k, out, encoded)
}
