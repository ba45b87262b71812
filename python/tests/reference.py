"""Independent references for runlen's output: the tutorial's loop and the spec, in Python.

Nothing here calls runlen.
"""

from __future__ import annotations

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


def spec_encode(data: bytes) -> bytes:
    """SPEC.md section 1: maximal runs, split greedily into counts of at most 255."""
    out = bytearray()
    i = 0
    while i < len(data):
        value = data[i]
        end = i
        while end < len(data) and data[end] == value:
            end += 1
        run = end - i
        while run > 0:
            count = min(run, 255)
            out += bytes((value, count))
            run -= count
        i = end
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
