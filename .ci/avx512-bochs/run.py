"""Runs the AVX-512 kernel inside the Bochs CPU emulator and checks every result against
a byte-at-a-time reference of the format, on the inputs that break block code.

This machine (and CI's) has no AVX-512, and Miri has no shim for vpcompressb; Bochs does
implement AVX-512 VBMI2 (with patch_bochs.py). The harness ELF (src/main.rs) runs the
crate's own kernels (through its hidden `__internals` module). Per run: the input lies at
the start or the end of exactly mapped pages (an out-of-bounds read faults), `out` either
ends at an unmapped page (a wide store past out.len() faults) or is followed by guard
bytes that must stay intact.

Usage: run.py HARNESS_ELF [quick]
"""
import os
import random
import struct
import sys

import bochscpu
import bochscpu.cpu
import bochscpu.memory

ELF = sys.argv[1]
QUICK = len(sys.argv) > 2 and sys.argv[2] == "quick"
PAGE = bochscpu.memory.page_size()
PARAM = 0x2000_0000
IN_BASE = 0x3000_0000
OUT_BASE = 0x4000_0000
STACK = 0x5000_0000
PML4 = 0x10_0000
GUARD = 0x5A
IN_PAGES = 2
OUT_PAGES = 3

table = bochscpu.memory.PageMapLevel4Table()
mapped = {}
next_gpa = [0x100_0000]


def map_range(va, n):
    for page in range(va & ~(PAGE - 1), va + n, PAGE):
        if page not in mapped:
            hva = bochscpu.memory.allocate_host_page()
            gpa = next_gpa[0]
            next_gpa[0] += PAGE
            bochscpu.memory.page_insert(gpa, hva)
            table.insert(page, gpa, 1)
            mapped[page] = gpa


elf = open(ELF, "rb").read()
(entry,) = struct.unpack_from("<Q", elf, 0x18)
(phoff,) = struct.unpack_from("<Q", elf, 0x20)
phentsize, phnum = struct.unpack_from("<HH", elf, 0x36)
segments = []
for i in range(phnum):
    kind, _, off, vaddr, _, filesz, memsz = struct.unpack_from("<IIQQQQQ", elf, phoff + i * phentsize)
    if kind == 1:  # PT_LOAD
        map_range(vaddr, memsz)
        segments.append((vaddr, elf[off : off + filesz]))
map_range(PARAM, PAGE)
# Exactly these pages: the ones around them are not present, so stray accesses fault.
map_range(IN_BASE, IN_PAGES * PAGE)
map_range(OUT_BASE, OUT_PAGES * PAGE)
map_range(STACK - 4 * PAGE, 4 * PAGE)
for hva, gpa in table.commit(PML4):
    bochscpu.memory.page_insert(gpa, hva)


def write(va, data):
    if data:
        assert bochscpu.memory.virt_write(PML4, va, list(bytes(data)))


def read(va, n):
    return bytes(bochscpu.memory.virt_read(PML4, va, n)) if n else b""


for vaddr, data in segments:
    write(vaddr, data)

faults = []


def on_exception(sess, cpu_id, vector, error_code):
    faults.append((vector, error_code))
    sess.stop()


def on_missing_page(gpa):
    raise RuntimeError(f"missing physical page {gpa:#x}")


hook = bochscpu.Hook()
hook.exception = on_exception


def segment(selector, attr):
    s = bochscpu.Segment()
    s.present = True
    s.selector = selector
    s.base = 0
    s.limit = 0xFFFF_FFFF
    s.attr = attr
    return s


def run_kernel(value, length, data, out_len, mode=0):
    """One kernel call (mode 0 encode, 1 decode expand, 2 decode measure, 3 PackBits
    encode); returns (consumed, written, run value, run len, out + guard, cpuid7)."""
    assert len(data) <= IN_PAGES * PAGE and out_len + 256 <= OUT_PAGES * PAGE
    in_va = IN_BASE + IN_PAGES * PAGE - len(data) if random.random() < 0.5 else IN_BASE
    at_edge = random.random() < 0.5
    out_va = OUT_BASE + OUT_PAGES * PAGE - out_len if at_edge else OUT_BASE + 7
    write(in_va, data)
    write(out_va, bytes([GUARD]) * (out_len + (0 if at_edge else 256)))
    write(PARAM, struct.pack("<6Q", value, length, in_va, len(data), out_va, out_len) + bytes(48)
          + struct.pack("<Q", mode))
    sess = bochscpu.Session()
    sess.missing_page_handler = on_missing_page
    state = bochscpu.State()
    bochscpu.cpu.set_long_mode(state)
    cr4 = bochscpu.cpu.ControlRegister()
    cr4.PAE = True
    cr4.OSFXSR = True
    cr4.OSXSAVE = True
    state.cr4 = int(cr4)
    state.xcr0 = 0b1110_0111  # x87, SSE, AVX, opmask, ZMM_Hi256, Hi16_ZMM
    state.cr3 = PML4
    # As if `call`ed: the entry point's code assumes rsp = 8 (mod 16), as the ABI says, and
    # aligns its own frame for wider vector spills from there.
    state.rsp = STACK - 64 - 8
    state.rip = entry
    state.cs = segment(0x33, 0x22FB)
    data_seg = segment(0x2B, 0xCF3)
    state.ds = state.ss = state.es = state.fs = state.gs = data_seg
    sess.cpu.state = state
    faults.clear()
    sess.run([hook])
    consumed, written, rv, rl, done, cpuid7 = struct.unpack("<6Q", read(PARAM + 48, 48))
    assert done == 0x600D and faults == [(13, 0)], f"harness faulted: {faults} (#UD=6, #GP=13, #PF=14)"
    tail = bytes([GUARD]) * 256 if at_edge else read(out_va + out_len, 256)
    return consumed, written, rv, rl, read(out_va, out_len) + tail, cpuid7


def reference(value, length, data):
    """The format, byte at a time: output and the run left open (lazy 255-splits)."""
    if length == 0 and data:
        value = data[0]
    out = bytearray()
    for b in data:
        if b == value and length != 0:
            if length == 255:
                out += bytes([b, 255])
                length = 1
            else:
                length += 1
        else:
            if length != 0:
                out += bytes([value, length])
            value, length = b, 1
    return bytes(out), value, length


passed = 0


def check(value, length, data, out_len, exact=False):
    global passed
    if length == 0 and data:
        value = data[0]
    consumed, written, rv, rl, buf, _ = run_kernel(value, length, data, out_len)
    ctx = f"len={len(data)} run=({value},{length}) out_len={out_len}: consumed={consumed} written={written}"
    assert consumed <= len(data) and written <= out_len, ctx
    assert all(x == GUARD for x in buf[out_len:]), "wrote past out.len(): " + ctx
    want, wv, wl = reference(value, length, data[:consumed])
    assert buf[:written] == want, f"bytes differ: {ctx}\n got  {buf[:written].hex()}\n want {want.hex()}"
    assert (rv, rl) == (wv, wl), f"run differs: {ctx}: got {(rv, rl)}, want {(wv, wl)}"
    if exact:
        assert consumed == len(data) // 64 * 64, "exactly sized out stopped early: " + ctx
    passed += 1


def check_all(data, runs=None):
    first = data[0] if data else 0
    for value, length in runs or [(0, 0), (first, 255), ((first + 1) & 255, 200), (first, 1)]:
        full, _, _ = reference(value if length else first, length, data)
        check(value, length, data, 2 * len(data) + 64)
        check(value, length, data, len(full), exact=True)
        for out_len in sorted({0, 1, 2, 3, len(full) // 2, len(full) - 1, len(full) - 2, len(full) - 64}):
            if 0 <= out_len < len(full):
                check(value, length, data, out_len)


def expansion(pairs):
    return b"".join(bytes([pairs[i]]) * pairs[i + 1] for i in range(0, len(pairs) - 1, 2))


def check_decode(encoded, out_len):
    """The decode kernels' contract: a prefix of whole, zero-free pairs, expanded exactly;
    nothing past out.len(); with room for everything, every whole 64-byte block is taken.
    The measure kernel: the same prefix rule and the exact sum of its counts."""
    global passed
    whole = len(encoded) // 64 * 64
    zero = next((i for i in range(0, len(encoded) - 1, 2) if encoded[i + 1] == 0), None)
    clean = zero is None or zero >= whole
    total = len(expansion(encoded))
    ctx = f"decode: {len(encoded)} encoded bytes, out_len={out_len}"
    consumed, written, _, _, buf, _ = run_kernel(0, 0, encoded, out_len, mode=1)
    ctx += f": consumed={consumed} written={written}"
    assert consumed % 2 == 0 and consumed <= len(encoded) and written <= out_len, ctx
    assert zero is None or consumed <= zero, "consumed a zero count: " + ctx
    assert all(x == GUARD for x in buf[out_len:]), "wrote past out.len(): " + ctx
    assert buf[:written] == expansion(encoded[:consumed]), "bytes differ: " + ctx
    if clean and out_len >= total + 64 + 8:
        assert consumed == whole, "roomy out stopped early: " + ctx
    scanned, counted, _, _, _, _ = run_kernel(0, 0, encoded, 0, mode=2)
    ctx += f": scanned={scanned} total={counted}"
    assert scanned % 2 == 0 and scanned <= len(encoded), ctx
    assert zero is None or scanned <= zero, "measured past a zero count: " + ctx
    assert counted == len(expansion(encoded[:scanned])), "wrong total: " + ctx
    if clean:
        assert scanned == whole, "measure stopped early: " + ctx
    passed += 2


def check_decode_all(encoded):
    total = len(expansion(encoded))
    for out_len in sorted({0, 1, total // 2, max(total - 1, 0), total, total + 80}):
        if out_len + 256 <= OUT_PAGES * PAGE:
            check_decode(encoded, out_len)


def pairs(rng, n, lo, hi):
    out = bytearray()
    for _ in range(n):
        out += bytes([rng.choice((0x00, 0xFF, 0x41)), rng.randint(lo, hi)])
    return bytes(out)


def decode_cases(rng):
    families = [(1, 1), (2, 2), (1, 2), (1, 4), (1, 16), (17, 32), (33, 64), (255, 255), (1, 255)]
    for lo, hi in families:
        for n in range(0, 100, 7 if QUICK else 3):
            check_decode_all(pairs(rng, n, lo, hi))
    print(f"decode, count families at many lengths: {passed} runs ok", flush=True)
    for n in [32, 65]:
        for at in range(0, n, 5 if QUICK else 1):
            for base, odd in [(1, 0), (1, 255), (2, 0), (2, 17), (40, 0)]:
                enc = bytearray(pairs(rng, n, base, base))
                enc[2 * at + 1] = odd
                check_decode_all(bytes(enc))
    print(f"decode, a zero or long count at every pair position: {passed} runs ok", flush=True)
    for at in range(0, 32, 3 if QUICK else 1):
        for count, other in [(3, None), (34, (7, 3)), (35, (31, 34)), (17, (1, 30))]:
            enc = bytearray(pairs(rng, 40, 1, 2))
            enc[2 * at + 1] = count
            if other:
                enc[2 * ((at + other[0]) % 32) + 1] = other[1]
            check_decode_all(bytes(enc))
    print(f"decode, ones and twos with one or two longer runs: {passed} runs ok", flush=True)
    for _ in range(10 if QUICK else 60):
        enc = b"".join(pairs(rng, rng.randrange(1, 40), *rng.choice(families)) for _ in range(rng.randrange(1, 6)))
        check_decode_all(enc[: rng.randrange(len(enc) + 1)])
    print(f"decode, mixtures: {passed} runs ok", flush=True)


def packbits_reference(data):
    """PackBits' canonical encoding (SPEC.md section 8), byte at a time."""
    out, lit, i = bytearray(), bytearray(), 0

    def flush():
        for k in range(0, len(lit), 128):
            out.append(len(lit[k:k + 128]) - 1)
            out.extend(lit[k:k + 128])
        lit.clear()

    while i < len(data):
        j = i
        while j < len(data) and data[j] == data[i]:
            j += 1
        r = j - i
        if r >= 3:
            flush()
            out.extend(bytes([0x81, data[i]]) * (r // 128))
            if r % 128 >= 2:
                out.extend([257 - r % 128, data[i]])
            elif r % 128 == 1:
                lit.append(data[i])
        else:
            lit.extend(data[i:j])
        i = j
    flush()
    return bytes(out)


def check_packbits(data):
    """PackBits' encoder: the canonical bytes with room (exact or more), a refusal without,
    and nothing written past out.len() either way."""
    global passed
    want = packbits_reference(data)
    for out_len in sorted({0, len(want) // 2, max(len(want) - 1, 0), len(want), len(want) + 300}):
        if out_len + 256 > OUT_PAGES * PAGE:
            continue
        consumed, written, _, _, buf, _ = run_kernel(0, 0, data, out_len, mode=3)
        ctx = f"packbits: {len(data)} bytes, out_len={out_len}: consumed={consumed} written={written}"
        assert all(x == GUARD for x in buf[out_len:]), "wrote past out.len(): " + ctx
        if out_len >= len(want):
            assert (consumed, written) == (len(data), len(want)), ctx
            assert buf[:written] == want, f"bytes differ: {ctx}\n got  {buf[:written].hex()}\n want {want.hex()}"
        else:
            assert written == 2**64 - 1, "fit in a short out: " + ctx
        passed += 1


def packbits_cases(rng):
    for n in range(0, 300, 7 if QUICK else 1):
        check_packbits(geometric(rng, n, 3))
    for lit in [1, 2, 63, 64, 65, 127, 128, 129, 130, 191, 192, 193]:
        for phase in range(0, 64, 13 if QUICK else 3):
            data = bytes([0x42]) * phase + bytes([7]) * 5 + bytes((x * 37 + 1) & 255 for x in range(lit))
            check_packbits(data + bytes([7]) * 3 + bytes(x % 5 + 1 for x in range(300)))
    for mean in [1, 2, 4, 8, 64, 300]:
        for _ in range(5 if QUICK else 25):
            check_packbits(geometric(rng, rng.randrange(4096), mean))
    for _ in range(3 if QUICK else 10):
        check_packbits(bytes(rng.randrange(256) for _ in range(rng.randrange(4096))))
    print(f"PackBits encode: {passed} runs ok", flush=True)


def geometric(rng, n, mean):
    out = bytearray()
    value = 0
    while len(out) < n:
        if rng.randrange(mean) == 0:
            value = rng.choice((0x00, 0xFF, 0x41, 0x42))
        out.append(value)
    return bytes(out)


def main():
    random.seed(1)
    rng = random.Random(12345)
    _, _, _, _, _, cpuid7 = run_kernel(0, 0, b"", 0)
    ebx, ecx = cpuid7 & 0xFFFF_FFFF, cpuid7 >> 32
    need = {
        "avx512f": ebx >> 16 & 1,
        "avx512bw": ebx >> 30 & 1,
        "avx512vbmi": ecx >> 1 & 1,
        "avx512vbmi2": ecx >> 6 & 1,
    }
    print(f"guest CPUID.7: ebx={ebx:#x} ecx={ecx:#x} {need}")
    assert all(need.values()), "the emulated CPU lacks a feature the kernel needs (patch_bochs.py?)"

    for n in range(0, 301):
        check_all(geometric(rng, n, 3), runs=[(0, 0)])
        check_all(bytes(rng.randrange(256) for _ in range(n)), runs=[(0, 0)])
    print(f"every length 0..=300: {passed} runs ok", flush=True)
    for end in range(0, 64, 9 if QUICK else 1):
        data = bytes([7]) * (64 + end) + bytes(x * 37 & 255 for x in range(64)) + bytes([9]) * 100
        check_all(data + bytes([3]) * max(0, 256 - len(data)))
        data = bytearray([5]) * 192
        data[64 + end] = 6
        check_all(bytes(data))
    print(f"runs ending at every offset: {passed} runs ok", flush=True)
    for length in [254, 255, 256, 257, 320, 509, 510, 511, 512, 513, 765, 766]:
        for at in [0, 1, 2, 31, 32, 62, 63]:
            check_all(bytes(x | 0x80 for x in range(at)) + bytes([0x11]) * length + b"\x12" + bytes([0x11]) * 64)
    print(f"long runs across blocks: {passed} runs ok", flush=True)
    alternating = bytearray()
    for block in range(6):
        alternating += bytes((x + 64 * block) & 255 for x in range(64)) if block % 2 == 0 else b"\xee" * 64
    check_all(bytes(alternating))
    check_all(bytes(alternating[64:]))
    check_all(bytes(range(256)))
    for edge in [0x00, 0xFF]:
        for other in [0x00, 0x01, 0xFE, 0xFF]:
            data = bytearray([other]) * 192
            for at in [0, 63, 64, 127, 128, 191]:
                data[at] = edge
            check_all(bytes(data))
            data = bytearray([edge]) * 192
            data[0] = data[191] = other
            check_all(bytes(data))
    print(f"full/empty blocks, 0x00/0xFF at block edges: {passed} runs ok", flush=True)
    for mean in [1, 2, 8, 64, 300]:
        for _ in range(8 if QUICK else 40):
            check_all(geometric(rng, rng.randrange(4096), mean))
    print(f"random geometric runs: {passed} runs ok", flush=True)
    decode_cases(rng)
    packbits_cases(rng)


if __name__ == "__main__":
    try:
        main()
        failed = 0
    except AssertionError as e:
        print(f"FAILED: {e}", flush=True)
        failed = 1
    print(f"avx512 in bochs: {passed} passed, {failed} failed", flush=True)
    sys.stdout.flush()
    # Skip interpreter teardown: nanobind reports bochscpu's leaked objects there.
    os._exit(failed)
