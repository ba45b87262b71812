//! Byte planes (SPEC.md section 7): the "shuffle" transposition of blosc and numcodecs.
//!
//! `k` bytes make an element; `shuffle` writes byte 0 of every element, then byte 1 of
//! every element, ..., and `unshuffle` puts them back. Element sizes 2, 4 and 8 (the
//! integer and float types) go 16 elements at a time through SSE2 on x86_64 (log2 k
//! rounds of splitting even and odd bytes, a perfect-shuffle network) and through
//! fixed-size blocks elsewhere; any other size through a blocked loop over the elements.

use core::mem::MaybeUninit;

/// Elements per block of the portable fixed-size transposes: a block is `BLOCK * k` bytes (256 to
/// 1 KiB) held in registers or L1 while its planes are written.
#[cfg(not(target_arch = "x86_64"))]
const BLOCK: usize = 128;

/// Elements per block of the generic transpose: keeps the strided reads of one block in L1
/// while each plane's part of it is written.
const GENERIC_BLOCK: usize = 2048;

/// Writes the byte planes of `src` (elements of `k` bytes) into `dst`, initializing all of
/// it. `src.len()` is a multiple of `k` and equals `dst.len()`.
pub fn shuffle(src: &[u8], dst: &mut [MaybeUninit<u8>], k: usize) {
    assert!(k > 0 && src.len().is_multiple_of(k) && src.len() == dst.len());
    match k {
        1 => copy(src, dst),
        2 => shuffle_fixed::<2>(src, dst),
        4 => shuffle_fixed::<4>(src, dst),
        8 => shuffle_fixed::<8>(src, dst),
        _ => shuffle_generic(src, dst, k, 0),
    }
}

/// Joins the byte planes in `src` back into elements of `k` bytes in `dst`, initializing
/// all of it. `src.len()` is a multiple of `k` and equals `dst.len()`.
pub fn unshuffle(src: &[u8], dst: &mut [MaybeUninit<u8>], k: usize) {
    assert!(k > 0 && src.len().is_multiple_of(k) && src.len() == dst.len());
    match k {
        1 => copy(src, dst),
        2 => unshuffle_fixed::<2>(src, dst),
        4 => unshuffle_fixed::<4>(src, dst),
        8 => unshuffle_fixed::<8>(src, dst),
        _ => unshuffle_generic(src, dst, k, 0),
    }
}

fn copy(src: &[u8], dst: &mut [MaybeUninit<u8>]) {
    for (d, &s) in dst.iter_mut().zip(src) {
        *d = MaybeUninit::new(s);
    }
}

#[cfg(target_arch = "x86_64")]
fn shuffle_fixed<const K: usize>(src: &[u8], dst: &mut [MaybeUninit<u8>]) {
    let n = src.len() / K;
    let groups = n / 16;
    for g in 0..groups {
        sse2::shuffle_group::<K>(&src[g * 16 * K..][..16 * K], dst, n, g * 16);
    }
    shuffle_generic(src, dst, K, groups * 16);
}

#[cfg(target_arch = "x86_64")]
fn unshuffle_fixed<const K: usize>(src: &[u8], dst: &mut [MaybeUninit<u8>]) {
    let n = src.len() / K;
    let groups = n / 16;
    for g in 0..groups {
        sse2::unshuffle_group::<K>(src, n, g * 16, &mut dst[g * 16 * K..][..16 * K]);
    }
    unshuffle_generic(src, dst, K, groups * 16);
}

/// 16 elements of `K` (2, 4 or 8) bytes at a time in SSE2 registers, which every x86_64
/// CPU has.
#[cfg(target_arch = "x86_64")]
mod sse2 {
    use core::arch::x86_64::{
        __m128i, _mm_and_si128, _mm_loadu_si128, _mm_packus_epi16, _mm_set1_epi16, _mm_srli_epi16,
        _mm_storeu_si128, _mm_unpackhi_epi8, _mm_unpacklo_epi8,
    };
    use core::mem::MaybeUninit;

    /// One round: vector `j` of the result holds the even bytes of inputs `2j` and `2j + 1`,
    /// vector `K/2 + j` their odd bytes. After log2 K rounds, vector `p` is byte plane `p`
    /// of the 16 elements the inputs held.
    #[inline(always)]
    fn split<const K: usize>(v: [__m128i; K]) -> [__m128i; K] {
        // SAFETY: SSE2 is part of x86_64, so these intrinsics run on every CPU this
        // code is compiled for; they only compute on register values.
        unsafe {
            let low = _mm_set1_epi16(0x00FF);
            let mut out = v;
            for j in 0..K / 2 {
                let (a, b) = (v[2 * j], v[2 * j + 1]);
                out[j] = _mm_packus_epi16(_mm_and_si128(a, low), _mm_and_si128(b, low));
                out[K / 2 + j] = _mm_packus_epi16(_mm_srli_epi16(a, 8), _mm_srli_epi16(b, 8));
            }
            out
        }
    }

    /// The inverse of `split`: inputs `2j` and `2j + 1` of `split` from its outputs `j`
    /// (even bytes) and `K/2 + j` (odd bytes).
    #[inline(always)]
    fn join<const K: usize>(v: [__m128i; K]) -> [__m128i; K] {
        // SAFETY: as in `split`.
        unsafe {
            let mut out = v;
            for j in 0..K / 2 {
                let (even, odd) = (v[j], v[K / 2 + j]);
                out[2 * j] = _mm_unpacklo_epi8(even, odd);
                out[2 * j + 1] = _mm_unpackhi_epi8(even, odd);
            }
            out
        }
    }

    const fn rounds(k: usize) -> usize {
        k.trailing_zeros() as usize
    }

    /// Byte planes of the 16 elements in `elements` (`16 * K` bytes) into `dst[p * n +
    /// first..][..16]` for each plane `p`.
    #[inline(always)]
    pub fn shuffle_group<const K: usize>(
        elements: &[u8],
        dst: &mut [MaybeUninit<u8>],
        n: usize,
        first: usize,
    ) {
        assert!(elements.len() == 16 * K && first + 16 <= n && K * n <= dst.len());
        // SAFETY: SSE2 is part of x86_64. Each load reads 16 of the `16 * K` bytes of
        // `elements`; each store writes `dst[p * n + first..][..16]`, inside `dst` by the
        // assertion (p < K, first + 16 <= n, K * n <= dst.len()); unaligned accesses.
        unsafe {
            let mut v: [__m128i; K] =
                core::array::from_fn(|i| _mm_loadu_si128(elements.as_ptr().add(16 * i).cast()));
            for _ in 0..rounds(K) {
                v = split(v);
            }
            for (p, plane) in v.iter().enumerate() {
                _mm_storeu_si128(dst.as_mut_ptr().add(p * n + first).cast(), *plane);
            }
        }
    }

    /// The 16 elements `first..first + 16` from the planes in `src` (plane `p` at `p *
    /// n`) into `elements` (`16 * K` bytes).
    #[inline(always)]
    pub fn unshuffle_group<const K: usize>(
        src: &[u8],
        n: usize,
        first: usize,
        elements: &mut [MaybeUninit<u8>],
    ) {
        assert!(elements.len() == 16 * K && first + 16 <= n && K * n <= src.len());
        // SAFETY: SSE2 is part of x86_64. Each load reads `src[p * n + first..][..16]`,
        // inside `src` by the assertion; each store writes 16 of the `16 * K` bytes of
        // `elements`; unaligned accesses.
        unsafe {
            let mut v: [__m128i; K] =
                core::array::from_fn(|p| _mm_loadu_si128(src.as_ptr().add(p * n + first).cast()));
            for _ in 0..rounds(K) {
                v = join(v);
            }
            for (i, part) in v.iter().enumerate() {
                _mm_storeu_si128(elements.as_mut_ptr().add(16 * i).cast(), *part);
            }
        }
    }
}

#[cfg(not(target_arch = "x86_64"))]
fn shuffle_fixed<const K: usize>(src: &[u8], dst: &mut [MaybeUninit<u8>]) {
    let n = src.len() / K;
    let (elements, _) = src.as_chunks::<K>();
    let blocks = n / BLOCK;
    for b in 0..blocks {
        let block: &[[u8; K]; BLOCK] = elements[b * BLOCK..][..BLOCK]
            .try_into()
            .expect("a whole block");
        let mut planes = [[0u8; BLOCK]; K];
        for (i, element) in block.iter().enumerate() {
            for p in 0..K {
                planes[p][i] = element[p];
            }
        }
        for (p, plane) in planes.iter().enumerate() {
            copy(plane, &mut dst[p * n + b * BLOCK..][..BLOCK]);
        }
    }
    shuffle_generic(src, dst, K, blocks * BLOCK);
}

#[cfg(not(target_arch = "x86_64"))]
fn unshuffle_fixed<const K: usize>(src: &[u8], dst: &mut [MaybeUninit<u8>]) {
    let n = src.len() / K;
    let blocks = n / BLOCK;
    let (elements, _) = dst.as_chunks_mut::<K>();
    for b in 0..blocks {
        let mut planes = [[0u8; BLOCK]; K];
        for (p, plane) in planes.iter_mut().enumerate() {
            plane.copy_from_slice(&src[p * n + b * BLOCK..][..BLOCK]);
        }
        let block: &mut [[MaybeUninit<u8>; K]; BLOCK] = (&mut elements[b * BLOCK..][..BLOCK])
            .try_into()
            .expect("a whole block");
        for (i, element) in block.iter_mut().enumerate() {
            for p in 0..K {
                element[p] = MaybeUninit::new(planes[p][i]);
            }
        }
    }
    unshuffle_generic(src, dst, K, blocks * BLOCK);
}

/// `shuffle` for elements `from..` only (the blocks before them are done).
fn shuffle_generic(src: &[u8], dst: &mut [MaybeUninit<u8>], k: usize, from: usize) {
    let n = src.len() / k;
    let mut start = from;
    while start < n {
        let end = (start + GENERIC_BLOCK).min(n);
        let elements = &src[start * k..end * k];
        for p in 0..k {
            let plane = &mut dst[p * n + start..p * n + end];
            for (d, element) in plane.iter_mut().zip(elements.chunks_exact(k)) {
                *d = MaybeUninit::new(element[p]);
            }
        }
        start = end;
    }
}

/// `unshuffle` for elements `from..` only (the blocks before them are done).
fn unshuffle_generic(src: &[u8], dst: &mut [MaybeUninit<u8>], k: usize, from: usize) {
    let n = src.len() / k;
    let mut start = from;
    while start < n {
        let end = (start + GENERIC_BLOCK).min(n);
        let elements = &mut dst[start * k..end * k];
        for p in 0..k {
            let plane = &src[p * n + start..p * n + end];
            for (element, &s) in elements.chunks_exact_mut(k).zip(plane) {
                element[p] = MaybeUninit::new(s);
            }
        }
        start = end;
    }
}

/// The byte planes of `src` in a new `Vec` (`shuffle` into its spare capacity: no
/// zeroing pass before it).
pub fn shuffled(src: &[u8], k: usize) -> Vec<u8> {
    let len = src.len();
    let mut scratch = Vec::with_capacity(len);
    // No huge-page advice (unlike the outputs): with THP defrag on `madvise`, a fresh
    // advised 16 MiB region stalled for compaction, 27 ms instead of 2.5 ms a call.
    shuffle(src, &mut scratch.spare_capacity_mut()[..len], k);
    // SAFETY: the capacity is at least `len`, and `shuffle` initialized the first `len`
    // bytes: it writes byte `p` of element `i` to `p * n + i` for every `p < k`, `i < n`.
    unsafe { scratch.set_len(len) };
    scratch
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(src: &[u8], k: usize) -> Vec<u8> {
        let n = src.len() / k;
        (0..src.len()).map(|j| src[(j % n) * k + j / n]).collect()
    }

    #[test]
    fn matches_the_definition_and_inverts() {
        for k in 1..=17 {
            for n in [0, 1, 2, 127, 128, 129, 300, 2048, 2049, 5000] {
                let src: Vec<u8> = (0..n * k).map(|i| (i * 7 + i / 5) as u8).collect();
                let planes = shuffled(&src, k);
                assert_eq!(planes, naive(&src, k), "k={k} n={n}");
                let mut back = vec![MaybeUninit::new(0); src.len()];
                unshuffle(&planes, &mut back, k);
                // SAFETY: every byte was initialized by `vec!` (and rewritten by unshuffle).
                let back: Vec<u8> = back.iter().map(|b| unsafe { b.assume_init() }).collect();
                assert_eq!(back, src, "k={k} n={n}");
            }
        }
    }
}
