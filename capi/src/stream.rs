//! Streaming from C: `runlen_encoder` and `runlen_decoder`, states the caller allocates.
//!
//! A state is a fixed-size, 8-byte-aligned block of opaque words in which the Rust
//! `Encoder` / `Decoder` is stored as is. Both are `Copy` (no `Drop`, no pointer into
//! themselves; the compile-time assertions below hold this file to it), which is what makes
//! a `memcpy`'d state a valid, independent state. A state must have been set up by its
//! `*_init` function (or be a copy of one that was) before any other call; it is valid only
//! within the running program (the decoder may hold a function pointer of this library).

use core::ffi::c_int;
use core::mem::{align_of, needs_drop, size_of};

use runlen_core::{Decoder, Encoder};

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

/// `T` may be duplicated bit for bit: no `Drop`, nothing that a copy would invalidate.
const fn assert_copy<T: Copy>() {}

/// The Rust state fits in the C state, is aligned by it and may be copied with `memcpy`.
macro_rules! assert_fits {
    ($rust:ty, $c:ty) => {
        const _: () = {
            assert!(size_of::<$rust>() <= size_of::<$c>(), "state too large");
            assert!(
                align_of::<$rust>() <= align_of::<$c>(),
                "state under-aligned"
            );
            assert!(!needs_drop::<$rust>());
            assert_copy::<$rust>();
        };
    };
}
assert_fits!(Encoder, runlen_encoder);
assert_fits!(Decoder, runlen_decoder);

/// The encoder stored in `state`.
///
/// # Safety
/// `state` is non-NULL, aligned, valid for reads and writes, holds an encoder written by
/// `runlen_encoder_init` (or a copy of one) and is accessed through no other pointer for
/// `'a`.
unsafe fn encoder<'a>(state: *mut runlen_encoder) -> &'a mut Encoder {
    // SAFETY: the caller's contract; the assertions above make the layout fit.
    unsafe { &mut *state.cast::<Encoder>() }
}

/// Sets up `*enc` as a new encoder with no open run (using the best backend); a NULL `enc`
/// is ignored. Call it before any other use of the state; it may also reset a used one.
///
/// # Safety
/// `enc` is NULL or valid for writes of one `runlen_encoder`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn runlen_encoder_init(enc: *mut runlen_encoder) {
    if enc.is_null() {
        return;
    }
    // SAFETY: `enc` is non-NULL and valid for writes (the caller's contract), aligned for
    // `Encoder` (asserted at compile time). The words are zeroed first so that a copy of
    // the state copies no uninitialised byte.
    unsafe {
        enc.write(runlen_encoder { opaque: [0; 4] });
        enc.cast::<Encoder>().write(Encoder::new());
    }
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
                encoder(enc),
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
    if written.is_null() {
        return RUNLEN_ERR_NULL_POINTER;
    }
    let result = check_buffers(&[(enc.is_null(), 1), (out.is_null(), out_len)])
        .map(|()| {
            // SAFETY: checked above: `enc` is non-NULL, `out` non-NULL unless empty and
            // within isize::MAX; validity and no overlap are the caller's contract.
            let (enc, out) = unsafe { (encoder(enc), output_slice(out, out_len)) };
            outcome(enc.finish(out))
        })
        .unwrap_or_else(|code| (code, 0));
    // SAFETY: `written` is non-NULL (checked) and valid (the caller's contract).
    unsafe { finish(written, result) }
}

/// The decoder stored in `state`.
///
/// # Safety
/// As [`encoder`], for a state written by `runlen_decoder_init`.
unsafe fn decoder<'a>(state: *mut runlen_decoder) -> &'a mut Decoder {
    // SAFETY: the caller's contract; the assertions above make the layout fit.
    unsafe { &mut *state.cast::<Decoder>() }
}

/// Sets up `*dec` as a new decoder (using the best backend); a NULL `dec` is ignored. Call
/// it before any other use of the state; it may also reset a used one.
///
/// # Safety
/// `dec` is NULL or valid for writes of one `runlen_decoder`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn runlen_decoder_init(dec: *mut runlen_decoder) {
    if dec.is_null() {
        return;
    }
    // SAFETY: as in `runlen_encoder_init`: non-NULL, valid, aligned for `Decoder`.
    unsafe {
        dec.write(runlen_decoder { opaque: [0; 4] });
        dec.cast::<Decoder>().write(Decoder::new());
    }
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
                decoder(dec),
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
    if written.is_null() {
        return RUNLEN_ERR_NULL_POINTER;
    }
    let result = check_buffers(&[(dec.is_null(), 1), (out.is_null(), out_len)])
        .map(|()| {
            // SAFETY: checked above: `dec` is non-NULL, `out` non-NULL unless empty and
            // within isize::MAX; validity and no overlap are the caller's contract.
            let (dec, out) = unsafe { (decoder(dec), output_slice(out, out_len)) };
            outcome(dec.finish(out))
        })
        .unwrap_or_else(|code| (code, 0));
    // SAFETY: `written` is non-NULL (checked) and valid (the caller's contract).
    unsafe { finish(written, result) }
}
