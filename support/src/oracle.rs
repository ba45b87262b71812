//! The format's definition in the plainest terms, byte at a time and independent of the
//! crate: what every backend, entry point and binding is held to.

use runlen::Error;

/// Encoding: a run closes at a different byte or at 255 bytes; each run is `[value, count]`.
pub fn encode(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < input.len() {
        let v = input[i];
        let mut n = 1;
        while i + n < input.len() && input[i + n] == v && n < 255 {
            n += 1;
        }
        out.push(v);
        out.push(n as u8);
        i += n;
    }
    out
}

/// One-shot decoding with the documented precedence: an odd length first, then the first
/// zero count (its byte offset), else the decoded bytes.
pub fn decode(encoded: &[u8]) -> Result<Vec<u8>, Error> {
    if !encoded.len().is_multiple_of(2) {
        return Err(Error::TruncatedPair);
    }
    decode_streaming(encoded)
}

/// What a stream reports: the first zero count when it is reached (a stream cannot know
/// its length in advance), else a cut last pair at `finish`.
pub fn decode_streaming(encoded: &[u8]) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    for (i, pair) in encoded.chunks_exact(2).enumerate() {
        if pair[1] == 0 {
            return Err(Error::ZeroCount { offset: 2 * i });
        }
        out.extend(std::iter::repeat_n(pair[0], usize::from(pair[1])));
    }
    if !encoded.len().is_multiple_of(2) {
        return Err(Error::TruncatedPair);
    }
    Ok(out)
}

/// Whether `encoded` is what the encoder would write: whole pairs, no zero count, and
/// neighbours with the same value only after a full 255.
pub fn is_canonical(encoded: &[u8]) -> bool {
    encoded.len().is_multiple_of(2)
        && encoded.chunks_exact(2).all(|p| p[1] != 0)
        && encoded
            .chunks_exact(2)
            .zip(encoded.chunks_exact(2).skip(1))
            .all(|(a, b)| a[0] != b[0] || a[1] == 255)
}
