/* The README's streaming example; .ci/capi.sh builds and runs it. Input arrives in pieces
 * and is encoded, then decoded again, through fixed buffers: no allocation anywhere. */
#include <stdio.h>
#include <string.h>

#include <runlen.h>

static const uint8_t message[] = "aaaaaaaaaabbbbbbbbbbbbcdddddddddddddddddddddddddd";

int main(void) {
    uint8_t enc[2 * 8], encoded[2 * sizeof message], out[5], decoded[sizeof message];
    size_t n, used, enc_len = 0, dec_len = 0, at;
    runlen_encoder encoder; /* caller-allocated: on the stack, in a struct, static */
    runlen_decoder decoder;

    /* Encode, 8 input bytes at a time; 2 * 8 bytes of out always suffice for 8 bytes in. */
    runlen_encoder_init(&encoder);
    for (at = 0; at < sizeof message - 1; at += 8) {
        size_t len = sizeof message - 1 - at < 8 ? sizeof message - 1 - at : 8;
        if (runlen_encoder_chunk(&encoder, enc, sizeof enc, message + at, len, &n)) return 1;
        memcpy(encoded + enc_len, enc, n);
        enc_len += n;
    }
    if (runlen_encoder_finish(&encoder, enc, sizeof enc, &n)) return 1;
    memcpy(encoded + enc_len, enc, n);
    enc_len += n;

    /* Decode, 3 encoded bytes at a time (pairs get cut), into 5 bytes of out at a time. */
    runlen_decoder_init(&decoder);
    for (at = 0; at < enc_len;) {
        size_t len = enc_len - at < 3 ? enc_len - at : 3;
        int rc = runlen_decoder_chunk(&decoder, out, sizeof out, encoded + at, len, &used, &n);
        if (rc != RUNLEN_OK) {
            fprintf(stderr, "decode: %s at offset %zu\n", runlen_strerror(rc), n);
            return 1;
        }
        memcpy(decoded + dec_len, out, n);
        dec_len += n;
        at += used; /* when out fills up first, the rest of the chunk comes again */
    }
    do { /* drain what the decoder still holds */
        if (runlen_decoder_chunk(&decoder, out, sizeof out, NULL, 0, &used, &n)) return 1;
        memcpy(decoded + dec_len, out, n);
        dec_len += n;
    } while (n == sizeof out);
    if (runlen_decoder_finish(&decoder, out, sizeof out, &n)) return 1;

    printf("%zu bytes -> %zu encoded -> %zu decoded: %s\n", sizeof message - 1, enc_len,
           dec_len, dec_len == sizeof message - 1 && !memcmp(decoded, message, dec_len)
                        ? "round trip ok" : "MISMATCH");
    return dec_len == sizeof message - 1 && !memcmp(decoded, message, dec_len) ? 0 : 1;
}
