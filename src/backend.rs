//! Backends, run-time detection and dispatch: the one place that decides which kernels run.
//!
//! [`Kernels`] is availability as a type: a value that only detection makes, holding every
//! kernel of one backend (the pairs' encode, expand and measure, PackBits' encode, measure
//! and expand), with safe methods that call them. The argument that calling a kernel is
//! sound is made once, on that type; everything above it (the engine, the streaming
//! `Encoder`s and `Decoder`s, the public API) is safe code.

use core::fmt;
use core::mem::MaybeUninit;
use core::sync::atomic::{AtomicU8, Ordering};

use crate::decode::{ExpandKernel, MeasureKernel};
use crate::packbits_kernels as packbits;
use crate::scalar::{self, Kernel, Run};

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
    /// x86_64 AVX-512 F, BW, VL, VBMI and VBMI2.
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
        Kernels::best().backend().unwrap_or(Backend::Scalar)
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
        supported() & bit(self) != 0
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
}

impl core::fmt::Display for Backend {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}

/// Every kernel of one backend; see each type for its contract. A table is a `static`, and
/// only [`Kernels`] hands its functions out.
pub(crate) struct Table {
    /// The backend whose target features every function here is compiled with (`None`:
    /// [`BEST`], whose functions need none).
    backend: Option<Backend>,
    encode: Kernel,
    expand: ExpandKernel,
    measure: MeasureKernel,
    packbits_encode: packbits::EncodeFn,
    packbits_measure: packbits::EncodeFn,
    packbits_expand: packbits::ExpandFn,
}

static SCALAR: Table = Table {
    backend: Some(Backend::Scalar),
    encode: scalar::encode_words,
    expand: scalar::decode::expand,
    measure: scalar::decode::measure,
    packbits_encode: packbits::encode_scalar,
    packbits_measure: packbits::measure_scalar,
    packbits_expand: packbits::expand_scalar,
};

#[cfg(all(runlen_simd, target_arch = "x86_64"))]
mod x86_64 {
    use super::{Backend, Table};
    use crate::arch::x86_64::{avx2, avx512, packbits, sse2};

    pub(super) static SSE2: Table = Table {
        backend: Some(Backend::Sse2),
        encode: sse2::encode::encode,
        expand: sse2::decode::expand,
        measure: sse2::decode::measure,
        packbits_encode: packbits::sse2_encode,
        packbits_measure: packbits::sse2_measure,
        packbits_expand: packbits::sse2_expand,
    };

    pub(super) static AVX2: Table = Table {
        backend: Some(Backend::Avx2),
        encode: avx2::encode::encode,
        expand: avx2::decode::expand,
        measure: avx2::decode::measure,
        packbits_encode: packbits::avx2_encode,
        packbits_measure: packbits::avx2_measure,
        packbits_expand: packbits::avx2_expand,
    };

    /// AVX-512 decodes PackBits with AVX2's kernel (see `arch::x86_64::packbits`): its
    /// feature list contains AVX2's (`avx512!` extends `avx2!`).
    pub(super) static AVX512: Table = Table {
        backend: Some(Backend::Avx512),
        encode: avx512::encode::encode,
        expand: avx512::decode::expand,
        measure: avx512::decode::measure,
        packbits_encode: packbits::avx512_encode,
        packbits_measure: packbits::avx512_measure,
        packbits_expand: packbits::avx2_expand,
    };
}

#[cfg(all(runlen_simd, target_arch = "aarch64"))]
mod aarch64 {
    use super::{Backend, Table};
    use crate::arch::aarch64::{neon, packbits};

    pub(super) static NEON: Table = Table {
        backend: Some(Backend::Neon),
        encode: neon::encode::encode,
        expand: neon::decode::expand,
        measure: neon::decode::measure,
        packbits_encode: packbits::neon_encode,
        packbits_measure: packbits::neon_measure,
        packbits_expand: packbits::neon_expand,
    };
}

/// The table of `backend`, if this build has its kernels.
fn table(backend: Backend) -> Option<&'static Table> {
    match backend {
        Backend::Scalar => Some(&SCALAR),
        #[cfg(all(runlen_simd, target_arch = "x86_64"))]
        Backend::Sse2 => Some(&x86_64::SSE2),
        #[cfg(all(runlen_simd, target_arch = "x86_64"))]
        Backend::Avx2 => Some(&x86_64::AVX2),
        #[cfg(all(runlen_simd, target_arch = "x86_64"))]
        Backend::Avx512 => Some(&x86_64::AVX512),
        #[cfg(all(runlen_simd, target_arch = "aarch64"))]
        Backend::Neon => Some(&aarch64::NEON),
        #[allow(unreachable_patterns)]
        _ => None,
    }
}

/// Whether the CPU and OS can run every function of `backend`'s table: true for the scalar
/// backend, else its architecture's detection (see `arch/<arch>/features.rs`), which
/// checks every feature of the backend's list and everything they imply.
fn detect(backend: Backend) -> bool {
    match backend {
        Backend::Scalar => true,
        #[cfg(all(runlen_simd, target_arch = "x86_64"))]
        Backend::Sse2 => crate::arch::x86_64::detect_sse2(),
        #[cfg(all(runlen_simd, target_arch = "x86_64"))]
        Backend::Avx2 => crate::arch::x86_64::detect_avx2(),
        #[cfg(all(runlen_simd, target_arch = "x86_64"))]
        Backend::Avx512 => crate::arch::x86_64::detect_avx512(),
        #[cfg(all(runlen_simd, target_arch = "aarch64"))]
        Backend::Neon => crate::arch::aarch64::detect_neon(),
        _ => false,
    }
}

/// Bit of [`SUPPORTED`] for `backend`.
const fn bit(backend: Backend) -> u8 {
    1 << backend as u8
}

/// Bit of [`SUPPORTED`]: detection has run; a zero byte means "not yet".
const KNOWN: u8 = 0x80;

// `bit` and `Kernels::best` index `Backend::ALL` by discriminant, below `KNOWN`.
const _: () = {
    let mut i = 0;
    while i < Backend::ALL.len() {
        assert!(Backend::ALL[i] as usize == i && bit(Backend::ALL[i]) < KNOWN);
        i += 1;
    }
};

/// The detection cache: `KNOWN` plus the bit of every backend this build has and the CPU
/// and OS can run. One atomic byte with plain loads and stores, available on every target
/// with atomics at all (`thumbv6m` has no compare-and-swap): racing first callers all
/// compute and store the same value.
static SUPPORTED: AtomicU8 = AtomicU8::new(0);

/// The supported backends' bits; detects on the first call only, then one relaxed load.
#[inline]
fn supported() -> u8 {
    let cached = SUPPORTED.load(Ordering::Relaxed);
    if cached & KNOWN != 0 {
        return cached;
    }
    let detected = detect_all();
    SUPPORTED.store(detected, Ordering::Relaxed);
    detected
}

#[cold]
fn detect_all() -> u8 {
    Backend::ALL
        .into_iter()
        .filter(|&b| table(b).is_some() && detect(b))
        .fold(KNOWN, |bits, b| bits | bit(b))
}

/// The kernels of one backend that the running CPU (and OS) can run: availability as a
/// type, in the manner of memchr's per-ISA searchers.
///
/// # Invariant
/// Every function of the table may be called: the CPU has every target feature of
/// `table.backend` (the list each of those functions is compiled with), or the table is
/// [`BEST`], whose functions need none. Only this module makes a `Kernels`, and only from a
/// table whose backend detection has found ([`Kernels::new`], [`Kernels::best`]), or
/// [`BEST`] ([`Kernels::BEST`]).
#[derive(Clone, Copy)]
pub(crate) struct Kernels(&'static Table);

/// The safe calls of [`Kernels`]: one method per kernel, the invariant argued once.
macro_rules! calls {
    ($($(#[$doc:meta])* fn $name:ident($($arg:ident: $ty:ty),*) -> $ret:ty;)+) => {$(
        $(#[$doc])*
        #[inline]
        pub(crate) fn $name(self, $($arg: $ty),*) -> $ret {
            // The rest of each kernel contract is about which bytes it produces, not about
            // memory: a kernel reads and writes only inside the slices it is given, for any
            // input and any `Run` whose `len` is at most 255, which every `Run` keeps.
            // SAFETY: by the invariant of `Kernels`, the CPU has the target features of the
            // backend whose table this is: all a kernel needs beyond its signature.
            unsafe { (self.0.$name)($($arg),*) }
        }
    )+};
}

impl Kernels {
    /// The best backend's kernels, looked up (one relaxed load once detected) on every call:
    /// the value of the `const` constructors, which cannot detect.
    pub(crate) const BEST: Kernels = Kernels(&BEST);

    /// The kernels of `backend`, if this build has them and the CPU and OS can run them.
    #[inline]
    pub(crate) fn new(backend: Backend) -> Option<Kernels> {
        if !backend.is_supported() {
            return None;
        }
        // Detection found `backend`: the invariant holds.
        table(backend).map(Kernels)
    }

    /// The kernels of the fastest backend this build and CPU support.
    #[inline]
    pub(crate) fn best() -> Kernels {
        let bits = supported() & !KNOWN;
        // The fastest is the last supported one in `Backend::ALL` (the highest bit); the
        // scalar backend's bit is always set.
        let fastest = Backend::ALL[(u8::BITS - 1 - bits.leading_zeros()) as usize];
        // Detection found `fastest` (and the scalar backend needs nothing).
        Kernels(table(fastest).unwrap_or(&SCALAR))
    }

    /// The backend these kernels belong to; `None` for [`Kernels::BEST`].
    pub(crate) fn backend(self) -> Option<Backend> {
        self.0.backend
    }

    calls! {
        /// The pairs' encode kernel (see [`Kernel`] for the contract).
        fn encode(run: &mut Run, input: &[u8], out: &mut [MaybeUninit<u8>]) -> (usize, usize);
        /// The pairs' expand kernel (see [`ExpandKernel`]).
        fn expand(encoded: &[u8], out: &mut [MaybeUninit<u8>]) -> (usize, usize);
        /// The pairs' measure kernel (see [`MeasureKernel`]).
        fn measure(encoded: &[u8]) -> (usize, Option<u64>);
        /// PackBits' encoder (see [`packbits::EncodeFn`]).
        fn packbits_encode(x: &[u8], out: &mut [MaybeUninit<u8>], last: bool) -> packbits::Encoded;
        /// PackBits' encoder, only counting (never `Err`).
        fn packbits_measure(x: &[u8], out: &mut [MaybeUninit<u8>], last: bool) -> packbits::Encoded;
        /// PackBits' decoder (see [`packbits::ExpandFn`]).
        fn packbits_expand(out: &mut [MaybeUninit<u8>], enc: &[u8]) -> (usize, usize);
    }
}

/// The table of [`Kernels::BEST`]: each function runs the best backend's, detected on the
/// first call. They are safe functions, so calling them needs no CPU feature.
static BEST: Table = Table {
    backend: None,
    encode: |run, input, out| Kernels::best().encode(run, input, out),
    expand: |encoded, out| Kernels::best().expand(encoded, out),
    measure: |encoded| Kernels::best().measure(encoded),
    packbits_encode: |x, out, last| Kernels::best().packbits_encode(x, out, last),
    packbits_measure: |x, out, last| Kernels::best().packbits_measure(x, out, last),
    packbits_expand: |out, enc| Kernels::best().packbits_expand(out, enc),
};

impl Default for Kernels {
    /// [`Kernels::BEST`].
    fn default() -> Self {
        Kernels::BEST
    }
}

/// Equal when they belong to the same backend (or both are [`Kernels::BEST`]): each backend
/// has one table.
impl PartialEq for Kernels {
    fn eq(&self, other: &Self) -> bool {
        self.backend() == other.backend()
    }
}

impl Eq for Kernels {}

/// Formats as the backend, `Some(Avx2)`, or `None` for [`Kernels::BEST`].
impl fmt::Debug for Kernels {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.backend().fmt(f)
    }
}
