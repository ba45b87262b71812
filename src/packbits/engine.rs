//! The engine of PackBits, as `engine.rs` is the pairs': one-shot encoding and measuring
//! with a backend's kernels, the one-shot decode (the expand kernel, then the exact error,
//! if any, from the checked scalar length) and that length, for the public API and the
//! streaming `Encoder` and `Decoder`.

use core::mem::MaybeUninit;

use crate::backend::Kernels;
use crate::engine::OneShotCall;
use crate::error::Error;
use crate::packbits_kernels::encode::Full;

/// The most bytes that encoding `input_len` bytes can take: `n + ceil(n / 128)` (all
/// literal packets), saturating at `usize::MAX`.
///
/// ```
/// use runlen::packbits::max_encoded_len;
///
/// assert_eq!(max_encoded_len(0), 0);
/// assert_eq!(max_encoded_len(1), 2);
/// assert_eq!(max_encoded_len(128), 129);
/// assert_eq!(max_encoded_len(129), 131);
/// assert_eq!(max_encoded_len(usize::MAX), usize::MAX);
/// ```
pub const fn max_encoded_len(input_len: usize) -> usize {
    input_len.saturating_add(input_len.div_ceil(128))
}

/// The exact length of the encoding of `input`, with `k`'s measure kernel.
pub(super) fn measure(k: Kernels, input: &[u8]) -> usize {
    // Measuring never fails.
    match k.packbits_measure(input, &mut [], true) {
        Ok((_, n)) => n,
        Err(Full) => unreachable!("measuring writes nothing"),
    }
}

/// One-shot encoding with `k`: errors in the contract's precedence.
pub(super) fn encode_kernels(
    k: Kernels,
    out: &mut [MaybeUninit<u8>],
    input: &[u8],
) -> Result<usize, Error> {
    match k.packbits_encode(input, out, true) {
        Ok((_, n)) => Ok(n),
        Err(Full) => Err(Error::OutputTooSmall {
            needed: measure(k, input),
        }),
    }
}

/// The decoded length of `enc`, whose first byte is at stream offset `base`.
///
/// # Errors
/// [`Error::TruncatedPacket`] for a packet cut off by the end (offset counted from
/// `base`), else [`Error::LengthOverflow`] if the length exceeds `usize::MAX`.
pub(crate) fn decoded_len(enc: &[u8], base: usize) -> Result<usize, Error> {
    let n = enc.len();
    let mut i = 0;
    // u64: even on 16- and 32-bit targets it cannot overflow (each byte decodes to at most
    // 64 bytes).
    let mut total: u64 = 0;
    while i < n {
        let h = enc[i];
        if h < 128 {
            let len = h as usize + 1;
            if n - i - 1 < len {
                return Err(Error::TruncatedPacket {
                    offset: base.wrapping_add(i),
                });
            }
            total += len as u64;
            i += len + 1;
        } else if h > 128 {
            if n - i < 2 {
                return Err(Error::TruncatedPacket {
                    offset: base.wrapping_add(i),
                });
            }
            total += 257 - h as u64;
            i += 2;
        } else {
            i += 1;
        }
    }
    usize::try_from(total).map_err(|_| Error::LengthOverflow)
}

/// One-shot decoding with `k`'s expand kernel: errors in the contract's precedence.
pub(crate) fn decode(k: Kernels, out: &mut [MaybeUninit<u8>], enc: &[u8]) -> Result<usize, Error> {
    let (i, o) = k.packbits_expand(out, enc);
    if i == enc.len() {
        return Ok(o);
    }
    // The packet at i is cut off or does not fit: a cut packet (anywhere in the rest) comes
    // first, then an overflow, then the length needed.
    let rest = decoded_len(&enc[i..], i)?;
    let needed = o.checked_add(rest).ok_or(Error::LengthOverflow)?;
    Err(Error::OutputTooSmall { needed })
}

/// PackBits' one-shot calls, for the engine's `into_uninit`.
#[derive(Clone, Copy)]
pub(super) enum OneShot {
    /// [`encode_kernels`].
    Encode,
    /// [`decode`].
    Decode,
}

// SAFETY: `encode_kernels`'s and `decode`'s `Ok(n)` means they wrote `out[..n]`: the
// kernel contracts say `out[..written]` is exactly the reference's output, and the
// references write every byte they count.
unsafe impl OneShotCall for OneShot {
    fn call(self, k: Kernels, out: &mut [MaybeUninit<u8>], input: &[u8]) -> Result<usize, Error> {
        match self {
            OneShot::Encode => encode_kernels(k, out, input),
            OneShot::Decode => decode(k, out, input),
        }
    }
}
