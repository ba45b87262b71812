//! The streaming decoder against one-shot decoding: any split of the encoded stream, any
//! sequence of `out` sizes (one byte included), on every supported backend; zero counts
//! reported with their offset from the stream start; `finish` and its errors.

use quickcheck::{Gen, QuickCheck, TestResult};
use runlen::{Backend, Decoder, Error, decode};
use runlen_support::{backends, decode_streamed};

/// [`decode_streamed`] with `out` sizes cycling through `sizes`.
fn stream(b: Backend, encoded: &[u8], cuts: &[usize], sizes: &[usize]) -> Result<Vec<u8>, Error> {
    let mut sizes = sizes.iter().copied().cycle();
    decode_streamed(b, encoded, cuts, move || sizes.next().unwrap())
}

/// Pairs with counts mostly small, sometimes long, values from a small alphabet.
#[derive(Clone, Debug)]
struct Pairs(Vec<u8>);

impl quickcheck::Arbitrary for Pairs {
    fn arbitrary(g: &mut Gen) -> Self {
        let n = usize::arbitrary(g) % (g.size() + 1);
        let mut v = Vec::with_capacity(2 * n);
        for _ in 0..n {
            v.push(*g.choose(&[0u8, 1, 0xFF, 0x41]).unwrap());
            let count = match u8::arbitrary(g) % 4 {
                0 => 255,
                1 => 1 + u8::arbitrary(g) % 40,
                _ => 1 + u8::arbitrary(g) % 3,
            };
            v.push(count);
        }
        Pairs(v)
    }
}

fn qc() -> QuickCheck {
    // Under Miri, few and small cases: each output byte can cost a call with 1-byte `out`s.
    let (tests, size) = if cfg!(miri) { (6, 12) } else { (300, 100) };
    QuickCheck::new()
        .tests(tests)
        .max_tests(10 * tests)
        .rng(Gen::new(size))
}

#[test]
fn any_split_and_any_out_sizes_equal_one_shot() {
    fn prop(p: Pairs, cuts: Vec<usize>, sizes: Vec<u8>) -> bool {
        let encoded = p.0;
        let mut want = vec![0u8; runlen::decoded_len(&encoded).unwrap()];
        decode(&mut want, &encoded).unwrap();
        let scale = encoded.len() + 1;
        let cuts: Vec<usize> = cuts.into_iter().map(|c| c % scale).collect();
        let mut sizes: Vec<usize> = sizes.into_iter().map(usize::from).collect();
        if sizes.is_empty() {
            sizes.push(1);
        }
        backends()
            .into_iter()
            .all(|b| stream(b, &encoded, &cuts, &sizes).as_deref() == Ok(&want[..]))
    }
    qc().quickcheck(prop as fn(Pairs, Vec<usize>, Vec<u8>) -> bool);
}

#[test]
fn one_byte_chunks_into_one_byte_outs() {
    let encoded = [b'a', 3, 0xFF, 1, 0, 255, b'z', 2];
    let mut want = vec![0u8; 261];
    assert_eq!(decode(&mut want, &encoded), Ok(261));
    let cuts: Vec<usize> = (0..encoded.len()).collect();
    for b in backends() {
        assert_eq!(stream(b, &encoded, &cuts, &[1]).unwrap(), want, "{b}");
        assert_eq!(
            stream(b, &encoded, &[], &[1, 2, 254, 255, 256]).unwrap(),
            want,
            "{b}"
        );
    }
}

#[test]
fn zero_count_offset_is_counted_from_the_stream_start() {
    fn prop(p: Pairs, at: usize, cuts: Vec<usize>, size: u8) -> TestResult {
        let mut encoded = p.0;
        if encoded.is_empty() {
            return TestResult::discard();
        }
        let pair = at % (encoded.len() / 2);
        encoded[2 * pair + 1] = 0;
        let scale = encoded.len() + 1;
        let cuts: Vec<usize> = cuts.into_iter().map(|c| c % scale).collect();
        let sizes = [usize::from(size).max(1) * 7];
        let ok = backends().into_iter().all(|b| {
            stream(b, &encoded, &cuts, &sizes) == Err(Error::ZeroCount { offset: 2 * pair })
        });
        TestResult::from_bool(ok)
    }
    qc().quickcheck(prop as fn(Pairs, usize, Vec<usize>, u8) -> TestResult);
}

#[test]
fn an_error_leaves_the_decoder_unchanged() {
    for b in backends() {
        let mut dec = Decoder::with_backend(b).unwrap();
        let mut out = [0u8; 8];
        assert_eq!(dec.decode_chunk(&mut out, b"x\x02y"), Ok((3, 2)));
        let before = dec;
        // The held 'y' meets a zero count: offset 2, where 'y' was.
        assert_eq!(
            dec.decode_chunk(&mut out, b"\x00"),
            Err(Error::ZeroCount { offset: 2 })
        );
        assert_eq!(dec, before);
        assert_eq!(
            dec.decode_chunk(&mut out, b"\x03q\x00"),
            Err(Error::ZeroCount { offset: 4 })
        );
        assert_eq!(dec, before);
        assert_eq!(dec.decode_chunk(&mut out, b"\x03"), Ok((1, 3)));
        assert_eq!(&out[..3], b"yyy");
        // A copy is an independent decoder.
        let mut copy = dec;
        assert_eq!(copy.decode_chunk(&mut out, b"z"), Ok((1, 0)));
        assert_eq!(copy.finish(&mut out), Err(Error::TruncatedPair));
        assert_eq!(dec.finish(&mut out), Ok(0));
    }
}

#[test]
fn finish_needs_room_for_what_is_held() {
    for b in backends() {
        let mut dec = Decoder::with_backend(b).unwrap();
        let mut out = [0u8; 255];
        assert_eq!(dec.decode_chunk(&mut out[..1], &[9, 255]), Ok((2, 1)));
        let held = dec;
        assert_eq!(
            dec.finish(&mut out[..253]),
            Err(Error::OutputTooSmall { needed: 254 })
        );
        assert_eq!(dec, held);
        assert_eq!(dec.finish(&mut out), Ok(254));
        assert!(out[..254].iter().all(|&x| x == 9));
        // Offsets restart after a successful finish.
        assert_eq!(
            dec.decode_chunk(&mut out, &[1, 0]),
            Err(Error::ZeroCount { offset: 0 })
        );
    }
}

#[test]
fn the_default_decoder_is_new() {
    assert_eq!(Decoder::default(), Decoder::new());
    let mut dec = Decoder::default();
    let mut out = [0u8; 4];
    assert_eq!(dec.decode_chunk(&mut out, b"ab\x00"), Ok((2, 4)));
    assert_eq!(&out, b"aaaa");
    assert_eq!(dec.decode_chunk(&mut [], b""), Ok((0, 0)));
}
