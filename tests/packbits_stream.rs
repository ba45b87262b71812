//! Streaming PackBits: every split of an input through the `Encoder`, with `out` sized
//! exactly as the encoder says a chunk may need (guarded), gives the one-shot bytes; a too
//! short `out` leaves the encoder unchanged; every split of an encoding, with any `out`
//! sizes, through the `Decoder` gives the one-shot decoding. Inputs shrink under Miri.

use runlen::packbits::{Decoder, Encoder, decode, encode, max_encoded_len};
use runlen::{Backend, Error};
use runlen_support::Rng;
use runlen_support::guard::guarded;
use runlen_support::packbits::encode as oracle;

/// The backends to stream through: all of them, but under Miri only the scalar one and the
/// best (the streaming state is the same code for every backend; the one-shot tests give
/// Miri every kernel).
fn backends() -> Vec<runlen::Backend> {
    let all = runlen_support::backends();
    if cfg!(miri) && all.len() > 2 {
        vec![all[0], all[all.len() - 1]]
    } else {
        all
    }
}

/// The canonical encoding, from the oracle (so the streaming encoder is checked against the
/// contract, not against the one-shot encoder it shares kernels with).
fn one_shot(x: &[u8]) -> Vec<u8> {
    let want = oracle(x);
    let mut out = vec![0; max_encoded_len(x.len())];
    let n = encode(&mut out, x);
    assert_eq!(out[..n], want[..], "one-shot encode of {x:?}");
    want
}

/// Feeds `chunks` to a new encoder, each into an `out` of exactly `out_len_for` its length
/// between guards; checks the result against the one-shot bytes.
fn stream_encode(b: Backend, x: &[u8], cuts: &[usize]) -> Vec<u8> {
    let mut enc = Encoder::with_backend(b).unwrap();
    let mut got = Vec::new();
    let mut start = 0;
    for &end in cuts.iter().chain([x.len()].iter()) {
        let chunk = &x[start..end];
        let room = enc.out_len_for(chunk.len());
        assert!(room <= max_encoded_len(chunk.len()) + 132);
        let (w, buf) = guarded(room, |out| enc.encode_chunk(out, chunk).unwrap());
        assert!(enc.held() <= Encoder::MAX_HELD);
        got.extend_from_slice(&buf[..w]);
        start = end;
    }
    let room = max_encoded_len(enc.held());
    let (w, buf) = guarded(room, |out| enc.finish(out).unwrap());
    got.extend_from_slice(&buf[..w]);
    assert_eq!(enc.held(), 0);
    got
}

fn inputs() -> Vec<Vec<u8>> {
    let mut v = vec![
        Vec::new(),
        b"ab".to_vec(),
        vec![5; 3],
        vec![5; 130],
        vec![5; 131],
        vec![5; 259],
        (0..200u8).collect(),
        (0..300).map(|i| (i / 2) as u8).collect(),
        (0..300).map(|i| (i / 3) as u8).collect(),
    ];
    let mut lit_then_run: Vec<u8> = (1..=127).collect();
    lit_then_run.extend([0, 0, 0, 0, 9, 9]);
    lit_then_run.extend(1..=130);
    v.push(lit_then_run);
    v.push(Rng(1).bytes(420, 3));
    if cfg!(miri) {
        v.truncate(7);
    }
    v
}

#[test]
fn every_split_in_two_and_three() {
    for x in inputs() {
        let want = one_shot(&x);
        for b in backends() {
            let step = if cfg!(miri) { 83 } else { 1 };
            for cut in (0..=x.len()).step_by(step) {
                assert_eq!(stream_encode(b, &x, &[cut]), want, "{b} cut {cut} of {x:?}");
            }
            if !cfg!(miri) && x.len() <= 300 {
                for c1 in (0..=x.len()).step_by(7) {
                    for c2 in (c1..=x.len()).step_by(5) {
                        assert_eq!(stream_encode(b, &x, &[c1, c2]), want, "{b} {c1} {c2}");
                    }
                }
            }
        }
    }
}

#[test]
fn fixed_chunk_sizes_large() {
    let n = if cfg!(miri) { 500 } else { 20_000 };
    let mut rng = Rng(7);
    let mut x = Vec::with_capacity(n);
    while x.len() < n {
        let run = rng.pick(&[1, 1, 2, 3, 5, 127, 128, 129, 130, 300]);
        x.extend(std::iter::repeat_n(rng.below(4) as u8, run));
    }
    x.truncate(n);
    let want = one_shot(&x);
    for b in backends() {
        let sizes: &[usize] = if cfg!(miri) {
            &[2, 129, 401]
        } else {
            &[
                1, 2, 3, 64, 127, 128, 129, 130, 131, 399, 400, 401, 1000, 4096,
            ]
        };
        for &size in sizes {
            let cuts: Vec<usize> = (size..x.len()).step_by(size).collect();
            assert_eq!(stream_encode(b, &x, &cuts), want, "{b} chunks of {size}");
        }
    }
}

#[test]
fn output_too_small_leaves_encoder_unchanged() {
    let x: Vec<u8> = (0..900)
        .map(|i| if i % 200 < 150 { 3 } else { i as u8 })
        .collect();
    let want = one_shot(&x);
    for b in backends() {
        let mut enc = Encoder::with_backend(b).unwrap();
        let mut got = Vec::new();
        for chunk in x.chunks(170) {
            let mut big = vec![0; enc.out_len_for(chunk.len())];
            let mut probe = enc;
            let need = probe.encode_chunk(&mut big, chunk).unwrap();
            if need > 0 {
                let mut small = vec![0; need - 1];
                let before = format!("{enc:?}");
                assert_eq!(
                    enc.encode_chunk(&mut small, chunk),
                    Err(Error::OutputTooSmall { needed: need })
                );
                assert_eq!(format!("{enc:?}"), before);
            }
            let mut exact = vec![0; need];
            assert_eq!(enc.encode_chunk(&mut exact, chunk), Ok(need));
            got.extend_from_slice(&exact);
        }
        let held = enc.held();
        if held > 0 {
            let mut probe = enc;
            let need = probe.finish(&mut vec![0; max_encoded_len(held)]).unwrap();
            if need > 0 {
                assert_eq!(
                    enc.finish(&mut vec![0; need - 1]),
                    Err(Error::OutputTooSmall { needed: need })
                );
            }
        }
        let mut rest = vec![0; max_encoded_len(held)];
        let w = enc.finish(&mut rest).unwrap();
        got.extend_from_slice(&rest[..w]);
        assert_eq!(got, want, "{b}");
    }
}

/// Decodes `e` fed in pieces cut at `cuts`, with `out` buffers of `out_size` bytes.
fn stream_decode(b: Backend, e: &[u8], cuts: &[usize], out_size: usize) -> Result<Vec<u8>, Error> {
    let mut dec = Decoder::with_backend(b).unwrap();
    let mut got = Vec::new();
    let mut start = 0;
    for &end in cuts.iter().chain([e.len()].iter()) {
        let mut piece = &e[start..end];
        loop {
            let (r, out) = guarded(out_size, |out| dec.decode_chunk(out, piece));
            let (used, w) = r?;
            assert!(used == piece.len() || w == out_size);
            got.extend_from_slice(&out[..w]);
            piece = &piece[used..];
            if piece.is_empty() && w < out_size {
                break;
            }
        }
        start = end;
    }
    let mut tail = [0u8; 128];
    let w = dec.finish(&mut tail)?;
    got.extend_from_slice(&tail[..w]);
    Ok(got)
}

#[test]
fn decoder_every_split() {
    let mut encodings: Vec<Vec<u8>> = inputs().iter().map(|x| one_shot(x)).collect();
    // Non-canonical: no-ops, literal packets holding runs, short run packets.
    encodings.push(b"\x80\x00a\x80\x80\x02bbb\xffc\x80\x81d\x80".to_vec());
    for e in &encodings {
        let mut whole = vec![0; 1 << 12];
        let n = decode(&mut whole, e).unwrap();
        for b in backends() {
            let step = if cfg!(miri) { 47 } else { 1 };
            let out_sizes: &[usize] = if cfg!(miri) {
                &[1, 129]
            } else {
                &[1, 2, 3, 17, 129, 1000]
            };
            for &out_size in out_sizes {
                for cut in (0..=e.len()).step_by(step) {
                    let got = stream_decode(b, e, &[cut], out_size).unwrap();
                    assert_eq!(got, whole[..n], "{b} cut {cut} out {out_size}");
                }
            }
        }
    }
}

#[test]
fn decoder_truncated_and_offsets() {
    for b in backends() {
        // The run header at stream offset 5 has no value byte.
        let e = b"\x00a\x80\xfez\xf0";
        for cut in 0..=e.len() {
            assert_eq!(
                stream_decode(b, e, &[cut], 4),
                Err(Error::TruncatedPacket { offset: 5 })
            );
        }
        let mut dec = Decoder::with_backend(b).unwrap();
        let mut out = [0u8; 8];
        assert_eq!(dec.decode_chunk(&mut out, b"\x02ab"), Ok((3, 2)));
        let before = format!("{dec:?}");
        assert_eq!(
            dec.finish(&mut out),
            Err(Error::TruncatedPacket { offset: 0 })
        );
        assert_eq!(format!("{dec:?}"), before);
        // A held run needs its bytes in finish.
        let mut dec = Decoder::with_backend(b).unwrap();
        assert_eq!(dec.decode_chunk(&mut out[..1], b"\xf0q"), Ok((2, 1)));
        assert_eq!(
            dec.finish(&mut out),
            Err(Error::OutputTooSmall { needed: 16 })
        );
        let mut big = [0u8; 16];
        assert_eq!(dec.finish(&mut big), Ok(16));
        // After finish the offsets start again at 0.
        assert_eq!(dec.decode_chunk(&mut out, b"\xf0"), Ok((1, 0)));
        assert_eq!(
            dec.finish(&mut out),
            Err(Error::TruncatedPacket { offset: 0 })
        );
    }
}
