//! `encode_unchecked` checks its safety contract with `debug_assert!`: in a debug build a
//! too-small `out` panics before anything is written, instead of being undefined behaviour.
//! Release builds compile none of this (the check is gone there, by design).
#![cfg(debug_assertions)]

/// The start of the `debug_assert!` message in `src/engine.rs`.
const MESSAGE: &str = "runlen::encode_unchecked: output buffer of";

/// Calls `encode_unchecked` with `out_len` bytes for `input`, which breaks the contract
/// whenever `out_len < 2 * input.len()`.
fn call(out_len: usize, input: &[u8]) -> usize {
    let mut out = vec![0u8; out_len];
    // SAFETY: deliberately NOT upheld (out is shorter than max_encoded_len) in the
    // should_panic tests; it is sound only because this file is compiled with debug
    // assertions, and the `debug_assert!` at the top of `encode_unchecked` panics before
    // any byte is written.
    unsafe { runlen::encode_unchecked(&mut out, input) }
}

#[test]
#[should_panic(expected = "runlen::encode_unchecked: output buffer of")]
fn one_byte_short_panics() {
    // All boundaries, so the encoding really needs all 2n bytes.
    let input: Vec<u8> = (0..100u8).collect();
    call(2 * input.len() - 1, &input);
}

#[test]
#[should_panic(
    expected = "runlen::encode_unchecked: output buffer of 3 bytes is shorter than max_encoded_len = 4"
)]
fn message_names_both_lengths() {
    call(3, b"ab");
}

/// The contract is `max_encoded_len`, not the exact encoded length: an input that
/// compresses well still needs `2n` bytes of `out`, and a debug build says so.
#[test]
#[should_panic(expected = "runlen::encode_unchecked: output buffer of")]
fn exact_length_is_not_enough() {
    let input = [9u8; 64];
    call(runlen::encoded_len(&input), &input);
}

#[test]
#[should_panic(expected = "runlen::encode_unchecked: output buffer of 0 bytes")]
fn empty_out_for_one_byte_panics() {
    call(0, b"x");
}

/// The boundary case passes: exactly `max_encoded_len` is within the contract.
#[test]
fn exactly_max_encoded_len_is_fine() {
    let input: Vec<u8> = (0..100u8).collect();
    assert_eq!(call(2 * input.len(), &input), 2 * input.len());
    assert_eq!(call(0, b""), 0);
}

#[test]
fn message_constant_matches() {
    let r = std::panic::catch_unwind(|| call(1, b"ab"));
    let err = r.expect_err("debug build must panic");
    let msg = err
        .downcast_ref::<String>()
        .map(String::as_str)
        .unwrap_or_default();
    assert!(msg.starts_with(MESSAGE), "{msg}");
}
