//! The PackBits decoder: one driver for every backend, generic over the width `W` of the
//! whole-register copies a backend makes (16 bytes for the scalar backend and SSE2, 32 for
//! AVX2 and NEON, 64 for AVX-512). Instantiated inside a `#[target_feature]` function, the
//! fixed-size copies and fills compile to that ISA's vector loads, stores and splats.

use core::ptr;

use crate::Error;

/// Decodes whole packets of `enc` into `out` while they fit, and returns `(i, o)`: the
/// bytes of `enc` consumed and of `out` written. It stops at `i == enc.len()`, or at a
/// packet (header at `i`) that the end of `enc` cuts off or whose bytes do not fit in
/// `out[o..]`. No-op headers are skipped. Writes only inside `out`.
///
/// While at least 130 bytes of `enc` and 128 of `out` remain, a packet is copied or filled
/// in whole `W`-byte steps from its start (a literal packet reads at most its 128 bytes'
/// worth past its header, within `enc`; the bytes written past the packet are overwritten
/// by the packets after it or lie past the returned length); after that, exactly.
///
/// # Safety
/// The CPU runs the code the caller was compiled for (the caller's `#[target_feature]`s).
/// `W` divides 128.
#[inline(always)]
pub(crate) unsafe fn expand<const W: usize>(out: &mut [u8], enc: &[u8]) -> (usize, usize) {
    let n = enc.len();
    let cap = out.len();
    let ep = enc.as_ptr();
    let op = out.as_mut_ptr();
    let mut i = 0;
    let mut o = 0;
    // Invariants: i <= n, o <= cap.
    while n - i >= 130 && cap - o >= 128 {
        // SAFETY: i < n.
        let h = unsafe { *ep.add(i) };
        if h < 128 {
            let len = h as usize + 1;
            let mut c = 0;
            loop {
                // SAFETY: c < len <= 128 and c is a multiple of W, which divides 128, so
                // c + W <= 128: the read is within enc[i + 1..i + 129] (i + 130 <= n) and
                // the write within out[o..o + 128] (o + 128 <= cap). `out` is exclusive,
                // `enc` shared: they do not overlap.
                unsafe { ptr::copy_nonoverlapping(ep.add(i + 1 + c), op.add(o + c), W) };
                c += W;
                if c >= len {
                    break;
                }
            }
            i += len + 1;
            o += len;
        } else if h > 128 {
            let len = 257 - h as usize;
            // SAFETY: i + 1 < n.
            let v = unsafe { *ep.add(i + 1) };
            let mut c = 0;
            loop {
                // SAFETY: as above, c + W <= 128, so the fill is within out[o..o + 128].
                unsafe { ptr::write_bytes(op.add(o + c), v, W) };
                c += W;
                if c >= len {
                    break;
                }
            }
            i += 2;
            o += len;
        } else {
            i += 1;
        }
    }
    while i < n {
        let h = enc[i];
        if h < 128 {
            let len = h as usize + 1;
            if n - i - 1 < len || cap - o < len {
                break;
            }
            out[o..o + len].copy_from_slice(&enc[i + 1..i + 1 + len]);
            i += len + 1;
            o += len;
        } else if h > 128 {
            let len = 257 - h as usize;
            if n - i < 2 || cap - o < len {
                break;
            }
            out[o..o + len].fill(enc[i + 1]);
            i += 2;
            o += len;
        } else {
            i += 1;
        }
    }
    (i, o)
}

/// The scalar backend's decoder: 16-byte steps as two words.
///
/// # Safety
/// None (the scalar code needs no CPU feature); `unsafe` only to share the kernel type.
pub(crate) unsafe fn expand_scalar(out: &mut [u8], enc: &[u8]) -> (usize, usize) {
    // SAFETY: no feature needed; 16 divides 128.
    unsafe { expand::<16>(out, enc) }
}

/// The decoded length of `enc`, whose first byte is at stream offset `base`.
///
/// # Errors
/// [`Error::TruncatedPacket`] for a packet cut off by the end (offset counted from
/// `base`), else [`Error::LengthOverflow`] if the length exceeds `usize::MAX`.
pub(crate) fn decoded_len(enc: &[u8], base: usize) -> Result<usize, Error> {
    let n = enc.len();
    let mut i = 0;
    // u64: even on 16- and 32-bit targets it cannot overflow (each byte decodes to at most
    // 64 bytes).
    let mut total: u64 = 0;
    while i < n {
        let h = enc[i];
        if h < 128 {
            let len = h as usize + 1;
            if n - i - 1 < len {
                return Err(Error::TruncatedPacket {
                    offset: base.wrapping_add(i),
                });
            }
            total += len as u64;
            i += len + 1;
        } else if h > 128 {
            if n - i < 2 {
                return Err(Error::TruncatedPacket {
                    offset: base.wrapping_add(i),
                });
            }
            total += 257 - h as u64;
            i += 2;
        } else {
            i += 1;
        }
    }
    usize::try_from(total).map_err(|_| Error::LengthOverflow)
}

/// One-shot decoding with a given expand kernel: errors in the contract's precedence.
pub(crate) fn decode(expand: super::ExpandFn, out: &mut [u8], enc: &[u8]) -> Result<usize, Error> {
    // SAFETY: every `ExpandFn` handed out comes from `kernels`, which checks the CPU.
    let (i, o) = unsafe { expand(out, enc) };
    if i == enc.len() {
        return Ok(o);
    }
    // The packet at i is cut off or does not fit: a cut packet (anywhere in the rest) comes
    // first, then an overflow, then the length needed.
    let rest = decoded_len(&enc[i..], i)?;
    let needed = o.checked_add(rest).ok_or(Error::LengthOverflow)?;
    Err(Error::OutputTooSmall { needed })
}
