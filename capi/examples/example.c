/* The README's C example; .ci/capi.sh builds and runs it.
 *   cc -std=c99 -I capi/include capi/examples/example.c -L target/release -lrunlen */
#include <stdio.h>
#include <stdlib.h>

#include <runlen.h>

int main(void) {
    const uint8_t in[] = "aaaabbbcc\xff\xff";
    size_t in_len = sizeof in - 1, enc_len = 0, dec_len = 0;
    size_t cap = runlen_max_encoded_len(in_len); /* 2 * in_len always suffices */
    uint8_t *enc = malloc(cap), back[sizeof in];
    int rc;

    if (enc == NULL) return 1;
    rc = runlen_encode(enc, cap, in, in_len, &enc_len);
    if (rc != RUNLEN_OK) {
        fprintf(stderr, "encode: %s\n", runlen_strerror(rc));
        return 1;
    }
    for (size_t i = 0; i < enc_len; i += 2) printf("(%02x, %u) ", enc[i], enc[i + 1]);
    rc = runlen_decode(back, sizeof back, enc, enc_len, &dec_len);
    printf("\ndecoded %zu bytes: %s; backend %s\n", dec_len, runlen_strerror(rc),
           runlen_backend());
    free(enc);
    return rc == RUNLEN_OK && dec_len == in_len ? 0 : 1;
}
