//! What runlen's tests, benchmarks, demo, fuzz targets and C ABI tests share, written once:
//!
//! - [`oracle`] and [`packbits`]: each format's definition, byte at a time, independent of
//!   the crate;
//! - [`tutorial`]: the numba tutorial's loop, the baseline every speed is compared with;
//! - [`Rng`] and [`inputs`]: reproducible inputs built to break block code;
//! - [`guard`]: output buffers between guard bytes, or exactly sized allocations;
//! - [`corpus`] and [`realdata`]: the benchmark corpora, generated and shipped (and, with
//!   the `criterion` feature, `bench`: the criterion benches' shared settings).
//!
//! A dev-dependency only (`publish = false`); it uses the crate through its public API.

#[cfg(feature = "criterion")]
pub mod bench;
pub mod corpus;
pub mod guard;
pub mod inputs;
pub mod oracle;
pub mod packbits;
pub mod realdata;
mod rng;
pub mod tutorial;

pub use rng::Rng;

use runlen::Backend;
use std::sync::Once;

/// Every backend this build and CPU support. Printed once per process, so that a CI log
/// shows which backends a test binary covered.
pub fn backends() -> Vec<Backend> {
    static PRINT: Once = Once::new();
    let (supported, skipped): (Vec<Backend>, Vec<Backend>) =
        Backend::ALL.into_iter().partition(|b| b.is_supported());
    PRINT.call_once(|| {
        let names = |v: &[Backend]| v.iter().map(|b| b.name()).collect::<Vec<_>>();
        eprintln!(
            "runlen backends tested: {:?}; not supported here: {:?}",
            names(&supported),
            names(&skipped)
        );
    });
    assert!(supported.contains(&Backend::Scalar));
    supported
}

/// Encodes with one backend into a fresh `max_encoded_len` buffer.
pub fn encode_vec(backend: Backend, input: &[u8]) -> Vec<u8> {
    let mut out = vec![0u8; runlen::max_encoded_len(input.len())];
    let n = runlen::encode_with(backend, &mut out, input).expect("2n bytes always suffice");
    out.truncate(n);
    out
}

/// `0`, the positions `cuts` (any order, out of range ones clamped to `len`) and `len`,
/// sorted: the chunk boundaries of a stream of `len` bytes.
pub fn boundaries(cuts: &[usize], len: usize) -> Vec<usize> {
    let mut v: Vec<usize> = cuts.iter().map(|&c| c.min(len)).collect();
    v.extend([0, len]);
    v.sort_unstable();
    v
}

/// Encodes through the streaming encoder with `backend`, cutting `input` at `cuts` (see
/// [`boundaries`]), each chunk into an exactly-sized `max_encoded_len` slice.
pub fn encode_streamed(backend: Backend, input: &[u8], cuts: &[usize]) -> Vec<u8> {
    let mut enc = runlen::Encoder::with_backend(backend).unwrap();
    let mut out = Vec::new();
    for w in boundaries(cuts, input.len()).windows(2) {
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

/// Feeds `encoded` to a streaming decoder with `backend`, cut at `cuts` (see
/// [`boundaries`]), into fresh `out` buffers of the sizes `next_size` gives (at least 1),
/// then drains it with `finish`. Checks the progress rule on every call and that `finish`
/// leaves a new decoder. Each `out` is its own allocation of exactly its size.
pub fn decode_streamed(
    backend: Backend,
    encoded: &[u8],
    cuts: &[usize],
    mut next_size: impl FnMut() -> usize,
) -> Result<Vec<u8>, runlen::Error> {
    let mut dec = runlen::Decoder::with_backend(backend).unwrap();
    let mut decoded = Vec::new();
    for w in boundaries(cuts, encoded.len()).windows(2) {
        let mut chunk = &encoded[w[0]..w[1]];
        loop {
            let mut out = vec![0u8; next_size().max(1)];
            let (consumed, written) = dec.decode_chunk(&mut out, chunk)?;
            assert!(consumed <= chunk.len() && written <= out.len());
            assert!(
                consumed == chunk.len() || written == out.len(),
                "{backend}: no progress rule: consumed {consumed} of {}, wrote {written} of {}",
                chunk.len(),
                out.len()
            );
            decoded.extend_from_slice(&out[..written]);
            chunk = &chunk[consumed..];
            if chunk.is_empty() && written < out.len() {
                break;
            }
        }
    }
    let mut out = vec![0u8; 255];
    let n = dec.finish(&mut out)?;
    decoded.extend_from_slice(&out[..n]);
    assert_eq!(dec.finish(&mut []), Ok(0), "finish leaves a new decoder");
    Ok(decoded)
}
