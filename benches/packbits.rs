//! PackBits beside the pairs and `copy_from_slice`, measured in one process with
//! interleaved rounds: every round times each candidate once (a batch of calls of about 2
//! ms), and the median over the rounds is reported, so load from other processes hits all
//! candidates alike. Throughput is always input (raw) bytes per second.
//!
//! `cargo bench --bench packbits` runs every corpus at 256 KiB; arguments: `--size BYTES`,
//! `--rounds N`, and corpus names to run only those. The corpora are the generated ones and
//! the real files of `runlen_support::realdata` (a missing one is skipped with a note).

use std::hint::black_box;
use std::time::Instant;

use runlen::Backend;
use runlen::packbits;
use runlen_support::{corpus, realdata};

/// Seconds per call of `f`, one batch.
fn time(iters: u32, f: &mut dyn FnMut()) -> f64 {
    let t = Instant::now();
    for _ in 0..iters {
        f();
    }
    t.elapsed().as_secs_f64() / iters as f64
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn main() {
    let mut args = std::env::args().skip(1).filter(|a| a != "--bench");
    let mut len = 256 << 10;
    let mut rounds = 15;
    let mut only = Vec::new();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--size" => {
                len = args
                    .next()
                    .and_then(|s| s.parse().ok())
                    .expect("--size BYTES")
            }
            "--rounds" => {
                rounds = args
                    .next()
                    .and_then(|s| s.parse().ok())
                    .expect("--rounds N")
            }
            name => only.push(name.to_string()),
        }
    }
    let backends: Vec<Backend> = Backend::ALL
        .into_iter()
        .filter(|b| b.is_supported())
        .collect();
    println!(
        "# {len} bytes, median of {rounds} interleaved rounds; GB/s of input bytes; x = / copy_from_slice"
    );
    let (real, notes) = realdata::load(len);
    for note in notes {
        println!("skipped: {note}");
    }
    for (name, input) in corpus::mix(&real, len) {
        if !only.is_empty() && !only.contains(&name) {
            continue;
        }
        let mut pairs = vec![0u8; runlen::max_encoded_len(len)];
        let pn = runlen::encode(&mut pairs, &input);
        pairs.truncate(pn);
        let mut pb = vec![0u8; packbits::max_encoded_len(len)];
        let bn = packbits::encode(&mut pb, &input);
        pb.truncate(bn);
        let mut out = vec![0u8; runlen::max_encoded_len(len)];
        for &b in &backends {
            let w = packbits::encode_with(b, &mut out, &input).unwrap();
            assert_eq!(&out[..w], &pb[..], "{b} encodes {name} differently");
            assert_eq!(packbits::decode_with(b, &mut out, &pb), Ok(len));
            assert_eq!(&out[..len], &input[..], "{b} decodes {name} wrongly");
        }
        let mut cands: Vec<(String, Box<dyn FnMut()>)> = Vec::new();
        {
            let (i, o) = (input.clone(), std::cell::RefCell::new(vec![0u8; len]));
            cands.push((
                "copy".into(),
                Box::new(move || black_box(&mut *o.borrow_mut()).copy_from_slice(black_box(&i))),
            ));
        }
        {
            let (i, mut o) = (input.clone(), vec![0u8; runlen::max_encoded_len(len)]);
            cands.push((
                "pairs enc".into(),
                Box::new(move || {
                    black_box(runlen::encode(black_box(&mut o), black_box(&i)));
                }),
            ));
        }
        {
            let (e, mut o) = (pairs.clone(), vec![0u8; len]);
            cands.push((
                "pairs dec".into(),
                Box::new(move || {
                    black_box(runlen::decode(black_box(&mut o), black_box(&e)).unwrap());
                }),
            ));
        }
        {
            // The pairs' decoder on PackBits' packets: the same pairs with counts cut at 128,
            // PackBits' longest run, so that long runs take as many steps as run packets do.
            // What separates the two decoders there is then the format, not the kernels.
            let mut capped = Vec::with_capacity(2 * pn);
            for pair in pairs.chunks_exact(2) {
                let (v, mut c) = (pair[0], pair[1]);
                while c > 128 {
                    capped.extend([v, 128]);
                    c -= 128;
                }
                capped.extend([v, c]);
            }
            let mut o = vec![0u8; len];
            assert_eq!(runlen::decode(&mut o, &capped), Ok(len));
            assert_eq!(o, input, "capped pairs of {name}");
            cands.push((
                "pairs dec <=128".into(),
                Box::new(move || {
                    black_box(runlen::decode(black_box(&mut o), black_box(&capped)).unwrap());
                }),
            ));
        }
        for &b in &backends {
            let (i, mut o) = (input.clone(), vec![0u8; packbits::max_encoded_len(len)]);
            cands.push((
                format!("pb enc {b}"),
                Box::new(move || {
                    black_box(packbits::encode_with(b, black_box(&mut o), black_box(&i)).unwrap());
                }),
            ));
            let (e, mut o) = (pb.clone(), vec![0u8; len]);
            cands.push((
                format!("pb dec {b}"),
                Box::new(move || {
                    black_box(packbits::decode_with(b, black_box(&mut o), black_box(&e)).unwrap());
                }),
            ));
        }
        // Calibrate each candidate to a batch of about 2 ms.
        let iters: Vec<u32> = cands
            .iter_mut()
            .map(|(_, f)| {
                let one = time(3, f.as_mut()).max(1e-8);
                ((2e-3 / one) as u32).clamp(1, 100_000)
            })
            .collect();
        let mut samples = vec![Vec::with_capacity(rounds); cands.len()];
        for _ in 0..rounds {
            for (k, (_, f)) in cands.iter_mut().enumerate() {
                samples[k].push(time(iters[k], f.as_mut()));
            }
        }
        let secs: Vec<f64> = samples.iter_mut().map(|s| median(s)).collect();
        let gbs = |s: f64| len as f64 / s / 1e9;
        let copy = gbs(secs[0]);
        println!(
            "{name}: size pairs {:.3}x, packbits {:.3}x of input (packbits/pairs {:.2}); copy {:.2} GB/s",
            pn as f64 / len as f64,
            bn as f64 / len as f64,
            bn as f64 / pn as f64,
            copy
        );
        for (k, (label, _)) in cands.iter().enumerate().skip(1) {
            let g = gbs(secs[k]);
            println!("  {label:<16} {g:7.2} GB/s {:5.2}x", g / copy);
        }
    }
}
