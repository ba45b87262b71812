//! Unit tests of the C ABI, called as C would call it (raw pointers), plus the check that
//! `include/runlen.h` and this crate declare the same functions, types and codes.

use super::*;
use core::ptr;
use std::collections::BTreeMap;
use std::ffi::CStr;
use std::string::{String, ToString};
use std::vec::Vec;
use std::{format, vec};

use runlen_support::guard::{MARK as CANARY, guarded};
use runlen_support::oracle::encode as oracle_encode;
use runlen_support::{Rng, inputs};

const HEADER: &str = include_str!("../include/runlen.h");
/// Every file that defines C functions or types.
const SOURCES: [&str; 3] = [
    include_str!("lib.rs"),
    include_str!("stream.rs"),
    include_str!("packbits.rs"),
];
const SOURCE: &str = include_str!("lib.rs");
const CORE_MANIFEST: &str = include_str!("../../Cargo.toml");
const CAPI_MANIFEST: &str = include_str!("../Cargo.toml");
/// A length no buffer can have: more than `isize::MAX`.
const HUGE: usize = isize::MAX as usize + 1;

/// A `runlen_decoder_chunk` call with its (consumed, written) out-parameters.
type ChunkCall<'a> = dyn Fn(&mut usize, &mut usize) -> c_int + 'a;
/// A call with one out-parameter.
type FinishCall<'a> = dyn Fn(&mut usize) -> c_int + 'a;

/// Each call returns its code and sets its out-parameter to 0.
fn assert_rejected(calls: &[(&FinishCall<'_>, c_int)]) {
    for (i, (call, code)) in calls.iter().enumerate() {
        let mut n = usize::MAX;
        assert_eq!((call(&mut n), n), (*code, 0), "call {i}");
    }
}

/// Random inputs with runs of assorted lengths over small and full alphabets.
fn random_inputs() -> Vec<Vec<u8>> {
    inputs::assorted_inputs(&mut Rng(0x9E37_79B9_7F4A_7C15), 400)
}

/// Calls `f` with a pointer to `out_len` bytes between guard bytes (checked after), their
/// length and an out-parameter: (its code, the out-parameter, the `out_len` bytes).
fn c_call(
    out_len: usize,
    f: impl FnOnce(*mut u8, usize, &mut usize) -> c_int,
) -> (c_int, usize, Vec<u8>) {
    let mut written = usize::MAX;
    let (code, buf) = guarded(out_len, |out| f(out.as_mut_ptr(), out_len, &mut written));
    (code, written, buf)
}

fn c_encode(input: &[u8], out_len: usize) -> (c_int, usize, Vec<u8>) {
    // SAFETY: valid buffers of the lengths passed, disjoint, and a valid out-parameter.
    c_call(out_len, |out, len, written| unsafe {
        runlen_encode(out, len, input.as_ptr(), input.len(), written)
    })
}

fn c_decode(encoded: &[u8], out_len: usize) -> (c_int, usize, Vec<u8>) {
    // SAFETY: valid buffers of the lengths passed, disjoint, and a valid out-parameter.
    c_call(out_len, |out, len, written| unsafe {
        runlen_decode(out, len, encoded.as_ptr(), encoded.len(), written)
    })
}

fn c_decoded_len(encoded: &[u8]) -> (c_int, usize) {
    let mut len = usize::MAX;
    // SAFETY: a valid buffer and out-parameter.
    let code = unsafe { runlen_decoded_len(encoded.as_ptr(), encoded.len(), &mut len) };
    (code, len)
}

#[test]
fn encode_matches_oracle_with_every_buffer_size_class() {
    for input in random_inputs() {
        let want = oracle_encode(&input);
        // SAFETY: a valid buffer.
        let len = unsafe { runlen_encoded_len(input.as_ptr(), input.len()) };
        assert_eq!(len, want.len());
        for out_len in [want.len(), 2 * input.len(), want.len() + 7] {
            let (code, written, out) = c_encode(&input, out_len);
            assert_eq!((code, written), (RUNLEN_OK, want.len()));
            assert_eq!(&out[..written], &want[..]);
        }
        if !want.is_empty() {
            for out_len in [0, want.len() / 2, want.len() - 1] {
                let (code, written, _) = c_encode(&input, out_len);
                assert_eq!((code, written), (RUNLEN_ERR_OUTPUT_TOO_SMALL, want.len()));
            }
        }
        let (n, out) = guarded(2 * input.len(), |out| {
            // SAFETY: `out` holds 2 * input.len() bytes, disjoint from `input`.
            unsafe { runlen_encode_unchecked(out.as_mut_ptr(), input.as_ptr(), input.len()) }
        });
        assert_eq!(&out[..n], &want[..]);
    }
}

#[test]
fn decode_round_trips() {
    for input in random_inputs() {
        let enc = oracle_encode(&input);
        assert_eq!(c_decoded_len(&enc), (RUNLEN_OK, input.len()));
        let (code, written, out) = c_decode(&enc, input.len());
        assert_eq!((code, written), (RUNLEN_OK, input.len()));
        assert_eq!(out, input);
        if !input.is_empty() {
            // On error `out` is unspecified; c_decode checks nothing past it was touched.
            let (code, written, _) = c_decode(&enc, input.len() - 1);
            assert_eq!((code, written), (RUNLEN_ERR_OUTPUT_TOO_SMALL, input.len()));
        }
    }
}

#[test]
fn decode_errors_follow_the_precedence() {
    // Odd length beats a zero count and a short output.
    assert_eq!(c_decoded_len(&[1, 0, 2]), (RUNLEN_ERR_TRUNCATED_PAIR, 0));
    assert_eq!(c_decode(&[1, 0, 2], 0).0, RUNLEN_ERR_TRUNCATED_PAIR);
    assert_eq!(c_decode(&[1, 0, 2], 0).1, 0);
    // The first zero count, by byte offset, beats a short output.
    assert_eq!(
        c_decoded_len(&[1, 3, 2, 0, 3, 0]),
        (RUNLEN_ERR_ZERO_COUNT, 2)
    );
    assert_eq!(c_decoded_len(&[1, 0]), (RUNLEN_ERR_ZERO_COUNT, 0));
    let (code, written, _) = c_decode(&[9, 9, 1, 3, 2, 0], 1);
    assert_eq!((code, written), (RUNLEN_ERR_ZERO_COUNT, 4));
    // Non-canonical input decodes.
    assert_eq!(c_decode(&[7, 1, 7, 2], 3), (RUNLEN_OK, 3, vec![7, 7, 7]));
}

#[test]
fn null_pointers() {
    let mut n = usize::MAX;
    let some = [1u8, 1];
    let mut buf = [0u8; 4];
    // SAFETY: (whole block) every non-NULL pointer is valid for the length passed with it;
    // NULL pointers go with zero lengths or are what is tested.
    unsafe {
        // NULL with length 0 is an empty buffer.
        assert_eq!(
            runlen_encode(ptr::null_mut(), 0, ptr::null(), 0, &mut n),
            RUNLEN_OK
        );
        assert_eq!(n, 0);
        n = usize::MAX;
        assert_eq!(
            runlen_decode(ptr::null_mut(), 0, ptr::null(), 0, &mut n),
            RUNLEN_OK
        );
        assert_eq!(n, 0);
        n = usize::MAX;
        assert_eq!(runlen_decoded_len(ptr::null(), 0, &mut n), RUNLEN_OK);
        assert_eq!(n, 0);
        assert_eq!(runlen_encoded_len(ptr::null(), 0), 0);
        assert_eq!(runlen_encoded_len(ptr::null(), 5), 0);
        assert_eq!(runlen_encode_unchecked(ptr::null_mut(), ptr::null(), 0), 0);
        // A NULL, empty output asks for the length needed.
        assert_eq!(
            runlen_encode(ptr::null_mut(), 0, b"aab".as_ptr(), 3, &mut n),
            RUNLEN_ERR_OUTPUT_TOO_SMALL
        );
        assert_eq!(n, 4);
        // NULL with a non-zero length: the out-parameter is 0.
        let b = buf.as_mut_ptr();
        let null = RUNLEN_ERR_NULL_POINTER;
        assert_rejected(&[
            (
                &|n| runlen_encode(ptr::null_mut(), 4, some.as_ptr(), 2, n),
                null,
            ),
            (&|n| runlen_encode(b, 4, ptr::null(), 2, n), null),
            (
                &|n| runlen_decode(ptr::null_mut(), 4, some.as_ptr(), 2, n),
                null,
            ),
            (&|n| runlen_decode(b, 4, ptr::null(), 2, n), null),
            (&|n| runlen_decoded_len(ptr::null(), 2, n), null),
        ]);
        // A NULL pointer comes before the format's errors (odd length here).
        assert_eq!(
            runlen_decode(ptr::null_mut(), 4, some.as_ptr(), 1, &mut n),
            -4
        );
        // NULL out-parameters.
        assert_eq!(
            runlen_encode(buf.as_mut_ptr(), 4, some.as_ptr(), 2, ptr::null_mut()),
            RUNLEN_ERR_NULL_POINTER
        );
        assert_eq!(
            runlen_decode(buf.as_mut_ptr(), 4, some.as_ptr(), 2, ptr::null_mut()),
            RUNLEN_ERR_NULL_POINTER
        );
        assert_eq!(
            runlen_decoded_len(some.as_ptr(), 2, ptr::null_mut()),
            RUNLEN_ERR_NULL_POINTER
        );
    }
}

#[test]
fn lengths_no_object_can_have() {
    // Never dereferenced: the length is rejected first.
    let dangling = ptr::NonNull::<u8>::dangling().as_ptr();
    let mut n = usize::MAX;
    // SAFETY: (whole block) the functions reject these lengths before touching the pointers.
    unsafe {
        assert_eq!(runlen_encoded_len(dangling, HUGE), usize::MAX);
        let overflow = RUNLEN_ERR_OVERFLOW;
        assert_rejected(&[
            (
                &|n| runlen_encode(dangling, HUGE, b"a".as_ptr(), 1, n),
                overflow,
            ),
            (&|n| runlen_encode(dangling, 2, dangling, HUGE, n), overflow),
            (
                &|n| runlen_decode(dangling, usize::MAX, b"a\x01".as_ptr(), 2, n),
                overflow,
            ),
            (&|n| runlen_decode(dangling, 2, dangling, HUGE, n), overflow),
            (&|n| runlen_decoded_len(dangling, usize::MAX, n), overflow),
        ]);
        // NULL checks come first.
        assert_eq!(
            runlen_encode(dangling, HUGE, ptr::null(), 1, &mut n),
            RUNLEN_ERR_NULL_POINTER
        );
    }
    assert_eq!(runlen_max_encoded_len(usize::MAX), usize::MAX);
    assert_eq!(runlen_max_encoded_len(usize::MAX / 2 + 1), usize::MAX);
    assert_eq!(runlen_max_encoded_len(usize::MAX / 2), usize::MAX - 1);
    assert_eq!(runlen_max_encoded_len(0), 0);
    assert_eq!(runlen_max_encoded_len(7), 14);
}

fn c_str(p: *const c_char) -> &'static str {
    assert!(!p.is_null());
    // SAFETY: the functions return pointers to static NUL-terminated strings.
    unsafe { CStr::from_ptr(p) }.to_str().unwrap()
}

#[test]
fn strerror_and_backend() {
    let codes = [0, -1, -2, -3, -4, -5, -6];
    let texts: Vec<&str> = codes.iter().map(|&c| c_str(runlen_strerror(c))).collect();
    for (i, t) in texts.iter().enumerate() {
        assert!(!t.is_empty());
        assert!(texts[..i].iter().all(|u| u != t), "codes share a text");
    }
    let unknown = c_str(runlen_strerror(1));
    assert!(!texts.contains(&unknown));
    for c in [c_int::MIN, -7, 2, 255, c_int::MAX] {
        assert_eq!(c_str(runlen_strerror(c)), unknown);
    }
    assert_eq!(c_str(runlen_backend()), Backend::best().name());
    for b in Backend::ALL {
        assert_eq!(backend_name(b).to_str().unwrap(), b.name());
    }
}

/// Every error of the core crate that the ABI can meet maps to its code and out-value.
#[test]
fn error_mapping() {
    let cases = [
        (Ok(5), (RUNLEN_OK, 5)),
        (
            Err(Error::OutputTooSmall { needed: 9 }),
            (RUNLEN_ERR_OUTPUT_TOO_SMALL, 9),
        ),
        (Err(Error::TruncatedPair), (RUNLEN_ERR_TRUNCATED_PAIR, 0)),
        (
            Err(Error::ZeroCount { offset: 6 }),
            (RUNLEN_ERR_ZERO_COUNT, 6),
        ),
        (Err(Error::LengthOverflow), (RUNLEN_ERR_OVERFLOW, 0)),
    ];
    for (result, want) in cases {
        assert_eq!(outcome(result), want, "{result:?}");
    }
}

// ---- streaming --------------------------------------------------------------------------

fn new_encoder() -> runlen_encoder {
    // Garbage first: init must set up every byte it relies on.
    let mut enc = runlen_encoder {
        opaque: [0xDEAD_BEEF_DEAD_BEEF; 4],
    };
    // SAFETY: a valid state to write.
    unsafe { runlen_encoder_init(&mut enc) };
    enc
}

/// One `runlen_encoder_chunk` call into `out_len` guarded bytes.
fn c_encoder_chunk(enc: &mut runlen_encoder, input: &[u8], out_len: usize) -> (c_int, Vec<u8>) {
    // SAFETY: a valid state, valid disjoint buffers of the lengths passed.
    let (code, written, mut buf) = c_call(out_len, |out, len, written| unsafe {
        runlen_encoder_chunk(enc, out, len, input.as_ptr(), input.len(), written)
    });
    if code == RUNLEN_OK {
        buf.truncate(written);
    } else {
        buf.clear();
        buf.push(written.min(255) as u8);
        assert_eq!(
            buf[0] as usize, written,
            "an out-parameter too large to be a length here"
        );
    }
    (code, buf)
}

fn c_encoder_finish(enc: &mut runlen_encoder, out_len: usize) -> (c_int, usize, Vec<u8>) {
    // SAFETY: a valid state, a valid buffer of the length passed.
    let (code, written, mut buf) = c_call(out_len, |out, len, written| unsafe {
        runlen_encoder_finish(enc, out, len, written)
    });
    buf.truncate(written.min(out_len));
    (code, written, buf)
}

/// Random cut points of `len`, sorted, from 0 to `len`, with repeats (empty chunks).
fn random_cuts(rng: &mut Rng, len: usize) -> Vec<usize> {
    runlen_support::boundaries(&rng.cuts(len), len)
}

#[test]
fn encoder_gives_encode_for_any_split() {
    let mut rng = Rng(7);
    // One encoder for every input: `finish` leaves it new.
    let mut enc = new_encoder();
    for input in random_inputs() {
        let want = oracle_encode(&input);
        let mut got = Vec::new();
        for pair in random_cuts(&mut rng, input.len()).windows(2) {
            let chunk = &input[pair[0]..pair[1]];
            let (code, out) = c_encoder_chunk(&mut enc, chunk, 2 * chunk.len());
            assert_eq!(code, RUNLEN_OK);
            got.extend(out);
        }
        let (code, written, out) = c_encoder_finish(&mut enc, 2);
        assert_eq!(code, RUNLEN_OK);
        assert_eq!(written, if input.is_empty() { 0 } else { 2 });
        got.extend(out);
        assert_eq!(got, want);
        // finish made it new: an empty stream follows.
        assert_eq!(c_encoder_finish(&mut enc, 0), (RUNLEN_OK, 0, vec![]));
    }
}

#[test]
fn encoder_too_small_changes_nothing_and_needed_suffices() {
    let input = b"aaabbbbbbbcdddd";
    let mut enc = new_encoder();
    let (code, needed) = c_encoder_chunk(&mut enc, input, 3);
    assert_eq!((code, needed[0]), (RUNLEN_ERR_OUTPUT_TOO_SMALL, 6));
    let (code, out) = c_encoder_chunk(&mut enc, input, 6);
    assert_eq!(code, RUNLEN_OK);
    assert_eq!(out, b"a\x03b\x07c\x01");
    assert_eq!(
        c_encoder_finish(&mut enc, 1),
        (RUNLEN_ERR_OUTPUT_TOO_SMALL, 2, vec![CANARY])
    );
    assert_eq!(
        c_encoder_finish(&mut enc, 2),
        (RUNLEN_OK, 2, b"d\x04".to_vec())
    );
}

#[test]
fn encoder_state_copies_are_independent() {
    let mut enc = new_encoder();
    assert_eq!(c_encoder_chunk(&mut enc, b"xxyy", 8).1, b"x\x02");
    // What C's memcpy does: the bytes, nothing else.
    // SAFETY: `enc` is a valid, initialised state; the copy is a plain byte copy.
    let mut copy = unsafe { ptr::read(&enc) };
    assert_eq!(c_encoder_chunk(&mut enc, b"yz", 8).1, b"y\x03");
    assert_eq!(c_encoder_chunk(&mut copy, b"q", 8).1, b"y\x02");
    assert_eq!(c_encoder_finish(&mut enc, 2).2, b"z\x01");
    assert_eq!(c_encoder_finish(&mut copy, 2).2, b"q\x01");
}

#[test]
fn encoder_null_pointers_and_lengths() {
    let mut enc = new_encoder();
    let mut buf = [0u8; 4];
    let (b, e): (*mut u8, *mut runlen_encoder) = (buf.as_mut_ptr(), &mut enc);
    // SAFETY: (whole block) non-NULL pointers are valid for the lengths passed, or the length
    // is rejected before the pointer is touched; NULLs are what is tested.
    unsafe {
        runlen_encoder_init(ptr::null_mut());
        let (a, null, overflow) = (b"a".as_ptr(), RUNLEN_ERR_NULL_POINTER, RUNLEN_ERR_OVERFLOW);
        assert_rejected(&[
            (
                &|n| runlen_encoder_chunk(ptr::null_mut(), b, 4, a, 1, n),
                null,
            ),
            (
                &|n| runlen_encoder_chunk(e, ptr::null_mut(), 4, a, 1, n),
                null,
            ),
            (&|n| runlen_encoder_chunk(e, b, 4, ptr::null(), 1, n), null),
            (&|n| runlen_encoder_finish(ptr::null_mut(), b, 4, n), null),
            (
                &|n| runlen_encoder_finish(ptr::null_mut(), ptr::null_mut(), 0, n),
                null,
            ),
            (&|n| runlen_encoder_finish(e, ptr::null_mut(), 2, n), null),
            (&|n| runlen_encoder_chunk(e, b, HUGE, a, 1, n), overflow),
            (&|n| runlen_encoder_finish(e, b, HUGE, n), overflow),
        ]);
        assert_eq!(
            runlen_encoder_chunk(e, b, 4, b"a".as_ptr(), 1, ptr::null_mut()),
            RUNLEN_ERR_NULL_POINTER
        );
        assert_eq!(
            runlen_encoder_finish(e, b, 4, ptr::null_mut()),
            RUNLEN_ERR_NULL_POINTER
        );
        // NULL with length 0 is an empty buffer; none of the rejected calls changed `enc`.
        let mut n = usize::MAX;
        assert_eq!(
            runlen_encoder_chunk(e, ptr::null_mut(), 0, ptr::null(), 0, &mut n),
            0
        );
        assert_eq!(n, 0);
        assert_eq!(runlen_encoder_finish(e, ptr::null_mut(), 0, &mut n), 0);
        assert_eq!(n, 0);
    }
}

fn new_decoder() -> runlen_decoder {
    let mut dec = runlen_decoder {
        opaque: [0xDEAD_BEEF_DEAD_BEEF; 4],
    };
    // SAFETY: a valid state to write.
    unsafe { runlen_decoder_init(&mut dec) };
    dec
}

/// One `runlen_decoder_chunk` call into `out_len` guarded bytes:
/// (code, consumed, written-or-offset, the bytes written).
fn c_decoder_chunk(
    dec: &mut runlen_decoder,
    encoded: &[u8],
    out_len: usize,
) -> (c_int, usize, usize, Vec<u8>) {
    let (mut consumed, mut written) = (usize::MAX, usize::MAX);
    // SAFETY: a valid state, valid disjoint buffers and out-parameters.
    let (code, mut buf) = guarded(out_len, |out| unsafe {
        runlen_decoder_chunk(
            dec,
            out.as_mut_ptr(),
            out_len,
            encoded.as_ptr(),
            encoded.len(),
            &mut consumed,
            &mut written,
        )
    });
    buf.truncate(if code == RUNLEN_OK { written } else { 0 });
    (code, consumed, written, buf)
}

fn c_decoder_finish(dec: &mut runlen_decoder, out_len: usize) -> (c_int, usize, Vec<u8>) {
    // SAFETY: a valid state, a valid buffer of the length passed.
    let (code, written, mut buf) = c_call(out_len, |out, len, written| unsafe {
        runlen_decoder_finish(dec, out, len, written)
    });
    buf.truncate(if code == RUNLEN_OK { written } else { 0 });
    (code, written, buf)
}

/// Decodes `encoded` cut at `cuts` with `out` sizes drawn from `rng`, then finishes into
/// 255 bytes: the bytes, or the first error's (code, out-parameter).
fn c_stream_decode(
    dec: &mut runlen_decoder,
    encoded: &[u8],
    cuts: &[usize],
    rng: &mut Rng,
) -> Result<Vec<u8>, (c_int, usize)> {
    let mut got = Vec::new();
    for pair in cuts.windows(2) {
        let mut chunk = &encoded[pair[0]..pair[1]];
        loop {
            let out_len = [1, 2, 7, 300][rng.below(4) as usize];
            let (code, consumed, written, out) = c_decoder_chunk(dec, chunk, out_len);
            if code != RUNLEN_OK {
                assert_eq!(consumed, 0, "consumed on error");
                return Err((code, written));
            }
            assert!(
                consumed == chunk.len() || written == out_len,
                "no progress rule"
            );
            assert!(
                consumed > 0 || written > 0 || chunk.is_empty(),
                "no progress"
            );
            got.extend(out);
            chunk = &chunk[consumed..];
            if chunk.is_empty() && written < out_len {
                break;
            }
        }
    }
    match c_decoder_finish(dec, 255) {
        (RUNLEN_OK, _, out) => {
            got.extend(out);
            Ok(got)
        }
        (code, written, _) => Err((code, written)),
    }
}

#[test]
fn decoder_gives_decode_for_any_split_and_out_sizes() {
    let mut rng = Rng(11);
    for input in random_inputs() {
        let encoded = oracle_encode(&input);
        let mut dec = new_decoder();
        let cuts = random_cuts(&mut rng, encoded.len());
        assert_eq!(
            c_stream_decode(&mut dec, &encoded, &cuts, &mut rng),
            Ok(input)
        );
        // finish made it new.
        assert_eq!(c_decoder_finish(&mut dec, 0), (RUNLEN_OK, 0, vec![]));
    }
}

#[test]
fn decoder_errors_and_their_out_parameters() {
    let mut rng = Rng(5);
    // A zero count: its offset from the start of the stream, across chunks.
    let encoded = [7u8, 3, 8, 1, 9, 0, 1, 1];
    for cut in 0..=encoded.len() {
        let mut dec = new_decoder();
        let got = c_stream_decode(&mut dec, &encoded, &[0, cut, encoded.len()], &mut rng);
        assert_eq!(got, Err((RUNLEN_ERR_ZERO_COUNT, 4)), "cut at {cut}");
    }
    // The decoder is unchanged by the error: the valid prefix then decodes and finishes.
    let mut dec = new_decoder();
    assert_eq!(
        c_decoder_chunk(&mut dec, &encoded[..4], 16).3,
        b"\x07\x07\x07\x08"
    );
    assert_eq!(
        c_decoder_chunk(&mut dec, &encoded[4..], 16).0,
        RUNLEN_ERR_ZERO_COUNT
    );
    assert_eq!(c_decoder_finish(&mut dec, 0), (RUNLEN_OK, 0, vec![]));
    // After a successful finish, offsets count from the new stream.
    assert_eq!(c_decoder_chunk(&mut dec, &[1, 0], 4).2, 0);
    // A stream that ends inside a pair: TRUNCATED_PAIR at finish, out-parameter 0, and the
    // half pair stays held.
    let mut dec = new_decoder();
    assert_eq!(c_decoder_chunk(&mut dec, &[5, 2, 6], 8).3, b"\x05\x05");
    assert_eq!(
        c_decoder_finish(&mut dec, 255),
        (RUNLEN_ERR_TRUNCATED_PAIR, 0, vec![])
    );
    assert_eq!(c_decoder_chunk(&mut dec, &[3], 8).3, b"\x06\x06\x06");
    assert_eq!(c_decoder_finish(&mut dec, 0), (RUNLEN_OK, 0, vec![]));
    // A held run that does not fit into finish's out: the length needed, decoder unchanged.
    let mut dec = new_decoder();
    assert_eq!(c_decoder_chunk(&mut dec, &[4, 200], 10).1, 2);
    assert_eq!(
        c_decoder_finish(&mut dec, 189),
        (RUNLEN_ERR_OUTPUT_TOO_SMALL, 190, vec![])
    );
    assert_eq!(
        c_decoder_finish(&mut dec, 190),
        (RUNLEN_OK, 190, vec![4; 190])
    );
}

#[test]
fn decoder_state_copies_are_independent() {
    let mut dec = new_decoder();
    // The run of five 1s does not fit: three are written, two held.
    assert_eq!(
        c_decoder_chunk(&mut dec, &[1, 5], 3),
        (RUNLEN_OK, 2, 3, vec![1, 1, 1])
    );
    // SAFETY: `dec` is a valid, initialised state; the copy is a plain byte copy (memcpy).
    let mut copy = unsafe { ptr::read(&dec) };
    assert_eq!(c_decoder_chunk(&mut dec, &[2, 1], 8).3, [1, 1, 2]);
    assert_eq!(c_decoder_chunk(&mut copy, &[3, 2], 8).3, [1, 1, 3, 3]);
    assert_eq!(c_decoder_finish(&mut dec, 0).0, RUNLEN_OK);
    assert_eq!(c_decoder_finish(&mut copy, 0).0, RUNLEN_OK);
}

#[test]
fn decoder_null_pointers_and_lengths() {
    let mut dec = new_decoder();
    let mut buf = [0u8; 4];
    // SAFETY: (whole block) non-NULL pointers are valid for the lengths passed, or the length
    // is rejected before the pointer is touched; NULLs are what is tested.
    unsafe {
        runlen_decoder_init(ptr::null_mut());
        let b = buf.as_mut_ptr();
        let d: *mut runlen_decoder = &mut dec;
        let e = b"a\x01".as_ptr();
        let chunks: [&ChunkCall<'_>; 5] = [
            &|c, w| runlen_decoder_chunk(ptr::null_mut(), b, 4, e, 2, c, w),
            &|c, w| runlen_decoder_chunk(d, ptr::null_mut(), 4, e, 2, c, w),
            &|c, w| runlen_decoder_chunk(d, b, 4, ptr::null(), 2, c, w),
            &|c, w| runlen_decoder_chunk(d, b, HUGE, e, 2, c, w),
            &|c, w| runlen_decoder_chunk(d, b, 4, e, HUGE, c, w),
        ];
        let codes = [-4, -4, -4, -5, -5];
        for (call, code) in chunks.iter().zip(codes) {
            let (mut c, mut w) = (usize::MAX, usize::MAX);
            assert_eq!((call(&mut c, &mut w), c, w), (code, 0, 0));
        }
        // A NULL out-parameter: the other one, if any, is 0.
        let mut w = usize::MAX;
        assert_eq!(
            runlen_decoder_chunk(d, b, 4, e, 2, ptr::null_mut(), &mut w),
            -4
        );
        assert_eq!(w, 0);
        let mut c = usize::MAX;
        assert_eq!(
            runlen_decoder_chunk(d, b, 4, e, 2, &mut c, ptr::null_mut()),
            -4
        );
        assert_eq!(c, 0);
        assert_rejected(&[
            (&|w| runlen_decoder_finish(ptr::null_mut(), b, 4, w), -4),
            (&|w| runlen_decoder_finish(d, ptr::null_mut(), 4, w), -4),
            (&|w| runlen_decoder_finish(d, b, HUGE, w), -5),
        ]);
        assert_eq!(runlen_decoder_finish(d, b, 4, ptr::null_mut()), -4);
    }
    // None of the rejected calls changed the decoder: it holds nothing.
    assert_eq!(c_decoder_finish(&mut dec, 0), (RUNLEN_OK, 0, vec![]));
}

// ---- header and code must not drift ------------------------------------------------------

/// One function signature: return type and (name, type) parameters, in C spelling.
#[derive(Debug, PartialEq)]
struct Signature {
    ret: String,
    params: Vec<(String, String)>,
}

fn strip_c_comments(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        let end = rest[start..].find("*/").expect("unterminated comment");
        rest = &rest[start + end + 2..];
    }
    out.push_str(rest);
    out
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Splits a C declarator such as `const uint8_t *input` into (type, name).
fn c_param(p: &str) -> (String, String) {
    let p = squash(p);
    let at = p.rfind([' ', '*']).expect("parameter without a name") + 1;
    (squash(&p[..at]).replace(" *", "*"), p[at..].to_string())
}

fn header_functions() -> BTreeMap<String, Signature> {
    let text = strip_c_comments(HEADER);
    let decls: String = text
        .lines()
        .map(str::trim)
        // Preprocessor lines and the C++ guard's braces are not declarations.
        .filter(|l| !l.starts_with('#') && *l != "extern \"C\" {" && !l.starts_with('}'))
        .collect::<Vec<_>>()
        .join(" ");
    let mut map = BTreeMap::new();
    for decl in decls.split(';') {
        let Some(open) = decl.find('(') else { continue };
        let (ret_name, params) = (&decl[..open], &decl[open + 1..decl.rfind(')').unwrap()]);
        let (ret, name) = c_param(ret_name);
        let params = if params.trim() == "void" {
            vec![]
        } else {
            params
                .split(',')
                .map(|p| {
                    let (t, n) = c_param(p);
                    (n, t)
                })
                .collect()
        };
        assert!(
            map.insert(name.clone(), Signature { ret, params })
                .is_none(),
            "{name} declared twice"
        );
    }
    map
}

/// The C spelling of a Rust FFI type used in this crate.
fn rust_to_c(t: &str) -> String {
    match squash(t).as_str() {
        "usize" => "size_t",
        "c_int" => "int",
        "*const u8" => "const uint8_t*",
        "*mut u8" => "uint8_t*",
        "*mut usize" => "size_t*",
        "*const c_char" => "const char*",
        "*mut runlen_encoder" => "runlen_encoder*",
        "*mut runlen_decoder" => "runlen_decoder*",
        "()" => "void",
        other => panic!("no C spelling for the Rust type {other}: extend rust_to_c"),
    }
    .to_string()
}

fn source_functions() -> BTreeMap<String, Signature> {
    let mut map = BTreeMap::new();
    for source in SOURCES {
        source_functions_of(source, &mut map);
    }
    map
}

fn source_functions_of(source: &str, map: &mut BTreeMap<String, Signature>) {
    let mut rest = source;
    while let Some(at) = rest.find("extern \"C\" fn ") {
        let line_start = rest[..at].rfind('\n').map_or(0, |i| i + 1);
        let prefix = rest[line_start..at].trim();
        let before = rest[..line_start].trim_end();
        let after = &rest[at + "extern \"C\" fn ".len()..];
        rest = after;
        if !prefix.starts_with("pub") {
            continue;
        }
        assert!(
            before.ends_with("#[unsafe(no_mangle)]"),
            "a pub extern fn without #[unsafe(no_mangle)]"
        );
        let open = after.find('(').unwrap();
        let name = after[..open].trim().to_string();
        let close = after.find(')').unwrap();
        let params = after[open + 1..close]
            .split(',')
            .filter(|p| !p.trim().is_empty())
            .map(|p| {
                let (n, t) = p.split_once(':').unwrap();
                (n.trim().to_string(), rust_to_c(t))
            })
            .collect();
        let body = after[close + 1..].find('{').unwrap();
        let ret = after[close + 1..close + 1 + body].trim();
        let ret = rust_to_c(ret.strip_prefix("->").unwrap_or("()"));
        assert!(
            map.insert(name.clone(), Signature { ret, params })
                .is_none(),
            "{name} defined twice"
        );
    }
}

#[test]
fn header_declares_exactly_the_exported_functions() {
    let header = header_functions();
    let source = source_functions();
    assert_eq!(header.len(), 20, "{header:#?}");
    assert_eq!(header, source);
    for spec in [
        "size_t runlen_max_encoded_len(size_t input_len)",
        "const char *runlen_strerror(int code)",
        "const char *runlen_backend(void)",
        "const char *runlen_version(void)",
        "void runlen_encoder_init(runlen_encoder *enc)",
    ] {
        assert!(squash(HEADER).contains(spec), "{spec}");
    }
}

#[test]
fn header_defines_match_the_constants() {
    let defines: BTreeMap<&str, c_int> = HEADER
        .lines()
        .filter_map(|l| l.strip_prefix("#define RUNLEN_"))
        .filter(|l| !l.starts_with("VERSION_"))
        .filter_map(|l| {
            let mut words = l.split_whitespace();
            let name = words.next()?;
            let value = words.next()?.parse().ok()?;
            Some((name, value))
        })
        .collect();
    let consts: BTreeMap<&str, c_int> = [
        ("OK", RUNLEN_OK),
        ("ERR_OUTPUT_TOO_SMALL", RUNLEN_ERR_OUTPUT_TOO_SMALL),
        ("ERR_TRUNCATED_PAIR", RUNLEN_ERR_TRUNCATED_PAIR),
        ("ERR_ZERO_COUNT", RUNLEN_ERR_ZERO_COUNT),
        ("ERR_NULL_POINTER", RUNLEN_ERR_NULL_POINTER),
        ("ERR_OVERFLOW", RUNLEN_ERR_OVERFLOW),
        ("ERR_TRUNCATED_PACKET", RUNLEN_ERR_TRUNCATED_PACKET),
    ]
    .into_iter()
    .collect();
    assert_eq!(defines, consts);
    let declared = SOURCE.matches("pub const RUNLEN_").count();
    assert_eq!(declared, consts.len(), "a constant missing from this test");
}

/// The `#define RUNLEN_VERSION_*` values of the header.
fn header_version() -> [u32; 3] {
    ["MAJOR", "MINOR", "PATCH"].map(|part| {
        let prefix = format!("#define RUNLEN_VERSION_{part} ");
        let line = HEADER
            .lines()
            .find_map(|l| l.strip_prefix(&prefix))
            .unwrap_or_else(|| panic!("no RUNLEN_VERSION_{part}"));
        line.trim().parse().expect("a decimal version number")
    })
}

/// The `version = "..."` of a manifest's `[package]` table.
fn manifest_version(manifest: &str) -> &str {
    let package = manifest
        .split("[package]")
        .nth(1)
        .expect("a [package] table");
    let line = package
        .lines()
        .take_while(|l| !l.starts_with('['))
        .find_map(|l| l.trim().strip_prefix("version = "))
        .expect("a version");
    line.trim_matches('"')
}

#[test]
fn header_library_and_manifests_agree_on_the_version() {
    let [major, minor, patch] = header_version();
    let version = format!("{major}.{minor}.{patch}");
    assert_eq!(c_str(runlen_version()), version);
    assert_eq!(manifest_version(CAPI_MANIFEST), version);
    assert_eq!(
        manifest_version(CORE_MANIFEST),
        version,
        "runlen and runlen-capi differ"
    );
}

/// `typedef struct NAME { uint64_t opaque[N]; } NAME;` in the header and
/// `pub struct NAME { opaque: [u64; N] }` in the source name the same (name, N) pairs, and
/// the Rust types have the C layout that gives.
#[test]
fn header_declares_exactly_the_state_types() {
    let mut header = BTreeMap::new();
    for line in strip_c_comments(HEADER).lines().map(squash) {
        let Some(rest) = line.strip_prefix("typedef struct ") else {
            continue;
        };
        let (name, rest) = rest
            .split_once(" { uint64_t opaque[")
            .expect("an opaque state");
        let (words, rest) = rest.split_once("]; } ").unwrap();
        assert_eq!(rest, format!("{name};"), "typedef name");
        header.insert(name.to_string(), words.parse::<usize>().unwrap());
    }
    let mut source = BTreeMap::new();
    for file in SOURCES {
        let mut rest = file;
        while let Some(at) = rest.find("pub struct runlen_") {
            rest = &rest[at + "pub struct ".len()..];
            let (name, body) = rest.split_once(" {").unwrap();
            let body = squash(&body[..body.find('}').unwrap()]);
            let words = body
                .strip_prefix("pub(crate) opaque: [u64; ")
                .and_then(|b| b.strip_suffix("],"))
                .unwrap_or_else(|| panic!("{name}: not an opaque state: {body}"));
            let before = &file[..file.len() - rest.len()];
            assert!(
                before.trim_end().ends_with("#[repr(C)]\npub struct"),
                "{name} repr(C)"
            );
            source.insert(name.to_string(), words.parse::<usize>().unwrap());
        }
    }
    assert_eq!(header, source);
    assert!(header.contains_key("runlen_encoder"));
    assert!(header.contains_key("runlen_decoder"));
    assert_eq!(size_of::<runlen_decoder>(), 32);
    assert_eq!(align_of::<runlen_decoder>(), align_of::<u64>());
    assert_eq!(size_of::<runlen_encoder>(), 32);
    assert_eq!(align_of::<runlen_encoder>(), align_of::<u64>());
}
