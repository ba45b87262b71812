//! PackBits across backends, both directions: the data is encoded by every supported
//! backend (exactly sized and one-byte-short buffers) and must match the oracle of
//! runlen-support; the data is also decoded as PackBits (arbitrary bytes: no-ops, truncation, any
//! packet split) by every backend, which must agree with an oracle decoder on the result,
//! the error and the bytes. Every output buffer is a `Vec` of exactly the size under test,
//! so AddressSanitizer reports any access past it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use runlen::Error;
use runlen::packbits::{decode_with, decoded_len, encode_with, encoded_len};
use runlen_support::backends;
use runlen_support::packbits::{decode as oracle_decode, encode as oracle};

fuzz_target!(|data: &[u8]| {
    let backends = backends();
    let want = oracle(data);
    assert_eq!(encoded_len(data), want.len());
    for &b in &backends {
        let mut out = vec![0u8; want.len()];
        assert_eq!(encode_with(b, &mut out, data), Ok(want.len()), "{b}");
        assert_eq!(out, want, "{b}");
        if !want.is_empty() {
            let mut short = vec![0u8; want.len() - 1];
            assert_eq!(
                encode_with(b, &mut short, data),
                Err(Error::OutputTooSmall { needed: want.len() })
            );
        }
    }
    let decoded = oracle_decode(data);
    match &decoded {
        Ok(d) => assert_eq!(decoded_len(data), Ok(d.len())),
        Err(off) => assert_eq!(
            decoded_len(data),
            Err(Error::TruncatedPacket { offset: *off })
        ),
    }
    for &b in &backends {
        match &decoded {
            Ok(d) => {
                let mut out = vec![0u8; d.len()];
                assert_eq!(decode_with(b, &mut out, data), Ok(d.len()), "{b}");
                assert_eq!(&out, d, "{b}");
                if !d.is_empty() {
                    let mut short = vec![0u8; d.len() - 1];
                    assert_eq!(
                        decode_with(b, &mut short, data),
                        Err(Error::OutputTooSmall { needed: d.len() })
                    );
                }
            }
            Err(off) => {
                let mut out = vec![0u8; data.len() * 64];
                assert_eq!(
                    decode_with(b, &mut out, data),
                    Err(Error::TruncatedPacket { offset: *off }),
                    "{b}"
                );
            }
        }
    }
});
