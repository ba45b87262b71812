//! Decoding throughput, in decoded bytes per second, of each corpus's encoding with every
//! supported backend, against `copy_from_slice` of the decoded bytes (memory bandwidth)
//! in the same group. Encoding is `benches/encode.rs`; both count the raw side.
//!
//! `cargo bench --bench decode` runs it all; a criterion filter runs a subset, e.g.
//! `cargo bench --bench decode -- 'decode/mask/'`.

#[path = "corpus/mod.rs"]
mod corpus;

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use runlen::Backend;

fn decode(c: &mut Criterion) {
    for (size_name, len) in corpus::SIZES {
        for name in corpus::NAMES {
            let input = corpus::generate(name, len).expect("known corpus");
            let mut encoded = vec![0u8; runlen::max_encoded_len(len)];
            let n = runlen::encode(&mut encoded, &input);
            encoded.truncate(n);
            let mut out = vec![0u8; len];
            let backends: Vec<Backend> = Backend::ALL
                .into_iter()
                .filter(|b| b.is_supported())
                .collect();
            for &b in &backends {
                assert_eq!(runlen::decode_with(b, &mut out, &encoded), Ok(len));
                assert_eq!(
                    out, input,
                    "decode_with({b}, {name}/{size_name}) is not the input"
                );
            }

            let mut group = c.benchmark_group(format!("decode/{name}/{size_name}"));
            group.throughput(Throughput::Bytes(len as u64));
            if len > 1 << 20 {
                group.sample_size(10).sampling_mode(SamplingMode::Flat);
            }
            for &backend in &backends {
                group.bench_function(format!("decode_with/{backend}"), |b| {
                    b.iter(|| {
                        runlen::decode_with(backend, black_box(&mut out), black_box(&encoded))
                    })
                });
            }
            group.bench_function("copy_from_slice", |b| {
                b.iter(|| black_box(&mut out).copy_from_slice(black_box(&input)))
            });
            group.finish();
        }
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2));
    targets = decode
}
criterion_main!(benches);
