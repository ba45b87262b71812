//! The kernel-contract harness: one set of checks, for every kernel of both formats and both
//! directions, that every backend runs (in the manner of memchr's `arch/all` tests).
//!
//! A backend is given as its [`Kernels`] (the value detection hands out) and an [`Expect`]
//! (how far its kernels must get on their own). For each kernel the harness calls it on
//! inputs built to break block code, every length from 0 to 300 and some larger, with its
//! input and `out` at every start alignment within a 64-byte aligned buffer, with `out`
//! generous, exact and short, and checks the contract written on the kernel's type:
//!
//! - it writes nothing outside `out` (guard bytes on both sides hold a canary pattern that
//!   changes from call to call; PackBits' measure writes nothing at all);
//! - it reads nothing outside its input: under Miri, the slice's borrow covers only its
//!   bytes; natively, the bytes around the input continue its first and last runs, so a
//!   kernel that looked at them would count them;
//! - its progress is within bounds (even and zero-free for the pairs' decoders, at most
//!   130 bytes held back by PackBits' encoder) and at least what the backend promises;
//! - what it wrote is exactly the reference's output for what it consumed (the scalar
//!   reference for the pairs' encoder, the byte-at-a-time definitions of `runlen-support`
//!   for the rest), and finishing with the checked scalar tail gives the whole encoding;
//! - on invalid input (zero counts, odd lengths, truncated PackBits packets) the decoders
//!   stop before it and write nothing outside `out`.
//!
//! Under Miri, which interprets every instruction, inputs and `out` sizes are sampled and
//! only the best backend's instance runs (each Miri job builds for one backend); the memory
//! checks are then Miri's own as well.

extern crate std;

use std::format;
use std::string::String;
use std::sync::OnceLock;
use std::vec;
use std::vec::Vec;

use runlen_support::inputs::{geometric_runs, pairs, tricky_inputs};
use runlen_support::{Rng, oracle as pairs_oracle, packbits as packbits_oracle};

use crate::backend::Backend;
use crate::backend::Kernels;
use crate::engine::as_uninit;
use crate::scalar::{Run, encode_tail};

const MIRI: bool = cfg!(miri);

/// A sampling step: `native` natively, `miri` under Miri.
const fn step(native: usize, miri: usize) -> usize {
    if MIRI { miri } else { native }
}
/// Guard bytes on each side of a window.
const GUARD: usize = 64;
/// Start offsets are taken in `0..ALIGN` from a buffer aligned to `ALIGN`.
const ALIGN: usize = 64;
/// The most input bytes PackBits' encoder holds back without `last` (its contract).
const MAX_HELD: usize = 130;

/// How far a backend's kernels must get on their own (the contracts allow stopping
/// anywhere; these keep a kernel that does nothing from passing).
pub(crate) struct Expect {
    /// The pairs' encoder, given a generous `out`, leaves fewer input bytes than this.
    pub(crate) encode_left: usize,
    /// Given exactly the `out` the reference needs, the pairs' encoder still encodes every
    /// whole block of this many bytes (0: no such promise).
    pub(crate) encode_exact_block: usize,
    /// The pairs' expand and measure kernels, given a generous `out`, stop fewer encoded
    /// bytes than this before the first zero count or the end.
    pub(crate) decode_left: usize,
}

/// One kernel's checks, for a backend's kernels.
pub(crate) type Check = fn(Kernels, &Expect) -> usize;

/// Runs `check` on `backend`'s kernels, or says loudly that it cannot.
///
/// Under Miri only the best backend's instance runs: each Miri job (see `.ci/miri.sh`)
/// builds for one backend, whose own job runs the others.
pub(crate) fn run(backend: Backend, expect: &Expect, kernel: &str, check: Check) {
    if MIRI && backend != Backend::best() {
        std::eprintln!(
            "SKIPPED kernel contract for {backend} under Miri: this job is {}'s; {backend} has \
             its own Miri job",
            Backend::best()
        );
        return;
    }
    if let Some(k) = available(backend) {
        let calls = check(k, expect);
        std::eprintln!("{backend} {kernel}: {calls} kernel calls checked");
    }
}

/// `backend`'s kernels, if the CPU runs them; otherwise a message on stderr (not captured
/// by libtest) that the kernels were not executed. Where the standard library sees every
/// feature of the backend, a skip fails instead: detection must not hide a kernel.
pub(crate) fn available(backend: Backend) -> Option<Kernels> {
    use std::io::Write;
    let k = Kernels::new(backend);
    if k.is_none() {
        assert!(
            !std_detects(backend),
            "{backend}: the standard library detects every feature, the crate does not"
        );
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED kernel contract for {backend}: this CPU (or the Miri target features) \
             lacks its features; its kernels were NOT executed"
        );
    }
    k
}

/// Whether `std`'s own detection finds all of `backend`'s features (false where it
/// cannot tell).
fn std_detects(backend: Backend) -> bool {
    #[cfg(all(target_arch = "x86_64", not(miri)))]
    {
        use std::is_x86_feature_detected as has;
        let avx2 = has!("avx2") && has!("bmi1") && has!("bmi2") && has!("popcnt") && has!("ssse3");
        match backend {
            Backend::Sse2 => true,
            Backend::Avx2 => avx2,
            Backend::Avx512 => {
                avx2 && has!("avx512f")
                    && has!("avx512bw")
                    && has!("avx512vl")
                    && has!("avx512vbmi")
                    && has!("avx512vbmi2")
            }
            _ => false,
        }
    }
    #[cfg(not(all(target_arch = "x86_64", not(miri))))]
    {
        let _ = backend;
        false
    }
}

/// A 64-byte aligned buffer in which a kernel's input or `out` is a window at a chosen
/// offset, with [`GUARD`] bytes on each side.
struct Arena {
    buf: Vec<u8>,
    /// Where the aligned part of `buf` starts.
    base: usize,
    /// The canary: what `out` and its guards hold before a call. It changes from call to
    /// call, so that no kernel's stray write matches it every time.
    seed: u8,
}

impl Arena {
    fn new() -> Arena {
        Arena {
            buf: Vec::new(),
            base: 0,
            seed: 0,
        }
    }

    /// Room for a window of `len` bytes at offset `align` (below [`ALIGN`]); returns the
    /// window's range in `buf`.
    fn window(&mut self, align: usize, len: usize) -> core::ops::Range<usize> {
        let need = 2 * GUARD + ALIGN + len + ALIGN;
        // Under Miri the buffer is always just the size needed: every index into a `Vec`
        // reborrows all of it, which Miri's borrow tracking pays for byte by byte.
        if self.buf.len() < need || (MIRI && self.buf.len() != need) {
            self.buf = vec![0; if MIRI { need } else { 2 * need }];
        }
        self.base = (ALIGN - self.buf.as_ptr().addr() % ALIGN) % ALIGN;
        let start = self.base + GUARD + align;
        debug_assert_eq!((self.buf.as_ptr().addr() + start) % ALIGN, align);
        start..start + len
    }

    /// An `out` of `len` bytes at offset `align`, it and its guards filled with this
    /// call's canary byte.
    fn out(&mut self, align: usize, len: usize) -> core::ops::Range<usize> {
        // Never the same byte twice in a row.
        self.seed = self.seed.wrapping_add(0x3B);
        let w = self.window(align, len);
        let seed = self.seed;
        self.buf[w.start - GUARD..w.end + GUARD].fill(seed);
        w
    }

    /// Panics if a byte of `range` no longer holds the canary.
    fn untouched(&self, range: core::ops::Range<usize>, what: &str, ctx: &dyn Fn() -> String) {
        let span = &self.buf[range];
        // Whole guards at a time (a `memcmp`, quick under Miri), then the byte.
        if span
            .chunks(GUARD)
            .all(|c| c == &[self.seed; GUARD][..c.len()])
        {
            return;
        }
        let i = span.iter().position(|&b| b != self.seed).unwrap_or(0);
        panic!("wrote {what} (byte {i} of it): {}", ctx());
    }

    /// Checks the guards around the window `w`.
    fn guards(&self, w: &core::ops::Range<usize>, ctx: &dyn Fn() -> String) {
        self.untouched(w.start - GUARD..w.start, "before out", ctx);
        self.untouched(w.end..w.end + GUARD, "past out", ctx);
    }

    /// `input` at offset `align`, the bytes around it continuing its first and last bytes
    /// (a kernel that read them would see its runs go on).
    fn input(&mut self, align: usize, input: &[u8]) -> core::ops::Range<usize> {
        let w = self.window(align, input.len());
        let (first, last) = (
            input.first().copied().unwrap_or(0),
            input.last().copied().unwrap_or(0),
        );
        self.buf[w.start - GUARD..w.start].fill(first);
        self.buf[w.clone()].copy_from_slice(input);
        self.buf[w.end..w.end + GUARD].fill(last);
        w
    }
}

/// An input and `out` offset for the `i`-th case: over consecutive cases both sweep
/// `0..ALIGN`, in different orders, so that every pair of residues meets over a sweep.
fn aligns(i: usize) -> (usize, usize) {
    (i % ALIGN, (i * 29 + i / ALIGN) % ALIGN)
}

/// Sizes of `out` to try for an encoding of `need` bytes: none, every short one (sampled
/// for long encodings and under Miri), exact, and generous.
fn out_lens(need: usize, generous: usize) -> Vec<usize> {
    let mut v: Vec<usize> = if MIRI {
        vec![need.saturating_sub(1)]
    } else if need <= 160 {
        (0..need).collect()
    } else {
        let mut v: Vec<usize> = (0..need).step_by(need / 24).collect();
        v.extend([1, 2, 15, 16, 17, 63, 64, 65, need - 2, need - 1]);
        v
    };
    v.retain(|&n| n < need);
    v.extend([need, generous]);
    v.sort_unstable();
    v.dedup();
    v
}

/// Runs with geometric lengths of mean `mean` over a few values (0x00 and 0xFF among
/// them), neighbours often equal.
fn geometric(rng: &mut Rng, n: usize, mean: u64) -> Vec<u8> {
    geometric_runs(rng, n, mean, &[0x00, 0xFF, 0x41, 0x42], false)
}

/// The inputs every encoder gets (made once per process): natively every length 0..=300
/// (random bytes, and geometric runs of means 2 to 64), longer ones with long runs, and the
/// families of [`tricky_inputs`] (runs ending at every block offset, runs of 255 and more
/// across blocks, alternating full and empty blocks, 0x00 and 0xFF at the edges), plus a
/// ramp and single odd bytes at every offset of a 64-byte block; under Miri, a few of each.
fn encoder_inputs() -> &'static [Vec<u8>] {
    static INPUTS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    INPUTS.get_or_init(|| {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let mut v = Vec::new();
        let lengths: Vec<usize> = if MIRI {
            vec![0, 33, 130, 257]
        } else {
            (0..=300).collect()
        };
        for n in lengths {
            v.push(rng.bytes(n, 256));
            v.push(geometric(&mut rng, n, [2, 4, 8, 64][n % 4]));
        }
        if MIRI {
            // A run over 255, then one of 256, across blocks; a run ending mid-block.
            v.push([vec![0xAA; 300], vec![1, 2, 3], vec![0xFF; 256]].concat());
            v.push([vec![7; 101], vec![9; 91]].concat());
        } else {
            for n in [511, 512, 513, 1000, 2047, 4099] {
                for mean in [1, 4, 64, 300] {
                    v.push(geometric(&mut rng, n, mean));
                }
            }
            v.extend(tricky_inputs());
            v.push((0..=255).collect());
        }
        // 0x00 and 0xFF at the edges of 64-byte blocks, among each of four values.
        for edge in [0x00u8, 0xFF] {
            for other in [0x00u8, 0x01, 0xFE, 0xFF].iter().step_by(step(1, 4)) {
                let mut x = vec![*other; 192];
                for at in [0, 63, 64, 127, 128, 191] {
                    x[at] = edge;
                }
                v.push(x);
            }
        }
        // Blocks of 64 alternately all boundaries and none, starting with either.
        let alternating: Vec<u8> = (0..6u8)
            .flat_map(|b| {
                (0..64u8).map(move |x| {
                    if b % 2 == 0 {
                        x.wrapping_add(b.wrapping_mul(64))
                    } else {
                        0xEE
                    }
                })
            })
            .collect();
        v.push(alternating[64..].to_vec());
        if !MIRI {
            v.push(alternating);
        }
        for at in (0..64).take(if MIRI { 0 } else { 64 }) {
            let mut x = vec![5u8; 192];
            x[64 + at] = 6;
            v.push(x);
        }
        v
    })
}

/// The reference's output and final run for `input` after `run` (prepared).
fn reference(mut run: Run, input: &[u8]) -> (Vec<u8>, Run) {
    let mut out = vec![0u8; 2 * input.len()];
    let n = encode_tail(&mut run, input, as_uninit(&mut out)).expect("2n bytes always suffice");
    out.truncate(n);
    (out, run)
}

/// A carried run, `value` repeated `len` times, made ready for `input` as the engine does.
fn prepared(value: u8, len: u32, input: &[u8]) -> Run {
    let mut run = Run { value, len };
    run.prepare(input);
    run
}

/// Two buffers: one for a kernel's input, one for its `out`.
struct Arenas {
    input: Arena,
    out: Arena,
}

impl Arenas {
    fn new() -> Arenas {
        Arenas {
            input: Arena::new(),
            out: Arena::new(),
        }
    }
}

/// One call of the pairs' encoder on `input` at offset `a_in`, continuing `run0`, with
/// `out_len` bytes of `out` at offset `a_out`. Checks the guards and the bounds, and that
/// the bytes written and the run left are the reference's for the input consumed; returns
/// the input consumed, the run left and the bytes written.
fn encode_once(
    k: Kernels,
    arenas: &mut Arenas,
    run0: Run,
    input: &[u8],
    (a_in, a_out): (usize, usize),
    out_len: usize,
) -> (usize, Run, Vec<u8>) {
    let ctx = || {
        format!(
            "{:?} encode: input {} bytes at +{a_in}, out {out_len} at +{a_out}, run {run0:?}",
            k.backend(),
            input.len(),
        )
    };
    let iw = arenas.input.input(a_in, input);
    let ow = arenas.out.out(a_out, out_len);
    let mut run = run0;
    let (consumed, written) = k.encode(
        &mut run,
        &arenas.input.buf[iw],
        as_uninit(&mut arenas.out.buf[ow.clone()]),
    );
    arenas.out.guards(&ow, &ctx);
    assert!(consumed <= input.len(), "consumed {consumed}: {}", ctx());
    assert!(written <= out_len, "written {written}: {}", ctx());
    let (prefix, prefix_run) = reference(run0, &input[..consumed]);
    let wrote = &arenas.out.buf[ow.start..ow.start + written];
    assert_eq!(wrote, &prefix[..], "consumed {consumed}: {}", ctx());
    assert_eq!(run, prefix_run, "consumed {consumed}: {}", ctx());
    (consumed, run, prefix)
}

/// The pairs' encoder, continuing every kind of run the contract allows.
fn pairs_encode(k: Kernels, expect: &Expect) -> usize {
    let mut arenas = Arenas::new();
    let mut case = 0;
    for (i, input) in encoder_inputs().iter().enumerate() {
        let first = input.first().copied().unwrap_or(0);
        let mut runs = vec![prepared(0, 0, input)];
        // Carried runs of the same and of another value, of lengths 1, 200 and 255: all of
        // them for a few inputs, one for each of the rest.
        for len in [1, 200, 255] {
            for value in [first, first.wrapping_add(1)] {
                runs.push(prepared(value, len, input));
            }
        }
        if i % 7 != 0 || MIRI {
            runs = vec![runs[i % runs.len()]];
        }
        for run0 in runs {
            let (full, full_run) = reference(run0, input);
            for out_len in out_lens(full.len(), 2 * input.len() + 64) {
                case += 1;
                let (consumed, run, prefix) =
                    encode_once(k, &mut arenas, run0, input, aligns(case), out_len);
                let ctx = || {
                    format!(
                        "{:?} encode: input {} bytes, out {out_len} of {}, run {run0:?}, \
                         consumed {consumed}",
                        k.backend(),
                        input.len(),
                        full.len()
                    )
                };
                // The checked tail finishes it.
                let (rest, rest_run) = reference(run, &input[consumed..]);
                assert_eq!([&prefix[..], &rest[..]].concat(), full, "{}", ctx());
                assert_eq!(rest_run, full_run, "{}", ctx());
                let left = input.len() - consumed;
                if out_len > full.len() {
                    assert!(left < expect.encode_left, "{}", ctx());
                }
                let block = expect.encode_exact_block;
                if out_len == full.len() && block > 0 {
                    assert_eq!(consumed, input.len() / block * block, "{}", ctx());
                }
            }
        }
    }
    case + sweep_alignments(k, &mut arenas)
}

/// Every pair of input and `out` offsets, on inputs that take each path of a block
/// encoder (not under Miri: 4096 calls each).
fn sweep_alignments(k: Kernels, arenas: &mut Arenas) -> usize {
    if MIRI {
        return 0;
    }
    let mut rng = Rng(5);
    let inputs = [
        rng.bytes(200, 256),
        geometric(&mut rng, 300, 8),
        vec![7; 600],
    ];
    for input in &inputs {
        let run0 = prepared(0, 0, input);
        for a_in in 0..ALIGN {
            for a_out in 0..ALIGN {
                encode_once(k, arenas, run0, input, (a_in, a_out), 2 * input.len());
            }
        }
    }
    inputs.len() * ALIGN * ALIGN
}

/// `encode` of each encoder input (a third of them under Miri): valid input for a decoder.
fn encodings(encode: fn(&[u8]) -> Vec<u8>) -> Vec<Vec<u8>> {
    let inputs = encoder_inputs().iter().step_by(step(1, 3));
    inputs.map(|x| encode(x)).collect()
}

/// Encoded pairs for the decoders: the encodings of the encoders' inputs, pairs with
/// counts of every range (ones, ones and twos, up to 8, 16 and 64, anything, long, and with
/// zeros),
/// ones and twos with one or two longer runs at every pair of a block, a zero count at
/// every pair of a 64-pair stretch, and odd lengths.
fn encoded_pairs() -> &'static [Vec<u8>] {
    static PAIRS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    PAIRS.get_or_init(|| {
        let mut rng = Rng(0x2545_F491_4F6C_DD1D);
        let mut v = encodings(|x| reference(Run::default(), x).0);
        let ranges = [
            (1, 1),
            (1, 2),
            (2, 2),
            (1, 8),
            (1, 16),
            (1, 64),
            (1, 255),
            (200, 255),
            (0, 3),
        ];
        for n in (0..=150)
            .step_by(step(1, 21))
            .take(if MIRI { 3 } else { 151 })
        {
            let (lo, hi) = ranges[n % ranges.len()];
            v.push(pairs(&mut rng, n, lo, hi));
            v.push(pairs(&mut rng, n, 1, 8));
        }
        // Ones and twos with one or two longer runs anywhere in a block (the few
        // exceptions a vector path may single out), at counts on both sides of where such
        // a path may stop (a 32-byte splat holds the extra bytes of a count of 34).
        for at in (0..32).step_by(step(1, 11)) {
            let cases = [
                (3, None),
                (34, Some((7, 3))),
                (35, Some((31, 34))),
                (17, Some((1, 30))),
                (5, Some((16, 35))),
            ];
            for (count, other) in cases {
                let mut e = pairs(&mut rng, 40, 1, 2);
                e[2 * at + 1] = count;
                if let Some((d, count)) = other {
                    e[2 * ((at + d) % 32) + 1] = count;
                }
                v.push(e);
            }
        }
        for at in (0..64).step_by(step(1, 32)) {
            let mut e = pairs(&mut rng, if MIRI { 40 } else { 96 }, 1, 40);
            e[2 * at + 1] = 0;
            v.push(e);
        }
        for odd in (0..v.len()).step_by(step(5, 11)) {
            let mut e = v[odd].clone();
            e.push(0x33);
            v.push(e);
        }
        v
    })
}

/// Where the pairs' decoders must stop at the latest: the first zero count, or the last
/// whole pair.
fn zero_free(encoded: &[u8]) -> usize {
    encoded
        .chunks_exact(2)
        .position(|p| p[1] == 0)
        .map_or(encoded.len() & !1, |i| 2 * i)
}

fn sum(encoded: &[u8]) -> usize {
    encoded.chunks_exact(2).map(|p| usize::from(p[1])).sum()
}

/// The pairs' expand kernel.
fn pairs_expand(k: Kernels, expect: &Expect) -> usize {
    let mut arenas = Arenas::new();
    let mut case = 0;
    for encoded in encoded_pairs() {
        let valid = zero_free(encoded);
        let need = sum(&encoded[..valid]);
        for out_len in out_lens(need, need + 256) {
            case += 1;
            let (a_in, a_out) = aligns(case);
            let ctx = || {
                format!(
                    "{:?} expand: {} encoded bytes at +{a_in} ({valid} valid), out {out_len} \
                     of {need} at +{a_out}",
                    k.backend(),
                    encoded.len(),
                )
            };
            let iw = arenas.input.input(a_in, encoded);
            let ow = arenas.out.out(a_out, out_len);
            let (consumed, written) = k.expand(
                &arenas.input.buf[iw],
                as_uninit(&mut arenas.out.buf[ow.clone()]),
            );
            arenas.out.guards(&ow, &ctx);
            assert!(
                consumed % 2 == 0 && consumed <= valid,
                "consumed {consumed}: {}",
                ctx()
            );
            let want = pairs_oracle::decode_streaming(&encoded[..consumed]).expect("no zero");
            assert_eq!(written, want.len(), "written: {}", ctx());
            assert!(written <= out_len, "{}", ctx());
            assert_eq!(
                &arenas.out.buf[ow.start..ow.start + written],
                &want[..],
                "{}",
                ctx()
            );
            if out_len > need {
                assert!(
                    valid - consumed < expect.decode_left,
                    "consumed {consumed}: {}",
                    ctx()
                );
            }
        }
    }
    case
}

/// The pairs' measure kernel.
fn pairs_measure(k: Kernels, expect: &Expect) -> usize {
    let mut arenas = Arenas::new();
    let all = encoded_pairs();
    let calls = all.len();
    for (case, encoded) in all.iter().enumerate() {
        let valid = zero_free(encoded);
        let a_in = aligns(case).0;
        let iw = arenas.input.input(a_in, encoded);
        let (scanned, total) = k.measure(&arenas.input.buf[iw]);
        let ctx = || {
            format!(
                "{:?} measure: {} bytes at +{a_in} ({valid} valid)",
                k.backend(),
                encoded.len()
            )
        };
        assert!(
            scanned % 2 == 0 && scanned <= valid,
            "scanned {scanned}: {}",
            ctx()
        );
        assert!(
            valid - scanned < expect.decode_left,
            "scanned {scanned}: {}",
            ctx()
        );
        assert_eq!(total, Some(sum(&encoded[..scanned]) as u64), "{}", ctx());
    }
    calls
}

/// PackBits' encoder and its measure, with and without `last`.
fn packbits_encode(k: Kernels) -> usize {
    let mut arenas = Arenas::new();
    let mut case = 0;
    for (i, input) in encoder_inputs().iter().enumerate() {
        let want = packbits_oracle::encode(input);
        let generous = crate::packbits::max_encoded_len(input.len()) + 64;
        let mut lens = out_lens(want.len(), generous);
        if MIRI || i % 2 == 1 {
            // Every short size for half the inputs, the last one for the rest.
            lens.retain(|&n| n + 1 >= want.len() || n == 0);
        }
        // Under Miri, chunks (`last == false`) for half the inputs.
        for last in [true, false]
            .into_iter()
            .take(if MIRI && i % 2 == 0 { 1 } else { 2 })
        {
            // Where a chunk stops: the same whatever `out`, once it fits.
            let mut cut = None;
            for &out_len in &lens {
                case += 1;
                let (a_in, a_out) = aligns(case);
                let ctx = || {
                    format!(
                        "{:?} PackBits encode: input {} bytes at +{a_in}, out {out_len} of {} \
                         at +{a_out}, last {last}",
                        k.backend(),
                        input.len(),
                        want.len()
                    )
                };
                let iw = arenas.input.input(a_in, input);
                let ow = arenas.out.out(a_out, out_len);
                let r = k.packbits_encode(
                    &arenas.input.buf[iw.clone()],
                    as_uninit(&mut arenas.out.buf[ow.clone()]),
                    last,
                );
                arenas.out.guards(&ow, &ctx);
                let Ok((p, w)) = r else {
                    assert!(out_len < want.len(), "Full: {}", ctx());
                    continue;
                };
                assert!(w <= out_len && p <= input.len(), "({p}, {w}): {}", ctx());
                let wrote = &arenas.out.buf[ow.start..ow.start + w];
                if last {
                    assert_eq!((p, wrote), (input.len(), &want[..]), "{}", ctx());
                } else {
                    assert!(input.len() - p <= MAX_HELD, "cut at {p}: {}", ctx());
                    match cut {
                        Some(first) => assert_eq!(first, (p, w), "{}", ctx()),
                        None => {
                            continuations(input, p, wrote, &ctx);
                            cut = Some((p, w));
                        }
                    }
                }
                // The measure: the same answer, and `out` untouched.
                let mw = arenas.out.out(a_out, out_len);
                let m = k.packbits_measure(
                    &arenas.input.buf[iw],
                    as_uninit(&mut arenas.out.buf[mw.clone()]),
                    last,
                );
                arenas
                    .out
                    .untouched(mw.start - GUARD..mw.end + GUARD, "in measure", &ctx);
                assert_eq!(m.ok(), Some((p, w)), "measure: {}", ctx());
            }
        }
    }
    case
}

/// A chunk's bytes `wrote` and cut `p` are right whatever follows `x`: the bytes, then
/// the encoding of `x[p..]` and what follows, are the encoding of it all.
fn continuations(x: &[u8], p: usize, wrote: &[u8], ctx: &dyn Fn() -> String) {
    let last = x.last().copied().unwrap_or(0);
    let nexts: [&[u8]; 4] = [
        &[],
        &[last; 3],
        &[last.wrapping_add(1), 9, 9, 9],
        &[last; 200],
    ];
    for next in &nexts[..if MIRI { 3 } else { 4 }] {
        let all = packbits_oracle::encode(&[x, next].concat());
        let rest = packbits_oracle::encode(&[&x[p..], next].concat());
        assert_eq!(
            [wrote, &rest[..]].concat(),
            all,
            "followed by {next:?}: {}",
            ctx()
        );
    }
}

/// PackBits' decoding, by the kernel's contract: whole packets while they fit, no-ops
/// skipped; stops at the end, at a packet the end cuts off, or at one that does not fit.
fn packbits_reference(enc: &[u8], cap: usize) -> (usize, Vec<u8>) {
    let (mut i, mut out) = (0, Vec::new());
    while i < enc.len() {
        let h = usize::from(enc[i]);
        let (len, size) = match h {
            0..=127 => (h + 1, h + 2),
            128 => (0, 1),
            _ => (257 - h, 2),
        };
        if enc.len() - i < size || cap - out.len() < len {
            break;
        }
        match h {
            0..=127 => out.extend_from_slice(&enc[i + 1..i + size]),
            128 => {}
            _ => out.extend(core::iter::repeat_n(enc[i + 1], len)),
        }
        i += size;
    }
    (i, out)
}

/// PackBits streams: the encoders' outputs, streams with every kind of packet (no-ops,
/// literals and runs of every length), streaks of full literal packets, and all cut short
/// at many points.
fn packbits_streams() -> &'static [Vec<u8>] {
    static STREAMS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    STREAMS.get_or_init(|| {
        let mut rng = Rng(0xD1B5_4A32_D192_ED03);
        let mut v = encodings(packbits_oracle::encode);
        for packets in (0..60).step_by(step(1, 20)) {
            v.push(packbits_oracle::random_stream(&mut rng, packets));
        }
        // Streaks of full literal packets (bytes without runs), alone and broken by a run,
        // for the decoders' streak path.
        for n in [1031, 2053, 4099].into_iter().step_by(step(1, 3)) {
            let mut x = rng.bytes(n, 256);
            v.push(packbits_oracle::encode(&x));
            x[n / 2..n / 2 + 5].fill(0x5A);
            v.push(packbits_oracle::encode(&x));
        }
        let whole = v.len();
        for s in (0..whole).step_by(step(3, 7)) {
            if v[s].is_empty() {
                continue;
            }
            let cut = 1 + rng.index(v[s].len());
            v.push(v[s][..v[s].len() - cut.min(v[s].len())].to_vec());
            v.push(v[s][..v[s].len() - 1].to_vec());
        }
        v
    })
}

/// PackBits' decoder: exactly the reference, on valid and cut-off streams.
fn packbits_expand(k: Kernels) -> usize {
    let mut arenas = Arenas::new();
    let mut case = 0;
    for (i, enc) in packbits_streams().iter().enumerate() {
        let (_, all) = packbits_reference(enc, usize::MAX);
        let mut lens = out_lens(all.len(), all.len() + 256);
        if MIRI || i % 2 == 1 {
            lens.retain(|&n| n + 1 >= all.len() || n == 0 || n == all.len() / 2);
        }
        for out_len in lens {
            case += 1;
            let (a_in, a_out) = aligns(case);
            let ctx = || {
                format!(
                    "{:?} PackBits expand: {} bytes at +{a_in}, out {out_len} of {} at +{a_out}",
                    k.backend(),
                    enc.len(),
                    all.len()
                )
            };
            let iw = arenas.input.input(a_in, enc);
            let ow = arenas.out.out(a_out, out_len);
            let (used, written) = k.packbits_expand(
                as_uninit(&mut arenas.out.buf[ow.clone()]),
                &arenas.input.buf[iw],
            );
            arenas.out.guards(&ow, &ctx);
            let (want_used, want) = packbits_reference(enc, out_len);
            assert_eq!((used, written), (want_used, want.len()), "{}", ctx());
            assert_eq!(
                &arenas.out.buf[ow.start..ow.start + written],
                &want[..],
                "{}",
                ctx()
            );
        }
    }
    case
}

/// A backend's instance of the harness: a test per kernel, each skipped (loudly) where the
/// CPU lacks the backend.
macro_rules! instance {
    ($(#[$attr:meta])* $name:ident, $backend:expr, $expect:expr) => {
        $(#[$attr])*
        mod $name {
            use super::*;

            fn check(kernel: &str, check: Check) {
                run($backend, &$expect, kernel, check);
            }

            #[test]
            fn pairs_encode() {
                check("pairs_encode", super::pairs_encode);
            }

            #[test]
            fn pairs_expand() {
                check("pairs_expand", super::pairs_expand);
            }

            #[test]
            fn pairs_measure() {
                check("pairs_measure", super::pairs_measure);
            }

            #[test]
            fn packbits_encode() {
                check("packbits_encode", |k, _| super::packbits_encode(k));
            }

            #[test]
            fn packbits_expand() {
                check("packbits_expand", |k, _| super::packbits_expand(k));
            }
        }
    };
}

instance!(
    /// 32-byte blocks while 64 bytes of room remain; 8-pair decode blocks.
    scalar,
    Backend::Scalar,
    Expect {
        encode_left: 32,
        encode_exact_block: 0,
        decode_left: 16,
    }
);

instance!(
    /// An exact `out` keeps SSE2's encoder going to the last whole block too.
    #[cfg(all(runlen_simd, target_arch = "x86_64"))]
    sse2,
    Backend::Sse2,
    Expect {
        encode_left: 32,
        encode_exact_block: 32,
        decode_left: 32,
    }
);

instance!(
    #[cfg(all(runlen_simd, target_arch = "x86_64"))]
    avx2,
    Backend::Avx2,
    Expect {
        encode_left: 64,
        encode_exact_block: 0,
        decode_left: 64,
    }
);

instance!(
    /// Masked stores write exactly the pairs, so an exact `out` keeps AVX-512's encoder
    /// going to the last whole block.
    #[cfg(all(runlen_simd, target_arch = "x86_64"))]
    avx512,
    Backend::Avx512,
    Expect {
        encode_left: 64,
        encode_exact_block: 64,
        decode_left: 64,
    }
);

instance!(
    #[cfg(all(runlen_simd, target_arch = "aarch64"))]
    neon,
    Backend::Neon,
    Expect {
        encode_left: 16,
        encode_exact_block: 0,
        decode_left: 32,
    }
);
