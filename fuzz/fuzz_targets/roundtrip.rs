//! `decode(encode(x)) == x` on every supported backend and through the best-backend entry
//! points, each buffer an exactly sized allocation.
#![no_main]

use libfuzzer_sys::fuzz_target;
use runlen::Backend;

fn check(what: &str, input: &[u8], encoded: &[u8]) {
    assert_eq!(runlen::decoded_len(encoded), Ok(input.len()), "{what}");
    let mut back = vec![0u8; input.len()];
    assert_eq!(
        runlen::decode(&mut back, encoded),
        Ok(input.len()),
        "{what}"
    );
    assert_eq!(back, input, "{what}: decode(encode(x)) != x");
}

fuzz_target!(|input: &[u8]| {
    let exact = runlen::encoded_len(input);
    for backend in Backend::ALL.into_iter().filter(|b| b.is_supported()) {
        let mut packed = vec![0u8; exact];
        assert_eq!(runlen::encode_with(backend, &mut packed, input), Ok(exact));
        check(backend.name(), input, &packed);
    }

    let mut packed = vec![0u8; exact];
    assert_eq!(runlen::try_encode(&mut packed, input), Ok(exact));
    check("try_encode", input, &packed);

    let mut packed = vec![0u8; runlen::max_encoded_len(input.len())];
    // SAFETY: `packed` holds exactly `max_encoded_len(input.len())` bytes, the contract.
    let n = unsafe { runlen::encode_unchecked(&mut packed, input) };
    check("encode_unchecked", input, &packed[..n]);
});
