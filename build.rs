//! Emits `cfg(runlen_simd)` when the vector backends are compiled: the `simd` feature is on
//! and the target has the architecture's base vector unit (SSE2 on x86_64, NEON on
//! aarch64). The sources test this one name instead of spelling the condition out, and
//! soft-float targets (`x86_64-unknown-none`, `aarch64-unknown-none-softfloat`) never get
//! it, so they compile no vector instruction at all.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(runlen_simd)");
    println!("cargo::rerun-if-changed=build.rs");
    let env = |name: &str| std::env::var(name).unwrap_or_default();
    let features = env("CARGO_CFG_TARGET_FEATURE");
    let has = |feature: &str| features.split(',').any(|f| f == feature);
    let vector_unit = match env("CARGO_CFG_TARGET_ARCH").as_str() {
        "x86_64" => has("sse2"),
        "aarch64" => has("neon"),
        _ => false,
    };
    if std::env::var_os("CARGO_FEATURE_SIMD").is_some() && vector_unit {
        println!("cargo::rustc-cfg=runlen_simd");
    }
}
