//! Borrowing Python buffers as byte slices, and filling new `bytes` objects in place.

use core::ffi::c_int;
use core::mem::MaybeUninit;
use core::ptr::NonNull;

use pyo3::exceptions::{PyBufferError, PyOverflowError, PyTypeError, PyValueError};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::PyBytes;

unsafe extern "C" {
    /// CPython's resize of a `bytes` object that nothing else refers to (declared in
    /// `cpython/bytesobject.h`, exported by every CPython 3): it reallocates in place, so
    /// shrinking a `2 * n` encode buffer to its used length copies nothing. On failure it
    /// frees the object, sets `*bytes` to NULL and raises. PyO3 does not re-export it.
    fn _PyBytes_Resize(bytes: *mut *mut ffi::PyObject, new_size: ffi::Py_ssize_t) -> c_int;
}

const BUFFER_KINDS: &str = "bytes, bytearray, memoryview, array.array or a numpy array";

/// An exported buffer (a `Py_buffer` filled by `PyObject_GetBuffer`), released on drop.
///
/// PyO3's `PyUntypedBuffer` is not used: it rejects exports without strides, which ctypes
/// arrays give even when strides are asked for.
struct Export {
    /// Boxed: exporters may point into the struct itself (`shape = &len`), so it must not
    /// move while exported.
    view: Box<ffi::Py_buffer>,
}

impl Export {
    fn get(obj: &Bound<'_, PyAny>) -> PyResult<Self> {
        // PyBUF_FULL_RO is the most permissive request (strides, suboffsets, format,
        // read-only allowed), so any exporter can satisfy it and contiguity is judged by
        // us. Its format lets `export` refuse arrays of Python objects.
        let first = match Self::request(obj, ffi::PyBUF_FULL_RO) {
            Ok(export) => return Ok(export),
            Err(error) => error,
        };
        // numpy cannot describe datetime64 / timedelta64 items in a format string and
        // refuses such a request; without a format it exports their bytes, which is all
        // runlen reads.
        Self::request(obj, ffi::PyBUF_FULL_RO & !ffi::PyBUF_FORMAT).map_err(|_| first)
    }

    fn request(obj: &Bound<'_, PyAny>, flags: core::ffi::c_int) -> PyResult<Self> {
        let mut view = Box::new(ffi::Py_buffer::new());
        // SAFETY: attached; `obj` is live; `view` is a valid Py_buffer to fill.
        let rc = unsafe { ffi::PyObject_GetBuffer(obj.as_ptr(), &mut *view, flags) };
        if rc != 0 {
            return Err(PyErr::fetch(obj.py()));
        }
        Ok(Self { view })
    }

    fn len(&self) -> usize {
        // A buffer's length is a non-negative Py_ssize_t.
        usize::try_from(self.view.len).unwrap_or(0)
    }

    fn ptr(&self) -> *mut u8 {
        self.view.buf.cast::<u8>()
    }

    fn readonly(&self) -> bool {
        self.view.readonly != 0
    }

    fn is_c_contiguous(&self) -> bool {
        // SAFETY: a filled Py_buffer; the check reads its shape/strides/suboffsets (NULL
        // strides mean C-contiguous).
        unsafe { ffi::PyBuffer_IsContiguous(&*self.view, b'C' as core::ffi::c_char) != 0 }
    }

    fn format(&self) -> &[u8] {
        if self.view.format.is_null() {
            return b"B";
        }
        // SAFETY: a non-NULL format is a NUL-terminated string owned by the export.
        unsafe { core::ffi::CStr::from_ptr(self.view.format) }.to_bytes()
    }

    /// Shape and strides, for error messages.
    fn layout(&self) -> String {
        let ndim = usize::try_from(self.view.ndim).unwrap_or(0);
        let part = |p: *const ffi::Py_ssize_t| {
            if p.is_null() || ndim == 0 {
                Vec::new()
            } else {
                // SAFETY: `shape` and `strides`, when not NULL, point at `ndim` Py_ssize_t
                // each, owned by the export.
                unsafe { core::slice::from_raw_parts(p, ndim) }.to_vec()
            }
        };
        format!(
            "shape {:?}, strides {:?}{}",
            part(self.view.shape),
            part(self.view.strides),
            if self.view.suboffsets.is_null() {
                ""
            } else {
                ", with suboffsets"
            }
        )
    }
}

impl Drop for Export {
    fn drop(&mut self) {
        // SAFETY: the view was filled by a successful PyObject_GetBuffer and is released
        // once. Export holds raw pointers, so it is neither Send nor Sync and cannot be
        // dropped in a closure that runs with the GIL released: this runs attached.
        unsafe { ffi::PyBuffer_Release(&mut *self.view) }
    }
}

/// Exports `obj`'s buffer, or says what is wrong with it.
fn export(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Export> {
    // SAFETY: `obj` is a live object (we hold a reference and are attached); the check only
    // reads its type's buffer slot.
    if unsafe { ffi::PyObject_CheckBuffer(obj.as_ptr()) } == 0 {
        let type_name = obj.get_type().name()?;
        return Err(PyTypeError::new_err(format!(
            "{what} must be a buffer ({BUFFER_KINDS}), not {type_name}"
        )));
    }
    // Exporters' own refusals pass through.
    let buffer = Export::get(obj)?;
    if !buffer.is_c_contiguous() {
        return Err(PyBufferError::new_err(format!(
            "{what} is not C-contiguous ({}): pass a contiguous copy, e.g. \
             numpy.ascontiguousarray(a) or bytes(view)",
            buffer.layout()
        )));
    }
    // Items of format "O" are PyObject pointers: their bytes mean nothing to encode (and
    // differ from run to run), and writing pairs over them would corrupt references.
    let format = buffer.format();
    if format.strip_prefix(b"@").unwrap_or(format) == b"O" {
        return Err(PyTypeError::new_err(format!(
            "{what} holds Python objects (buffer format 'O'), not bytes"
        )));
    }
    Ok(buffer)
}

/// The memory range of an export, for the overlap check.
fn span(buffer: &Export) -> (usize, usize) {
    let start = buffer.ptr() as usize;
    (start, start + buffer.len())
}

/// A C-contiguous buffer borrowed as its bytes, whatever its item type and shape.
pub struct Input {
    buffer: Export,
}

impl Input {
    pub fn get(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Self> {
        Ok(Self {
            buffer: export(obj, what)?,
        })
    }

    pub fn bytes(&self) -> &[u8] {
        let len = self.buffer.len();
        if len == 0 {
            return &[];
        }
        // With the GIL held no Python code runs to change the bytes; with it released another
        // thread writing into the same buffer would race with this read, as it would with
        // any C extension (zlib, hashlib): the README tells users not to.
        // SAFETY: while `self.buffer` holds the export, the exporter keeps `len` bytes at
        // `ptr()` alive and in place (numpy, bytearray and mmap refuse to resize an exported
        // buffer); C-contiguous: they are the contents; `len <= isize::MAX`; u8 is unaligned.
        unsafe { core::slice::from_raw_parts(self.buffer.ptr(), len) }
    }
}

/// A writable C-contiguous buffer borrowed as bytes to write into.
pub struct Output {
    buffer: Export,
}

impl Output {
    pub fn get(obj: &Bound<'_, PyAny>) -> PyResult<Self> {
        let buffer = export(obj, "out")?;
        if buffer.readonly() {
            let type_name = obj.get_type().name()?;
            return Err(PyTypeError::new_err(format!(
                "out is a read-only buffer ({type_name}): pass a writable one, such as a \
                 bytearray, a numpy array or a memoryview of one"
            )));
        }
        Ok(Self { buffer })
    }
}

/// `data`'s bytes and `out`'s, to read one and write the other; refused (`ValueError`) when
/// they share memory: a `&[u8]` and a `&mut [u8]` over the same bytes may not coexist, and
/// writing pairs over input not yet read would garble it.
pub fn read_and_write<'a>(
    input: &'a Input,
    output: &'a mut Output,
) -> PyResult<(&'a [u8], &'a mut [u8])> {
    let (a_start, a_end) = span(&input.buffer);
    let (b_start, b_end) = span(&output.buffer);
    if a_start < a_end && b_start < b_end && a_start < b_end && b_start < a_end {
        return Err(PyValueError::new_err(
            "out overlaps data: runlen cannot encode or decode in place; pass a separate out",
        ));
    }
    let len = output.buffer.len();
    if len == 0 {
        return Ok((input.bytes(), &mut []));
    }
    // SAFETY: as for `Input::bytes`, plus: the exporter granted a writable export, and the
    // check above rules out that the input read alongside shares any of these bytes, so
    // this is the only reference to them while `output` stays mutably borrowed.
    let out = unsafe { core::slice::from_raw_parts_mut(output.buffer.ptr(), len) };
    Ok((input.bytes(), out))
}

/// A new `bytes` object that nothing else refers to yet, being filled in place (how
/// CPython's own codecs build theirs), then cut to the length written.
pub struct FreshBytes<'py> {
    py: Python<'py>,
    object: NonNull<ffi::PyObject>,
    len: usize,
    /// Whether all `len` bytes are initialized (`bytes_mut` zeroes them on first use).
    zeroed: bool,
}

/// Asks Linux to back a large new output with transparent huge pages, as numpy does for its
/// arrays of 4 MiB and more. First touching fresh memory costs a page fault per 4 KiB, and
/// on a VM that dominates encoding random data (16 MiB in: 32 MiB of pairs, 8192 faults)
/// unless the pages are 2 MiB ones. Advice only: the contents are unaffected, and a kernel
/// without THP (or with it off) ignores it.
pub fn advise_huge_pages(data: *mut u8, len: usize) {
    #[cfg(target_os = "linux")]
    if len >= 4 << 20 {
        const PAGE: usize = 4096;
        let start = data as usize;
        let aligned = start.next_multiple_of(PAGE);
        let end = (start + len) & !(PAGE - 1);
        // SAFETY: [aligned, end) lies inside the `len` bytes at `data`, which the caller
        // owns, and is page aligned as madvise requires; MADV_HUGEPAGE changes how the
        // range is backed, never what it holds, and its result (EINVAL without THP) needs
        // no handling.
        unsafe {
            libc::madvise(
                aligned as *mut libc::c_void,
                end - aligned,
                libc::MADV_HUGEPAGE,
            );
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (data, len);
}

fn py_size(len: usize) -> PyResult<ffi::Py_ssize_t> {
    ffi::Py_ssize_t::try_from(len)
        .map_err(|_| PyOverflowError::new_err("output longer than the largest bytes object"))
}

impl<'py> FreshBytes<'py> {
    pub fn new(py: Python<'py>, len: usize) -> PyResult<Self> {
        let size = py_size(len)?;
        // SAFETY: attached to the interpreter (we hold `py`); a NULL source asks for `size`
        // bytes of contents not yet written. The result is a new reference or NULL with an
        // exception set. For size 0 it is the shared empty bytes, which is never written
        // (its slice is empty) and which `_PyBytes_Resize` knows to replace, not resize.
        let raw = unsafe { ffi::PyBytes_FromStringAndSize(core::ptr::null(), size) };
        let Some(object) = NonNull::new(raw) else {
            return Err(PyErr::fetch(py));
        };
        if len > 0 {
            // SAFETY: `raw` is a new bytes object of `len` bytes that only we refer to;
            // PyBytes_AsString cannot fail on a bytes object and points at its contents.
            unsafe { advise_huge_pages(ffi::PyBytes_AsString(raw).cast::<u8>(), len) };
        }
        Ok(Self {
            py,
            object,
            len,
            zeroed: len == 0,
        })
    }

    /// The contents, not yet initialized: for a [`LazyZeroed`], which zeroes them a window
    /// at a time just before they are written.
    pub fn uninit_mut(&mut self) -> &mut [MaybeUninit<u8>] {
        if self.len == 0 {
            return &mut [];
        }
        // SAFETY: `object` is a bytes object of `len` bytes that only this struct refers to,
        // so no Python code can see them while we write; PyBytes_AsString cannot fail on a
        // bytes object; `MaybeUninit` bytes may be uninitialized.
        unsafe {
            let data = ffi::PyBytes_AsString(self.object.as_ptr()).cast::<MaybeUninit<u8>>();
            core::slice::from_raw_parts_mut(data, self.len)
        }
    }

    /// The contents, to be written before anything reads them; zeroed on the first call,
    /// since a `&mut [u8]` must point at initialized bytes.
    pub fn bytes_mut(&mut self) -> &mut [u8] {
        let zeroed = self.zeroed;
        let bytes = self.uninit_mut();
        if !zeroed {
            bytes.fill(MaybeUninit::new(0));
        }
        self.zeroed = true;
        // SAFETY: every byte is initialized: zeroed just above, or by an earlier call (a
        // `resize` since then zeroes what it adds).
        unsafe { &mut *(self.uninit_mut() as *mut [MaybeUninit<u8>] as *mut [u8]) }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    /// Changes the length, keeping the contents up to the shorter of the two lengths.
    pub fn resize(self, len: usize) -> PyResult<Self> {
        if len == self.len {
            return Ok(self);
        }
        let size = py_size(len)?;
        let (py, old, zeroed) = (self.py, self.len, self.zeroed);
        let mut raw = self.object.as_ptr();
        // `_PyBytes_Resize` takes over our reference: on failure it has freed the object.
        core::mem::forget(self);
        // SAFETY: attached (`py`); `raw` is a bytes object to which ours is the only
        // reference (refcount 1), as `_PyBytes_Resize` requires, or the empty singleton,
        // which it replaces by a new object.
        let rc = unsafe { _PyBytes_Resize(&mut raw, size) };
        match NonNull::new(raw) {
            Some(object) if rc == 0 => {
                if zeroed && len > old {
                    // SAFETY: the resized object holds `len` bytes at PyBytes_AsString,
                    // the first `old` of them kept; the grown rest is zeroed before any
                    // slice covers it (see `new`).
                    unsafe {
                        let data = ffi::PyBytes_AsString(object.as_ptr()).cast::<u8>();
                        core::ptr::write_bytes(data.add(old), 0, len - old);
                    }
                }
                Ok(Self {
                    py,
                    object,
                    len,
                    zeroed,
                })
            }
            _ => Err(PyErr::fetch(py)),
        }
    }

    /// The `bytes` object holding the first `written` bytes, which the caller has written
    /// (through `bytes_mut` or a `LazyZeroed` of `uninit_mut`).
    pub fn finish(self, written: usize) -> PyResult<Bound<'py, PyBytes>> {
        debug_assert!(written <= self.len);
        let done = self.resize(written)?;
        let (py, object) = (done.py, done.object);
        core::mem::forget(done);
        // SAFETY: `object` is a bytes object and ours is an owned reference, handed over to
        // the Bound (the forget above keeps Drop from releasing it a second time).
        Ok(unsafe { Bound::from_owned_ptr(py, object.as_ptr()).cast_into_unchecked::<PyBytes>() })
    }
}

/// An output handed out a window at a time, each part zeroed just before its first use:
/// the worst-case `2 * n` bytes an encode is given then cost memory traffic only where pairs
/// land (encoding 16 MiB of zeros writes 130 KiB of pairs; zeroing all 32 MiB first took
/// longer than the encode).
pub struct LazyZeroed<'a> {
    bytes: &'a mut [MaybeUninit<u8>],
    /// `bytes[..init]` is initialized.
    init: usize,
}

impl<'a> LazyZeroed<'a> {
    pub fn new(bytes: &'a mut [MaybeUninit<u8>]) -> Self {
        Self { bytes, init: 0 }
    }

    /// `bytes[from..from + len]`, cut at the end.
    pub fn window(&mut self, from: usize, len: usize) -> &mut [u8] {
        let end = from.saturating_add(len).min(self.bytes.len());
        let from = from.min(end);
        if end > self.init {
            self.bytes[self.init..end].fill(MaybeUninit::new(0));
            self.init = end;
        }
        let part = &mut self.bytes[from..end];
        // SAFETY: `part` lies below `init`, and every byte below it is initialized: zeroed
        // here, and since then written only through `&mut [u8]`, which stores bytes.
        unsafe { &mut *(part as *mut [MaybeUninit<u8>] as *mut [u8]) }
    }
}

impl Drop for FreshBytes<'_> {
    fn drop(&mut self) {
        // SAFETY: we own one reference to `object`. FreshBytes is neither Send nor passed
        // into a closure that runs with the GIL released, so this runs attached.
        unsafe { ffi::Py_DECREF(self.object.as_ptr()) }
    }
}
