/*
 * The shared suite (suite.h) on the host, where AddressSanitizer and valgrind watch it:
 * every buffer is malloc'ed at exactly the length handed to the library.
 * Prints "test_stream: N passed, M failed".
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static void suite_report(const char *expr, const char *file, int line);
#define SUITE_FAIL(expr) suite_report(expr, __FILE__, __LINE__)

static void *suite_buffers[1 << 14];
static size_t suite_buffer_count;

static uint8_t *suite_alloc(size_t n);
static void suite_release(void);

#include "suite.h"

static void suite_report(const char *expr, const char *file, int line) {
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

int main(void) {
    static uint8_t scratch[3000];
    suite_run(scratch, sizeof scratch, 400);
    suite_release();
    printf("test_stream: %lu passed, %lu failed\n", suite_passed, suite_failed);
    return suite_failed == 0 ? 0 : 1;
}
