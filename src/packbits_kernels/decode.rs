//! The PackBits decode kernel: one driver for every backend. Instantiated inside a
//! `#[target_feature]` function, its fixed 128-byte copies and fills compile to that ISA's
//! loads, splats and stores.

use core::ptr;

/// Copies `src[..128]` to `dst[..128]`: one packet's worth, so that no packet takes a loop
/// of its own (whose trip count would mispredict on mixed packet lengths). Inside a
/// backend's `#[target_feature]` function it becomes its loads and stores of `A` bytes:
/// the first `A` bytes unaligned, then 128 bytes from the next multiple of `A` in memory,
/// so that no store splits a cache line (which costs more than the extra store).
///
/// # Safety
/// `src[..128 + A]` is readable, `dst[..128 + A]` writable, and they do not overlap; `A`
/// is a power of two.
#[inline(always)]
unsafe fn copy128<const A: usize>(dst: *mut u8, src: *const u8) {
    // SAFETY: the caller's contract; 0 < k <= A.
    unsafe {
        ptr::copy_nonoverlapping(src, dst, A);
        let k = A - (dst.addr() & (A - 1));
        ptr::copy_nonoverlapping(src.add(k), dst.add(k), 128);
    }
}

/// Writes `v` to `dst[..128]`, as [`copy128`] does (a splat and stores).
///
/// # Safety
/// `dst[..128 + A]` is writable; `A` is a power of two.
#[inline(always)]
unsafe fn fill128<const A: usize>(dst: *mut u8, v: u8) {
    // SAFETY: the caller's contract; 0 < k <= A.
    unsafe {
        ptr::write_bytes(dst, v, A);
        let k = A - (dst.addr() & (A - 1));
        ptr::write_bytes(dst.add(k), v, 128);
    }
}

/// Decodes whole packets of `enc` into `out` while they fit, and returns `(i, o)`: the
/// bytes of `enc` consumed and of `out` written. It stops at `i == enc.len()`, or at a
/// packet (header at `i`) that the end of `enc` cuts off or whose bytes do not fit in
/// `out[o..]`. No-op headers are skipped. Writes only inside `out`.
///
/// While at least `130 + A` bytes of `enc` and `128 + A` of `out` remain, every packet
/// writes `128 + A` bytes at `out[o..]` with [`copy128`] or [`fill128`] (a literal packet
/// reads as many past its header, within `enc`). The bytes written past a packet are
/// overwritten by the packets after it or lie past the returned length. After that,
/// packets are decoded exactly.
///
/// The header's kind is a branch, not a blend: a predicted run packet then costs no wait on
/// its header's load (the next header is two bytes on), where computed lengths would put
/// every header load on one serial chain.
///
/// # Safety
/// The CPU runs the code the caller was compiled for (the caller's `#[target_feature]`s);
/// `A` is a power of two (the caller's widest store).
#[inline(always)]
pub(crate) unsafe fn expand<const A: usize>(
    out: &mut [core::mem::MaybeUninit<u8>],
    enc: &[u8],
) -> (usize, usize) {
    let n = enc.len();
    let cap = out.len();
    let ep = enc.as_ptr();
    let op = out.as_mut_ptr().cast::<u8>();
    let mut i = 0;
    let mut o = 0;
    // Invariants: i <= n, o <= cap.
    while n - i >= 130 + A && cap - o >= 128 + A {
        // SAFETY: i < n.
        let h = unsafe { *ep.add(i) } as usize;
        if h < 128 {
            // SAFETY: i + 130 + A <= n, so enc[i + 1..i + 129 + A] is readable; o + 128 + A
            // <= cap, so out[o..o + 128 + A] is writable; `out` is exclusive and `enc`
            // shared, so they do not overlap; A is a power of two.
            unsafe { copy128::<A>(op.add(o), ep.add(i + 1)) };
            if h == 127 {
                // Full literal packets come in streaks (data without runs): a predicted
                // branch with constant steps lets the next header's load start at once.
                i += 129;
                o += 128;
                continue;
            }
            i += h + 2;
            o += h + 1;
        } else if h > 128 {
            // SAFETY: as above (enc[i + 1] is readable, out[o..o + 128 + A] writable).
            unsafe { fill128::<A>(op.add(o), *ep.add(i + 1)) };
            i += 2;
            o += 257 - h;
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
            crate::uninit::copy(&mut out[o..o + len], &enc[i + 1..i + 1 + len]);
            i += len + 1;
            o += len;
        } else if h > 128 {
            let len = 257 - h as usize;
            if n - i < 2 || cap - o < len {
                break;
            }
            crate::uninit::fill(&mut out[o..o + len], enc[i + 1]);
            i += 2;
            o += len;
        } else {
            i += 1;
        }
    }
    (i, o)
}

/// The scalar backend's decoder.
///
/// # Safety
/// None (the scalar code needs no CPU feature); `unsafe` only to share the kernel type.
pub(crate) unsafe fn expand_scalar(
    out: &mut [core::mem::MaybeUninit<u8>],
    enc: &[u8],
) -> (usize, usize) {
    // SAFETY: compiled for the baseline target only; 16 is a power of two.
    unsafe { expand::<16>(out, enc) }
}
