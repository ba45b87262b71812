//! The SSE2 kernel: plain SSE2 (no `pshufb`), every x86_64 CPU has it.
//!
//! Per 32-byte block (two 16-byte vectors), the bytes that differ from their predecessor
//! (the block compared with itself loaded one byte earlier) form a 32-bit boundary mask.
//! Three cases:
//! - no boundary: the block only lengthens the open run; a tight loop then skips 64 bytes
//!   at a time while they all equal the run's value, so long runs go at scan speed;
//! - every byte a boundary (random data): each pair is `(previous byte, 1)`, so the block
//!   shifted by one, interleaved with ones, is the output, bar the first count;
//! - otherwise: one pair per boundary, found by trailing-zero iteration, except that a
//!   16-byte half where every byte is a boundary is stored whole in the same way.

/// The decode primitives of this ISA (the block driver is `crate::decode`). The explicit
/// path keeps it found when this file is included by path (the Bochs harness).
#[path = "sse2/decode.rs"]
pub(crate) mod decode;

use core::arch::x86_64::*;

use crate::scalar::Run;

/// Bytes per block.
const W: usize = 32;
/// Bytes per vector.
const V: usize = 16;

/// Writes the pair `(value, count)` at `dst`.
///
/// # Safety
/// `dst` is valid for 2 bytes of writes.
#[inline(always)]
unsafe fn put(dst: *mut u8, value: u8, count: u8) {
    // SAFETY: forwarded from the caller.
    unsafe {
        dst.cast::<u16>()
            .write_unaligned(u16::from_le_bytes([value, count]))
    }
}

/// Adds `add` bytes (at most 64) to a run of `value` and `len` bytes, splitting off a
/// `(value, 255)` pair if it outgrows 255 (one split suffices). Returns `false`, changing
/// nothing, if `out` has no room for that pair.
///
/// # Safety
/// `dst` points to `cap` writable bytes and `*w <= cap`.
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

/// The SSE2 kernel; see [`Kernel`](crate::scalar::Kernel) for the contract.
///
/// # Safety
/// The CPU supports SSE2 (always true on x86_64 targets that compile this module); `run`
/// satisfies the kernel contract.
#[target_feature(enable = "sse2")]
pub(crate) unsafe fn encode(run: &mut Run, input: &[u8], out: &mut [u8]) -> (usize, usize) {
    let n = input.len();
    if n < W {
        return (0, 0);
    }
    let src = input.as_ptr();
    let dst = out.as_mut_ptr();
    let cap = out.len();
    let mut value = run.value;
    let mut len = run.len;
    let mut p = 0;
    let mut w = 0;
    let ones = _mm_set1_epi8(1);

    // Every block reads the byte before it. For the first block that is the run's value
    // (the byte before `input`), so it runs on a copy with it in front.
    let mut head = [value; W + 1];
    head[1..].copy_from_slice(&input[..W]);
    // SAFETY: `head` has 1 byte before this point and W after it.
    let mut s: *const u8 = unsafe { head.as_ptr().add(1) };

    loop {
        debug_assert!(p + W <= n);
        // SAFETY: `s` is `src + p` with `p >= W` and `p + W <= n`, or the block in `head`:
        // either way the W bytes at `s` and the one before them are readable.
        let (cur0, cur1, prev0, prev1) = unsafe {
            (
                _mm_loadu_si128(s.cast()),
                _mm_loadu_si128(s.add(V).cast()),
                _mm_loadu_si128(s.sub(1).cast()),
                _mm_loadu_si128(s.add(V - 1).cast()),
            )
        };
        let eq0 = _mm_movemask_epi8(_mm_cmpeq_epi8(cur0, prev0)) as u32;
        let eq1 = _mm_movemask_epi8(_mm_cmpeq_epi8(cur1, prev1)) as u32;
        let m = !(eq1 << V | eq0);
        let room = cap - w;
        if m == 0 {
            // The whole block continues the run, and so do the next 64 bytes at a time
            // while they all equal the run's value.
            // SAFETY: `w <= cap` always.
            if !unsafe { grow(dst, cap, &mut w, value, &mut len, W as u32) } {
                break;
            }
            p += W;
            let splat = _mm_set1_epi8(value as i8);
            while p + 2 * W <= n {
                // SAFETY: `p + 2 * W <= n`.
                let (a, b, c, d) = unsafe {
                    (
                        _mm_loadu_si128(src.add(p).cast()),
                        _mm_loadu_si128(src.add(p + V).cast()),
                        _mm_loadu_si128(src.add(p + 2 * V).cast()),
                        _mm_loadu_si128(src.add(p + 3 * V).cast()),
                    )
                };
                let same = _mm_and_si128(
                    _mm_and_si128(_mm_cmpeq_epi8(a, splat), _mm_cmpeq_epi8(b, splat)),
                    _mm_and_si128(_mm_cmpeq_epi8(c, splat), _mm_cmpeq_epi8(d, splat)),
                );
                if _mm_movemask_epi8(same) != 0xFFFF {
                    break;
                }
                // SAFETY: `w <= cap` always.
                if !unsafe { grow(dst, cap, &mut w, value, &mut len, 2 * W as u32) } {
                    break;
                }
                p += 2 * W;
            }
        } else if m == u32::MAX {
            if room < 2 * W {
                break;
            }
            // The pairs are (prev[i], 1); prev[0] is the carried run's value, whose count
            // is `len` (at most 255: the run ends at the block's first byte).
            // SAFETY: `2 * W` bytes of room at `w`, checked above; the byte at `s + W - 1`
            // is in the block.
            unsafe {
                let d = dst.add(w);
                _mm_storeu_si128(d.cast(), _mm_unpacklo_epi8(prev0, ones));
                _mm_storeu_si128(d.add(V).cast(), _mm_unpackhi_epi8(prev0, ones));
                _mm_storeu_si128(d.add(2 * V).cast(), _mm_unpacklo_epi8(prev1, ones));
                _mm_storeu_si128(d.add(3 * V).cast(), _mm_unpackhi_epi8(prev1, ones));
                d.add(1).write(len as u8);
                value = *s.add(W - 1);
            }
            w += 2 * W;
            len = 1;
            p += W;
        } else {
            let first = m.trailing_zeros();
            let split = len + first > 255;
            // One pair per boundary, plus the split of a carried run that outgrew 255: at
            // most 66 bytes, the cheap test; near the end of an exactly sized `out`, count.
            if room < 2 * W + 2 && room < 2 * (m.count_ones() as usize + split as usize) {
                break;
            }
            // Where the open run started, relative to the block (wrapping: it may be up to
            // 255 bytes before it); the count of a pair is its boundary minus this.
            let mut start = 0u32.wrapping_sub(len);
            // SAFETY: the pairs written are the ones the room test above counts (a half
            // stored whole holds exactly its 16 pairs), so every store stays inside `out`;
            // the reads are at block offsets below W.
            unsafe {
                if split {
                    put(dst.add(w), value, 255);
                    w += 2;
                    start = start.wrapping_add(255);
                }
                for (half, prev) in [(0, prev0), (V as u32, prev1)] {
                    let mut mh = (m >> half) & 0xFFFF;
                    if mh == 0xFFFF {
                        // Every byte of this half starts a run (text, random data): store
                        // the pairs (prev[i], 1) whole, then fix the first count.
                        let d = dst.add(w);
                        _mm_storeu_si128(d.cast(), _mm_unpacklo_epi8(prev, ones));
                        _mm_storeu_si128(d.add(V).cast(), _mm_unpackhi_epi8(prev, ones));
                        d.add(1).write(half.wrapping_sub(start) as u8);
                        w += 2 * V;
                        start = half + V as u32 - 1;
                        value = *s.add(start as usize);
                        continue;
                    }
                    while mh != 0 {
                        let at = half + mh.trailing_zeros();
                        put(dst.add(w), value, at.wrapping_sub(start) as u8);
                        w += 2;
                        value = *s.add(at as usize);
                        start = at;
                        mh &= mh - 1;
                    }
                }
            }
            len = W as u32 - start;
            p += W;
        }
        if p + W > n {
            break;
        }
        // SAFETY: `p >= W` and `p + W <= n`.
        s = unsafe { src.add(p) };
    }
    *run = Run { value, len };
    (p, w)
}
