//! The format's reference: a word-at-a-time (SWAR) encoder that defines the bytes every
//! other backend must produce, plus the exact-length query.
//!
//! Everything here is plain integer code, so it is what kernel builds and soft-float
//! targets run. The vector kernels in `arch/` share [`Run`] and the kernel contract
//! described on [`Kernel`], and fall back to [`encode_tail`] for whatever they leave.
//! The decode reference lives in [`decode`].

pub(crate) mod decode;

use core::mem::MaybeUninit;

/// The run still open after the bytes seen so far.
///
/// Runs are split lazily: a `(value, 255)` pair is written only when a 256th equal byte
/// arrives, so between calls `len` is in `1..=255`, or `0` before the first byte.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Run {
    pub(crate) value: u8,
    pub(crate) len: u32,
}

impl Run {
    /// Makes the run ready for `input`: a fresh run adopts the first byte as its value,
    /// so that kernels never see a boundary that would close an empty run.
    #[inline]
    pub(crate) fn prepare(&mut self, input: &[u8]) {
        if self.len == 0
            && let Some(&first) = input.first()
        {
            self.value = first;
        }
    }

    /// Bytes `flush` writes: one pair if a run is open.
    #[inline]
    pub(crate) fn flush_len(&self) -> usize {
        if self.len == 0 { 0 } else { 2 }
    }
}

/// The output buffer ran out of room; the caller works out how much was needed.
#[derive(Debug)]
pub(crate) struct Full;

/// A vector kernel: encodes a prefix of `input`, continuing `run`, into `out`, and returns
/// `(consumed, written)`.
///
/// Contract, for every implementation:
/// - on entry `run.len <= 255`, and `run.len > 0 || input.is_empty() || run.value == input[0]`
///   (see [`Run::prepare`]);
/// - `out[..written]` and `run` afterwards are exactly what [`encode_tail`] would produce
///   after consuming `input[..consumed]`;
/// - nothing at or past `out.len()` is written; bytes of `out` past `written` may be;
/// - it may stop anywhere (when `out` lacks room for its next block, or near the end of
///   `input`), the caller finishes with [`encode_tail`].
///
/// It is `unsafe` only because a vector kernel needs its CPU features.
pub(crate) type Kernel =
    unsafe fn(run: &mut Run, input: &[u8], out: &mut [MaybeUninit<u8>]) -> (usize, usize);

const LO7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
const HI: u64 = 0x8080_8080_8080_8080;

/// The high bit of every byte of `x` that is non-zero, every other bit clear.
#[inline(always)]
fn nonzero_bytes(x: u64) -> u64 {
    (((x & LO7).wrapping_add(LO7)) | x) & HI
}

/// Where pairs go: the three flavours of one loop. `Checked` tests room per pair,
/// `Unchecked` relies on its caller, `Counter` only counts (for `encoded_len`).
trait Sink {
    /// Appends one pair.
    ///
    /// # Safety
    /// For `Unchecked`, the caller guarantees room for the pair.
    unsafe fn put(&mut self, value: u8, count: u8) -> Result<(), Full>;

    /// Appends eight pairs at once, given as 16 little-endian bytes.
    ///
    /// # Safety
    /// For `Unchecked`, the caller guarantees room for 16 bytes.
    unsafe fn put8(&mut self, pairs: [u64; 2]) -> Result<(), Full>;
}

struct Checked<'a> {
    out: &'a mut [MaybeUninit<u8>],
    written: usize,
}

impl Sink for Checked<'_> {
    #[inline(always)]
    unsafe fn put(&mut self, value: u8, count: u8) -> Result<(), Full> {
        let at = self.written;
        let pair = self.out.get_mut(at..at + 2).ok_or(Full)?;
        pair[0] = MaybeUninit::new(value);
        pair[1] = MaybeUninit::new(count);
        self.written = at + 2;
        Ok(())
    }

    #[inline(always)]
    unsafe fn put8(&mut self, pairs: [u64; 2]) -> Result<(), Full> {
        let at = self.written;
        let dst = self.out.get_mut(at..at + 16).ok_or(Full)?;
        crate::uninit::copy(&mut dst[..8], &pairs[0].to_le_bytes());
        crate::uninit::copy(&mut dst[8..], &pairs[1].to_le_bytes());
        self.written = at + 16;
        Ok(())
    }
}

struct Unchecked<'a> {
    out: &'a mut [MaybeUninit<u8>],
    written: usize,
}

impl Sink for Unchecked<'_> {
    #[inline(always)]
    unsafe fn put(&mut self, value: u8, count: u8) -> Result<(), Full> {
        let at = self.written;
        debug_assert!(at + 2 <= self.out.len());
        // SAFETY: the caller guarantees room for this pair, i.e. `at + 2 <= out.len()`, so
        // both writes are inside the slice `out` borrows mutably.
        unsafe {
            let p = self.out.as_mut_ptr().cast::<u8>().add(at);
            p.write(value);
            p.add(1).write(count);
        }
        self.written = at + 2;
        Ok(())
    }

    #[inline(always)]
    unsafe fn put8(&mut self, pairs: [u64; 2]) -> Result<(), Full> {
        let at = self.written;
        debug_assert!(at + 16 <= self.out.len());
        // SAFETY: the caller guarantees room for 16 bytes at `at`, inside the slice `out`
        // borrows mutably; unaligned writes need no alignment.
        unsafe {
            let p = self.out.as_mut_ptr().cast::<u8>().add(at);
            p.cast::<u64>().write_unaligned(pairs[0].to_le());
            p.add(8).cast::<u64>().write_unaligned(pairs[1].to_le());
        }
        self.written = at + 16;
        Ok(())
    }
}

struct Counter {
    bytes: usize,
}

impl Sink for Counter {
    #[inline(always)]
    unsafe fn put(&mut self, _: u8, _: u8) -> Result<(), Full> {
        // Cannot overflow: at most one pair per input byte, and a slice has at most
        // isize::MAX bytes.
        self.bytes += 2;
        Ok(())
    }

    #[inline(always)]
    unsafe fn put8(&mut self, _: [u64; 2]) -> Result<(), Full> {
        self.bytes += 16;
        Ok(())
    }
}

/// Closes a run of `len` bytes (at most 255 + 8 here), greedily split at 255.
///
/// # Safety
/// For `Unchecked`, room for the pairs written (at most two).
#[inline(always)]
unsafe fn close<S: Sink>(sink: &mut S, value: u8, mut len: u32) -> Result<(), Full> {
    if len > 255 {
        // SAFETY: forwarded from the caller.
        unsafe { sink.put(value, 255)? };
        len -= 255;
    }
    // SAFETY: forwarded from the caller.
    unsafe { sink.put(value, len as u8) }
}

/// Byte-at-a-time step: the definition of the format, used for tails shorter than a word.
///
/// # Safety
/// For `Unchecked`, room for one pair.
#[inline(always)]
unsafe fn step<S: Sink>(run: &mut Run, sink: &mut S, byte: u8) -> Result<(), Full> {
    if byte == run.value && run.len != 0 {
        if run.len == 255 {
            // SAFETY: forwarded from the caller.
            unsafe { sink.put(byte, 255)? };
            run.len = 1;
        } else {
            run.len += 1;
        }
    } else {
        if run.len != 0 {
            // SAFETY: forwarded from the caller.
            unsafe { sink.put(run.value, run.len as u8)? };
        }
        *run = Run {
            value: byte,
            len: 1,
        };
    }
    Ok(())
}

/// One 8-byte word: `word` holds the next 8 input bytes, little-endian. Puts at most 8
/// pairs (every byte a boundary; a boundary closing a run of 256..=263 leaves 7 more
/// bytes for at most 6 more boundaries).
///
/// # Safety
/// For `Unchecked`, room for 8 pairs (16 bytes).
#[inline(always)]
unsafe fn word<S: Sink>(run: &mut Run, sink: &mut S, word: u64) -> Result<(), Full> {
    // Byte j of `prev` is the input byte before byte j: the run's value stands in for the
    // byte before the word.
    let prev = (word << 8) | u64::from(run.value);
    let mut boundaries = nonzero_bytes(word ^ prev);
    if boundaries == 0 {
        run.len += 8;
        if run.len > 255 {
            // SAFETY: forwarded from the caller (one pair of the eight).
            unsafe { sink.put(run.value, 255)? };
            run.len -= 255;
        }
        return Ok(());
    }
    if boundaries == HI {
        // Every byte starts a run (random data): the carried run closes at byte 0 (one pair,
        // as `run.len <= 255`), bytes 0..7 are runs of one, byte 7 opens the next run. The
        // values are exactly `prev`; interleave them with the counts.
        let counts = 0x0100_0100_0100_0100u64;
        let lo = spread(prev as u32) | (counts & !0xFF00) | (u64::from(run.len) << 8);
        let hi = spread((prev >> 32) as u32) | counts;
        // SAFETY: forwarded from the caller (the word's 8 pairs).
        unsafe { sink.put8([lo, hi])? };
        *run = Run {
            value: (word >> 56) as u8,
            len: 1,
        };
        return Ok(());
    }
    let mut value = run.value;
    let mut len = run.len;
    let mut last = 0u32;
    while boundaries != 0 {
        let at = boundaries.trailing_zeros() / 8;
        // SAFETY: forwarded from the caller; at most 8 pairs in all for this word.
        unsafe { close(sink, value, len + at - last)? };
        value = (word >> (8 * at)) as u8;
        len = 0;
        last = at;
        boundaries &= boundaries - 1;
    }
    *run = Run {
        value,
        len: len + 8 - last,
    };
    Ok(())
}

/// Moves byte `i` of `x` to byte `2 * i` of the result, zeros between.
#[inline(always)]
fn spread(x: u32) -> u64 {
    let x = u64::from(x);
    let x = (x | (x << 16)) & 0x0000_FFFF_0000_FFFF;
    (x | (x << 8)) & 0x00FF_00FF_00FF_00FF
}

#[inline(always)]
fn load_word(bytes: &[u8]) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&bytes[..8]);
    u64::from_le_bytes(w)
}

/// Runs the whole of `input` through `sink`.
///
/// # Safety
/// For `Unchecked`, room for `2 * input.len()` bytes: always enough when `run.len <= 255`
/// on entry, because each input byte closes at most one pair (as a boundary, or as the
/// 256th byte of a run), so a word's 8 pairs never outrun the 16 bytes its input earned.
#[inline(always)]
unsafe fn encode_all<S: Sink>(run: &mut Run, input: &[u8], sink: &mut S) -> Result<(), Full> {
    run.prepare(input);
    let mut blocks = input.chunks_exact(BLOCK);
    for b in &mut blocks {
        // SAFETY: forwarded from the caller.
        unsafe { block(run, sink, b)? };
    }
    let mut words = blocks.remainder().chunks_exact(8);
    for w in &mut words {
        // SAFETY: forwarded from the caller.
        unsafe { word(run, sink, load_word(w))? };
    }
    for &b in words.remainder() {
        // SAFETY: forwarded from the caller.
        unsafe { step(run, sink, b)? };
    }
    Ok(())
}

/// Bytes per block: four words, so a stretch inside one long run costs one test per 32
/// bytes instead of per 8.
const BLOCK: usize = 32;

/// One block of `BLOCK` bytes. Puts at most one pair per byte (16 per word).
///
/// # Safety
/// For `Unchecked`, room for `2 * BLOCK` bytes.
#[inline(always)]
unsafe fn block<S: Sink>(run: &mut Run, sink: &mut S, bytes: &[u8]) -> Result<(), Full> {
    let words = [
        load_word(&bytes[0..]),
        load_word(&bytes[8..]),
        load_word(&bytes[16..]),
        load_word(&bytes[24..]),
    ];
    let splat = u64::from(run.value) * 0x0101_0101_0101_0101;
    if words.iter().fold(0, |acc, w| acc | (w ^ splat)) == 0 {
        // Still inside the open run: at most one lazy split, as 255 + 32 < 2 * 255.
        run.len += BLOCK as u32;
        if run.len > 255 {
            // SAFETY: forwarded from the caller (one pair).
            unsafe { sink.put(run.value, 255)? };
            run.len -= 255;
        }
        return Ok(());
    }
    for w in words {
        // SAFETY: forwarded from the caller: 16 bytes per word.
        unsafe { word(run, sink, w)? };
    }
    Ok(())
}

/// The scalar kernel (see [`Kernel`]): whole blocks while `out` has room for the worst
/// case of one more block, so the room check is per block, not per pair.
pub(crate) fn encode_words(
    run: &mut Run,
    input: &[u8],
    out: &mut [MaybeUninit<u8>],
) -> (usize, usize) {
    // A local copy stays in registers; through `&mut Run` every block would store it back.
    let mut open = *run;
    let mut sink = Unchecked { out, written: 0 };
    let mut consumed = 0;
    for b in input.chunks_exact(BLOCK) {
        if sink.out.len() - sink.written < 2 * BLOCK {
            break;
        }
        // SAFETY: checked just above: room for the most one block writes.
        let r = unsafe { block(&mut open, &mut sink, b) };
        debug_assert!(r.is_ok());
        consumed += BLOCK;
    }
    *run = open;
    (consumed, sink.written)
}

/// Encodes all of `input`, continuing `run`, checking room for every pair: the finish of
/// every safe entry point. Returns the bytes written, or `Full` (`run` and `out` are then
/// meaningless).
pub(crate) fn encode_tail(
    run: &mut Run,
    input: &[u8],
    out: &mut [MaybeUninit<u8>],
) -> Result<usize, Full> {
    let mut open = *run;
    let mut sink = Checked { out, written: 0 };
    // SAFETY: a `Checked` sink tests room for every pair itself.
    unsafe { encode_all(&mut open, input, &mut sink)? };
    *run = open;
    Ok(sink.written)
}

/// Encodes all of `input`, continuing `run`, without any bounds check.
///
/// # Safety
/// `out.len() >= 2 * input.len()` and `run.len <= 255`.
pub(crate) unsafe fn encode_tail_unchecked(
    run: &mut Run,
    input: &[u8],
    out: &mut [MaybeUninit<u8>],
) -> usize {
    debug_assert!(out.len() >= 2 * input.len());
    let mut sink = Unchecked { out, written: 0 };
    // SAFETY: the caller gives 2 bytes of room per input byte, which `encode_all` needs.
    let r = unsafe { encode_all(run, input, &mut sink) };
    debug_assert!(r.is_ok());
    sink.written
}

/// Writes the open run's pair, if any, and resets `run`.
pub(crate) fn flush(run: &mut Run, out: &mut [MaybeUninit<u8>]) -> Result<usize, Full> {
    if run.len == 0 {
        return Ok(0);
    }
    let mut sink = Checked { out, written: 0 };
    // SAFETY: a `Checked` sink tests room itself.
    unsafe { sink.put(run.value, run.len as u8)? };
    *run = Run::default();
    Ok(sink.written)
}

/// Exact bytes that encoding `input` after `run` writes before the final flush, and the
/// run then left open. Nothing is written.
pub(crate) fn measure(mut run: Run, input: &[u8]) -> (usize, Run) {
    let mut sink = Counter { bytes: 0 };
    // SAFETY: a `Counter` writes nothing, so it needs no room.
    let r = unsafe { encode_all(&mut run, input, &mut sink) };
    debug_assert!(r.is_ok());
    (sink.bytes, run)
}
