//! Decoding: validation first (so errors follow the documented precedence and nothing is
//! written for invalid input), then expansion.

use crate::Error;

/// Validates `encoded` and returns the decoded length.
pub(crate) fn decoded_len(encoded: &[u8]) -> Result<usize, Error> {
    if !encoded.len().is_multiple_of(2) {
        return Err(Error::TruncatedPair);
    }
    // A zero count is reported before an overflow, so scan for it first; on targets where
    // usize is 64 bits the sum cannot overflow (at most 255 * isize::MAX / 2).
    let mut total: usize = 0;
    let mut overflow = false;
    for (i, pair) in encoded.chunks_exact(2).enumerate() {
        let count = pair[1];
        if count == 0 {
            return Err(Error::ZeroCount { offset: 2 * i });
        }
        match total.checked_add(usize::from(count)) {
            Some(t) => total = t,
            None => overflow = true,
        }
    }
    if overflow {
        return Err(Error::LengthOverflow);
    }
    Ok(total)
}

/// Expands validated pairs into `out`, which is exactly their decoded length.
fn expand(out: &mut [u8], encoded: &[u8]) -> usize {
    let mut at = 0;
    for pair in encoded.chunks_exact(2) {
        let (value, count) = (pair[0], usize::from(pair[1]));
        // Short runs dominate most data: one fixed 16-byte store (when it fits) is cheaper
        // than a variable-length fill; the next pair overwrites the excess.
        if count <= 16
            && let Some(dst) = out.get_mut(at..at + 16)
        {
            dst.copy_from_slice(&[value; 16]);
            at += count;
            continue;
        }
        out[at..at + count].fill(value);
        at += count;
    }
    at
}

pub(crate) fn decode(out: &mut [u8], encoded: &[u8]) -> Result<usize, Error> {
    let needed = decoded_len(encoded)?;
    if out.len() < needed {
        return Err(Error::OutputTooSmall { needed });
    }
    // Slicing to `needed` keeps the wide stores off every byte past the decoded length.
    Ok(expand(&mut out[..needed], encoded))
}
