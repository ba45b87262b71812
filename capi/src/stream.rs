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

use runlen_core::Encoder;

use crate::{RUNLEN_ERR_NULL_POINTER, check_buffers, finish, input_slice, outcome, output_slice};

/// Caller-allocated state of a streaming encoder (C: `runlen_encoder`); set it up with
/// `runlen_encoder_init`. Its contents are private.
#[allow(non_camel_case_types)]
#[repr(C)]
pub struct runlen_encoder {
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
