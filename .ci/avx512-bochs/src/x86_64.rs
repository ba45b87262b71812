//! The crate's x86_64 kernel files, as siblings the way `src/arch/x86_64/mod.rs` has them,
//! after the file that defines their target features.

#[macro_use]
#[path = "../../../src/arch/x86_64/features.rs"]
mod features;

#[path = "../../../src/arch/x86_64/avx2.rs"]
pub(crate) mod avx2;
#[path = "../../../src/arch/x86_64/avx512.rs"]
pub(crate) mod avx512;
