//! PackBits' kernels below dispatch: their types and contracts, the drivers every backend
//! instantiates, and the scalar backend's kernels. The vector backends' scans are in
//! `arch/<arch>/packbits.rs`; dispatch (`crate::backend`) puts each backend's kernels in its
//! table; the public API (`crate::packbits`) calls them through it.
//!
//! - [`encode`]: the packet loop (the whole of the scalar encoder, and every vector
//!   encoder's last bytes) over a backend's [`Scan`](encode::Scan);
//! - `blocks`: the block loop in front of it for vector backends (compiled with `simd`);
//! - [`decode`]: the expand driver, one for every backend.

#[cfg(runlen_simd)]
pub(crate) mod blocks;
pub(crate) mod decode;
pub(crate) mod encode;

pub(crate) use decode::expand_scalar;
pub(crate) use encode::{encode_scalar, measure_scalar};

use core::mem::MaybeUninit;

use encode::Full;

/// What an encoder kernel returns: `(consumed, written)`, or `Full`.
pub(crate) type Encoded = Result<(usize, usize), Full>;
/// An encoder kernel: [`encode::drive`] for one backend (see there for the contract).
pub(crate) type EncodeFn = unsafe fn(&[u8], &mut [MaybeUninit<u8>], bool) -> Encoded;
/// A decoder kernel: [`decode::expand`] for one backend.
pub(crate) type ExpandFn = unsafe fn(&mut [MaybeUninit<u8>], &[u8]) -> (usize, usize);
