//! The x86_64 backends' target features, each list written once (see
//! [`target_features!`](crate::arch::features)), and their run-time detection with `cpuid`
//! and `xgetbv`, which works without `std`.

/// The SSE2 backend: the x86_64 baseline.
macro_rules! sse2 {
    ($($t:tt)*) => {
        target_features! { ["sse2"] $($t)* }
    };
}

/// The AVX2 backend: AVX2 (which brings AVX, SSSE3 and the SSE levels), BMI1, BMI2 and
/// POPCNT.
macro_rules! avx2 {
    ($($t:tt)*) => {
        target_features! { ["avx2", "bmi1", "bmi2", "popcnt"] $($t)* }
    };
}

/// The AVX-512 backend: AVX-512 F, BW, VL, VBMI and VBMI2, and AVX2's list (it runs AVX2's
/// PackBits decoder).
macro_rules! avx512 {
    ($($t:tt)*) => {
        avx2! { @with ["avx512f", "avx512bw", "avx512vl", "avx512vbmi", "avx512vbmi2"] $($t)* }
    };
}

/// A register that reports features: `cpuid` leaf 1 or leaf 7 (sub-leaf 0), or XCR0, which
/// says what register state the OS saves and restores.
#[derive(Clone, Copy)]
enum Reg {
    Ecx1,
    Edx1,
    Ebx7,
    Ecx7,
    Xcr0,
}

/// A feature a backend's list may name: the bits that report it, and the features that
/// enabling it implies (as rustc defines them; the compiler may use their instructions
/// too), which are checked with it. Names in parentheses are OS support, not a
/// `target_feature`.
struct Feature {
    name: &'static str,
    reg: Reg,
    bits: u64,
    implies: &'static [&'static str],
}

const fn feature(
    name: &'static str,
    reg: Reg,
    bits: u64,
    implies: &'static [&'static str],
) -> Feature {
    Feature {
        name,
        reg,
        bits,
        implies,
    }
}

/// Every feature detection knows.
const FEATURES: &[Feature] = &[
    feature("sse2", Reg::Edx1, 1 << 26, &[]),
    feature("sse3", Reg::Ecx1, 1 << 0, &["sse2"]),
    feature("ssse3", Reg::Ecx1, 1 << 9, &["sse3"]),
    feature("sse4.1", Reg::Ecx1, 1 << 19, &["ssse3"]),
    feature("sse4.2", Reg::Ecx1, 1 << 20, &["sse4.1"]),
    feature("popcnt", Reg::Ecx1, 1 << 23, &[]),
    // XMM and YMM state (XCR0 bits 1, 2).
    feature("(os ymm)", Reg::Xcr0, 0b110, &[]),
    feature("avx", Reg::Ecx1, 1 << 28, &["sse4.2", "(os ymm)"]),
    feature("fma", Reg::Ecx1, 1 << 12, &["avx"]),
    feature("f16c", Reg::Ecx1, 1 << 29, &["avx"]),
    feature("bmi1", Reg::Ebx7, 1 << 3, &[]),
    feature("bmi2", Reg::Ebx7, 1 << 8, &[]),
    feature("avx2", Reg::Ebx7, 1 << 5, &["avx"]),
    // Opmask, the upper halves of ZMM0-15, and ZMM16-31 (XCR0 bits 5, 6, 7).
    feature("(os zmm)", Reg::Xcr0, 0b1110_0000, &["(os ymm)"]),
    feature(
        "avx512f",
        Reg::Ebx7,
        1 << 16,
        &["avx2", "fma", "f16c", "(os zmm)"],
    ),
    feature("avx512bw", Reg::Ebx7, 1 << 30, &["avx512f"]),
    feature("avx512vl", Reg::Ebx7, 1 << 31, &["avx512f"]),
    feature("avx512vbmi", Reg::Ecx7, 1 << 1, &["avx512bw"]),
    feature("avx512vbmi2", Reg::Ecx7, 1 << 6, &["avx512bw"]),
];

const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

const fn find(name: &str) -> Option<&'static Feature> {
    let mut i = 0;
    while i < FEATURES.len() {
        if same(FEATURES[i].name, name) {
            return Some(&FEATURES[i]);
        }
        i += 1;
    }
    None
}

/// Whether detection knows every feature of `names`: asserted at compile time for every
/// backend's list (an unknown name would otherwise read as "not detected").
pub(crate) const fn known(names: &[&str]) -> bool {
    let mut i = 0;
    while i < names.len() {
        if find(names[i]).is_none() {
            return false;
        }
        i += 1;
    }
    true
}

// The implications name only features the table has.
const _: () = {
    let mut i = 0;
    while i < FEATURES.len() {
        assert!(known(FEATURES[i].implies), "an implied feature is missing");
        i += 1;
    }
};

/// Whether the CPU has, and the OS has enabled, every feature of `names` and everything
/// they imply. Always `false` under Miri, which cannot run `cpuid`: there the features the
/// build enables are all there is (see `@compiled`).
pub(crate) fn detected(names: &[&str]) -> bool {
    #[cfg(not(miri))]
    {
        let cpu = Cpu::read();
        names.iter().all(|name| cpu.has(name))
    }
    #[cfg(miri)]
    {
        let _ = names;
        false
    }
}

/// The registers that report features.
#[cfg(not(miri))]
struct Cpu {
    ecx1: u32,
    edx1: u32,
    ebx7: u32,
    ecx7: u32,
    xcr0: u64,
}

#[cfg(not(miri))]
impl Cpu {
    #[cold]
    fn read() -> Cpu {
        use core::arch::x86_64::{__cpuid, __cpuid_count};

        // `__cpuid` is an unsafe function in older Rust releases (the minimum supported one
        // among them) and a safe one in newer ones; the block serves both. Leaf 0 gives the
        // highest standard leaf: leaf 7 must not be read past it (Intel then returns another
        // leaf's data).
        // SAFETY: `cpuid` exists on every x86_64 CPU and only reads identification
        // registers; leaf 7 is read only once leaf 0 says it exists.
        #[allow(unused_unsafe)]
        let (leaf1, leaf7) = unsafe {
            let leaf1 = __cpuid(1);
            let leaf7 = (__cpuid(0).eax >= 7).then(|| __cpuid_count(7, 0));
            (leaf1, leaf7)
        };
        // xgetbv faults unless the OS has set CR4.OSXSAVE, which cpuid reports as OSXSAVE
        // (leaf 1, ECX bit 27); without it no extended register state is enabled.
        let osxsave = leaf1.ecx & (1 << 27) != 0;
        // SAFETY: OSXSAVE is set, so the CPU has XSAVE and the OS has enabled xgetbv.
        let xcr0 = if osxsave { unsafe { xgetbv0() } } else { 0 };
        Cpu {
            ecx1: leaf1.ecx,
            edx1: leaf1.edx,
            ebx7: leaf7.map_or(0, |l| l.ebx),
            ecx7: leaf7.map_or(0, |l| l.ecx),
            xcr0,
        }
    }

    /// Whether `name` and everything it implies is present; `false` for a name the table
    /// lacks.
    fn has(&self, name: &str) -> bool {
        let Some(f) = find(name) else {
            return false;
        };
        let reg = match f.reg {
            Reg::Ecx1 => u64::from(self.ecx1),
            Reg::Edx1 => u64::from(self.edx1),
            Reg::Ebx7 => u64::from(self.ebx7),
            Reg::Ecx7 => u64::from(self.ecx7),
            Reg::Xcr0 => self.xcr0,
        };
        reg & f.bits == f.bits && f.implies.iter().all(|i| self.has(i))
    }
}

/// Extended control register 0: which register state the OS saves and restores.
///
/// # Safety
/// The CPU supports XSAVE and the OS has enabled it (cpuid leaf 1, ECX bit 27, OSXSAVE).
#[cfg(not(miri))]
#[target_feature(enable = "xsave")]
unsafe fn xgetbv0() -> u64 {
    // SAFETY: forwarded from the caller; `xgetbv` with ECX = 0 reads XCR0.
    unsafe { core::arch::x86_64::_xgetbv(0) }
}
