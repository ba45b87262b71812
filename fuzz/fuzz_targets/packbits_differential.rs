//! PackBits across backends, both directions: the data is encoded by every supported
//! backend (exactly sized and one-byte-short buffers) and must match an oracle written
//! here; the data is also decoded as PackBits (arbitrary bytes: no-ops, truncation, any
//! packet split) by every backend, which must agree with an oracle decoder on the result,
//! the error and the bytes. Every output buffer is a `Vec` of exactly the size under test,
//! so AddressSanitizer reports any access past it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use runlen::packbits::{decode_with, decoded_len, encode_with, encoded_len};
use runlen::{Backend, Error};

fn oracle(x: &[u8]) -> Vec<u8> {
    fn flush(lit: &mut Vec<u8>, out: &mut Vec<u8>) {
        for c in lit.chunks(128) {
            out.push(c.len() as u8 - 1);
            out.extend_from_slice(c);
        }
        lit.clear();
    }
    let (mut out, mut lit, mut i) = (Vec::new(), Vec::new(), 0);
    while i < x.len() {
        let v = x[i];
        let r = x[i..].iter().take_while(|&&b| b == v).count();
        if r < 3 {
            lit.extend(std::iter::repeat_n(v, r));
        } else {
            flush(&mut lit, &mut out);
            for _ in 0..r / 128 {
                out.extend_from_slice(&[0x81, v]);
            }
            match r % 128 {
                0 => {}
                1 => lit.push(v),
                m => out.extend_from_slice(&[(257 - m) as u8, v]),
            }
        }
        i += r;
    }
    flush(&mut lit, &mut out);
    out
}

fn oracle_decode(e: &[u8]) -> Result<Vec<u8>, usize> {
    let (mut out, mut i) = (Vec::new(), 0);
    while i < e.len() {
        let h = e[i] as usize;
        match h {
            0..=127 => {
                out.extend_from_slice(e.get(i + 1..i + 2 + h).ok_or(i)?);
                i += h + 2;
            }
            128 => i += 1,
            _ => {
                out.extend(std::iter::repeat_n(*e.get(i + 1).ok_or(i)?, 257 - h));
                i += 2;
            }
        }
    }
    Ok(out)
}

fuzz_target!(|data: &[u8]| {
    let backends: Vec<Backend> = Backend::ALL.into_iter().filter(|b| b.is_supported()).collect();
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
        Err(off) => assert_eq!(decoded_len(data), Err(Error::TruncatedPacket { offset: *off })),
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
