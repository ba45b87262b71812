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


class RunLength(Codec):  # type: ignore[misc]
    """Run-length encoding of a chunk's bytes into (value, count) pairs.

    Good for masks, labels and other images with long runs of equal elements; random data
    doubles in size. ``elementsize=k`` (1 to 255) encodes the byte planes of k-byte
    elements: 2 for ``uint16`` labels, 4 for ``uint32``, and so on. Its config is
    ``{"id": "runlen", "elementsize": k}``; a config without ``elementsize`` means 1.
    """

    codec_id = "runlen"

    def __init__(self, elementsize: int = 1) -> None:
        if elementsize is None:
            raise ValueError("elementsize must be an int from 1 to 255, not None")
        _runlen.encoded_len(b"", elementsize=elementsize)  # ValueError unless 1..=255
        self.elementsize = operator.index(elementsize)

    def encode(self, buf: Any) -> bytes:
        return _runlen.encode(ensure_contiguous_ndarray(buf), elementsize=self.elementsize)

    def decode(self, buf: Any, out: Any = None) -> Any:
        data = ensure_contiguous_ndarray(buf)
        if out is None:
            return _runlen.decode(data, elementsize=self.elementsize)
        target = ensure_contiguous_ndarray(out)
        written = _runlen.decode_into(data, target, elementsize=self.elementsize)
        if written != target.nbytes:
            raise ValueError(
                f"decoded {written} bytes into an out of {target.nbytes} bytes: they must match"
            )
        return out
