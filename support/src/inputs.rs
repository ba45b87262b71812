//! Inputs built to break block code, and reproducible random ones.

use crate::Rng;

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

/// `len` bytes of runs with geometric lengths of mean `mean`, values drawn from `alphabet`
/// (so 0x00 and 0xFF appear often when it holds them). With `distinct`, each run's value
/// differs from the last one's (when the alphabet allows), so runs never merge; without,
/// neighbours sometimes share a value and merge into longer runs.
pub fn geometric_runs(
    rng: &mut Rng,
    len: usize,
    mean: u64,
    alphabet: &[u8],
    distinct: bool,
) -> Vec<u8> {
    let mut v = Vec::with_capacity(len);
    let mut last = None;
    while v.len() < len {
        let mut b = rng.pick(alphabet);
        while distinct && alphabet.len() > 1 && Some(b) == last {
            b = rng.pick(alphabet);
        }
        last = Some(b);
        let run = rng.geometric(mean).min(len - v.len());
        v.extend(std::iter::repeat_n(b, run));
    }
    v
}

/// `len` bytes of runs with lengths uniform in `1..=max`, each value differing from the
/// last (so runs never merge).
pub fn uniform_runs(rng: &mut Rng, len: usize, max: usize) -> Vec<u8> {
    let mut v = Vec::with_capacity(len);
    let mut last = 0u8;
    while v.len() < len {
        let b = last.wrapping_add(1 + rng.below(255) as u8);
        let run = (1 + rng.index(max)).min(len - v.len());
        v.extend(std::iter::repeat_n(b, run));
        last = b;
    }
    v
}

/// Random inputs of up to 2000 bytes with runs of assorted lengths (1, up to 4, up to 300)
/// over small and full alphabets that include 0xFE and 0xFF, after a few fixed edge cases.
pub fn assorted_inputs(rng: &mut Rng, count: usize) -> Vec<Vec<u8>> {
    let mut inputs = vec![vec![], vec![0xFF], vec![0; 256], vec![0xFF; 511]];
    for _ in 0..count {
        let len = rng.index(2000);
        let alphabet = rng.pick(&[2u64, 3, 256]);
        let max_run = rng.pick(&[1usize, 4, 300]);
        let mut v = Vec::with_capacity(len);
        while v.len() < len {
            let b = (rng.below(alphabet) as u8).wrapping_add(0xFE);
            let run = 1 + rng.index(max_run);
            v.extend(std::iter::repeat_n(b, run.min(len - v.len())));
        }
        inputs.push(v);
    }
    inputs
}

/// An encoded stream of `pairs` pairs with counts drawn from `lo..=hi` and values from a
/// small alphabet with 0x00 and 0xFF in it (so non-canonical neighbours occur too).
pub fn pairs(rng: &mut Rng, pairs: usize, lo: u8, hi: u8) -> Vec<u8> {
    const VALUES: [u8; 5] = [0x00, 0xFF, 0x01, 0x80, 0x7F];
    let mut v = Vec::with_capacity(2 * pairs);
    for _ in 0..pairs {
        v.push(rng.pick(&VALUES));
        v.push(rng.range(lo, hi));
    }
    v
}
