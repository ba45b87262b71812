//! The encode block driver: the one algorithm every vector kernel runs, written once over
//! a few per-ISA primitives ([`Blocks`], [`Mask`]), in the manner of memchr's
//! `arch/generic`. Each ISA module implements the primitives with `#[inline(always)]`
//! functions and instantiates [`encode`] inside a thin `#[target_feature]` wrapper, so the
//! whole loop is compiled with that ISA's instructions.
//!
//! Per block of [`Blocks::BLOCK`] bytes, a boundary is a byte that differs from the one
//! before it (for the first block, the byte before is the carried run's value). Three cases:
//! - no boundary: the block only lengthens the open run. If the run was already
//!   [`Blocks::SCAN_AFTER`] bytes long before it (a scan step, unless the ISA says
//!   otherwise), stretches of [`Blocks::SKIP`] bytes are then compared with the run's value
//!   while they match, so long runs go at scan speed; runs of a block or two (geometric
//!   ones with a mean of 64, say) skip the attempt and the misprediction that ends it. A
//!   run over 255 is split where it is carried, one `(v, 255)` pair at a time (a block or a
//!   stretch adds at most 255 bytes to a run of at most 255);
//! - every byte a boundary (random data): the ISA stores `(prev[i], 1)` for the whole
//!   block at once ([`Blocks::singles`]), and the driver patches the first count;
//! - otherwise the driver writes the pair that closes the carried run (the only one that can
//!   exceed 255, so the only one that can split), and the ISA's compress step
//!   ([`Blocks::runs`]) writes the pairs of the runs that lie wholly inside the block.
//!
//! Room in `out` is tested once per block: a cheap worst-case test, then, near the end of
//! `out`, against what this block can write. An exactly sized `out` thus keeps the loop
//! running to the last whole block; the scalar tail finishes the rest.

use crate::scalar::Run;

/// A boundary mask: one or more bits per byte of a block, the lowest bits for the first
/// bytes (x86 `movemask` gives one bit per byte, NEON's `shrn` four).
pub(crate) trait Mask: Copy {
    /// No boundary in the block.
    fn is_empty(self) -> bool;
    /// Every byte of the block is a boundary.
    fn is_full(self) -> bool;
    /// The number of boundaries.
    fn count(self) -> usize;
    /// The offset of the first boundary; the mask is not empty.
    fn first(self) -> usize;
    /// The offset of the last boundary; the mask is not empty.
    fn last(self) -> usize;
}

/// One bit per byte (x86 `movemask` and mask registers): `u32` for 32-byte blocks (SSE2),
/// `u64` for 64-byte ones (AVX2, AVX-512).
macro_rules! bit_per_byte_mask {
    ($($t:ty),*) => {$(
        impl Mask for $t {
            #[inline(always)]
            fn is_empty(self) -> bool {
                self == 0
            }
            #[inline(always)]
            fn is_full(self) -> bool {
                self == <$t>::MAX
            }
            #[inline(always)]
            fn count(self) -> usize {
                self.count_ones() as usize
            }
            #[inline(always)]
            fn first(self) -> usize {
                self.trailing_zeros() as usize
            }
            #[inline(always)]
            fn last(self) -> usize {
                (<$t>::BITS - 1 - self.leading_zeros()) as usize
            }
        }
    )*};
}
bit_per_byte_mask!(u32, u64);

/// A block as the driver hands it to the ISA: its bytes, and the same bytes loaded one
/// position earlier, whose byte `i` is the byte before byte `i` (for the first block of a
/// call, the carried run's value stands before the input).
#[derive(Clone, Copy)]
pub(crate) struct Block<V> {
    pub(crate) cur: V,
    pub(crate) prev: V,
}

/// What an ISA supplies to [`encode`].
///
/// # Safety
/// Implementations are instantiated only inside a function compiled with the ISA's target
/// features, whose caller guarantees the CPU has them: every `unsafe fn` here may use
/// them. The pointer and room requirements are stated per method.
pub(crate) unsafe trait Blocks {
    /// Bytes per block, at most 64.
    const BLOCK: usize;
    /// Bytes per step of the long-run scan, a multiple of `BLOCK`, at most 255 (so that a
    /// step adds at most one `(v, 255)` split to a run of at most 255).
    const SKIP: usize;
    /// How long the open run must already be, before an empty block, for the scan to be
    /// tried after it: shorter runs would mostly end inside the first stretch, and the
    /// attempt then costs a misprediction and a wasted compare.
    const SCAN_AFTER: usize = Self::SKIP;
    /// The most [`Blocks::runs`] writes past its `dst` for any block: the cheap room test.
    const MAX_REACH: usize;
    /// `BLOCK` bytes in the ISA's registers.
    type Bytes: Copy;
    /// The boundary mask of a block.
    type Mask: Mask;

    /// Loads the `BLOCK` bytes at `at`.
    ///
    /// # Safety
    /// They are readable.
    unsafe fn load(at: *const u8) -> Self::Bytes;

    /// The block's boundaries: the bytes that differ from the byte before them.
    ///
    /// # Safety
    /// As the trait.
    unsafe fn boundaries(block: &Block<Self::Bytes>) -> Self::Mask;

    /// Whether all `SKIP` bytes at `at` equal `value`.
    ///
    /// # Safety
    /// The `SKIP` bytes at `at` are readable.
    unsafe fn all_equal(at: *const u8, value: u8) -> bool;

    /// Stores the pairs `(prev[i], 1)` for every byte `i` of a block, `2 * BLOCK` bytes.
    ///
    /// # Safety
    /// `dst` is valid for `2 * BLOCK` bytes of writes.
    unsafe fn singles(prev: Self::Bytes, dst: *mut u8);

    /// The bytes [`Blocks::runs`] may write for a block with `pairs` pairs after the first.
    fn reach(pairs: usize) -> usize;

    /// The compress step: writes, from `dst`, one pair for each boundary of `mask` after
    /// the first, `(prev[i], i - previous boundary)`, in order, and returns their bytes,
    /// `2 * pairs`; up to `reach(pairs)` bytes may be touched. `mask` has at least one
    /// boundary and is not full. The two
    /// bytes before `dst` hold the pair the first boundary closed, `(prev[first], count)`:
    /// a step may store over them as long as it writes the same bytes back.
    ///
    /// # Safety
    /// `at` is the block `block` was loaded from, and the two bytes before it are
    /// readable; `dst - 2` is valid for `room + 2 >=
    /// reach(pairs) + 2` bytes of writes, where `pairs` is `mask.count() - 1`.
    unsafe fn runs(
        block: &Block<Self::Bytes>,
        at: *const u8,
        mask: Self::Mask,
        dst: *mut u8,
        room: usize,
    ) -> usize;
}

/// Writes the pair `(value, count)` at `dst`.
///
/// Two byte stores rather than one 16-bit store: the value, loaded from the block, then
/// needs no shift and merge before it can be stored (measured against the 16-bit store at
/// 64 KiB: SSE2 geo8 +15 %, AVX2 geo64 +6 %, AVX-512 geo2, geo8 and geo64 +11-13 %;
/// stores are not what bounds these loops).
///
/// # Safety
/// `dst` is valid for 2 bytes of writes.
#[inline(always)]
pub(crate) unsafe fn put(dst: *mut u8, value: u8, count: u8) {
    // SAFETY: forwarded from the caller.
    unsafe {
        dst.write(value);
        dst.add(1).write(count);
    }
}

/// The pairs of the boundaries after the first, one by one, for masks of one bit per byte:
/// AVX2's compress step for a few boundaries, and SSE2's for every boundary outside a
/// half it stores whole (the first set bit is then the last boundary already written).
///
/// # Safety
/// `at - 1 .. at + 63` is readable where `mask` has bits, `dst` has room for `2 *
/// (mask.count_ones() - 1)` bytes, and `mask` is not zero. Returns the bytes written.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
pub(crate) unsafe fn runs_one_by_one(at: *const u8, mask: u64, dst: *mut u8) -> usize {
    let mut last = mask.trailing_zeros();
    let mut rest = mask & (mask - 1);
    let mut d = dst;
    while rest != 0 {
        let i = rest.trailing_zeros();
        // SAFETY: `i >= 1` is a boundary of the block, so `at + i - 1` is in it; one pair
        // of the room the caller gives per boundary after the first.
        unsafe {
            put(d, *at.add(i as usize - 1), (i - last) as u8);
            d = d.add(2);
        }
        last = i;
        rest &= rest - 1;
    }
    // SAFETY: `d` only moved forward from `dst`, within one buffer.
    unsafe { d.offset_from(dst) as usize }
}

/// Grows the run `(value, *len)` by `add` bytes (at most 255), writing the `(value, 255)`
/// split if it outgrows 255. Returns `false`, changing nothing, when `out` has no room
/// for that pair.
///
/// # Safety
/// `dst` is valid for `cap` bytes of writes and `*w <= cap`.
#[inline(always)]
unsafe fn grow(
    dst: *mut u8,
    cap: usize,
    w: &mut usize,
    value: u8,
    len: &mut u32,
    add: u32,
) -> bool {
    let grown = *len + add;
    if grown > 255 {
        if cap - *w < 2 {
            return false;
        }
        // SAFETY: 2 bytes of room at `w`, checked just above.
        unsafe { put(dst.add(*w), value, 255) };
        *w += 2;
        *len = grown - 255;
    } else {
        *len = grown;
    }
    true
}

/// Bytes in front of the first block's copy: the most any ISA's `load` reads before a block.
const LOOKBEHIND: usize = 2;

/// A vector kernel (see [`Kernel`](crate::scalar::Kernel)) over the primitives of `B`.
///
/// # Safety
/// The CPU has `B`'s target features (see [`Blocks`]); `run` satisfies the kernel
/// contract.
#[inline(always)]
pub(crate) unsafe fn encode<B: Blocks>(
    run: &mut Run,
    input: &[u8],
    out: &mut [core::mem::MaybeUninit<u8>],
) -> (usize, usize) {
    const { assert!(B::BLOCK <= 64 && B::SKIP % B::BLOCK == 0 && B::SKIP <= 255) };
    let n = input.len();
    if n < B::BLOCK {
        return (0, 0);
    }
    let src = input.as_ptr();
    let dst = out.as_mut_ptr().cast::<u8>();
    let cap = out.len();
    let mut value = run.value;
    let mut len = run.len;
    // Consumed input and written output; `p <= n` and `w <= cap` throughout, and `out[..w]`
    // with `(value, len)` is what the reference gives for `input[..p]`, `len <= 255`.
    let mut p = 0;
    let mut w = 0;

    // Every block's load reads up to `LOOKBEHIND` bytes before it. For the first block they
    // stand for the carried run (the byte before `input` is its value; the one before that
    // feeds nothing a pair reads), so it runs on a copy with them in front.
    let mut head = [value; LOOKBEHIND + 64];
    head[LOOKBEHIND..LOOKBEHIND + B::BLOCK].copy_from_slice(&input[..B::BLOCK]);
    // SAFETY: `head` has `LOOKBEHIND` bytes before this point and at least `BLOCK` after.
    let mut s: *const u8 = unsafe { head.as_ptr().add(LOOKBEHIND) };

    'blocks: loop {
        debug_assert!(p + B::BLOCK <= n);
        // SAFETY: `s` is `src + p` with `p >= BLOCK >= LOOKBEHIND` and `p + BLOCK <= n`, or
        // the block in `head`: either way the block and the two bytes before it are
        // readable. The CPU features are the caller's guarantee, for this and every other
        // primitive below.
        let block = unsafe {
            Block {
                cur: B::load(s),
                prev: B::load(s.sub(1)),
            }
        };
        // SAFETY: as above.
        let mask = unsafe { B::boundaries(&block) };
        if mask.is_empty() {
            // Whether the run was long enough before this block to try the scan (see the
            // module docs).
            let scan = len >= B::SCAN_AFTER as u32;
            // SAFETY: `w <= cap` always.
            if !unsafe { grow(dst, cap, &mut w, value, &mut len, B::BLOCK as u32) } {
                break;
            }
            p += B::BLOCK;
            // SAFETY: `p + SKIP <= n` is tested first, so the SKIP bytes are in `input`.
            while scan && p + B::SKIP <= n && unsafe { B::all_equal(src.add(p), value) } {
                // SAFETY: `w <= cap` always.
                if !unsafe { grow(dst, cap, &mut w, value, &mut len, B::SKIP as u32) } {
                    // No room for the split: stop here (continuing the outer loop would
                    // retry the same bytes forever).
                    break 'blocks;
                }
                p += B::SKIP;
            }
        } else if mask.is_full() {
            if cap - w < 2 * B::BLOCK {
                break;
            }
            // SAFETY: `2 * BLOCK` bytes of room at `w`, checked above: the block's pairs
            // are exactly that many, and the count patched is the first pair's. The byte at
            // `s + BLOCK - 1` is in the block.
            unsafe {
                B::singles(block.prev, dst.add(w));
                // The first pair closes the carried run, at most 255 bytes long here.
                dst.add(w + 1).write(len as u8);
                value = *s.add(B::BLOCK - 1);
            }
            w += 2 * B::BLOCK;
            len = 1;
            p += B::BLOCK;
        } else {
            // The carried run ends at the first boundary: at most 255 + 63 bytes, so at
            // most two pairs.
            let mut closed = len + mask.first() as u32;
            let split = closed > 255;
            let room = cap - w;
            // The cheap worst-case test first; the exact count only near the end of `out`.
            if room < 4 + B::MAX_REACH && room < 2 + 2 * split as usize + B::reach(mask.count() - 1)
            {
                break;
            }
            // SAFETY: room at `w` for the closing pair(s) and `reach(pairs)` after them, by
            // the test above; the last byte of the block is in it.
            unsafe {
                // A branch, not a select: `w`, which every later store's address depends
                // on, then waits for no data (the split is rare and well predicted).
                if split {
                    put(dst.add(w), value, 255);
                    w += 2;
                    closed -= 255;
                }
                put(dst.add(w), value, closed as u8);
                w += 2;
                w += B::runs(&block, s, mask, dst.add(w), cap - w);
                // The run left open started at the last boundary and reaches the block's
                // end, so its value is the last byte (no wait for the mask).
                value = *s.add(B::BLOCK - 1);
            }
            len = (B::BLOCK - mask.last()) as u32;
            p += B::BLOCK;
        }
        if p + B::BLOCK > n {
            break;
        }
        // SAFETY: `p >= BLOCK` and `p + BLOCK <= n`.
        s = unsafe { src.add(p) };
    }
    *run = Run { value, len };
    (p, w)
}
