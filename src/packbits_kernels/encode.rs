//! The PackBits encoder: one driver for every backend, generic over the scan primitives
//! ([`Scan`]) a backend brings.
//!
//! Vector backends start with the block loop of [`super::blocks`]; the packet loop here
//! takes over for the last bytes and is the whole of the scalar backend's encoder.
//!
//! The packet loop walks the input a packet at a time. At a packet start `p` it asks the scan for
//! the first run of three equal bytes starting in `p..p + 128` (reading `p..p + 130`). None:
//! the 128 bytes are one literal packet, stored with one 128-byte copy. Found at `j`: the
//! bytes `p..j` are one literal packet (also stored with a whole 128-byte copy when `out` has
//! room; the bytes past the packet are overwritten by what follows), then the run is
//! measured with the scan's splat compares and written as run packets. Every `p` the driver
//! reaches is a cut: the canonical encoding of the input is the encoding of `input[..p]`
//! followed by the encoding of `input[p..]` started fresh. The last bytes (fewer than 130)
//! go to the byte-at-a-time [`tail`].

use core::mem::MaybeUninit;
use core::ptr;

use crate::uninit;

/// `out` is too short; the caller measures the exact length for the error.
#[derive(Debug)]
pub(crate) struct Full;

/// The bytes a block looks at: 128 packet starts, and the two bytes after the last.
pub(crate) const BLOCK: usize = 128;
/// Bytes read for one block.
pub(crate) const LOOK: usize = BLOCK + 2;
/// The most input bytes a non-final call leaves unencoded (the streaming `Encoder` holds them).
pub(crate) const MAX_HELD: usize = 130;

/// The scan primitives of one backend.
pub(crate) trait Scan {
    /// The first `k` in `0..128` with `p[k] == p[k + 1] == p[k + 2]`, or 128 if there is
    /// none.
    ///
    /// # Safety
    /// `p[..130]` is readable; the CPU has the backend's features.
    unsafe fn first_run3(p: *const u8) -> usize;

    /// How many bytes of `p[..len]`, from the first, equal `v` before the first that
    /// differs (`len` if all do).
    ///
    /// # Safety
    /// `p[..len]` is readable; the CPU has the backend's features.
    unsafe fn run_len(p: *const u8, len: usize, v: u8) -> usize;
}

/// The scalar backend's scan: eight bytes a step in a `u64` (SWAR). It has no block masks:
/// made from words by multiplies they cost twice its scan on data without runs.
pub(crate) struct Swar;

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// Eight bytes from `p`, byte 0 in the low bits whatever the byte order.
///
/// # Safety
/// `p[..8]` is readable.
#[inline(always)]
unsafe fn word(p: *const u8) -> u64 {
    // SAFETY: the caller guarantees 8 readable bytes; the read is unaligned.
    u64::from_le(unsafe { ptr::read_unaligned(p.cast::<u64>()) })
}

impl Scan for Swar {
    #[inline(always)]
    unsafe fn first_run3(p: *const u8) -> usize {
        let mut c = 0;
        while c < BLOCK {
            // SAFETY: c <= 120, so the three words read p[c..c + 10], within p[..130].
            let (a, b, d) = unsafe { (word(p.add(c)), word(p.add(c + 1)), word(p.add(c + 2))) };
            // The high bit of the lowest byte where both differences are zero (and maybe
            // of bytes above it, never below: the borrows of this zero-byte test run
            // upwards only).
            let z = (a ^ b) | (b ^ d);
            let m = z.wrapping_sub(ONES) & !z & HIGHS;
            if m != 0 {
                return c + (m.trailing_zeros() / 8) as usize;
            }
            c += 8;
        }
        BLOCK
    }

    #[inline(always)]
    unsafe fn run_len(p: *const u8, len: usize, v: u8) -> usize {
        let splat = ONES.wrapping_mul(v as u64);
        let mut k = 0;
        while len - k >= 8 {
            // SAFETY: k + 8 <= len.
            let diff = unsafe { word(p.add(k)) } ^ splat;
            if diff != 0 {
                return k + (diff.trailing_zeros() / 8) as usize;
            }
            k += 8;
        }
        // SAFETY: k < len on every read.
        while k < len && unsafe { *p.add(k) } == v {
            k += 1;
        }
        k
    }
}

/// Writes (or with `WRITE == false` only counts) the literal packets of `lit`, cut
/// greedily at 128 bytes, at `out[o..]`; returns the new `o`.
#[inline(always)]
fn literals<const WRITE: bool>(
    lit: &[u8],
    out: &mut [MaybeUninit<u8>],
    mut o: usize,
) -> Result<usize, Full> {
    for packet in lit.chunks(BLOCK) {
        if WRITE {
            let dst = out.get_mut(o..o + 1 + packet.len()).ok_or(Full)?;
            dst[0] = MaybeUninit::new((packet.len() - 1) as u8);
            uninit::copy(&mut dst[1..], packet);
        }
        o += 1 + packet.len();
    }
    Ok(o)
}

/// The run packets of a run of `r >= 3` bytes `v` (128s, then the remainder if it is at
/// least 2), at `out[o..]`; returns the new `o`. A remainder of 1 is the caller's literal.
#[inline(always)]
fn runs<const WRITE: bool>(
    v: u8,
    r: usize,
    out: &mut [MaybeUninit<u8>],
    o: usize,
) -> Result<usize, Full> {
    let full = r / BLOCK;
    let rem = r % BLOCK;
    let len = 2 * full + if rem >= 2 { 2 } else { 0 };
    if WRITE {
        let dst = out.get_mut(o..o + len).ok_or(Full)?;
        let (body, last) = dst.split_at_mut(2 * full);
        for pair in body.chunks_exact_mut(2) {
            pair[0] = MaybeUninit::new(0x81); // 257 - 128
            pair[1] = MaybeUninit::new(v);
        }
        if let [h, value] = last {
            *h = MaybeUninit::new((257 - rem) as u8);
            *value = MaybeUninit::new(v);
        }
    }
    Ok(o + len)
}

/// Where literal data resumes after a run of `r` bytes that ends at `e` (exclusive): at
/// `e`, unless the run's remainder past its packets of 128 is one byte, which is literal
/// data (SPEC.md section 8), so at `e - 1`.
#[inline(always)]
pub(crate) fn after_run(e: usize, r: usize) -> usize {
    if r % BLOCK == 1 { e - 1 } else { e }
}

/// The run packets of a run of `r >= 3` bytes `v` at `out[o..]`, as [`runs`], with the
/// common case first: a run shorter than 128 is one two-byte store.
#[inline(always)]
pub(crate) fn run_packets<const WRITE: bool>(
    v: u8,
    r: usize,
    out: &mut [MaybeUninit<u8>],
    o: usize,
) -> Result<usize, Full> {
    if r < BLOCK {
        if WRITE {
            let dst = out.get_mut(o..o + 2).ok_or(Full)?;
            dst[0] = MaybeUninit::new((257 - r) as u8);
            dst[1] = MaybeUninit::new(v);
        }
        Ok(o + 2)
    } else {
        runs::<WRITE>(v, r, out, o)
    }
}

/// The byte-at-a-time encoder from the cut `p` to the end of `x`, at `out[o..]`: the
/// reference the driver's blocks agree with. Returns the total written.
pub(crate) fn tail<const WRITE: bool>(
    x: &[u8],
    mut p: usize,
    out: &mut [MaybeUninit<u8>],
    mut o: usize,
) -> Result<usize, Full> {
    let n = x.len();
    let mut lit = p;
    while p < n {
        let v = x[p];
        let mut e = p + 1;
        while e < n && x[e] == v {
            e += 1;
        }
        let r = e - p;
        if r >= 3 {
            o = literals::<WRITE>(&x[lit..p], out, o)?;
            o = runs::<WRITE>(v, r, out, o)?;
            lit = after_run(e, r);
        }
        p = e;
    }
    literals::<WRITE>(&x[lit..], out, o)
}

/// Encodes `x` into `out` (with `WRITE == false`, only counts; `out` is then not touched).
///
/// With `last`, encodes all of `x` and returns `(x.len(), written)`. Without, stops at a cut
/// `p` past which at most [`MAX_HELD`] bytes remain, such that the encoding of `x` followed
/// by anything is the returned bytes followed by the encoding of `x[p..]` followed by that
/// same anything; returns `(p, written)`.
///
/// Writes only inside `out`; `Err(Full)` when `out` is shorter than the encoding.
///
/// # Safety
/// The CPU has the features of `S`.
#[inline(always)]
pub(crate) unsafe fn drive<S: Scan, const WRITE: bool>(
    x: &[u8],
    out: &mut [MaybeUninit<u8>],
    last: bool,
) -> Result<(usize, usize), Full> {
    // SAFETY: the caller's contract; (0, 0) is the empty cut.
    unsafe { packets::<S, WRITE>(x, out, last, 0, 0) }
}

/// The packet loop of [`drive`], from a cut: `x[..p]` is encoded into `out[..o]`.
///
/// # Safety
/// The CPU has the features of `S`; `p <= x.len()` and, with `WRITE`, `o <= out.len()`.
#[inline(always)]
pub(crate) unsafe fn packets<S: Scan, const WRITE: bool>(
    x: &[u8],
    out: &mut [MaybeUninit<u8>],
    last: bool,
    p: usize,
    o: usize,
) -> Result<(usize, usize), Full> {
    let n = x.len();
    let cap = out.len();
    let xp = x.as_ptr();
    let (mut p, mut o) = (p, o);
    // Invariants: p <= n, o <= cap when WRITE.
    while n - p >= LOOK {
        // SAFETY: p + 130 <= n; the CPU has S's features (the caller's contract).
        let k = unsafe { S::first_run3(xp.add(p)) };
        if k > 0 {
            // A literal packet x[p..p + k], k <= 128. x[p..p + 128] is readable.
            if WRITE {
                if cap - o > BLOCK {
                    // SAFETY: o + 129 <= cap and p + 128 <= n: the header and the 128-byte
                    // copy stay inside `out` and `x`, which do not overlap (one is shared,
                    // the other exclusive). Bytes past the packet are overwritten later or
                    // lie past the returned length.
                    unsafe {
                        // A fresh pointer: `out` is also written through the slice (by
                        // `literals` and `runs`), which retires older raw pointers.
                        let op = out.as_mut_ptr().cast::<u8>();
                        *op.add(o) = (k - 1) as u8;
                        // The whole 128-byte span, whatever k: one fixed-size copy
                        // rather than a loop whose trip count follows the data.
                        ptr::copy_nonoverlapping(xp.add(p), op.add(o + 1), BLOCK);
                    }
                } else {
                    literals::<true>(&x[p..p + k], out, o)?;
                }
            }
            o += k + 1;
            if k == BLOCK {
                p += BLOCK;
                continue;
            }
        }
        let j = p + k;
        let v = x[j];
        // SAFETY: j + 3 <= p + 130 <= n, so x[j + 3..n] is readable.
        let r = 3 + unsafe { S::run_len(xp.add(j + 3), n - j - 3, v) };
        if !last && j + r == n {
            // The run may go on in the next chunk: keep 3..=130 of it, so that the kept
            // bytes started fresh encode as the rest of this run would.
            let keep = if r <= MAX_HELD {
                r
            } else {
                (r - 3) % BLOCK + 3
            };
            o = runs::<WRITE>(v, r - keep, out, o)?;
            return Ok((j + r - keep, o));
        }
        o = run_packets::<WRITE>(v, r, out, o)?;
        p = after_run(j + r, r);
    }
    if !last {
        return Ok((p, o));
    }
    Ok((n, tail::<WRITE>(x, p, out, o)?))
}

/// The scalar backend's encoder.
///
/// # Safety
/// None beyond the function's signature (the scalar scan needs no CPU feature); `unsafe`
/// only to share the kernel pointer type.
pub(crate) unsafe fn encode_scalar(
    x: &[u8],
    out: &mut [MaybeUninit<u8>],
    last: bool,
) -> Result<(usize, usize), Full> {
    // SAFETY: `Swar` needs no CPU feature.
    unsafe { drive::<Swar, true>(x, out, last) }
}

/// The scalar backend's measure.
///
/// # Safety
/// As [`encode_scalar`].
pub(crate) unsafe fn measure_scalar(
    x: &[u8],
    out: &mut [MaybeUninit<u8>],
    last: bool,
) -> Result<(usize, usize), Full> {
    // SAFETY: `Swar` needs no CPU feature.
    unsafe { drive::<Swar, false>(x, out, last) }
}
