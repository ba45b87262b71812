//! AVX-512 kernel (placeholder: the real kernel is written in another branch).

use crate::scalar::Run;

/// # Safety
/// The CPU supports AVX-512 F, BW, VL, VBMI2 (and BMI1, BMI2, POPCNT); `run` as the kernel contract asks.
#[target_feature(enable = "avx512f,avx512bw,avx512vl,avx512vbmi2,bmi1,bmi2,popcnt")]
pub(crate) unsafe fn encode(run: &mut Run, input: &[u8], out: &mut [u8]) -> (usize, usize) {
    let _ = (run, input, out);
    (0, 0)
}
