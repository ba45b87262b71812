//! The AVX-512 backend: what it does differently from the others, as the primitives of the
//! block drivers (`crate::encode`, `crate::decode`) and their instances, the kernels.

pub(crate) mod decode;
pub(crate) mod encode;

use core::arch::x86_64::*;

/// Byte `i` holds `i`: positions in a 64-byte vector (the encoder's run starts, the
/// decoder's output bytes).
pub(crate) const IOTA: [u8; 64] = {
    let mut a = [0u8; 64];
    let mut i = 0;
    while i < 64 {
        a[i] = i as u8;
        i += 1;
    }
    a
};

avx512! {
    /// `vpcompressb` of `a`'s lanes selected by `k` into the low lanes; the other lanes come
    /// from `src` (merge masking: the zero-masked form waits on its destination on Zen 4).
    #[cfg(not(miri))]
    #[inline]
    pub(crate) fn compress(src: __m512i, k: u64, a: __m512i) -> __m512i {
        _mm512_mask_compress_epi8(src, k, a)
    }
}

/// Miri has no shim for `vpcompressb`; this is its definition from the instruction set
/// reference (selected lanes in order to the bottom, `src` above), so that everything else
/// in the kernel still runs under Miri.
#[cfg(miri)]
#[inline]
pub(crate) fn compress(src: __m512i, k: u64, a: __m512i) -> __m512i {
    // SAFETY: `__m512i` and `[u8; 64]` are both 64 bytes of plain data, valid for every bit
    // pattern.
    let (mut dst, a): ([u8; 64], [u8; 64]) =
        unsafe { (core::mem::transmute(src), core::mem::transmute(a)) };
    let mut m = 0;
    for (j, &byte) in a.iter().enumerate() {
        if k >> j & 1 == 1 {
            dst[m] = byte;
            m += 1;
        }
    }
    // SAFETY: as above.
    unsafe { core::mem::transmute(dst) }
}

avx512! {
    /// `vpexpandb`: `a`'s low lanes, in order, into the lanes selected by `k`; the other
    /// lanes come from `src` (merge masking, as [`compress`]).
    #[cfg(not(miri))]
    #[inline]
    pub(crate) fn expand(src: __m512i, k: u64, a: __m512i) -> __m512i {
        _mm512_mask_expand_epi8(src, k, a)
    }
}

/// Miri has no shim for `vpexpandb` either: its definition, as for [`compress`].
#[cfg(miri)]
#[inline]
pub(crate) fn expand(src: __m512i, k: u64, a: __m512i) -> __m512i {
    // SAFETY: `__m512i` and `[u8; 64]` are both 64 bytes of plain data, valid for every bit
    // pattern.
    let (mut dst, a): ([u8; 64], [u8; 64]) =
        unsafe { (core::mem::transmute(src), core::mem::transmute(a)) };
    let mut m = 0;
    for (j, lane) in dst.iter_mut().enumerate() {
        if k >> j & 1 == 1 {
            *lane = a[m];
            m += 1;
        }
    }
    // SAFETY: as above.
    unsafe { core::mem::transmute(dst) }
}

avx512! {
    /// `vpermb`: lane `i` of the result is lane `idx[i] % 64` of `a`.
    #[cfg(not(miri))]
    #[inline]
    pub(crate) fn permute(idx: __m512i, a: __m512i) -> __m512i {
        _mm512_permutexvar_epi8(idx, a)
    }
}

/// Miri has no shim for `vpermb`: its definition, as for [`compress`].
#[cfg(miri)]
#[inline]
pub(crate) fn permute(idx: __m512i, a: __m512i) -> __m512i {
    // SAFETY: `__m512i` and `[u8; 64]` are both 64 bytes of plain data, valid for every bit
    // pattern.
    let (idx, a): ([u8; 64], [u8; 64]) =
        unsafe { (core::mem::transmute(idx), core::mem::transmute(a)) };
    let dst: [u8; 64] = core::array::from_fn(|i| a[usize::from(idx[i] % 64)]);
    // SAFETY: as above.
    unsafe { core::mem::transmute(dst) }
}
