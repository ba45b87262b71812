//! quickcheck properties, each checked on every supported backend.

use quickcheck::{Arbitrary, Gen, QuickCheck, TestResult};
use runlen::{Backend, Error, decode, encode_with, encoded_len, max_encoded_len};
use runlen_support::oracle::{encode as oracle_encode, is_canonical};
use runlen_support::{backends, encode_streamed, encode_vec};

/// Bytes with runs: quickcheck's plain `Vec<u8>` almost never repeats a byte, which would
/// leave every long-run path untested.
#[derive(Clone, Debug)]
struct Runs(Vec<u8>);

impl Arbitrary for Runs {
    fn arbitrary(g: &mut Gen) -> Self {
        let mut v = Vec::new();
        let pieces = usize::arbitrary(g) % 24;
        for _ in 0..pieces {
            let value = *g.choose(&[0u8, 1, 0xFF, 0xFE, 0x80, 7]).unwrap();
            let value = if bool::arbitrary(g) {
                value
            } else {
                u8::arbitrary(g)
            };
            let len = match u8::arbitrary(g) % 8 {
                0 => usize::arbitrary(g) % 700,
                1 => 250 + usize::arbitrary(g) % 12,
                2 => 60 + usize::arbitrary(g) % 10,
                _ => 1 + usize::arbitrary(g) % 9,
            };
            v.extend(std::iter::repeat_n(value, len));
            if bool::arbitrary(g) {
                v.extend(Vec::<u8>::arbitrary(g));
            }
        }
        Runs(v)
    }

    fn shrink(&self) -> Box<dyn Iterator<Item = Self>> {
        Box::new(self.0.shrink().map(Runs))
    }
}

fn check<A: quickcheck::Testable>(prop: A) {
    let tests = if cfg!(miri) { 8 } else { 300 };
    QuickCheck::new()
        .tests(tests)
        .max_tests(10 * tests)
        .quickcheck(prop);
}

#[test]
fn scalar_matches_the_byte_at_a_time_oracle() {
    fn prop(x: Runs) -> bool {
        encode_vec(Backend::Scalar, &x.0) == oracle_encode(&x.0)
    }
    check(prop as fn(Runs) -> bool);
}

#[test]
fn every_backend_matches_scalar() {
    fn prop(x: Runs) -> bool {
        let reference = encode_vec(Backend::Scalar, &x.0);
        backends()
            .into_iter()
            .all(|b| encode_vec(b, &x.0) == reference)
    }
    check(prop as fn(Runs) -> bool);
}

#[test]
fn decode_inverts_encode() {
    fn prop(x: Runs) -> bool {
        backends().into_iter().all(|b| {
            let packed = encode_vec(b, &x.0);
            let mut out = vec![0u8; x.0.len()];
            decode(&mut out, &packed) == Ok(x.0.len()) && out == x.0
        })
    }
    check(prop as fn(Runs) -> bool);
}

#[test]
fn output_is_canonical() {
    fn prop(x: Runs) -> bool {
        backends()
            .into_iter()
            .all(|b| is_canonical(&encode_vec(b, &x.0)))
    }
    check(prop as fn(Runs) -> bool);
}

#[test]
fn encoded_len_is_exact() {
    fn prop(x: Runs) -> bool {
        let n = encoded_len(&x.0);
        n <= max_encoded_len(x.0.len())
            && backends()
                .into_iter()
                .all(|b| encode_vec(b, &x.0).len() == n)
    }
    check(prop as fn(Runs) -> bool);
}

#[test]
fn streaming_over_any_split_equals_one_shot() {
    fn prop(x: Runs, cuts: Vec<usize>, empties: u8) -> bool {
        let n = x.0.len().max(1);
        let mut cuts: Vec<usize> = cuts.iter().map(|c| c % (n + 1)).collect();
        // Repeated cut points make empty chunks.
        cuts.extend(cuts.clone().into_iter().take(usize::from(empties % 4)));
        let reference = encode_vec(Backend::Scalar, &x.0);
        backends()
            .into_iter()
            .all(|b| encode_streamed(b, &x.0, &cuts) == reference)
    }
    check(prop as fn(Runs, Vec<usize>, u8) -> bool);
}

#[test]
fn streaming_with_the_default_encoder() {
    fn prop(x: Runs, cut: usize) -> bool {
        let cut = cut % (x.0.len() + 1);
        let mut enc = runlen::Encoder::new();
        let mut out = vec![0u8; max_encoded_len(x.0.len()) + 2];
        let mut n = enc.encode_chunk(&mut out, &x.0[..cut]).unwrap();
        n += enc.encode_chunk(&mut out[n..], &x.0[cut..]).unwrap();
        n += enc.finish(&mut out[n..]).unwrap();
        out[..n] == encode_vec(Backend::Scalar, &x.0)
    }
    check(prop as fn(Runs, usize) -> bool);
}

#[test]
fn streaming_too_small_leaves_the_encoder_unchanged() {
    fn prop(x: Runs, cut: usize, short: usize) -> TestResult {
        let cut = cut % (x.0.len() + 1);
        for b in backends() {
            let mut enc = runlen::Encoder::with_backend(b).unwrap();
            let mut first = vec![0u8; max_encoded_len(cut)];
            let mut n = enc.encode_chunk(&mut first, &x.0[..cut]).unwrap();
            let rest = &x.0[cut..];
            // Find what the chunk needs, by asking a copy with no room at all.
            let mut probe = enc;
            let needed = match probe.encode_chunk(&mut [], rest) {
                Ok(0) => 0,
                Err(Error::OutputTooSmall { needed }) => needed,
                other => panic!("{b}: unexpected {other:?}"),
            };
            if needed > 0 {
                let mut small = vec![0u8; needed - 1 - short % needed.min(8)];
                assert_eq!(
                    enc.encode_chunk(&mut small, rest),
                    Err(Error::OutputTooSmall { needed })
                );
            }
            let mut exact = vec![0u8; needed];
            assert_eq!(enc.encode_chunk(&mut exact, rest), Ok(needed));
            let mut tail = [0u8; 2];
            let m = enc.finish(&mut tail).unwrap();
            let mut all = first[..n].to_vec();
            n += needed + m;
            all.extend_from_slice(&exact);
            all.extend_from_slice(&tail[..m]);
            assert_eq!(all.len(), n);
            assert_eq!(all, encode_vec(Backend::Scalar, &x.0), "{b}");
        }
        TestResult::passed()
    }
    check(prop as fn(Runs, usize, usize) -> TestResult);
}

#[test]
fn try_encode_exact_and_short_buffers() {
    fn prop(x: Runs, short: usize) -> bool {
        let reference = encode_vec(Backend::Scalar, &x.0);
        let n = reference.len();
        backends().into_iter().all(|b| {
            let mut exact = vec![0u8; n];
            let ok = encode_with(b, &mut exact, &x.0) == Ok(n) && exact == reference;
            let short_ok = n == 0 || {
                let mut small = vec![0u8; n - 1 - short % n];
                encode_with(b, &mut small, &x.0) == Err(Error::OutputTooSmall { needed: n })
            };
            ok && short_ok
        })
    }
    check(prop as fn(Runs, usize) -> bool);
}
