//! Arbitrary bytes as encoded input: `decode` and `decoded_len` never panic, return only
//! the documented errors in the documented precedence (odd length, then the first zero
//! count, then a too-small `out`), never write past `out` (each buffer is its own exactly
//! sized allocation, so AddressSanitizer sees any overrun); valid input round-trips through
//! the encoder. (Decoding validates while it expands, so on error a prefix of `out` may
//! hold decoded bytes, and on success bytes past the decoded length may be overwritten.)
#![no_main]

use libfuzzer_sys::fuzz_target;
use runlen::Error;
use runlen_support::guard;
use runlen_support::oracle::{decode as oracle, is_canonical};

/// Decodes into a fresh buffer of exactly `len` bytes.
fn decode_into(len: usize, encoded: &[u8]) -> (Result<usize, Error>, Vec<u8>) {
    guard::exact(len, |out| runlen::decode(out, encoded))
}

fuzz_target!(|encoded: &[u8]| {
    let expected = oracle(encoded);
    let needed = match &expected {
        Ok(bytes) => bytes.len(),
        Err(e) => {
            assert_eq!(runlen::decoded_len(encoded), Err(*e), "decoded_len");
            // The validation errors come before any look at `out`, whatever its length.
            for len in [0, 1, 64, 2 * encoded.len()] {
                let (r, _) = decode_into(len, encoded);
                assert_eq!(r, Err(*e), "decode into {len} bytes");
            }
            return;
        }
    };
    let bytes = expected.unwrap();
    assert_eq!(runlen::decoded_len(encoded), Ok(needed), "decoded_len");

    // Exact, roomy (wide stores near the end of `out` must stay inside it), and too-small
    // buffers.
    for len in [needed, needed + 1, needed + 15, needed + 64] {
        let (r, out) = decode_into(len, encoded);
        assert_eq!(r, Ok(needed), "decode into {len} bytes");
        assert_eq!(&out[..needed], &bytes[..], "decode into {len} bytes");
    }
    for len in [0, needed / 2, needed.saturating_sub(1)] {
        if len >= needed {
            continue;
        }
        let (r, _) = decode_into(len, encoded);
        assert_eq!(
            r,
            Err(Error::OutputTooSmall { needed }),
            "decode into {len} bytes"
        );
    }

    // Valid pairs, canonical or not, decode to bytes whose encoding decodes back to them;
    // a canonical input is reproduced exactly.
    let mut packed = vec![0u8; runlen::encoded_len(&bytes)];
    let n = runlen::encode(&mut packed, &bytes);
    assert_eq!(n, packed.len());
    let (r, again) = decode_into(needed, &packed);
    assert_eq!(r, Ok(needed));
    assert_eq!(again, bytes, "decode(encode(decode(x))) == decode(x)");
    if is_canonical(encoded) {
        assert_eq!(packed, encoded, "a canonical encoding re-encodes to itself");
    }
});
