/*
 * runlen.h - C interface of runlen: run-length encoding of bytes into (value, count) pairs.
 *
 * Link with -lrunlen (librunlen.a or librunlen.so, built by
 * `cargo build --release -p runlen-capi` into target/release/). C99 or later, or C++.
 *
 * Format: every maximal run of equal bytes becomes pairs (value, count), count 1..255, in
 * input order; a run longer than 255 is split into (value, 255) pairs and a remainder. All
 * 256 byte values are encoded, 0xFF included. n input bytes encode to at most 2 * n bytes.
 *
 * Buffers are (pointer, length) pairs. A NULL pointer with a length of 0 is an empty buffer;
 * a NULL pointer with a non-zero length, or a NULL out-parameter, is
 * RUNLEN_ERR_NULL_POINTER. A buffer length above PTRDIFF_MAX (no object is that large) is
 * RUNLEN_ERR_OVERFLOW. These checks come before the format's own errors, which are reported
 * in this order: RUNLEN_ERR_TRUNCATED_PAIR, RUNLEN_ERR_ZERO_COUNT (first pair),
 * RUNLEN_ERR_OVERFLOW, RUNLEN_ERR_OUTPUT_TOO_SMALL. An out-parameter is set on every return
 * except for RUNLEN_ERR_NULL_POINTER caused by that out-parameter itself: to the result on
 * RUNLEN_OK, to the length needed on RUNLEN_ERR_OUTPUT_TOO_SMALL, to the pair's offset on
 * RUNLEN_ERR_ZERO_COUNT, and to 0 on any other error.
 *
 * Output buffers must not overlap input buffers or out-parameters. No function panics,
 * aborts or allocates; all are thread-safe.
 */
#ifndef RUNLEN_H
#define RUNLEN_H

#include <stddef.h>
#include <stdint.h>

/* Status codes returned by the functions that return int. */
#define RUNLEN_OK                    0
#define RUNLEN_ERR_OUTPUT_TOO_SMALL -1   /* *written is set to the length needed */
#define RUNLEN_ERR_TRUNCATED_PAIR   -2
#define RUNLEN_ERR_ZERO_COUNT       -3   /* the out-parameter is set to the pair's offset */
#define RUNLEN_ERR_NULL_POINTER     -4   /* NULL with a non-zero length, or a NULL out-parameter */
#define RUNLEN_ERR_OVERFLOW         -5   /* a length that does not fit in size_t */

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The most bytes that encoding input_len bytes can take: 2 * input_len, saturating at
 * SIZE_MAX. A buffer of this size always suffices for runlen_encode and is what
 * runlen_encode_unchecked requires.
 */
size_t runlen_max_encoded_len(size_t input_len);

/*
 * The exact length of the encoding of input[0..input_len); writes nothing. Returns 0 if
 * input is NULL, and SIZE_MAX if input_len exceeds PTRDIFF_MAX.
 */
size_t runlen_encoded_len(const uint8_t *input, size_t input_len);

/*
 * Encodes input[0..input_len) into out[0..out_len) and sets *written to the length written.
 * Bytes of out past *written may be overwritten (vector stores); nothing past out_len is.
 *
 * Returns RUNLEN_OK; RUNLEN_ERR_OUTPUT_TOO_SMALL with *written = the exact length needed
 * (runlen_encoded_len(input, input_len); out_len >= runlen_max_encoded_len(input_len)
 * always suffices, and runlen_encode(NULL, 0, input, input_len, &needed) asks for it);
 * RUNLEN_ERR_NULL_POINTER; RUNLEN_ERR_OVERFLOW for a length above PTRDIFF_MAX.
 */
int runlen_encode(uint8_t *out, size_t out_len, const uint8_t *input, size_t input_len,
                  size_t *written);

/*
 * Encodes input[0..input_len) into out without any check and returns the length written:
 * the fastest path, as the numba tutorial's compiled loop drops its bounds checks.
 *
 * The caller guarantees, unless input_len is 0: input is valid for input_len bytes, out for
 * runlen_max_encoded_len(input_len) = 2 * input_len bytes, and the two do not overlap.
 * Anything else is undefined behaviour.
 */
size_t runlen_encode_unchecked(uint8_t *out, const uint8_t *input, size_t input_len);

/*
 * Validates the pairs encoded[0..encoded_len) and sets *len to their decoded length.
 *
 * Returns RUNLEN_OK; RUNLEN_ERR_TRUNCATED_PAIR for an odd encoded_len; else
 * RUNLEN_ERR_ZERO_COUNT with *len = the byte offset of the first pair whose count is 0;
 * else RUNLEN_ERR_OVERFLOW if the decoded length exceeds SIZE_MAX; RUNLEN_ERR_NULL_POINTER
 * for a NULL len or a NULL encoded with a non-zero length.
 */
int runlen_decoded_len(const uint8_t *encoded, size_t encoded_len, size_t *len);

/*
 * Decodes the pairs encoded[0..encoded_len) into out[0..out_len) and sets *written to the
 * length written. Accepts any pairs with counts 1..255, canonical or not. On error nothing
 * is written to out; on success nothing past *written is.
 *
 * Returns RUNLEN_OK; the errors of runlen_decoded_len (*written set likewise); then
 * RUNLEN_ERR_OUTPUT_TOO_SMALL with *written = the decoded length; RUNLEN_ERR_NULL_POINTER
 * for a NULL written or a NULL buffer with a non-zero length.
 */
int runlen_decode(uint8_t *out, size_t out_len, const uint8_t *encoded, size_t encoded_len,
                  size_t *written);

/*
 * The name of the backend encoding uses on this CPU: "scalar", "sse2", "avx2", "avx512" or
 * "neon". A static NUL-terminated string: never NULL, never to be freed.
 */
const char *runlen_backend(void);

/*
 * A description of a status code, for any int (unknown codes get a generic text). A static
 * NUL-terminated string: never NULL, never to be freed.
 */
const char *runlen_strerror(int code);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* RUNLEN_H */
