//! The one error type of the crate.

use core::fmt;

use crate::backend::Backend;

/// Why an encode or decode call failed.
///
/// When several problems are present, the first in this order is reported:
/// [`UnsupportedBackend`](Error::UnsupportedBackend), [`TruncatedPair`](Error::TruncatedPair)
/// (PackBits: [`TruncatedPacket`](Error::TruncatedPacket)),
/// the first [`ZeroCount`](Error::ZeroCount), [`LengthOverflow`](Error::LengthOverflow),
/// [`OutputTooSmall`](Error::OutputTooSmall).
///
/// ```
/// use runlen::{decode, Error};
///
/// let mut out = [0u8; 4];
/// assert_eq!(decode(&mut out, &[7, 3, 9]), Err(Error::TruncatedPair));
/// assert_eq!(decode(&mut out, &[7, 3, 9, 0]), Err(Error::ZeroCount { offset: 2 }));
/// assert_eq!(decode(&mut out, &[7, 3, 9, 2]), Err(Error::OutputTooSmall { needed: 5 }));
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Error {
    /// `out` is too short; `needed` is the exact total length this call needs.
    OutputTooSmall {
        /// The length of `out` with which the same call succeeds.
        needed: usize,
    },
    /// The encoded input has an odd length: its last pair is cut.
    TruncatedPair,
    /// A pair has count 0; `offset` is the byte offset of its value byte.
    ZeroCount {
        /// Byte offset of the offending pair (always even).
        offset: usize,
    },
    /// The backend asked for is not compiled in or the CPU cannot run it.
    UnsupportedBackend(Backend),
    /// A length does not fit in `usize` (a decoded length past `usize::MAX`, possible on
    /// 16- and 32-bit targets).
    LengthOverflow,
    /// PackBits: a packet is cut off by the end of the input; `offset` is its header's.
    TruncatedPacket {
        /// Byte offset of the cut packet's header byte.
        offset: usize,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Error::OutputTooSmall { needed } => {
                write!(f, "output buffer too small: {needed} bytes needed")
            }
            Error::TruncatedPair => f.write_str("encoded input has odd length: truncated pair"),
            Error::ZeroCount { offset } => write!(f, "pair at byte offset {offset} has count 0"),
            Error::UnsupportedBackend(b) => {
                write!(
                    f,
                    "backend {} is not supported on this build or CPU",
                    b.name()
                )
            }
            Error::LengthOverflow => f.write_str("length does not fit in usize"),
            Error::TruncatedPacket { offset } => {
                write!(
                    f,
                    "packet at byte offset {offset} is cut off by the end of the input"
                )
            }
        }
    }
}

impl core::error::Error for Error {}
