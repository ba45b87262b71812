//! Shared by the integration tests: the backend runner and the tutorial's loop.
#![allow(dead_code)]

use runlen::Backend;
use std::sync::Once;

/// Every backend this build and CPU support. Printed once per test binary, so a CI log
/// shows which backends the suite covered.
pub fn backends() -> Vec<Backend> {
    static PRINT: Once = Once::new();
    let supported: Vec<Backend> = Backend::ALL
        .into_iter()
        .filter(|b| b.is_supported())
        .collect();
    PRINT.call_once(|| {
        let names: Vec<&str> = supported.iter().map(|b| b.name()).collect();
        let skipped: Vec<&str> = Backend::ALL
            .iter()
            .filter(|b| !b.is_supported())
            .map(|b| b.name())
            .collect();
        eprintln!("runlen backends tested: {names:?}; not supported here: {skipped:?}");
    });
    assert!(supported.contains(&Backend::Scalar));
    supported
}

/// The benches' corpus module: one home for the tutorial's loop and the byte-at-a-time
/// oracle, shared with the benches and the demo.
#[path = "../../benches/corpus/mod.rs"]
mod corpus;

#[allow(unused_imports)] // not every test binary uses it
pub use corpus::oracle_encode;

/// The numba tutorial's `run_length_encode` (its 255 "no run yet" sentinel drops every 0xFF
/// byte), returning a fresh vector.
pub fn tutorial_encode(input: &[u8]) -> Vec<u8> {
    let mut out = vec![0u8; 2 * input.len()];
    let n = corpus::tutorial_encode_into(&mut out, input);
    out.truncate(n);
    out
}

/// Encodes with one backend into a fresh `max_encoded_len` buffer.
pub fn encode_vec(backend: Backend, input: &[u8]) -> Vec<u8> {
    let mut out = vec![0u8; runlen::max_encoded_len(input.len())];
    let n = runlen::encode_with(backend, &mut out, input).expect("2n bytes always suffice");
    out.truncate(n);
    out
}

/// Encodes through the streaming encoder with `backend`, cutting `input` at `cuts`
/// (positions, any order, out of range ones clamped), each chunk into an exactly-sized
/// `max_encoded_len` slice.
pub fn encode_streamed(backend: Backend, input: &[u8], cuts: &[usize]) -> Vec<u8> {
    let mut cuts: Vec<usize> = cuts.iter().map(|&c| c.min(input.len())).collect();
    cuts.push(0);
    cuts.push(input.len());
    cuts.sort_unstable();
    let mut enc = runlen::Encoder::with_backend(backend).unwrap();
    let mut out = Vec::new();
    for w in cuts.windows(2) {
        let chunk = &input[w[0]..w[1]];
        let mut buf = vec![0u8; runlen::max_encoded_len(chunk.len())];
        let n = enc.encode_chunk(&mut buf, chunk).unwrap();
        out.extend_from_slice(&buf[..n]);
    }
    let mut buf = [0u8; 2];
    let n = enc.finish(&mut buf).unwrap();
    out.extend_from_slice(&buf[..n]);
    out
}

/// Inputs built to break block code: runs ending at every offset of 16/32/64-byte blocks,
/// runs of 255/256/511 straddling blocks, blocks alternating all-boundary and no-boundary,
/// 0x00 and 0xFF at the first and last byte, and every length from 0 to 300.
///
/// Under Miri, which interprets every instruction, a sample of each family (still every
/// block size, the 255/256/511 runs and both edge values).
pub fn tricky_inputs() -> Vec<Vec<u8>> {
    let miri = cfg!(miri);
    let mut v = Vec::new();
    for len in (0..=300usize).step_by(if miri { 23 } else { 1 }) {
        v.push((0..len).map(|i| (i / 3) as u8).collect());
        v.push(vec![0xFF; len]);
    }
    for block in [16usize, 32, 64] {
        for end in (0..=2 * block).step_by(if miri { 5 } else { 1 }) {
            let mut x = vec![7u8; end];
            x.extend(std::iter::repeat_n(9u8, 3 * block - end));
            v.push(x);
        }
    }
    let runs: &[usize] = if miri {
        &[255, 256, 511]
    } else {
        &[254, 255, 256, 257, 510, 511, 512, 765, 766]
    };
    let shifts: &[usize] = if miri {
        &[0, 1, 63]
    } else {
        &[0, 1, 7, 8, 15, 31, 33, 63, 64, 65]
    };
    for &run in runs {
        for &shift in shifts {
            let mut x: Vec<u8> = (0..shift).map(|i| i as u8).collect();
            x.extend(std::iter::repeat_n(0xAAu8, run));
            x.extend([1, 2, 3]);
            x.extend(std::iter::repeat_n(0xFFu8, run));
            v.push(x);
        }
    }
    let mut alt = Vec::new();
    for b in 0..16u8 {
        if b % 2 == 0 {
            alt.extend((0..64).map(|i| i as u8));
        } else {
            alt.extend(std::iter::repeat_n(b, 64));
        }
    }
    v.push(alt);
    for edge in [0x00u8, 0xFF] {
        let mut x = vec![edge];
        x.extend((1..200).map(|i| (i * 37) as u8));
        x.push(edge);
        v.push(x);
    }
    v
}

/// A tiny deterministic generator (xorshift64*): reproducible inputs without a dependency.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// A uniform value in `lo..=hi`.
    pub fn range(&mut self, lo: u8, hi: u8) -> u8 {
        lo + self.below(u64::from(hi - lo) + 1) as u8
    }

    /// A run length, geometric with the given mean (at least 1).
    pub fn geometric(&mut self, mean: u64) -> usize {
        let mut len = 1;
        while len < 100_000 && self.below(mean) != 0 {
            len += 1;
        }
        len
    }
}
