/*
 * The C API on a Cortex-M4F (QEMU mps2-an386), linked against the thumbv7em-none-eabihf
 * librunlen.a: the shared suite (../tests/suite.h: version, one-shot encode and decode,
 * every status code, the streaming encoder and decoder over random splits, memcpy'd
 * states; ../tests/suite_packbits.h: the PackBits functions), reported through semihosting. Exits QEMU with status 0 only if every check
 * passed, no buffer's guard bytes were touched and nothing faulted. Built with
 * -DFIRMWARE_SELF_TEST, it also fails a check, writes past a buffer and faults, so that CI
 * sees the harness report each and exit with status 1.
 */
#include <stddef.h>
#include <stdint.h>

#include "semihost.h"

static void print_number(unsigned long v) {
    char digits[24];
    size_t d = sizeof digits - 1;
    digits[d] = '\0';
    do digits[--d] = (char)('0' + v % 10); while ((v /= 10) != 0);
    semihost_write(digits + d);
}

static void report_failure(const char *expr, const char *file, int line) {
    semihost_write("FAILED at ");
    semihost_write(file);
    semihost_write(":");
    print_number((unsigned long)line);
    semihost_write(": ");
    semihost_write(expr);
    semihost_write("\n");
}

#define SUITE_FAIL(expr) report_failure(expr, __FILE__, __LINE__)

/* Buffers of exactly the length asked for, each followed by guard bytes that
 * suite_release checks: nothing may be written past a buffer. */
#define GUARD 8
#define GUARD_BYTE 0xA5
#define MAX_BUFFERS 1024
static uint8_t arena[64 * 1024];
static size_t arena_used, guard_at[MAX_BUFFERS], buffers;
static unsigned long guard_failures;

static uint8_t *suite_alloc(size_t n);
static void suite_release(void);

#include "suite.h"
#include "suite_packbits.h"

static uint8_t *suite_alloc(size_t n) {
    size_t at = (arena_used + 3) & ~(size_t)3;
    if (n > sizeof arena || at + n + GUARD > sizeof arena || buffers == MAX_BUFFERS) {
        semihost_write("firmware: arena exhausted\n");
        semihost_exit(0);
    }
    memset(arena + at, 0x5A, n);
    memset(arena + at + n, GUARD_BYTE, GUARD);
    guard_at[buffers++] = at + n;
    arena_used = at + n + GUARD;
    return arena + at;
}

static void suite_release(void) {
    size_t b, i;
    for (b = 0; b < buffers; b++) {
        for (i = 0; i < GUARD; i++) {
            if (arena[guard_at[b] + i] != GUARD_BYTE) {
                guard_failures++;
                semihost_write("FAILED: a write past the end of a buffer\n");
                break;
            }
        }
    }
    buffers = 0;
    arena_used = 0;
}

int main(void) {
    static uint8_t scratch[2048];
    semihost_write("firmware: runlen ");
    semihost_write(runlen_version());
    semihost_write(" on Cortex-M4F, backend ");
    semihost_write(runlen_backend());
    semihost_write("\n");
    suite_run(scratch, sizeof scratch, 150);
    suite_packbits_run(scratch, sizeof scratch, 140, 40);
#ifdef FIRMWARE_SELF_TEST
    /* CI builds this variant too, to see each kind of failure reported and fail the run. */
    CHECK(runlen_max_encoded_len(1) == 3);
    suite_alloc(3)[3] = 0;
    suite_release();
    __asm__ volatile("udf #0xfe");
#endif
    semihost_write("firmware: ");
    print_number(suite_passed);
    semihost_write(" passed, ");
    print_number(suite_failed + guard_failures);
    semihost_write(" failed\n");
    return suite_failed == 0 && guard_failures == 0 ? 0 : 1;
}
