//! Differential tests of the x86 vector backends against `Backend::Scalar`, with inputs
//! built to break block code (SSE2 works on 16-byte blocks, AVX2 on 64-byte blocks of two
//! 32-byte vectors), exactly sized and one byte
//! short output buffers, and guard bytes around `out`.
//!
//! Under Miri the inputs are cut down so the suite finishes in minutes.

use runlen::{Backend, Error, encoded_len, max_encoded_len};
use runlen_support::guard::encode_with as encode_guarded;
use runlen_support::{Rng, inputs};

/// The vector backends this CPU runs (the scalar reference excluded).
fn vector_backends() -> Vec<Backend> {
    runlen_support::backends()
        .into_iter()
        .filter(|b| *b != Backend::Scalar)
        .collect()
}

/// Runs of geometric length, each value differing from the last (see
/// [`inputs::geometric_runs`]).
fn geometric_runs(rng: &mut Rng, len: usize, mean: u64, alphabet: &[u8]) -> Vec<u8> {
    inputs::geometric_runs(rng, len, mean, alphabet, true)
}

/// The scalar reference's encoding.
fn reference(input: &[u8]) -> Vec<u8> {
    runlen_support::encode_vec(Backend::Scalar, input)
}

/// Checks every vector backend on `input`: `2n`, exact and one-byte-short buffers, guards.
fn check(input: &[u8]) {
    let expected = reference(input);
    assert_eq!(expected.len(), encoded_len(input));
    for backend in vector_backends() {
        let ctx = || format!("{backend} on {} bytes", input.len());
        let (r, got) = encode_guarded(backend, input, max_encoded_len(input.len()));
        assert_eq!(r, Ok(expected.len()), "{}", ctx());
        if got != expected {
            let at = got.iter().zip(&expected).position(|(a, b)| a != b);
            panic!(
                "{}: output differs from scalar at byte {at:?}\n got {:?}\nwant {:?}",
                ctx(),
                &got[..got.len().min(64)],
                &expected[..expected.len().min(64)]
            );
        }
        let (r, got) = encode_guarded(backend, input, expected.len());
        assert_eq!(r, Ok(expected.len()), "{} (exact buffer)", ctx());
        assert_eq!(got, expected, "{} (exact buffer)", ctx());
        if !expected.is_empty() {
            let (r, _) = encode_guarded(backend, input, expected.len() - 1);
            assert_eq!(
                r,
                Err(Error::OutputTooSmall {
                    needed: expected.len()
                }),
                "{} (buffer one byte short)",
                ctx()
            );
        }
    }
}

/// Also checks the streaming encoder with cuts that fall inside blocks.
fn check_streamed(input: &[u8]) {
    let expected = reference(input);
    for backend in vector_backends() {
        for cuts in [
            &[1usize, 17, 40][..],
            &[31, 33, 95, 200],
            &[63, 64, 65, 129],
        ] {
            assert_eq!(
                runlen_support::encode_streamed(backend, input, cuts),
                expected,
                "{backend} streamed, cuts {cuts:?}"
            );
        }
    }
}

fn scale(full: usize, miri: usize) -> usize {
    if cfg!(miri) { miri } else { full }
}

/// `full`, or under Miri its sample `miri`.
fn sample<'a, T>(full: &'a [T], miri: &'a [T]) -> &'a [T] {
    if cfg!(miri) { miri } else { full }
}

#[test]
fn reports_vector_backends() {
    let supported = runlen_support::backends();
    // SSE2 is baseline on x86_64: the simd build must offer it.
    if cfg!(all(target_arch = "x86_64", feature = "simd")) {
        assert!(supported.contains(&Backend::Sse2));
    }
    assert!(supported.contains(&Backend::best()));
}

#[test]
fn every_length_up_to_300() {
    let mut rng = Rng(0x1234_5678);
    let top = scale(300, 100);
    for len in 0..=top {
        check(&(0..len).map(|i| (i / 3) as u8).collect::<Vec<_>>());
        check(&vec![0xFF; len]);
        check(&vec![0x00; len]);
        let random: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        check(&random);
        check(&geometric_runs(&mut rng, len, 4, &[0, 1, 0xFF]));
    }
}

#[test]
fn run_ending_at_every_block_offset() {
    let pairs: &[(u8, u8)] = sample(&[(7, 9), (0x00, 0xFF), (0xFF, 0x00)], &[(0x00, 0xFF)]);
    // 128: two AVX2 blocks, where the long-run loop starts. Under Miri, only the blocks
    // of the kernels (32: SSE2, 64: AVX2), once each.
    let blocks: &[usize] = sample(&[16, 32, 64, 128], &[32, 64]);
    for &block in blocks {
        let (ends, total) = if cfg!(miri) {
            (block + 1, 2 * block)
        } else {
            (2 * block + 1, 3 * block)
        };
        for end in 0..=ends {
            for &(a, b) in pairs {
                let mut x = vec![a; end];
                x.extend(std::iter::repeat_n(b, total - end));
                check(&x);
                if cfg!(miri) {
                    continue;
                }
                // The same after a prefix of all-boundary bytes, so the run is carried.
                let mut y: Vec<u8> = (0..block as u8).map(|i| i.wrapping_mul(3)).collect();
                y.extend(&x);
                y.extend((0..block as u8).rev());
                check(&y);
            }
        }
    }
}

#[test]
fn single_boundary_at_every_position() {
    let block = scale(192, 70);
    for at in 0..block {
        let mut x = vec![3u8; block];
        x[at] = 4;
        check(&x);
        let mut y = vec![3u8; block];
        y[at..].fill(0xFF);
        check(&y);
    }
}

#[test]
fn long_runs_straddling_blocks() {
    let runs: &[usize] = sample(
        &[
            1, 31, 32, 33, 224, 225, 254, 255, 256, 257, 287, 288, 510, 511, 512, 765, 766, 1000,
        ],
        &[255, 256, 511],
    );
    let shifts: &[usize] = sample(
        &[0, 1, 2, 7, 8, 15, 16, 17, 31, 32, 33, 47, 63, 64, 65, 127],
        &[0, 1, 33],
    );
    let pairs: &[(u8, u8)] = sample(&[(0xAA, 0x55), (0xFF, 0x00), (0x00, 0xFF)], &[(0xFF, 0x00)]);
    for &run in runs {
        for &shift in shifts {
            for &(v, after) in pairs {
                let mut x: Vec<u8> = (0..shift).map(|i| (i * 7) as u8).collect();
                x.extend(std::iter::repeat_n(v, run));
                x.extend([1, 2, 3]);
                x.extend(std::iter::repeat_n(after, run));
                x.extend(std::iter::repeat_n(v, run));
                check(&x);
            }
        }
    }
}

#[test]
fn alternating_all_boundary_and_no_boundary_blocks() {
    let blocks: &[usize] = sample(&[16, 32, 64, 128], &[16, 32, 64]);
    for &block in blocks {
        for phase in [0usize, 1, block / 2, block - 1] {
            let mut x: Vec<u8> = vec![0xFF; phase];
            for b in 0..scale(24, 6) {
                if b % 2 == 0 {
                    x.extend((0..block).map(|i| (i as u8).wrapping_mul(5).wrapping_add(b as u8)));
                } else {
                    x.extend(std::iter::repeat_n(b as u8, block));
                }
            }
            check(&x);
            check_streamed(&x);
        }
    }
}

#[test]
fn edge_values_at_first_and_last_byte() {
    for edge in [0x00u8, 0xFF] {
        for len in [2usize, 15, 16, 17, 31, 32, 33, 63, 64, 65, 128, 200] {
            let mut x: Vec<u8> = (0..len).map(|i| (i * 37 + 1) as u8).collect();
            x[0] = edge;
            x[len - 1] = edge;
            check(&x);
            let mut y = vec![edge; len];
            y[len / 2] = edge ^ 1;
            check(&y);
            // A run of `edge` at both ends, long enough to span blocks.
            let mut z = vec![edge; 40];
            z.extend((0..len).map(|i| (i * 11) as u8));
            z.extend(std::iter::repeat_n(edge, 40));
            check(&z);
        }
    }
}

#[test]
fn random_geometric_runs() {
    let mut rng = Rng(0xDEAD_BEEF_CAFE_F00D);
    let (count, len) = if cfg!(miri) { (1, 300) } else { (40, 5000) };
    for mean in [1u64, 2, 3, 8, 30, 64, 200, 300, 1000] {
        for alphabet in [
            &[0u8, 0xFF][..],
            &[1, 2, 3, 4, 5, 0xFF],
            &(0..=255).collect::<Vec<u8>>(),
        ] {
            for _ in 0..count {
                let l = rng.below(len as u64) as usize;
                let x = geometric_runs(&mut rng, l, mean, alphabet);
                check(&x);
            }
        }
    }
}

#[test]
fn streamed_random_geometric_runs() {
    let mut rng = Rng(42);
    for mean in [1u64, 2, 8, 64, 300] {
        for _ in 0..scale(10, 1) {
            let x = geometric_runs(&mut rng, scale(3000, 300), mean, &[0, 7, 0xFF]);
            check_streamed(&x);
        }
    }
}

/// Slices starting at every offset into a buffer, so the kernels see every alignment.
#[test]
fn every_alignment() {
    let mut rng = Rng(7);
    let base = geometric_runs(&mut rng, scale(1200, 200), 3, &[0, 1, 2, 0xFF]);
    for start in 0..scale(64, 33) {
        check(&base[start..]);
    }
}

/// Detection agrees with `std`'s (an independent implementation of cpuid/xgetbv checks).
#[cfg(all(target_arch = "x86_64", feature = "simd", not(miri)))]
#[test]
fn detection_matches_std() {
    use std::arch::is_x86_feature_detected as has;
    let avx2 = has!("avx2") && has!("bmi1") && has!("bmi2") && has!("popcnt");
    assert_eq!(Backend::Avx2.is_supported(), avx2);
    let avx512 = avx2
        && has!("avx512f")
        && has!("avx512bw")
        && has!("avx512vl")
        && has!("avx512vbmi")
        && has!("avx512vbmi2");
    assert_eq!(Backend::Avx512.is_supported(), avx512);
    assert!(Backend::Sse2.is_supported());
    // `best` takes the fastest of them.
    let best = if avx512 {
        Backend::Avx512
    } else if avx2 {
        Backend::Avx2
    } else {
        Backend::Sse2
    };
    assert_eq!(Backend::best(), best);
}
