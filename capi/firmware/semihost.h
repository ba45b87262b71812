/* ARM semihosting, as much as the firmware test needs (startup.c). */
#ifndef SEMIHOST_H
#define SEMIHOST_H
void semihost_write(const char *text);
void semihost_exit(int ok) __attribute__((noreturn));
#endif
