//! The front of the PackBits encoder for vector backends: 64-byte blocks whose masks say
//! where runs of three start and where runs end, so that the next run and its end are
//! counts of trailing zeros in registers rather than scans from the last packet (whose
//! loads would wait on it). In a block whose runs end in it (most, on short runs), a run
//! and the literal bytes before it are one step of fixed stores, with no branch on their
//! lengths ([`short_runs`]); a backend with a [`Blocks::segment`] kernel writes a block of
//! two or more such runs as one literal packet and one vector, with no branch a run. The
//! packet loop of [`super::encode`] takes over for the last bytes.

use core::ptr;

use super::encode::{BLOCK, Full, Scan, after_run, packets, run_packets};

/// The block masks of a vector backend, for [`drive_blocks`].
pub(crate) trait Blocks: Scan {
    /// The masks of the 64 bytes at `p`: bit `k` of the first is set where a run of three
    /// starts (`p[k] == p[k + 1] == p[k + 2]`), of the second where a run ends
    /// (`p[k] != p[k + 1]`).
    ///
    /// # Safety
    /// `p[..66]` is readable; the CPU has the backend's features.
    unsafe fn masks(p: *const u8) -> (u64, u64);

    /// Whether the block loop writes a block's runs that end in it (two or more) with
    /// [`Blocks::segment`], rather than one run at a time.
    const SEGMENTS: bool = false;

    /// Writes the packets of `seg`, a [`Segment`] of the 64 bytes at `p`, as 64 bytes at
    /// `dst`: the packets' [`Segment::len`] bytes, then any bytes. The default writes them
    /// one packet at a time ([`segment_packets`]); a backend that sets
    /// [`Blocks::SEGMENTS`] writes them in registers.
    ///
    /// # Safety
    /// `p[..64]` is readable, `dst[..64]` writable, and the two do not overlap; the CPU has
    /// the backend's features.
    #[inline(always)]
    unsafe fn segment(p: *const u8, seg: &Segment, dst: *mut u8) {
        // SAFETY: the caller's contract.
        let (block, dst) = unsafe { (&*p.cast::<[u8; 64]>(), &mut *dst.cast::<[u8; 64]>()) };
        segment_packets(block, seg, dst);
    }
}

/// The packets of a block's runs that end in it, from the first one's start to the last
/// one's end, as masks over the block's bytes: which bytes are written (literal
/// bytes and each run's first byte, its value) and which start a packet (a header byte
/// goes before them). They take fewer bytes than the span (a run of `r >= 3` takes 2, a
/// literal one more than its length, and a run comes before every literal), so at most
/// 63.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Segment {
    /// Where the runs start.
    pub(crate) firsts: u64,
    /// The bytes written: literal bytes and run starts.
    pub(crate) keep: u64,
    /// The bytes that start a packet: run starts, and literal bytes after a run's end.
    pub(crate) heads: u64,
    /// One past the last run's end (`1..=64`).
    pub(crate) end: usize,
}

impl Segment {
    /// The segment of the runs that start at the bits of `firsts` (not zero) and end at
    /// the bits of `lasts` (as many, in order: the block loop's masks).
    #[inline(always)]
    pub(crate) fn new(firsts: u64, lasts: u64) -> Self {
        let last = 63 - lasts.leading_zeros() as usize;
        // Each run's bytes: the bit after its end minus the bit of its start sets the bits
        // between (one past the block's end is 1 << 64, which wraps to 0, and the
        // subtraction still sets the bits up to 63). The runs do not overlap, so the sum of
        // those differences is their union.
        let after = lasts << 1;
        let runs = after.wrapping_sub(firsts);
        let span = (2u64 << last).wrapping_sub(firsts & firsts.wrapping_neg());
        let keep = span & !(runs & !firsts);
        // A byte after a run's end starts a literal or the next run.
        let heads = firsts | (after & span);
        Segment {
            firsts,
            keep,
            heads,
            end: last + 1,
        }
    }

    /// The bytes of the segment's packets.
    #[inline(always)]
    pub(crate) fn len(&self) -> usize {
        (self.keep.count_ones() + self.heads.count_ones()) as usize
    }
}

/// [`Blocks::segment`] one packet at a time: the reference for backends that write a
/// segment in registers, and the default.
#[inline(always)]
pub(crate) fn segment_packets(block: &[u8; 64], seg: &Segment, dst: &mut [u8; 64]) {
    let mut heads = seg.heads;
    let mut o = 0;
    while heads != 0 {
        let i = heads.trailing_zeros() as usize;
        heads &= heads - 1;
        let next = if heads == 0 {
            seg.end
        } else {
            heads.trailing_zeros() as usize
        };
        let len = next - i;
        if seg.firsts >> i & 1 == 1 {
            dst[o] = (257 - len) as u8;
            dst[o + 1] = block[i];
            o += 2;
        } else {
            dst[o] = (len - 1) as u8;
            dst[o + 1..o + 1 + len].copy_from_slice(&block[i..next]);
            o += len + 1;
        }
    }
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

/// [`super::encode::drive`] for a backend with block masks: [`blocks`] first, then the
/// packet loop from the cut it returns.
///
/// # Safety
/// The CPU has the features of `S`.
#[inline(always)]
pub(crate) unsafe fn drive_blocks<S: Blocks, const WRITE: bool>(
    x: &[u8],
    out: &mut [core::mem::MaybeUninit<u8>],
    last: bool,
) -> Result<(usize, usize), Full> {
    // SAFETY: the caller's contract (S's features).
    let (p, o) = unsafe { blocks::<S, WRITE>(x, out, last) }?;
    // SAFETY: as above; `blocks` returns a cut with x[..p] encoded into out[..o].
    unsafe { packets::<S, WRITE>(x, out, last, p, o) }
}

/// Bytes of input the block loop leaves to the packet loop of [`super::encode::drive`]:
/// enough that a block's masks (66 bytes) and a literal packet's 128-byte copy from
/// anywhere before the block's end stay inside the input.
const BLOCKS_END: usize = 256;
/// Room in `out` the block loop wants before each run: two literal packets copied whole and
/// one run packet.
const BLOCKS_ROOM: usize = 2 * (BLOCK + 1) + 2;

/// The front of [`super::encode::drive`]: walks the input in blocks of 64 bytes whose masks
/// (from [`Blocks::masks`]) say where runs of three start and where runs end, so that
/// finding the next run and its end is a count of trailing zeros in a register, not a scan
/// from the last packet (whose loads would wait on the packet before). Returns `(p, o)`: a
/// cut (everything before `p` is encoded into `out[..o]`, canonically, and `p` starts a
/// packet) from which [`super::encode::drive`]'s packet loop goes on; it stops before the
/// last [`BLOCKS_END`] bytes, when `out` has less than [`BLOCKS_ROOM`] left, and at a run
/// that reaches the end of a non-final chunk.
///
/// A run that goes on past its block is ended by the masks of the block after (or the one
/// after that); a block in which such a run ends and three or more runs follow is then
/// looked at afresh from the run's end, so that those runs take the block paths (one
/// segment, or fixed stores) rather than one step each of the run loop.
///
/// # Safety
/// The CPU has the features of `S`.
#[inline(always)]
unsafe fn blocks<S: Blocks, const WRITE: bool>(
    x: &[u8],
    out: &mut [core::mem::MaybeUninit<u8>],
    last: bool,
) -> Result<(usize, usize), Full> {
    let n = x.len();
    let cap = out.len();
    let xp = x.as_ptr();
    // `lit`: where the literal bytes not yet written start (a packet start). `b`: the
    // block being looked at. `run`: the start of a run that goes on past the blocks looked
    // at so far (its literals are written; `lit == run`).
    let mut lit = 0;
    let mut b = 0;
    let mut o = 0;
    // The bits of the next block's masks to look at: all but those of a run from the blocks
    // before that ends in it (then `lit`, the run's end, is past `b`).
    let mut from = !0u64;
    // Invariants: lit < b + 64, and lit <= b but when the block at b is looked at afresh
    // from lit; no run of three starts in lit..b; b - lit < 128 + 64; o <= cap when WRITE.
    'blocks: loop {
        // Blocks in which no run starts: literal bytes, a whole packet every 128.
        let (mut runs3, mut ends) = loop {
            if n - b < BLOCKS_END {
                break 'blocks;
            }
            // SAFETY: b + 66 <= n; the CPU has S's features (the caller's contract).
            let (runs3, ends) = unsafe { S::masks(xp.add(b)) };
            // `from` rather than `lit`: a mask that waits on nothing the block before
            // computed.
            let runs3 = runs3 & from;
            from = !0;
            if runs3 != 0 {
                break (runs3, ends);
            }
            b += 64;
            // SAFETY: lit <= b <= n (no run starts in the block, so lit was at most its
            // start).
            match unsafe { whole_literal::<WRITE>(xp, out, b, lit, o) } {
                Some(next) => (lit, o) = next,
                None => return Ok((lit, o)),
            }
        };
        debug_assert!(lit < b + 64);
        'runs: {
            // Where maximal runs of three or more start (not none: the lowest bit of
            // `runs3` is one), and where they end (their last byte): a run start is a
            // run-of-three bit without one before it (none starts in lit..b), a run's end
            // is an end bit two after a run-of-three bit.
            let firsts = runs3 & !(runs3 << 1);
            let lasts = ends & (runs3 << 2);
            // Every run that starts in the block ends in it but maybe the last, which then
            // has no end bit: the runs `done` start at the bits of `done`, and run i ends
            // at the i-th bit of `lasts`.
            let done = if firsts.count_ones() == lasts.count_ones() {
                firsts
            } else {
                firsts ^ (1 << (63 - firsts.leading_zeros()))
            };
            // The common block on short runs: the literal bytes before its first run fit
            // one packet, and out has room for the block whatever it holds. With a
            // backend's segment kernel, two or more runs that end in the block are the
            // literal packet before them and one segment, with no branch a run; otherwise
            // they take one step each. A run that goes on past the block is the loop's
            // below.
            if done != 0
                && b + done.trailing_zeros() as usize - lit <= BLOCK
                && (!WRITE || cap - o >= BLOCKS_ROOM)
            {
                if S::SEGMENTS && done & (done - 1) != 0 {
                    let seg = Segment::new(done, lasts);
                    let j = b + done.trailing_zeros() as usize;
                    if WRITE {
                        // SAFETY: as tested, j - lit <= 128 and o + 129 <= cap; x[lit..][..128]
                        // and x[b..][..64] are readable (lit < b + 64, b + 256 <= n); out[o..][..64]
                        // is writable after the literal packet (129 + 64 <= BLOCKS_ROOM).
                        unsafe {
                            o = literal_packet::<WRITE>(xp, out, lit, j - lit, o);
                            S::segment(xp.add(b), &seg, out.as_mut_ptr().add(o).cast());
                        }
                    } else {
                        o += (j - lit) + (j != lit) as usize;
                    }
                    o += seg.len();
                    lit = b + seg.end;
                } else {
                    // SAFETY: the conditions just tested; b + 256 <= n.
                    (lit, o) = unsafe { short_runs::<WRITE>(xp, out, b, lit, done, lasts, o) };
                }
                if done == firsts {
                    break 'runs;
                }
            }
            // Run starts at or after max(lit, b) (lit > b after a run that ended inside the
            // block).
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
                    o = unsafe { literal_packet::<WRITE>(xp, out, lit, BLOCK, o) };
                    lit += BLOCK;
                    k -= BLOCK;
                }
                if k > 0 {
                    // SAFETY: as just said.
                    o = unsafe { literal_packet::<WRITE>(xp, out, lit, k, o) };
                }
                // The run's end: the first end at or after j (none at j or j + 1, where the run
                // of three is). Bit masks rather than shifts by positions: from one run to the
                // next is a few single-cycle operations.
                let after = ends & !(starts ^ starts.wrapping_sub(1));
                let after = if after != 0 {
                    after
                } else {
                    // The run goes on past the block: the next block's masks end most runs
                    // (the encoder walks on from there), a splat compare the longer ones.
                    let next = b + 64;
                    if n - next < BLOCKS_END {
                        // Near the end: the packet loop takes the run from its start.
                        return Ok((j, o));
                    }
                    // SAFETY: next + 66 <= n.
                    let (r3, en) = unsafe { S::masks(xp.add(next)) };
                    if en == 0 {
                        // The run covers the next block too: most such runs end in the one
                        // after, whose masks then end it and hold the runs after it, where a
                        // splat compare and blocks restarted at its end would wait on the
                        // compare's result.
                        let far = next + 64;
                        if n - far >= BLOCKS_END {
                            // SAFETY: far + 66 <= n.
                            let (r3, en) = unsafe { S::masks(xp.add(far)) };
                            if en != 0 {
                                let e = far + en.trailing_zeros() as usize + 1;
                                o = run_packets::<WRITE>(x[j], e - j, out, o)?;
                                lit = after_run(e, e - j);
                                (b, runs3, ends) = (far, r3, en);
                                starts = r3 & !(en ^ en.wrapping_sub(1));
                                continue;
                            }
                        }
                        let v = x[j];
                        // SAFETY: next + 64 <= n, so x[next + 64..n] is readable.
                        let e =
                            next + 64 + unsafe { S::run_len(xp.add(next + 64), n - next - 64, v) };
                        if !last && e == n {
                            // The run may go on in the next chunk: the packet loop keeps it.
                            return Ok((j, o));
                        }
                        o = run_packets::<WRITE>(v, e - j, out, o)?;
                        lit = after_run(e, e - j);
                        b = e;
                        continue 'blocks;
                    }
                    // The run ends in the next block. With three or more runs after it
                    // there, that block is looked at afresh from the run's end, so that
                    // they take the block paths above rather than this loop (with fewer,
                    // the loop is cheaper than the second look). `rest`: the bits after
                    // the run's end (none if it ends at the block's last byte).
                    let rest = !0u64 << 1 << en.trailing_zeros();
                    let later = r3 & rest;
                    if (later & !(later << 1)).count_ones() >= 3 {
                        let e = next + en.trailing_zeros() as usize + 1;
                        // r < 128 (it starts in the block before e's): no remainder of one.
                        o = run_packets::<WRITE>(x[j], e - j, out, o)?;
                        (b, lit, from) = (next, e, rest);
                        continue 'blocks;
                    }
                    (b, runs3, ends) = (next, r3, en);
                    en
                };
                let e = b + after.trailing_zeros() as usize + 1;
                o = run_packets::<WRITE>(x[j], e - j, out, o)?;
                // r <= 128 (it starts in the block before e's or in e's): no remainder of one.
                lit = e;
                // Run starts after its end (if it ends at the block's last byte, none is left,
                // and the next block starts at e).
                starts = runs3 & !(after ^ after.wrapping_sub(1));
            }
        }
        b += 64;
        // SAFETY: lit <= b <= n (lit was less than the block's end).
        match unsafe { whole_literal::<WRITE>(xp, out, b, lit, o) } {
            Some(next) => (lit, o) = next,
            None => return Ok((lit, o)),
        }
    }
    Ok((lit, o))
}

/// After a block that ends at `b`: when the literal bytes `lit..b` (in which no run
/// starts) reach 128, writes the first 128 as a whole literal packet. Returns the new
/// `(lit, o)`, or `None` when `out` has less than [`BLOCKS_ROOM`] left for it (the block
/// loop then stops at the cut `(lit, o)`).
///
/// # Safety
/// `lit <= b <= xp`'s length (a slice that does not overlap `out`); `o <= out.len()`.
#[inline(always)]
unsafe fn whole_literal<const WRITE: bool>(
    xp: *const u8,
    out: &mut [core::mem::MaybeUninit<u8>],
    b: usize,
    lit: usize,
    o: usize,
) -> Option<(usize, usize)> {
    if b - lit < BLOCK {
        return Some((lit, o));
    }
    if WRITE && out.len() - o < BLOCKS_ROOM {
        return None;
    }
    // SAFETY: lit + 128 <= b, within the input; with WRITE, o + BLOCKS_ROOM <= out.len().
    let o = unsafe { literal_packet::<WRITE>(xp, out, lit, BLOCK, o) };
    Some((lit + BLOCK, o))
}

/// Encodes runs of the block at `b` that end in it, and the literal bytes before each
/// (from `lit` on), at `out[o..]`: run `i` starts at the `i`-th set bit of `firsts` and
/// ends at the `i`-th of `lasts`. Returns the new `(lit, o)`: the end of the last run, and
/// the bytes written.
///
/// One literal packet and one run packet a run, each a fixed number of stores whatever
/// its length (the literal's header and bytes are written even when it is empty, and the
/// run packet then overwrites them), so that a block costs one branch a run (the loop's),
/// not one a packet and length class.
///
/// # Safety
/// `firsts` (not zero) holds the starts of runs of three or more bytes in the block at
/// `b`, the first at most 128 bytes after `lit`, and `lasts` their ends, as many (the block
/// loop's masks); no run starts in `lit..b`, `lit` is at most the first run's start and
/// less than `b + 64`, and `x[lit.min(b)..b + 256]` is readable
/// through `xp` (a slice that does not overlap `out`); with `WRITE`,
/// `o + BLOCKS_ROOM <= out.len()`.
#[inline(always)]
unsafe fn short_runs<const WRITE: bool>(
    xp: *const u8,
    out: &mut [core::mem::MaybeUninit<u8>],
    b: usize,
    lit: usize,
    firsts: u64,
    lasts: u64,
    o: usize,
) -> (usize, usize) {
    // The output stays within BLOCKS_ROOM: the first literal packet takes at most 129
    // bytes; after it, every packet pair (literal of k, run of r >= 3) takes k + 3 <= k + r
    // bytes for k + r of input, so at most 64 more bytes in all; the last copy writes 64
    // bytes past its header: 129 + 64 + 65 <= BLOCKS_ROOM.
    //
    // The first literal may start in an earlier block and hold up to 128 bytes; the
    // others start and end in this one, so hold fewer than 64.
    // SAFETY: the caller's contract: k <= 128, x[lit..lit + 128] readable (lit < b + 64), room
    // for 131 bytes.
    let (mut lit, mut o) = unsafe { run_packet::<WRITE, BLOCK>(xp, out, b, lit, firsts, lasts, o) };
    let (mut firsts, mut lasts) = (firsts & (firsts - 1), lasts & (lasts - 1));
    while firsts != 0 {
        // SAFETY: as above, with k < 64 (the literal starts at the run before, in this
        // block): x[lit..lit + 64] is in x[b..b + 128]; room for 67 more bytes (above).
        (lit, o) = unsafe { run_packet::<WRITE, 64>(xp, out, b, lit, firsts, lasts, o) };
        (firsts, lasts) = (firsts & (firsts - 1), lasts & (lasts - 1));
    }
    (lit, o)
}

/// One step of [`short_runs`]: the literal packet from `lit` to the run at the lowest bit
/// of `firsts` (header and `COPY` bytes whatever its length; nothing counted when it is
/// empty, and the run packet then goes over its header), and the run packet to the lowest
/// bit of `lasts`. Returns the new `(lit, o)`.
///
/// # Safety
/// `firsts` and `lasts` are not zero; their lowest bits are a run's start and end in the
/// block at `b`; the literal `lit..` that run's start is at most `COPY` bytes;
/// `x[lit..lit + COPY]` and `x[b..b + 64]` are readable through `xp` (a slice that does
/// not overlap `out`); with `WRITE`, `out[o..o + COPY + 3]` is writable.
#[inline(always)]
unsafe fn run_packet<const WRITE: bool, const COPY: usize>(
    xp: *const u8,
    out: &mut [core::mem::MaybeUninit<u8>],
    b: usize,
    lit: usize,
    firsts: u64,
    lasts: u64,
    mut o: usize,
) -> (usize, usize) {
    let j = b + firsts.trailing_zeros() as usize;
    let e = b + lasts.trailing_zeros() as usize + 1;
    let k = j - lit;
    let op = out.as_mut_ptr().cast::<u8>();
    if WRITE {
        // SAFETY: the caller's contract: out[o..o + COPY + 1] writable, x[lit..lit + COPY]
        // readable, no overlap. Bytes past the packet are overwritten by the next packets
        // or lie past the returned length.
        unsafe {
            *op.add(o) = (k as u8).wrapping_sub(1);
            ptr::copy_nonoverlapping(xp.add(lit), op.add(o + 1), COPY);
        }
    }
    o += k + (k != 0) as usize;
    if WRITE {
        // SAFETY: o is now at most the old o + COPY + 1, so out[o..o + 2] is writable; j is
        // in the block, so x[j] is readable.
        unsafe {
            let packet = [(257 - (e - j)) as u8, *xp.add(j)];
            ptr::write_unaligned(op.add(o).cast::<[u8; 2]>(), packet);
        }
    }
    (e, o + 2)
}

/// Writes (with `WRITE`) the literal packet `x[lit..lit + k]`, `k <= 128`, at `out[o..]` as
/// its header and a whole 128-byte copy, and returns the new `o`; an empty one is written
/// (the next packet goes over its header) but not counted.
///
/// # Safety
/// `xp[lit..lit + 128]` is readable (part of a slice `x` that does not overlap `out`) and,
/// with `WRITE`, `o + 129 <= out.len()`.
#[inline(always)]
unsafe fn literal_packet<const WRITE: bool>(
    xp: *const u8,
    out: &mut [core::mem::MaybeUninit<u8>],
    lit: usize,
    k: usize,
    o: usize,
) -> usize {
    if WRITE {
        debug_assert!(k <= BLOCK && o + BLOCK < out.len());
        // SAFETY: the caller's contract: o + 129 <= out.len(), xp[lit..lit + 128] readable,
        // no overlap. The bytes past the packet are overwritten later or lie past the
        // returned length.
        unsafe {
            let op = out.as_mut_ptr().cast::<u8>();
            *op.add(o) = (k as u8).wrapping_sub(1);
            ptr::copy_nonoverlapping(xp.add(lit), op.add(o + 1), BLOCK);
        }
    }
    o + k + (k != 0) as usize
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
        let mut rng = runlen_support::Rng(0x9E37_79B9_7F4A_7C15);
        let rounds = if cfg!(miri) { 20 } else { 2000 };
        (0..rounds).map(move |round| {
            let alphabet = [2, 3, 256][round % 3];
            core::array::from_fn(|_| rng.below(alphabet) as u8)
        })
    }

    /// Blocks whose runs of three or more all end in them, with their [`super::Segment`]:
    /// runs of 1 to 6 bytes, now and then up to 40, over alphabets of 2, 3 and 256 values
    /// (fewer under Miri).
    pub(crate) fn segments() -> impl Iterator<Item = ([u8; 66], super::Segment)> {
        let mut rng = runlen_support::Rng(0x2545_F491_4F6C_DD1D);
        let rounds = if cfg!(miri) { 40 } else { 20_000 };
        (0..rounds).filter_map(move |round| {
            let alphabet = [2, 3, 256][round % 3];
            let mut w = [0u8; 66];
            let mut i = 0;
            while i < 66 {
                let len = if rng.below(8) == 0 {
                    1 + rng.below(40)
                } else {
                    1 + rng.below(6)
                };
                let v = rng.below(alphabet) as u8;
                for b in w.iter_mut().skip(i).take(len as usize) {
                    *b = v;
                }
                i += len as usize;
            }
            let (runs3, ends) = reference_masks(&w);
            let firsts = runs3 & !(runs3 << 1);
            let lasts = ends & (runs3 << 2);
            (firsts != 0 && firsts.count_ones() == lasts.count_ones())
                .then(|| (w, super::Segment::new(firsts, lasts)))
        })
    }

    /// The default segment writer gives what the scalar encoder gives for the segment's
    /// bytes alone (its runs start and end it, so are maximal there), and [`Segment::len`]
    /// counts those bytes.
    ///
    /// [`Segment::len`]: super::Segment::len
    #[test]
    fn segment_packets_encode_the_span() {
        let mut checked = 0;
        for (w, seg) in segments() {
            let block: &[u8; 64] = w[..64].try_into().unwrap();
            let start = seg.firsts.trailing_zeros() as usize;
            let mut want = [0u8; 200];
            let n = crate::packbits::encode_with(
                crate::Backend::Scalar,
                &mut want,
                &block[start..seg.end],
            )
            .unwrap();
            let mut got = [0xA5u8; 64];
            super::segment_packets(block, &seg, &mut got);
            assert_eq!(seg.len(), n, "{w:?}");
            assert_eq!(got[..n], want[..n], "{w:?}");
            checked += 1;
        }
        assert!(checked > if cfg!(miri) { 2 } else { 1000 }, "{checked}");
    }
}
