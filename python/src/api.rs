//! The Python API of one format, generic over [`Format`]: lib.rs wraps these in the
//! `#[pyfunction]`s and `#[pyclass]`es of each format.

use std::borrow::Cow;

use pyo3::exceptions::{PyOverflowError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes};

use crate::buffers::{FreshBytes, Input, LazyZeroed, Output};
use crate::errors::format_error;
use crate::format::{FINISH_ROOM, Format};

/// Calls whose input or output is at least this long release the GIL. Releasing and
/// retaking it costs about 100 ns uncontended (`encode_into` of 8191 vs 8192 random bytes:
/// 442 vs 544 ns with AVX-512), a fifth of the work here and less above; below it, a call
/// is over before another thread would get far.
pub const RELEASE_GIL_AT: usize = 8 * 1024;

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

/// A runlen result, its error as the package's exception.
fn checked<T>(py: Python<'_>, result: Result<T, runlen::Error>) -> PyResult<T> {
    result.map_err(|e| format_error(py, e))
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
fn planes(src: &[u8], k: usize) -> Cow<'_, [u8]> {
    if k == 1 {
        Cow::Borrowed(src)
    } else {
        Cow::Owned(crate::shuffle::shuffled(src, k))
    }
}

/// The arguments of the one-shot calls, checked: the element size and `data`.
pub fn args(
    data: &Bound<'_, PyAny>,
    elementsize: Option<&Bound<'_, PyAny>>,
) -> PyResult<(usize, Input)> {
    let k = element_size(elementsize)?;
    Ok((k, Input::get(data, "data")?))
}

/// The arguments of the `_into` calls, checked: the element size, `data` and `out`.
pub fn into_args(
    data: &Bound<'_, PyAny>,
    out: &Bound<'_, PyAny>,
    elementsize: Option<&Bound<'_, PyAny>>,
) -> PyResult<(usize, Input, Output)> {
    let (k, input) = args(data, elementsize)?;
    Ok((k, input, Output::get(out)?))
}

/// `encode(data, *, elementsize=k) -> bytes`, `data` being `src`.
pub fn encode<'py, F: Format>(
    py: Python<'py>,
    src: &[u8],
    k: usize,
) -> PyResult<Bound<'py, PyBytes>> {
    check_whole(src.len(), k, "data")?;
    let mut out = FreshBytes::new(py, F::max_encoded_len(src.len()))?;
    // Uninitialized: the worst case of `2 * n` bytes costs memory traffic only where the
    // encoding lands.
    let dst = out.uninit_mut();
    let written = run(py, src.len(), || {
        F::encode_uninit(dst, &planes(src, k)).map(|encoded| encoded.len())
    });
    out.finish(checked(py, written)?)
}

/// Input bytes per window of [`encode_windows`]: its encoding (at most twice as many bytes)
/// stays in L2 between being zeroed and being written.
const WINDOW: usize = 64 * 1024;

/// Encodes `src`, a stream's chunk, into `dst` a window at a time (the streaming encoder
/// writes only into initialized memory); returns the bytes written, all initialized. `dst`
/// holds at least `F::chunk_out_len(encoder, src.len())` bytes.
fn encode_windows<F: Format>(
    encoder: &mut F::Encoder,
    dst: &mut [core::mem::MaybeUninit<u8>],
    src: &[u8],
) -> Result<usize, runlen::Error> {
    let mut out = LazyZeroed::new(dst);
    let mut written = 0;
    for chunk in src.chunks(WINDOW) {
        let room = out.window(written, F::chunk_out_len(encoder, chunk.len()));
        written += F::encode_chunk(encoder, room, chunk)?;
    }
    Ok(written)
}

/// `decode(data, *, elementsize=k) -> bytes`, `data` being `src`.
pub fn decode<'py, F: Format>(
    py: Python<'py>,
    src: &[u8],
    k: usize,
) -> PyResult<Bound<'py, PyBytes>> {
    let len = checked(py, run(py, src.len(), || F::decoded_len(src)))?;
    check_whole(len, k, "the decoded data")?;
    let mut out = FreshBytes::new(py, len)?;
    let dst = out.uninit_mut();
    if k == 1 {
        let written = run(py, len.max(src.len()), || {
            F::decode_uninit(dst, src).map(|decoded| decoded.len())
        });
        return out.finish(checked(py, written)?);
    }
    // The planes into a scratch, then joined into the new bytes, which they initialize.
    let joined = run(py, len.max(src.len()), || -> Result<(), runlen::Error> {
        let mut scratch = Vec::with_capacity(len);
        let planes = F::decode_uninit(scratch.spare_capacity_mut(), src)?;
        debug_assert_eq!(planes.len(), len);
        crate::shuffle::unshuffle(planes, dst, k);
        Ok(())
    });
    checked(py, joined)?;
    out.finish(len)
}

/// An `_into` call, its arguments checked: `data`'s bytes, `out`'s, and the element size.
pub struct IntoCall<'a> {
    pub py: Python<'a>,
    pub src: &'a [u8],
    pub dst: &'a mut [u8],
    pub k: usize,
}

impl IntoCall<'_> {
    /// `encode_into(data, out, *, elementsize=k) -> int`.
    pub fn encode<F: Format>(self) -> PyResult<usize> {
        let Self { py, src, dst, k } = self;
        check_whole(src.len(), k, "data")?;
        checked(
            py,
            run(py, src.len(), || F::try_encode(dst, &planes(src, k))),
        )
    }

    /// `decode_into(data, out, *, elementsize=k) -> int`.
    pub fn decode<F: Format>(self) -> PyResult<usize> {
        let Self { py, src, dst, k } = self;
        let size = src.len().max(dst.len());
        if k == 1 {
            return checked(py, run(py, size, || F::decode(dst, src)));
        }
        // Errors in the order of `decode`: a bad encoding, then the length, then a short `out`.
        let len = checked(py, run(py, src.len(), || F::decoded_len(src)))?;
        check_whole(len, k, "the decoded data")?;
        let Some(dst) = dst.get_mut(..len) else {
            return Err(format_error(
                py,
                runlen::Error::OutputTooSmall { needed: len },
            ));
        };
        let joined = run(py, size, || -> Result<usize, runlen::Error> {
            let mut scratch = Vec::with_capacity(len);
            let planes = F::decode_uninit(scratch.spare_capacity_mut(), src)?;
            let written = planes.len();
            // SAFETY: a `&mut [u8]` viewed as `MaybeUninit<u8>`s (same layout) that
            // `unshuffle` only ever writes initialized bytes into.
            let dst = unsafe { &mut *(dst as *mut [u8] as *mut [core::mem::MaybeUninit<u8>]) };
            crate::shuffle::unshuffle(planes, dst, k);
            Ok(written)
        });
        checked(py, joined)
    }
}

/// `encoded_len(data, *, elementsize=1) -> int`.
pub fn encoded_len<F: Format>(
    data: &Bound<'_, PyAny>,
    elementsize: Option<&Bound<'_, PyAny>>,
) -> PyResult<usize> {
    let k = element_size(elementsize)?;
    let input = Input::get(data, "data")?;
    let src = input.bytes();
    check_whole(src.len(), k, "data")?;
    Ok(run(data.py(), src.len(), || {
        F::encoded_len(&planes(src, k))
    }))
}

/// `decoded_len(data) -> int`.
pub fn decoded_len<F: Format>(data: &Bound<'_, PyAny>) -> PyResult<usize> {
    let input = Input::get(data, "data")?;
    let src = input.bytes();
    let py = data.py();
    checked(py, run(py, src.len(), || F::decoded_len(src)))
}

/// The state of a Python streaming class, `Encoder` or `Decoder`.
pub trait Stream: Default + Send {
    /// What the next chunk of the stream gives.
    fn chunk<'py>(&mut self, py: Python<'py>, src: &[u8]) -> PyResult<Bound<'py, PyBytes>>;
    /// What the end of the stream gives; a new stream then begins.
    fn finish<'py>(&mut self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>>;
}

/// `state.chunk` of `chunk`, any C-contiguous buffer.
pub fn feed<'py, S: Stream>(
    state: &mut S,
    py: Python<'py>,
    chunk: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyBytes>> {
    let input = Input::get(chunk, "chunk")?;
    state.chunk(py, input.bytes())
}

/// What `finish` writes into a buffer of [`FINISH_ROOM`] bytes, as a new `bytes`.
fn finished<'py>(
    py: Python<'py>,
    finish: impl FnOnce(&mut [u8]) -> Result<usize, runlen::Error>,
) -> PyResult<Bound<'py, PyBytes>> {
    let mut room = [0u8; FINISH_ROOM];
    let written = checked(py, finish(&mut room))?;
    Ok(PyBytes::new(py, &room[..written]))
}

/// The state of a Python `Encoder`.
pub struct StreamEncoder<F: Format> {
    inner: F::Encoder,
}

impl<F: Format> Default for StreamEncoder<F> {
    fn default() -> Self {
        Self {
            inner: F::Encoder::default(),
        }
    }
}

impl<F: Format> Stream for StreamEncoder<F> {
    /// The encoding completed by `src`; what the encoder cannot encode yet (the open run, or
    /// PackBits input whose packets depend on what follows) is held back.
    fn chunk<'py>(&mut self, py: Python<'py>, src: &[u8]) -> PyResult<Bound<'py, PyBytes>> {
        let mut out = FreshBytes::new(py, F::chunk_out_len(&self.inner, src.len()))?;
        let dst = out.uninit_mut();
        let inner = &mut self.inner;
        let written = run(py, src.len(), || encode_windows::<F>(inner, dst, src));
        out.finish(checked(py, written)?)
    }

    /// The encoding of what is held; the encoder then starts a new stream.
    fn finish<'py>(&mut self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        finished(py, |room| F::finish_encoder(&mut self.inner, room))
    }
}

/// The state of a Python `Decoder`.
pub struct StreamDecoder<F: Format> {
    inner: F::Decoder,
}

impl<F: Format> Default for StreamDecoder<F> {
    fn default() -> Self {
        Self {
            inner: F::Decoder::default(),
        }
    }
}

impl<F: Format> Clone for StreamDecoder<F> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<F: Format> Copy for StreamDecoder<F> {}

impl<F: Format> Stream for StreamDecoder<F> {
    /// Every byte the encoding so far stands for; only the part of a pair or packet cut at
    /// the end is held. On error the decoder is as it was before the call.
    fn chunk<'py>(&mut self, py: Python<'py>, src: &[u8]) -> PyResult<Bound<'py, PyBytes>> {
        let before = *self;
        let decoded = self.decode_all(py, src);
        if decoded.is_err() {
            *self = before;
        }
        decoded
    }

    /// Ends the stream: b"" after a complete encoding, the format's truncation error if the
    /// last pair or packet was cut (the decoder then unchanged). Afterwards a new stream
    /// begins.
    fn finish<'py>(&mut self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        finished(py, |room| F::finish_decoder(&mut self.inner, room))
    }
}

impl<F: Format> StreamDecoder<F> {
    /// Feeds all of `src` to the Rust decoder, growing the output until the decoder has
    /// consumed everything and written all it holds.
    fn decode_all<'py>(&mut self, py: Python<'py>, src: &[u8]) -> PyResult<Bound<'py, PyBytes>> {
        let decoder = self.inner; // a copy (`Decoder: Copy`) for the closure, which may run unattached
        let guess = run(py, src.len(), move || F::first_guess(&decoder, src));
        let mut out = FreshBytes::new(py, guess)?;
        let (mut consumed, mut written) = (0, 0);
        loop {
            let rest = &src[consumed..];
            let room = &mut out.bytes_mut()[written..];
            let room_len = room.len();
            let inner = &mut self.inner;
            let (c, w) = checked(
                py,
                run(py, rest.len().max(room_len), || {
                    F::decode_chunk(inner, room, rest)
                }),
            )?;
            consumed += c;
            written += w;
            // A run that did not fit would have filled `out`: room to spare after the last
            // pair or packet means nothing but a cut one is held.
            if consumed == src.len() && w < room_len {
                break;
            }
            let grown = out
                .len()
                .checked_add(out.len().max(256))
                .ok_or_else(|| PyOverflowError::new_err("decoded stream too long"))?;
            out = out.resize(grown)?;
        }
        out.finish(written)
    }
}
