//! The aarch64 backend's target features, written once (see
//! [`target_features!`](crate::arch::features)). No run-time detection: this module is
//! compiled only where NEON is a compile-time target feature.

/// The NEON backend.
macro_rules! neon {
    ($($t:tt)*) => {
        target_features! { ["neon"] $($t)* }
    };
}
