//! The AVX-512 backend: what it does differently from the others, as the primitives of the
//! block drivers (`crate::encode`, `crate::decode`) and their instances, the kernels.

pub(crate) mod decode;
pub(crate) mod encode;

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
