//! Decoding throughput, in decoded bytes per second, of each corpus's encoding with every
//! supported backend, against `copy_from_slice` of the decoded bytes (memory bandwidth)
//! in the same group. Encoding is `benches/encode.rs`; both count the raw side.
//!
//! `cargo bench --bench decode` runs it all; a criterion filter runs a subset, e.g.
//! `cargo bench --bench decode -- 'decode/mask/'`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use runlen_support::{backends, bench, encode_vec};

fn decode(c: &mut Criterion) {
    for (name, size, input) in bench::corpora() {
        let len = input.len();
        let encoded = encode_vec(runlen::Backend::Scalar, &input);
        let mut out = vec![0u8; len];
        for b in backends() {
            assert_eq!(runlen::decode_with(b, &mut out, &encoded), Ok(len));
            assert!(
                out == input,
                "decode_with({b}, {name}/{size}) is not the input"
            );
        }

        let mut group = bench::group(c, &format!("decode/{name}/{size}"), len);
        for backend in backends() {
            group.bench_function(format!("decode_with/{backend}"), |b| {
                b.iter(|| runlen::decode_with(backend, black_box(&mut out), black_box(&encoded)))
            });
        }
        group.bench_function("copy_from_slice", |b| {
            b.iter(|| black_box(&mut out).copy_from_slice(black_box(&input)))
        });
        group.finish();
    }
}

criterion_group!(name = benches; config = bench::config(); targets = decode);
criterion_main!(benches);
