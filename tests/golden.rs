//! Hand-worked vectors from the tutorial's semantics, checked on every supported backend,
//! and the one place this crate differs from the tutorial on purpose.

use runlen_support::{backends, encode_vec, tutorial};

/// `(input, expected encoding)`, worked out by hand.
fn goldens() -> Vec<(Vec<u8>, Vec<u8>)> {
    let run = |v: u8, n: usize| vec![v; n];
    vec![
        (vec![], vec![]),
        (vec![42], vec![42, 1]),
        (run(3, 1), vec![3, 1]),
        (run(3, 254), vec![3, 254]),
        (run(3, 255), vec![3, 255]),
        (run(3, 256), vec![3, 255, 3, 1]),
        (run(3, 510), vec![3, 255, 3, 255]),
        (run(3, 511), vec![3, 255, 3, 255, 3, 1]),
        (run(3, 765), vec![3, 255, 3, 255, 3, 255]),
        (vec![1, 2, 1, 2, 1], vec![1, 1, 2, 1, 1, 1, 2, 1, 1, 1]),
        (b"aaabccdddd".to_vec(), b"a\x03b\x01c\x02d\x04".to_vec()),
        (
            [run(0, 1000), run(1, 3)].concat(),
            vec![0, 255, 0, 255, 0, 255, 0, 235, 1, 3],
        ),
        (vec![0xFF], vec![0xFF, 1]),
        (vec![5, 0xFF, 5], vec![5, 1, 0xFF, 1, 5, 1]),
        (run(0xFF, 300), vec![0xFF, 255, 0xFF, 45]),
    ]
}

#[test]
fn goldens_on_every_backend() {
    for backend in backends() {
        for (input, expected) in goldens() {
            assert_eq!(
                encode_vec(backend, &input),
                expected,
                "{backend} on input of {} bytes",
                input.len()
            );
            assert_eq!(runlen::encoded_len(&input), expected.len());
        }
    }
}

#[test]
fn goldens_decode() {
    for (input, expected) in goldens() {
        let mut out = vec![0u8; input.len()];
        assert_eq!(runlen::decode(&mut out, &expected), Ok(input.len()));
        assert_eq!(out, input);
    }
}

#[test]
fn goldens_match_the_tutorial_where_it_has_no_0xff() {
    for (input, expected) in goldens() {
        if !input.contains(&0xFF) {
            assert_eq!(tutorial::encode(&input), expected);
        }
    }
}

/// The tutorial uses 255 as its "empty" sentinel: it drops 0xFF bytes and cuts the runs
/// around them, even producing non-canonical output. runlen encodes 0xFF like any value.
#[test]
fn documented_divergence_on_0xff() {
    assert_eq!(tutorial::encode(&[5, 0xFF, 5]), vec![5, 1, 5, 1]);
    assert_eq!(tutorial::encode(&[0xFF, 0xFF]), Vec::<u8>::new());
    for backend in backends() {
        assert_eq!(
            encode_vec(backend, &[5, 0xFF, 5]),
            vec![5, 1, 0xFF, 1, 5, 1]
        );
        assert_eq!(encode_vec(backend, &[0xFF, 0xFF]), vec![0xFF, 2]);
    }
}
