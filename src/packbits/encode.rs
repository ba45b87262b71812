//! The PackBits encoder: one driver for every backend, generic over the scan primitives
//! ([`Scan`]) a backend brings.
//!
//! Vector backends start with [`blocks`]: 64-byte blocks whose masks say where runs of three
//! start and where runs end, so that the next run and its end are counts of trailing zeros
//! in registers. The packet loop takes over for the last bytes and is the whole of the
//! scalar backend's encoder.
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

use core::ptr;

/// `out` is too short; the caller measures the exact length for the error.
#[derive(Debug)]
pub(crate) struct Full;

/// The bytes a block looks at: 128 packet starts, and the two bytes after the last.
pub(crate) const BLOCK: usize = 128;
/// Bytes read for one block.
pub(crate) const LOOK: usize = BLOCK + 2;
/// The most input bytes a non-final call leaves unencoded ([`crate::packbits::Encoder`] holds them).
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

/// The block masks of a vector backend, for [`drive_blocks`].
pub(crate) trait Blocks: Scan {
    /// The masks of the 64 bytes at `p`: bit `k` of the first is set where a run of three
    /// starts (`p[k] == p[k + 1] == p[k + 2]`), of the second where a run ends
    /// (`p[k] != p[k + 1]`).
    ///
    /// # Safety
    /// `p[..66]` is readable; the CPU has the backend's features.
    unsafe fn masks(p: *const u8) -> (u64, u64);
}

/// [`Scan::first_run3`] from two blocks' masks.
///
/// # Safety
/// As [`Scan::first_run3`].
#[inline(always)]
pub(crate) unsafe fn first_run3_by_masks<S: Blocks>(p: *const u8) -> usize {
    // SAFETY: p[..66] is readable; the caller's features.
    let (t, _) = unsafe { S::masks(p) };
    if t != 0 {
        return t.trailing_zeros() as usize;
    }
    // SAFETY: p[64..130] is readable.
    let (t, _) = unsafe { S::masks(p.add(64)) };
    // 128 if t == 0.
    64 + t.trailing_zeros() as usize
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
fn literals<const WRITE: bool>(lit: &[u8], out: &mut [u8], mut o: usize) -> Result<usize, Full> {
    for packet in lit.chunks(BLOCK) {
        if WRITE {
            let dst = out.get_mut(o..o + 1 + packet.len()).ok_or(Full)?;
            dst[0] = (packet.len() - 1) as u8;
            dst[1..].copy_from_slice(packet);
        }
        o += 1 + packet.len();
    }
    Ok(o)
}

/// The run packets of a run of `r >= 3` bytes `v` (128s, then the remainder if it is at
/// least 2), at `out[o..]`; returns the new `o`. A remainder of 1 is the caller's literal.
#[inline(always)]
fn runs<const WRITE: bool>(v: u8, r: usize, out: &mut [u8], o: usize) -> Result<usize, Full> {
    let full = r / BLOCK;
    let rem = r % BLOCK;
    let len = 2 * full + if rem >= 2 { 2 } else { 0 };
    if WRITE {
        let dst = out.get_mut(o..o + len).ok_or(Full)?;
        let (body, last) = dst.split_at_mut(2 * full);
        for pair in body.chunks_exact_mut(2) {
            pair[0] = 0x81; // 257 - 128
            pair[1] = v;
        }
        if let [h, value] = last {
            *h = (257 - rem) as u8;
            *value = v;
        }
    }
    Ok(o + len)
}

/// The byte-at-a-time encoder from the cut `p` to the end of `x`, at `out[o..]`: the
/// reference the driver's blocks agree with. Returns the total written.
pub(crate) fn tail<const WRITE: bool>(
    x: &[u8],
    mut p: usize,
    out: &mut [u8],
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
            lit = if r % BLOCK == 1 { e - 1 } else { e };
        }
        p = e;
    }
    literals::<WRITE>(&x[lit..], out, o)
}

/// Bytes of input the block loop leaves to the packet loop of [`drive`]: enough that a
/// block's masks (66 bytes) and a literal packet's 128-byte copy from anywhere before the
/// block's end stay inside the input.
const BLOCKS_END: usize = 256;
/// Room in `out` the block loop wants before each run: two literal packets copied whole and
/// one run packet.
const BLOCKS_ROOM: usize = 2 * (BLOCK + 1) + 2;

/// The front of [`drive`]: walks the input in blocks of 64 bytes whose masks (from
/// [`Blocks::masks`]) say where runs of three start and where runs end, so that finding the
/// next run and its end is a count of trailing zeros in a register, not a scan from the
/// last packet (whose loads would wait on the packet before). Returns `(p, o)`: a cut
/// (everything before `p` is encoded into `out[..o]`, canonically, and `p` starts a packet)
/// from which [`drive`]'s packet loop goes on; it stops before the last [`BLOCKS_END`]
/// bytes, when `out` has less than [`BLOCKS_ROOM`] left, and at a run that reaches the end
/// of a non-final chunk.
///
/// # Safety
/// The CPU has the features of `S`.
#[inline(always)]
unsafe fn blocks<S: Blocks, const WRITE: bool>(
    x: &[u8],
    out: &mut [u8],
    last: bool,
) -> Result<(usize, usize), Full> {
    let n = x.len();
    let cap = out.len();
    let xp = x.as_ptr();
    // `lit`: where the literal bytes not yet written start (a packet start); no run of
    // three starts in `lit..b`. `b`: the block being looked at.
    let mut lit = 0;
    let mut b = 0;
    let mut o = 0;
    // Invariants: lit <= b, b - lit < 128 + 64, o <= cap when WRITE.
    'blocks: while n - b >= BLOCKS_END {
        // SAFETY: b + 66 <= n; the CPU has S's features (the caller's contract).
        let (runs3, ends) = unsafe { S::masks(xp.add(b)) };
        // Runs of three starting at or after max(lit, b) (lit > b after a run that ended
        // inside the block).
        let mut starts = runs3 & (!0u64).checked_shl((lit.max(b) - b) as u32).unwrap_or(0);
        while starts != 0 {
            if WRITE && cap - o < BLOCKS_ROOM {
                return Ok((lit, o));
            }
            let j = b + starts.trailing_zeros() as usize;
            // The literal bytes lit..j: fewer than 128 + 64, so one or two packets.
            let mut k = j - lit;
            // lit <= b + 63 and b + 256 <= n, so x[lit..lit + 128] is readable for both
            // packets; with WRITE, o + BLOCKS_ROOM <= cap leaves room for both.
            if k > BLOCK {
                // SAFETY: as just said.
                o = unsafe { literal::<WRITE>(xp, out, lit, BLOCK, o) };
                lit += BLOCK;
                k -= BLOCK;
            }
            if k > 0 {
                // SAFETY: as just said.
                o = unsafe { literal::<WRITE>(xp, out, lit, k, o) };
            }
            let v = x[j];
            // The run's end: the first end at or after j + 2 in this block, or past it.
            let from = j + 2 - b;
            let after = ends.checked_shr(from as u32).unwrap_or(0);
            let r = if after != 0 {
                3 + after.trailing_zeros() as usize
            } else {
                // SAFETY: j + 3 <= b + 66 <= n, so x[j + 3..n] is readable.
                let r = 3 + unsafe { S::run_len(xp.add(j + 3), n - j - 3, v) };
                if !last && j + r == n {
                    // The run may go on in the next chunk: the packet loop keeps it.
                    return Ok((j, o));
                }
                r
            };
            if r < BLOCK {
                if WRITE {
                    // SAFETY: o + BLOCKS_ROOM <= cap and the literals took at most
                    // 2 * 129 of it: o + 2 <= cap.
                    unsafe {
                        let op = out.as_mut_ptr();
                        *op.add(o) = (257 - r) as u8;
                        *op.add(o + 1) = v;
                    }
                }
                o += 2;
            } else {
                o = runs::<WRITE>(v, r, out, o)?;
            }
            let e = j + r;
            // A remainder of one is literal data.
            lit = if r % BLOCK == 1 { e - 1 } else { e };
            if e - b >= 64 {
                b = e;
                continue 'blocks;
            }
            starts = runs3 & (!0u64 << (e - b));
        }
        b += 64;
        if b - lit >= BLOCK {
            // No run starts in lit..b: a whole literal packet.
            if WRITE && cap - o < BLOCKS_ROOM {
                return Ok((lit, o));
            }
            // SAFETY: lit + 128 <= b <= n; with WRITE, o + BLOCKS_ROOM <= cap.
            o = unsafe { literal::<WRITE>(xp, out, lit, BLOCK, o) };
            lit += BLOCK;
        }
    }
    Ok((lit, o))
}

/// Writes (with `WRITE`) the literal packet `x[lit..lit + k]`, `1 <= k <= 128`, at `out[o..]`
/// as its header and a whole 128-byte copy; returns the new `o`.
///
/// # Safety
/// `xp[lit..lit + 128]` is readable (part of a slice `x` that does not overlap `out`) and,
/// with `WRITE`, `o + 129 <= out.len()`.
#[inline(always)]
unsafe fn literal<const WRITE: bool>(
    xp: *const u8,
    out: &mut [u8],
    lit: usize,
    k: usize,
    o: usize,
) -> usize {
    if WRITE {
        debug_assert!(o + BLOCK < out.len());
        // SAFETY: the caller's contract: o + 129 <= out.len(), xp[lit..lit + 128] readable,
        // no overlap. The bytes past the packet are overwritten later or lie past the
        // returned length.
        unsafe {
            let op = out.as_mut_ptr();
            *op.add(o) = (k - 1) as u8;
            ptr::copy_nonoverlapping(xp.add(lit), op.add(o + 1), BLOCK);
        }
    }
    o + k + 1
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
    out: &mut [u8],
    last: bool,
) -> Result<(usize, usize), Full> {
    // SAFETY: the caller's contract; (0, 0) is the empty cut.
    unsafe { packets::<S, WRITE>(x, out, last, 0, 0) }
}

/// [`drive`] for a backend with block masks: [`blocks`] first, then the packet loop from
/// the cut it returns.
///
/// # Safety
/// The CPU has the features of `S`.
#[inline(always)]
pub(crate) unsafe fn drive_blocks<S: Blocks, const WRITE: bool>(
    x: &[u8],
    out: &mut [u8],
    last: bool,
) -> Result<(usize, usize), Full> {
    // SAFETY: the caller's contract (S's features).
    let (p, o) = unsafe { blocks::<S, WRITE>(x, out, last) }?;
    // SAFETY: as above; `blocks` returns a cut with x[..p] encoded into out[..o].
    unsafe { packets::<S, WRITE>(x, out, last, p, o) }
}

/// The packet loop of [`drive`], from a cut: `x[..p]` is encoded into `out[..o]`.
///
/// # Safety
/// The CPU has the features of `S`; `p <= x.len()` and, with `WRITE`, `o <= out.len()`.
#[inline(always)]
unsafe fn packets<S: Scan, const WRITE: bool>(
    x: &[u8],
    out: &mut [u8],
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
                        let op = out.as_mut_ptr();
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
        if r < BLOCK && (!WRITE || cap - o >= 2) {
            // The common short run: one packet, room checked.
            if WRITE {
                // SAFETY: o + 2 <= cap.
                unsafe {
                    let op = out.as_mut_ptr();
                    *op.add(o) = (257 - r) as u8;
                    *op.add(o + 1) = v;
                }
            }
            o += 2;
        } else {
            o = runs::<WRITE>(v, r, out, o)?;
        }
        p = if r % BLOCK == 1 { j + r - 1 } else { j + r };
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
    out: &mut [u8],
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
    out: &mut [u8],
    last: bool,
) -> Result<(usize, usize), Full> {
    // SAFETY: `Swar` needs no CPU feature.
    unsafe { drive::<Swar, false>(x, out, last) }
}

#[cfg(test)]
pub(crate) mod tests {
    /// The masks of 64 bytes at `p`, byte at a time: the definition [`super::Blocks::masks`]
    /// meets on every backend.
    pub(crate) fn reference_masks(p: &[u8; 66]) -> (u64, u64) {
        let (mut starts, mut ends) = (0, 0);
        for k in 0..64 {
            if p[k] == p[k + 1] && p[k + 1] == p[k + 2] {
                starts |= 1 << k;
            }
            if p[k] != p[k + 1] {
                ends |= 1 << k;
            }
        }
        (starts, ends)
    }

    /// Windows of 66 bytes to check masks on: short runs over alphabets of 2, 3 and 256
    /// values (fewer under Miri).
    pub(crate) fn windows() -> impl Iterator<Item = [u8; 66]> {
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let rounds = if cfg!(miri) { 20 } else { 2000 };
        (0..rounds).map(move |round| {
            let alphabet = [2, 3, 256][round % 3];
            let mut buf = [0u8; 66];
            for b in &mut buf {
                // xorshift64
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                *b = (seed % alphabet) as u8;
            }
            buf
        })
    }
}
