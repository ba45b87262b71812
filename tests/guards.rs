//! Nothing outside `out` is ever written: the slice handed in sits between guard bytes.

use quickcheck::{QuickCheck, TestResult};
use runlen::{Backend, encode_with, encoded_len, max_encoded_len};
use runlen_support::inputs::tricky_inputs;
use runlen_support::{backends, encode_vec, guard};

/// Runs `f` on a guarded `out` of `len` bytes (see [`guard::guarded`]).
fn guarded<R>(len: usize, f: impl FnOnce(&mut [u8]) -> R) -> R {
    guard::guarded(len, f).0
}

fn check_input(input: &[u8]) {
    let reference = encode_vec(Backend::Scalar, input);
    let n = reference.len();
    for b in backends() {
        for len in [
            0,
            n / 2,
            n.saturating_sub(1),
            n,
            n + 1,
            max_encoded_len(input.len()),
        ] {
            let r = guarded(len, |out| {
                let r = encode_with(b, out, input);
                if let Ok(w) = r {
                    assert_eq!(&out[..w], &reference[..], "{b}");
                }
                r
            });
            assert_eq!(r.is_ok(), len >= n, "{b} with {len} of {n}");
        }
    }
    let try_exact = guarded(n, |out| runlen::try_encode(out, input));
    assert_eq!(try_exact, Ok(n));
    let unchecked = guarded(max_encoded_len(input.len()), |out| {
        // SAFETY: `out` holds exactly max_encoded_len(input.len()) bytes.
        let w = unsafe { runlen::encode_unchecked(out, input) };
        out[..w].to_vec()
    });
    assert_eq!(unchecked, reference);
    let mut enc = runlen::Encoder::new();
    let half = input.len() / 2;
    let mut streamed = Vec::new();
    for chunk in [&input[..half], &input[half..]] {
        // A chunk never needs more than max_encoded_len of its length: give it exactly that.
        let w = guarded(max_encoded_len(chunk.len()), |out| {
            let w = enc.encode_chunk(out, chunk).unwrap();
            streamed.extend_from_slice(&out[..w]);
            w
        });
        assert!(w <= max_encoded_len(chunk.len()));
    }
    guarded(2, |out| {
        let w = enc.finish(out).unwrap();
        streamed.extend_from_slice(&out[..w]);
    });
    assert_eq!(streamed, reference);
    assert_eq!(encoded_len(input), n);
}

#[test]
fn guards_hold_on_tricky_inputs() {
    let inputs = tricky_inputs();
    let step = if cfg!(miri) { 97 } else { 1 };
    for input in inputs.iter().step_by(step) {
        check_input(input);
    }
}

#[test]
fn guards_hold_on_random_inputs() {
    fn prop(x: Vec<u8>, runs: Vec<(u8, u16)>) -> TestResult {
        let mut input = x;
        for (v, n) in runs {
            let longest = if cfg!(miri) { 300 } else { 600 };
            input.extend(std::iter::repeat_n(v, usize::from(n) % longest));
        }
        check_input(&input);
        TestResult::passed()
    }
    let (tests, size) = if cfg!(miri) { (4, 8) } else { (200, 100) };
    QuickCheck::new()
        .tests(tests)
        .rng(quickcheck::Gen::new(size))
        .quickcheck(prop as fn(Vec<u8>, Vec<(u8, u16)>) -> TestResult);
}
