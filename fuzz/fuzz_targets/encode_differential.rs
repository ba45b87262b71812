//! Every encoding entry point, on every supported backend, against the scalar reference,
//! which is itself held to the byte-at-a-time oracle of `runlen-support`.
//!
//! Input layout (so the fuzzer chooses the splits and buffer shortfalls as well as the
//! data): byte 0 is `flags`; its low 3 bits are the number of split points `s`; then `s`
//! little-endian `u16` split positions (taken modulo `input.len() + 1`); the rest is the
//! input to encode. Missing header bytes read as zero. `flags >> 3` picks how much too
//! small the extra short buffer is, and whether the streaming encoder first tries each chunk
//! with an empty buffer.
//!
//! Every output buffer is its own `Vec` of exactly the size under test, so AddressSanitizer
//! reports any write past its end.
#![no_main]

use libfuzzer_sys::fuzz_target;
use runlen::{Backend, Encoder, Error};
use runlen_support::guard::exact as with_buf;
use runlen_support::oracle::encode as oracle;

struct Case<'a> {
    flags: u8,
    cuts: Vec<usize>,
    input: &'a [u8],
}

fn parse(data: &[u8]) -> Case<'_> {
    let flags = data.first().copied().unwrap_or(0);
    let splits = usize::from(flags & 7);
    let header = (1 + 2 * splits).min(data.len());
    let raw_cuts: Vec<u16> = data[1.min(data.len())..header]
        .chunks(2)
        .map(|c| u16::from_le_bytes([c[0], c.get(1).copied().unwrap_or(0)]))
        .collect();
    let input = &data[header..];
    let mut cuts: Vec<usize> = raw_cuts
        .iter()
        .map(|&c| usize::from(c) % (input.len() + 1))
        .collect();
    cuts.push(0);
    cuts.push(input.len());
    cuts.sort_unstable();
    Case { flags, cuts, input }
}

/// Checks one checked one-shot entry point (`try_encode` or `encode_with`) against
/// `expected`: exact and `2n` buffers succeed with the expected bytes; short ones fail
/// with the exact length needed.
fn check_checked(
    what: &str,
    expected: &[u8],
    input: &[u8],
    shortfall: usize,
    f: impl Fn(&mut [u8], &[u8]) -> Result<usize, Error>,
) {
    let exact = expected.len();
    for len in [exact, runlen::max_encoded_len(input.len())] {
        let (r, buf) = with_buf(len, |out| f(out, input));
        assert_eq!(r, Ok(exact), "{what}: out of {len} bytes");
        assert_eq!(&buf[..exact], expected, "{what}: out of {len} bytes");
    }
    let mut shorts = vec![0, exact.saturating_sub(1), exact.saturating_sub(2)];
    shorts.push(exact.saturating_sub(shortfall));
    for len in shorts {
        if len >= exact {
            continue;
        }
        let (r, _) = with_buf(len, |out| f(out, input));
        assert_eq!(
            r,
            Err(Error::OutputTooSmall { needed: exact }),
            "{what}: out of {len} bytes, {exact} needed"
        );
    }
}

/// The streaming encoder over `cuts`, each chunk into an exactly sized buffer; with
/// `probe`, each chunk is first offered an empty buffer, which must fail with the exact
/// length needed and leave the encoder unchanged.
fn streamed(mut enc: Encoder, input: &[u8], cuts: &[usize], probe: bool) -> Vec<u8> {
    let mut out = Vec::new();
    for w in cuts.windows(2) {
        let chunk = &input[w[0]..w[1]];
        let max = runlen::max_encoded_len(chunk.len());
        let size = if probe {
            match enc.encode_chunk(&mut [], chunk) {
                // The chunk only extended the open run: it is consumed, nothing to retry.
                Ok(0) => continue,
                Ok(n) => panic!("encode_chunk wrote {n} bytes into an empty buffer"),
                Err(Error::OutputTooSmall { needed }) => {
                    assert!(needed > 0 && needed <= max, "needed {needed}, max {max}");
                    needed
                }
                Err(e) => panic!("encode_chunk: unexpected {e:?}"),
            }
        } else {
            max
        };
        let (r, buf) = with_buf(size, |buf| enc.encode_chunk(buf, chunk));
        let n = r.expect("a max_encoded_len (or `needed`) buffer suffices");
        if probe {
            assert_eq!(n, size, "the retry with `needed` bytes writes exactly that");
        }
        out.extend_from_slice(&buf[..n]);
    }
    // A run is open exactly when there was input; finish needs 2 bytes then, else none.
    let needed = if input.is_empty() { 0 } else { 2 };
    if needed > 0 {
        let (r, _) = with_buf(1, |buf| enc.finish(buf));
        assert_eq!(r, Err(Error::OutputTooSmall { needed }));
    }
    let (r, buf) = with_buf(needed, |buf| enc.finish(buf));
    assert_eq!(r, Ok(needed));
    out.extend_from_slice(&buf);
    // `finish` resets the encoder.
    assert_eq!(enc.finish(&mut []), Ok(0));
    out
}

fuzz_target!(|data: &[u8]| {
    let Case { flags, cuts, input } = parse(data);
    let shortfall = 1 + usize::from(flags >> 4);
    let probe = flags & 8 != 0;

    let expected = oracle(input);
    assert_eq!(runlen::encoded_len(input), expected.len(), "encoded_len");

    // The scalar reference must equal the oracle before it can judge anything else.
    let (r, buf) = with_buf(expected.len(), |out| {
        runlen::encode_with(Backend::Scalar, out, input)
    });
    assert_eq!(r, Ok(expected.len()), "scalar reference");
    assert_eq!(buf, expected, "scalar reference vs oracle");

    for backend in Backend::ALL {
        if !backend.is_supported() {
            // Reported before anything else, even with no room at all.
            assert_eq!(
                runlen::encode_with(backend, &mut [], input),
                Err(Error::UnsupportedBackend(backend))
            );
            assert!(Encoder::with_backend(backend).is_err());
            continue;
        }
        let name = backend.name();
        check_checked(name, &expected, input, shortfall, |out, inp| {
            runlen::encode_with(backend, out, inp)
        });
        let enc = Encoder::with_backend(backend).expect("supported");
        assert_eq!(
            streamed(enc, input, &cuts, probe),
            expected,
            "Encoder::with_backend({name}) over cuts {cuts:?}"
        );
    }

    check_checked(
        "try_encode",
        &expected,
        input,
        shortfall,
        runlen::try_encode,
    );

    let (n, buf) = with_buf(expected.len(), |out| runlen::encode(out, input));
    assert_eq!(n, expected.len(), "encode");
    assert_eq!(buf, expected, "encode");

    let (n, buf) = with_buf(runlen::max_encoded_len(input.len()), |out| {
        // SAFETY: `out` holds exactly `max_encoded_len(input.len())` bytes, the contract.
        unsafe { runlen::encode_unchecked(out, input) }
    });
    assert_eq!(n, expected.len(), "encode_unchecked");
    assert_eq!(&buf[..n], &expected[..], "encode_unchecked");

    assert_eq!(
        streamed(Encoder::new(), input, &cuts, probe),
        expected,
        "Encoder::new over cuts {cuts:?}"
    );
});
