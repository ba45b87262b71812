//! The generated benchmark corpus, measured by `benches/` and the demo beside the real
//! data of [`crate::realdata`].
//!
//! Everything is generated from fixed seeds with [`Rng`], so every machine and every run
//! measures the same bytes and nothing is downloaded.

use crate::Rng;

/// The corpus names, in table order.
pub const NAMES: [&str; 8] = [
    "random", "zeros", "geo2", "geo8", "geo64", "geo300", "mask", "text",
];

/// The sizes every corpus is measured at: one that lives in L2, one about the size of a
/// last-level cache slice, one that streams from memory.
pub const SIZES: [(&str, usize); 3] = [
    ("64KiB", 64 << 10),
    ("256KiB", 256 << 10),
    ("16MiB", 16 << 20),
];

/// `len` bytes of the corpus `name` (one of [`NAMES`]); `None` for an unknown name.
pub fn generate(name: &str, len: usize) -> Option<Vec<u8>> {
    // One fixed seed per corpus, so that corpora are independent of one another and of the
    // order in which they are generated.
    let seed = name.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    let mut rng = Rng(seed);
    Some(match name {
        "random" => {
            let mut v = vec![0u8; len];
            v.iter_mut().for_each(|b| *b = rng.next() as u8);
            v
        }
        // Written, not `vec![0; len]`: a calloc'd buffer maps every page to the kernel's one
        // shared zero page, so reading it would never touch memory.
        "zeros" => {
            let mut v = vec![1u8; len];
            std::hint::black_box(&mut v).fill(0);
            v
        }
        "geo2" => geometric_runs(&mut rng, len, 2.0),
        "geo8" => geometric_runs(&mut rng, len, 8.0),
        "geo64" => geometric_runs(&mut rng, len, 64.0),
        "geo300" => geometric_runs(&mut rng, len, 300.0),
        "mask" => blob_mask(&mut rng, len),
        "text" => english_like(&mut rng, len),
        _ => return None,
    })
}

/// Runs whose lengths are geometric with the given mean (`P(k) = p (1-p)^(k-1)`, `p =
/// 1/mean`, `k >= 1`), each value random but different from the one before, so that the
/// runs do not merge and the mean run length really is `mean`.
fn geometric_runs(rng: &mut Rng, len: usize, mean: f64) -> Vec<u8> {
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
fn blob_mask(rng: &mut Rng, len: usize) -> Vec<u8> {
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
fn english_like(rng: &mut Rng, len: usize) -> Vec<u8> {
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

/// Mean run length of `input` (maximal runs, not split at 255), for the report.
pub fn mean_run(input: &[u8]) -> f64 {
    if input.is_empty() {
        return 0.0;
    }
    let runs = 1 + input.windows(2).filter(|w| w[0] != w[1]).count();
    input.len() as f64 / runs as f64
}

/// Every corpus at `len` bytes, named: the generated ones in table order, then the real
/// ones (see [`crate::realdata::load`]).
pub fn mix(real: &[crate::realdata::Source], len: usize) -> Vec<(String, Vec<u8>)> {
    let generated = NAMES.into_iter().map(|name| {
        let bytes = generate(name, len).expect("every name in NAMES generates");
        (name.to_string(), bytes)
    });
    let real = real.iter().map(|s| (s.name.clone(), s.sized(len)));
    generated.chain(real).collect()
}
