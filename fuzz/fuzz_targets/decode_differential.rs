//! Every decode entry point, on every supported backend, against the byte-at-a-time
//! oracle of `runlen-support`: `decode_with` into exact, short and roomy buffers,
//! `decoded_len`, and the streaming `Decoder` over fuzzer-chosen splits and `out` sizes.
//!
//! Input layout: byte 0 is `flags`; its low 3 bits are the number of split points `s`; then
//! `s` little-endian `u16` split positions (modulo the encoded length + 1), then one byte
//! `sizes` that seeds the streaming `out` sizes; the rest is the encoded input. Bits 3 to
//! 5 of `flags` shape the counts (kept: zero stays zero): as given, or mapped into 1..=2,
//! 1..=4, 1..=8, 1..=16, 1..=32 or 1..=64, or into 1..=4 (1..=2 with bit 6 set) with a
//! few (counts over 0xF0) into 1..=32, so that long stretches of short runs, with and
//! without a longer one among them, reach the short-run paths (random bytes almost never
//! give a whole block of them). Missing header bytes read as zero. Every
//! output buffer is its own `Vec` of exactly the size under test, so AddressSanitizer
//! reports any write past its end, and the encoded input is copied to an allocation of its
//! own so that any over-read is reported too.
#![no_main]

use libfuzzer_sys::fuzz_target;
use runlen::{Backend, Error};
use runlen_support::decode_streamed;
use runlen_support::oracle::{decode as oracle, decode_streaming as streaming_oracle};

struct Case {
    cuts: Vec<usize>,
    sizes: u8,
    encoded: Vec<u8>,
}

fn parse(data: &[u8]) -> Case {
    let byte = |i: usize| data.get(i).copied().unwrap_or(0);
    let splits = usize::from(byte(0) & 7);
    let header = 2 + 2 * splits;
    let mut encoded = data.get(header..).unwrap_or(&[]).to_vec();
    let shape = usize::from(byte(0) >> 3 & 7);
    let base = if byte(0) & 0x40 != 0 { 1 } else { 3 };
    for count in encoded.iter_mut().skip(1).step_by(2) {
        *count = match (*count, shape) {
            (0, _) | (_, 0) => *count,
            (c, 7) if c > 0xF0 => 1 + (c & 31),
            (c, 7) => 1 + ((c - 1) & base),
            (c, _) => 1 + ((c - 1) & [0, 1, 3, 7, 15, 31, 63][shape]),
        };
    }
    let cuts: Vec<usize> = (0..splits)
        .map(|k| usize::from(u16::from_le_bytes([byte(1 + 2 * k), byte(2 + 2 * k)])))
        .map(|c| c % (encoded.len() + 1))
        .collect();
    Case {
        cuts,
        sizes: byte(header - 1),
        encoded,
    }
}

fn stream(backend: Backend, case: &Case) -> Result<Vec<u8>, Error> {
    // Sizes 1..=64, and sometimes one large enough for a whole chunk.
    let mut s = case.sizes;
    let next_size = move || {
        s = s.wrapping_mul(37).wrapping_add(11);
        if s & 0xC0 == 0xC0 {
            4096
        } else {
            usize::from(s & 63) + 1
        }
    };
    decode_streamed(backend, &case.encoded, &case.cuts, next_size)
}

fuzz_target!(|data: &[u8]| {
    let case = parse(data);
    let encoded = &case.encoded[..];
    let expected = oracle(encoded);
    let needed = expected.as_ref().map_or(0, Vec::len);
    assert_eq!(
        runlen::decoded_len(encoded),
        expected.as_ref().map(Vec::len).map_err(|e| *e),
        "decoded_len"
    );
    let streamed = streaming_oracle(encoded);
    for backend in Backend::ALL.into_iter().filter(|b| b.is_supported()) {
        for len in [
            needed,
            needed + 1,
            needed + 63,
            needed / 2,
            needed.saturating_sub(1),
            0,
        ] {
            let mut out = vec![0u8; len];
            let r = runlen::decode_with(backend, &mut out, encoded);
            match &expected {
                Ok(bytes) if len >= bytes.len() => {
                    assert_eq!(r, Ok(needed), "{backend}: decode into {len} bytes");
                    assert_eq!(
                        &out[..needed],
                        &bytes[..],
                        "{backend}: decode into {len} bytes"
                    );
                }
                Ok(_) => assert_eq!(
                    r,
                    Err(Error::OutputTooSmall { needed }),
                    "{backend}: decode into {len} bytes"
                ),
                Err(e) => assert_eq!(r, Err(*e), "{backend}: decode into {len} bytes"),
            }
        }
        assert_eq!(stream(backend, &case), streamed, "{backend}: streamed");
    }
});
