//! Output buffers that show a write outside them: between guard bytes (checked after the
//! call), or as an allocation of exactly the size under test (Miri and AddressSanitizer
//! report any access past it).

use core::mem::MaybeUninit;

use runlen::{Backend, Error};

/// Guard bytes on each side of a guarded slice.
pub const GUARD: usize = 64;
/// What guard bytes (and fresh exactly sized buffers) are filled with.
pub const MARK: u8 = 0xA5;

/// Runs `f` on a slice of `len` bytes filled with [`MARK`], between [`GUARD`] marked bytes
/// on each side; panics if `f` wrote a guard byte. Returns `f`'s result and the slice.
pub fn guarded<R>(len: usize, f: impl FnOnce(&mut [u8]) -> R) -> (R, Vec<u8>) {
    let mut buf = vec![MARK; len + 2 * GUARD];
    let r = f(&mut buf[GUARD..GUARD + len]);
    assert!(
        buf[..GUARD].iter().all(|&b| b == MARK),
        "wrote before out (out of {len} bytes)"
    );
    assert!(
        buf[GUARD + len..].iter().all(|&b| b == MARK),
        "wrote past out (out of {len} bytes)"
    );
    buf.truncate(GUARD + len);
    buf.drain(..GUARD);
    (r, buf)
}

/// Runs `f` on a fresh allocation of exactly `len` bytes filled with [`MARK`]; returns
/// `f`'s result and the buffer.
pub fn exact<R>(len: usize, f: impl FnOnce(&mut [u8]) -> R) -> (R, Vec<u8>) {
    let mut buf = vec![MARK; len];
    let r = f(&mut buf);
    (r, buf)
}

/// The bytes a call reported writing: the first `n` of `out` on `Ok(n)`, none on error.
pub fn written(r: &Result<usize, Error>, mut out: Vec<u8>) -> Vec<u8> {
    out.truncate(*r.as_ref().unwrap_or(&0));
    out
}

/// `encode_with(backend)` into a [`guarded`] `out` of `out_len` bytes: the result and the
/// bytes written.
pub fn encode_with(
    backend: Backend,
    input: &[u8],
    out_len: usize,
) -> (Result<usize, Error>, Vec<u8>) {
    let (r, out) = guarded(out_len, |out| runlen::encode_with(backend, out, input));
    let bytes = written(&r, out);
    (r, bytes)
}

/// `decode_with(backend)` into a [`guarded`] `out` of `out_len` bytes, from a copy of
/// `encoded` in an allocation of its own (so an over-read runs off its end): the result and
/// the bytes written.
pub fn decode_with(
    backend: Backend,
    encoded: &[u8],
    out_len: usize,
) -> (Result<usize, Error>, Vec<u8>) {
    let input: Box<[u8]> = encoded.into();
    let (r, out) = guarded(out_len, |out| runlen::decode_with(backend, out, &input));
    let bytes = written(&r, out);
    (r, bytes)
}

/// [`guarded`] for output that may be uninitialized: runs `f` on a slice of `len` bytes
/// left uninitialized (so Miri reports any read of them), between [`GUARD`] bytes of
/// [`MARK`] on each side; panics if `f` wrote a guard byte. Returns `f`'s result.
pub fn guarded_uninit<R>(len: usize, f: impl FnOnce(&mut [MaybeUninit<u8>]) -> R) -> R {
    let mut buf = vec![MaybeUninit::<u8>::uninit(); len + 2 * GUARD];
    let (front, rest) = buf.split_at_mut(GUARD);
    let (out, back) = rest.split_at_mut(len);
    front.fill(MaybeUninit::new(MARK));
    back.fill(MaybeUninit::new(MARK));
    let r = f(out);
    // SAFETY: the guard bytes were initialized above, and `f` could only write `out`'s
    // bytes (it had no other access to `buf`); whatever it wrote there is not read.
    let intact =
        |guard: &[MaybeUninit<u8>]| guard.iter().all(|b| unsafe { b.assume_init() } == MARK);
    assert!(intact(front), "wrote before out (out of {len} bytes)");
    assert!(intact(back), "wrote past out (out of {len} bytes)");
    r
}
