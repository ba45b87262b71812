"""Independent references for runlen's output: the tutorial's loop and the spec (pairs and
PackBits), in Python.

Nothing here calls runlen.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Optional


def run_length_encode(input, output):  # noqa: A002 - the tutorial's names
    """The numba tutorial's kernel, line for line: the function it compiles with @njit
    (bench.py does), and plain Python here. It writes pairs into ``output`` (2 * len(input)
    long) and returns their length.

    255 is its "no run yet" sentinel, so it drops every 0xFF byte: only on inputs without
    0xFF is it the format runlen implements.
    """
    j = 0
    current = 255
    count = 0
    for i in range(len(input)):
        x = input[i]
        if x == current and count < 255:
            count += 1
        else:
            if current != 255:
                output[j] = current
                output[j + 1] = count
                j += 2
            current = x
            count = 1
    if current != 255:
        output[j] = current
        output[j + 1] = count
        j += 2
    return j


def tutorial_encode(data: bytes) -> bytes:
    """The tutorial's kernel on bytes, with an output of 2 * len(data)."""
    output = bytearray(2 * len(data))
    return bytes(output[:run_length_encode(data, output)])


def maximal_runs(data: bytes) -> Iterator[tuple[int, int]]:
    """(value, length) of each maximal run of equal bytes, in order."""
    i = 0
    while i < len(data):
        end = i
        while end < len(data) and data[end] == data[i]:
            end += 1
        yield data[i], end - i
        i = end


def spec_encode(data: bytes) -> bytes:
    """SPEC.md section 1: maximal runs, split greedily into counts of at most 255."""
    out = bytearray()
    for value, run in maximal_runs(data):
        while run > 0:
            count = min(run, 255)
            out += bytes((value, count))
            run -= count
    return bytes(out)


class SpecError(Exception):
    """What the spec says a decode must report: ``kind`` and, where it has one, ``value``."""

    def __init__(self, kind: str, value: Optional[int] = None) -> None:
        super().__init__(kind, value)
        self.kind = kind
        self.value = value


def spec_decoded_len(pairs: bytes) -> int:
    """Validates in the spec's precedence: odd length, then the first zero count."""
    if len(pairs) % 2:
        raise SpecError("TruncatedPair")
    for offset in range(0, len(pairs), 2):
        if pairs[offset + 1] == 0:
            raise SpecError("ZeroCount", offset)
    return sum(pairs[1::2])


def spec_decode(pairs: bytes, out_len: Optional[int] = None) -> bytes:
    """Each pair expands to ``count`` copies of ``value``; a short ``out`` comes last."""
    needed = spec_decoded_len(pairs)
    if out_len is not None and out_len < needed:
        raise SpecError("OutputTooSmall", needed)
    return b"".join(bytes((pairs[i],)) * pairs[i + 1] for i in range(0, len(pairs), 2))


def packbits_encode(data: bytes) -> bytes:
    """SPEC.md section 8: every maximal run of r >= 3 equal bytes becomes r // 128 run
    packets of 128, then one of the remainder if it is at least 2; a remainder of 1 and runs
    shorter than 3 are literal data, cut greedily into packets of 128 between the runs."""
    out = bytearray()
    literal = bytearray()

    def flush_literal() -> None:
        for start in range(0, len(literal), 128):
            piece = literal[start:start + 128]
            out.append(len(piece) - 1)
            out.extend(piece)
        literal.clear()

    def run_packet(value: int, count: int) -> None:
        flush_literal()
        out.extend((257 - count, value))

    for value, run in maximal_runs(data):
        if run >= 3:
            full, rest = divmod(run, 128)
            for _ in range(full):
                run_packet(value, 128)
            if rest >= 2:
                run_packet(value, rest)
            elif rest == 1:
                literal.append(value)
        else:
            literal.extend(bytes((value,)) * run)
    flush_literal()
    return bytes(out)


def packbits_unpack(packets: bytes) -> bytes:
    """Any PackBits: header h < 128, h + 1 literal bytes; h > 128, the next byte 257 - h
    times; 128, nothing. A packet cut off by the end: TruncatedPacket at its header."""
    out = bytearray()
    i = 0
    while i < len(packets):
        header = packets[i]
        if header < 128:
            if i + 1 + header + 1 > len(packets):
                raise SpecError("TruncatedPacket", i)
            out.extend(packets[i + 1:i + 2 + header])
            i += 2 + header
        elif header > 128:
            if i + 1 >= len(packets):
                raise SpecError("TruncatedPacket", i)
            out.extend(bytes((packets[i + 1],)) * (257 - header))
            i += 2
        else:
            i += 1
    return bytes(out)


def packbits_decode(packets: bytes, out_len: Optional[int] = None) -> bytes:
    """As ``spec_decode`` for PackBits: a truncated packet before a short ``out``."""
    data = packbits_unpack(packets)
    if out_len is not None and out_len < len(data):
        raise SpecError("OutputTooSmall", len(data))
    return data
