//! Decoding: the kernel types and the block driver every backend shares.
//!
//! A kernel expands whole blocks of pairs while each block is free of zero counts and fits
//! in `out`; the engine (`crate::engine`) finishes with the checked scalar reference and
//! finds the exact error, if any.
//!
//! A backend supplies the few operations that differ per ISA through [`Pairs`]; the
//! driver's loops ([`expand_blocks`], [`measure_blocks`]) are written once, here, and
//! instantiated inside each backend's `#[target_feature]` wrapper.

/// Expands a prefix of `encoded` (pairs, even length or not) into `out` and returns
/// `(consumed, written)`.
///
/// Contract, for every implementation:
/// - `consumed` is even, and `encoded[..consumed]` holds no zero count;
/// - `out[..written]` is exactly the expansion of `encoded[..consumed]`;
/// - nothing at or past `out.len()` is written; bytes of `out` past `written` may be;
/// - it may stop anywhere; the caller finishes with
///   [`expand_pairs`](crate::scalar::decode::expand_pairs).
///
/// It is `unsafe` only because a vector kernel needs its CPU features.
pub(crate) type ExpandKernel =
    unsafe fn(encoded: &[u8], out: &mut [core::mem::MaybeUninit<u8>]) -> (usize, usize);

/// Scans a prefix of `encoded` and returns `(scanned, total)`: `scanned` is even,
/// `encoded[..scanned]` holds no zero count, and `total` is the sum of its counts (`None`
/// if that overflows `u64`). It may stop anywhere; the caller finishes with
/// [`measure_pairs`](crate::scalar::decode::measure_pairs). `unsafe` as [`ExpandKernel`].
pub(crate) type MeasureKernel = unsafe fn(encoded: &[u8]) -> (usize, Option<u64>);

/// Shuffle patterns (`pshufb`, `tbl`) for 8 pairs whose counts are 1 or 2: entry `k` gives,
/// for each output byte, the index (0..8) of the value it copies, pair `j` copied twice
/// when bit `j` of `k` is set; the `16 - 8 - k.count_ones()` bytes past the expansion are
/// 0x80 (zero for both instructions). The mirror image of the encoder's compress tables.
#[cfg(runlen_simd)]
pub(crate) static SMALL_PATTERNS: SmallPatterns = SmallPatterns(small_patterns());

/// See [`SMALL_PATTERNS`]; aligned so that no entry straddles a cache line.
#[cfg(runlen_simd)]
#[repr(C, align(64))]
pub(crate) struct SmallPatterns(pub(crate) [[u8; 16]; 256]);

#[cfg(runlen_simd)]
const fn small_patterns() -> [[u8; 16]; 256] {
    let mut table = [[0x80u8; 16]; 256];
    let mut k = 0;
    while k < 256 {
        let mut at = 0;
        let mut j = 0;
        while j < 8 {
            table[k][at] = j as u8;
            at += 1;
            if k & (1 << j) != 0 {
                table[k][at] = j as u8;
                at += 1;
            }
            j += 1;
        }
        k += 1;
    }
    table
}

/// Shuffle patterns (`pshufb`, `tbl`) for 4 pairs whose counts are 1 to 8, read straight
/// from their 8 encoded bytes: entry `octs_key(group)` (the NEON kernel's key) gives, for
/// each of 32 output bytes, the offset (0, 2, 4 or 6) of the value byte it copies; bytes
/// past the expansion are 0x80 (zero for both instructions). Four pairs of at most 8 fill
/// at most one 32-byte store, so a block of such pairs expands a group per store without a
/// branch per pair.
#[cfg(runlen_simd)]
pub(crate) static OCTS: Octs = Octs(octs());

/// See [`OCTS`]; aligned so that no entry straddles a cache line.
#[cfg(runlen_simd)]
#[repr(C, align(64))]
pub(crate) struct Octs(pub(crate) [[u8; 32]; 4096]);

#[cfg(runlen_simd)]
const fn octs() -> [[u8; 32]; 4096] {
    let mut table = [[0x80u8; 32]; 4096];
    let mut key = 0;
    while key < 4096 {
        let mut at = 0;
        let mut pair = 0;
        while pair < 4 {
            let count = ((key >> (3 * pair)) & 7) + 1;
            let mut k = 0;
            while k < count {
                table[key][at] = 2 * pair as u8;
                at += 1;
                k += 1;
            }
            pair += 1;
        }
        key += 1;
    }
    table
}

/// The [`OCTS`] entry of 4 pairs, given as their 8 encoded bytes in a little-endian
/// `u64`, and the length of their expansion. Every count must be 1 to 8.
///
/// The key packs `count - 1` of pair `i` into bits `3i..3i + 3`: the counts sit in bytes
/// 1, 3, 5 and 7, and one multiply moves all four next to each other (the shifted copies
/// that land elsewhere are disjoint from the key's bits and from each other, so nothing
/// carries into it). Another multiply adds the four counts in the top 16 bits.
#[cfg(all(runlen_simd, any(target_arch = "aarch64", test)))]
#[inline(always)]
pub(crate) fn octs_key(group: u64) -> (usize, usize) {
    const COUNTS: u64 = 0x00FF_00FF_00FF_00FF;
    let counts = (group >> 8) & COUNTS;
    let minus_one = (counts - 0x0001_0001_0001_0001) & 0x0007_0007_0007_0007;
    let key = (minus_one.wrapping_mul((1 << 39) | (1 << 26) | (1 << 13) | 1) >> 39) & 0xFFF;
    let len = counts.wrapping_mul(0x0001_0001_0001_0001) >> 48;
    (key as usize, len as usize)
}

/// What an ISA supplies to the decode driver: blocks of `PAIRS` pairs (`2 * PAIRS`
/// encoded bytes) and the operations on them. The driver decides everything else: which
/// path a block takes, the room each needs, where each store goes.
///
/// # Safety
/// Implementations must do exactly what each method's contract says and nothing more;
/// the driver's bounds arguments rest on it. Every method may assume that the CPU has the
/// features of the implementing backend: the driver is only ever instantiated inside a
/// function that has them (enabled by `#[target_feature]` or by the build). The driver
/// asks `all_ones`, `small` and `expand_small` only about blocks for which `has_zero` is
/// false, and they may assume it; `all_ones` is asked first and must be exact.
pub(crate) unsafe trait Pairs {
    /// Pairs per block, at most 64.
    const PAIRS: usize;
    /// Bytes one [`splat`](Pairs::splat) store writes: the widest store, for long runs.
    const SPLAT: usize;
    /// Store widths for blocks whose counts all fit one store, narrowest first (0: none).
    /// Narrow stores cross fewer cache lines, so short runs go faster with them.
    const TIERS: [usize; 3];
    /// Bytes past its run's end that [`expand_small`](Pairs::expand_small) may write.
    const SMALL_SLACK: usize = 0;
    /// Splat stores every pair of a block with long runs gets without a branch (more only
    /// for a run longer than `LONG_STORES * SPLAT`): enough that the branch is rare on
    /// runs of tens of bytes, few enough not to waste stores on short ones.
    const LONG_STORES: usize = 2;
    /// Splat stores per step of the fill loop beyond those, at most `LONG_STORES`: more
    /// per step means fewer loop branches per run, which pays where stores are narrow.
    const FILL_STORES: usize = 1;
    /// Whether the fill loop's stores are aligned to `SPLAT` (its first step starts up to
    /// `SPLAT - 1` bytes before the fixed stores' end): an unaligned store splits a cache
    /// line about half the time, which bounds runs of tens of bytes where stores are
    /// wide.
    const ALIGNED_FILL: bool = false;
    /// Whether a block with a count above the widest of `TIERS` whose counts are at most
    /// `2 * SPLAT` takes a `SPLAT` store per pair and then one more per run longer than
    /// that, ending where the run ends ([`ends`](Pairs::ends) supplies where), instead of
    /// the long path's two stores per pair and its fill loop's branch.
    const END_STORES: bool = false;
    /// Whether the per-pair stores read each pair with one 16-bit load rather than two
    /// byte loads: where the backend broadcasts a general register into a vector in one
    /// instruction (AVX-512 BW), that saves a load per pair; elsewhere the move into a
    /// vector register costs more than the load.
    const WORD_PAIRS: bool = false;
    /// A block held in registers.
    type Block: Copy;

    /// Reads the block at `src`.
    ///
    /// # Safety
    /// `2 * PAIRS` bytes at `src` are readable.
    unsafe fn load(src: *const u8) -> Self::Block;

    /// Whether some pair of the block has count 0.
    ///
    /// # Safety
    /// The CPU has the backend's features.
    unsafe fn has_zero(b: Self::Block) -> bool;

    /// The sum of the block's counts.
    ///
    /// # Safety
    /// The CPU has the backend's features.
    unsafe fn sum(b: Self::Block) -> u32;

    /// Whether every count of the block is at most `limit`, one of `TIERS`.
    ///
    /// # Safety
    /// The CPU has the backend's features.
    unsafe fn at_most(b: Self::Block, limit: usize) -> bool;

    /// Whether every count of the block is 1 (exactly: it is asked before `has_zero`).
    ///
    /// # Safety
    /// The CPU has the backend's features.
    unsafe fn all_ones(b: Self::Block) -> bool;

    /// Writes the block's `PAIRS` values, in order, to `dst`: the expansion of a block
    /// whose counts are all 1.
    ///
    /// # Safety
    /// `PAIRS` bytes at `dst` are writable.
    unsafe fn store_values(b: Self::Block, dst: *mut u8);

    /// If every count of the block is 1 or 2 and the backend has a table-driven expansion
    /// for that, the mask with bit `i` set where pair `i` has count 2. `None` otherwise,
    /// and always for a block with a count of 0: it is asked before
    /// [`has_zero`](Pairs::has_zero), so that blocks of ones and twos skip that test.
    ///
    /// # Safety
    /// The CPU has the backend's features.
    #[inline(always)]
    unsafe fn small(_b: Self::Block) -> Option<u64> {
        None
    }

    /// Writes the expansion of a block for which [`small`](Pairs::small) gave `twos`:
    /// `PAIRS + twos.count_ones()` bytes, and at most `SMALL_SLACK` more after them.
    ///
    /// # Safety
    /// `small(b) == Some(twos)`, and `PAIRS + twos.count_ones() + SMALL_SLACK` bytes at
    /// `dst` are writable.
    #[inline(always)]
    unsafe fn expand_small(_b: Self::Block, _twos: u64, _dst: *mut u8) {
        unreachable!("expand_small without small")
    }

    /// Expands a block of short runs a whole vector at a time, if its counts allow the
    /// backend's way of doing that and the stores fit in `room`: returns the expansion's
    /// length, having written it at `dst` and nothing at or past `dst + room`. `None`:
    /// nothing written, and the driver takes its per-pair paths. Always `None` for a block
    /// with a count of 0: it is asked before [`has_zero`](Pairs::has_zero), so that the
    /// blocks it expands skip that test.
    ///
    /// # Safety
    /// `src` points at the block's `2 * PAIRS` encoded bytes, from which `b` was loaded;
    /// `room` bytes at `dst` are writable.
    #[inline(always)]
    unsafe fn expand_short(
        _b: Self::Block,
        _src: *const u8,
        _dst: *mut u8,
        _room: usize,
    ) -> Option<usize> {
        None
    }

    /// For a block whose counts are all at most `2 * SPLAT`: the running sums of its
    /// counts (entry `i`: the sum of the counts of pairs `0..=i`, for `i < PAIRS`) and the
    /// mask with bit `i` set where pair `i`'s count is above `SPLAT`. Called only where
    /// `END_STORES` is true, and then `PAIRS` is at most 32.
    ///
    /// # Safety
    /// The CPU has the backend's features; every count of `b` is 1 to `2 * SPLAT`.
    #[inline(always)]
    unsafe fn ends(_b: Self::Block) -> ([u16; 32], u32) {
        unreachable!("ends without END_STORES")
    }

    /// Writes `width` copies of `value` to `dst`; `width` is `SPLAT` or one of `TIERS`
    /// (a constant once the driver is inlined).
    ///
    /// # Safety
    /// `width` bytes at `dst` are writable.
    unsafe fn splat_n(dst: *mut u8, value: u8, width: usize);

    /// Writes `SPLAT` copies of `value` to `dst`.
    ///
    /// # Safety
    /// `SPLAT` bytes at `dst` are writable.
    #[inline(always)]
    unsafe fn splat(dst: *mut u8, value: u8) {
        // SAFETY: forwarded from the caller.
        unsafe { Self::splat_n(dst, value, Self::SPLAT) }
    }
}

/// The value and the count of the pair at `src`, read as `P::WORD_PAIRS` says.
///
/// # Safety
/// 2 bytes at `src` are readable.
#[inline(always)]
unsafe fn read_pair<P: Pairs>(src: *const u8) -> (u8, usize) {
    // SAFETY: the caller guarantees the 2 bytes.
    unsafe {
        if P::WORD_PAIRS {
            let pair = u16::from_le(src.cast::<u16>().read_unaligned());
            (pair as u8, usize::from(pair >> 8))
        } else {
            (*src, usize::from(*src.add(1)))
        }
    }
}

/// One `width`-byte splat store per pair of the block at `src`, each where its run starts
/// (at `w` and on, in `dst`), in steps of eight pairs (the compiler unrolls a loop of
/// constant length 8 whatever else the kernel holds); returns `w` past the block's
/// expansion. Each store ends at most `width` bytes past that expansion.
///
/// # Safety
/// `2 * P::PAIRS` bytes at `src` are readable; `dst[w..w + sum + width]` is writable, `sum`
/// the block's counts' sum; `width` is `SPLAT` or one of `TIERS`; the CPU has `P`'s features.
#[inline(always)]
unsafe fn store_per_pair<P: Pairs>(
    src: *const u8,
    dst: *mut u8,
    mut w: usize,
    width: usize,
) -> usize {
    const { assert!(P::PAIRS % 8 == 0) };
    for step in 0..P::PAIRS / 8 {
        for i in 0..8 {
            // SAFETY: pair `8 step + i` is inside the block; its store starts at `w`, below
            // the expansion's end, and spans `width` bytes: inside what the caller gave.
            unsafe {
                let (value, count) = read_pair::<P>(src.add(16 * step + 2 * i));
                P::splat_n(dst.add(w), value, width);
                w += count;
            }
        }
    }
    w
}

/// The expand driver (an [`ExpandKernel`] once instantiated): whole blocks, each by the
/// cheapest path its counts allow, while it has no zero count and its expansion fits.
///
/// # Safety
/// The CPU has `P`'s features.
#[inline(always)]
pub(crate) unsafe fn expand_blocks<P: Pairs>(
    encoded: &[u8],
    out: &mut [core::mem::MaybeUninit<u8>],
) -> (usize, usize) {
    let block = 2 * P::PAIRS;
    let n = encoded.len();
    let cap = out.len();
    let src = encoded.as_ptr();
    let dst = out.as_mut_ptr().cast::<u8>();
    let mut p = 0;
    let mut w = 0;
    // Invariants: `p` is even and `p <= n`; `w <= cap`; `out[..w]` is the expansion of
    // `encoded[..p]`.
    'blocks: while n - p >= block {
        // SAFETY: `p + block <= n`. The CPU has `P`'s features (this function's contract)
        // for this and every `P` call below.
        let b = unsafe { P::load(src.add(p)) };
        let room = cap - w;
        // Ones first: random data and most text take this path, and a block of ones has
        // no zero count to test for.
        // SAFETY: as above.
        if unsafe { P::all_ones(b) } {
            if room < P::PAIRS {
                break;
            }
            // SAFETY: `PAIRS` bytes of room at `w`, checked just above.
            unsafe { P::store_values(b, dst.add(w)) };
            w += P::PAIRS;
            p += block;
            continue;
        }
        // Ones and twos next; `small` turns away a count of 0 itself.
        // SAFETY: as above.
        if let Some(twos) = unsafe { P::small(b) } {
            let len = P::PAIRS + twos.count_ones() as usize;
            if room < len + P::SMALL_SLACK {
                break;
            }
            // SAFETY: `small` gave `twos`; the room it needs is checked just above.
            unsafe { P::expand_small(b, twos, dst.add(w)) };
            w += len;
            p += block;
            continue;
        }
        // Short runs: a vector of output per step, where the backend has a way; it turns
        // away a count of 0 itself.
        // SAFETY: `p + block <= n`, `b` was loaded from there; `room` bytes from `w` are
        // inside `out`.
        if let Some(len) = unsafe { P::expand_short(b, src.add(p), dst.add(w), room) } {
            w += len;
            p += block;
            continue;
        }
        // SAFETY: as above.
        if unsafe { P::has_zero(b) } {
            break;
        }
        // Mixed counts: pair by pair, with splat stores. When the block's whole expansion
        // and the overhang of its last stores fit, no pair needs a room test.
        // SAFETY: as above.
        let sum = unsafe { P::sum(b) } as usize;
        let long = P::LONG_STORES * P::SPLAT;
        const { assert!(P::FILL_STORES >= 1 && P::FILL_STORES <= P::LONG_STORES) };
        let end = p + block;
        // The pairs are read again from memory, one by one. Hidden behind `black_box`,
        // the pointer no longer tells the compiler that they are bytes of `b`, which it
        // would otherwise extract from a spilled copy of `b` ahead of every branch above,
        // slowing the paths that never need them.
        let src = core::hint::black_box(src);
        for width in P::TIERS {
            // SAFETY: as above.
            if width == 0 || room < sum + width || !unsafe { P::at_most(b, width) } {
                continue;
            }
            // SAFETY: `p + block <= n`; the stores lie inside `w..w + sum + width`, inside
            // `out` by the test above.
            w = unsafe { store_per_pair::<P>(src.add(p), dst, w, width) };
            p = end;
            continue 'blocks;
        }
        // Runs of up to two stores: the per-pair stores of the tiers, then one more store
        // for each run longer than a store, ending where that run ends. The second stores
        // need no branch per pair and no fill loop, and the room is a store, not two.
        // SAFETY: as above.
        if P::END_STORES && room >= sum + P::SPLAT && unsafe { P::at_most(b, 2 * P::SPLAT) } {
            const { assert!(!P::END_STORES || P::PAIRS <= 32) };
            // SAFETY: as above; every count is at most `2 * SPLAT`.
            let (ends, longs) = unsafe { P::ends(b) };
            let start = w;
            // SAFETY: `p + block <= n`; the stores lie inside `w..w + sum + SPLAT`, inside
            // `out` by the room test above.
            w = unsafe { store_per_pair::<P>(src.add(p), dst, w, P::SPLAT) };
            // Each run's first store, and the later runs' stores over what it wrote past
            // its end, are in place: a run's second store lies inside the run (it is longer
            // than the store and at most two), so it overwrites no other run.
            let mut longs = longs;
            while longs != 0 {
                let i = longs.trailing_zeros() as usize;
                // SAFETY: pair `i` is inside the block (`longs` has no bit at or past
                // `PAIRS`, and `ends` has an entry for each). Its run ends at
                // `start + ends[i] <= start + sum`, inside `out`, and is longer than
                // `SPLAT`, so the store begins inside the run, at or after `start`.
                unsafe {
                    let run_end = start + usize::from(ends[i]);
                    P::splat(dst.add(run_end - P::SPLAT), *src.add(p + 2 * i));
                }
                longs &= longs - 1;
            }
            p = end;
            continue;
        }
        if room >= sum + long {
            while p < end {
                // SAFETY: `p + 1 < end <= n`. The fixed stores cover `w..w + long`; each
                // fill step starts below `count` (and at or after `w`) and spans
                // `FILL_STORES * SPLAT <= long` bytes: all end before `w + count + long`,
                // inside `w..w + sum + long`.
                unsafe {
                    let (value, count) = (*src.add(p), usize::from(*src.add(p + 1)));
                    let d = dst.add(w);
                    for k in 0..P::LONG_STORES {
                        P::splat(d.add(k * P::SPLAT), value);
                    }
                    let step = P::FILL_STORES * P::SPLAT;
                    let mut at = long;
                    if at < count {
                        if P::ALIGNED_FILL {
                            at -= (d.addr() + long) % P::SPLAT;
                        }
                        loop {
                            for k in 0..P::FILL_STORES {
                                P::splat(d.add(at + k * P::SPLAT), value);
                            }
                            at += step;
                            if at >= count {
                                break;
                            }
                        }
                    }
                    w += count;
                }
                p += 2;
            }
            continue;
        }
        // Near the end of `out`: a room test per pair; a run longer than a store gets
        // stores every `SPLAT` bytes and a last one ending at the run's end.
        while p < end {
            // SAFETY: `p + 1 < end <= n`.
            let (value, count) = unsafe { (*src.add(p), usize::from(*src.add(p + 1))) };
            if cap - w < count.max(P::SPLAT) {
                break 'blocks;
            }
            // SAFETY: every store below lies in `w..w + max(count, SPLAT)`, which the room
            // test above keeps inside `out`. The block has no zero count, so `count >= 1`.
            unsafe {
                let d = dst.add(w);
                P::splat(d, value);
                if count > P::SPLAT {
                    let mut at = P::SPLAT;
                    while at + P::SPLAT < count {
                        P::splat(d.add(at), value);
                        at += P::SPLAT;
                    }
                    P::splat(d.add(count - P::SPLAT), value);
                }
            }
            w += count;
            p += 2;
        }
    }
    (p, w)
}

/// The measure driver (a [`MeasureKernel`] once instantiated): sums whole blocks while
/// they have no zero count.
///
/// # Safety
/// The CPU has `P`'s features.
#[inline(always)]
pub(crate) unsafe fn measure_blocks<P: Pairs>(encoded: &[u8]) -> (usize, Option<u64>) {
    let block = 2 * P::PAIRS;
    let n = encoded.len();
    let src = encoded.as_ptr();
    let mut p = 0;
    let mut total = Some(0u64);
    while n - p >= block {
        // SAFETY: `p + block <= n`; the CPU has `P`'s features (this function's contract).
        let b = unsafe { P::load(src.add(p)) };
        // SAFETY: as above.
        if unsafe { P::has_zero(b) } {
            break;
        }
        // SAFETY: as above.
        let sum = u64::from(unsafe { P::sum(b) });
        total = total.and_then(|t| t.checked_add(sum));
        p += block;
    }
    (p, total)
}

#[cfg(all(test, runlen_simd))]
mod tests {
    use super::{OCTS, octs_key};

    /// Every combination of four counts 1..=8 with distinct values: the pattern applied to
    /// the 8 encoded bytes gives the expansion, then zeros; the length is the sum. Under
    /// Miri, a sample: the check is safe code on a table built at compile time, so Miri
    /// adds nothing to a native run but a minute.
    #[test]
    fn octs_expand_every_four_counts() {
        for combo in (0..4096u32).step_by(if cfg!(miri) { 61 } else { 1 }) {
            let counts: [u8; 4] = core::array::from_fn(|i| ((combo >> (3 * i)) & 7) as u8 + 1);
            let mut group = [0u8; 8];
            for (i, &count) in counts.iter().enumerate() {
                group[2 * i] = 0xA0 + i as u8;
                group[2 * i + 1] = count;
            }
            let (key, len) = octs_key(u64::from_le_bytes(group));
            let mut want = [0u8; 32];
            let mut at = 0;
            for (i, &count) in counts.iter().enumerate() {
                want[at..at + usize::from(count)].fill(0xA0 + i as u8);
                at += usize::from(count);
            }
            assert_eq!(len, at, "length of {counts:?}");
            let got: [u8; 32] = core::array::from_fn(|j| {
                let index = OCTS.0[key][j];
                if index & 0x80 != 0 {
                    0
                } else {
                    group[usize::from(index)]
                }
            });
            assert_eq!(got, want, "expansion of {counts:?}");
        }
    }
}
