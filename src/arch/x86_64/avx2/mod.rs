//! The AVX2 backend: what it does differently from the others, as the primitives of the
//! block drivers (`crate::encode`, `crate::decode`) and their instances, the kernels.

pub(crate) mod decode;
pub(crate) mod encode;
