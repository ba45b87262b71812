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

/// 64 bytes 0xFF, then 64 zeros: read from `64 - d`, a mask of the first `d` bytes.
static FIRST_BYTES: [u8; 128] = {
    let mut a = [0u8; 128];
    let mut k = 0;
    while k < 64 {
        a[k] = 0xFF;
        k += 1;
    }
    a
};

/// Decodes a streak of full literal packets (headers 127) with aligned stores only, and
/// returns the new `(i, o)`, the output of every packet it decoded complete. Each packet
/// is `128 / A` stores of `A` bytes at multiples of `A` in memory, from `d = o % A` bytes
/// before its output: the first store takes the packet before's last `d` bytes and this
/// one's first, from two loads on either side of the header between them. Where
/// [`copy128`] takes five stores and rewrites what the next packet writes again, this
/// writes each byte once, on data without runs close to a plain copy.
///
/// While it runs, the last `d` bytes of the latest packet's output wait for the next
/// packet's first store; after the last packet, one store ending at its end writes them.
///
/// # Safety
/// `ep[..n]` is readable and `op[..cap]` writable, and they do not overlap; `A` is a power
/// of two at most 64; the packet before `i` is a full literal packet (its 128 bytes at
/// `ep[i - 128..i]`), decoded to `op[o - 128..o]`.
#[inline(always)]
unsafe fn literal_streak<const A: usize>(
    ep: *const u8,
    n: usize,
    op: *mut u8,
    cap: usize,
    mut i: usize,
    mut o: usize,
) -> (usize, usize) {
    const { assert!(A.is_power_of_two() && A <= 64) };
    let d = op.wrapping_add(o).addr() & (A - 1);
    // SAFETY: d < A <= 64, so `FIRST_BYTES[64 - d..64 - d + A]` is inside the table.
    let mask: [u8; A] =
        unsafe { ptr::read_unaligned(FIRST_BYTES.as_ptr().add(64 - d).cast::<[u8; A]>()) };
    let start = i;
    // Invariant: the packet before `i` is a full literal packet decoded to `op[o - 128..o]`
    // but maybe for its last `d` bytes (`ep[i - d..i]`); `i >= 129`, `o >= 128` (so `i - d`
    // and `o - d` do not wrap: d < 64).
    // Bounds: the reads `ep[i - d..i - d + A]` and `ep[i + 1 - d + c..][..A]` for
    // `c <= 128 - A` lie in `ep[i - 64..i + 129]`, inside `ep[..n]` as `i + 130 + A <= n`;
    // the writes `op[o - d..o - d + 128]` lie in `op[o - 64..o + 128]`, inside `op[..cap]`
    // as `o + 128 + A <= cap`, and of what is already written rewrite only `op[o - d..o]`,
    // with the bytes they hold (the packet before's last `d`). The last store copies the
    // last packet's last `A <= 128` bytes, `ep[i - A..i]`, to `op[o - A..o]`.
    // SAFETY: every access is inside those bounds (the header test reads `ep[i]`, `i < n`);
    // `ep` and `op` do not overlap (the caller's contract).
    unsafe {
        while n - i >= 130 + A && cap - o >= 128 + A && *ep.add(i) == 127 {
            let before = ptr::read_unaligned(ep.add(i - d).cast::<[u8; A]>());
            let after = ptr::read_unaligned(ep.add(i + 1 - d).cast::<[u8; A]>());
            let first: [u8; A] =
                core::array::from_fn(|k| (before[k] & mask[k]) | (after[k] & !mask[k]));
            let base = op.add(o - d);
            ptr::write(base.cast::<[u8; A]>(), first);
            let mut c = A;
            while c < 128 {
                let bytes = ptr::read_unaligned(ep.add(i + 1 - d + c).cast::<[u8; A]>());
                ptr::write(base.add(c).cast::<[u8; A]>(), bytes);
                c += A;
            }
            i += 129;
            o += 128;
        }
        if i != start {
            ptr::copy_nonoverlapping(ep.add(i - A), op.add(o - A), A);
        }
    }
    (i, o)
}

/// A call that marks its path as unlikely, so that the compiler lays that path out of the
/// way of the packet loop's (whose speed on short packets follows its layout).
#[cold]
#[inline(never)]
fn unlikely() {}

/// Decodes whole packets of `enc` into `out` while they fit, and returns `(i, o)`: the
/// bytes of `enc` consumed and of `out` written. It stops at `i == enc.len()`, or at a
/// packet (header at `i`) that the end of `enc` cuts off or whose bytes do not fit in
/// `out[o..]`. No-op headers are skipped. Writes only inside `out`.
///
/// While at least `130 + A` bytes of `enc` and `128 + A` of `out` remain, every packet
/// writes `128 + A` bytes at `out[o..]` with [`copy128`] or [`fill128`] (a literal packet
/// reads as many past its header, within `enc`), but for the full literal packets of a
/// streak, which [`literal_streak`] writes with aligned stores (from up to `A - 1` bytes
/// before each, rewriting those with the bytes they hold). The bytes written past a packet
/// are overwritten by the packets after it or lie past the returned length. After that,
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
    // Where the last full literal packet decoded here ended (`i` after it).
    let mut last_full = usize::MAX;
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
                o += 128;
                i += 129;
                // Two in a row: likely a streak, whose next full packets
                // [`literal_streak`] decodes with aligned stores. The test looks back, at
                // branches just taken, so it stays predicted where full packets come alone
                // or in pairs (a test of the next headers here would not). With 16-byte
                // stores `copy128` is the faster of the two.
                let streak = A >= 32 && last_full == i - 129;
                last_full = i;
                if streak {
                    unlikely();
                    // SAFETY: the packet before `i` is the full literal packet just decoded
                    // to `out[o - 128..o]`; `enc` and `out` do not overlap.
                    unsafe { (i, o) = literal_streak::<A>(ep, n, op, cap, i, o) };
                }
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
