//! Runs one AVX-512 kernel (encode, decode's expand or measure, or PackBits' encode) once
//! on a parameter block at a fixed address and stops with `hlt`. Built as a static,
//! position-dependent ELF with no C runtime, so that the Bochs CPU emulator can run it on
//! bare page tables (see `../run.py`). The kernels are the crate's own, reached through its
//! hidden `__internals` module (a normal dependency with that feature): what runs is the
//! shipped code. The encode kernels are instances of the crate's encode drivers.
#![no_std]
#![no_main]

use runlen::__internals::{avx512_encode, avx512_expand, avx512_measure, avx512_packbits_encode};

/// Where `run.py` puts the parameters and reads the results (u64 each): run value, run
/// len, input pointer, input length, out pointer, out length; then consumed, written, run
/// value, run len, a done marker, and CPUID leaf 7 (EBX | ECX << 32); then the mode (0:
/// encode, 1: decode expand, 2: decode measure, whose total lands in `written`, or
/// `u64::MAX` for an overflow, 3: PackBits encode of the whole input, `written` is
/// `u64::MAX` when out is too short).
const PARAM: usize = 0x2000_0000;

/// Entry point (the linker's `-e`).
///
/// # Safety
/// Only for the emulator set up by `run.py`: `PARAM` mapped, pointers valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn harness_entry() -> ! {
    // SAFETY: `run.py` maps the parameter page and the buffers it describes; the CPU model
    // it selects has every feature the kernel needs (checked from the CPUID value stored
    // here before any result is trusted).
    unsafe {
        let p = PARAM as *mut u64;
        let id = core::arch::x86_64::__cpuid_count(7, 0);
        p.add(11).write(((id.ecx as u64) << 32) | id.ebx as u64);
        let run = (p.read() as u8, p.add(1).read() as u32);
        let input =
            core::slice::from_raw_parts(p.add(2).read() as *const u8, p.add(3).read() as usize);
        let out =
            core::slice::from_raw_parts_mut(p.add(4).read() as *mut u8, p.add(5).read() as usize);
        let ((consumed, written), (value, len)) = match p.add(12).read() {
            1 => (avx512_expand(input, out), run),
            2 => match avx512_measure(input) {
                (scanned, Some(total)) => ((scanned, total as usize), run),
                (scanned, None) => ((scanned, usize::MAX), run),
            },
            3 => match avx512_packbits_encode(input, out) {
                Some(done) => (done, run),
                None => ((0, usize::MAX), run),
            },
            _ => avx512_encode(run, input, out),
        };
        p.add(6).write(consumed as u64);
        p.add(7).write(written as u64);
        p.add(8).write(value as u64);
        p.add(9).write(len as u64);
        p.add(10).write(0x600D);
        // At user privilege `hlt` faults (#GP): that fault is the harness's exit.
        loop {
            core::arch::asm!("hlt");
        }
    }
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    loop {
        // SAFETY: `ud2` only raises #UD, which `run.py` reports as a failure.
        unsafe { core::arch::asm!("ud2") }
    }
}

// No C library here: the few memory functions the compiler may call, written with
// volatile accesses so that they cannot be turned back into calls to themselves.

/// # Safety
/// As C's `memcpy`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn memcpy(d: *mut u8, s: *const u8, n: usize) -> *mut u8 {
    // SAFETY: the caller's `memcpy` contract.
    unsafe {
        for i in 0..n {
            core::ptr::write_volatile(d.add(i), core::ptr::read_volatile(s.add(i)));
        }
    }
    d
}

/// # Safety
/// As C's `memmove`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn memmove(d: *mut u8, s: *const u8, n: usize) -> *mut u8 {
    // SAFETY: the caller's `memmove` contract; copying away from the overlap.
    unsafe {
        if (d as usize) < (s as usize) {
            for i in 0..n {
                core::ptr::write_volatile(d.add(i), core::ptr::read_volatile(s.add(i)));
            }
        } else {
            for i in (0..n).rev() {
                core::ptr::write_volatile(d.add(i), core::ptr::read_volatile(s.add(i)));
            }
        }
    }
    d
}

/// # Safety
/// As C's `memset`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn memset(d: *mut u8, c: i32, n: usize) -> *mut u8 {
    // SAFETY: the caller's `memset` contract.
    unsafe {
        for i in 0..n {
            core::ptr::write_volatile(d.add(i), c as u8);
        }
    }
    d
}

/// # Safety
/// As C's `memcmp`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn memcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
    // SAFETY: the caller's `memcmp` contract.
    unsafe {
        for i in 0..n {
            let (x, y) = (
                core::ptr::read_volatile(a.add(i)),
                core::ptr::read_volatile(b.add(i)),
            );
            if x != y {
                return x as i32 - y as i32;
            }
        }
    }
    0
}

/// # Safety
/// As C's `bcmp`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
    // SAFETY: forwarded.
    unsafe { memcmp(a, b, n) }
}

/// The unwinding personality routine that the precompiled `core` names (its objects carry
/// unwind tables, and runlen's pull some of them in). With `panic = "abort"` nothing
/// unwinds, so it is never called.
#[unsafe(no_mangle)]
pub extern "C" fn rust_eh_personality() {}
