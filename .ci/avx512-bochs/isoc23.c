/* The bochscpu-python wheel was linked against glibc >= 2.38, which renamed strtoull and
 * sscanf to their C23 variants; Debian 12 has glibc 2.36. LD_PRELOADed, this forwards the
 * two symbols the wheel needs to the older names (same behaviour for its inputs). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

unsigned long long __isoc23_strtoull(const char *s, char **end, int base) {
    return strtoull(s, end, base);
}

int __isoc23_sscanf(const char *s, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int r = vsscanf(s, fmt, ap);
    va_end(ap);
    return r;
}
