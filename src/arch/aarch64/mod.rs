//! aarch64 kernels.

use crate::Backend;
use crate::scalar::Kernel;

/// The kernel for an aarch64 backend, if supported.
pub(crate) fn kernel(backend: Backend) -> Option<Kernel> {
    let _ = backend;
    None
}
