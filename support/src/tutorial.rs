//! The numba tutorial's `run_length_encode` loop: what users write by hand, and the
//! baseline every speed ratio is measured against. Its 255 "no run yet" sentinel drops
//! every 0xFF byte, as the tutorial's does.

/// The loop, transcribed literally with bounds-checked indexing, into a caller-provided
/// `out` of `2 * input.len()` bytes; returns the length used. Writing into a given buffer
/// means the baseline pays for no allocation, exactly like the runlen calls it is compared
/// with.
#[allow(clippy::needless_range_loop)] // literal transcription: indexing is the point
pub fn encode_into(out: &mut [u8], input: &[u8]) -> usize {
    let mut j = 0;
    let mut current: u8 = 255;
    let mut count: u8 = 0;
    for i in 0..input.len() {
        let x = input[i];
        if x == current && count < 255 {
            count += 1;
        } else {
            if current != 255 {
                out[j] = current;
                out[j + 1] = count;
                j += 2;
            }
            current = x;
            count = 1;
        }
    }
    if current != 255 {
        out[j] = current;
        out[j + 1] = count;
        j += 2;
    }
    j
}

/// [`encode_into`] into a fresh vector.
pub fn encode(input: &[u8]) -> Vec<u8> {
    let mut out = vec![0u8; 2 * input.len()];
    let n = encode_into(&mut out, input);
    out.truncate(n);
    out
}
