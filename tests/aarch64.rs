//! Differential tests of the NEON backend against `Scalar` (and the byte-at-a-time oracle),
//! built to break 16-byte block code: every block offset, carried runs over 255, the
//! all-boundary and no-boundary fast paths side by side, exact and one-too-short outputs,
//! guard bytes, and streaming. Compiled only where NEON is.
#![cfg(all(runlen_simd, target_arch = "aarch64"))]

use runlen::{Backend, Encoder, Error};
use runlen_support::guard::{GUARD as GUARD_LEN, MARK as GUARD, encode_with as encode_guarded};
use runlen_support::inputs::{self, tricky_inputs};
use runlen_support::oracle::encode as oracle_encode;
use runlen_support::{Rng, encode_vec};

/// Runs of geometric length with mean `mean`, values from an alphabet of `alphabet` bytes
/// (so adjacent runs sometimes share a value and merge), `len` bytes in all.
fn geometric(rng: &mut Rng, len: usize, mean: u64, alphabet: u64) -> Vec<u8> {
    let values: Vec<u8> = (0..alphabet)
        .map(|v| (v as u8).wrapping_mul(0x9D))
        .collect();
    inputs::geometric_runs(rng, len, mean, &values, false)
}

/// One [`geometric`] input per `(len, mean, alphabet)`, from one generator seeded `seed`.
fn geometrics(seed: u64, specs: &[(usize, u64, u64)]) -> Vec<Vec<u8>> {
    let mut rng = Rng(seed);
    specs
        .iter()
        .map(|&(len, mean, alphabet)| geometric(&mut rng, len, mean, alphabet))
        .collect()
}

/// The whole check for one input: NEON equals Scalar and the oracle with a `2n` buffer,
/// with an exactly sized one, and reports the exact need when one byte short.
fn check(input: &[u8]) {
    let expected = encode_vec(Backend::Scalar, input);
    assert_eq!(expected, oracle_encode(input), "scalar vs oracle");
    let got = encode_vec(Backend::Neon, input);
    if got != expected {
        panic!("neon differs from scalar on {input:?}\n neon:   {got:?}\n scalar: {expected:?}");
    }
    let needed = expected.len();
    let (r, bytes) = encode_guarded(Backend::Neon, input, needed);
    assert_eq!(r, Ok(needed), "exact-size out, input {input:?}");
    assert_eq!(bytes, expected, "exact-size out, input {input:?}");
    let (r, _) = encode_guarded(Backend::Neon, input, runlen::max_encoded_len(input.len()));
    assert_eq!(r, Ok(needed));
    if needed > 0 {
        let (r, _) = encode_guarded(Backend::Neon, input, needed - 1);
        assert_eq!(r, Err(Error::OutputTooSmall { needed }), "input {input:?}");
    }
}

/// Streams `input` through NEON and Scalar encoders cut at `cuts`; every chunk gets an
/// exactly sized `out` (found with the scalar encoder), and first one byte less, which must
/// fail with the exact need and leave the encoder unchanged.
fn check_streamed(input: &[u8], cuts: &[usize]) {
    let cuts = runlen_support::boundaries(cuts, input.len());
    let mut neon = Encoder::with_backend(Backend::Neon).unwrap();
    let mut scalar = Encoder::with_backend(Backend::Scalar).unwrap();
    let mut whole = Vec::new();
    for w in cuts.windows(2) {
        let chunk = &input[w[0]..w[1]];
        let mut expected = vec![0u8; runlen::max_encoded_len(chunk.len())];
        let n = scalar.encode_chunk(&mut expected, chunk).unwrap();
        expected.truncate(n);
        if n > 0 {
            let mut short = vec![GUARD; n - 1 + GUARD_LEN];
            assert_eq!(
                neon.encode_chunk(&mut short[..n - 1], chunk),
                Err(Error::OutputTooSmall { needed: n })
            );
            assert!(short[n - 1..].iter().all(|&b| b == GUARD));
        }
        let mut buf = vec![GUARD; n + GUARD_LEN];
        assert_eq!(
            neon.encode_chunk(&mut buf[..n], chunk),
            Ok(n),
            "chunk {w:?}"
        );
        assert!(buf[n..].iter().all(|&b| b == GUARD), "chunk {w:?} overran");
        assert_eq!(&buf[..n], &expected[..], "chunk {w:?} of {input:?}");
        whole.extend_from_slice(&buf[..n]);
    }
    let mut tail = [0u8; 2];
    let n = neon.finish(&mut tail).unwrap();
    whole.extend_from_slice(&tail[..n]);
    assert_eq!(whole, oracle_encode(input));
}

#[test]
fn neon_is_supported_here() {
    assert!(Backend::Neon.is_supported());
    assert_eq!(Backend::best(), Backend::Neon);
}

#[test]
#[cfg_attr(miri, ignore = "minutes under Miri: see miri_every_path")]
fn shared_tricky_inputs() {
    for input in tricky_inputs() {
        check(&input);
    }
}

/// Three runs `a^x b^y c^z` for every `x`, `y` up to past four blocks: every run ends at
/// every offset of a block, with every length of carried run before it.
#[test]
#[cfg_attr(miri, ignore = "minutes under Miri: see miri_every_path")]
fn runs_ending_at_every_offset() {
    for x in 0..=70 {
        for y in 0..=70 {
            let mut input = vec![0x11u8; x];
            input.extend(std::iter::repeat_n(0xFFu8, y));
            input.extend(std::iter::repeat_n(0x00u8, 40));
            check(&input);
        }
    }
}

/// Carried runs around 255: the split must happen where the run is carried, at every
/// alignment, whether the run ends in a one-boundary, few-boundary or all-boundary block.
#[test]
#[cfg_attr(miri, ignore = "minutes under Miri: see miri_every_path")]
fn long_runs_straddling_blocks() {
    let lens = [
        15, 16, 17, 63, 64, 65, 239, 240, 241, 254, 255, 256, 257, 270, 271, 272, 319, 320, 321,
        509, 510, 511, 512, 765, 766, 1020, 1021,
    ];
    let tails: [&[u8]; 4] = [
        &[9],
        &[9, 9, 9, 8],
        &[1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2],
        &[3, 4, 4, 5, 5, 5, 6, 7, 7, 8, 9, 9, 9, 9, 1, 2, 3],
    ];
    for shift in 0..=64 {
        for &len in &lens {
            for tail in tails {
                let mut input: Vec<u8> = (0..shift).map(|i| (i % 7) as u8).collect();
                input.extend(std::iter::repeat_n(0x42u8, len));
                input.extend_from_slice(tail);
                input.extend(std::iter::repeat_n(0x43u8, 17));
                check(&input);
            }
        }
    }
}

/// Blocks alternating between every byte a boundary and no boundary at all, at every
/// alignment, with all-boundary blocks that start on the carried value or not.
#[test]
#[cfg_attr(miri, ignore = "minutes under Miri: see miri_every_path")]
fn alternating_all_and_no_boundary_blocks() {
    for shift in 0..32 {
        for block in [16usize, 32, 48, 64] {
            let mut input: Vec<u8> = vec![0xEE; shift];
            for b in 0..12usize {
                if b % 2 == 0 {
                    input.extend(
                        (0..block).map(|i| (i as u8).wrapping_mul(3).wrapping_add(b as u8)),
                    );
                } else {
                    input.extend(std::iter::repeat_n(b as u8 * 17, block + b));
                }
            }
            check(&input);
        }
    }
}

/// 0x00 and 0xFF as the first and last byte, and as whole runs at both ends.
#[test]
#[cfg_attr(miri, ignore = "minutes under Miri: see miri_every_path")]
fn edge_bytes() {
    for len in 1..=130 {
        for edge in [0x00u8, 0xFF] {
            for inner in [0x00u8, 0xFF, 0x7F] {
                let mut input = vec![inner; len];
                input[0] = edge;
                input[len - 1] = edge;
                check(&input);
                let mut input: Vec<u8> = (0..len).map(|i| (i * 13) as u8).collect();
                input[0] = edge;
                input[len - 1] = edge;
                check(&input);
            }
        }
    }
}

/// Every length 0..=300 with several shapes of data.
#[test]
#[cfg_attr(miri, ignore = "minutes under Miri: see miri_every_path")]
fn every_length_to_300() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for len in 0..=300 {
        for mean in [1u64, 2, 5, 16, 300] {
            check(&geometric(&mut rng, len, mean, 256));
        }
        check(&geometric(&mut rng, len, 3, 2));
        check(&(0..len).map(|i| i as u8).collect::<Vec<_>>());
    }
}

/// Random data with geometric run lengths, means from 1 to 300, over small and full
/// alphabets, plus random cut points for the streaming encoder.
#[test]
#[cfg_attr(miri, ignore = "minutes under Miri: see miri_every_path")]
fn random_geometric_runs() {
    let mut rng = Rng(0x0123_4567_89AB_CDEF);
    for round in 0..60 {
        for mean in [1u64, 2, 3, 8, 17, 64, 255, 300, 700] {
            let len = rng.below(3000) as usize;
            let alphabet = if round % 3 == 0 { 2 } else { 256 };
            let input = geometric(&mut rng, len, mean, alphabet);
            check(&input);
            let cuts = rng.cuts(len);
            check_streamed(&input, &cuts);
        }
    }
}

/// Every output length from 0 to the exact need, on inputs that take each path: only the
/// exact need and more succeed, and nothing is written past `out.len()`.
#[test]
#[cfg_attr(miri, ignore = "minutes under Miri: see miri_every_path")]
fn every_output_length() {
    let mut inputs = geometrics(42, &[(200, 1, 256), (400, 4, 256), (1500, 300, 256)]);
    inputs.push(vec![0u8; 2000]);
    for input in &inputs {
        let expected = oracle_encode(input);
        let needed = expected.len();
        for out_len in 0..=needed + 40 {
            let (r, bytes) = encode_guarded(Backend::Neon, input, out_len);
            if out_len >= needed {
                assert_eq!(r, Ok(needed));
                assert_eq!(bytes, expected);
            } else {
                assert_eq!(r, Err(Error::OutputTooSmall { needed }));
            }
        }
    }
}

/// Streaming cut at every position of inputs with runs crossing blocks and chunks.
#[test]
#[cfg_attr(miri, ignore = "minutes under Miri: see miri_every_path")]
fn streaming_every_cut() {
    let mut inputs = geometrics(7, &[(300, 2, 256), (700, 90, 4)]);
    inputs.push([vec![5u8; 300], (0..40).collect(), vec![6u8; 270]].concat());
    for input in &inputs {
        for cut in 0..=input.len() {
            check_streamed(input, &[cut]);
        }
        check_streamed(input, &(0..input.len()).step_by(13).collect::<Vec<_>>());
    }
}

/// `encode_unchecked` picks NEON here; it must agree with the scalar reference.
#[test]
#[cfg_attr(miri, ignore = "minutes under Miri: see miri_every_path")]
fn unchecked_agrees() {
    let mut rng = Rng(99);
    for mean in [1u64, 4, 64, 400] {
        let input = geometric(&mut rng, 5000, mean, 256);
        let mut out = vec![0u8; runlen::max_encoded_len(input.len())];
        // SAFETY: `out` holds `max_encoded_len(input.len())` bytes.
        let n = unsafe { runlen::encode_unchecked(&mut out, &input) };
        assert_eq!(&out[..n], &oracle_encode(&input)[..]);
    }
}

/// Few inputs that between them take every path of the kernel (no boundary, the 64-byte
/// scan and its split, all boundaries, one boundary, few and many boundaries, a carried
/// run split at 255, the stop for lack of room), small enough for Miri.
#[test]
fn miri_every_path() {
    // 4 runs from 40 to 296: the 64-byte scan stops at 256 with 216 bytes of run, so the
    // block at 288 closes a run of exactly 256: split at 255 where the run is carried.
    let mut input = vec![3u8; 40];
    input.extend(std::iter::repeat_n(4u8, 256));
    input.extend((0..100).map(|i| (i * 7) as u8));
    input.extend([5, 5, 6, 6, 6, 6, 7, 8, 8, 8, 9, 9, 9, 9, 9, 1]);
    input.extend([2; 600]);
    input.extend((0..16).map(|i| (i / 2) as u8));
    input.extend([1; 18]);
    check(&input);
    check_streamed(&input, &[17, 200, 391]);
}
