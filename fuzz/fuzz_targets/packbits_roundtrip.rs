//! PackBits round trip and streaming: the input (after a header byte choosing the chunk
//! sizes) is encoded in one shot, decoded back, and streamed through the `Encoder` in
//! chunks (each `out` exactly what the encoder says the chunk may need; first an empty
//! `out`, which must fail with the exact length, leaving the encoder unchanged) and the
//! encoding through the `Decoder` with small `out` buffers; both must give the one-shot
//! bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use runlen::Error;
use runlen::packbits::{Decoder, Encoder, decode, encode, max_encoded_len};

fuzz_target!(|data: &[u8]| {
    let (flags, input) = match data.split_first() {
        Some((&f, rest)) => (f, rest),
        None => (0, data),
    };
    let mut packed = vec![0u8; max_encoded_len(input.len())];
    let n = encode(&mut packed, input);
    packed.truncate(n);
    assert!(n <= max_encoded_len(input.len()));
    let mut back = vec![0u8; input.len()];
    assert_eq!(decode(&mut back, &packed), Ok(input.len()));
    assert_eq!(back, input);

    let chunk = 1 + usize::from(flags & 0x3F) * 7;
    let mut enc = Encoder::new();
    let mut streamed = Vec::new();
    for piece in input.chunks(chunk) {
        if flags & 0x40 != 0 {
            let before = format!("{enc:?}");
            match enc.encode_chunk(&mut [], piece) {
                // Nothing to write yet: the piece is consumed (held).
                Ok(w) => {
                    assert_eq!(w, 0);
                    continue;
                }
                Err(Error::OutputTooSmall { needed }) => {
                    assert!(needed > 0);
                    assert_eq!(format!("{enc:?}"), before);
                }
                Err(e) => panic!("{e}"),
            }
        }
        let mut out = vec![0u8; enc.out_len_for(piece.len())];
        let w = enc.encode_chunk(&mut out, piece).unwrap();
        streamed.extend_from_slice(&out[..w]);
        assert!(enc.held() <= Encoder::MAX_HELD);
    }
    let mut out = vec![0u8; max_encoded_len(enc.held())];
    let w = enc.finish(&mut out).unwrap();
    streamed.extend_from_slice(&out[..w]);
    assert_eq!(streamed, packed);

    let out_size = 1 + usize::from(flags >> 2);
    let mut dec = Decoder::new();
    let mut unpacked = Vec::new();
    let mut out = vec![0u8; out_size];
    for piece in packed.chunks(chunk) {
        let mut rest = piece;
        loop {
            let (used, w) = dec.decode_chunk(&mut out, rest).unwrap();
            unpacked.extend_from_slice(&out[..w]);
            rest = &rest[used..];
            if rest.is_empty() && w < out.len() {
                break;
            }
        }
    }
    let mut tail = vec![0u8; 128];
    let w = dec.finish(&mut tail).unwrap();
    unpacked.extend_from_slice(&tail[..w]);
    assert_eq!(unpacked, input);
});
