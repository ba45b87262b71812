//! Encoding throughput, in input bytes per second: every supported backend, the checked and
//! unchecked entry points, and two baselines in the same group — the numba tutorial's loop
//! (what users write by hand) and `copy_from_slice` (memory bandwidth).
//!
//! `cargo bench --bench encode` runs it all; a criterion filter runs a subset, e.g.
//! `cargo bench --bench encode -- 'encode/geo8/'` or `-- '64KiB'`.

#[path = "corpus/mod.rs"]
mod corpus;

use std::hint::black_box;
use std::time::Duration;

use criterion::{
    BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
use runlen::Backend;

fn encode(c: &mut Criterion) {
    let backends: Vec<Backend> = Backend::ALL
        .into_iter()
        .filter(|b| b.is_supported())
        .collect();
    for (size_name, len) in corpus::SIZES {
        for name in corpus::NAMES {
            let input = corpus::generate(name, len).expect("known corpus");
            let encoded_len = runlen::encoded_len(&input);
            let mut group = c.benchmark_group(format!("encode/{name}/{size_name}"));
            group.throughput(Throughput::Bytes(len as u64));
            if len > 1 << 20 {
                // One call takes milliseconds: ten equal samples are plenty and keep the
                // whole run short.
                group.sample_size(10).sampling_mode(SamplingMode::Flat);
            }

            // Every buffer is allocated and touched once, outside the timed loop.
            let mut out = vec![0u8; runlen::max_encoded_len(len)];
            let mut exact = vec![0u8; encoded_len];
            let mut copy = vec![0u8; len];

            for &backend in &backends {
                group.bench_function(BenchmarkId::new("encode_with", backend.name()), |b| {
                    b.iter(|| runlen::encode_with(backend, black_box(&mut out), black_box(&input)))
                });
            }
            group.bench_function("try_encode_exact", |b| {
                b.iter(|| runlen::try_encode(black_box(&mut exact), black_box(&input)))
            });
            group.bench_function("encode_unchecked_2n", |b| {
                // SAFETY: `out` holds `max_encoded_len(input.len())` bytes.
                b.iter(|| unsafe {
                    runlen::encode_unchecked(black_box(&mut out), black_box(&input))
                })
            });
            group.bench_function("tutorial_loop", |b| {
                b.iter(|| corpus::tutorial_encode_into(black_box(&mut out), black_box(&input)))
            });
            group.bench_function("copy_from_slice", |b| {
                b.iter(|| black_box(&mut copy).copy_from_slice(black_box(&input)))
            });
            group.finish();
        }
    }
}

criterion_group! {
    name = benches;
    // Short defaults so that the whole suite stays within minutes; the command line
    // (`--warm-up-time`, `--measurement-time`) overrides them for a careful run.
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2));
    targets = encode
}
criterion_main!(benches);
