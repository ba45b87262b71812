//! PackBits (SPEC.md section 8) written from the contract's words, byte at a time and
//! independent of the crate: the canonical encoding, a decoder of any PackBits, and a
//! generator of valid streams with every packet split.

use crate::Rng;

/// The canonical encoding: runs of three or more become run packets of at most 128 (a
/// remainder of one joins the literals), everything else literal packets of at most 128.
pub fn encode(input: &[u8]) -> Vec<u8> {
    fn flush(lit: &mut Vec<u8>, out: &mut Vec<u8>) {
        for c in lit.chunks(128) {
            out.push(c.len() as u8 - 1);
            out.extend_from_slice(c);
        }
        lit.clear();
    }
    let (mut out, mut lit, mut i) = (Vec::new(), Vec::new(), 0);
    while i < input.len() {
        let v = input[i];
        let r = input[i..].iter().take_while(|&&b| b == v).count();
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

/// Decodes any PackBits (no-op headers, any packet split); `Err(offset)` names the header
/// of a truncated packet.
pub fn decode(encoded: &[u8]) -> Result<Vec<u8>, usize> {
    let (mut out, mut i) = (Vec::new(), 0);
    while i < encoded.len() {
        let h = encoded[i] as usize;
        match h {
            0..=127 => {
                out.extend_from_slice(encoded.get(i + 1..i + 2 + h).ok_or(i)?);
                i += h + 2;
            }
            128 => i += 1,
            _ => {
                out.extend(std::iter::repeat_n(*encoded.get(i + 1).ok_or(i)?, 257 - h));
                i += 2;
            }
        }
    }
    Ok(out)
}

/// A valid PackBits stream of `packets` packets that an encoder would not write: literal
/// packets of any length (runs inside them too), run packets of any length, no-ops.
pub fn random_stream(rng: &mut Rng, packets: usize) -> Vec<u8> {
    let mut e = Vec::new();
    for _ in 0..packets {
        match rng.below(5) {
            0 => e.push(0x80),
            1 | 2 => {
                let len = 1 + rng.index(128);
                e.push(len as u8 - 1);
                let alphabet = rng.pick(&[2, 256]);
                e.extend(rng.bytes(len, alphabet));
            }
            _ => {
                let len = 2 + rng.index(127);
                e.push((257 - len) as u8);
                e.push(rng.below(256) as u8);
            }
        }
    }
    e
}
