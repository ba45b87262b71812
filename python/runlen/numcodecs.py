"""The numcodecs codec ``"runlen"``, for zarr arrays and anything else that takes codecs.

numcodecs finds it through the ``numcodecs.codecs`` entry point, so
``numcodecs.get_codec({"id": "runlen"})`` works once runlen is installed. It needs numcodecs
(and numpy, which numcodecs requires); ``import runlen`` does not.
"""

from __future__ import annotations

from typing import Any

from numcodecs.abc import Codec  # type: ignore[import-untyped]
from numcodecs.compat import ensure_contiguous_ndarray  # type: ignore[import-untyped]

from . import _runlen


class RunLength(Codec):  # type: ignore[misc]
    """Run-length encoding of a chunk's bytes into (value, count) pairs (no parameters).

    Good for masks, labels and other images with long runs of equal bytes; random data
    doubles in size.
    """

    codec_id = "runlen"

    def encode(self, buf: Any) -> bytes:
        return _runlen.encode(ensure_contiguous_ndarray(buf))

    def decode(self, buf: Any, out: Any = None) -> Any:
        data = ensure_contiguous_ndarray(buf)
        if out is None:
            return _runlen.decode(data)
        target = ensure_contiguous_ndarray(out)
        written = _runlen.decode_into(data, target)
        if written != target.nbytes:
            raise ValueError(
                f"decoded {written} bytes into an out of {target.nbytes} bytes: they must match"
            )
        return out
