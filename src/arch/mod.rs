//! Vector kernels, one module per ISA. Compiled only with `cfg(runlen_simd)` (the `simd`
//! feature on a target with the base vector unit, see `build.rs`), so soft-float targets
//! (`x86_64-unknown-none`, `aarch64-unknown-none-softfloat`) get no vector instruction at
//! all.
//!
//! Each backend's target features are written once, in its architecture's `features.rs`;
//! the macros there and in `features.rs` here are in textual scope for the rest of the
//! crate.

#[cfg(runlen_simd)]
#[macro_use]
mod features;

#[cfg(all(runlen_simd, target_arch = "x86_64"))]
#[macro_use]
pub(crate) mod x86_64;

#[cfg(all(runlen_simd, target_arch = "aarch64"))]
#[macro_use]
pub(crate) mod aarch64;
