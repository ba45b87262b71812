//! runlen's demo: encodes and decodes every corpus — generated (`runlen_support::corpus`)
//! and real (`runlen_support::realdata`: Python sources, licence texts, machine code,
//! photographs, a scanned page, a logo, a mask) — with every backend this machine supports,
//! checks every result against the byte-at-a-time oracle and the scalar reference, and
//! prints encode and decode throughput per corpus and size: a summary for the default
//! entry points (best backend) and a table per backend, against the numba tutorial's loop
//! and `copy_from_slice`, for the pairs and for PackBits beside them (size and speed).
//!
//! ```text
//! cargo run --release --example demo                     # 64 KiB, 256 KiB and 16 MiB
//! cargo run --release --example demo -- --quick          # 64 KiB only, few repetitions (CI)
//! cargo run --release --example demo -- --csv            # one CSV row per measurement
//! cargo run --release --example demo -- FILE             # the same tables for FILE
//! cargo run --release --example demo -- encode IN OUT    # IN's bytes -> pairs in OUT
//! cargo run --release --example demo -- decode IN OUT    # pairs in IN -> bytes in OUT
//! cargo run --release --example demo -- dump DIR          # every corpus at 256 KiB, as files
//! ```
//! `--reps N` sets the timed rounds (every operation once a round, in turn; the median is
//! reported; `--min` reports the fastest instead, for a loaded machine). The image corpora
//! need `python3 benches/realdata.py` first; a real corpus missing here is named and
//! skipped. Exit status: 0 on success, 1 if a check fails or a file cannot be read or
//! written, 2 for bad arguments.

use std::cell::RefCell;
use std::hint::black_box;
use std::io::Write;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use runlen::Backend;
use runlen::packbits;
use runlen_support::{corpus, oracle, realdata, tutorial};

const USAGE: &str = "usage: demo [--quick] [--csv] [--reps N] [--min] [FILE | encode IN OUT | decode IN OUT | dump DIR]";

/// Prints a line to stdout; a closed pipe (`demo | head`) must not turn into a panic.
macro_rules! say {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

/// One timed operation: its label and a closure that runs it once.
type Op<'a> = (Kind, Box<dyn FnMut() + 'a>);

/// A failure that ends the demo: a one-line message and an exit status.
struct Fail(u8, String);

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Fail(code, msg)) => {
            eprintln!("demo: {msg}");
            ExitCode::from(code)
        }
    }
}

fn usage(msg: &str) -> Fail {
    Fail(2, format!("{msg}; {USAGE}"))
}

/// How long and how often each row is timed.
#[derive(Clone, Copy)]
struct Timing {
    reps: usize,
    /// Calls are batched until one repetition lasts at least this long, so that short
    /// inputs are not timed at the resolution of the clock.
    min_rep: Duration,
    /// Report the fastest repetition instead of the median: on a loaded machine, where
    /// most repetitions are preempted, the minimum is the one that measures the code.
    min: bool,
    /// Print CSV rows instead of markdown tables.
    csv: bool,
}

fn run(args: Vec<String>) -> Result<(), Fail> {
    let mut quick = false;
    let mut min = false;
    let mut csv = false;
    let mut reps = None;
    let mut positional = Vec::new();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--quick" => quick = true,
            "--min" => min = true,
            "--csv" => csv = true,
            "--reps" => {
                let n = args.next().ok_or_else(|| usage("--reps needs a number"))?;
                match n.parse::<usize>() {
                    Ok(n) if n > 0 => reps = Some(n),
                    _ => return Err(usage(&format!("--reps: not a positive number: {n:?}"))),
                }
            }
            "-h" | "--help" => {
                say!("{USAGE}");
                return Ok(());
            }
            "--" => positional.extend(args.by_ref()),
            s if s.starts_with('-') && s.len() > 1 => {
                return Err(usage(&format!("unknown option {s:?}")));
            }
            _ => positional.push(arg),
        }
    }
    let timing = Timing {
        reps: reps.unwrap_or(if quick { 3 } else { 9 }),
        min_rep: Duration::from_millis(if quick { 1 } else { 5 }),
        min,
        csv,
    };
    match positional.as_slice() {
        [] => builtin(quick, timing),
        [cmd, input, output] if cmd == "encode" => encode_file(input, output),
        [cmd, input, output] if cmd == "decode" => decode_file(input, output),
        [cmd, dir] if cmd == "dump" => dump(dir),
        [cmd, ..] if cmd == "encode" || cmd == "decode" => {
            Err(usage(&format!("{cmd} needs exactly two files, IN and OUT")))
        }
        [file] => {
            let data = read(file)?;
            let name = std::path::Path::new(file)
                .file_name()
                .map_or_else(|| file.clone(), |n| n.to_string_lossy().into_owned());
            let mut results = Vec::new();
            let failures = measure(&mut results, &name, &human(data.len()), &data, timing);
            report(&results, timing);
            verdict(failures, timing)
        }
        _ => Err(usage("too many arguments")),
    }
}

/// Writes every corpus at 256 KiB to `dir` as `NAME.bin`, so that other programs (the
/// Python comparison with other codecs) measure the very bytes the benchmarks do.
fn dump(dir: &str) -> Result<(), Fail> {
    const LEN: usize = 256 << 10;
    let (real, notes) = realdata::load(LEN);
    for note in &notes {
        eprintln!("demo: skipped {note}");
    }
    std::fs::create_dir_all(dir).map_err(|e| Fail(1, format!("cannot create {dir}: {e}")))?;
    for (name, data) in corpus::mix(&real, LEN) {
        write(&format!("{dir}/{name}.bin"), &data)?;
    }
    Ok(())
}

fn read(path: &str) -> Result<Vec<u8>, Fail> {
    std::fs::read(path).map_err(|e| Fail(1, format!("cannot read {path}: {e}")))
}

fn write(path: &str, data: &[u8]) -> Result<(), Fail> {
    std::fs::write(path, data).map_err(|e| Fail(1, format!("cannot write {path}: {e}")))
}

/// A zeroed buffer of `len` bytes, or an error instead of an abort when memory runs out
/// (a decoded length can be 127 times the encoded one).
fn zeroed(len: usize) -> Result<Vec<u8>, Fail> {
    let mut v = Vec::new();
    v.try_reserve_exact(len)
        .map_err(|_| Fail(1, format!("cannot allocate {len} bytes")))?;
    v.resize(len, 0);
    Ok(v)
}

fn encode_file(input: &str, output: &str) -> Result<(), Fail> {
    let data = read(input)?;
    let mut out = zeroed(runlen::encoded_len(&data))?;
    let n = runlen::try_encode(&mut out, &data)
        .map_err(|e| Fail(1, format!("encoding {input}: {e}")))?;
    write(output, &out[..n])?;
    say!(
        "{input}: {} bytes -> {output}: {n} bytes ({})",
        data.len(),
        Backend::best()
    );
    Ok(())
}

fn decode_file(input: &str, output: &str) -> Result<(), Fail> {
    let data = read(input)?;
    let len = runlen::decoded_len(&data)
        .map_err(|e| Fail(1, format!("{input} is not a valid encoding: {e}")))?;
    let mut out = zeroed(len)?;
    let n =
        runlen::decode(&mut out, &data).map_err(|e| Fail(1, format!("decoding {input}: {e}")))?;
    write(output, &out[..n])?;
    say!("{input}: {} bytes -> {output}: {n} bytes", data.len());
    Ok(())
}

fn builtin(quick: bool, timing: Timing) -> Result<(), Fail> {
    let sizes = if quick {
        &corpus::SIZES[..1]
    } else {
        &corpus::SIZES[..]
    };
    let largest = sizes.iter().map(|&(_, len)| len).max().unwrap_or(0);
    let (real, notes) = realdata::load(largest);
    let supported: Vec<&str> = supported_backends()
        .into_iter()
        .map(Backend::name)
        .collect();
    if !timing.csv {
        say!(
            "runlen demo: backends supported here: {}; best: {}; {} of {} interleaved rounds",
            supported.join(", "),
            Backend::best(),
            if timing.min { "fastest" } else { "median" },
            timing.reps
        );
        say!();
        for s in &real {
            let repeated = if s.len() < largest {
                ", repeated to fill larger sizes"
            } else {
                ""
            };
            say!("- {}: {} ({} bytes{repeated})", s.name, s.what, s.len());
        }
    }
    for note in &notes {
        eprintln!("demo: skipped {note}");
    }
    let mut results = Vec::new();
    let mut failures = 0;
    for &(size_name, len) in sizes {
        for (name, data) in corpus::mix(&real, len) {
            failures += measure(&mut results, &name, size_name, &data, timing);
        }
    }
    report(&results, timing);
    verdict(failures, timing)
}

/// The outcome of the checks; on success a line on stdout, or on stderr under `--csv` (whose
/// stdout is the CSV alone).
fn verdict(failures: usize, timing: Timing) -> Result<(), Fail> {
    if failures == 0 {
        let line = "all encodings equal the scalar reference and all decodings the input";
        if timing.csv {
            eprintln!("{line}");
        } else {
            say!("{line}");
        }
        Ok(())
    } else {
        Err(Fail(1, format!("{failures} check(s) failed (see above)")))
    }
}

/// Checks every entry point on `data` against the references, times them, and appends the
/// result to `results`. Returns the number of failed checks, each reported on stderr.
fn measure(
    results: &mut Vec<Measured>,
    name: &str,
    size: &str,
    data: &[u8],
    timing: Timing,
) -> usize {
    let n = data.len();
    let mut failures = 0;
    let mut check = |ok: bool, what: &str| {
        if !ok {
            eprintln!("demo: MISMATCH on {name} {size}: {what}");
            failures += 1;
        }
    };

    // The reference: the scalar backend, itself checked against the byte-at-a-time oracle.
    let mut out = vec![0u8; runlen::max_encoded_len(n)];
    let reference = match runlen::encode_with(Backend::Scalar, &mut out, data) {
        Ok(len) => out[..len].to_vec(),
        Err(e) => {
            check(false, &format!("scalar encode failed: {e}"));
            return failures;
        }
    };
    check(
        reference == oracle::encode(data),
        "scalar encoding differs from the byte-at-a-time oracle",
    );
    check(
        runlen::encoded_len(data) == reference.len(),
        "encoded_len differs from the encoding's length",
    );
    let backends = supported_backends();
    for &b in &backends {
        poison(&mut out, &reference);
        let got = runlen::encode_with(b, &mut out, data).map(|len| &out[..len]);
        check(
            got == Ok(&reference[..]),
            &format!("encode_with({b}) differs from scalar"),
        );
    }
    let mut exact = vec![0u8; reference.len()];
    poison(&mut exact, &reference);
    let got = runlen::try_encode(&mut exact, data);
    check(
        got == Ok(reference.len()) && exact == reference,
        "try_encode into an exactly sized buffer differs from scalar",
    );
    poison(&mut out, &reference);
    // SAFETY: `out` holds `max_encoded_len(n)` bytes.
    let len = unsafe { runlen::encode_unchecked(&mut out, data) };
    check(
        out[..len] == reference[..],
        "encode_unchecked differs from scalar",
    );
    let mut decoded = vec![0u8; n];
    poison(&mut decoded, data);
    check(
        runlen::decoded_len(&reference) == Ok(n),
        "decoded_len is not the input length",
    );
    check(
        runlen::decode(&mut decoded, &reference) == Ok(n) && decoded == data,
        "decode does not give the input back",
    );
    for &b in &backends {
        poison(&mut decoded, data);
        check(
            runlen::decode_with(b, &mut decoded, &reference) == Ok(n) && decoded == data,
            &format!("decode_with({b}) does not give the input back"),
        );
    }
    // The tutorial's output is the same wherever its 0xFF sentinel does not bite: this
    // checks the baseline is the loop it claims to be.
    poison(&mut out, &reference);
    let tut = tutorial::encode_into(&mut out, data);
    if !data.contains(&0xFF) {
        check(
            out[..tut] == reference[..],
            "the tutorial loop differs from scalar on input without 0xFF",
        );
    }

    // The second format: every backend against the PackBits oracle, both directions.
    let pb_reference = runlen_support::packbits::encode(data);
    let mut pb_out = vec![0u8; packbits::max_encoded_len(n)];
    for &b in &backends {
        poison(&mut pb_out, &pb_reference);
        let got = packbits::encode_with(b, &mut pb_out, data).map(|len| &pb_out[..len]);
        check(
            got == Ok(&pb_reference[..]),
            &format!("packbits::encode_with({b}) differs from the PackBits oracle"),
        );
        poison(&mut decoded, data);
        check(
            packbits::decode_with(b, &mut decoded, &pb_reference) == Ok(n) && decoded == data,
            &format!("packbits::decode_with({b}) does not give the input back"),
        );
    }

    // Every operation is timed in turn within each round, so that a change in the
    // machine's load during the run shifts all of them alike and the ratios stay fair.
    let out = RefCell::new(out);
    let exact = RefCell::new(exact);
    let decoded = RefCell::new(decoded);
    let pb_out = RefCell::new(pb_out);
    let copy = RefCell::new(vec![0u8; n]);
    let reference = &reference[..];
    let mut ops: Vec<Op> = vec![
        (
            Kind::Tutorial,
            Box::new(|| {
                let mut out = out.borrow_mut();
                black_box(tutorial::encode_into(black_box(&mut out), black_box(data)));
            }),
        ),
        (
            Kind::Copy,
            Box::new(|| {
                black_box(&mut copy.borrow_mut()[..]).copy_from_slice(black_box(data));
            }),
        ),
        (
            Kind::Encode(None),
            Box::new(|| {
                let mut exact = exact.borrow_mut();
                let _ = black_box(runlen::try_encode(black_box(&mut exact), black_box(data)));
            }),
        ),
        (
            Kind::Decode(None),
            Box::new(|| {
                let mut decoded = decoded.borrow_mut();
                let _ = black_box(runlen::decode(
                    black_box(&mut decoded),
                    black_box(reference),
                ));
            }),
        ),
        (
            Kind::Unchecked,
            Box::new(|| {
                let mut out = out.borrow_mut();
                // SAFETY: `out` holds `max_encoded_len(n)` bytes.
                black_box(unsafe {
                    runlen::encode_unchecked(black_box(&mut out), black_box(data))
                });
            }),
        ),
    ];
    for &b in &backends {
        let (out, decoded) = (&out, &decoded);
        ops.push((
            Kind::Encode(Some(b)),
            Box::new(move || {
                let mut out = out.borrow_mut();
                let _ = black_box(runlen::encode_with(b, black_box(&mut out), black_box(data)));
            }),
        ));
        ops.push((
            Kind::Decode(Some(b)),
            Box::new(move || {
                let mut decoded = decoded.borrow_mut();
                let _ = black_box(runlen::decode_with(
                    b,
                    black_box(&mut decoded),
                    black_box(reference),
                ));
            }),
        ));
    }
    for b in std::iter::once(None).chain(backends.iter().copied().map(Some)) {
        let (pb_out, decoded, pb_reference) = (&pb_out, &decoded, &pb_reference[..]);
        ops.push((
            Kind::PackBitsEncode(b),
            Box::new(move || {
                let mut out = pb_out.borrow_mut();
                let (out, data) = (black_box(&mut out[..]), black_box(data));
                let _ = black_box(match b {
                    Some(b) => packbits::encode_with(b, out, data),
                    None => packbits::try_encode(out, data),
                });
            }),
        ));
        ops.push((
            Kind::PackBitsDecode(b),
            Box::new(move || {
                let mut decoded = decoded.borrow_mut();
                let (out, enc) = (black_box(&mut decoded[..]), black_box(pb_reference));
                let _ = black_box(match b {
                    Some(b) => packbits::decode_with(b, out, enc),
                    None => packbits::decode(out, enc),
                });
            }),
        ));
    }
    let secs = time(timing, &mut ops);
    // No rate for an empty input: the tables show "-".
    let gbps = |secs: f64| {
        if n > 0 && secs > 0.0 {
            n as f64 / secs / 1e9
        } else {
            f64::NAN
        }
    };
    results.push(Measured {
        corpus: name.to_string(),
        size: size.to_string(),
        len: n,
        mean_run: corpus::mean_run(data),
        encoded: reference.len(),
        packbits: pb_reference.len(),
        rates: ops
            .iter()
            .map(|(k, _)| *k)
            .zip(secs.into_iter().map(gbps))
            .collect(),
    });
    failures
}

/// What one timed operation is.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    /// The numba tutorial's loop (encoding).
    Tutorial,
    /// `copy_from_slice` of the raw bytes: memory bandwidth.
    Copy,
    /// `encode_with(backend)` into `2n`, or with `None` `try_encode` into an exact buffer.
    Encode(Option<Backend>),
    /// `decode_with(backend)`, or with `None` `decode`.
    Decode(Option<Backend>),
    /// `encode_unchecked` into `2n`.
    Unchecked,
    /// `packbits::encode_with(backend)`, or with `None` `packbits::try_encode`, into
    /// `max_encoded_len`.
    PackBitsEncode(Option<Backend>),
    /// `packbits::decode_with(backend)`, or with `None` `packbits::decode`.
    PackBitsDecode(Option<Backend>),
}

/// One corpus at one size: what it is and the rate of each operation, in GB/s of raw bytes.
struct Measured {
    corpus: String,
    size: String,
    len: usize,
    mean_run: f64,
    encoded: usize,
    /// The PackBits encoding's length.
    packbits: usize,
    rates: Vec<(Kind, f64)>,
}

impl Measured {
    fn rate(&self, kind: Kind) -> f64 {
        self.rates
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or(f64::NAN, |&(_, r)| r)
    }

    /// The table's rows: (operation, backend, encode GB/s, decode GB/s); a baseline that
    /// only encodes has no decode rate.
    fn rows(&self) -> Vec<(&'static str, String, f64, f64)> {
        let best = Backend::best().name().to_string();
        let copy = self.rate(Kind::Copy);
        let mut rows = vec![(
            "default",
            best.clone(),
            self.rate(Kind::Encode(None)),
            self.rate(Kind::Decode(None)),
        )];
        for &(kind, encode) in &self.rates {
            if let Kind::Encode(Some(b)) = kind {
                rows.push((
                    "backend",
                    b.name().to_string(),
                    encode,
                    self.rate(Kind::Decode(Some(b))),
                ));
            }
        }
        rows.push((
            "packbits",
            best.clone(),
            self.rate(Kind::PackBitsEncode(None)),
            self.rate(Kind::PackBitsDecode(None)),
        ));
        for &(kind, encode) in &self.rates {
            if let Kind::PackBitsEncode(Some(b)) = kind {
                rows.push((
                    "packbits-backend",
                    b.name().to_string(),
                    encode,
                    self.rate(Kind::PackBitsDecode(Some(b))),
                ));
            }
        }
        rows.push((
            "encode_unchecked",
            Backend::best().name().to_string(),
            self.rate(Kind::Unchecked),
            f64::NAN,
        ));
        rows.push((
            "tutorial",
            String::new(),
            self.rate(Kind::Tutorial),
            f64::NAN,
        ));
        rows.push(("copy", String::new(), copy, copy));
        rows
    }
}

/// Prints `results` as markdown tables (a summary of the default entry points, then every
/// operation), or as CSV rows.
fn report(results: &[Measured], timing: Timing) {
    if timing.csv {
        say!("corpus,size,bytes,mean_run,encoded_bytes,operation,backend,encode_gbps,decode_gbps");
        // `encoded_bytes` is the pairs' length, and the PackBits length on PackBits rows.
        for m in results {
            for (op, backend, encode, decode) in m.rows() {
                let num = |x: f64| {
                    if x.is_finite() {
                        format!("{x:.4}")
                    } else {
                        String::new()
                    }
                };
                let encoded = if op.starts_with("packbits") {
                    m.packbits
                } else {
                    m.encoded
                };
                say!(
                    "{},{},{},{:.2},{},{op},{backend},{},{}",
                    m.corpus,
                    m.size,
                    m.len,
                    m.mean_run,
                    encoded,
                    num(encode),
                    num(decode)
                );
            }
        }
        return;
    }
    let percent =
        |len: usize, m: &Measured| format!("{:.1}%", 100.0 * len as f64 / m.len.max(1) as f64);
    let mut summary = Table::new(&[
        "corpus",
        "size",
        "mean run",
        "encoded",
        "encode GB/s",
        "decode GB/s",
        "decode/encode",
        "encode vs tutorial",
        "PackBits size",
        "PackBits enc",
        "PackBits dec",
    ]);
    for m in results {
        let (encode, decode) = (m.rate(Kind::Encode(None)), m.rate(Kind::Decode(None)));
        summary.row(vec![
            m.corpus.clone(),
            m.size.clone(),
            format!("{:.1}", m.mean_run),
            percent(m.encoded, m),
            fixed(encode, ""),
            fixed(decode, ""),
            fixed(decode / encode, "x"),
            fixed(encode / m.rate(Kind::Tutorial), "x"),
            percent(m.packbits, m),
            fixed(m.rate(Kind::PackBitsEncode(None)), ""),
            fixed(m.rate(Kind::PackBitsDecode(None)), ""),
        ]);
    }
    say!();
    say!(
        "Default entry points (`try_encode` into an exact buffer, `decode`; PackBits: \
         `packbits::try_encode` into `max_encoded_len`, `packbits::decode`) on {}:",
        Backend::best()
    );
    say!();
    summary.print();
    let mut detail = Table::new(&[
        "corpus",
        "size",
        "operation",
        "encode GB/s",
        "decode GB/s",
        "decode/encode",
        "vs tutorial",
        "vs copy",
    ]);
    for m in results {
        let (tutorial, copy) = (m.rate(Kind::Tutorial), m.rate(Kind::Copy));
        for (i, (op, backend, encode, decode)) in m.rows().into_iter().enumerate() {
            let label = match op {
                "backend" => backend,
                "packbits-backend" => format!("packbits {backend}"),
                "default" | "encode_unchecked" | "packbits" => format!("{op} ({backend})"),
                _ => op.to_string(),
            };
            detail.row(vec![
                if i == 0 {
                    m.corpus.clone()
                } else {
                    String::new()
                },
                if i == 0 {
                    m.size.clone()
                } else {
                    String::new()
                },
                label,
                fixed(encode, ""),
                fixed(decode, ""),
                fixed(decode / encode, "x"),
                fixed(encode / tutorial, "x"),
                fixed(encode / copy, "x"),
            ]);
        }
    }
    say!();
    say!("Every operation (encode into `2n` per backend; ratios of the encode rate):");
    say!();
    detail.print();
}

fn supported_backends() -> Vec<Backend> {
    Backend::ALL
        .into_iter()
        .filter(|b| b.is_supported())
        .collect()
}

/// Fills `buf` with the complement of `expected`, so that a call that leaves a byte
/// unwritten (or writes what an earlier call left there) cannot pass a comparison.
fn poison(buf: &mut [u8], expected: &[u8]) {
    for (i, b) in buf.iter_mut().enumerate() {
        *b = !expected.get(i).copied().unwrap_or(0);
    }
}

/// Median seconds per call of each operation, over `timing.reps` repetitions of a batch
/// of calls; the operations take turns within each repetition.
fn time(timing: Timing, ops: &mut [Op]) -> Vec<f64> {
    // One untimed call of each warms caches and page tables and sizes its batch.
    let batches: Vec<u32> = ops
        .iter_mut()
        .map(|(_, f)| {
            let start = Instant::now();
            f();
            let once = start.elapsed().max(Duration::from_nanos(1));
            (timing.min_rep.as_nanos() / once.as_nanos()).clamp(1, 1_000_000) as u32
        })
        .collect();
    let mut samples = vec![Vec::with_capacity(timing.reps); ops.len()];
    for _ in 0..timing.reps {
        for (((_, f), &batch), s) in ops.iter_mut().zip(&batches).zip(&mut samples) {
            let start = Instant::now();
            for _ in 0..batch {
                f();
            }
            s.push(start.elapsed().as_secs_f64() / f64::from(batch));
        }
    }
    samples
        .into_iter()
        .map(|mut s| {
            s.sort_by(f64::total_cmp);
            if timing.min { s[0] } else { s[s.len() / 2] }
        })
        .collect()
}

/// Two decimals and a unit, or "-" where there is no number (an empty input).
fn fixed(x: f64, unit: &str) -> String {
    if x.is_finite() {
        format!("{x:.2}{unit}")
    } else {
        "-".to_string()
    }
}

fn human(n: usize) -> String {
    match n {
        n if n >= 1 << 20 && n % (1 << 20) == 0 => format!("{}MiB", n >> 20),
        n if n >= 1 << 10 && n % (1 << 10) == 0 => format!("{}KiB", n >> 10),
        n => format!("{n}B"),
    }
}

/// A markdown table, so that the output pastes into a document as it is: text columns
/// left, numbers right.
struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    fn new(header: &[&str]) -> Self {
        Table {
            header: header.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    fn print(&self) {
        let mut width: Vec<usize> = self.header.iter().map(String::len).collect();
        for row in &self.rows {
            for (w, cell) in width.iter_mut().zip(row) {
                *w = (*w).max(cell.len());
            }
        }
        // A column is numeric when every cell in it starts with a digit, '-' or is empty.
        let numeric: Vec<bool> = (0..width.len())
            .map(|c| {
                self.rows.iter().all(|r| {
                    r[c].is_empty() || r[c].starts_with(|ch: char| ch.is_ascii_digit() || ch == '-')
                })
            })
            .collect();
        let line = |cells: &[String]| {
            let mut s = String::from("|");
            for ((cell, &w), &num) in cells.iter().zip(&width).zip(&numeric) {
                if num {
                    s.push_str(&format!(" {cell:>w$} |"));
                } else {
                    s.push_str(&format!(" {cell:<w$} |"));
                }
            }
            s
        };
        say!("{}", line(&self.header));
        let rule: Vec<String> = width
            .iter()
            .zip(&numeric)
            .map(|(&w, &num)| {
                if num {
                    format!("{}:", "-".repeat(w + 1))
                } else {
                    "-".repeat(w + 2)
                }
            })
            .collect();
        say!("|{}|", rule.join("|"));
        for row in &self.rows {
            say!("{}", line(row));
        }
    }
}
