"""PackBits, the run-length scheme of TIFF (compression 32773), Photoshop, ICNS and MacPaint.

>>> from runlen import packbits
>>> packbits.encode(b"abcddddddddeeef")
b'\\x02abc\\xf9d\\xfee\\x00f'
>>> packbits.decode(b"\\x01ab\\xfdc")
b'abcccc'

The same functions as the pairs (``runlen.encode``, ...), with the same buffers, errors,
``elementsize`` and GIL release; a packet cut off by the end of the data is
``runlen.TruncatedPacket`` (``.offset`` of its header). Data without runs is stored as
literal packets: ``n`` bytes never take more than ``n + ceil(n / 128)``. Decoding accepts any
PackBits (any packet split, the no-op header 128); encoding writes one canonical form
(SPEC.md section 8).
"""

from ._errors import TruncatedPacket
from ._runlen import PackBitsDecoder as Decoder
from ._runlen import PackBitsEncoder as Encoder
from ._runlen import packbits_decode as decode
from ._runlen import packbits_decode_into as decode_into
from ._runlen import packbits_decoded_len as decoded_len
from ._runlen import packbits_encode as encode
from ._runlen import packbits_encode_into as encode_into
from ._runlen import packbits_encoded_len as encoded_len
from ._runlen import packbits_max_encoded_len as max_encoded_len

__all__ = ["Decoder", "Encoder", "TruncatedPacket", "decode", "decode_into", "decoded_len",
           "encode", "encode_into", "encoded_len", "max_encoded_len"]
