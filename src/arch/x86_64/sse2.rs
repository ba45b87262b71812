//! The SSE2 kernel: plain SSE2 (no `pshufb`), every x86_64 CPU has it.
//!
//! Per 16-byte block, the bytes that differ from their predecessor (the block compared with
//! itself loaded one byte earlier) form a 16-bit boundary mask. Three cases:
//! - no boundary: the block only lengthens the open run; a tight loop then skips 32 bytes
//!   at a time while they all equal the run's value, so long runs go at scan speed;
//! - every byte a boundary (random data): each pair is `(previous byte, 1)`, so the block
//!   shifted by one, interleaved with ones, is the output, bar the first count;
//! - otherwise: one pair per boundary, found by trailing-zero iteration.

use core::arch::x86_64::*;

use crate::scalar::Run;

const W: usize = 16;

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

    // The byte before the first block is the run's value: shift it in (later blocks load
    // their predecessor bytes from `input`).
    // SAFETY: `n >= W`, so 16 bytes at `src` are readable.
    let first = unsafe { _mm_loadu_si128(src.cast()) };
    let mut prev = _mm_or_si128(_mm_slli_si128(first, 1), _mm_cvtsi32_si128(value.into()));

    loop {
        debug_assert!(p + W <= n);
        // SAFETY: `p + W <= n`.
        let cur = unsafe { _mm_loadu_si128(src.add(p).cast()) };
        let mut m = !(_mm_movemask_epi8(_mm_cmpeq_epi8(cur, prev)) as u32) & 0xFFFF;
        let room = cap - w;
        if m == 0 {
            // The whole block continues the run; then skip 32 bytes at a time while they
            // all equal the run's value. Each step adds at most 32 to a run of at most 255,
            // so one split per step suffices.
            let grown = len + W as u32;
            if grown > 255 {
                if room < 2 {
                    break;
                }
                // SAFETY: 2 bytes of room at `w`, checked just above.
                unsafe { put(dst.add(w), value, 255) };
                w += 2;
                len = grown - 255;
            } else {
                len = grown;
            }
            p += W;
            let splat = _mm_set1_epi8(value as i8);
            while p + 2 * W <= n {
                // SAFETY: `p + 2 * W <= n`.
                let (a, b) = unsafe {
                    (
                        _mm_loadu_si128(src.add(p).cast()),
                        _mm_loadu_si128(src.add(p + W).cast()),
                    )
                };
                let same = _mm_and_si128(_mm_cmpeq_epi8(a, splat), _mm_cmpeq_epi8(b, splat));
                if _mm_movemask_epi8(same) != 0xFFFF {
                    break;
                }
                let grown = len + 2 * W as u32;
                if grown > 255 {
                    if cap - w < 2 {
                        break;
                    }
                    // SAFETY: 2 bytes of room at `w`, checked just above.
                    unsafe { put(dst.add(w), value, 255) };
                    w += 2;
                    len = grown - 255;
                } else {
                    len = grown;
                }
                p += 2 * W;
            }
        } else if m == 0xFFFF {
            if room < 2 * W {
                break;
            }
            // The pairs are (prev[i], 1); prev[0] is the carried run's value, whose count
            // is `len` (at most 255: the run ends at the block's first byte).
            // SAFETY: `2 * W` bytes of room at `w`, checked above.
            unsafe {
                let d = dst.add(w);
                _mm_storeu_si128(d.cast(), _mm_unpacklo_epi8(prev, ones));
                _mm_storeu_si128(d.add(W).cast(), _mm_unpackhi_epi8(prev, ones));
                d.add(1).write(len as u8);
            }
            w += 2 * W;
            // SAFETY: `p + W <= n`.
            value = unsafe { *src.add(p + W - 1) };
            len = 1;
            p += W;
        } else {
            let first = m.trailing_zeros();
            let mut count = len + first;
            let split = count > 255;
            // One pair per boundary, plus the split of a carried run that outgrew 255: at
            // most 34 bytes, the cheap test; near the end of an exactly sized `out`, count.
            if room < 2 * W + 2 && room < 2 * (m.count_ones() as usize + split as usize) {
                break;
            }
            // SAFETY: the pairs written are the ones the room test above counts, so every
            // `put` stays inside `out`; the reads are at block offsets below W, and
            // `p + W <= n`.
            unsafe {
                if split {
                    put(dst.add(w), value, 255);
                    w += 2;
                    count -= 255;
                }
                put(dst.add(w), value, count as u8);
                w += 2;
                let mut last = first;
                value = *src.add(p + first as usize);
                m &= m - 1;
                while m != 0 {
                    let at = m.trailing_zeros();
                    put(dst.add(w), value, (at - last) as u8);
                    w += 2;
                    value = *src.add(p + at as usize);
                    last = at;
                    m &= m - 1;
                }
                len = W as u32 - last;
            }
            p += W;
        }
        if p + W > n {
            break;
        }
        // SAFETY: `1 <= p` and `p + W <= n`, so bytes `p - 1 .. p + W - 1` are in `input`.
        prev = unsafe { _mm_loadu_si128(src.add(p - 1).cast()) };
    }
    *run = Run { value, len };
    (p, w)
}
