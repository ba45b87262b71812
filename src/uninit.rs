//! Writing bytes into output that may be uninitialized: what `copy_from_slice` and `fill`
//! are for `&mut [u8]`, for the `&mut [MaybeUninit<u8>]` every kernel, reference and driver
//! writes into (so that one code path serves both initialized and uninitialized buffers).
//! They compile to the same `memcpy` and `memset`.

use core::mem::MaybeUninit;
use core::ptr;

/// `dst.copy_from_slice(src)` for a `dst` that may be uninitialized.
///
/// # Panics
/// If the lengths differ, as `copy_from_slice`.
#[inline(always)]
pub(crate) fn copy(dst: &mut [MaybeUninit<u8>], src: &[u8]) {
    assert_eq!(dst.len(), src.len(), "uninit::copy: lengths differ");
    // SAFETY: `src` is readable and `dst` writable for `src.len()` bytes (equal lengths,
    // checked above); a shared and an exclusive borrow cannot overlap; `u8` has no
    // alignment to respect.
    unsafe { ptr::copy_nonoverlapping(src.as_ptr(), dst.as_mut_ptr().cast::<u8>(), src.len()) }
}

/// `dst.fill(value)` for a `dst` that may be uninitialized.
#[inline(always)]
pub(crate) fn fill(dst: &mut [MaybeUninit<u8>], value: u8) {
    // SAFETY: `dst` is writable for `dst.len()` bytes.
    unsafe { ptr::write_bytes(dst.as_mut_ptr().cast::<u8>(), value, dst.len()) }
}
