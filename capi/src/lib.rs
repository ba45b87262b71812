//! The C ABI of runlen: `librunlen.a` and `librunlen.so`, declared by `include/runlen.h`.
//!
//! Every function here is a thin shell around the checked entry points of the core crate
//! (`try_encode`, `decoded_len`, `decode`, `Encoder`, `Decoder`), except
//! `runlen_encode_unchecked`, which is `encode_unchecked` and keeps its contract. The shell
//! turns C's (pointer, length) pairs into slices and `Result`s into the error codes of
//! `runlen.h`:
//!
//! - a NULL pointer with a zero length is an empty buffer;
//! - a NULL pointer with a non-zero length, a NULL out-parameter or a NULL stream state is
//!   `RUNLEN_ERR_NULL_POINTER`;
//! - a length above `isize::MAX` (`PTRDIFF_MAX`), which no C object and no Rust slice can
//!   have, is `RUNLEN_ERR_OVERFLOW` rather than undefined behaviour;
//! - the out-parameter gets the length written on success, the length needed on
//!   `RUNLEN_ERR_OUTPUT_TOO_SMALL`, the pair's offset on `RUNLEN_ERR_ZERO_COUNT`, the
//!   packet's header offset on `RUNLEN_ERR_TRUNCATED_PACKET` (PackBits) and 0 on every other
//!   error.
//!
//! These argument checks come before the format's own errors, whose precedence is that of
//! the core crate (odd length, then the first zero count, then overflow, then room).
//!
//! The code uses only `core` and allocates nothing. On a hosted target (an OS) the library
//! links `std`, for its panic handler: rustc requires a staticlib or cdylib to have one, and
//! without `std` on stable Rust that also needs `panic = "abort"` and a `core` built for it.
//! On a bare-metal target (`target_os = "none"`, whose targets all abort on panic) it is
//! `no_std` and brings its own panic handler, see [`panic`]. No path here is expected to
//! panic: the checked entry points return errors instead, and every length is validated
//! before a slice is made. Should a panic happen anyway on a hosted target, it cannot unwind
//! into C: since Rust 1.81 a panic that reaches an `extern "C"` function aborts the process.
#![no_std]
#![deny(
    missing_docs,
    unsafe_op_in_unsafe_fn,
    clippy::undocumented_unsafe_blocks,
    clippy::missing_safety_doc
)]

// The hosted library's panic handler (see the crate documentation).
#[cfg(any(test, not(target_os = "none")))]
extern crate std;

mod packbits;
#[cfg(target_os = "none")]
mod panic;
mod stream;

pub use packbits::*;
pub use stream::*;

use core::ffi::{CStr, c_char, c_int};
use core::mem::MaybeUninit;

use runlen_core::{Backend, Error};

/// Success.
pub const RUNLEN_OK: c_int = 0;
/// The output buffer is too small; the out-parameter is set to the length needed.
pub const RUNLEN_ERR_OUTPUT_TOO_SMALL: c_int = -1;
/// The encoded input has an odd length (its last pair is cut).
pub const RUNLEN_ERR_TRUNCATED_PAIR: c_int = -2;
/// A pair has count 0; the out-parameter is set to the pair's byte offset.
pub const RUNLEN_ERR_ZERO_COUNT: c_int = -3;
/// A NULL pointer with a non-zero length, or a NULL out-parameter.
pub const RUNLEN_ERR_NULL_POINTER: c_int = -4;
/// A length that does not fit in `size_t` (or a buffer length above `PTRDIFF_MAX`).
pub const RUNLEN_ERR_OVERFLOW: c_int = -5;
/// PackBits: a packet is cut off by the end of the input; the out-parameter is set to its
/// header's byte offset.
pub const RUNLEN_ERR_TRUNCATED_PACKET: c_int = -6;

/// The longest length a buffer passed from C may claim: no object is larger, and
/// `slice::from_raw_parts` requires it.
const MAX_BUFFER: usize = isize::MAX as usize;

/// Outcome of a call: the status code and the value for the out-parameter.
type Outcome = (c_int, usize);

/// Maps a result of the core crate to a status code and the out-parameter's value.
fn outcome(result: Result<usize, Error>) -> Outcome {
    match result {
        Ok(n) => (RUNLEN_OK, n),
        Err(Error::OutputTooSmall { needed }) => (RUNLEN_ERR_OUTPUT_TOO_SMALL, needed),
        Err(Error::TruncatedPair) => (RUNLEN_ERR_TRUNCATED_PAIR, 0),
        Err(Error::ZeroCount { offset }) => (RUNLEN_ERR_ZERO_COUNT, offset),
        Err(Error::LengthOverflow) => (RUNLEN_ERR_OVERFLOW, 0),
        Err(Error::TruncatedPacket { offset }) => (RUNLEN_ERR_TRUNCATED_PACKET, offset),
        // `UnsupportedBackend` comes only from `encode_with`, which nothing here calls; the
        // enum is non-exhaustive, so a variant added later lands here until it gets a code.
        // OVERFLOW is the one code that claims nothing about the caller's data.
        Err(_) => (RUNLEN_ERR_OVERFLOW, 0),
    }
}

/// Checks C buffer arguments, all NULL checks before all length checks so the reported
/// error does not depend on argument order.
fn check_buffers(buffers: &[(bool, usize)]) -> Result<(), c_int> {
    if buffers.iter().any(|&(is_null, len)| is_null && len != 0) {
        return Err(RUNLEN_ERR_NULL_POINTER);
    }
    if buffers.iter().any(|&(_, len)| len > MAX_BUFFER) {
        return Err(RUNLEN_ERR_OVERFLOW);
    }
    Ok(())
}

/// A C input buffer as a slice; a zero length never touches the pointer (it may be NULL).
///
/// # Safety
/// `len <= isize::MAX`, and if `len != 0`, `ptr` is non-NULL and valid for reads of `len`
/// bytes, not written through any other pointer for `'a`.
unsafe fn input_slice<'a>(ptr: *const u8, len: usize) -> &'a [u8] {
    if len == 0 {
        return &[];
    }
    // SAFETY: the caller guarantees a non-NULL pointer valid for `len <= isize::MAX` bytes
    // that nothing writes meanwhile; `u8` needs no alignment.
    unsafe { core::slice::from_raw_parts(ptr, len) }
}

/// A C output buffer as a mutable slice; a zero length never touches the pointer.
///
/// # Safety
/// `len <= isize::MAX`, and if `len != 0`, `ptr` is non-NULL and valid for reads and writes
/// of `len` bytes, accessed through no other pointer for `'a`.
unsafe fn output_slice<'a>(ptr: *mut u8, len: usize) -> &'a mut [u8] {
    if len == 0 {
        return &mut [];
    }
    // SAFETY: the caller guarantees a non-NULL pointer valid for reads and writes of
    // `len <= isize::MAX` bytes with no other access meanwhile; `u8` needs no alignment.
    unsafe { core::slice::from_raw_parts_mut(ptr, len) }
}

/// A C output buffer of a one-shot call as possibly uninitialized bytes (a fresh `malloc`
/// need not be written first); a zero length never touches the pointer.
///
/// # Safety
/// `len <= isize::MAX`, and if `len != 0`, `ptr` is non-NULL and valid for writes of `len`
/// bytes, accessed through no other pointer for `'a`.
unsafe fn output_uninit<'a>(ptr: *mut u8, len: usize) -> &'a mut [MaybeUninit<u8>] {
    if len == 0 {
        return &mut [];
    }
    // SAFETY: the caller guarantees a non-NULL pointer valid for writes of
    // `len <= isize::MAX` bytes with no other access meanwhile; `MaybeUninit<u8>` needs no
    // alignment and accepts any contents, written or not.
    unsafe { core::slice::from_raw_parts_mut(ptr.cast::<MaybeUninit<u8>>(), len) }
}

/// Stores `outcome` through a non-NULL out-parameter and returns the status code. The
/// buffers' slices are dead by now, so even an out-parameter inside a buffer aliases
/// nothing live.
///
/// # Safety
/// `out_param` is non-NULL, aligned and valid for a write of one `size_t`.
unsafe fn finish(out_param: *mut usize, (code, value): Outcome) -> c_int {
    // SAFETY: the caller guarantees a valid, aligned, non-NULL pointer.
    unsafe { out_param.write(value) };
    code
}

/// The body of every function that reads `input[..input_len]` and writes
/// `out[..out_len]`: the NULL and length checks, the slices, then `f`'s outcome stored in
/// `*written`.
///
/// # Safety
/// `written` is NULL or valid for a write of one `size_t`; each non-NULL buffer is valid
/// for its length (`out` for writes: it need not be initialized); `out` overlaps neither `input` nor
/// `*written`.
pub(crate) unsafe fn transform(
    out: *mut u8,
    out_len: usize,
    input: *const u8,
    input_len: usize,
    written: *mut usize,
    f: impl for<'o> FnOnce(&'o mut [MaybeUninit<u8>], &[u8]) -> Result<&'o mut [u8], Error>,
) -> c_int {
    if written.is_null() {
        return RUNLEN_ERR_NULL_POINTER;
    }
    let result = check_buffers(&[(out.is_null(), out_len), (input.is_null(), input_len)])
        .map(|()| {
            // SAFETY: checked above: non-NULL unless the length is 0, lengths within
            // isize::MAX; validity and no overlap are the caller's contract.
            let (out, input) =
                unsafe { (output_uninit(out, out_len), input_slice(input, input_len)) };
            outcome(f(out, input).map(|written| written.len()))
        })
        .unwrap_or_else(|code| (code, 0));
    // SAFETY: `written` is non-NULL (checked) and valid (the caller's contract).
    unsafe { finish(written, result) }
}

/// The body of every function that reads `input[..input_len]` and stores a length in
/// `*len`: the NULL and length checks, the slice, then `f`'s outcome.
///
/// # Safety
/// `len` is NULL or valid for a write of one `size_t`; `input` is NULL or valid for reads
/// of `input_len` bytes.
pub(crate) unsafe fn measure(
    input: *const u8,
    input_len: usize,
    len: *mut usize,
    f: impl FnOnce(&[u8]) -> Result<usize, Error>,
) -> c_int {
    if len.is_null() {
        return RUNLEN_ERR_NULL_POINTER;
    }
    let result = check_buffers(&[(input.is_null(), input_len)])
        .map(|()| {
            // SAFETY: checked above: non-NULL unless the length is 0, length within
            // isize::MAX; validity is the caller's contract.
            outcome(f(unsafe { input_slice(input, input_len) }))
        })
        .unwrap_or_else(|code| (code, 0));
    // SAFETY: `len` is non-NULL (checked) and valid (the caller's contract).
    unsafe { finish(len, result) }
}

/// The most bytes encoding `input_len` bytes can take: `2 * input_len`, saturating at
/// `SIZE_MAX`.
#[unsafe(no_mangle)]
pub extern "C" fn runlen_max_encoded_len(input_len: usize) -> usize {
    runlen_core::max_encoded_len(input_len)
}

/// The exact length of the encoding of `input[..input_len]`; 0 if `input` is NULL; for an
/// `input_len` above `PTRDIFF_MAX` (which no buffer can have), `SIZE_MAX`.
///
/// # Safety
/// Unless `input` is NULL or `input_len` is 0 or above `PTRDIFF_MAX`, `input` must be valid
/// for reads of `input_len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn runlen_encoded_len(input: *const u8, input_len: usize) -> usize {
    if input.is_null() {
        return 0;
    }
    if input_len > MAX_BUFFER {
        return runlen_core::max_encoded_len(input_len);
    }
    // SAFETY: `input` is non-NULL, `input_len <= isize::MAX`, and the caller guarantees
    // `input_len` readable bytes.
    let input = unsafe { input_slice(input, input_len) };
    runlen_core::encoded_len(input)
}

/// Encodes `input[..input_len]` into `out[..out_len]` and stores the length written in
/// `*written`. Bytes of `out` past `*written` may be overwritten; nothing past `out_len` is.
///
/// Returns `RUNLEN_OK`; `RUNLEN_ERR_OUTPUT_TOO_SMALL` with `*written` set to the exact
/// length needed (`out_len >= runlen_max_encoded_len(input_len)` always suffices);
/// `RUNLEN_ERR_NULL_POINTER` for a NULL `written` or a NULL buffer with a non-zero length;
/// `RUNLEN_ERR_OVERFLOW` for a length above `PTRDIFF_MAX`.
///
/// # Safety
/// `written` is NULL or valid for a write of one `size_t`; each non-NULL buffer is valid for
/// its length (`out` for reads and writes); `out` overlaps neither `input` nor `*written`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn runlen_encode(
    out: *mut u8,
    out_len: usize,
    input: *const u8,
    input_len: usize,
    written: *mut usize,
) -> c_int {
    // SAFETY: the caller's contract is `transform`'s.
    unsafe {
        transform(
            out,
            out_len,
            input,
            input_len,
            written,
            runlen_core::encode_uninit,
        )
    }
}

/// Encodes `input[..input_len]` into `out` without bounds checks and returns the length
/// written; the fastest path, like the numba tutorial's compiled loop.
///
/// # Safety
/// Unless `input_len` is 0: `input` is valid for reads of `input_len` bytes, and `out` for
/// reads and writes of `runlen_max_encoded_len(input_len)` = `2 * input_len` bytes (so
/// `2 * input_len <= PTRDIFF_MAX`), not overlapping `input`. Nothing of this is checked.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn runlen_encode_unchecked(
    out: *mut u8,
    input: *const u8,
    input_len: usize,
) -> usize {
    if input_len == 0 {
        return 0;
    }
    // SAFETY: the caller guarantees `input_len` readable bytes at `input` and
    // `2 * input_len` writable bytes at `out`, disjoint and within isize::MAX.
    unsafe {
        let input = input_slice(input, input_len);
        let out = output_slice(out, runlen_core::max_encoded_len(input_len));
        runlen_core::encode_unchecked(out, input)
    }
}

/// Validates `encoded[..encoded_len]` and stores its decoded length in `*len`.
///
/// Returns `RUNLEN_OK`; `RUNLEN_ERR_TRUNCATED_PAIR` for an odd length; else
/// `RUNLEN_ERR_ZERO_COUNT` with `*len` set to the byte offset of the first pair with count
/// 0; else `RUNLEN_ERR_OVERFLOW` if the total exceeds `SIZE_MAX` (or `encoded_len` exceeds
/// `PTRDIFF_MAX`); `RUNLEN_ERR_NULL_POINTER` for a NULL `len` or a NULL `encoded` with a
/// non-zero length. `*len` is 0 on every other error.
///
/// # Safety
/// `len` is NULL or valid for a write of one `size_t`; `encoded` is NULL or valid for reads
/// of `encoded_len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn runlen_decoded_len(
    encoded: *const u8,
    encoded_len: usize,
    len: *mut usize,
) -> c_int {
    // SAFETY: the caller's contract is `measure`'s.
    unsafe { measure(encoded, encoded_len, len, runlen_core::decoded_len) }
}

/// Decodes the pairs `encoded[..encoded_len]` into `out[..out_len]` and stores the length
/// written in `*written`. On error `out`'s contents are unspecified, and on success bytes
/// past `*written` may be overwritten (the core crate validates and expands in one pass);
/// nothing past `out_len` ever is.
///
/// Returns `RUNLEN_OK`; `RUNLEN_ERR_TRUNCATED_PAIR`, `RUNLEN_ERR_ZERO_COUNT` (`*written` =
/// offset) and `RUNLEN_ERR_OVERFLOW` as `runlen_decoded_len`; then
/// `RUNLEN_ERR_OUTPUT_TOO_SMALL` with `*written` set to the decoded length;
/// `RUNLEN_ERR_NULL_POINTER` for a NULL `written` or a NULL buffer with a non-zero length.
///
/// # Safety
/// `written` is NULL or valid for a write of one `size_t`; each non-NULL buffer is valid for
/// its length (`out` for reads and writes); `out` overlaps neither `encoded` nor `*written`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn runlen_decode(
    out: *mut u8,
    out_len: usize,
    encoded: *const u8,
    encoded_len: usize,
    written: *mut usize,
) -> c_int {
    // SAFETY: the caller's contract is `transform`'s.
    unsafe {
        transform(
            out,
            out_len,
            encoded,
            encoded_len,
            written,
            runlen_core::decode_uninit,
        )
    }
}

/// The static NUL-terminated name of a backend (`Backend::name` plus the NUL).
fn backend_name(backend: Backend) -> &'static CStr {
    match backend {
        Backend::Scalar => c"scalar",
        Backend::Sse2 => c"sse2",
        Backend::Avx2 => c"avx2",
        Backend::Avx512 => c"avx512",
        Backend::Neon => c"neon",
        // Non-exhaustive: a backend added later without a name here.
        _ => c"unknown",
    }
}

/// The name of the backend encoding uses on this CPU (`"scalar"`, `"sse2"`, `"avx2"`,
/// `"avx512"` or `"neon"`): a static NUL-terminated string, never NULL, not to be freed.
#[unsafe(no_mangle)]
pub extern "C" fn runlen_backend() -> *const c_char {
    backend_name(Backend::best()).as_ptr()
}

/// A static NUL-terminated description of a status code, for any `int` (unknown codes get
/// a generic text); never NULL, not to be freed.
#[unsafe(no_mangle)]
pub extern "C" fn runlen_strerror(code: c_int) -> *const c_char {
    let text = match code {
        RUNLEN_OK => c"success",
        RUNLEN_ERR_OUTPUT_TOO_SMALL => c"output buffer too small",
        RUNLEN_ERR_TRUNCATED_PAIR => c"encoded input has odd length: truncated pair",
        RUNLEN_ERR_ZERO_COUNT => c"a pair has count 0",
        RUNLEN_ERR_NULL_POINTER => c"NULL pointer with a non-zero length, or NULL out-parameter",
        RUNLEN_ERR_OVERFLOW => c"length does not fit in size_t",
        RUNLEN_ERR_TRUNCATED_PACKET => c"a packet is cut off by the end of the input",
        _ => c"unknown runlen status code",
    };
    text.as_ptr()
}

/// The library's version, `"MAJOR.MINOR.PATCH"`, as Cargo.toml gives it.
const VERSION: &CStr =
    match CStr::from_bytes_with_nul(concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes()) {
        Ok(version) => version,
        Err(_) => panic!("the package version contains a NUL"),
    };

/// The library's version, `"MAJOR.MINOR.PATCH"` (`RUNLEN_VERSION_MAJOR` etc. of the header
/// it was built with): a static NUL-terminated string, never NULL, not to be freed.
#[unsafe(no_mangle)]
pub extern "C" fn runlen_version() -> *const c_char {
    VERSION.as_ptr()
}

#[cfg(test)]
mod tests;
