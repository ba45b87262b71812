//! The fuzz targets' buffer checks, replayed deterministically on the block-edge inputs the
//! seed corpora are built from, so that `cargo test` and Miri (which has no fuzzer) check
//! the same bounds: every output buffer is its own allocation of exactly the size under
//! test, so Miri reports any access past it, as AddressSanitizer does under the fuzzers.
//! Crashes the fuzzers find are minimized and added at the end of this file.

use runlen::{Encoder, Error};
use runlen_support::backends;
use runlen_support::guard::exact as with_buf;
use runlen_support::inputs::tricky_inputs;
use runlen_support::oracle::encode as oracle_encode;

/// The block-edge inputs. Under Miri, where every interpreted byte is slow, a small set of
/// the same shapes replaces the full one: runs ending at the offsets around 16/32/64-byte
/// block edges, and 255/256-long runs straddling blocks.
fn inputs() -> Vec<Vec<u8>> {
    if !cfg!(miri) {
        return tricky_inputs();
    }
    let mut v: Vec<Vec<u8>> = (0..=17)
        .map(|n| (0..n).map(|i| (i / 2) as u8).collect())
        .collect();
    for end in [0usize, 1, 15, 16, 17, 31, 32, 33, 63, 64, 65] {
        let mut x = vec![7u8; end];
        x.resize(end + 70, 9);
        v.push(x);
    }
    for (run, shift) in [(255usize, 1usize), (256, 63), (256, 0), (511, 33)] {
        let mut x: Vec<u8> = (0..shift as u8).collect();
        x.resize(shift + run, 0xFF);
        x.extend([1, 2, 3]);
        v.push(x);
    }
    v.push((0..130u8).map(|i| i.wrapping_mul(37)).collect());
    v
}

#[test]
fn unchecked_fits_exactly_2n() {
    for input in inputs() {
        let expected = oracle_encode(&input);
        let (n, buf) = with_buf(runlen::max_encoded_len(input.len()), |out| {
            // SAFETY: `out` holds exactly `max_encoded_len(input.len())` bytes.
            unsafe { runlen::encode_unchecked(out, &input) }
        });
        assert_eq!(&buf[..n], &expected[..], "input of {} bytes", input.len());
    }
}

#[test]
fn checked_exact_and_short_buffers() {
    for input in inputs() {
        let expected = oracle_encode(&input);
        let exact = expected.len();
        for backend in backends() {
            let (r, buf) = with_buf(exact, |out| runlen::encode_with(backend, out, &input));
            assert_eq!(r, Ok(exact), "{backend}, {} bytes", input.len());
            assert_eq!(buf, expected, "{backend}, {} bytes", input.len());
            if exact > 0 {
                let (r, _) = with_buf(exact - 1, |out| runlen::encode_with(backend, out, &input));
                assert_eq!(r, Err(Error::OutputTooSmall { needed: exact }), "{backend}");
            }
        }
        let (r, buf) = with_buf(exact, |out| runlen::try_encode(out, &input));
        assert_eq!(r, Ok(exact));
        assert_eq!(buf, expected);
    }
}

/// Each chunk is first offered no room at all, then exactly the `needed` it reports: the
/// error must leave the encoder unchanged and `needed` must be exact.
#[test]
fn streaming_with_reported_needed() {
    for input in inputs() {
        let expected = oracle_encode(&input);
        for backend in backends() {
            let mut enc = Encoder::with_backend(backend).unwrap();
            let mut got = Vec::new();
            let mut at = 0;
            for len in [63, 1, 191, 256, 17].into_iter().cycle() {
                if at == input.len() {
                    break;
                }
                let chunk = &input[at..(at + len).min(input.len())];
                at += chunk.len();
                let needed = match enc.encode_chunk(&mut [], chunk) {
                    Ok(0) => continue,
                    Err(Error::OutputTooSmall { needed }) => needed,
                    other => panic!("{backend}: {other:?}"),
                };
                let (r, buf) = with_buf(needed, |out| enc.encode_chunk(out, chunk));
                assert_eq!(r, Ok(needed), "{backend}");
                got.extend_from_slice(&buf);
            }
            let (r, buf) = with_buf(2, |out| enc.finish(out));
            got.extend_from_slice(&buf[..r.unwrap()]);
            assert_eq!(got, expected, "{backend}, {} bytes", input.len());
        }
    }
}

#[test]
fn decode_exact_and_short_buffers() {
    for input in inputs() {
        let packed = oracle_encode(&input);
        for backend in backends() {
            let (r, buf) = with_buf(input.len(), |out| {
                runlen::decode_with(backend, out, &packed)
            });
            assert_eq!(r, Ok(input.len()), "{backend}");
            assert_eq!(buf, input, "{backend}");
            if !input.is_empty() {
                // On this error `out` may hold a decoded prefix (README); the exact length
                // is what matters.
                let (r, _) = with_buf(input.len() - 1, |out| {
                    runlen::decode_with(backend, out, &packed)
                });
                assert_eq!(
                    r,
                    Err(Error::OutputTooSmall {
                        needed: input.len()
                    }),
                    "{backend}"
                );
            }
        }
    }
}
