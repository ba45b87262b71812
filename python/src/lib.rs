//! The extension module `runlen._runlen`: runlen for Python (SPEC.md section 6).
//!
//! Inputs are borrowed through the buffer protocol and outputs are written in place, either
//! into a new `bytes` object or into the caller's writable buffer: no copy either way. Large
//! calls run with the GIL released. The package `runlen` (runlen/__init__.py) re-exports
//! everything here; its exception classes live in runlen/_errors.py.
#![deny(unsafe_op_in_unsafe_fn, clippy::undocumented_unsafe_blocks)]

mod buffers;
mod errors;
mod shuffle;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes};

use buffers::{FreshBytes, Input, LazyZeroed, Output, read_and_write};
use errors::format_error;

/// Calls whose input or output is at least this long release the GIL. Releasing and
/// retaking it costs about 100 ns uncontended (`encode_into` of 8191 vs 8192 random bytes:
/// 442 vs 544 ns with AVX-512), a fifth of the work here and less above; below it, a call
/// is over before another thread would get far.
const RELEASE_GIL_AT: usize = 8 * 1024;

/// Runs `work` with the GIL released when `size` makes it worth it.
fn run<T, F>(py: Python<'_>, size: usize, work: F) -> T
where
    F: pyo3::marker::Ungil + FnOnce() -> T,
    T: pyo3::marker::Ungil,
{
    if size >= RELEASE_GIL_AT {
        py.detach(work)
    } else {
        work()
    }
}

/// The `elementsize` keyword (SPEC.md section 7): an int in `1..=255`, else `ValueError`
/// (a non-int and a bool included, so that every wrong value fails the same way).
fn element_size(value: Option<&Bound<'_, PyAny>>) -> PyResult<usize> {
    let Some(value) = value else {
        return Ok(1);
    };
    let bad = || {
        let shown = value
            .repr()
            .map(|r| r.to_string())
            .unwrap_or_else(|_| "?".into());
        PyValueError::new_err(format!(
            "elementsize must be an int from 1 to 255 (the bytes of one element), not {shown}"
        ))
    };
    if value.is_instance_of::<PyBool>() {
        return Err(bad());
    }
    let Ok(index) = value.call_method0("__index__") else {
        return Err(bad());
    };
    match index.extract::<i64>() {
        Ok(k @ 1..=255) => Ok(k as usize),
        _ => Err(bad()),
    }
}

/// `ValueError` unless `len` is a whole number of elements of `k` bytes.
fn check_whole(len: usize, k: usize, what: &str) -> PyResult<()> {
    if len.is_multiple_of(k) {
        return Ok(());
    }
    Err(PyValueError::new_err(format!(
        "{what} is {len} bytes, not a multiple of elementsize {k}"
    )))
}

/// `src` as byte planes of `k`-byte elements: itself for `k == 1`, else a shuffled copy.
fn planes(src: &[u8], k: usize) -> std::borrow::Cow<'_, [u8]> {
    if k == 1 {
        std::borrow::Cow::Borrowed(src)
    } else {
        std::borrow::Cow::Owned(shuffle::shuffled(src, k))
    }
}

/// encode(data, *, elementsize=1) -> bytes: the pairs of `data`, any C-contiguous buffer,
/// taken as bytes (as byte planes of `elementsize`-byte elements).
#[pyfunction]
#[pyo3(signature = (data, *, elementsize = None))]
fn encode<'py>(
    py: Python<'py>,
    data: &Bound<'py, PyAny>,
    elementsize: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyBytes>> {
    let k = element_size(elementsize)?;
    let input = Input::get(data, "data")?;
    let src = input.bytes();
    check_whole(src.len(), k, "data")?;
    let mut out = FreshBytes::new(py, runlen::max_encoded_len(src.len()))?;
    let dst = out.uninit_mut();
    let mut encoder = runlen::Encoder::new();
    let written = run(py, src.len(), || {
        encode_windows(&mut encoder, dst, &planes(src, k), true)
    })
    .map_err(|e| format_error(py, e))?;
    out.finish(written)
}

/// Input bytes per window of [`encode_windows`]: its pairs (at most twice as many bytes)
/// stay in L2 between being zeroed and being written.
const WINDOW: usize = 64 * 1024;

/// Encodes `src` into `dst` (at least `max_encoded_len(src.len())` bytes) a window at a
/// time, then, if `finish`, the open run; returns the bytes written, all initialized.
fn encode_windows(
    encoder: &mut runlen::Encoder,
    dst: &mut [core::mem::MaybeUninit<u8>],
    src: &[u8],
    finish: bool,
) -> Result<usize, runlen::Error> {
    let mut out = LazyZeroed::new(dst);
    let mut written = 0;
    for chunk in src.chunks(WINDOW) {
        let room = out.window(written, runlen::max_encoded_len(chunk.len()));
        written += encoder.encode_chunk(room, chunk)?;
    }
    if finish {
        written += encoder.finish(out.window(written, 2))?;
    }
    Ok(written)
}

/// decode(data, *, elementsize=1) -> bytes: the bytes the pairs in `data` stand for (byte
/// planes of `elementsize`-byte elements, joined back into elements).
#[pyfunction]
#[pyo3(signature = (data, *, elementsize = None))]
fn decode<'py>(
    py: Python<'py>,
    data: &Bound<'py, PyAny>,
    elementsize: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyBytes>> {
    let k = element_size(elementsize)?;
    let input = Input::get(data, "data")?;
    let src = input.bytes();
    let len = run(py, src.len(), || runlen::decoded_len(src)).map_err(|e| format_error(py, e))?;
    check_whole(len, k, "the decoded data")?;
    let mut out = FreshBytes::new(py, len)?;
    if k == 1 {
        let dst = out.bytes_mut();
        let written = run(py, len.max(src.len()), || runlen::decode(dst, src))
            .map_err(|e| format_error(py, e))?;
        return out.finish(written);
    }
    // The planes into a scratch, then joined into the new bytes, which they initialize.
    let dst = out.uninit_mut();
    run(py, len.max(src.len()), || -> Result<(), runlen::Error> {
        let mut scratch = vec![0u8; len];
        let written = runlen::decode(&mut scratch, src)?;
        debug_assert_eq!(written, len);
        shuffle::unshuffle(&scratch, dst, k);
        Ok(())
    })
    .map_err(|e| format_error(py, e))?;
    out.finish(len)
}

/// encode_into(data, out, *, elementsize=1) -> int: encodes into the writable buffer
/// `out`, returns the length.
#[pyfunction]
#[pyo3(signature = (data, out, *, elementsize = None))]
fn encode_into(
    data: &Bound<'_, PyAny>,
    out: &Bound<'_, PyAny>,
    elementsize: Option<&Bound<'_, PyAny>>,
) -> PyResult<usize> {
    let py = data.py();
    let k = element_size(elementsize)?;
    let input = Input::get(data, "data")?;
    let mut output = Output::get(out)?;
    let (src, dst) = read_and_write(&input, &mut output)?;
    check_whole(src.len(), k, "data")?;
    run(py, src.len(), || runlen::try_encode(dst, &planes(src, k))).map_err(|e| format_error(py, e))
}

/// decode_into(data, out, *, elementsize=1) -> int: decodes into the writable buffer
/// `out`, returns the length.
#[pyfunction]
#[pyo3(signature = (data, out, *, elementsize = None))]
fn decode_into(
    data: &Bound<'_, PyAny>,
    out: &Bound<'_, PyAny>,
    elementsize: Option<&Bound<'_, PyAny>>,
) -> PyResult<usize> {
    let py = data.py();
    let k = element_size(elementsize)?;
    let input = Input::get(data, "data")?;
    let mut output = Output::get(out)?;
    let (src, dst) = read_and_write(&input, &mut output)?;
    let size = src.len().max(dst.len());
    if k == 1 {
        return run(py, size, || runlen::decode(dst, src)).map_err(|e| format_error(py, e));
    }
    // Errors in the order of `decode`: bad pairs, then the length, then a short `out`.
    let len = run(py, src.len(), || runlen::decoded_len(src)).map_err(|e| format_error(py, e))?;
    check_whole(len, k, "the decoded data")?;
    let Some(dst) = dst.get_mut(..len) else {
        return Err(format_error(
            py,
            runlen::Error::OutputTooSmall { needed: len },
        ));
    };
    run(py, size, || -> Result<usize, runlen::Error> {
        let mut scratch = vec![0u8; len];
        let written = runlen::decode(&mut scratch, src)?;
        // SAFETY: a `&mut [u8]` viewed as `MaybeUninit<u8>`s (same layout) that
        // `unshuffle` only ever writes initialized bytes into.
        let dst = unsafe { &mut *(dst as *mut [u8] as *mut [core::mem::MaybeUninit<u8>]) };
        shuffle::unshuffle(&scratch, dst, k);
        Ok(written)
    })
    .map_err(|e| format_error(py, e))
}

/// encoded_len(data, *, elementsize=1) -> int: the exact length `encode(data,
/// elementsize=...)` returns, writing nothing.
#[pyfunction]
#[pyo3(signature = (data, *, elementsize = None))]
fn encoded_len(data: &Bound<'_, PyAny>, elementsize: Option<&Bound<'_, PyAny>>) -> PyResult<usize> {
    let k = element_size(elementsize)?;
    let input = Input::get(data, "data")?;
    let src = input.bytes();
    check_whole(src.len(), k, "data")?;
    Ok(run(data.py(), src.len(), || {
        runlen::encoded_len(&planes(src, k))
    }))
}

/// decoded_len(data) -> int: the length `decode(data)` returns; validates the pairs.
#[pyfunction]
fn decoded_len(data: &Bound<'_, PyAny>) -> PyResult<usize> {
    let input = Input::get(data, "data")?;
    let src = input.bytes();
    let py = data.py();
    run(py, src.len(), || runlen::decoded_len(src)).map_err(|e| format_error(py, e))
}

/// max_encoded_len(n) -> int: 2 * n, the most that encoding n bytes can take.
#[pyfunction]
fn max_encoded_len(n: usize) -> usize {
    runlen::max_encoded_len(n)
}

/// backend() -> str: the kernel this CPU runs ("avx2", "sse2", ...).
#[pyfunction]
fn backend() -> &'static str {
    runlen::Backend::best().name()
}

/// Encodes a stream chunk by chunk; any split gives the bytes of `encode(whole)`.
#[pyclass(module = "runlen", name = "Encoder")]
#[derive(Default)]
struct Encoder {
    inner: runlen::Encoder,
}

#[pymethods]
impl Encoder {
    #[new]
    fn new() -> Self {
        Self::default()
    }

    /// The pairs completed by `chunk`; the run still open at its end is held back.
    fn encode<'py>(
        &mut self,
        py: Python<'py>,
        chunk: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let input = Input::get(chunk, "chunk")?;
        let src = input.bytes();
        let mut out = FreshBytes::new(py, runlen::max_encoded_len(src.len()))?;
        let dst = out.uninit_mut();
        let inner = &mut self.inner;
        let written = run(py, src.len(), || encode_windows(inner, dst, src, false))
            .map_err(|e| format_error(py, e))?;
        out.finish(written)
    }

    /// The open run's pairs (at most 2 bytes); the encoder then starts a new stream.
    fn finish<'py>(&mut self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let mut last = [0u8; 2];
        let written = self
            .inner
            .finish(&mut last)
            .map_err(|e| format_error(py, e))?;
        Ok(PyBytes::new(py, &last[..written]))
    }
}

/// Decodes a stream chunk by chunk; any split gives the bytes of `decode(whole)`.
#[pyclass(module = "runlen", name = "Decoder")]
#[derive(Default, Clone, Copy)]
struct Decoder {
    inner: runlen::Decoder,
    /// Whether an odd number of bytes came since the stream began: the decoder then holds
    /// the value byte of a cut pair, and the next chunk's first byte is its count.
    odd: bool,
}

#[pymethods]
impl Decoder {
    #[new]
    fn new() -> Self {
        Self::default()
    }

    /// Every byte the pairs so far stand for; only half a pair cut at the end is held.
    /// On error the decoder is as it was before the call.
    fn decode<'py>(
        &mut self,
        py: Python<'py>,
        chunk: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let input = Input::get(chunk, "chunk")?;
        let src = input.bytes();
        let before = *self;
        let decoded = self.decode_all(py, src);
        if decoded.is_err() {
            *self = before;
        }
        decoded
    }

    /// Ends the stream: b"" after a complete encoding, `TruncatedPair` if the last pair
    /// was cut (the decoder then unchanged). Afterwards a new stream begins.
    fn finish<'py>(&mut self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let mut held = [0u8; 255];
        let written = self
            .inner
            .finish(&mut held)
            .map_err(|e| format_error(py, e))?;
        self.odd = false;
        Ok(PyBytes::new(py, &held[..written]))
    }
}

impl Decoder {
    /// Feeds all of `src` to the Rust decoder, growing the output until the decoder has
    /// consumed everything and written all it holds.
    fn decode_all<'py>(&mut self, py: Python<'py>, src: &[u8]) -> PyResult<Bound<'py, PyBytes>> {
        let odd = self.odd;
        let guess = run(py, src.len(), || first_guess(odd, src));
        let mut out = FreshBytes::new(py, guess)?;
        let (mut consumed, mut written) = (0, 0);
        loop {
            let rest = &src[consumed..];
            let room = &mut out.bytes_mut()[written..];
            let room_len = room.len();
            let inner = &mut self.inner;
            let (c, w) = run(py, rest.len().max(room_len), || {
                inner.decode_chunk(room, rest)
            })
            .map_err(|e| format_error(py, e))?;
            consumed += c;
            written += w;
            // A run that did not fit would have filled `out`: room to spare after the last
            // pair means nothing but half a pair is held.
            if consumed == src.len() && w < room_len {
                break;
            }
            let grown = out.len().checked_add(out.len().max(256)).ok_or_else(|| {
                pyo3::exceptions::PyOverflowError::new_err("decoded stream too long")
            })?;
            out = out.resize(grown)?;
        }
        self.odd ^= src.len() % 2 == 1;
        out.finish(written)
    }
}

/// The decoded length of the whole pairs in `chunk`, plus one byte of room to spare. Not
/// counted: the run of a pair cut between the previous chunk and this one, and pairs after
/// a zero count; `decode_all` grows the output for those (so the growth path runs whenever
/// a split cuts a pair, which the tests' random splits do all the time).
fn first_guess(odd: bool, chunk: &[u8]) -> usize {
    let pairs = chunk.get(usize::from(odd)..).unwrap_or_default();
    let pairs = &pairs[..pairs.len() & !1];
    runlen::decoded_len(pairs)
        .unwrap_or(pairs.len())
        .saturating_add(1)
}

#[pymodule]
fn _runlen(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(encode, m)?)?;
    m.add_function(wrap_pyfunction!(decode, m)?)?;
    m.add_function(wrap_pyfunction!(encode_into, m)?)?;
    m.add_function(wrap_pyfunction!(decode_into, m)?)?;
    m.add_function(wrap_pyfunction!(encoded_len, m)?)?;
    m.add_function(wrap_pyfunction!(decoded_len, m)?)?;
    m.add_function(wrap_pyfunction!(max_encoded_len, m)?)?;
    m.add_function(wrap_pyfunction!(backend, m)?)?;
    m.add_class::<Encoder>()?;
    m.add_class::<Decoder>()?;
    m.add("_RELEASE_GIL_AT", RELEASE_GIL_AT)?;
    Ok(())
}
