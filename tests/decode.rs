//! Decoding, every supported backend against a byte-at-a-time oracle and the scalar
//! reference on the same inputs: pair streams built to break block code (counts 1, 2,
//! 1..=4, 1..=8, 8, 3..=9, 1..=16, 9..=16, 16, 16..=17, 17..=32, 32, 255 and mixtures that change
//! inside a block, short runs with a few longer ones or one odd count at every position,
//! every length of 16/32/64-pair blocks and around them, values 0x00 and 0xFF), every
//! error at every pair position of a block, exact, short and roomy `out` with guard bytes
//! on both sides, and the encoded input at the very end of its allocation (Miri and the
//! sanitizers flag any over-read).
//!
//! Under Miri the families are sampled so the suite finishes in minutes.

use runlen::{Backend, Error, decode_with, decoded_len};
use runlen_support::guard::decode_with as decode_guarded;
use runlen_support::inputs::{pairs, tricky_inputs};
use runlen_support::oracle::decode as oracle;
use runlen_support::{Rng, backends, encode_vec};

/// Every backend on `encoded`, with out exactly sized, one byte short, empty and roomy:
/// the oracle's bytes or its error, and `decoded_len` agrees.
fn check(encoded: &[u8]) {
    let expected = oracle(encoded);
    assert_eq!(
        decoded_len(encoded),
        expected.as_ref().map(Vec::len).map_err(|e| *e)
    );
    let exact = expected.as_ref().map_or(16, Vec::len);
    let mut lens = if cfg!(miri) {
        vec![exact, exact + 100, 0]
    } else {
        vec![exact, exact + 1, exact + 100, 0]
    };
    if exact > 0 {
        lens.push(exact - 1);
    }
    for b in backends() {
        for &len in &lens {
            let (r, got) = decode_guarded(b, encoded, len);
            let want = match &expected {
                Ok(v) if len >= v.len() => Ok(v.len()),
                Ok(v) => Err(Error::OutputTooSmall { needed: v.len() }),
                Err(e) => Err(*e),
            };
            assert_eq!(
                r,
                want,
                "{b}: {} encoded bytes, out of {len}",
                encoded.len()
            );
            if let Ok(v) = &expected
                && r.is_ok()
                && got != *v
            {
                let at = got.iter().zip(v).position(|(x, y)| x != y);
                panic!("{b}: out of {len}: decoded bytes differ from the oracle at {at:?}");
            }
        }
    }
}

const FAMILIES: [(u8, u8); 14] = [
    (1, 1),
    (2, 2),
    (1, 2),
    (1, 4),
    (1, 8),
    (8, 8),
    (3, 9),
    (1, 16),
    (9, 16),
    (16, 16),
    (16, 17),
    (17, 32),
    (32, 32),
    (255, 255),
];

fn pair_counts() -> Vec<usize> {
    if cfg!(miri) {
        vec![0, 1, 17, 33, 65]
    } else {
        (0..=200).collect()
    }
}

#[test]
fn count_families_at_every_length() {
    let mut rng = Rng(0x00C0_FFEE);
    for (lo, hi) in FAMILIES {
        for n in pair_counts() {
            check(&pairs(&mut rng, n, lo, hi));
        }
    }
}

#[test]
fn mixtures_that_change_inside_a_block() {
    let mut rng = Rng(7);
    let rounds = if cfg!(miri) { 4 } else { 300 };
    for _ in 0..rounds {
        let mut v = Vec::new();
        // Segments of 1..=40 pairs, each from a random family: the path changes inside
        // 16-, 32- and 64-pair blocks at random places.
        for _ in 0..(rng.next() % 8) {
            let (lo, hi) = FAMILIES[(rng.next() % FAMILIES.len() as u64) as usize];
            let n = 1 + (rng.next() % 40) as usize;
            v.extend(pairs(&mut rng, n, lo, hi));
        }
        check(&v);
    }
}

#[test]
fn one_long_run_at_every_pair_position() {
    // A block of ones (or ones and twos) broken by a single 255 or 17 at each position.
    let (blocks, step): (&[usize], usize) = if cfg!(miri) {
        (&[32], 5)
    } else {
        (&[16, 32, 64, 96], 1)
    };
    for &n in blocks {
        for at in (0..n).step_by(step) {
            for (base, odd) in [
                (1u8, 255u8),
                (2, 17),
                (1, 2),
                (255, 1),
                (4, 9),
                (8, 3),
                (8, 200),
            ] {
                let mut v: Vec<u8> = (0..n).flat_map(|i| [i as u8, base]).collect();
                v[2 * at + 1] = odd;
                check(&v);
            }
        }
    }
}

#[test]
fn one_odd_count_in_a_block_of_short_runs() {
    // A block of short runs with one count changed at each position, followed by a block
    // of the same runs and long runs that leave the block plenty of room (a path that
    // needs more room than the block's expansion sees it): every short-run path, with
    // the odd count in every group of pairs at every place.
    let mut rng = Rng(0x0DD);
    // Under Miri a sample: the ones, ones-and-twos and up-to-8 blocks, a position in every
    // group of 8 pairs, an odd count just past each path's limit, and two long runs (room
    // enough for the widest path).
    let (families, step, odds, tail): (&[(u8, u8)], usize, &[u8], usize) = if cfg!(miri) {
        (&[(1, 1), (1, 2), (1, 8)], 7, &[3, 9, 17, 33], 2)
    } else {
        let families = &[(1, 1), (1, 2), (1, 4), (4, 4), (1, 8), (8, 8)];
        (families, 1, &[3, 4, 5, 8, 9, 16, 17, 32, 33], 5)
    };
    for &(lo, hi) in families {
        for at in (0..32).step_by(step) {
            for &odd in odds {
                let mut v = pairs(&mut rng, 64, lo, hi);
                v[2 * at + 1] = odd;
                v.extend(pairs(&mut rng, tail, 255, 255));
                check(&v);
            }
        }
    }
}

#[test]
fn short_runs_with_a_few_longer_ones() {
    // Runs of 1..=8 with a few of 9..=40 among them (a line of source code: single
    // characters and a run of indentation), at random pair positions: blocks on the edge
    // between the vector short-run paths and the per-pair splat stores.
    let mut rng = Rng(0x1DE47);
    let rounds = if cfg!(miri) { 3 } else { 400 };
    for _ in 0..rounds {
        // Whole blocks and a short tail, so that a block's stores reach the end of `out`.
        let n = 32 * (1 + (rng.next() % 3) as usize) + (rng.next() % 3) as usize;
        // Counts of 8 with runs of up to 40 fill a block's whole room.
        let (lo, hi) = [(1, 8), (8, 8)][(rng.next() % 2) as usize];
        let mut v = pairs(&mut rng, n, lo, hi);
        for _ in 0..(rng.next() % 6) {
            let at = (rng.next() % n as u64) as usize;
            v[2 * at + 1] = 9 + (rng.next() % 32) as u8;
        }
        check(&v);
    }
}

#[test]
fn encodings_of_the_encoder_test_inputs() {
    for input in tricky_inputs() {
        let encoded = encode_vec(Backend::Scalar, &input);
        assert_eq!(oracle(&encoded), Ok(input.clone()));
        check(&encoded);
    }
}

#[test]
fn zero_count_at_every_pair_position_of_a_block() {
    // Under Miri one 33-pair stream: every position of a 32-pair block (and of two 16-pair
    // blocks) plus the tail, on the ones, ones-and-twos and splat paths.
    let (blocks, counts): (&[usize], &[u8]) = if cfg!(miri) {
        (&[33], &[1, 7])
    } else {
        (&[8, 16, 32, 33, 64, 65, 100], &[1, 2, 7, 255])
    };
    for &n in blocks {
        for at in 0..n {
            for &count in counts {
                let mut v: Vec<u8> = (0..n).flat_map(|i| [(i * 7) as u8, count]).collect();
                v[2 * at + 1] = 0;
                // A second zero later: the first one is reported.
                if at + 3 < n {
                    v[2 * (at + 3) + 1] = 0;
                }
                assert_eq!(oracle(&v), Err(Error::ZeroCount { offset: 2 * at }));
                check(&v);
            }
        }
    }
}

#[test]
fn truncated_pair_outranks_everything() {
    let mut rng = Rng(99);
    for n in [0usize, 1, 16, 31, 32, 64] {
        let mut v = pairs(&mut rng, n, 1, 255);
        v.push(3);
        check(&v);
        if n > 0 {
            v[1] = 0;
            check(&v);
        }
    }
}

#[test]
fn unsupported_backends_are_reported_first() {
    for b in Backend::ALL {
        if !b.is_supported() {
            assert_eq!(
                decode_with(b, &mut [], &[1]),
                Err(Error::UnsupportedBackend(b))
            );
            assert_eq!(
                runlen::Decoder::with_backend(b).err(),
                Some(Error::UnsupportedBackend(b))
            );
        }
    }
}

#[test]
fn large_inputs_agree_with_scalar() {
    // Long enough for the block loops to run for a while on every path.
    let mut rng = Rng(3);
    let n = if cfg!(miri) { 100 } else { 20_000 };
    for (lo, hi) in FAMILIES {
        let encoded = pairs(&mut rng, n, lo, hi);
        let want = oracle(&encoded).unwrap();
        for b in backends() {
            let mut out = vec![0u8; want.len()];
            assert_eq!(decode_with(b, &mut out, &encoded), Ok(want.len()), "{b}");
            assert!(out == want, "{b}: family {lo}..={hi}");
        }
    }
}
