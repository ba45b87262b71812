//! Vector kernels, one module per ISA. Compiled only with the `simd` feature and only where
//! the target has the base vector unit, so soft-float targets (`x86_64-unknown-none`,
//! `aarch64-unknown-none-softfloat`) get no vector instruction at all.

#[cfg(all(feature = "simd", target_arch = "x86_64", target_feature = "sse2"))]
pub(crate) mod x86_64;

#[cfg(all(feature = "simd", target_arch = "aarch64", target_feature = "neon"))]
pub(crate) mod aarch64;
