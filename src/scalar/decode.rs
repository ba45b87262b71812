//! The decode reference: the pair-at-a-time definition that finishes every decode call, and
//! the word-at-a-time (SWAR) primitives that make [`Backend::Scalar`](crate::Backend) a
//! block decoder like the vector ones.
//!
//! A block here is 8 pairs (16 encoded bytes) read as two little-endian `u64` words, so
//! the value of pair `i` is byte `2 * i`, the low byte of 16-bit lane `i`, and its count
//! the high byte, on either endianness.

use crate::decode::Pairs;

/// Why [`expand_pairs`] stopped before the end of its input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Stop {
    /// Every pair was written.
    Done,
    /// The pair at this byte offset has count 0; everything before it was written.
    ZeroCount(usize),
    /// The pair at `consumed` does not fit in what is left of `out`.
    Full,
}

/// Expands whole pairs of `encoded` (its odd last byte, if any, is ignored) into `out`, in
/// order, checking every pair: the format's definition, and the tail of every decode call.
/// Returns `(consumed, written, why it stopped)`; a pair is consumed only when its whole
/// run was written. Writes nothing past `written`.
pub(crate) fn expand_pairs(
    encoded: &[u8],
    out: &mut [core::mem::MaybeUninit<u8>],
) -> (usize, usize, Stop) {
    let mut written = 0;
    for (i, pair) in encoded.chunks_exact(2).enumerate() {
        let (value, count) = (pair[0], usize::from(pair[1]));
        if count == 0 {
            return (2 * i, written, Stop::ZeroCount(2 * i));
        }
        let Some(run) = out.get_mut(written..written + count) else {
            return (2 * i, written, Stop::Full);
        };
        crate::uninit::fill(run, value);
        written += count;
    }
    (encoded.len() & !1, written, Stop::Done)
}

/// Scans whole pairs of `encoded` for the first zero count and sums the counts, saturating
/// at `u64::MAX` (so an overflow still lets the scan find a later zero count). Returns the
/// offset of the first zero-count pair, if any, and the sum of the counts before it.
pub(crate) fn measure_pairs(encoded: &[u8]) -> (Option<usize>, u64) {
    let mut total: u64 = 0;
    for (i, pair) in encoded.chunks_exact(2).enumerate() {
        if pair[1] == 0 {
            return (Some(2 * i), total);
        }
        total = total.saturating_add(u64::from(pair[1]));
    }
    (None, total)
}

/// Bit `16 * i` set: one per 16-bit lane.
const LANE_LSB: u64 = 0x0001_0001_0001_0001;
/// The low byte of every 16-bit lane: the values.
const LOW_BYTES: u64 = 0x00FF_00FF_00FF_00FF;
/// The top bit of every 16-bit lane.
const LANE_MSB: u64 = 0x8000_8000_8000_8000;

/// The four counts of a word, one per 16-bit lane (each in `0..=255`).
#[inline(always)]
fn counts(word: u64) -> u64 {
    (word >> 8) & LOW_BYTES
}

/// The word-at-a-time block primitives.
pub(crate) struct Swar;

// SAFETY: every method reads or writes exactly the bytes its contract in `Pairs` names,
// through unaligned accesses of plain integers, and needs no CPU feature.
unsafe impl Pairs for Swar {
    const PAIRS: usize = 8;
    const SPLAT: usize = 8;
    const TIERS: [usize; 3] = [8, 0, 0];
    type Block = [u64; 2];

    #[inline(always)]
    unsafe fn load(src: *const u8) -> [u64; 2] {
        // SAFETY: the caller guarantees 16 readable bytes at `src`.
        unsafe {
            [
                u64::from_le(src.cast::<u64>().read_unaligned()),
                u64::from_le(src.add(8).cast::<u64>().read_unaligned()),
            ]
        }
    }

    #[inline(always)]
    unsafe fn has_zero(b: [u64; 2]) -> bool {
        // A lane of 0 borrows from its top bit, which no count in 1..=255 sets; a borrow
        // only ever flows into the lane above an actual zero, so `any` is exact.
        let zero = |w: u64| counts(w).wrapping_sub(LANE_LSB) & !counts(w) & LANE_MSB;
        zero(b[0]) | zero(b[1]) != 0
    }

    #[inline(always)]
    unsafe fn sum(b: [u64; 2]) -> u32 {
        // Four lanes of at most 255 sum to at most 1020: the multiply's top lane holds the
        // total without a carry.
        let lane_sum = |w: u64| (counts(w).wrapping_mul(LANE_LSB) >> 48) as u32;
        lane_sum(b[0]) + lane_sum(b[1])
    }

    #[inline(always)]
    unsafe fn at_most(b: [u64; 2], limit: usize) -> bool {
        // Adding 0x7FFF - limit sets a lane's top bit exactly when its count is above
        // `limit`, and cannot carry out of the lane (255 + 0x7FFF < 0x10000).
        let bias = (0x7FFF - limit as u64) * LANE_LSB;
        let over = |w: u64| counts(w).wrapping_add(bias) & LANE_MSB;
        over(b[0]) | over(b[1]) == 0
    }

    #[inline(always)]
    unsafe fn all_ones(b: [u64; 2]) -> bool {
        counts(b[0]) == LANE_LSB && counts(b[1]) == LANE_LSB
    }

    #[inline(always)]
    unsafe fn store_values(b: [u64; 2], dst: *mut u8) {
        // Gathers the low byte of each 16-bit lane into the low 4 bytes.
        let pack = |w: u64| {
            let v = w & LOW_BYTES;
            let v = (v | (v >> 8)) & 0x0000_FFFF_0000_FFFF;
            (v | (v >> 16)) & 0xFFFF_FFFF
        };
        let values = pack(b[0]) | (pack(b[1]) << 32);
        // SAFETY: the caller guarantees 8 writable bytes at `dst`.
        unsafe { dst.cast::<u64>().write_unaligned(values.to_le()) }
    }

    #[inline(always)]
    unsafe fn splat_n(dst: *mut u8, value: u8, width: usize) {
        debug_assert_eq!(width, 8);
        // SAFETY: the caller guarantees `width` (always 8) writable bytes at `dst`.
        unsafe {
            dst.cast::<u64>()
                .write_unaligned(u64::from(value) * 0x0101_0101_0101_0101)
        }
    }
}

/// The scalar expand kernel (see [`ExpandKernel`](crate::decode::ExpandKernel)).
///
/// # Safety
/// None beyond the kernel contract: it needs no CPU feature (`unsafe` only to share the
/// kernel type).
pub(crate) unsafe fn expand(
    encoded: &[u8],
    out: &mut [core::mem::MaybeUninit<u8>],
) -> (usize, usize) {
    // SAFETY: `Swar` needs no CPU feature.
    unsafe { crate::decode::expand_blocks::<Swar>(encoded, out) }
}

/// The scalar measure kernel (see [`MeasureKernel`](crate::decode::MeasureKernel)).
///
/// # Safety
/// As [`expand`].
pub(crate) unsafe fn measure(encoded: &[u8]) -> (usize, Option<u64>) {
    // SAFETY: `Swar` needs no CPU feature.
    unsafe { crate::decode::measure_blocks::<Swar>(encoded) }
}
