/*
 * Bare-metal start-up for a Cortex-M4F, without any C runtime: the vector table, a reset
 * handler that sets up .data/.bss and the FPU and calls main, fault handlers, and the two
 * ARM semihosting calls the test reports through (QEMU: -semihosting-config enable=on).
 */
#include <stdint.h>

#include "semihost.h"

int main(void);

extern uint32_t __data_start[], __data_end[], __data_load[], __bss_start[], __bss_end[];
extern uint32_t __stack_top[];

/* SYS_WRITE0 (0x04): writes a NUL-terminated string to the host's console. */
void semihost_write(const char *text) {
    register uintptr_t op __asm__("r0") = 0x04;
    register const char *arg __asm__("r1") = text;
    __asm__ volatile("bkpt 0xab" : "+r"(op) : "r"(arg) : "memory");
}

/* SYS_EXIT (0x18): ApplicationExit ends QEMU with status 0, any other reason with 1. */
void semihost_exit(int ok) {
    register uintptr_t op __asm__("r0") = 0x18;
    register uintptr_t reason __asm__("r1") = ok ? 0x20026u : 0x20023u;
    __asm__ volatile("bkpt 0xab" : "+r"(op) : "r"(reason) : "memory");
    for (;;) {
    }
}

void reset_handler(void) {
    uint32_t *src = __data_load, *dst = __data_start;
    volatile uint32_t *cpacr = (volatile uint32_t *)0xE000ED88u;
    while (dst < __data_end) *dst++ = *src++;
    for (dst = __bss_start; dst < __bss_end; dst++) *dst = 0;
    /* Full access to the FPU (CP10, CP11): hard-float code may use its registers. */
    *cpacr |= 0xFu << 20;
    __asm__ volatile("dsb\n\tisb" ::: "memory");
    semihost_exit(main() == 0);
}

/* Any fault, a panic of the library (an undefined instruction) included, fails the test. */
static void fault_handler(void) {
    semihost_write("firmware: FAULT (HardFault/UsageFault: undefined instruction or bad access)\n");
    semihost_exit(0);
}

typedef void (*vector)(void);

__attribute__((section(".vectors"), used)) static const vector vectors[16] = {
    (vector)(uintptr_t)__stack_top, /* initial stack pointer */
    reset_handler,
    fault_handler, /* NMI */
    fault_handler, /* HardFault */
    fault_handler, /* MemManage */
    fault_handler, /* BusFault */
    fault_handler, /* UsageFault */
};
