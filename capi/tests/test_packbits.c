/*
 * The PackBits functions of the C ABI, from C: runlen_packbits_encode against an
 * independent encoder written here from SPEC section 8, round trips through
 * runlen_packbits_decode, buffers of every size class (malloc'ed at exactly the length
 * passed, so AddressSanitizer and valgrind see any access past them), decoding of
 * non-canonical and truncated input with its out-parameters, NULL and length checks.
 * Prints "N passed, M failed".
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runlen.h"

static int passed, failed;
#define CHECK(e)                                                                   \
    do {                                                                           \
        if (e) {                                                                   \
            passed++;                                                              \
        } else {                                                                   \
            if (failed++ < 20) fprintf(stderr, "%s:%d: CHECK(%s)\n", __FILE__, __LINE__, #e); \
        }                                                                          \
    } while (0)

static uint64_t rng_state = 0x9E3779B97F4A7C15u;
static uint64_t rng(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* The canonical encoding, byte by byte, straight from the spec. Returns the length. */
static size_t spec_encode(uint8_t *out, const uint8_t *in, size_t n) {
    size_t o = 0, i = 0, lit = 0, k;
    while (i <= n) {
        size_t r = 0;
        if (i < n) {
            while (i + r < n && in[i + r] == in[i]) r++;
        }
        if (i == n || r >= 3) {
            /* flush the literal data lit..i in packets of 128 */
            while (lit < i) {
                size_t len = i - lit < 128 ? i - lit : 128;
                out[o++] = (uint8_t)(len - 1);
                memcpy(out + o, in + lit, len);
                o += len;
                lit += len;
            }
            if (i == n) break;
            for (k = 0; k < r / 128; k++) {
                out[o++] = 0x81;
                out[o++] = in[i];
            }
            if (r % 128 >= 2) {
                out[o++] = (uint8_t)(257 - r % 128);
                out[o++] = in[i];
            }
            lit = r % 128 == 1 ? i + r - 1 : i + r;
        }
        i += r;
    }
    return o;
}

static uint8_t *alloc(size_t n) {
    uint8_t *p = (uint8_t *)malloc(n ? n : 1);
    if (!p) abort();
    return p;
}

static void check_input(const uint8_t *in, size_t n) {
    size_t max = runlen_packbits_max_encoded_len(n), want_len, w = 12345, sizes[4], s;
    uint8_t *want = alloc(max);
    want_len = spec_encode(want, in, n);
    CHECK(want_len <= max);
    CHECK(runlen_packbits_encoded_len(in, n) == want_len);
    sizes[0] = want_len;
    sizes[1] = max;
    sizes[2] = want_len ? want_len - 1 : 0;
    sizes[3] = want_len / 2;
    for (s = 0; s < 4; s++) {
        uint8_t *out = alloc(sizes[s]);
        int rc = runlen_packbits_encode(out, sizes[s], in, n, &w);
        if (sizes[s] >= want_len) {
            CHECK(rc == RUNLEN_OK && w == want_len && memcmp(out, want, want_len) == 0);
        } else {
            CHECK(rc == RUNLEN_ERR_OUTPUT_TOO_SMALL && w == want_len);
        }
        free(out);
    }
    {
        uint8_t *back = alloc(n);
        CHECK(runlen_packbits_decoded_len(want, want_len, &w) == RUNLEN_OK && w == n);
        CHECK(runlen_packbits_decode(back, n, want, want_len, &w) == RUNLEN_OK && w == n &&
              (n == 0 || memcmp(back, in, n) == 0));
        if (n > 0) {
            CHECK(runlen_packbits_decode(back, n - 1, want, want_len, &w) ==
                      RUNLEN_ERR_OUTPUT_TOO_SMALL &&
                  w == n);
        }
        free(back);
    }
    free(want);
}

int main(void) {
    size_t n, k;
    uint8_t buf[2048];
    int rc;
    size_t w;
    for (n = 0; n <= 300; n++) {
        uint8_t *in = alloc(n);
        for (k = 0; k < n; k++) in[k] = (uint8_t)(rng() % 2);
        check_input(in, n);
        for (k = 0; k < n; k++) in[k] = (uint8_t)rng();
        check_input(in, n);
        for (k = 0; k < n; k++) in[k] = (uint8_t)(k / 3);
        check_input(in, n);
        memset(in, 0xFF, n);
        check_input(in, n);
        free(in);
    }
    for (n = 0; n < 200; n++) {
        size_t len = (size_t)(rng() % 2048), i = 0;
        while (i < len) {
            size_t r = 1 + (size_t)(rng() % (rng() % 2 ? 4 : 300));
            uint8_t v = (uint8_t)rng();
            while (r-- && i < len) buf[i++] = v;
        }
        check_input(buf, len);
    }
    /* Non-canonical input: no-ops, a literal packet holding a run, a run of 2. */
    {
        static const uint8_t enc[] = {0x80, 0x02, 'a', 'a', 'a', 0xFF, 'b', 0x80};
        uint8_t *out = alloc(5);
        CHECK(runlen_packbits_decoded_len(enc, sizeof enc, &w) == RUNLEN_OK && w == 5);
        CHECK(runlen_packbits_decode(out, 5, enc, sizeof enc, &w) == RUNLEN_OK && w == 5 &&
              memcmp(out, "aaabb", 5) == 0);
        free(out);
    }
    /* Truncated packets: the header's offset, before OUTPUT_TOO_SMALL. */
    {
        static const uint8_t enc[] = {0xF0, 'x', 0x05, 'a', 'b'};
        uint8_t *out = alloc(1);
        CHECK(runlen_packbits_decoded_len(enc, sizeof enc, &w) == RUNLEN_ERR_TRUNCATED_PACKET &&
              w == 2);
        CHECK(runlen_packbits_decode(out, 1, enc, sizeof enc, &w) ==
                  RUNLEN_ERR_TRUNCATED_PACKET &&
              w == 2);
        CHECK(runlen_packbits_decode(out, 1, enc, 1, &w) == RUNLEN_ERR_TRUNCATED_PACKET && w == 0);
        CHECK(runlen_packbits_decode(out, 1, enc, 2, &w) == RUNLEN_ERR_OUTPUT_TOO_SMALL &&
              w == 17);
        free(out);
    }
    /* NULL handling and lengths. */
    CHECK(runlen_packbits_encode(NULL, 0, NULL, 0, &w) == RUNLEN_OK && w == 0);
    CHECK(runlen_packbits_decode(NULL, 0, NULL, 0, &w) == RUNLEN_OK && w == 0);
    CHECK(runlen_packbits_encode(buf, 4, (const uint8_t *)"a", 1, NULL) == RUNLEN_ERR_NULL_POINTER);
    w = 7;
    rc = runlen_packbits_encode(NULL, 4, (const uint8_t *)"a", 1, &w);
    CHECK(rc == RUNLEN_ERR_NULL_POINTER && w == 0);
    w = 7;
    CHECK(runlen_packbits_decode(buf, 4, NULL, 3, &w) == RUNLEN_ERR_NULL_POINTER && w == 0);
    CHECK(runlen_packbits_decoded_len(NULL, 0, &w) == RUNLEN_OK && w == 0);
    CHECK(runlen_packbits_decoded_len(buf, 1, NULL) == RUNLEN_ERR_NULL_POINTER);
    w = 7;
    CHECK(runlen_packbits_decode(buf, (size_t)-1, buf, 1, &w) == RUNLEN_ERR_OVERFLOW && w == 0);
    CHECK(runlen_packbits_encoded_len(NULL, 5) == 0);
    CHECK(runlen_packbits_max_encoded_len(0) == 0);
    CHECK(runlen_packbits_max_encoded_len(1) == 2);
    CHECK(runlen_packbits_max_encoded_len(129) == 131);
    CHECK(runlen_packbits_max_encoded_len((size_t)-1) == (size_t)-1);
    CHECK(strcmp(runlen_strerror(RUNLEN_ERR_TRUNCATED_PACKET),
                 "a packet is cut off by the end of the input") == 0);
    printf("test_packbits: %d passed, %d failed (backend %s)\n", passed, failed,
           runlen_backend());
    return failed ? 1 : 0;
}
