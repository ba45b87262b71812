//! Every documented error, with its payload and precedence.

use runlen::{Backend, Error, decode, decoded_len, encode_with, try_encode};
use runlen_support::backends;

#[test]
fn decode_odd_length_is_truncated_pair() {
    let mut out = [0u8; 16];
    assert_eq!(decoded_len(&[1]), Err(Error::TruncatedPair));
    assert_eq!(decode(&mut out, &[1, 2, 3]), Err(Error::TruncatedPair));
    // Odd length wins over a zero count and over a small buffer.
    assert_eq!(decode(&mut [], &[1, 0, 3]), Err(Error::TruncatedPair));
}

#[test]
fn decode_zero_count_reports_the_first_offending_pair() {
    let mut out = [0u8; 16];
    assert_eq!(
        decode(&mut out, &[1, 0]),
        Err(Error::ZeroCount { offset: 0 })
    );
    assert_eq!(
        decode(&mut out, &[1, 2, 3, 4, 5, 0, 6, 0]),
        Err(Error::ZeroCount { offset: 4 })
    );
    // Zero count wins over a small buffer, and is found past a pair that would overflow it.
    assert_eq!(
        decode(&mut [0u8; 1], &[1, 255, 2, 0]),
        Err(Error::ZeroCount { offset: 2 })
    );
    assert_eq!(
        decoded_len(&[9, 9, 9, 0]),
        Err(Error::ZeroCount { offset: 2 })
    );
}

#[test]
fn decode_small_out_reports_the_decoded_length_and_stays_inside_out() {
    let encoded = [1, 200, 2, 100];
    for b in backends() {
        for len in [0, 1, 199, 200, 299] {
            // `out` is the front of a larger buffer: decoding may write a prefix of `out`
            // before it finds out that the rest does not fit, never the bytes after it.
            let mut buf = vec![0xAAu8; len + 64];
            let (out, after) = buf.split_at_mut(len);
            assert_eq!(
                runlen::decode_with(b, out, &encoded),
                Err(Error::OutputTooSmall { needed: 300 }),
                "{b}"
            );
            assert!(after.iter().all(|&x| x == 0xAA), "{b}: wrote past out");
        }
        let mut out = vec![0u8; 300];
        assert_eq!(runlen::decode_with(b, &mut out, &encoded), Ok(300));
    }
}

#[test]
fn decode_accepts_non_canonical_pairs() {
    let mut out = [0u8; 6];
    assert_eq!(decode(&mut out, &[4, 1, 4, 2, 4, 3]), Ok(6));
    assert_eq!(out, [4; 6]);
}

#[test]
fn decode_empty() {
    assert_eq!(decoded_len(&[]), Ok(0));
    assert_eq!(decode(&mut [], &[]), Ok(0));
}

#[test]
fn try_encode_small_out_reports_the_exact_total() {
    // 600 zeros then "ab": (0,255) (0,255) (0,90) (a,1) (b,1) = 10 bytes.
    let mut input = vec![0u8; 600];
    input.extend_from_slice(b"ab");
    for backend in backends() {
        for len in 0..10 {
            let mut out = vec![0u8; len];
            assert_eq!(
                encode_with(backend, &mut out, &input),
                Err(Error::OutputTooSmall { needed: 10 }),
                "{backend} with {len} bytes"
            );
        }
        assert_eq!(encode_with(backend, &mut [0u8; 10], &input), Ok(10));
    }
    assert_eq!(
        try_encode(&mut [0u8; 3], b"abc"),
        Err(Error::OutputTooSmall { needed: 6 })
    );
}

#[test]
fn encode_with_unsupported_backend_comes_first() {
    for backend in Backend::ALL {
        if backend.is_supported() {
            continue;
        }
        // Even with a too-small buffer, the unsupported backend is what is reported.
        assert_eq!(
            encode_with(backend, &mut [], b"abc"),
            Err(Error::UnsupportedBackend(backend))
        );
        assert_eq!(
            runlen::Encoder::with_backend(backend).err(),
            Some(Error::UnsupportedBackend(backend))
        );
    }
    assert!(Backend::Scalar.is_supported());
    assert!(Backend::best().is_supported());
}

#[test]
#[should_panic(expected = "output buffer of 3 bytes is too small, 6 bytes needed")]
fn encode_panics_naming_both_lengths() {
    runlen::encode(&mut [0u8; 3], b"abc");
}

#[test]
fn finish_needs_two_bytes_only_with_an_open_run() {
    let mut enc = runlen::Encoder::new();
    assert_eq!(enc.finish(&mut []), Ok(0));
    assert_eq!(enc.encode_chunk(&mut [], b"q"), Ok(0));
    assert_eq!(
        enc.finish(&mut [0u8; 1]),
        Err(Error::OutputTooSmall { needed: 2 })
    );
    let mut out = [0u8; 2];
    assert_eq!(enc.finish(&mut out), Ok(2));
    assert_eq!(out, *b"q\x01");
}

#[test]
fn errors_display_their_payload() {
    use std::string::ToString;
    assert!(
        Error::OutputTooSmall { needed: 17 }
            .to_string()
            .contains("17")
    );
    assert!(Error::ZeroCount { offset: 42 }.to_string().contains("42"));
    assert!(
        Error::UnsupportedBackend(Backend::Neon)
            .to_string()
            .contains("neon")
    );
    let e: &dyn core::error::Error = &Error::TruncatedPair;
    assert!(e.to_string().contains("truncated"));
}
