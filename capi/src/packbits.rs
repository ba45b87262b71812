//! The PackBits functions of the C ABI (SPEC section 8): the signatures and out-parameter
//! rules of their pairs counterparts, with `RUNLEN_ERR_TRUNCATED_PACKET` (the out-parameter
//! is the cut packet's header offset) in place of the pairs' format errors.

use core::ffi::c_int;

use runlen_core::packbits;

use crate::{MAX_BUFFER, input_slice, measure, transform};

/// The most bytes encoding `input_len` bytes as PackBits can take: `n + ceil(n / 128)`,
/// saturating at `SIZE_MAX`.
#[unsafe(no_mangle)]
pub extern "C" fn runlen_packbits_max_encoded_len(input_len: usize) -> usize {
    packbits::max_encoded_len(input_len)
}

/// The exact length of the PackBits encoding of `input[..input_len]`; 0 if `input` is NULL;
/// `runlen_packbits_max_encoded_len(input_len)` for an `input_len` above `PTRDIFF_MAX`.
///
/// # Safety
/// Unless `input` is NULL or `input_len` is 0 or above `PTRDIFF_MAX`, `input` must be valid
/// for reads of `input_len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn runlen_packbits_encoded_len(input: *const u8, input_len: usize) -> usize {
    if input.is_null() {
        return 0;
    }
    if input_len > MAX_BUFFER {
        return packbits::max_encoded_len(input_len);
    }
    // SAFETY: `input` is non-NULL, `input_len <= isize::MAX`, and the caller guarantees
    // `input_len` readable bytes.
    let input = unsafe { input_slice(input, input_len) };
    packbits::encoded_len(input)
}

/// Encodes `input[..input_len]` as PackBits into `out[..out_len]`; as `runlen_encode`.
///
/// # Safety
/// As `runlen_encode`: `written` is NULL or valid for a write of one `size_t`; each
/// non-NULL buffer is valid for its length (`out` for reads and writes); `out` overlaps
/// neither `input` nor `*written`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn runlen_packbits_encode(
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
            packbits::encode_uninit,
        )
    }
}

/// Validates the PackBits `encoded[..encoded_len]` and sets `*len` to the decoded length.
///
/// # Safety
/// As `runlen_decoded_len`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn runlen_packbits_decoded_len(
    encoded: *const u8,
    encoded_len: usize,
    len: *mut usize,
) -> c_int {
    // SAFETY: the caller's contract is `measure`'s.
    unsafe { measure(encoded, encoded_len, len, packbits::decoded_len) }
}

/// Decodes the PackBits `encoded[..encoded_len]` into `out[..out_len]`; as `runlen_decode`.
///
/// # Safety
/// As `runlen_decode`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn runlen_packbits_decode(
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
            packbits::decode_uninit,
        )
    }
}
