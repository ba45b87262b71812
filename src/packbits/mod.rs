//! PackBits, the second format: the run-length scheme of TIFF (compression 32773),
//! Photoshop, ICNS and MacPaint. Data without runs stays as literal packets, so the
//! encoding of `n` bytes never exceeds `n + ceil(n / 128)` bytes.
//!
//! A packet starts with a header byte `h`: `0..=127` is followed by `h + 1` literal bytes;
//! `129..=255` by one byte repeated `257 - h` times (2..=128); `128` is a no-op, which
//! decoders skip and this crate never writes.
//!
//! The encoding is canonical: every maximal run of `r >= 3` equal bytes becomes `r / 128`
//! run packets of 128, then one of the remainder `r % 128` if it is at least 2; a remainder
//! of 1 and every run shorter than 3 are literal data, cut greedily into packets of 128
//! bytes between the run packets. Every backend and every streaming split writes exactly
//! these bytes. Decoding accepts any PackBits.
//!
//! ```
//! use runlen::packbits::{decode, decoded_len, encode, encoded_len, max_encoded_len};
//!
//! let input = b"abcddddddddeeef";
//! let mut packed = [0u8; max_encoded_len(15)];
//! let n = encode(&mut packed, input);
//! assert_eq!(&packed[..n], b"\x02abc\xf9d\xfee\x00f");
//! assert_eq!(n, encoded_len(input));
//!
//! let mut unpacked = [0u8; 15];
//! assert_eq!(decoded_len(&packed[..n]), Ok(15));
//! assert_eq!(decode(&mut unpacked, &packed[..n]), Ok(15));
//! assert_eq!(&unpacked, input);
//! ```
//!
//! As with the pairs, vector backends store whole registers: on success, bytes of `out`
//! past the returned length may have been overwritten, and a failed call may have written a
//! prefix; nothing past `out.len()` ever is.

// The kernels and their drivers are below dispatch, in `crate::packbits_kernels` and
// `crate::arch`; `engine` runs them for this module and its `stream`, the public API. None
// of the three has `unsafe` code.
#[allow(unsafe_code)]
mod engine;
mod stream;

pub use engine::max_encoded_len;
pub use stream::{Decoder, Encoder, Held};

use core::mem::MaybeUninit;

use crate::backend::{Backend, Kernels};
use crate::engine::{as_uninit, into_uninit};
use crate::error::Error;
use engine::{OneShot, encode_kernels, measure};

/// The exact length of the encoding of `input`. Writes nothing.
///
/// ```
/// use runlen::packbits::encoded_len;
///
/// assert_eq!(encoded_len(b""), 0);
/// assert_eq!(encoded_len(b"ab"), 3);       // one literal packet
/// assert_eq!(encoded_len(&[7; 300]), 6);   // runs of 128, 128 and 44
/// ```
pub fn encoded_len(input: &[u8]) -> usize {
    measure(Kernels::best(), input)
}

/// Encodes `input` into `out` with the best backend and returns the length written.
///
/// ```
/// let mut out = [0u8; 5];
/// assert_eq!(runlen::packbits::encode(&mut out, b"xyzzzz"), 5);
/// assert_eq!(out, *b"\x01xy\xfdz");
/// ```
///
/// # Panics
/// If `out` is shorter than [`encoded_len`]`(input)`; the message names both lengths. Use
/// [`try_encode`] for an error instead. [`max_encoded_len`]`(input.len())` bytes always
/// suffice.
pub fn encode(out: &mut [u8], input: &[u8]) -> usize {
    match try_encode(out, input) {
        Ok(n) => n,
        Err(Error::OutputTooSmall { needed }) => panic!(
            "runlen::packbits::encode: output buffer of {} bytes is too small, {} bytes needed",
            out.len(),
            needed
        ),
        Err(e) => panic!("runlen::packbits::encode: {e}"),
    }
}

/// Encodes `input` into `out` with the best backend and returns the length written. An
/// `out` of exactly [`encoded_len`]`(input)` bytes works.
///
/// ```
/// use runlen::{packbits::try_encode, Error};
///
/// let mut out = [0u8; 2];
/// assert_eq!(try_encode(&mut out, b"ab"), Err(Error::OutputTooSmall { needed: 3 }));
/// let mut out = [0u8; 3];
/// assert_eq!(try_encode(&mut out, b"ab"), Ok(3));
/// ```
///
/// # Errors
/// [`Error::OutputTooSmall`] with the exact length needed; `out`'s contents are then
/// unspecified, but nothing past `out.len()` is touched.
pub fn try_encode(out: &mut [u8], input: &[u8]) -> Result<usize, Error> {
    encode_kernels(Kernels::best(), as_uninit(out), input)
}

/// Encodes with a chosen backend: the same bytes as every other backend.
///
/// ```
/// use runlen::{packbits::encode_with, Backend};
///
/// let mut out = [0u8; 4];
/// assert_eq!(encode_with(Backend::Scalar, &mut out, b"qqqq"), Ok(2));
/// assert_eq!(&out[..2], b"\xfdq");
/// ```
///
/// # Errors
/// [`Error::UnsupportedBackend`] (before anything else) if this build or CPU cannot run
/// `backend`; otherwise as [`try_encode`].
pub fn encode_with(backend: Backend, out: &mut [u8], input: &[u8]) -> Result<usize, Error> {
    let k = Kernels::new(backend).ok_or(Error::UnsupportedBackend(backend))?;
    encode_kernels(k, as_uninit(out), input)
}

/// Encodes `input` into `out`, which may be uninitialized, with the best backend, and
/// returns the encoding: the prefix of `out` it wrote. [`try_encode`] for memory not yet
/// written, such as a `Vec`'s spare capacity, so that nothing has to zero it first.
///
/// ```
/// use runlen::{packbits::{encode_uninit, max_encoded_len}, Error};
///
/// let input = b"xyzzzz";
/// let mut buf = Vec::with_capacity(max_encoded_len(input.len()));
/// let encoded = encode_uninit(buf.spare_capacity_mut(), input)?;
/// assert_eq!(encoded, b"\x01xy\xfdz");
///
/// let mut small = [core::mem::MaybeUninit::uninit(); 4];
/// assert_eq!(encode_uninit(&mut small, input), Err(Error::OutputTooSmall { needed: 5 }));
/// # Ok::<(), Error>(())
/// ```
///
/// # Errors
/// As [`try_encode`]: [`Error::OutputTooSmall`] with the exact length needed. `out` may
/// then have been partly written, but nothing past `out.len()` is touched.
pub fn encode_uninit<'a>(
    out: &'a mut [MaybeUninit<u8>],
    input: &[u8],
) -> Result<&'a mut [u8], Error> {
    into_uninit(OneShot::Encode, Kernels::best(), out, input)
}

/// [`encode_uninit`] with a chosen backend, as [`encode_with`].
///
/// ```
/// use core::mem::MaybeUninit;
/// use runlen::{packbits::encode_uninit_with, Backend};
///
/// let mut out = [MaybeUninit::uninit(); 4];
/// assert_eq!(encode_uninit_with(Backend::Scalar, &mut out, b"qqqq")?, b"\xfdq");
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
    into_uninit(OneShot::Encode, k, out, input)
}

/// The length that decoding `encoded` produces, after validating it.
///
/// ```
/// use runlen::{packbits::decoded_len, Error};
///
/// assert_eq!(decoded_len(b"\x01ab\x80\xfex"), Ok(5)); // 0x80 is a no-op
/// assert_eq!(decoded_len(b"\x01ab\xfe"), Err(Error::TruncatedPacket { offset: 3 }));
/// ```
///
/// # Errors
/// [`Error::TruncatedPacket`] for a packet cut off by the end of `encoded` (the offset of
/// its header), else [`Error::LengthOverflow`] if the length exceeds `usize::MAX`.
pub fn decoded_len(encoded: &[u8]) -> Result<usize, Error> {
    engine::decoded_len(encoded, 0)
}

/// Decodes any PackBits into `out` with the best backend and returns the length written.
///
/// ```
/// use runlen::{packbits::decode, Error};
///
/// let mut out = [0u8; 6];
/// assert_eq!(decode(&mut out, b"\x01ab\xfdc"), Ok(6));
/// assert_eq!(&out, b"abcccc");
/// assert_eq!(decode(&mut out[..5], b"\x01ab\xfdc"), Err(Error::OutputTooSmall { needed: 6 }));
/// assert_eq!(decode(&mut out, b"\x05ab"), Err(Error::TruncatedPacket { offset: 0 }));
/// ```
///
/// On `Err` a prefix of `out` may have been written; on success bytes past the returned
/// length may have been (vector kernels store whole registers). Nothing past `out.len()`.
///
/// # Errors
/// As [`decoded_len`] (a truncated packet comes first), then [`Error::OutputTooSmall`] with
/// the decoded length if `out` is shorter.
pub fn decode(out: &mut [u8], encoded: &[u8]) -> Result<usize, Error> {
    engine::decode(Kernels::best(), as_uninit(out), encoded)
}

/// Decodes with a chosen backend: exactly [`decode`]'s result and errors.
///
/// ```
/// use runlen::{packbits::decode_with, Backend};
///
/// let mut out = [0u8; 3];
/// assert_eq!(decode_with(Backend::Scalar, &mut out, b"\xfez\x80"), Ok(3));
/// assert_eq!(&out, b"zzz");
/// ```
///
/// # Errors
/// [`Error::UnsupportedBackend`] (before anything else) if this build or CPU cannot run
/// `backend`; otherwise as [`decode`].
pub fn decode_with(backend: Backend, out: &mut [u8], encoded: &[u8]) -> Result<usize, Error> {
    let k = Kernels::new(backend).ok_or(Error::UnsupportedBackend(backend))?;
    engine::decode(k, as_uninit(out), encoded)
}

/// Decodes any PackBits into `out`, which may be uninitialized, with the best backend, and
/// returns the decoded bytes: the prefix of `out` it wrote. [`decode`] for memory not yet
/// written, such as a `Vec`'s spare capacity sized with [`decoded_len`], so that nothing
/// has to zero it first.
///
/// ```
/// use runlen::{packbits::{decode_uninit, decoded_len}, Error};
///
/// let encoded = b"\x01ab\xfdc";
/// let mut buf = Vec::with_capacity(decoded_len(encoded)?);
/// let decoded = decode_uninit(buf.spare_capacity_mut(), encoded)?;
/// assert_eq!(decoded, b"abcccc");
///
/// let mut small = [core::mem::MaybeUninit::uninit(); 5];
/// assert_eq!(decode_uninit(&mut small, encoded), Err(Error::OutputTooSmall { needed: 6 }));
/// # Ok::<(), Error>(())
/// ```
///
/// # Errors
/// As [`decode`], in the same precedence. `out` may then have been partly written, but
/// nothing past `out.len()` is touched.
pub fn decode_uninit<'a>(
    out: &'a mut [MaybeUninit<u8>],
    encoded: &[u8],
) -> Result<&'a mut [u8], Error> {
    into_uninit(OneShot::Decode, Kernels::best(), out, encoded)
}

/// [`decode_uninit`] with a chosen backend, as [`decode_with`].
///
/// ```
/// use core::mem::MaybeUninit;
/// use runlen::{packbits::decode_uninit_with, Backend};
///
/// let mut out = [MaybeUninit::uninit(); 3];
/// assert_eq!(decode_uninit_with(Backend::Scalar, &mut out, b"\xfez\x80")?, b"zzz");
/// # Ok::<(), runlen::Error>(())
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
    into_uninit(OneShot::Decode, k, out, encoded)
}
