"""The numcodecs codec ``"runlen"``, for zarr arrays and anything else that takes codecs.

numcodecs finds it through the ``numcodecs.codecs`` entry point, so
``numcodecs.get_codec({"id": "runlen"})`` works once runlen is installed. It needs numcodecs
(and numpy, which numcodecs requires); ``import runlen`` does not.
"""

from __future__ import annotations

import operator
from typing import Any

from numcodecs.abc import Codec  # type: ignore[import-untyped]
from numcodecs.compat import ensure_contiguous_ndarray  # type: ignore[import-untyped]

from . import _runlen
from ._formats import DEFAULT, FORMATS, parse_format


class RunLength(Codec):  # type: ignore[misc]
    """Run-length encoding of a chunk's bytes, into (value, count) pairs or PackBits.

    Pairs (the default) suit masks, labels and other images with long runs of equal
    elements, but random data doubles in size; ``format="packbits"`` (TIFF's scheme) suits
    mixed data and never grows it by more than one byte in 128. ``elementsize=k`` (1 to
    255) encodes the byte planes of k-byte elements: 2 for ``uint16`` labels, 4 for
    ``uint32``, and so on. Its config is ``{"id": "runlen", "elementsize": k}``, with
    ``"format": "packbits"`` for PackBits; a config without ``elementsize`` means 1, one
    without ``format`` pairs.
    """

    codec_id = "runlen"
    # The default as a class attribute: an instance sets its own only for another format,
    # so that numcodecs' get_config and repr (which list the instance's attributes) show
    # the format only then, and configs of pairs stay as they were before PackBits.
    format = DEFAULT

    def __init__(self, elementsize: int = 1, format: str = DEFAULT) -> None:
        if elementsize is None:
            raise ValueError("elementsize must be an int from 1 to 255, not None")
        _runlen.encoded_len(b"", elementsize=elementsize)  # ValueError unless 1..=255
        self.elementsize = operator.index(elementsize)
        if parse_format(format) != DEFAULT:
            self.format = format

    def encode(self, buf: Any) -> bytes:
        encode = FORMATS[self.format].encode
        return encode(ensure_contiguous_ndarray(buf), elementsize=self.elementsize)

    def decode(self, buf: Any, out: Any = None) -> Any:
        calls = FORMATS[self.format]
        data = ensure_contiguous_ndarray(buf)
        if out is None:
            return calls.decode(data, elementsize=self.elementsize)
        target = ensure_contiguous_ndarray(out)
        written = calls.decode_into(data, target, elementsize=self.elementsize)
        if written != target.nbytes:
            raise ValueError(
                f"decoded {written} bytes into an out of {target.nbytes} bytes: they must match"
            )
        return out
