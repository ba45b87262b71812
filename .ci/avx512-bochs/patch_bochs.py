"""Makes bochscpu-python emulate a CPU with AVX-512 VBMI2.

bochscpu-python 0.4.0 picks its CPU model from a Rust-side enum of 28 names whose default,
index 27, is meant to be "tigerlake"; Bochs's C++ model list has two more entries before
it, so index 27 is really Cannon Lake, which has AVX-512 VBMI but not VBMI2 (vpcompressb
raises #UD). This widens the enum to 30 entries and selects index 29, Bochs's Tiger Lake
(AVX-512 F/BW/VL/VBMI/VBMI2). run.py checks CPUID leaf 7 in the guest before trusting any
result, so a wrong patch fails loudly rather than testing less.

Usage: patch_bochs.py PATH/_bochscpu*.so   (idempotent)
"""
import sys

# mov $6,%edx; mov $28,%r8d (enum size); mov $27,%r9d (default index)
ORIGINAL = bytes.fromhex("ba06000000" "41b81c000000" "41b91b000000")
PATCHED = bytes.fromhex("ba06000000" "41b81e000000" "41b91d000000")

path = sys.argv[1]
data = bytearray(open(path, "rb").read())
if data.count(PATCHED) == 1 and data.count(ORIGINAL) == 0:
    print(f"{path}: already patched")
    sys.exit(0)
if data.count(ORIGINAL) != 1:
    sys.exit(f"{path}: CPU model code not found exactly once; another bochscpu build?")
at = data.find(ORIGINAL)
data[at : at + len(ORIGINAL)] = PATCHED
open(path, "wb").write(bytes(data))
print(f"{path}: CPU model patched at {at:#x}")
