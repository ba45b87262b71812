/// SplitMix64: tiny, fast, reproducible from its seed on every machine, and good enough to
/// make test and benchmark data; not for anything else.
#[derive(Clone, Debug)]
pub struct Rng(pub u64);

impl Rng {
    #[allow(clippy::should_implement_trait)] // an endless stream, no `Option` wanted
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in `0..n` (multiply-shift; the bias is far below what a test notices).
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `0..n`, as a `usize`.
    pub fn index(&mut self, n: usize) -> usize {
        self.below(n as u64) as usize
    }

    /// A uniform value in `lo..=hi`.
    pub fn range(&mut self, lo: u8, hi: u8) -> u8 {
        lo + self.below(u64::from(hi - lo) + 1) as u8
    }

    /// `len` bytes uniform in `0..alphabet` (at most 256).
    pub fn bytes(&mut self, len: usize, alphabet: u64) -> Vec<u8> {
        (0..len).map(|_| self.below(alphabet) as u8).collect()
    }

    /// One element of `items`, uniformly.
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.index(items.len())]
    }

    /// Up to five cut points in `0..=len`, in no order, repeats allowed: where to split a
    /// stream of `len` bytes into chunks (see [`crate::boundaries`]).
    pub fn cuts(&mut self, len: usize) -> Vec<usize> {
        (0..self.below(6)).map(|_| self.index(len + 1)).collect()
    }

    /// A run length, geometric with the given mean (at least 1, at most 100 000).
    pub fn geometric(&mut self, mean: u64) -> usize {
        let mut len = 1;
        while len < 100_000 && self.below(mean) != 0 {
            len += 1;
        }
        len
    }
}
