//! The expansions of a backend's target-feature list. Each backend writes its list once, in
//! a macro of its architecture's `features.rs` (`sse2!`, `avx2!`, `avx512!`, `neon!`) that
//! hands it to `target_features!`; everything that depends on the list comes from there:
//!
//! - `backend! { fn ... }`: the items, each compiled with `#[target_feature(enable = ...)]`
//!   for every feature of the list (kernels, and the helpers inlined into them);
//! - `backend!(@compiled)`: whether the build enables the whole list, which is all that Miri
//!   (which cannot run `cpuid`) and a target that has the features as baseline need;
//! - `backend!(@list)`: the list as an array of names, for run-time detection.
//!
//! A backend that needs another one's features and more says so with `@with`, so that its
//! list is a superset by construction: `avx2! { @with ["avx512f", ...] ... }`.
//!
//! The macros are `macro_rules!` in textual scope (`#[macro_use]` on the modules), so that
//! they resolve wherever the kernel files are compiled, the Bochs harness included.

/// The expansions of one feature list, `[$($feature),+]`; see the module docs.
macro_rules! target_features {
    ([$($f:literal),+] @with [$($g:literal),+] $($rest:tt)*) => {
        target_features! { [$($g,)+ $($f),+] $($rest)* }
    };
    ([$($f:literal),+] @list) => {
        [$($f),+]
    };
    ([$($f:literal),+] @compiled) => {
        cfg!(all($(target_feature = $f),+))
    };
    ([$($f:literal),+] @item $item:item) => {
        $(#[target_feature(enable = $f)])+
        $item
    };
    ($list:tt $($item:item)+) => {
        $(target_features! { $list @item $item })+
    };
}
