//! The benchmark corpus, shared by `benches/encode.rs`, `benches/decode.rs` and
//! `examples/demo.rs` (each includes this file with `#[path]`), and the baselines runlen is
//! measured against.
//!
//! Everything is generated from fixed seeds with a tiny PRNG, so every machine and every run
//! measures the same bytes and nothing is downloaded.
#![allow(dead_code)]

/// The corpus names, in table order.
pub const NAMES: [&str; 8] = [
    "random", "zeros", "geo2", "geo8", "geo64", "geo300", "mask", "text",
];

/// The two sizes every corpus comes in: one that lives in L2, one that streams from memory.
pub const SIZES: [(&str, usize); 2] = [("64KiB", 64 << 10), ("16MiB", 16 << 20)];

/// `len` bytes of the corpus `name` (one of [`NAMES`]); `None` for an unknown name.
pub fn generate(name: &str, len: usize) -> Option<Vec<u8>> {
    // One fixed seed per corpus, so that corpora are independent of one another and of the
    // order in which they are generated.
    let seed = name.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    let mut rng = SplitMix64(seed);
    Some(match name {
        "random" => {
            let mut v = vec![0u8; len];
            v.iter_mut().for_each(|b| *b = rng.next() as u8);
            v
        }
        "zeros" => vec![0u8; len],
        "geo2" => geometric_runs(&mut rng, len, 2.0),
        "geo8" => geometric_runs(&mut rng, len, 8.0),
        "geo64" => geometric_runs(&mut rng, len, 64.0),
        "geo300" => geometric_runs(&mut rng, len, 300.0),
        "mask" => blob_mask(&mut rng, len),
        "text" => english_like(&mut rng, len),
        _ => return None,
    })
}

/// SplitMix64: tiny, fast, and good enough to make benchmark data; not for anything else.
pub struct SplitMix64(pub u64);

impl SplitMix64 {
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

    /// Uniform in `0..n` (multiply-shift; the bias is far below what a benchmark notices).
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n)) >> 64) as u64
    }
}

/// Runs whose lengths are geometric with the given mean (`P(k) = p (1-p)^(k-1)`, `p =
/// 1/mean`, `k >= 1`), each value random but different from the one before, so that the
/// runs do not merge and the mean run length really is `mean`.
fn geometric_runs(rng: &mut SplitMix64, len: usize, mean: f64) -> Vec<u8> {
    let log_q = (1.0 - 1.0 / mean).ln();
    let mut v = Vec::with_capacity(len);
    let mut value = rng.next() as u8;
    while v.len() < len {
        // Inversion: 1 - u is in (0, 1], so the log is finite.
        let k = 1 + ((1.0 - rng.unit()).ln() / log_q) as usize;
        let k = k.min(len - v.len());
        v.resize(v.len() + k, value);
        value ^= 1 + rng.below(255) as u8;
    }
    v
}

/// A binary 0/1 segmentation-like mask: a square-ish image, row-major, of random filled
/// ellipses (semi-axes 4..40 pixels) on a 0 background, about a quarter of the area covered.
/// The blob size is in pixels, not relative to the image, so both sizes have the same run
/// statistics, as a microscope image of cells would.
fn blob_mask(rng: &mut SplitMix64, len: usize) -> Vec<u8> {
    let width = len.isqrt().max(1);
    let height = len.div_ceil(width);
    let mut img = vec![0u8; width * height];
    let mean_area = core::f64::consts::PI * 22.0 * 22.0;
    let blobs = ((width * height) as f64 * 0.25 / mean_area).ceil() as usize;
    for _ in 0..blobs {
        let cx = rng.unit() * width as f64;
        let cy = rng.unit() * height as f64;
        let a = 4.0 + 36.0 * rng.unit();
        let b = 4.0 + 36.0 * rng.unit();
        let y0 = (cy - b).ceil().max(0.0) as usize;
        let y1 = ((cy + b).floor() as usize).min(height - 1);
        for y in y0..=y1 {
            let dy = (y as f64 - cy) / b;
            let half = a * (1.0 - dy * dy).max(0.0).sqrt();
            let x0 = (cx - half).ceil().max(0.0) as usize;
            let x1 = (cx + half).floor().min((width - 1) as f64);
            if x1 < 0.0 || (x1 as usize) < x0 {
                continue;
            }
            img[y * width + x0..=y * width + x1 as usize].fill(1);
        }
    }
    img.truncate(len);
    img
}

/// Common English words, most frequent first; sampled with Zipf weights `1 / rank`.
const WORDS: &[&str] = &[
    "the",
    "of",
    "and",
    "to",
    "a",
    "in",
    "is",
    "that",
    "it",
    "was",
    "for",
    "on",
    "are",
    "as",
    "with",
    "his",
    "they",
    "I",
    "at",
    "be",
    "this",
    "have",
    "from",
    "or",
    "one",
    "had",
    "by",
    "word",
    "but",
    "not",
    "what",
    "all",
    "were",
    "we",
    "when",
    "your",
    "can",
    "said",
    "there",
    "use",
    "an",
    "each",
    "which",
    "she",
    "do",
    "how",
    "their",
    "if",
    "will",
    "up",
    "other",
    "about",
    "out",
    "many",
    "then",
    "them",
    "these",
    "so",
    "some",
    "her",
    "would",
    "make",
    "like",
    "him",
    "into",
    "time",
    "has",
    "look",
    "two",
    "more",
    "write",
    "go",
    "see",
    "number",
    "no",
    "way",
    "could",
    "people",
    "my",
    "than",
    "first",
    "water",
    "been",
    "call",
    "who",
    "its",
    "now",
    "find",
    "long",
    "down",
    "day",
    "did",
    "get",
    "come",
    "made",
    "may",
    "part",
    "over",
    "new",
    "sound",
    "take",
    "only",
    "little",
    "work",
    "know",
    "place",
    "year",
    "live",
    "me",
    "back",
    "give",
    "most",
    "very",
    "after",
    "thing",
    "our",
    "just",
    "name",
    "good",
    "sentence",
    "man",
    "think",
    "say",
    "great",
    "where",
    "help",
    "through",
    "much",
    "before",
    "line",
    "right",
    "too",
    "mean",
    "old",
    "any",
    "same",
    "tell",
    "boy",
    "follow",
    "came",
    "want",
    "show",
    "also",
    "around",
    "form",
    "three",
    "small",
    "set",
    "put",
    "end",
    "does",
    "another",
    "well",
    "large",
    "must",
    "big",
    "even",
    "such",
    "because",
    "turn",
    "here",
    "why",
    "ask",
    "went",
    "men",
    "read",
    "need",
    "land",
    "different",
    "home",
    "us",
    "move",
    "try",
    "kind",
    "hand",
    "picture",
    "again",
    "change",
    "off",
    "play",
    "spell",
    "air",
    "away",
    "animal",
    "house",
    "point",
    "page",
    "letter",
    "mother",
    "answer",
    "found",
    "study",
    "still",
    "learn",
    "should",
    "America",
    "world",
    "government",
    "information",
    "development",
    "understanding",
    "important",
    "following",
    "question",
    "between",
    "something",
    "children",
    "country",
    "against",
    "although",
    "committee",
    "successful",
    "bookkeeper",
    "balloon",
    "coffee",
    "address",
    "tomorrow",
    "millennium",
];

/// English-like text: Zipf-distributed words, sentences of 4..=18 words with a capital
/// letter, the odd comma, a full stop (sometimes `?` or `!`), and paragraph breaks.
fn english_like(rng: &mut SplitMix64, len: usize) -> Vec<u8> {
    // Cumulative Zipf weights, scaled to integers for an exact binary search.
    let mut cumulative = Vec::with_capacity(WORDS.len());
    let mut total = 0u64;
    for rank in 1..=WORDS.len() as u64 {
        total += 1_000_000 / rank;
        cumulative.push(total);
    }
    let mut v = Vec::with_capacity(len + 64);
    while v.len() < len {
        let words = 4 + rng.below(15);
        for i in 0..words {
            let r = rng.below(total);
            let w = WORDS[cumulative.partition_point(|&c| c <= r)].as_bytes();
            let start = v.len();
            v.extend_from_slice(w);
            if i == 0 {
                v[start] = v[start].to_ascii_uppercase();
            }
            if i + 1 == words {
                v.push(match rng.below(20) {
                    0 => b'!',
                    1 | 2 => b'?',
                    _ => b'.',
                });
            } else if rng.below(12) == 0 {
                v.push(b',');
            }
            v.push(if i + 1 == words && rng.below(6) == 0 {
                b'\n'
            } else {
                b' '
            });
        }
    }
    v.truncate(len);
    v
}

/// The numba tutorial's `run_length_encode` loop, transcribed literally, with bounds-checked
/// indexing: what users write by hand, and the baseline every ratio is measured against.
///
/// It writes into a caller-provided `out` of `2 * input.len()` bytes and returns the length
/// used, so that the baseline pays for no allocation, exactly like the runlen calls it is
/// compared with. Its 255 sentinel drops every 0xFF byte, as the tutorial's does.
#[allow(clippy::needless_range_loop)] // literal transcription: indexing is the point
pub fn tutorial_encode_into(out: &mut [u8], input: &[u8]) -> usize {
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

/// The format's definition, byte at a time, in the plainest terms: an oracle independent of
/// the crate, to check its scalar reference with.
pub fn oracle_encode(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < input.len() {
        let v = input[i];
        let mut n = 1;
        while i + n < input.len() && input[i + n] == v && n < 255 {
            n += 1;
        }
        out.push(v);
        out.push(n as u8);
        i += n;
    }
    out
}

/// Mean run length of `input` (maximal runs, not split at 255), for the report.
pub fn mean_run(input: &[u8]) -> f64 {
    if input.is_empty() {
        return 0.0;
    }
    let runs = 1 + input.windows(2).filter(|w| w[0] != w[1]).count();
    input.len() as f64 / runs as f64
}
