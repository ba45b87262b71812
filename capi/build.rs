//! Gives the shared library its SONAME, `librunlen.so.MAJOR` (`librunlen.so.0` while the
//! version is 0.x), so that programs linked against it record that name and an installed
//! `librunlen.so.0.1.0` with the usual symlinks is found by the dynamic loader.

fn main() {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let family = std::env::var("CARGO_CFG_TARGET_FAMILY").unwrap_or_default();
    // ELF platforms with a GNU-compatible linker; macOS names dylibs differently
    // (install_name) and Windows has no such thing.
    let elf = family.split(',').any(|f| f == "unix") && !matches!(os.as_str(), "macos" | "ios");
    if elf {
        let major = env!("CARGO_PKG_VERSION_MAJOR");
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,librunlen.so.{major}");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
