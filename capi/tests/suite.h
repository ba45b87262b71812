/*
 * The part of the C tests that runs both hosted (test_capi.c: static, dynamic, ASan+UBSan,
 * valgrind) and on bare metal (capi/firmware/main.c, a Cortex-M4 under QEMU): version,
 * encode and decode against an independent encoder written from the spec, every status
 * code with its out-parameters, and the streaming encoder and decoder over random splits
 * (random out sizes for the decoder), including memcpy'd states and NULL states. It needs only <stdint.h>, <stddef.h> and <string.h>.
 *
 * The includer defines, before including it:
 *   SUITE_FAIL(expr)             called with the text of each check that fails;
 *   uint8_t *suite_alloc(size_t) a buffer of exactly that many bytes (so a sanitizer sees
 *                                any access past it), valid until suite_release();
 *   void suite_release(void)     frees every suite_alloc buffer.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "runlen.h"

static unsigned long suite_passed, suite_failed;

#define CHECK(cond)                                                                         \
    do {                                                                                    \
        if (cond) {                                                                         \
            suite_passed++;                                                                 \
        } else {                                                                            \
            suite_failed++;                                                                 \
            SUITE_FAIL(#cond);                                                              \
        }                                                                                   \
    } while (0)

static uint64_t suite_rng_state = 0x2545F4914F6CDD1DULL;
static uint32_t suite_rng(void) { /* xorshift64*, high half */
    suite_rng_state ^= suite_rng_state >> 12;
    suite_rng_state ^= suite_rng_state << 25;
    suite_rng_state ^= suite_rng_state >> 27;
    return (uint32_t)((suite_rng_state * 0x2545F4914F6CDD1DULL) >> 32);
}
static size_t suite_below(size_t n) { return n ? (size_t)suite_rng() % n : 0; }

/* The spec's format, one byte at a time; out holds 2 * n bytes. */
static size_t suite_spec_encode(uint8_t *out, const uint8_t *in, size_t n) {
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

/* Runs of assorted lengths around 0x00 and 0xFF, where sentinel bugs hide. */
static void suite_fill(uint8_t *buf, size_t n) {
    unsigned alphabet = (unsigned[]){2, 3, 256}[suite_below(3)];
    size_t max_run = (size_t[]){1, 5, 600}[suite_below(3)];
    size_t i = 0;
    while (i < n) {
        uint8_t v = (uint8_t)(suite_below(alphabet) + 0xFE);
        size_t run = 1 + suite_below(max_run);
        while (run-- > 0 && i < n) buf[i++] = v;
    }
}

static void suite_version(void) {
    char want[40];
    const unsigned parts[3] = {RUNLEN_VERSION_MAJOR, RUNLEN_VERSION_MINOR,
                               RUNLEN_VERSION_PATCH};
    size_t at = 0, k;
    const char *got = runlen_version();
    for (k = 0; k < 3; k++) {
        char digits[12];
        size_t d = 0;
        unsigned v = parts[k];
        do digits[d++] = (char)('0' + v % 10); while ((v /= 10) != 0);
        while (d > 0) want[at++] = digits[--d];
        want[at++] = k < 2 ? '.' : '\0';
    }
    CHECK(got != NULL && strcmp(got, want) == 0);
}

static void suite_status_texts(void) {
    const int codes[] = {RUNLEN_OK,
                         RUNLEN_ERR_OUTPUT_TOO_SMALL,
                         RUNLEN_ERR_TRUNCATED_PAIR,
                         RUNLEN_ERR_ZERO_COUNT,
                         RUNLEN_ERR_NULL_POINTER,
                         RUNLEN_ERR_OVERFLOW,
                         RUNLEN_ERR_TRUNCATED_PACKET};
    const int unknown[] = {1, -7, 255, -1000, 2147483647, -2147483647 - 1};
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
}

/* The one-shot functions' status codes: precedence, out-parameters, NULL handling,
 * lengths no object has, saturation. */
static void suite_decode_errors(void) {
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

static void suite_null_and_lengths(void) {
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

/* One input through the one-shot functions, then the encoder and decoder over random
 * splits; every buffer handed to the library is exactly as long as the length passed. */
static void suite_input(const uint8_t *data, size_t n) {
    uint8_t *in = suite_alloc(n), *want = suite_alloc(2 * n), *got, *out;
    size_t want_len, w, at, got_len;
    runlen_encoder enc;
    int rc;

    memcpy(in, data, n);
    want_len = suite_spec_encode(want, in, n);
    CHECK(runlen_encoded_len(in, n) == want_len);

    out = suite_alloc(want_len);
    w = (size_t)-1;
    CHECK(runlen_encode(out, want_len, in, n, &w) == RUNLEN_OK && w == want_len);
    CHECK(memcmp(out, want, want_len) == 0);
    if (want_len > 0) {
        w = 0;
        CHECK(runlen_encode(out, want_len - 1, in, n, &w) == RUNLEN_ERR_OUTPUT_TOO_SMALL &&
              w == want_len);
    }
    out = suite_alloc(2 * n);
    CHECK(runlen_encode_unchecked(out, in, n) == want_len && memcmp(out, want, want_len) == 0);

    got = suite_alloc(n);
    w = (size_t)-1;
    CHECK(runlen_decoded_len(want, want_len, &w) == RUNLEN_OK && w == n);
    w = (size_t)-1;
    CHECK(runlen_decode(got, n, want, want_len, &w) == RUNLEN_OK && w == n);
    CHECK(memcmp(got, in, n) == 0);

    /* The encoder over random splits, each chunk into exactly max_encoded_len bytes, some
     * first into too little room (OUTPUT_TOO_SMALL must change nothing). */
    got = suite_alloc(want_len);
    got_len = 0;
    runlen_encoder_init(&enc);
    at = 0;
    do {
        size_t len = suite_below(n - at + 1), cap = runlen_max_encoded_len(len);
        const uint8_t *chunk = len ? in + at : NULL;
        if (cap > 0 && suite_below(4) == 0) {
            size_t small = suite_below(cap);
            out = suite_alloc(small);
            w = (size_t)-1;
            rc = runlen_encoder_chunk(&enc, out, small, chunk, len, &w);
            if (rc == RUNLEN_ERR_OUTPUT_TOO_SMALL) {
                size_t needed = w;
                CHECK(needed > small && needed <= cap);
                out = suite_alloc(needed);
                rc = runlen_encoder_chunk(&enc, out, needed, chunk, len, &w);
                CHECK(w == needed);
            }
        } else {
            out = suite_alloc(cap);
            w = (size_t)-1;
            rc = runlen_encoder_chunk(&enc, out, cap, chunk, len, &w);
        }
        CHECK(rc == RUNLEN_OK && w <= cap && w <= want_len - got_len);
        if (rc == RUNLEN_OK && w <= want_len - got_len) {
            memcpy(got + got_len, out, w);
            got_len += w;
        }
        at += len;
    } while (at < n);
    out = suite_alloc(1);
    w = 0;
    CHECK(runlen_encoder_finish(&enc, out, 1, &w) == (n ? RUNLEN_ERR_OUTPUT_TOO_SMALL : 0));
    CHECK(w == (n ? 2u : 0u));
    out = suite_alloc(2);
    w = (size_t)-1;
    CHECK(runlen_encoder_finish(&enc, out, 2, &w) == RUNLEN_OK && w == (n ? 2u : 0u));
    if (w <= want_len - got_len) {
        memcpy(got + got_len, out, w);
        got_len += w;
    }
    CHECK(got_len == want_len && memcmp(got, want, want_len) == 0);

    /* The decoder over random splits of the encoding, each chunk in a buffer of its own,
     * with out buffers of random sizes (1 byte up to a few runs). */
    {
        runlen_decoder dec;
        size_t back_len = 0;
        int broken = 0; /* a failed check: stop rather than loop without progress */
        uint8_t *back = suite_alloc(n);
        runlen_decoder_init(&dec);
        at = 0;
        do {
            size_t len = suite_below(want_len - at + 1), used, cap;
            uint8_t *chunk = suite_alloc(len);
            const uint8_t *rest = len ? chunk : NULL;
            memcpy(chunk, want + at, len);
            for (;;) {
                cap = (size_t[]){1, 2, 7, 300}[suite_below(4)];
                out = suite_alloc(cap);
                used = w = (size_t)-1;
                rc = runlen_decoder_chunk(&dec, out, cap, rest, len, &used, &w);
                CHECK(rc == RUNLEN_OK && used <= len && w <= cap);
                CHECK(used == len || w == cap);
                CHECK(w <= n - back_len);
                broken = rc != RUNLEN_OK || used > len || w > cap || (used != len && w != cap) ||
                         w > n - back_len;
                if (broken) break;
                memcpy(back + back_len, out, w);
                back_len += w;
                rest = used < len ? rest + used : NULL;
                len -= used;
                at += used;
                if (len == 0 && w < cap) break;
            }
        } while (at < want_len && !broken);
        out = suite_alloc(255);
        w = (size_t)-1;
        CHECK(runlen_decoder_finish(&dec, out, 255, &w) == RUNLEN_OK && w == 0);
        CHECK(back_len == n && memcmp(back, in, n) == 0);
    }
    suite_release();
}

/* A memcpy'd encoder is independent of its original; init(NULL) and NULL states. */
static void suite_encoder_states(void) {
    runlen_encoder a, b;
    uint8_t out[8];
    size_t w;
    runlen_encoder_init(NULL);
    runlen_encoder_init(&a);
    CHECK(runlen_encoder_chunk(&a, out, 8, (const uint8_t *)"xxyy", 4, &w) == 0 && w == 2);
    memcpy(&b, &a, sizeof a);
    CHECK(runlen_encoder_chunk(&a, out, 8, (const uint8_t *)"yz", 2, &w) == 0 && w == 2);
    CHECK(memcmp(out, "y\003", 2) == 0);
    CHECK(runlen_encoder_chunk(&b, out, 8, (const uint8_t *)"q", 1, &w) == 0 && w == 2);
    CHECK(memcmp(out, "y\002", 2) == 0);
    CHECK(runlen_encoder_finish(&a, out, 8, &w) == 0 && w == 2 && memcmp(out, "z\001", 2) == 0);
    CHECK(runlen_encoder_finish(&b, out, 8, &w) == 0 && w == 2 && memcmp(out, "q\001", 2) == 0);
    w = 9;
    CHECK(runlen_encoder_chunk(NULL, out, 8, out, 1, &w) == RUNLEN_ERR_NULL_POINTER && w == 0);
    w = 9;
    CHECK(runlen_encoder_finish(NULL, out, 8, &w) == RUNLEN_ERR_NULL_POINTER && w == 0);
    w = 9;
    CHECK(runlen_encoder_chunk(&a, NULL, 8, out, 1, &w) == RUNLEN_ERR_NULL_POINTER && w == 0);
    CHECK(runlen_encoder_chunk(&a, out, 8, out, 1, NULL) == RUNLEN_ERR_NULL_POINTER);
    CHECK(runlen_encoder_finish(&a, out, 8, NULL) == RUNLEN_ERR_NULL_POINTER);
    w = 9;
    CHECK(runlen_encoder_chunk(&a, out, SIZE_MAX, out, 1, &w) == RUNLEN_ERR_OVERFLOW && w == 0);
    /* None of the rejected calls opened a run. */
    w = 9;
    CHECK(runlen_encoder_finish(&a, NULL, 0, &w) == RUNLEN_OK && w == 0);
}

/* A memcpy'd decoder is independent of its original; every status code of the decoder
 * with its out-parameters; NULL states. */
static void suite_decoder_states(void) {
    runlen_decoder a, b;
    uint8_t out[8];
    size_t used, w;
    const uint8_t zero[] = {7, 3, 8, 1, 9, 0};

    runlen_decoder_init(NULL);
    runlen_decoder_init(&a);
    /* Five 1s into 3 bytes: three written, two held. */
    CHECK(runlen_decoder_chunk(&a, out, 3, (const uint8_t *)"\001\005", 2, &used, &w) == 0);
    CHECK(used == 2 && w == 3 && memcmp(out, "\001\001\001", 3) == 0);
    memcpy(&b, &a, sizeof a);
    CHECK(runlen_decoder_chunk(&a, out, 8, (const uint8_t *)"\002\001", 2, &used, &w) == 0);
    CHECK(used == 2 && w == 3 && memcmp(out, "\001\001\002", 3) == 0);
    CHECK(runlen_decoder_chunk(&b, out, 8, (const uint8_t *)"\003\002", 2, &used, &w) == 0);
    CHECK(used == 2 && w == 4 && memcmp(out, "\001\001\003\003", 4) == 0);
    CHECK(runlen_decoder_finish(&a, NULL, 0, &w) == RUNLEN_OK && w == 0);
    CHECK(runlen_decoder_finish(&b, NULL, 0, &w) == RUNLEN_OK && w == 0);

    /* ZERO_COUNT: the offset from the start of the stream, across chunks; consumed 0; the
     * decoder unchanged, so it finishes cleanly after the valid part. */
    CHECK(runlen_decoder_chunk(&a, out, 8, zero, 4, &used, &w) == 0 && used == 4 && w == 4);
    used = w = 77;
    CHECK(runlen_decoder_chunk(&a, out, 8, zero + 4, 2, &used, &w) == RUNLEN_ERR_ZERO_COUNT);
    CHECK(used == 0 && w == 4);
    CHECK(runlen_decoder_finish(&a, out, 8, &w) == RUNLEN_OK && w == 0);
    /* TRUNCATED_PAIR at finish: out-parameter 0, the half pair still held. */
    CHECK(runlen_decoder_chunk(&a, out, 8, (const uint8_t *)"\005\002\006", 3, &used, &w) == 0);
    CHECK(used == 3 && w == 2);
    w = 77;
    CHECK(runlen_decoder_finish(&a, out, 8, &w) == RUNLEN_ERR_TRUNCATED_PAIR && w == 0);
    CHECK(runlen_decoder_chunk(&a, out, 8, (const uint8_t *)"\003", 1, &used, &w) == 0);
    CHECK(used == 1 && w == 3 && memcmp(out, "\006\006\006", 3) == 0);
    /* OUTPUT_TOO_SMALL at finish: the length needed, the decoder unchanged. */
    CHECK(runlen_decoder_chunk(&a, out, 8, (const uint8_t *)"\004\310", 2, &used, &w) == 0);
    CHECK(used == 2 && w == 8);
    w = 0;
    CHECK(runlen_decoder_finish(&a, out, 8, &w) == RUNLEN_ERR_OUTPUT_TOO_SMALL && w == 192);
    {
        uint8_t *rest = suite_alloc(192);
        size_t i;
        int all = 1;
        CHECK(runlen_decoder_finish(&a, rest, 192, &w) == RUNLEN_OK && w == 192);
        for (i = 0; i < 192; i++) all &= rest[i] == 4;
        CHECK(all);
        suite_release();
    }

    /* NULL states, buffers and out-parameters; lengths no object has. */
    used = w = 9;
    CHECK(runlen_decoder_chunk(NULL, out, 8, zero, 2, &used, &w) == RUNLEN_ERR_NULL_POINTER);
    CHECK(used == 0 && w == 0);
    used = w = 9;
    CHECK(runlen_decoder_chunk(&a, NULL, 8, zero, 2, &used, &w) == RUNLEN_ERR_NULL_POINTER);
    CHECK(used == 0 && w == 0);
    used = w = 9;
    CHECK(runlen_decoder_chunk(&a, out, 8, NULL, 2, &used, &w) == RUNLEN_ERR_NULL_POINTER);
    CHECK(used == 0 && w == 0);
    w = 9;
    CHECK(runlen_decoder_chunk(&a, out, 8, zero, 2, NULL, &w) == RUNLEN_ERR_NULL_POINTER);
    CHECK(w == 0);
    used = 9;
    CHECK(runlen_decoder_chunk(&a, out, 8, zero, 2, &used, NULL) == RUNLEN_ERR_NULL_POINTER);
    CHECK(used == 0);
    used = w = 9;
    CHECK(runlen_decoder_chunk(&a, out, SIZE_MAX, zero, 2, &used, &w) == RUNLEN_ERR_OVERFLOW);
    CHECK(used == 0 && w == 0);
    w = 9;
    CHECK(runlen_decoder_finish(NULL, out, 8, &w) == RUNLEN_ERR_NULL_POINTER && w == 0);
    w = 9;
    CHECK(runlen_decoder_finish(&a, NULL, 8, &w) == RUNLEN_ERR_NULL_POINTER && w == 0);
    w = 9;
    CHECK(runlen_decoder_finish(&a, out, SIZE_MAX, &w) == RUNLEN_ERR_OVERFLOW && w == 0);
    CHECK(runlen_decoder_finish(&a, out, 8, NULL) == RUNLEN_ERR_NULL_POINTER);
    /* None of the rejected calls changed the decoder: it holds nothing. */
    CHECK(runlen_decoder_finish(&a, NULL, 0, &w) == RUNLEN_OK && w == 0);
}

/* Runs the suite over `inputs` random inputs of up to max_len bytes (plus fixed edges);
 * scratch holds max_len bytes. Returns the number of failed checks. */
static unsigned long suite_run(uint8_t *scratch, size_t max_len, int inputs) {
    size_t len;
    int i;
    suite_version();
    suite_status_texts();
    suite_decode_errors();
    suite_null_and_lengths();
    suite_encoder_states();
    suite_decoder_states();
    memset(scratch, 0xFF, max_len);
    for (len = 0; len < 8 && len <= max_len; len++) suite_input(scratch, len);
    for (len = 250; len < 260 && len <= max_len; len++) suite_input(scratch, len);
    if (max_len >= 511) suite_input(scratch, 511);
    for (i = 0; i < inputs; i++) {
        size_t n = suite_below(max_len + 1);
        suite_fill(scratch, n);
        suite_input(scratch, n);
    }
    return suite_failed;
}
