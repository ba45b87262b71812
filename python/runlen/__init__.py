"""Run-length encoding of bytes into (value, count) pairs, as fast as the hardware allows.

>>> import runlen
>>> runlen.encode(b"aaaabbbcc\\xff")
b'a\\x04b\\x03c\\x02\\xff\\x01'
>>> runlen.decode(b"a\\x04b\\x03")
b'aaaabbb'

Any C-contiguous buffer is accepted as input (bytes, bytearray, memoryview, array.array,
numpy arrays of any dtype, taken as their bytes); ``encode_into`` / ``decode_into`` write
into a caller's writable buffer; ``elementsize=k`` encodes the byte planes of k-byte
elements (uint16 labels: 2). PackBits, the TIFF scheme, which never grows data by more
than one byte in 128, has the same functions in runlen.packbits. Codecs: runlen.numcodecs
and runlen.zarr (zarr 3), for either format. See python/README.md.
"""

from . import packbits
from ._errors import Error, OutputTooSmall, TruncatedPacket, TruncatedPair, ZeroCount
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
    "TruncatedPacket",
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
    "packbits",
]
