//! The uninitialized-output entry points (`encode_uninit`, `decode_uninit` and their `_with`
//! forms, both formats) against their initialized counterparts on every backend, and the
//! decoders' `held` against a model of the stream, across every split.

use core::mem::MaybeUninit;

use runlen::{Backend, Error, packbits};
use runlen_support::guard::{guarded, guarded_uninit};
use runlen_support::inputs::tricky_inputs;
use runlen_support::{Rng, backends, encode_vec};

/// A one-shot call on initialized output, as `encode_with`.
type Init = fn(Backend, &mut [u8], &[u8]) -> Result<usize, Error>;
/// Its counterpart on uninitialized output, as `encode_uninit_with`.
type Uninit = for<'a> fn(Backend, &'a mut [MaybeUninit<u8>], &[u8]) -> Result<&'a mut [u8], Error>;

/// The four pairs of calls: name, initialized, uninitialized.
const CALLS: [(&str, Init, Uninit); 4] = [
    ("encode", runlen::encode_with, runlen::encode_uninit_with),
    ("decode", runlen::decode_with, runlen::decode_uninit_with),
    (
        "packbits::encode",
        packbits::encode_with,
        packbits::encode_uninit_with,
    ),
    (
        "packbits::decode",
        packbits::decode_with,
        packbits::decode_uninit_with,
    ),
];

/// Both calls of `call` with every backend, for `out` lengths around the length needed,
/// each `out` between guard bytes (the uninitialized one never initialized): the same
/// result and, on success, the same bytes.
fn agree((name, init, uninit): (&str, Init, Uninit), input: &[u8]) {
    // With no room, a valid input reports the length it needs (or needs none).
    let needed = match init(Backend::Scalar, &mut [], input) {
        Ok(0) => 0,
        Err(Error::OutputTooSmall { needed }) => needed,
        _ => 0, // an invalid input: its error comes first at any length
    };
    let lens = if cfg!(miri) {
        vec![0, needed.saturating_sub(1), needed, needed + 40]
    } else {
        vec![
            0,
            needed / 2,
            needed.saturating_sub(1),
            needed,
            needed + 1,
            needed + 40,
        ]
    };
    for b in backends() {
        for &len in &lens {
            let (r, out) = guarded(len, |out| init(b, out, input));
            let expected = r.map(|n| out[..n].to_vec());
            let got = guarded_uninit(len, |out| uninit(b, out, input).map(|w| w.to_vec()));
            assert_eq!(
                got, expected,
                "{name} with {b}, out of {len} (needed {needed})"
            );
        }
    }
}

/// What the calls are checked on: the tricky inputs (a stride of them under Miri) and
/// random runs, plus what decoding needs: their encodings in both formats, and invalid ones.
fn inputs() -> Vec<Vec<u8>> {
    let step = if cfg!(miri) { 41 } else { 1 };
    let mut v: Vec<Vec<u8>> = tricky_inputs().into_iter().step_by(step).collect();
    let mut rng = Rng(15);
    for _ in 0..if cfg!(miri) { 2 } else { 40 } {
        let len = rng.index(if cfg!(miri) { 200 } else { 700 });
        v.push(runlen_support::inputs::uniform_runs(&mut rng, len, 300));
    }
    v
}

#[test]
fn encode_uninit_agrees_with_try_encode() {
    for input in inputs() {
        agree(CALLS[0], &input);
        agree(CALLS[2], &input);
    }
}

#[test]
fn decode_uninit_agrees_with_decode() {
    for input in inputs() {
        let pairs = encode_vec(Backend::Scalar, &input);
        let mut pb = vec![0; packbits::max_encoded_len(input.len())];
        let n = packbits::encode(&mut pb, &input);
        pb.truncate(n);
        // Valid encodings, and each cut by one byte (a truncated pair or packet when not
        // empty) and with a zero count put in the middle (invalid pairs, other PackBits).
        for enc in [&pairs, &pb] {
            let mut zero = enc.clone();
            if let Some(c) = zero.get_mut((enc.len() / 2) | 1) {
                *c = 0;
            }
            let cut = &enc[..enc.len().saturating_sub(1)];
            for e in [&enc[..], cut, &zero] {
                agree(CALLS[1], e);
                agree(CALLS[3], e);
            }
        }
        // The input itself as an encoding: mostly invalid pairs, odd or with zero counts.
        // Under Miri only its start: a few hundred arbitrary bytes can decode to tens of
        // kilobytes, each written and compared byte by byte.
        let raw = if cfg!(miri) {
            &input[..input.len().min(48)]
        } else {
            &input[..]
        };
        agree(CALLS[1], raw);
        agree(CALLS[3], raw);
    }
}

#[test]
fn the_best_backend_forms_agree() {
    let input = b"aaaabbbcddddddddddddddddddddddddddddddddddddddddddddddddddddddddefg";
    let mut out = [MaybeUninit::uninit(); 200];
    let mut init = [0u8; 200];
    let n = runlen::try_encode(&mut init, input).unwrap();
    let pairs = runlen::encode_uninit(&mut out, input).unwrap().to_vec();
    assert_eq!(pairs, &init[..n]);
    assert_eq!(runlen::decode_uninit(&mut out, &pairs).unwrap(), input);
    let n = packbits::try_encode(&mut init, input).unwrap();
    let pb = packbits::encode_uninit(&mut out, input).unwrap().to_vec();
    assert_eq!(pb, &init[..n]);
    assert_eq!(packbits::decode_uninit(&mut out, &pb).unwrap(), input);
    let short = &mut out[..3];
    assert_eq!(
        runlen::encode_uninit(short, input),
        Err(Error::OutputTooSmall {
            needed: pairs.len()
        })
    );
    assert_eq!(
        packbits::decode_uninit(short, &pb),
        Err(Error::OutputTooSmall {
            needed: input.len()
        })
    );
    assert_eq!(
        runlen::decode_uninit(short, b"a"),
        Err(Error::TruncatedPair)
    );
    assert_eq!(
        runlen::decode_uninit(short, b"a\x01b\x00"),
        Err(Error::ZeroCount { offset: 2 })
    );
    assert_eq!(
        packbits::decode_uninit(short, b"\x05a"),
        Err(Error::TruncatedPacket { offset: 0 })
    );
}

#[test]
fn unsupported_backends_come_first() {
    for b in Backend::ALL.into_iter().filter(|b| !b.is_supported()) {
        for (name, _, uninit) in CALLS {
            let r = guarded_uninit(0, |out| uninit(b, out, b"\x00").map(|w| w.to_vec()));
            assert_eq!(r, Err(Error::UnsupportedBackend(b)), "{name}");
        }
    }
}

/// The decoded length of whole pairs.
fn pairs_len(e: &[u8]) -> usize {
    e.chunks_exact(2).map(|p| usize::from(p[1])).sum()
}

/// What a pairs decoder holds after consuming `c` bytes of `e` and writing `w`.
fn pairs_model(e: &[u8], c: usize, w: usize) -> runlen::Held {
    if c % 2 == 1 {
        assert_eq!(w, pairs_len(&e[..c - 1]));
        return runlen::Held::HalfPair { value: e[c - 1] };
    }
    let d = pairs_len(&e[..c]);
    assert!(w <= d);
    if w == d {
        runlen::Held::Nothing
    } else {
        runlen::Held::Run {
            value: e[c - 2],
            count: d - w,
        }
    }
}

/// What a PackBits decoder holds after consuming `c` bytes of `e` and writing `w`.
fn packbits_model(e: &[u8], c: usize, w: usize) -> packbits::Held {
    let (mut i, mut d, mut value) = (0, 0, 0);
    while i < c {
        let h = usize::from(e[i]);
        if h < 128 {
            if c < i + h + 2 {
                assert_eq!(w, d + c - i - 1);
                return packbits::Held::Literal {
                    missing: i + h + 2 - c,
                };
            }
            (i, d) = (i + h + 2, d + h + 1);
        } else if h > 128 {
            if c == i + 1 {
                assert_eq!(w, d);
                return packbits::Held::RunValue { count: 257 - h };
            }
            (i, d, value) = (i + 2, d + 257 - h, e[i + 1]);
        } else {
            i += 1;
        }
    }
    assert!(w <= d);
    if w == d {
        packbits::Held::Nothing
    } else {
        packbits::Held::Run {
            value,
            count: d - w,
        }
    }
}

/// Feeds `e[..s]`, then `e[s..]`, for every split `s`, into `out`s of `m` bytes until each
/// piece is consumed, checking after every call that `held` is what the model says and the
/// bytes written are the whole's; then `finish`.
fn held_across_splits<D: Copy, H: PartialEq + core::fmt::Debug>(
    e: &[u8],
    whole: &[u8],
    new: impl Fn() -> D,
    chunk: impl Fn(&mut D, &mut [u8], &[u8]) -> Result<(usize, usize), Error>,
    held: impl Fn(&D) -> H,
    model: impl Fn(&[u8], usize, usize) -> H,
    finish: impl Fn(&mut D, &mut [u8]) -> Result<usize, Error>,
) {
    let step = if cfg!(miri) { 7 } else { 1 };
    for s in (0..=e.len()).step_by(step) {
        for m in [1, 3, 64, whole.len() + 1] {
            let mut dec = new();
            let (mut c, mut w) = (0, 0);
            let mut out = vec![0; m];
            for piece in [&e[..s], &e[s..]] {
                let mut at = 0;
                loop {
                    let (used, wrote) = chunk(&mut dec, &mut out, &piece[at..]).unwrap();
                    assert_eq!(&out[..wrote], &whole[w..w + wrote], "split {s}, out {m}");
                    (at, c, w) = (at + used, c + used, w + wrote);
                    assert_eq!(held(&dec), model(e, c, w), "split {s}, out {m}, at {c}");
                    if at == piece.len() && wrote < m {
                        break;
                    }
                }
            }
            let mut rest = vec![0; whole.len() - w];
            assert_eq!(finish(&mut dec, &mut rest), Ok(rest.len()));
            assert_eq!(rest, whole[w..]);
            assert_eq!(held(&dec), model(&[], 0, 0));
        }
    }
}

#[test]
fn pairs_decoder_held_across_every_split() {
    let whole = b"abbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbccd".repeat(3);
    let mut e = encode_vec(Backend::Scalar, &whole);
    e.extend_from_slice(b"z\xff"); // a run of 255
    let whole = [&whole[..], &[b'z'; 255]].concat();
    for b in backends() {
        held_across_splits(
            &e,
            &whole,
            || runlen::Decoder::with_backend(b).unwrap(),
            |d, out, enc| d.decode_chunk(out, enc),
            runlen::Decoder::held,
            pairs_model,
            |d, out| d.finish(out),
        );
    }
    // A cut pair at the end is held, and `finish` reports it.
    let mut dec = runlen::Decoder::new();
    assert_eq!(dec.decode_chunk(&mut [0; 4], b"a\x02b"), Ok((3, 2)));
    assert_eq!(dec.held(), runlen::Held::HalfPair { value: b'b' });
    assert_eq!(dec.finish(&mut [0; 4]), Err(Error::TruncatedPair));
    assert_eq!(dec.held(), runlen::Held::HalfPair { value: b'b' });
}

#[test]
fn packbits_decoder_held_across_every_split() {
    let mut rng = Rng(6);
    let n = if cfg!(miri) { 8 } else { 40 };
    let e = runlen_support::packbits::random_stream(&mut rng, n);
    let whole = runlen_support::packbits::decode(&e).unwrap();
    for b in backends() {
        held_across_splits(
            &e,
            &whole,
            || packbits::Decoder::with_backend(b).unwrap(),
            |d, out, enc| d.decode_chunk(out, enc),
            packbits::Decoder::held,
            packbits_model,
            |d, out| d.finish(out),
        );
    }
    // Cut packets at the end are held, and `finish` reports them.
    for (enc, held) in [
        (&b"\x03ab"[..], packbits::Held::Literal { missing: 2 }),
        (b"\xfe", packbits::Held::RunValue { count: 3 }),
    ] {
        let mut dec = packbits::Decoder::new();
        assert_eq!(
            dec.decode_chunk(&mut [0; 8], enc),
            Ok((enc.len(), enc.len() - 1))
        );
        assert_eq!(dec.held(), held);
        assert_eq!(
            dec.finish(&mut [0; 8]),
            Err(Error::TruncatedPacket { offset: 0 })
        );
    }
}
