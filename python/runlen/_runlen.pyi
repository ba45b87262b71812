# Types of the extension module; the package re-exports every name: runlen/__init__.py the
# pairs' ones, runlen/packbits.py the PackBits ones without their prefix.
from typing import Any, Protocol, final

from typing_extensions import Buffer, TypeAlias

class _NumpyArray(Protocol):
    # numpy arrays are buffers, but numpy's stubs declare __buffer__ only for Python 3.12+.
    @property
    def __array_interface__(self) -> dict[str, Any]: ...

_Buffer: TypeAlias = Buffer | _NumpyArray

__version__: str
_RELEASE_GIL_AT: int

def encode(data: _Buffer, *, elementsize: int = 1) -> bytes:
    """The pairs of ``data``, any C-contiguous buffer, taken as its bytes; with
    ``elementsize=k``, of its byte planes (byte 0 of every k-byte element, then byte 1...)."""

def decode(data: _Buffer, *, elementsize: int = 1) -> bytes:
    """The bytes the pairs in ``data`` stand for; with ``elementsize=k``, byte planes
    joined back into k-byte elements."""

def encode_into(data: _Buffer, out: _Buffer, *, elementsize: int = 1) -> int:
    """Encode into the writable buffer ``out``; return the number of bytes written."""

def decode_into(data: _Buffer, out: _Buffer, *, elementsize: int = 1) -> int:
    """Decode into the writable buffer ``out``; return the number of bytes written."""

def encoded_len(data: _Buffer, *, elementsize: int = 1) -> int:
    """The exact length of ``encode(data, elementsize=...)``, computed without writing."""

def decoded_len(data: _Buffer) -> int:
    """The length of ``decode(data)``; validates the pairs."""

def max_encoded_len(n: int) -> int:
    """``2 * n``: the most that encoding ``n`` bytes can take."""

def backend() -> str:
    """The kernel this CPU runs: "avx512", "avx2", "sse2", "neon" or "scalar"."""

@final
class Encoder:
    """Encodes a stream chunk by chunk; any split gives the bytes of ``encode(whole)``."""

    def __init__(self) -> None: ...
    def encode(self, chunk: _Buffer) -> bytes:
        """The pairs completed by ``chunk``; the run still open at its end is held back."""

    def finish(self) -> bytes:
        """The open run's pairs (at most 2 bytes); the encoder then starts a new stream."""

@final
class Decoder:
    """Decodes a stream chunk by chunk; any split gives the bytes of ``decode(whole)``."""

    def __init__(self) -> None: ...
    def decode(self, chunk: _Buffer) -> bytes:
        """Every byte the pairs so far stand for; a pair cut at the chunk's end is held."""

    def finish(self) -> bytes:
        """Ends the stream (b"" after a complete encoding); raises TruncatedPair if a pair
        was cut, and the decoder then starts a new stream."""

# PackBits (SPEC.md section 8): runlen.packbits.encode, ...

def packbits_encode(data: _Buffer, *, elementsize: int = 1) -> bytes:
    """The PackBits packets of ``data``, any C-contiguous buffer, taken as its bytes; with
    ``elementsize=k``, of its byte planes. At most ``n + ceil(n / 128)`` bytes."""

def packbits_decode(data: _Buffer, *, elementsize: int = 1) -> bytes:
    """The bytes the PackBits packets in ``data`` stand for (any PackBits: no-op headers,
    any packet split); with ``elementsize=k``, byte planes joined back into elements."""

def packbits_encode_into(data: _Buffer, out: _Buffer, *, elementsize: int = 1) -> int:
    """Encode into the writable buffer ``out``; return the number of bytes written."""

def packbits_decode_into(data: _Buffer, out: _Buffer, *, elementsize: int = 1) -> int:
    """Decode into the writable buffer ``out``; return the number of bytes written."""

def packbits_encoded_len(data: _Buffer, *, elementsize: int = 1) -> int:
    """The exact length of ``encode(data, elementsize=...)``, computed without writing."""

def packbits_decoded_len(data: _Buffer) -> int:
    """The length of ``decode(data)``; validates the packets."""

def packbits_max_encoded_len(n: int) -> int:
    """``n + ceil(n / 128)``: the most that encoding ``n`` bytes can take."""

@final
class PackBitsEncoder:
    """Encodes a stream chunk by chunk; any split gives the bytes of ``encode(whole)``."""

    def __init__(self) -> None: ...
    def encode(self, chunk: _Buffer) -> bytes:
        """The packets completed by ``chunk``; input whose packets depend on what follows
        (up to 130 bytes) is held back."""

    def finish(self) -> bytes:
        """The packets of what is held (at most 132 bytes); the encoder then starts a new
        stream."""

@final
class PackBitsDecoder:
    """Decodes a stream chunk by chunk; any split gives the bytes of ``decode(whole)``."""

    def __init__(self) -> None: ...
    def decode(self, chunk: _Buffer) -> bytes:
        """Every byte the packets so far stand for; a packet cut at the chunk's end gives
        what it has."""

    def finish(self) -> bytes:
        """Ends the stream (b"" after a complete encoding) and begins a new one; raises
        TruncatedPacket if a packet was cut, and the decoder is then unchanged."""
