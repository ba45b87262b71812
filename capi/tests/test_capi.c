/*
 * Behaviour of the C ABI, from C: encode (checked and unchecked) against an independent
 * byte-at-a-time encoder written from the spec, decode round trips, every status code with
 * its out-parameter, NULL handling, saturation, strerror and backend.
 *
 * Every buffer handed to the library is malloc'ed at exactly the length passed, so
 * AddressSanitizer and valgrind see any access past it. Prints "N passed, M failed".
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runlen.h"

static unsigned long passed, failed;

#define CHECK(cond)                                                                         \
    do {                                                                                    \
        if (cond) {                                                                         \
            passed++;                                                                       \
        } else {                                                                            \
            failed++;                                                                       \
            if (failed < 20) fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__,          \
                                     __LINE__, #cond);                                     \
        }                                                                                   \
    } while (0)

/* The spec's format, one byte at a time; out holds 2 * n bytes. */
static size_t spec_encode(uint8_t *out, const uint8_t *in, size_t n) {
    size_t i = 0, j = 0;
    while (i < n) {
        size_t run = 1;
        while (i + run < n && in[i + run] == in[i] && run < 255) run++;
        out[j++] = in[i];
        out[j++] = (uint8_t)run;
        i += run;
    }
    return j;
}

static uint64_t rng_state = 0x853c49e6748fea9bULL;
static uint64_t rng(void) { /* xorshift64* */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1DULL;
}

/* An exactly sized copy, so a sanitizer sees reads past the end. */
static uint8_t *dup_exact(const uint8_t *p, size_t n) {
    uint8_t *q = (uint8_t *)malloc(n ? n : 1);
    if (!q) abort();
    if (n) memcpy(q, p, n);
    return q;
}

static uint8_t *alloc_exact(size_t n) {
    uint8_t *q = (uint8_t *)malloc(n ? n : 1);
    if (!q) abort();
    return q;
}

/* One input through every entry point, with buffers of several sizes. */
static void check_input(const uint8_t *data, size_t n) {
    uint8_t *in = dup_exact(data, n);
    uint8_t *want = alloc_exact(2 * n);
    size_t want_len = spec_encode(want, in, n);
    size_t sizes[4];
    size_t k, w;
    uint8_t *out, *back;
    int rc;

    CHECK(runlen_encoded_len(in, n) == want_len);
    CHECK(runlen_max_encoded_len(n) == 2 * n);

    /* Exact, 2n and one extra byte all succeed. */
    sizes[0] = want_len;
    sizes[1] = 2 * n;
    sizes[2] = want_len + 1;
    for (k = 0; k < 3; k++) {
        out = alloc_exact(sizes[k]);
        w = (size_t)-1;
        rc = runlen_encode(out, sizes[k], in, n, &w);
        CHECK(rc == RUNLEN_OK);
        CHECK(w == want_len);
        CHECK(rc != RUNLEN_OK || memcmp(out, want, want_len) == 0);
        free(out);
    }
    /* Too small: the exact length needed comes back. */
    if (want_len > 0) {
        sizes[0] = 0;
        sizes[1] = want_len / 2;
        sizes[2] = want_len - 1;
        sizes[3] = want_len - 2 < want_len ? want_len - 2 : 0;
        for (k = 0; k < 4; k++) {
            out = alloc_exact(sizes[k]);
            w = 0;
            rc = runlen_encode(out, sizes[k], in, n, &w);
            CHECK(rc == RUNLEN_ERR_OUTPUT_TOO_SMALL);
            CHECK(w == want_len);
            free(out);
        }
    }
    /* Unchecked, into exactly max_encoded_len bytes. */
    out = alloc_exact(runlen_max_encoded_len(n));
    w = runlen_encode_unchecked(out, in, n);
    CHECK(w == want_len);
    CHECK(w != want_len || memcmp(out, want, want_len) == 0);
    free(out);

    /* Decode round trip, exact output; then one byte short. */
    {
        uint8_t *enc = dup_exact(want, want_len);
        w = (size_t)-1;
        CHECK(runlen_decoded_len(enc, want_len, &w) == RUNLEN_OK);
        CHECK(w == n);
        back = alloc_exact(n);
        w = (size_t)-1;
        rc = runlen_decode(back, n, enc, want_len, &w);
        CHECK(rc == RUNLEN_OK);
        CHECK(w == n);
        CHECK(rc != RUNLEN_OK || n == 0 || memcmp(back, in, n) == 0);
        free(back);
        if (n > 0) {
            back = alloc_exact(n - 1);
            w = 0;
            CHECK(runlen_decode(back, n - 1, enc, want_len, &w) ==
                  RUNLEN_ERR_OUTPUT_TOO_SMALL);
            CHECK(w == n);
            free(back);
        }
        free(enc);
    }
    free(want);
    free(in);
}

static void test_random(void) {
    int iter;
    size_t cap = 5000;
    uint8_t *buf = alloc_exact(cap);
    for (iter = 0; iter < 300; iter++) {
        size_t n = (size_t)(rng() % cap), i = 0;
        unsigned alphabet = (unsigned[]){2, 3, 256}[rng() % 3];
        unsigned max_run = (unsigned[]){1, 5, 600}[rng() % 3];
        while (i < n) {
            /* Values around 0xFF and 0x00, where sentinel bugs hide. */
            uint8_t v = (uint8_t)(rng() % alphabet + 0xFE);
            size_t run = 1 + (size_t)(rng() % max_run);
            while (run-- > 0 && i < n) buf[i++] = v;
        }
        check_input(buf, n);
    }
    free(buf);
}

static void test_edges(void) {
    static uint8_t big[1200];
    size_t len;
    /* Runs of 254..257 and 510..511 of 0x00 and 0xFF, at small offsets. */
    for (len = 0; len < 64; len++) check_input(big, len);
    memset(big, 0xFF, sizeof big);
    for (len = 250; len < 260; len++) check_input(big, len);
    check_input(big, 510);
    check_input(big, 511);
    check_input(big, sizeof big);
    for (len = 0; len < sizeof big; len++) big[len] = (uint8_t)(len / 3);
    check_input(big, sizeof big);
    {
        /* The numba tutorial's sentinel cuts runs at 0xFF; this library must not. */
        const uint8_t in[] = {5, 0xFF, 5};
        const uint8_t want[] = {5, 1, 0xFF, 1, 5, 1};
        uint8_t out[6];
        size_t w = 0;
        CHECK(runlen_encode(out, 6, in, 3, &w) == RUNLEN_OK && w == 6);
        CHECK(memcmp(out, want, 6) == 0);
    }
}

static void test_decode_errors(void) {
    uint8_t out[16];
    size_t w;
    /* Odd length: TRUNCATED_PAIR, out-parameter 0, even with a zero count and no room. */
    {
        const uint8_t e[] = {1, 0, 2};
        w = 77;
        CHECK(runlen_decoded_len(e, 3, &w) == RUNLEN_ERR_TRUNCATED_PAIR && w == 0);
        w = 77;
        CHECK(runlen_decode(out, 0, e, 3, &w) == RUNLEN_ERR_TRUNCATED_PAIR && w == 0);
        w = 77;
        CHECK(runlen_decode(NULL, 0, e, 1, &w) == RUNLEN_ERR_TRUNCATED_PAIR && w == 0);
    }
    /* First zero count: its byte offset, before OUTPUT_TOO_SMALL (out is unspecified). */
    {
        const uint8_t e[] = {9, 200, 1, 3, 2, 0, 3, 0};
        w = 0;
        CHECK(runlen_decoded_len(e, 8, &w) == RUNLEN_ERR_ZERO_COUNT && w == 4);
        w = 0;
        CHECK(runlen_decode(out, 1, e, 8, &w) == RUNLEN_ERR_ZERO_COUNT && w == 4);
        w = 0;
        CHECK(runlen_decoded_len(e + 4, 2, &w) == RUNLEN_ERR_ZERO_COUNT && w == 0);
    }
    /* Non-canonical pairs decode. (Bytes past *written may be overwritten: not checked.) */
    {
        const uint8_t e[] = {7, 1, 7, 2, 0xFF, 1};
        memset(out, 0xA5, sizeof out);
        w = 0;
        CHECK(runlen_decode(out, sizeof out, e, 6, &w) == RUNLEN_OK && w == 4);
        CHECK(out[0] == 7 && out[1] == 7 && out[2] == 7 && out[3] == 0xFF);
    }
}

static void test_null_and_lengths(void) {
    uint8_t buf[8];
    const uint8_t two[] = {1, 1};
    size_t w;
    /* NULL with length 0 is an empty buffer. */
    w = 9;
    CHECK(runlen_encode(NULL, 0, NULL, 0, &w) == RUNLEN_OK && w == 0);
    w = 9;
    CHECK(runlen_decode(NULL, 0, NULL, 0, &w) == RUNLEN_OK && w == 0);
    w = 9;
    CHECK(runlen_decoded_len(NULL, 0, &w) == RUNLEN_OK && w == 0);
    CHECK(runlen_encoded_len(NULL, 0) == 0);
    CHECK(runlen_encoded_len(NULL, 100) == 0);
    CHECK(runlen_encode_unchecked(NULL, NULL, 0) == 0);
    /* A NULL, empty output asks for the size. */
    w = 0;
    CHECK(runlen_encode(NULL, 0, (const uint8_t *)"aab", 3, &w) ==
              RUNLEN_ERR_OUTPUT_TOO_SMALL && w == 4);
    w = 0;
    CHECK(runlen_decode(NULL, 0, (const uint8_t *)"a\003", 2, &w) ==
              RUNLEN_ERR_OUTPUT_TOO_SMALL && w == 3);
    /* NULL with a non-zero length; it comes before the format's errors. */
    w = 9;
    CHECK(runlen_encode(NULL, 4, two, 2, &w) == RUNLEN_ERR_NULL_POINTER && w == 0);
    w = 9;
    CHECK(runlen_encode(buf, 4, NULL, 2, &w) == RUNLEN_ERR_NULL_POINTER && w == 0);
    w = 9;
    CHECK(runlen_decode(NULL, 4, two, 2, &w) == RUNLEN_ERR_NULL_POINTER && w == 0);
    w = 9;
    CHECK(runlen_decode(buf, 4, NULL, 2, &w) == RUNLEN_ERR_NULL_POINTER && w == 0);
    w = 9;
    CHECK(runlen_decode(NULL, 4, two, 1, &w) == RUNLEN_ERR_NULL_POINTER && w == 0);
    w = 9;
    CHECK(runlen_decoded_len(NULL, 2, &w) == RUNLEN_ERR_NULL_POINTER && w == 0);
    /* NULL out-parameters. */
    CHECK(runlen_encode(buf, 8, two, 2, NULL) == RUNLEN_ERR_NULL_POINTER);
    CHECK(runlen_decode(buf, 8, two, 2, NULL) == RUNLEN_ERR_NULL_POINTER);
    CHECK(runlen_decoded_len(two, 2, NULL) == RUNLEN_ERR_NULL_POINTER);
    /* Lengths no object can have: OVERFLOW before the pointer is touched. */
    w = 9;
    CHECK(runlen_encode(buf, SIZE_MAX, two, 2, &w) == RUNLEN_ERR_OVERFLOW && w == 0);
    w = 9;
    CHECK(runlen_decode(buf, SIZE_MAX, two, 2, &w) == RUNLEN_ERR_OVERFLOW && w == 0);
    w = 9;
    CHECK(runlen_decoded_len(two, SIZE_MAX, &w) == RUNLEN_ERR_OVERFLOW && w == 0);
    CHECK(runlen_encoded_len(two, SIZE_MAX) == SIZE_MAX);
    /* Saturation. */
    CHECK(runlen_max_encoded_len(0) == 0);
    CHECK(runlen_max_encoded_len(1) == 2);
    CHECK(runlen_max_encoded_len(SIZE_MAX / 2) == SIZE_MAX - 1);
    CHECK(runlen_max_encoded_len(SIZE_MAX / 2 + 1) == SIZE_MAX);
    CHECK(runlen_max_encoded_len(SIZE_MAX) == SIZE_MAX);
}

static void test_strings(void) {
    const int codes[] = {RUNLEN_OK,
                         RUNLEN_ERR_OUTPUT_TOO_SMALL,
                         RUNLEN_ERR_TRUNCATED_PAIR,
                         RUNLEN_ERR_ZERO_COUNT,
                         RUNLEN_ERR_NULL_POINTER,
                         RUNLEN_ERR_OVERFLOW};
    const int unknown[] = {1, -6, 255, -1000, 2147483647, -2147483647 - 1};
    const char *unknown_text = runlen_strerror(1);
    const char *b = runlen_backend();
    size_t i, j;
    CHECK(unknown_text != NULL);
    for (i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        const char *s = runlen_strerror(codes[i]);
        CHECK(s != NULL && s[0] != '\0');
        CHECK(s != NULL && unknown_text != NULL && strcmp(s, unknown_text) != 0);
        for (j = 0; j < i; j++) CHECK(s != NULL && strcmp(s, runlen_strerror(codes[j])) != 0);
    }
    for (i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        const char *s = runlen_strerror(unknown[i]);
        CHECK(s != NULL && unknown_text != NULL && strcmp(s, unknown_text) == 0);
    }
    CHECK(b != NULL);
    CHECK(b != NULL && (strcmp(b, "scalar") == 0 || strcmp(b, "sse2") == 0 ||
                        strcmp(b, "avx2") == 0 || strcmp(b, "avx512") == 0 ||
                        strcmp(b, "neon") == 0));
    printf("runlen backend: %s\n", b ? b : "(null)");
}

int main(void) {
    test_strings();
    test_null_and_lengths();
    test_decode_errors();
    test_edges();
    test_random();
    printf("test_capi: %lu passed, %lu failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
