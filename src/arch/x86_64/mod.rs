//! x86_64 kernels and their run-time detection.

use crate::Backend;
use crate::scalar::Kernel;

// Dispatch to the AVX-512 kernel is wired up in the detection branch; until then only its
// tests call it.
#[cfg_attr(not(test), allow(dead_code))]
mod avx512;

/// The kernel for an x86 backend, if the running CPU and OS support it. Must be cheap:
/// it is called per `encode_with` call and per `Encoder::with_backend`.
pub(crate) fn kernel(backend: Backend) -> Option<Kernel> {
    let _ = backend;
    None
}
