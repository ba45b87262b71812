//! Every backend against the scalar reference on inputs built to break block code, through
//! every entry point: one-shot with 2n and exact buffers, and streaming at block-ish cuts.

use runlen::{Backend, encode_with};
use runlen_support::inputs::tricky_inputs;
use runlen_support::oracle::encode as oracle_encode;
use runlen_support::{backends, encode_streamed, encode_vec};

#[test]
fn scalar_matches_the_oracle_on_tricky_inputs() {
    for input in tricky_inputs() {
        assert_eq!(encode_vec(Backend::Scalar, &input), oracle_encode(&input));
    }
}

/// Calls `check(backend, input, scalar's encoding)` for every backend and every `step`-th
/// tricky input (`step.1` under Miri).
fn each_tricky(step: (usize, usize), mut check: impl FnMut(Backend, &[u8], &[u8])) {
    let inputs = tricky_inputs();
    let step = if cfg!(miri) { step.1 } else { step.0 };
    for backend in backends() {
        for input in inputs.iter().step_by(step) {
            check(backend, input, &encode_vec(Backend::Scalar, input));
        }
    }
}

#[test]
fn every_backend_matches_scalar_on_tricky_inputs() {
    each_tricky((1, 37), |backend, input, reference| {
        assert_eq!(
            encode_vec(backend, input),
            reference,
            "{backend}, {} bytes",
            input.len()
        );
        let mut exact = vec![0u8; reference.len()];
        assert_eq!(encode_with(backend, &mut exact, input), Ok(reference.len()));
        assert_eq!(exact, reference, "{backend} exact buffer");
    });
}

#[test]
fn streaming_at_block_edges_matches_scalar() {
    let cuts: &[usize] = if cfg!(miri) {
        &[7, 33, 64, 256]
    } else {
        &[1, 7, 15, 16, 17, 31, 32, 33, 63, 64, 65, 255, 256]
    };
    each_tricky((3, 41), |backend, input, reference| {
        for &cut in cuts {
            let cuts: Vec<usize> = (1..=input.len() / cut).map(|k| k * cut).collect();
            assert_eq!(
                encode_streamed(backend, input, &cuts),
                reference,
                "{backend}, {} bytes cut every {cut}",
                input.len()
            );
        }
    });
}

#[test]
fn long_runs_of_every_length_near_the_split() {
    let lengths: Vec<usize> = if cfg!(miri) {
        vec![254, 255, 256, 511]
    } else {
        (240..=780).collect()
    };
    for backend in backends() {
        for &len in &lengths {
            for value in [0u8, 0xFF] {
                let mut input = vec![value ^ 1; 3];
                input.extend(std::iter::repeat_n(value, len));
                input.push(value ^ 1);
                assert_eq!(
                    encode_vec(backend, &input),
                    oracle_encode(&input),
                    "{backend}: run of {len} x {value:#x}"
                );
            }
        }
    }
}
