//! Backends, run-time detection and dispatch: the one place that decides which kernel runs.

use core::sync::atomic::{AtomicU8, Ordering};

use crate::decode::{self, Decoding};
use crate::scalar::{self, Kernel};

/// An implementation of the codec, encoder and decoder. All produce identical bytes and
/// errors; they differ in speed and in what the CPU must support.
///
/// ```
/// use runlen::Backend;
///
/// let best = Backend::best();
/// assert!(best.is_supported());
/// assert!(Backend::Scalar.is_supported());
/// println!("encoding with {}", best.name());
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Backend {
    /// Portable word-at-a-time code; the reference, and the only backend that touches no
    /// vector register.
    Scalar,
    /// x86_64 SSE2 (every x86_64 CPU).
    Sse2,
    /// x86_64 AVX2 with SSSE3, BMI1, BMI2 and POPCNT.
    Avx2,
    /// x86_64 AVX-512 F, BW, VL and VBMI2.
    Avx512,
    /// aarch64 NEON (every aarch64 CPU with the `neon` target feature).
    Neon,
}

impl Backend {
    /// Every backend, in order of preference within each architecture (later is faster);
    /// not all are supported on a given machine.
    pub const ALL: [Backend; 5] = [
        Backend::Scalar,
        Backend::Sse2,
        Backend::Avx2,
        Backend::Avx512,
        Backend::Neon,
    ];

    /// The fastest backend this build and CPU support. Detected on the first call (without
    /// `std`), then cached; it never returns a backend the CPU or OS cannot run.
    ///
    /// ```
    /// assert!(runlen::Backend::best().is_supported());
    /// ```
    pub fn best() -> Backend {
        match BEST.load(Ordering::Relaxed) {
            UNKNOWN => {
                let best = detect_best();
                // A plain store (no compare-and-swap, which thumbv6m lacks): racing threads
                // all compute and store the same value.
                BEST.store(best as u8, Ordering::Relaxed);
                best
            }
            cached => Backend::from_u8(cached),
        }
    }

    /// Whether this backend is compiled in and the running CPU (and OS) can run it.
    ///
    /// ```
    /// use runlen::Backend;
    ///
    /// assert!(Backend::Scalar.is_supported());
    /// // Every supported backend is usable with `encode_with`.
    /// for b in Backend::ALL.into_iter().filter(|b| b.is_supported()) {
    ///     let mut out = [0u8; 4];
    ///     assert_eq!(runlen::encode_with(b, &mut out, b"aab"), Ok(4));
    /// }
    /// ```
    pub fn is_supported(self) -> bool {
        self.kernel().is_some()
    }

    /// The backend's lower-case name: `"scalar"`, `"sse2"`, `"avx2"`, `"avx512"` or `"neon"`.
    ///
    /// ```
    /// assert_eq!(runlen::Backend::Avx2.name(), "avx2");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Backend::Scalar => "scalar",
            Backend::Sse2 => "sse2",
            Backend::Avx2 => "avx2",
            Backend::Avx512 => "avx512",
            Backend::Neon => "neon",
        }
    }

    fn from_u8(v: u8) -> Backend {
        Backend::ALL
            .into_iter()
            .find(|b| *b as u8 == v)
            .unwrap_or(Backend::Scalar)
    }

    /// The kernel behind this backend, if this build and CPU can run it. Returning the
    /// kernel only after the feature check is what makes calling it sound.
    pub(crate) fn kernel(self) -> Option<Kernel> {
        match self {
            Backend::Scalar => Some(scalar::encode_words as Kernel),
            _ => vector::kernel(self),
        }
    }

    /// The decode kernels behind this backend, under the same condition as [`kernel`](Self::kernel).
    pub(crate) fn decoding(self) -> Option<Decoding> {
        match self {
            Backend::Scalar => Some(decode::SCALAR),
            _ => vector::decoding(self),
        }
    }
}

/// The vector kernels this build has: one architecture's module (whose lookups answer
/// `None` for the other architecture's backends), or none at all.
#[cfg(all(runlen_simd, target_arch = "x86_64"))]
use crate::arch::x86_64 as vector;

#[cfg(all(runlen_simd, target_arch = "aarch64"))]
use crate::arch::aarch64 as vector;

#[cfg(not(runlen_simd))]
mod vector {
    use super::{Backend, Decoding, Kernel};

    pub(crate) fn kernel(_: Backend) -> Option<Kernel> {
        None
    }

    pub(crate) fn decoding(_: Backend) -> Option<Decoding> {
        None
    }
}

impl core::fmt::Display for Backend {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}

const UNKNOWN: u8 = u8::MAX;

/// The detected best backend as `Backend as u8`, or `UNKNOWN`. An atomic byte with load and
/// store only: available on every target with atomics at all, `thumbv6m` included.
static BEST: AtomicU8 = AtomicU8::new(UNKNOWN);

fn detect_best() -> Backend {
    Backend::ALL
        .into_iter()
        .rev()
        .find(|b| b.is_supported())
        .unwrap_or(Backend::Scalar)
}

/// The kernel of the best backend, for the one-shot and streaming entry points.
#[inline]
pub(crate) fn best_kernel() -> Kernel {
    Backend::best().kernel().unwrap_or(scalar::encode_words)
}

/// The decode kernels of the best backend.
#[inline]
pub(crate) fn best_decoding() -> Decoding {
    Backend::best().decoding().unwrap_or(decode::SCALAR)
}
