"""The zarr v3 codec ``"runlen"``: run-length pairs or PackBits as a bytes-to-bytes codec.

zarr finds it through the ``zarr.codecs`` entry point, so an array written with it opens
anywhere runlen is installed, by its path alone. It needs zarr 3 (and numpy, which zarr
requires); ``import runlen`` does not import this module or zarr.

>>> import numpy as np, zarr
>>> from runlen.zarr import RunLength
>>> z = zarr.create_array({}, shape=(100, 100), chunks=(50, 50), dtype="uint16",
...                       compressors=RunLength())
>>> z.metadata.codecs[-1].to_dict()
{'name': 'runlen', 'configuration': {'elementsize': 2}}
>>> RunLength(elementsize=1, format="packbits").to_dict()
{'name': 'runlen', 'configuration': {'elementsize': 1, 'format': 'packbits'}}
"""

from __future__ import annotations

import asyncio
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from zarr.abc.codec import BytesBytesCodec
from zarr.core.common import JSON, parse_named_configuration

from ._formats import DEFAULT, FORMATS, parse_format

if TYPE_CHECKING:
    from typing import Any, Self

    from zarr.core.array_spec import ArraySpec
    from zarr.core.buffer import Buffer


def _item_size(dtype: Any) -> int | None:
    """The bytes of one element of a zarr data type; None for types without a fixed size
    (variable-length strings)."""
    size = getattr(dtype, "item_size", None)
    if isinstance(size, int) and size > 0:
        return size
    return None


def _parse_elementsize(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 255:
        raise ValueError(
            f"elementsize must be None or an int from 1 to 255 (the bytes of one element), "
            f"not {value!r}"
        )
    return value


@dataclass(frozen=True)
class RunLength(BytesBytesCodec):
    """Run-length encoding of a chunk's bytes into (value, count) pairs or PackBits, for
    zarr v3.

    Pairs (the default) suit masks, label images and segmentations: data with long runs
    of equal elements; data without runs (photographs, noise) doubles in size.
    ``format="packbits"`` (TIFF's scheme) suits mixed data: literal stretches cost one
    byte in 128. ``elementsize=k`` encodes the byte planes of ``k``-byte elements (byte 0 of
    every element, then byte 1, ...), so that ``uint16``/``uint32`` labels compress as well
    as ``uint8`` ones; ``None`` (the default) takes the array's item size when the array
    is created, so the stored metadata always holds a number:
    ``{"name": "runlen", "configuration": {"elementsize": 2}}`` for ``uint16``. The
    configuration has ``"format": "packbits"`` for PackBits, and no ``format`` for pairs
    (as before PackBits existed), which a configuration without one means.
    """

    is_fixed_size = False

    elementsize: int | None = None
    format: str = DEFAULT

    def __init__(self, *, elementsize: int | None = None, format: str = DEFAULT) -> None:
        object.__setattr__(self, "elementsize", _parse_elementsize(elementsize))
        object.__setattr__(self, "format", parse_format(format))

    @classmethod
    def from_dict(cls, data: dict[str, JSON]) -> Self:
        _, configuration = parse_named_configuration(data, "runlen", require_configuration=False)
        configuration = dict(configuration or {})
        elementsize = configuration.pop("elementsize", None)
        format = configuration.pop("format", DEFAULT)
        if configuration:
            raise ValueError(f"unknown runlen codec configuration: {sorted(configuration)}")
        return cls(elementsize=_parse_elementsize(elementsize), format=parse_format(format))

    def to_dict(self) -> dict[str, JSON]:
        configuration: dict[str, JSON] = {"elementsize": self.elementsize or 1}
        if self.format != DEFAULT:
            configuration["format"] = self.format
        return {"name": "runlen", "configuration": configuration}

    def evolve_from_array_spec(self, array_spec: ArraySpec) -> Self:
        if self.elementsize is not None:
            return self
        return type(self)(elementsize=_item_size(array_spec.dtype) or 1, format=self.format)

    def _encode_sync(self, chunk_bytes: Buffer, chunk_spec: ArraySpec) -> Buffer | None:
        data = chunk_bytes.as_numpy_array()
        encoded = FORMATS[self.format].encode(data, elementsize=self.elementsize or 1)
        return chunk_spec.prototype.buffer.from_bytes(encoded)

    def _decode_sync(self, chunk_bytes: Buffer, chunk_spec: ArraySpec) -> Buffer:
        data = chunk_bytes.as_numpy_array()
        decoded = FORMATS[self.format].decode(data, elementsize=self.elementsize or 1)
        item_size = _item_size(chunk_spec.dtype)
        if item_size is not None:
            expected = item_size * math.prod(chunk_spec.shape)
            if len(decoded) != expected:
                raise ValueError(
                    f"a runlen chunk decoded to {len(decoded)} bytes, but a chunk of shape "
                    f"{tuple(chunk_spec.shape)} and data type {chunk_spec.dtype} has "
                    f"{expected}: the chunk is corrupt"
                )
        return chunk_spec.prototype.buffer.from_bytes(decoded)

    # zarr awaits codecs on its event loop: the work goes to a thread, and the extension
    # releases the GIL while it encodes or decodes, so chunks run in parallel.
    async def _encode_single(self, chunk_bytes: Buffer, chunk_spec: ArraySpec) -> Buffer | None:
        return await asyncio.to_thread(self._encode_sync, chunk_bytes, chunk_spec)

    async def _decode_single(self, chunk_bytes: Buffer, chunk_spec: ArraySpec) -> Buffer:
        return await asyncio.to_thread(self._decode_sync, chunk_bytes, chunk_spec)

    def compute_encoded_size(self, input_byte_length: int, chunk_spec: ArraySpec) -> int:
        # The size depends on the data (pairs: between 2 bytes and twice the input).
        raise NotImplementedError


__all__ = ["RunLength"]
