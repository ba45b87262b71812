#!/usr/bin/env python3
"""Writes the committed seed corpora under fuzz/seeds/<target>/.

The seeds steer the fuzzers straight to the block-edge cases of the vector kernels: runs
ending at every offset of a 64-byte block (which covers 16- and 32-byte blocks too), runs
of 254..=257 and 510..=512 bytes straddling block boundaries, all-boundary and
no-boundary blocks, 0x00/0xFF at both ends. Deterministic: re-running it rewrites the same
files. Run from anywhere: python3 fuzz/gen_seeds.py
"""
import os
import shutil
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
SEEDS = os.path.join(HERE, "seeds")


def oracle(data):
    out = bytearray()
    i = 0
    while i < len(data):
        v, n = data[i], 1
        while i + n < len(data) and data[i + n] == v and n < 255:
            n += 1
        out += bytes([v, n])
        i += n
    return bytes(out)


def inputs():
    """(name, bytes) of plain inputs."""
    yield "empty", b""
    yield "one", b"\x2a"
    yield "ff-1", b"\xff"
    yield "ascii", b"aaaabbbcccd  hello,   wooorld!!\n" * 3
    # Runs ending at each offset of a 64-byte block, then a run filling past the next one.
    for end in range(0, 65):
        yield f"runend-{end:02}", bytes([7]) * end + bytes([9]) * (72 - end // 2)
    # Long runs straddling blocks: shifted by a prefix of distinct bytes.
    for run in (254, 255, 256, 257, 511):
        for shift in (0, 1, 31, 33, 63, 64):
            body = bytes(range(shift)) + b"\xaa" * run + b"\x01\x02\x03"
            yield f"long-{run}-{shift:02}", body
    # The 0xFF value in long runs, which the tutorial's sentinel would drop.
    yield "ff-256-shift-5", bytes(range(1, 6)) + b"\xff" * 256 + b"\x00"
    # Alternating all-boundary and no-boundary 64-byte blocks.
    alt = bytearray()
    for b in range(6):
        alt += bytes(range(64)) if b % 2 == 0 else bytes([b]) * 64
    yield "alternating-blocks", bytes(alt)
    # 0x00 and 0xFF at the first and last byte around a boundary-dense middle.
    for edge in (0x00, 0xFF):
        yield f"edges-{edge:02x}", bytes([edge]) + bytes((i * 37) & 0xFF for i in range(1, 130)) + bytes([edge])


def encode_differential_seeds():
    for name, data in inputs():
        yield name, b"\x00" + data  # no splits
    # Splits at block edges and inside long runs, with the empty-buffer probe (flag 8)
    # and a larger shortfall for the short-buffer checks.
    for name, data in inputs():
        if not name.startswith(("long-256", "runend-1", "alternating")):
            continue
        cuts = (63, 64, 255, 256)
        header = bytes([0x38 | len(cuts)]) + b"".join(struct.pack("<H", c) for c in cuts)
        yield name + "-split", header + data


def decode_seeds():
    seen = set()
    for name, data in inputs():
        enc = oracle(data)
        if enc not in seen:
            seen.add(enc)
            yield name, enc
    yield "odd", b"\x01\x02\x03"
    yield "zero-first", b"\x05\x00\x05\x01"
    yield "zero-later", b"\x05\x01\x06\xff\x07\x00\x08\x00"
    yield "zero-and-odd", b"\x05\x00\x05"
    yield "noncanonical", b"\x05\x01\x05\x02\x05\xff\x05\xff\x05\x03"
    yield "big", b"\x00\xff" * 64 + b"\xff\xff" * 64


def decode_differential_seeds():
    # No splits first (header: flags 0, sizes byte), then cuts inside blocks of 16/32/64
    # pairs and inside a pair.
    for name, enc in decode_seeds():
        yield name, b"\x00\x07" + enc
    for name, enc in decode_seeds():
        if not name.startswith(("long-256", "runend-1", "alternating", "zero", "big")):
            continue
        cuts = (1, 31, 64, 129)
        header = bytes([len(cuts)]) + b"".join(struct.pack("<H", c) for c in cuts) + b"\x2a"
        yield name + "-split", header + enc


TARGETS = {
    "encode_differential": encode_differential_seeds,
    "decode": decode_seeds,
    "decode_differential": decode_differential_seeds,
    "roundtrip": inputs,
}

total = 0
for target, gen in TARGETS.items():
    d = os.path.join(SEEDS, target)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    for name, data in gen():
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)
        total += len(data)
print(f"wrote seeds: {total} bytes")
