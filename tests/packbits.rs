//! PackBits: every backend against an independent oracle (runlen-support's, and so against the
//! scalar reference) in both directions, with guard bytes around `out`, exact and short
//! buffers, every error and its precedence, and decoding of any valid PackBits (no-op
//! headers, any packet split). Inputs shrink under Miri.

use runlen::packbits::{self, decode_with, decoded_len, encode_with, encoded_len, max_encoded_len};
use runlen::{Backend, Error};
use runlen_support::guard::guarded;
use runlen_support::inputs::uniform_runs;
use runlen_support::packbits::{decode as oracle_decode, encode as oracle, random_stream};
use runlen_support::{Rng, backends};

/// Input lengths tried exhaustively; under Miri a stride through them.
const MAX_LEN: usize = if cfg!(miri) { 262 } else { 300 };
const STRIDE: usize = if cfg!(miri) { 65 } else { 1 };

/// Every backend encodes `x` to the oracle's bytes (exact, short, roomy buffers) and
/// decodes them back (exact and short buffers); `encoded_len` and `decoded_len` agree.
fn check(x: &[u8]) {
    let want = oracle(x);
    let n = want.len();
    assert!(n <= max_encoded_len(x.len()));
    assert_eq!(encoded_len(x), n, "encoded_len of {x:?}");
    for b in backends() {
        for len in [
            0,
            n.saturating_sub(1),
            n,
            n + 1,
            max_encoded_len(x.len()) + 200,
        ] {
            guarded(len, |out| match encode_with(b, out, x) {
                Ok(w) => {
                    assert!(len >= n, "{b}: Ok with {len} of {n}");
                    assert_eq!(&out[..w], &want[..], "{b} on {x:?}");
                }
                Err(e) => {
                    assert!(len < n, "{b}: {e} with {len} of {n}");
                    assert_eq!(e, Error::OutputTooSmall { needed: n }, "{b}");
                }
            });
        }
        for len in [0, x.len().saturating_sub(1), x.len(), x.len() + 300] {
            guarded(len, |out| match decode_with(b, out, &want) {
                Ok(w) => {
                    assert!(len >= x.len(), "{b}: decode Ok with {len}");
                    assert_eq!(&out[..w], x, "{b} decoding {want:?}");
                }
                Err(e) => {
                    assert!(len < x.len(), "{b}: decode {e} with {len}");
                    assert_eq!(e, Error::OutputTooSmall { needed: x.len() }, "{b}");
                }
            });
        }
    }
    assert_eq!(decoded_len(&want), Ok(x.len()));
}

#[test]
fn golden() {
    let cases: &[(&[u8], &[u8])] = &[
        (b"", b""),
        (b"a", b"\x00a"),
        (b"aa", b"\x01aa"),
        (b"aaa", b"\xfea"),
        (b"abcddddddddeeef", b"\x02abc\xf9d\xfee\x00f"),
        (b"aab", b"\x02aab"),
        (b"xyzzz", b"\x01xy\xfez"),
    ];
    for (x, e) in cases {
        assert_eq!(oracle(x), *e);
        check(x);
    }
    // Runs of 128, 129, 130, 256, 257: remainders 0, 1, 2, 0, 1.
    assert_eq!(oracle(&[7; 128]), [0x81, 7]);
    assert_eq!(oracle(&[7; 129]), [0x81, 7, 0, 7]);
    assert_eq!(oracle(&[7; 130]), [0x81, 7, 0xFF, 7]);
    assert_eq!(oracle(&[7; 256]), [0x81, 7, 0x81, 7]);
    let mut x = vec![7; 257];
    x.push(8);
    assert_eq!(oracle(&x), [0x81, 7, 0x81, 7, 1, 7, 8]);
}

#[test]
fn every_length_and_pattern() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for len in (0..MAX_LEN).step_by(STRIDE) {
        check(&vec![0u8; len]);
        check(&vec![0xFFu8; len]);
        check(&(0..len).map(|i| i as u8).collect::<Vec<_>>());
        check(&(0..len).map(|i| (i / 2) as u8).collect::<Vec<_>>());
        check(&(0..len).map(|i| (i / 3) as u8).collect::<Vec<_>>());
        check(&rng.bytes(len, 2));
        check(&rng.bytes(len, 256));
        check(&uniform_runs(&mut rng, len, 6));
        check(&uniform_runs(&mut rng, len, 140));
    }
}

#[test]
fn runs_at_every_offset() {
    // Literal bytes, then a run of r at every offset around the block and packet edges,
    // then literal bytes again.
    // Under Miri, the edges only: a run of 3 and of 128 + 1, at a packet's start and past
    // a full literal packet, before a short tail and a long one.
    let (runs, offsets, afters): (&[usize], Vec<usize>, &[usize]) = if cfg!(miri) {
        (&[3, 129], vec![0, 130], &[3, 400])
    } else {
        (
            &[1, 2, 3, 4, 127, 128, 129, 130, 131, 255, 256, 257, 258],
            (0..=200).collect(),
            // 400: long enough that the vector encoders' block loop, which leaves the last
            // 256 bytes to the packet loop, meets the run.
            &[0, 1, 2, 3, 140, 400],
        )
    };
    for &r in runs {
        for &off in &offsets {
            for &after in afters {
                let mut x: Vec<u8> = (0..off).map(|i| (i % 251) as u8 + 1).collect();
                x.extend(std::iter::repeat_n(0u8, r));
                x.extend((0..after).map(|i| (i % 251) as u8 + 1));
                check(&x);
            }
        }
    }
}

#[test]
fn literals_between_runs_at_every_phase() {
    // A run, literal bytes of a length around 0, 64, 128 and 192, another run, at every
    // phase of the 64-byte blocks of the vector encoders: the literal packets before a
    // block's runs are cut at 128 wherever they start.
    // Under Miri, the lengths at the packet edge and a few phases.
    let (lens, phases): (Vec<usize>, Vec<usize>) = if cfg!(miri) {
        (vec![127, 128, 129], vec![0, 63])
    } else {
        (
            [1..=4, 60..=68, 124..=133, 188..=196]
                .into_iter()
                .flatten()
                .collect(),
            (0..64).collect(),
        )
    };
    for &len in &lens {
        for &phase in &phases {
            let mut x: Vec<u8> = (0..phase).map(|i| (i % 251) as u8 + 1).collect();
            x.extend([0u8; 5]);
            x.extend((0..len).map(|i| (i % 251) as u8 + 1));
            x.extend([0u8; 3]);
            // Enough after that the block loop meets both runs.
            x.extend((0..300).map(|i| (i % 7) as u8 + 1));
            check(&x);
        }
    }
}

#[test]
fn runs_across_blocks_then_short_runs() {
    // A run that starts at every phase of a 64-byte block and ends in the next block or
    // the one after (or later), then a few short runs with a literal byte or two between:
    // the vector encoders end such a run with the masks of the block it ends in and look
    // at that block's further runs afresh from there.
    // Under Miri, a few phases and lengths.
    let (phases, lens, counts): (Vec<usize>, &[usize], &[usize]) = if cfg!(miri) {
        (vec![0, 61], &[5, 70], &[3])
    } else {
        (
            (0..64).collect(),
            &[
                3, 4, 30, 62, 63, 64, 65, 66, 70, 127, 128, 129, 130, 140, 190, 200,
            ],
            &[0, 1, 2, 3, 4, 6],
        )
    };
    for &phase in &phases {
        for &len in lens {
            for &count in counts {
                for gap in [1, 2] {
                    let mut x: Vec<u8> = (0..64 + phase).map(|i| (i % 251) as u8 + 1).collect();
                    x.extend(std::iter::repeat_n(0u8, len));
                    for k in 0..count {
                        x.extend((0..gap).map(|i| 200 + i as u8));
                        x.extend(std::iter::repeat_n(10 + k as u8, 3 + k % 2));
                    }
                    // Enough after that the block loop meets all of it.
                    x.extend((0..300).map(|i| (i % 7) as u8 + 1));
                    check(&x);
                }
            }
        }
    }
}

#[test]
fn random_large() {
    let mut rng = Rng(42);
    let n = if cfg!(miri) { 400 } else { 70_000 };
    for max in [2, 4, 8, 64, 300, 3000] {
        check(&uniform_runs(&mut rng, n, max as usize));
    }
    check(&rng.bytes(n, 256));
    check(&rng.bytes(n, 3));
}

fn check_decode(e: &[u8]) {
    let want = oracle_decode(e);
    match &want {
        Ok(d) => assert_eq!(decoded_len(e), Ok(d.len())),
        Err(off) => assert_eq!(decoded_len(e), Err(Error::TruncatedPacket { offset: *off })),
    }
    let d_len = want.as_ref().map_or(0, |d| d.len());
    for b in backends() {
        for len in [0, d_len.saturating_sub(1), d_len, d_len + 130] {
            guarded(len, |out| {
                let r = decode_with(b, out, e);
                match &want {
                    Err(off) => {
                        assert_eq!(r, Err(Error::TruncatedPacket { offset: *off }), "{b}")
                    }
                    Ok(d) if len < d.len() => {
                        assert_eq!(r, Err(Error::OutputTooSmall { needed: d.len() }), "{b}")
                    }
                    Ok(d) => {
                        assert_eq!(r, Ok(d.len()), "{b}");
                        assert_eq!(&out[..d.len()], &d[..], "{b}");
                    }
                }
            });
        }
    }
}

#[test]
fn decodes_any_packbits() {
    let mut rng = Rng(7);
    let rounds = if cfg!(miri) { 6 } else { 400 };
    for round in 0..rounds {
        let e = random_stream(&mut rng, 1 + round % 40);
        check_decode(&e);
        // Cut anywhere: a truncated packet or a shorter valid stream.
        let cut = rng.below(e.len() as u64 + 1) as usize;
        check_decode(&e[..cut]);
    }
}

#[test]
fn decodes_arbitrary_bytes() {
    let mut rng = Rng(99);
    let rounds = if cfg!(miri) { 6 } else { 2000 };
    for round in 0..rounds {
        let e = rng.bytes(round % 400, 256);
        check_decode(&e);
    }
}

#[test]
fn errors_and_precedence() {
    for b in backends() {
        let mut out = [0u8; 4];
        // Truncated before OutputTooSmall, even when out is too short for what comes first.
        assert_eq!(
            decode_with(b, &mut out, b"\xf0a\x05ab"),
            Err(Error::TruncatedPacket { offset: 2 })
        );
        assert_eq!(
            decode_with(b, &mut out, b"\xf0"),
            Err(Error::TruncatedPacket { offset: 0 })
        );
        assert_eq!(decode_with(b, &mut out, b"\x80\x80\x80"), Ok(0));
        assert_eq!(decode_with(b, &mut [], b""), Ok(0));
        assert_eq!(
            decode_with(b, &mut out, b"\x80\xf0a"),
            Err(Error::OutputTooSmall { needed: 17 })
        );
    }
    let mut out = [0u8; 4];
    for b in Backend::ALL.into_iter().filter(|b| !b.is_supported()) {
        assert_eq!(
            encode_with(b, &mut out, b"a"),
            Err(Error::UnsupportedBackend(b))
        );
        assert_eq!(
            decode_with(b, &mut out, b"\xf0"),
            Err(Error::UnsupportedBackend(b))
        );
        assert!(packbits::Encoder::with_backend(b).is_err());
        assert!(packbits::Decoder::with_backend(b).is_err());
    }
    assert_eq!(
        Error::TruncatedPacket { offset: 3 }.to_string(),
        "packet at byte offset 3 is cut off by the end of the input"
    );
    assert_eq!(max_encoded_len(usize::MAX - 1), usize::MAX);
}

#[test]
#[should_panic(expected = "output buffer of 1 bytes is too small, 3 bytes needed")]
fn encode_panics_with_lengths() {
    packbits::encode(&mut [0u8; 1], b"ab");
}
