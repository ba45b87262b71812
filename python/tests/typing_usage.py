"""Not a test: code that mypy --strict checks against the stubs (.ci/python.sh).

Every public name is used as the README shows it, so a stub that is missing, wrong or too
loose (an Any leaking out) fails the type check.
"""

import array

import numpy as np
import numpy.typing as npt

import runlen
from runlen.numcodecs import RunLength


def roundtrip(image: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint8]:
    pairs: bytes = runlen.encode(image)
    restored = np.empty_like(image)
    written: int = runlen.decode_into(pairs, restored)
    assert written == image.nbytes == runlen.decoded_len(pairs)
    return restored


def into(data: bytes, out: bytearray) -> int:
    needed: int = runlen.encoded_len(data)
    assert needed <= runlen.max_encoded_len(len(data))
    try:
        return runlen.encode_into(data, out)
    except runlen.OutputTooSmall as e:
        return -e.needed


def stream(chunks: list[bytes]) -> bytes:
    encoder = runlen.Encoder()
    pairs = b"".join(encoder.encode(c) for c in chunks) + encoder.finish()
    decoder = runlen.Decoder()
    try:
        return decoder.decode(memoryview(pairs)) + decoder.finish()
    except runlen.ZeroCount as e:
        offset: int = e.offset
        raise ValueError(offset) from e
    except (runlen.TruncatedPair, runlen.Error):
        raise


def codec(words: "array.array[int]") -> bytes:
    codec = RunLength()
    encoded = codec.encode(words)
    assert isinstance(encoded, bytes)
    return encoded


name: str = runlen.backend() + runlen.__version__


def planes(labels: npt.NDArray[np.uint16], out: bytearray) -> bytes:
    pairs: bytes = runlen.encode(labels, elementsize=2)
    assert runlen.encoded_len(labels, elementsize=2) == len(pairs)
    assert runlen.decode_into(pairs, out, elementsize=2) == labels.nbytes
    assert runlen.encode_into(labels, out, elementsize=2) == len(pairs)
    return runlen.decode(pairs, elementsize=2)


def zarr3_codec() -> dict[str, object]:
    from runlen.zarr import RunLength as ZarrRunLength

    codec = ZarrRunLength(elementsize=2)
    width: int | None = codec.elementsize
    assert width == 2 and RunLength(elementsize=2).elementsize == 2
    return dict(codec.to_dict())


def packbits_calls(data: bytes, out: bytearray) -> bytes:
    from runlen import packbits

    packets: bytes = packbits.encode(data, elementsize=1)
    assert packbits.encoded_len(data) == len(packets) <= packbits.max_encoded_len(len(data))
    assert packbits.encode_into(data, out) == len(packets)
    assert packbits.decode_into(packets, out) == packbits.decoded_len(packets)
    encoder, decoder = packbits.Encoder(), packbits.Decoder()
    streamed: bytes = encoder.encode(data) + encoder.finish()
    try:
        return decoder.decode(streamed) + decoder.finish() + packbits.decode(packets)
    except runlen.TruncatedPacket as e:
        offset: int = e.offset
        raise ValueError(offset) from e


def packbits_codecs() -> tuple[dict[str, object], str]:
    from runlen.zarr import RunLength as ZarrRunLength

    codec = ZarrRunLength(elementsize=2, format="packbits")
    kind: str = codec.format
    assert RunLength(format="packbits").format == kind
    return dict(codec.to_dict()), kind
