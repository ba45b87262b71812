/*
 * Behaviour of the C ABI, from C: encode (checked and unchecked) against an independent
 * byte-at-a-time encoder written from the spec and decode round trips, with output buffers
 * of every size class, on random and edge-case inputs; then the suite shared with the
 * firmware test (suite.h): version, strerror and backend, every status code with its
 * out-parameters, NULL handling, saturation, and the streaming encoder and decoder over
 * random splits with memcpy'd and NULL states; and the PackBits functions
 * (suite_packbits.h).
 *
 * Every buffer handed to the library is malloc'ed at exactly the length passed, so
 * AddressSanitizer and valgrind see any access past it. Prints "N passed, M failed".
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void report_failure(const char *expr, const char *file, int line);
#define SUITE_FAIL(expr) report_failure(expr, __FILE__, __LINE__)

static void *suite_buffers[1 << 14];
static size_t suite_buffer_count;

static uint8_t *suite_alloc(size_t n);
static void suite_release(void);

/* CHECK, the spec's encoder (suite_spec_encode), the random numbers (suite_rng) and the
 * streaming tests that the firmware runs too. */
#include "suite.h"
#include "suite_packbits.h"

static void report_failure(const char *expr, const char *file, int line) {
    if (suite_failed < 20) fprintf(stderr, "%s:%d: CHECK(%s) failed\n", file, line, expr);
}

static uint8_t *suite_alloc(size_t n) {
    uint8_t *p = (uint8_t *)malloc(n ? n : 1);
    if (p == NULL || suite_buffer_count == sizeof suite_buffers / sizeof suite_buffers[0]) {
        fprintf(stderr, "suite_alloc: out of buffers\n");
        abort();
    }
    suite_buffers[suite_buffer_count++] = p;
    return p;
}

static void suite_release(void) {
    while (suite_buffer_count > 0) free(suite_buffers[--suite_buffer_count]);
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
    size_t want_len = suite_spec_encode(want, in, n);
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
        size_t n = (size_t)(suite_rng() % cap), i = 0;
        unsigned alphabet = (unsigned[]){2, 3, 256}[suite_rng() % 3];
        unsigned max_run = (unsigned[]){1, 5, 600}[suite_rng() % 3];
        while (i < n) {
            /* Values around 0xFF and 0x00, where sentinel bugs hide. */
            uint8_t v = (uint8_t)(suite_rng() % alphabet + 0xFE);
            size_t run = 1 + (size_t)(suite_rng() % max_run);
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

int main(void) {
    printf("runlen backend: %s\n", runlen_backend());
    test_edges();
    test_random();
    {
        static uint8_t scratch[3000];
        suite_run(scratch, sizeof scratch, 400);
        suite_release();
        suite_packbits_run(scratch, 2048, 300, 200);
    }
    printf("test_capi: %lu passed, %lu failed\n", suite_passed, suite_failed);
    return suite_failed == 0 ? 0 : 1;
}
