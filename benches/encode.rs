//! Encoding throughput, in input bytes per second: every supported backend, the checked and
//! unchecked entry points, and two baselines in the same group — the numba tutorial's loop
//! (what users write by hand) and `copy_from_slice` (memory bandwidth) — on every corpus,
//! generated and real (`runlen_support::bench::corpora`).
//!
//! `cargo bench --bench encode` runs it all; a criterion filter runs a subset, e.g.
//! `cargo bench --bench encode -- 'encode/geo8/'` or `-- '64KiB'`.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use runlen_support::{backends, bench, tutorial};

fn encode(c: &mut Criterion) {
    for (name, size, input) in bench::corpora() {
        let len = input.len();
        let mut group = bench::group(c, &format!("encode/{name}/{size}"), len);
        // Every buffer is allocated and touched once, outside the timed loop.
        let mut out = vec![0u8; runlen::max_encoded_len(len)];
        let mut exact = vec![0u8; runlen::encoded_len(&input)];
        let mut copy = vec![0u8; len];

        for backend in backends() {
            group.bench_function(BenchmarkId::new("encode_with", backend.name()), |b| {
                b.iter(|| runlen::encode_with(backend, black_box(&mut out), black_box(&input)))
            });
        }
        group.bench_function("try_encode_exact", |b| {
            b.iter(|| runlen::try_encode(black_box(&mut exact), black_box(&input)))
        });
        group.bench_function("encode_unchecked_2n", |b| {
            // SAFETY: `out` holds `max_encoded_len(input.len())` bytes.
            b.iter(|| unsafe { runlen::encode_unchecked(black_box(&mut out), black_box(&input)) })
        });
        group.bench_function("tutorial_loop", |b| {
            b.iter(|| tutorial::encode_into(black_box(&mut out), black_box(&input)))
        });
        group.bench_function("copy_from_slice", |b| {
            b.iter(|| black_box(&mut copy).copy_from_slice(black_box(&input)))
        });
        group.finish();
    }
}

criterion_group!(name = benches; config = bench::config(); targets = encode);
criterion_main!(benches);
