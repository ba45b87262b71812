"""librunlen.so from Python through ctypes (standard library only).

runlen_encode is checked against the numba tutorial's run_length_encode, transcribed in
pure Python, on inputs without 0xFF (where the spec promises identical bytes), and against a
pure-Python encoder written from the spec on inputs with 0xFF (which the tutorial drops);
both references are the Python package's (python/tests/reference.py, which calls nothing
of runlen's).
Decoding is checked by round trips and by every error code.

Run: python3 capi/tests/test_python.py   (RUNLEN_LIB overrides the library's path)
"""

import ctypes
import os
import random
import sys
import unittest
from ctypes import POINTER, byref, c_char_p, c_int, c_size_t, c_void_p

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "python", "tests"))
from reference import spec_encode, tutorial_encode  # noqa: E402
LIB_PATH = os.environ.get("RUNLEN_LIB", os.path.join(ROOT, "target", "release", "librunlen.so"))

lib = ctypes.CDLL(LIB_PATH)
lib.runlen_max_encoded_len.argtypes = [c_size_t]
lib.runlen_max_encoded_len.restype = c_size_t
lib.runlen_encoded_len.argtypes = [c_char_p, c_size_t]
lib.runlen_encoded_len.restype = c_size_t
lib.runlen_encode.argtypes = [c_void_p, c_size_t, c_char_p, c_size_t, POINTER(c_size_t)]
lib.runlen_encode.restype = c_int
lib.runlen_encode_unchecked.argtypes = [c_void_p, c_char_p, c_size_t]
lib.runlen_encode_unchecked.restype = c_size_t
lib.runlen_decoded_len.argtypes = [c_char_p, c_size_t, POINTER(c_size_t)]
lib.runlen_decoded_len.restype = c_int
lib.runlen_decode.argtypes = [c_void_p, c_size_t, c_char_p, c_size_t, POINTER(c_size_t)]
lib.runlen_decode.restype = c_int
lib.runlen_backend.argtypes = []
lib.runlen_backend.restype = c_char_p
lib.runlen_strerror.argtypes = [c_int]
lib.runlen_strerror.restype = c_char_p

OK, TOO_SMALL, TRUNCATED, ZERO_COUNT, NULL_POINTER, OVERFLOW = 0, -1, -2, -3, -4, -5
SIZE_MAX = 2 ** (8 * ctypes.sizeof(c_size_t)) - 1


def encode(data, out_len=None):
    """(code, written, output bytes) of runlen_encode with an out buffer of out_len bytes."""
    if out_len is None:
        out_len = 2 * len(data)
    out = ctypes.create_string_buffer(out_len)
    written = c_size_t(12345)
    code = lib.runlen_encode(out, out_len, data, len(data), byref(written))
    return code, written.value, out.raw[: min(written.value, out_len)]


def decode(encoded, out_len):
    out = ctypes.create_string_buffer(out_len)
    written = c_size_t(12345)
    code = lib.runlen_decode(out, out_len, encoded, len(encoded), byref(written))
    return code, written.value, out.raw[: min(written.value, out_len)]


def random_runs(rng, n, values):
    data = bytearray()
    while len(data) < n:
        data += bytes([rng.choice(values)]) * min(rng.choice((1, 1, 2, 7, 300)), n - len(data))
    return bytes(data)


class EncodeTest(unittest.TestCase):
    def test_matches_tutorial_without_ff(self):
        rng = random.Random(1)
        for _ in range(300):
            values = rng.sample(range(255), rng.choice((1, 2, 5, 255)))
            data = random_runs(rng, rng.randrange(2000), values)
            want = tutorial_encode(data)
            self.assertEqual(encode(data), (OK, len(want), want))
            self.assertEqual(lib.runlen_encoded_len(data, len(data)), len(want))

    def test_matches_spec_with_ff(self):
        rng = random.Random(2)
        for _ in range(300):
            values = [0xFF] + rng.sample(range(255), rng.choice((1, 2, 5)))
            data = random_runs(rng, rng.randrange(2000), values)
            want = spec_encode(data)
            self.assertEqual(encode(data), (OK, len(want), want))
            # Exactly sized buffer; one byte short reports the exact length needed.
            self.assertEqual(encode(data, len(want)), (OK, len(want), want))
            if want:
                self.assertEqual(encode(data, len(want) - 1)[:2], (TOO_SMALL, len(want)))

    def test_ff_differs_from_tutorial(self):
        # The tutorial drops 0xFF and splits the run around it; the spec keeps it.
        self.assertEqual(tutorial_encode(bytes([5, 0xFF, 5])), bytes([5, 1, 5, 1]))
        self.assertEqual(encode(bytes([5, 0xFF, 5]))[2], bytes([5, 1, 0xFF, 1, 5, 1]))
        self.assertEqual(encode(b"\xff" * 256)[2], bytes([0xFF, 255, 0xFF, 1]))

    def test_unchecked(self):
        rng = random.Random(3)
        for _ in range(100):
            data = random_runs(rng, rng.randrange(3000), list(range(256)))
            out = ctypes.create_string_buffer(lib.runlen_max_encoded_len(len(data)))
            n = lib.runlen_encode_unchecked(out, data, len(data))
            self.assertEqual(out.raw[:n], spec_encode(data))

    def test_lengths(self):
        self.assertEqual(lib.runlen_max_encoded_len(0), 0)
        self.assertEqual(lib.runlen_max_encoded_len(10), 20)
        self.assertEqual(lib.runlen_max_encoded_len(SIZE_MAX), SIZE_MAX)
        self.assertEqual(lib.runlen_max_encoded_len(SIZE_MAX // 2 + 1), SIZE_MAX)
        self.assertEqual(lib.runlen_encoded_len(None, 0), 0)
        self.assertEqual(lib.runlen_encoded_len(None, 5), 0)


class DecodeTest(unittest.TestCase):
    def test_round_trip(self):
        rng = random.Random(4)
        for _ in range(300):
            data = random_runs(rng, rng.randrange(2000), list(range(256)))
            enc = spec_encode(data)
            n = c_size_t(7)
            self.assertEqual(lib.runlen_decoded_len(enc, len(enc), byref(n)), OK)
            self.assertEqual(n.value, len(data))
            self.assertEqual(decode(enc, len(data)), (OK, len(data), data))
            if data:
                self.assertEqual(decode(enc, len(data) - 1)[:2], (TOO_SMALL, len(data)))

    def test_errors_and_precedence(self):
        n = c_size_t(7)
        self.assertEqual(lib.runlen_decoded_len(b"\x01\x00\x02", 3, byref(n)), TRUNCATED)
        self.assertEqual(n.value, 0)
        self.assertEqual(decode(b"\x01\x00\x02", 0)[:2], (TRUNCATED, 0))
        self.assertEqual(lib.runlen_decoded_len(b"\x01\x03\x02\x00\x03\x00", 6, byref(n)), ZERO_COUNT)
        self.assertEqual(n.value, 2)
        self.assertEqual(decode(b"\x09\x09\x01\x03\x02\x00", 1)[:2], (ZERO_COUNT, 4))
        self.assertEqual(decode(b"\x07\x01\x07\x02", 3), (OK, 3, b"\x07\x07\x07"))

    def test_null(self):
        n = c_size_t(7)
        self.assertEqual(lib.runlen_encode(None, 0, None, 0, byref(n)), OK)
        self.assertEqual(n.value, 0)
        self.assertEqual(lib.runlen_encode(None, 0, b"aab", 3, byref(n)), TOO_SMALL)
        self.assertEqual(n.value, 4)
        self.assertEqual(lib.runlen_encode(None, 4, b"ab", 2, byref(n)), NULL_POINTER)
        self.assertEqual(n.value, 0)
        buf = ctypes.create_string_buffer(4)
        self.assertEqual(lib.runlen_encode(buf, 4, None, 2, byref(n)), NULL_POINTER)
        self.assertEqual(lib.runlen_encode(buf, 4, b"ab", 2, None), NULL_POINTER)
        self.assertEqual(lib.runlen_decode(None, 4, b"a\x01", 2, byref(n)), NULL_POINTER)
        self.assertEqual(lib.runlen_decode(buf, 4, b"a\x01", 2, None), NULL_POINTER)
        self.assertEqual(lib.runlen_decoded_len(None, 2, byref(n)), NULL_POINTER)
        self.assertEqual(lib.runlen_decoded_len(b"a\x01", 2, None), NULL_POINTER)
        n.value = 7
        self.assertEqual(lib.runlen_decoded_len(b"a\x01", SIZE_MAX, byref(n)), OVERFLOW)
        self.assertEqual(n.value, 0)


class StringsTest(unittest.TestCase):
    def test_strerror_and_backend(self):
        texts = [lib.runlen_strerror(c) for c in range(-6, 1)]
        self.assertEqual(len(set(texts)), 7)
        unknown = lib.runlen_strerror(1)
        self.assertNotIn(unknown, texts)
        for c in (-7, 2, 2**31 - 1, -(2**31)):
            self.assertEqual(lib.runlen_strerror(c), unknown)
        self.assertIn(lib.runlen_backend(), (b"scalar", b"sse2", b"avx2", b"avx512", b"neon"))


if __name__ == "__main__":
    unittest.main(verbosity=1)
