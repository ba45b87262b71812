//! Streaming from C: `runlen_encoder` and `runlen_decoder`, states the caller allocates.
//!
//! A state is a fixed-size, 8-byte-aligned block of opaque words in which the Rust
//! `Encoder` / `Decoder` is stored as is. Both are `Copy` (no `Drop`, no pointer into
//! themselves; [`State`] requires it and checks size and alignment at compile time), which
//! is what makes a `memcpy`'d state a valid, independent state. A state must have been set
//! up by its `*_init` function (or be a copy of one that was) before any other call; it is
//! valid only within the running program (both hold a pointer to this library's static
//! data).

use core::ffi::c_int;
use core::mem::{align_of, size_of};

use runlen_core::{Decoder, Encoder, Error};

use crate::{
    RUNLEN_ERR_NULL_POINTER, RUNLEN_OK, check_buffers, finish, input_slice, outcome, output_slice,
};

/// Caller-allocated state of a streaming encoder (C: `runlen_encoder`); set it up with
/// `runlen_encoder_init`. Its contents are private.
#[allow(non_camel_case_types)]
#[repr(C)]
pub struct runlen_encoder {
    pub(crate) opaque: [u64; 4],
}

/// Caller-allocated state of a streaming decoder (C: `runlen_decoder`); set it up with
/// `runlen_decoder_init`. Its contents are private.
#[allow(non_camel_case_types)]
#[repr(C)]
pub struct runlen_decoder {
    pub(crate) opaque: [u64; 4],
}

/// A C stream state and the Rust value it holds, stored as is at its start.
trait State: Sized {
    /// `Copy`: no `Drop` and nothing a bitwise copy would invalidate, which is what makes a
    /// `memcpy`'d C state a valid, independent state.
    type Rust: Copy;
    /// The C state with every byte zero.
    const ZERO: Self;
    /// Compile-time proof that the Rust value fits in the C state and is aligned by it;
    /// evaluated by the `const _` items below and by every access.
    const FITS: () = {
        assert!(
            size_of::<Self::Rust>() <= size_of::<Self>(),
            "state too large"
        );
        assert!(
            align_of::<Self::Rust>() <= align_of::<Self>(),
            "state under-aligned"
        );
    };
}

impl State for runlen_encoder {
    type Rust = Encoder;
    const ZERO: Self = runlen_encoder { opaque: [0; 4] };
}

impl State for runlen_decoder {
    type Rust = Decoder;
    const ZERO: Self = runlen_decoder { opaque: [0; 4] };
}

const _: () = <runlen_encoder as State>::FITS;
const _: () = <runlen_decoder as State>::FITS;

/// Stores `value` in `*state` (a NULL `state` is ignored), every other byte zero so that a
/// copy of the state copies no uninitialised byte.
///
/// # Safety
/// `state` is NULL or valid for writes of one `S`.
unsafe fn init<S: State>(state: *mut S, value: S::Rust) {
    let () = S::FITS;
    if state.is_null() {
        return;
    }
    // SAFETY: `state` is non-NULL and valid for writes (the caller's contract), and
    // aligned for `S::Rust`, which fits in it (`S::FITS`).
    unsafe {
        state.write(S::ZERO);
        state.cast::<S::Rust>().write(value);
    }
}

/// The Rust value stored in `state`.
///
/// # Safety
/// `state` is non-NULL, aligned, valid for reads and writes, holds a value written by
/// [`init`] (or a copy of such a state) and is accessed through no other pointer for `'a`.
unsafe fn rust_state<'a, S: State>(state: *mut S) -> &'a mut S::Rust {
    let () = S::FITS;
    // SAFETY: the caller's contract; `S::FITS` makes the layout fit.
    unsafe { &mut *state.cast::<S::Rust>() }
}

/// `runlen_encoder_finish` and `runlen_decoder_finish`: the argument checks, then `finish`
/// of the Rust state, its result stored through `written`.
///
/// # Safety
/// `state` is NULL or an initialised state; `written` is NULL or valid for a write of one
/// `size_t`; `out` is NULL or valid for reads and writes of `out_len` bytes; no two of
/// `*state`, `out` and `*written` overlap.
unsafe fn finish_stream<S: State>(
    state: *mut S,
    out: *mut u8,
    out_len: usize,
    written: *mut usize,
    finish_rust: fn(&mut S::Rust, &mut [u8]) -> Result<usize, Error>,
) -> c_int {
    if written.is_null() {
        return RUNLEN_ERR_NULL_POINTER;
    }
    let result = check_buffers(&[(state.is_null(), 1), (out.is_null(), out_len)])
        .map(|()| {
            // SAFETY: checked above: `state` is non-NULL, `out` non-NULL unless empty and
            // within isize::MAX; validity and no overlap are the caller's contract.
            let (state, out) = unsafe { (rust_state(state), output_slice(out, out_len)) };
            outcome(finish_rust(state, out))
        })
        .unwrap_or_else(|code| (code, 0));
    // SAFETY: `written` is non-NULL (checked) and valid (the caller's contract).
    unsafe { finish(written, result) }
}

/// Sets up `*enc` as a new encoder with no open run (using the best backend); a NULL `enc`
/// is ignored. Call it before any other use of the state; it may also reset a used one.
///
/// # Safety
/// `enc` is NULL or valid for writes of one `runlen_encoder`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn runlen_encoder_init(enc: *mut runlen_encoder) {
    // SAFETY: the caller's contract is `init`'s.
    unsafe { init(enc, Encoder::new()) }
}

/// Encodes the chunk `input[..input_len]` into `out[..out_len]`, holding back the run still
/// open at its end, and stores the length written in `*written`. Feeding any split of an
/// input, then calling `runlen_encoder_finish`, gives exactly `runlen_encode` of the whole.
///
/// Returns `RUNLEN_OK`; `RUNLEN_ERR_OUTPUT_TOO_SMALL` with `*written` = the length needed
/// (`runlen_max_encoded_len(input_len)` always suffices), the encoder unchanged;
/// `RUNLEN_ERR_NULL_POINTER` for a NULL `enc` or `written` or a NULL buffer with a non-zero
/// length; `RUNLEN_ERR_OVERFLOW` for a length above `PTRDIFF_MAX`.
///
/// # Safety
/// `enc` is NULL or an initialised state; `written` is NULL or valid for a write of one
/// `size_t`; each non-NULL buffer is valid for its length (`out` for reads and writes); no
/// two of `*enc`, `out`, `input` and `*written` overlap.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn runlen_encoder_chunk(
    enc: *mut runlen_encoder,
    out: *mut u8,
    out_len: usize,
    input: *const u8,
    input_len: usize,
    written: *mut usize,
) -> c_int {
    if written.is_null() {
        return RUNLEN_ERR_NULL_POINTER;
    }
    let result = check_buffers(&[
        (enc.is_null(), 1),
        (out.is_null(), out_len),
        (input.is_null(), input_len),
    ])
    .map(|()| {
        // SAFETY: checked above: `enc` is non-NULL, the buffers are non-NULL unless empty
        // and within isize::MAX; validity and no overlap are the caller's contract.
        let (enc, out, input) = unsafe {
            (
                rust_state(enc),
                output_slice(out, out_len),
                input_slice(input, input_len),
            )
        };
        outcome(enc.encode_chunk(out, input))
    })
    .unwrap_or_else(|code| (code, 0));
    // SAFETY: `written` is non-NULL (checked) and valid (the caller's contract).
    unsafe { finish(written, result) }
}

/// Writes the run still open (0 or 2 bytes) into `out[..out_len]`, stores the length
/// written in `*written` and makes the encoder new.
///
/// Returns `RUNLEN_OK`; `RUNLEN_ERR_OUTPUT_TOO_SMALL` with `*written` = 2, the encoder
/// unchanged; `RUNLEN_ERR_NULL_POINTER` for a NULL `enc` or `written` or a NULL `out` with a
/// non-zero length; `RUNLEN_ERR_OVERFLOW` for an `out_len` above `PTRDIFF_MAX`.
///
/// # Safety
/// As `runlen_encoder_chunk`, without the input.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn runlen_encoder_finish(
    enc: *mut runlen_encoder,
    out: *mut u8,
    out_len: usize,
    written: *mut usize,
) -> c_int {
    // SAFETY: the caller's contract is `finish_stream`'s.
    unsafe { finish_stream(enc, out, out_len, written, Encoder::finish) }
}

/// Sets up `*dec` as a new decoder (using the best backend); a NULL `dec` is ignored. Call
/// it before any other use of the state; it may also reset a used one.
///
/// # Safety
/// `dec` is NULL or valid for writes of one `runlen_decoder`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn runlen_decoder_init(dec: *mut runlen_decoder) {
    // SAFETY: the caller's contract is `init`'s.
    unsafe { init(dec, Decoder::new()) }
}

/// Decodes from the chunk `encoded[..encoded_len]` into `out[..out_len]` as much as fits:
/// first what the decoder holds from earlier chunks, then the runs of the chunk's pairs in
/// order. A run that does not fit whole, and a lone last byte (half a pair), are consumed and
/// held. Stores the bytes of `encoded` consumed in `*consumed` and the bytes written in
/// `*written`; on success `*consumed == encoded_len` or `*written == out_len`, so an `out`
/// of any non-zero length makes progress. Feeding any split of a valid encoding, with any
/// `out` sizes, then draining with `runlen_decoder_finish`, gives exactly `runlen_decode`
/// of the whole. Bytes of `out` past `*written` may be overwritten and on error `out`'s
/// contents are unspecified; nothing past `out_len` ever is.
///
/// Returns `RUNLEN_OK`; `RUNLEN_ERR_ZERO_COUNT` with `*written` = the offset of the pair
/// with count 0, counted from the start of the stream, the decoder unchanged;
/// `RUNLEN_ERR_NULL_POINTER` for a NULL `dec`, `consumed` or `written`, or a NULL buffer
/// with a non-zero length; `RUNLEN_ERR_OVERFLOW` for a length above `PTRDIFF_MAX`. On every
/// error `*consumed` is 0 (when `consumed` is not NULL).
///
/// # Safety
/// `dec` is NULL or an initialised state; `consumed` and `written` are NULL or valid for a
/// write of one `size_t`; each non-NULL buffer is valid for its length (`out` for reads and
/// writes); no two of `*dec`, `out`, `encoded`, `*consumed` and `*written` overlap.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn runlen_decoder_chunk(
    dec: *mut runlen_decoder,
    out: *mut u8,
    out_len: usize,
    encoded: *const u8,
    encoded_len: usize,
    consumed: *mut usize,
    written: *mut usize,
) -> c_int {
    if consumed.is_null() || written.is_null() {
        for param in [consumed, written] {
            if !param.is_null() {
                // SAFETY: non-NULL, and valid by the caller's contract.
                unsafe { param.write(0) };
            }
        }
        return RUNLEN_ERR_NULL_POINTER;
    }
    let (code, taken, value) = check_buffers(&[
        (dec.is_null(), 1),
        (out.is_null(), out_len),
        (encoded.is_null(), encoded_len),
    ])
    .map(|()| {
        // SAFETY: checked above: `dec` is non-NULL, the buffers are non-NULL unless empty
        // and within isize::MAX; validity and no overlap are the caller's contract.
        let (dec, out, encoded) = unsafe {
            (
                rust_state(dec),
                output_slice(out, out_len),
                input_slice(encoded, encoded_len),
            )
        };
        match dec.decode_chunk(out, encoded) {
            Ok((taken, n)) => (RUNLEN_OK, taken, n),
            Err(error) => {
                let (code, value) = outcome(Err(error));
                (code, 0, value)
            }
        }
    })
    .unwrap_or_else(|code| (code, 0, 0));
    // SAFETY: `consumed` and `written` are non-NULL (checked) and valid (the caller's
    // contract).
    unsafe {
        consumed.write(taken);
        finish(written, (code, value))
    }
}

/// Writes what the decoder holds (at most 255 bytes) into `out[..out_len]`, stores the
/// length written in `*written` and makes the decoder new.
///
/// Returns `RUNLEN_OK`; `RUNLEN_ERR_TRUNCATED_PAIR` if it holds half a pair (the stream
/// ended inside a pair); else `RUNLEN_ERR_OUTPUT_TOO_SMALL` with `*written` = the length
/// needed; `RUNLEN_ERR_NULL_POINTER` for a NULL `dec` or `written` or a NULL `out` with a
/// non-zero length; `RUNLEN_ERR_OVERFLOW` for an `out_len` above `PTRDIFF_MAX`. On error the
/// decoder is unchanged.
///
/// # Safety
/// As `runlen_decoder_chunk`, without the input.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn runlen_decoder_finish(
    dec: *mut runlen_decoder,
    out: *mut u8,
    out_len: usize,
    written: *mut usize,
) -> c_int {
    // SAFETY: the caller's contract is `finish_stream`'s.
    unsafe { finish_stream(dec, out, out_len, written, Decoder::finish) }
}
