//! What the criterion benches share: their settings, their groups and their inputs.

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, SamplingMode, Throughput};
use std::time::Duration;

use crate::{corpus, realdata};

/// Short defaults, so that a whole suite stays within minutes; the command line
/// (`--warm-up-time`, `--measurement-time`) overrides them for a careful run.
pub fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2))
}

/// A group named `name` whose throughput counts `len` raw bytes; one call on a large input
/// takes milliseconds, so there ten equal samples are plenty.
pub fn group<'a>(c: &'a mut Criterion, name: &str, len: usize) -> BenchmarkGroup<'a, WallTime> {
    let mut group = c.benchmark_group(name);
    group.throughput(Throughput::Bytes(len as u64));
    if len > 1 << 20 {
        group.sample_size(10).sampling_mode(SamplingMode::Flat);
    }
    group
}

/// Every corpus, generated and real, at every size: `(corpus, size, bytes)`. Real data
/// missing here is named on stderr.
pub fn corpora() -> Vec<(String, &'static str, Vec<u8>)> {
    let largest = corpus::SIZES.iter().map(|&(_, len)| len).max().unwrap_or(0);
    let (real, notes) = realdata::load(largest);
    for note in notes {
        eprintln!("skipped: {note}");
    }
    let mut v = Vec::new();
    for (size, len) in corpus::SIZES {
        for (name, bytes) in corpus::mix(&real, len) {
            v.push((name, size, bytes));
        }
    }
    v
}
