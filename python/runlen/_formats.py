"""The formats the codecs take (``format="pairs"`` or ``"packbits"``) and their calls."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from . import _runlen


class Calls(NamedTuple):
    """The one-shot calls of one format (``elementsize`` as a keyword)."""

    encode: Callable[..., bytes]
    decode: Callable[..., bytes]
    decode_into: Callable[..., int]


FORMATS = {
    "pairs": Calls(_runlen.encode, _runlen.decode, _runlen.decode_into),
    "packbits": Calls(_runlen.packbits_encode, _runlen.packbits_decode,
                      _runlen.packbits_decode_into),
}

DEFAULT = "pairs"


def parse_format(value: object) -> str:
    """``value`` if it names a format, else ValueError."""
    if not isinstance(value, str) or value not in FORMATS:
        names = " or ".join(repr(name) for name in FORMATS)
        raise ValueError(f"format must be {names}, not {value!r}")
    return value
