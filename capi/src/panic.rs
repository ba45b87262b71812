//! The panic handler of the bare-metal library (`target_os = "none"`).
//!
//! rustc requires every staticlib to contain a panic handler, and on bare metal there is no
//! `std` to bring one, so this library defines its own. No path through the C functions is
//! expected to reach it (every length and pointer is checked, the core crate's checked
//! entry points return errors); if one ever did, the handler executes the architecture's
//! permanently undefined instruction, the same one LLVM emits for a trap. The firmware's
//! fault handler (HardFault on Cortex-M, the illegal-instruction exception elsewhere) then
//! runs, as for any other fatal fault: a silent endless loop would hide the bug from a
//! watchdog-less board and from a debugger. Should the fault handler return, the loop traps
//! again, so control never leaves this function.
//!
//! The handler is not behind a cargo feature that could turn it off, because nothing would
//! build then: rustc refuses a staticlib without a panic handler. Firmware whose own Rust
//! code is a second staticlib links both in every case that matters: built by another
//! toolchain, the two handlers have different symbols; built by the same toolchain, both
//! define the same `rust_begin_unwind` and the link needs `-Wl,-z,muldefs` (GNU ld keeps
//! the first, and either is a valid handler for that toolchain's `core`). Simpler still,
//! such firmware calls the `runlen` crate from its Rust code.

#[panic_handler]
fn panic(_info: &core::panic::PanicInfo) -> ! {
    loop {
        trap();
    }
}

/// Raises the undefined-instruction exception. Not declared `noreturn`: a fault handler that
/// returns lands after it, in the caller's loop, which traps again.
#[inline(always)]
fn trap() {
    #[cfg(target_arch = "arm")]
    // SAFETY: `udf` touches no memory, stack or register; it only raises the exception.
    unsafe {
        core::arch::asm!("udf #0xfe", options(nomem, nostack));
    }
    #[cfg(any(target_arch = "riscv32", target_arch = "riscv64"))]
    // SAFETY: `unimp` touches no memory, stack or register; it only raises the exception.
    unsafe {
        core::arch::asm!("unimp", options(nomem, nostack));
    }
    #[cfg(target_arch = "aarch64")]
    // SAFETY: `brk` touches no memory, stack or register; it only raises the exception.
    unsafe {
        core::arch::asm!("brk #0x1", options(nomem, nostack));
    }
    #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
    // SAFETY: `ud2` touches no memory, stack or register; it only raises the exception.
    unsafe {
        core::arch::asm!("ud2", options(nomem, nostack));
    }
}
