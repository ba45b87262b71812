"""Run-length encoding of bytes into (value, count) pairs, as fast as the hardware allows.

>>> import runlen
>>> runlen.encode(b"aaaabbbcc\\xff")
b'a\\x04b\\x03c\\x02\\xff\\x01'
>>> runlen.decode(b"a\\x04b\\x03")
b'aaaabbb'

Any C-contiguous buffer is accepted as input (bytes, bytearray, memoryview, array.array,
numpy arrays of any dtype, taken as their bytes); ``encode_into`` / ``decode_into`` write
into a caller's writable buffer; ``elementsize=k`` encodes the byte planes of k-byte
elements (uint16 labels: 2). Codecs: runlen.numcodecs and runlen.zarr (zarr 3). See
python/README.md.
"""

from ._errors import Error, OutputTooSmall, TruncatedPair, ZeroCount
from ._runlen import (
    Decoder,
    Encoder,
    __version__,
    backend,
    decode,
    decode_into,
    decoded_len,
    encode,
    encode_into,
    encoded_len,
    max_encoded_len,
)

__all__ = [
    "Decoder",
    "Encoder",
    "Error",
    "OutputTooSmall",
    "TruncatedPair",
    "ZeroCount",
    "__version__",
    "backend",
    "decode",
    "decode_into",
    "decoded_len",
    "encode",
    "encode_into",
    "encoded_len",
    "max_encoded_len",
]
