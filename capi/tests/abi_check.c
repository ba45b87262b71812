/*
 * Compile-time check that runlen.h declares SPEC.md sections 3 and 5 exactly: every
 * function is assigned to a pointer of the type the spec gives it, every status code is
 * checked against the spec's value, and the stream states have the spec's layout. Built with -Werror, an incompatible pointer type or a wrong
 * value fails the build; linking the program proves every symbol is exported.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "runlen.h"

/* C99 has no _Static_assert: an array of negative size fails instead. */
#define SPEC_CHECK(name, cond) typedef char name[(cond) ? 1 : -1]

SPEC_CHECK(ok_is_0, RUNLEN_OK == 0);
SPEC_CHECK(too_small_is_m1, RUNLEN_ERR_OUTPUT_TOO_SMALL == -1);
SPEC_CHECK(truncated_is_m2, RUNLEN_ERR_TRUNCATED_PAIR == -2);
SPEC_CHECK(zero_count_is_m3, RUNLEN_ERR_ZERO_COUNT == -3);
SPEC_CHECK(null_is_m4, RUNLEN_ERR_NULL_POINTER == -4);
SPEC_CHECK(overflow_is_m5, RUNLEN_ERR_OVERFLOW == -5);
SPEC_CHECK(truncated_packet_is_m6, RUNLEN_ERR_TRUNCATED_PACKET == -6);
SPEC_CHECK(version_numbers, RUNLEN_VERSION_MAJOR >= 0 && RUNLEN_VERSION_MINOR >= 0 &&
                                RUNLEN_VERSION_PATCH >= 0);
SPEC_CHECK(encoder_is_4_words, sizeof(runlen_encoder) == 4 * sizeof(uint64_t));
SPEC_CHECK(decoder_is_4_words, sizeof(runlen_decoder) == 4 * sizeof(uint64_t));
SPEC_CHECK(encoder_opaque_at_0, offsetof(runlen_encoder, opaque) == 0);
SPEC_CHECK(decoder_opaque_at_0, offsetof(runlen_decoder, opaque) == 0);

static size_t (*const p_max_encoded_len)(size_t) = runlen_max_encoded_len;
static size_t (*const p_encoded_len)(const uint8_t *, size_t) = runlen_encoded_len;
static int (*const p_encode)(uint8_t *, size_t, const uint8_t *, size_t, size_t *) =
    runlen_encode;
static size_t (*const p_encode_unchecked)(uint8_t *, const uint8_t *, size_t) =
    runlen_encode_unchecked;
static int (*const p_decoded_len)(const uint8_t *, size_t, size_t *) = runlen_decoded_len;
static int (*const p_decode)(uint8_t *, size_t, const uint8_t *, size_t, size_t *) =
    runlen_decode;
static const char *(*const p_backend)(void) = runlen_backend;
static const char *(*const p_strerror)(int) = runlen_strerror;
static const char *(*const p_version)(void) = runlen_version;
static size_t (*const p_pb_max_encoded_len)(size_t) = runlen_packbits_max_encoded_len;
static size_t (*const p_pb_encoded_len)(const uint8_t *, size_t) = runlen_packbits_encoded_len;
static int (*const p_pb_encode)(uint8_t *, size_t, const uint8_t *, size_t, size_t *) =
    runlen_packbits_encode;
static int (*const p_pb_decoded_len)(const uint8_t *, size_t, size_t *) =
    runlen_packbits_decoded_len;
static int (*const p_pb_decode)(uint8_t *, size_t, const uint8_t *, size_t, size_t *) =
    runlen_packbits_decode;
static void (*const p_encoder_init)(runlen_encoder *) = runlen_encoder_init;
static int (*const p_encoder_chunk)(runlen_encoder *, uint8_t *, size_t, const uint8_t *, size_t,
                                    size_t *) = runlen_encoder_chunk;
static int (*const p_encoder_finish)(runlen_encoder *, uint8_t *, size_t, size_t *) =
    runlen_encoder_finish;
static void (*const p_decoder_init)(runlen_decoder *) = runlen_decoder_init;
static int (*const p_decoder_chunk)(runlen_decoder *, uint8_t *, size_t, const uint8_t *, size_t,
                                    size_t *, size_t *) = runlen_decoder_chunk;
static int (*const p_decoder_finish)(runlen_decoder *, uint8_t *, size_t, size_t *) =
    runlen_decoder_finish;

int main(void) {
    uint8_t out[4];
    size_t n = 0, used = 0;
    runlen_encoder enc;
    runlen_decoder dec;
    /* Call through every pointer once, so the linker must resolve each symbol. */
    int ok = p_max_encoded_len(2) == 4 && p_encoded_len((const uint8_t *)"ab", 2) == 4 &&
             p_encode(out, 4, (const uint8_t *)"ab", 2, &n) == RUNLEN_OK && n == 4 &&
             p_encode_unchecked(out, (const uint8_t *)"ab", 2) == 4 &&
             p_decoded_len(out, 4, &n) == RUNLEN_OK && n == 2 &&
             p_decode(out, 4, (const uint8_t *)"x\002", 2, &n) == RUNLEN_OK && n == 2 &&
             memcmp(out, "xx", 2) == 0 && p_backend() != NULL && p_strerror(0) != NULL &&
             p_version() != NULL;
    p_encoder_init(&enc);
    ok = ok && p_encoder_chunk(&enc, out, 4, (const uint8_t *)"aab", 3, &n) == RUNLEN_OK &&
         n == 2 && p_encoder_finish(&enc, out + 2, 2, &n) == RUNLEN_OK && n == 2 &&
         memcmp(out, "a\002b\001", 4) == 0;
    p_decoder_init(&dec);
    ok = ok && p_decoder_chunk(&dec, out, 4, (const uint8_t *)"z\003", 2, &used, &n) == 0 &&
         used == 2 && n == 3 && p_decoder_finish(&dec, out, 4, &n) == RUNLEN_OK && n == 0 &&
         memcmp(out, "zzz", 3) == 0;
    ok = ok && p_pb_max_encoded_len(128) == 129 &&
         p_pb_encoded_len((const uint8_t *)"aaa", 3) == 2 &&
         p_pb_encode(out, 4, (const uint8_t *)"aaa", 3, &n) == RUNLEN_OK && n == 2 &&
         p_pb_decoded_len(out, 2, &n) == RUNLEN_OK && n == 3 &&
         p_pb_decode(out, 4, (const uint8_t *)"\376q", 2, &n) == RUNLEN_OK && n == 3 &&
         memcmp(out, "qqq", 3) == 0;
    printf("abi_check: %s (backend %s)\n", ok ? "ok" : "FAILED", p_backend());
    return ok ? 0 : 1;
}
