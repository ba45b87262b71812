/*
 * The PackBits part of the C suite (include it after suite.h, which it shares CHECK, the
 * RNG and the buffers with); it runs hosted (test_capi.c) and on bare metal
 * (capi/firmware/main.c): runlen_packbits_encode against an independent encoder written
 * here from SPEC section 8, round trips through runlen_packbits_decode, buffers of every
 * size class (each allocated at exactly the length passed), decoding of non-canonical and
 * truncated input with its out-parameters, NULL and length checks.
 */

/* The canonical encoding, byte by byte, straight from the spec. Returns the length. */
static size_t suite_pb_spec_encode(uint8_t *out, const uint8_t *in, size_t n) {
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

static void suite_pb_input(const uint8_t *src, size_t n) {
    size_t max = runlen_packbits_max_encoded_len(n), want_len, w = 12345, sizes[4], s;
    uint8_t *want = suite_alloc(max);
    /* An exactly sized copy of the input, so a sanitizer sees reads past its end. */
    uint8_t *in = suite_alloc(n);
    if (n) memcpy(in, src, n);
    want_len = suite_pb_spec_encode(want, in, n);
    CHECK(want_len <= max);
    CHECK(runlen_packbits_encoded_len(in, n) == want_len);
    sizes[0] = want_len;
    sizes[1] = max;
    sizes[2] = want_len ? want_len - 1 : 0;
    sizes[3] = want_len / 2;
    for (s = 0; s < 4; s++) {
        uint8_t *out = suite_alloc(sizes[s]);
        int rc = runlen_packbits_encode(out, sizes[s], in, n, &w);
        if (sizes[s] >= want_len) {
            CHECK(rc == RUNLEN_OK && w == want_len && memcmp(out, want, want_len) == 0);
        } else {
            CHECK(rc == RUNLEN_ERR_OUTPUT_TOO_SMALL && w == want_len);
        }
    }
    {
        uint8_t *back = suite_alloc(n);
        CHECK(runlen_packbits_decoded_len(want, want_len, &w) == RUNLEN_OK && w == n);
        CHECK(runlen_packbits_decode(back, n, want, want_len, &w) == RUNLEN_OK && w == n &&
              (n == 0 || memcmp(back, in, n) == 0));
        if (n > 0) {
            CHECK(runlen_packbits_decode(back, n - 1, want, want_len, &w) ==
                      RUNLEN_ERR_OUTPUT_TOO_SMALL &&
                  w == n);
        }
    }
    suite_release();
}

/* Runs the PackBits checks: every length to max_small with four patterns, `inputs` random
 * inputs of up to max_len bytes in scratch (max_len bytes), then non-canonical, truncated
 * and NULL cases. */
static void suite_packbits_run(uint8_t *scratch, size_t max_len, size_t max_small, int inputs) {
    size_t n, k, w;
    int i, rc;
    uint8_t *buf = scratch;
    for (n = 0; n <= max_small && n <= max_len; n++) {
        for (k = 0; k < n; k++) buf[k] = (uint8_t)(suite_rng() % 2);
        suite_pb_input(buf, n);
        for (k = 0; k < n; k++) buf[k] = (uint8_t)suite_rng();
        suite_pb_input(buf, n);
        for (k = 0; k < n; k++) buf[k] = (uint8_t)(k / 3);
        suite_pb_input(buf, n);
        memset(buf, 0xFF, n);
        suite_pb_input(buf, n);
    }
    for (i = 0; i < inputs; i++) {
        size_t len = suite_below(max_len + 1), j = 0;
        while (j < len) {
            size_t r = 1 + suite_below(suite_rng() % 2 ? 4 : 300);
            uint8_t v = (uint8_t)suite_rng();
            while (r-- && j < len) buf[j++] = v;
        }
        suite_pb_input(buf, len);
    }
    /* Non-canonical input: no-ops, a literal packet holding a run, a run of 2. */
    {
        static const uint8_t enc[] = {0x80, 0x02, 'a', 'a', 'a', 0xFF, 'b', 0x80};
        uint8_t *out = suite_alloc(5);
        CHECK(runlen_packbits_decoded_len(enc, sizeof enc, &w) == RUNLEN_OK && w == 5);
        CHECK(runlen_packbits_decode(out, 5, enc, sizeof enc, &w) == RUNLEN_OK && w == 5 &&
              memcmp(out, "aaabb", 5) == 0);
        suite_release();
    }
    /* Truncated packets: the header's offset, before OUTPUT_TOO_SMALL. */
    {
        static const uint8_t enc[] = {0xF0, 'x', 0x05, 'a', 'b'};
        uint8_t *out = suite_alloc(1);
        CHECK(runlen_packbits_decoded_len(enc, sizeof enc, &w) == RUNLEN_ERR_TRUNCATED_PACKET &&
              w == 2);
        CHECK(runlen_packbits_decode(out, 1, enc, sizeof enc, &w) ==
                  RUNLEN_ERR_TRUNCATED_PACKET &&
              w == 2);
        CHECK(runlen_packbits_decode(out, 1, enc, 1, &w) == RUNLEN_ERR_TRUNCATED_PACKET && w == 0);
        CHECK(runlen_packbits_decode(out, 1, enc, 2, &w) == RUNLEN_ERR_OUTPUT_TOO_SMALL &&
              w == 17);
        suite_release();
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
}
