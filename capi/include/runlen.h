/*
 * runlen.h - C interface of runlen: run-length encoding of bytes into (value, count) pairs.
 *
 * Link with -lrunlen (librunlen.a or librunlen.so, built by
 * `cargo build --release -p runlen-capi` into target/release/, or installed by
 * capi/install.sh with a pkg-config file, runlen.pc). C99 or later, or C++. For firmware and
 * kernels, `cargo build --release -p runlen-capi --target T` builds a freestanding
 * librunlen.a for a bare-metal target T (thumbv6m-none-eabi, thumbv7em-none-eabihf,
 * riscv32imac-unknown-none-elf, aarch64-unknown-none-softfloat, x86_64-unknown-none...): it
 * needs no C library at all and brings its own panic handler, which no path is expected to
 * reach (it executes an undefined instruction: the firmware's fault handler runs).
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
 * Output buffers must not overlap input buffers, out-parameters or stream states. The output
 * of a one-shot call (runlen_encode, runlen_decode and their PackBits twins) need not be
 * initialized: a fresh malloc will do (bytes past *written may be written too). No
 * function panics, aborts or allocates; all are thread-safe (a stream state is used by one
 * thread at a time).
 *
 * Licensed under MIT OR Apache-2.0 (LICENSE-MIT, LICENSE-APACHE).
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
#define RUNLEN_ERR_TRUNCATED_PACKET -6   /* PackBits: the out-parameter is set to the cut
                                            packet's header offset */

/* The version of this header, the same as the library's (runlen_version()). */
#define RUNLEN_VERSION_MAJOR 0
#define RUNLEN_VERSION_MINOR 1
#define RUNLEN_VERSION_PATCH 0

/*
 * State of a streaming encoder, allocated by the caller (on the stack, in a struct, static)
 * and set up by runlen_encoder_init. Its contents are private. A state copied with memcpy
 * (or by assignment) is a valid, independent state; a state is valid only in the running
 * program, not to be saved and loaded by another one.
 */
typedef struct runlen_encoder { uint64_t opaque[4]; } runlen_encoder;

/* State of a streaming decoder: as runlen_encoder, set up by runlen_decoder_init. */
typedef struct runlen_decoder { uint64_t opaque[4]; } runlen_decoder;

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
 * length written. Accepts any pairs with counts 1..255, canonical or not. It validates and
 * expands in one pass: on error, out's contents are unspecified; on success, bytes of out
 * past *written may be overwritten (vector stores). Nothing past out_len ever is; size out
 * with runlen_decoded_len to write exactly the decoded bytes.
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

/*
 * The library's version, "MAJOR.MINOR.PATCH" as the RUNLEN_VERSION_* macros of the header
 * it was built with. A static NUL-terminated string: never NULL, never to be freed.
 */
const char *runlen_version(void);

/*
 * Streaming encoder: feeding any split of an input to runlen_encoder_chunk, then calling
 * runlen_encoder_finish, gives exactly the bytes of runlen_encode of the whole input. The
 * encoder holds back the run still open at the end of a chunk (never more than 255 bytes of
 * input, no copy of them).
 *
 *     runlen_encoder enc;
 *     runlen_encoder_init(&enc);
 *     while (more input) { rc = runlen_encoder_chunk(&enc, out, out_len, in, in_len, &n); ... }
 *     rc = runlen_encoder_finish(&enc, out, out_len, &n);
 */

/* Sets up *enc as a new encoder (or resets it). A NULL enc is ignored. */
void runlen_encoder_init(runlen_encoder *enc);

/*
 * Encodes the chunk input[0..input_len) into out[0..out_len), holding back the run open at
 * its end, and sets *written to the length written. out_len >=
 * runlen_max_encoded_len(input_len) always suffices.
 *
 * Returns RUNLEN_OK; RUNLEN_ERR_OUTPUT_TOO_SMALL with *written = the length needed, the
 * encoder unchanged (the same call with that much room succeeds); RUNLEN_ERR_NULL_POINTER
 * for a NULL enc or written, or a NULL buffer with a non-zero length; RUNLEN_ERR_OVERFLOW
 * for a length above PTRDIFF_MAX.
 */
int runlen_encoder_chunk(runlen_encoder *enc, uint8_t *out, size_t out_len,
                         const uint8_t *input, size_t input_len, size_t *written);

/*
 * Writes the run still open (0 bytes if none, else 2) into out[0..out_len), sets *written
 * to the length written and makes the encoder new. Returns RUNLEN_OK;
 * RUNLEN_ERR_OUTPUT_TOO_SMALL with *written = 2, the encoder unchanged;
 * RUNLEN_ERR_NULL_POINTER; RUNLEN_ERR_OVERFLOW.
 */
int runlen_encoder_finish(runlen_encoder *enc, uint8_t *out, size_t out_len, size_t *written);

/*
 * Streaming decoder: feeding any split of a valid encoding to runlen_decoder_chunk, with
 * any sizes of out, then draining with runlen_decoder_finish, gives exactly the bytes of
 * runlen_decode of the whole. It holds at most half a pair and the unwritten rest of one
 * run (at most 255 bytes, as a count: nothing is buffered).
 *
 *     runlen_decoder dec;
 *     runlen_decoder_init(&dec);
 *     while (more input) {
 *         while (in_len > 0) {   -- or until out is full, to drain it first
 *             rc = runlen_decoder_chunk(&dec, out, out_len, in, in_len, &used, &n);
 *             ... deliver out[0..n); in += used; in_len -= used;
 *         }
 *     }
 *     rc = runlen_decoder_finish(&dec, out, out_len, &n);   -- out_len >= 255 always suffices
 */

/* Sets up *dec as a new decoder (or resets it). A NULL dec is ignored. */
void runlen_decoder_init(runlen_decoder *dec);

/*
 * Decodes from encoded[0..encoded_len) into out[0..out_len) as much as fits: first what the
 * decoder holds, then the runs of the chunk's pairs in order. A run that does not fit whole,
 * and a lone last byte (half a pair), are consumed and held. Sets *consumed to the bytes of
 * encoded consumed and *written to the bytes written; on RUNLEN_OK, *consumed ==
 * encoded_len or *written == out_len (or both), so an out of any non-zero length makes
 * progress. Bytes of out past *written may be overwritten, and on error out's contents are
 * unspecified; nothing past out_len ever is.
 *
 * Returns RUNLEN_OK; RUNLEN_ERR_ZERO_COUNT with *written = the offset of the pair whose
 * count is 0, counted in encoded bytes from the start of the stream (runlen_decoder_init or
 * the last successful finish), the decoder unchanged; RUNLEN_ERR_NULL_POINTER for a NULL
 * dec, consumed or written, or a NULL buffer with a non-zero length; RUNLEN_ERR_OVERFLOW
 * for a length above PTRDIFF_MAX. *consumed is 0 on every error.
 */
int runlen_decoder_chunk(runlen_decoder *dec, uint8_t *out, size_t out_len,
                         const uint8_t *encoded, size_t encoded_len, size_t *consumed,
                         size_t *written);

/*
 * Writes what the decoder holds (at most 255 bytes) into out[0..out_len), sets *written to
 * the length written and makes the decoder new. Returns RUNLEN_OK;
 * RUNLEN_ERR_TRUNCATED_PAIR if the stream ended inside a pair; else
 * RUNLEN_ERR_OUTPUT_TOO_SMALL with *written = the length needed; RUNLEN_ERR_NULL_POINTER;
 * RUNLEN_ERR_OVERFLOW. On error the decoder is unchanged.
 */
int runlen_decoder_finish(runlen_decoder *dec, uint8_t *out, size_t out_len, size_t *written);

/*
 * PackBits, the second format (TIFF compression 32773, Photoshop, ICNS, MacPaint). A header
 * byte h: 0..127 is followed by h + 1 literal bytes; 129..255 by one byte repeated 257 - h
 * times; 128 is a no-op (accepted, never written). runlen writes the canonical encoding
 * (runs of 3 or more become run packets of up to 128, everything else literal packets of up
 * to 128) and decodes any PackBits. Data without runs grows by at most 1 byte in 128.
 * The functions follow their pairs counterparts above: same out-parameter rules, same
 * NULL and PTRDIFF_MAX checks first; RUNLEN_ERR_TRUNCATED_PACKET takes the place of the
 * pairs' format errors and comes before RUNLEN_ERR_OUTPUT_TOO_SMALL.
 */

/* The most bytes encoding input_len bytes can take: input_len + ceil(input_len / 128),
 * saturating at SIZE_MAX. */
size_t runlen_packbits_max_encoded_len(size_t input_len);

/* The exact length of the PackBits encoding of input[0..input_len); 0 if input is NULL. */
size_t runlen_packbits_encoded_len(const uint8_t *input, size_t input_len);

/*
 * Encodes input[0..input_len) as PackBits into out[0..out_len) and sets *written to the
 * length written. Bytes of out past *written may be overwritten; nothing past out_len is.
 * Returns RUNLEN_OK; RUNLEN_ERR_OUTPUT_TOO_SMALL with *written = the exact length needed
 * (runlen_packbits_max_encoded_len(input_len) always suffices); RUNLEN_ERR_NULL_POINTER;
 * RUNLEN_ERR_OVERFLOW for a length above PTRDIFF_MAX.
 */
int runlen_packbits_encode(uint8_t *out, size_t out_len, const uint8_t *input, size_t input_len,
                           size_t *written);

/*
 * Validates the PackBits encoded[0..encoded_len) and sets *len to the decoded length.
 * Returns RUNLEN_OK; RUNLEN_ERR_TRUNCATED_PACKET with *len = the byte offset of the header
 * of a packet cut off by the end of the input; else RUNLEN_ERR_OVERFLOW if the decoded
 * length exceeds SIZE_MAX; RUNLEN_ERR_NULL_POINTER.
 */
int runlen_packbits_decoded_len(const uint8_t *encoded, size_t encoded_len, size_t *len);

/*
 * Decodes the PackBits encoded[0..encoded_len) into out[0..out_len) and sets *written to
 * the length written. On error out's contents are unspecified; on success bytes past
 * *written may be overwritten (vector stores); nothing past out_len ever is. Returns
 * RUNLEN_OK; the errors of runlen_packbits_decoded_len (*written set likewise); then
 * RUNLEN_ERR_OUTPUT_TOO_SMALL with *written = the decoded length; RUNLEN_ERR_NULL_POINTER.
 */
int runlen_packbits_decode(uint8_t *out, size_t out_len, const uint8_t *encoded,
                           size_t encoded_len, size_t *written);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* RUNLEN_H */
