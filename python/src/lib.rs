//! The extension module `runlen._runlen`: runlen for Python (SPEC.md sections 6 to 8).
//!
//! Inputs are borrowed through the buffer protocol and outputs are written in place, either
//! into a new `bytes` object or into the caller's writable buffer: no copy either way. Large
//! calls run with the GIL released. Each format, the pairs and PackBits, gets the same
//! functions and classes, written once in api.rs, generic over format.rs's `Format`. The
//! package `runlen` (runlen/__init__.py) re-exports the pairs' ones and runlen/packbits.py
//! the PackBits ones (here `packbits_encode`, ..., `PackBitsEncoder`, ...); the exception
//! classes live in runlen/_errors.py.
#![deny(unsafe_op_in_unsafe_fn, clippy::undocumented_unsafe_blocks)]

mod api;
mod buffers;
mod errors;
mod format;
mod shuffle;

use pyo3::prelude::*;

/// A `#[pyfunction] $name(data, *, elementsize=1) -> bytes` of `$format`: `api::$name`.
macro_rules! bytes_function {
    ($format:ty, $name:ident, $doc:expr) => {
        #[doc = $doc]
        #[pyfunction]
        #[pyo3(signature = (data, *, elementsize = None))]
        fn $name<'py>(
            py: Python<'py>,
            data: &Bound<'py, PyAny>,
            elementsize: Option<&Bound<'py, PyAny>>,
        ) -> PyResult<Bound<'py, PyBytes>> {
            let (k, input) = api::args(data, elementsize)?;
            api::$name::<$format>(py, input.bytes(), k)
        }
    };
}

/// A `#[pyfunction] $name(data, out, *, elementsize=1) -> int` of `$format`:
/// `api::IntoCall::$method`, which `$verb` into `out`.
macro_rules! into_function {
    ($format:ty, $name:ident, $method:ident, $verb:literal) => {
        #[doc = concat!(stringify!($name), "(data, out, *, elementsize=1) -> int:")]
        #[doc = concat!($verb, " into the writable buffer `out`, returns the length.")]
        #[pyfunction]
        #[pyo3(signature = (data, out, *, elementsize = None))]
        fn $name(
            data: &Bound<'_, PyAny>,
            out: &Bound<'_, PyAny>,
            elementsize: Option<&Bound<'_, PyAny>>,
        ) -> PyResult<usize> {
            let (k, input, mut output) = api::into_args(data, out, elementsize)?;
            let (src, dst) = crate::buffers::read_and_write(&input, &mut output)?;
            let py = data.py();
            api::IntoCall { py, src, dst, k }.$method::<$format>()
        }
    };
}

/// A streaming `#[pyclass]` `$name` of `$module`, `$class` here, whose state is `$state`
/// (an `api::Stream`): a constructor without arguments, `$method(chunk)` and `finish()`.
macro_rules! stream_class {
    (
        $class:ident,
        $name:tt,
        $module:tt,
        $state:ty,
        $method:ident,
        $doc:expr,
        $method_doc:expr,
        $finish_doc:expr
    ) => {
        #[doc = $doc]
        #[pyclass(module = $module, name = $name)]
        #[derive(Default)]
        struct $class($state);

        #[pymethods]
        impl $class {
            #[new]
            fn new() -> Self {
                Self::default()
            }

            #[doc = $method_doc]
            fn $method<'py>(
                &mut self,
                py: Python<'py>,
                chunk: &Bound<'py, PyAny>,
            ) -> PyResult<Bound<'py, PyBytes>> {
                api::feed(&mut self.0, py, chunk)
            }

            #[doc = $finish_doc]
            fn finish<'py>(&mut self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
                api::Stream::finish(&mut self.0, py)
            }
        }
    };
}

/// The `#[pyfunction]`s and `#[pyclass]`es of one format, in a module of their own, with a
/// `register` that adds them to the extension module. `$format` is the `Format`, `$module`
/// the Python module its classes say they belong to, `$what` what its encoding is made of.
macro_rules! format_api {
    ($format:ty, $module:tt, $what:literal) => {
        use pyo3::prelude::*;
        use pyo3::types::PyBytes;

        use crate::api;

        bytes_function!(
            $format,
            encode,
            concat!(
                "encode(data, *, elementsize=1) -> bytes: the ",
                $what,
                " of `data`, any C-contiguous buffer, taken as bytes (as byte planes of \
                 `elementsize`-byte elements)."
            )
        );
        bytes_function!(
            $format,
            decode,
            concat!(
                "decode(data, *, elementsize=1) -> bytes: the bytes the ",
                $what,
                " in `data` stand for (byte planes of `elementsize`-byte elements, joined \
                 back into elements)."
            )
        );
        into_function!($format, encode_into, encode, "encodes");
        into_function!($format, decode_into, decode, "decodes");

        /// encoded_len(data, *, elementsize=1) -> int: the exact length `encode(data,
        /// elementsize=...)` returns, writing nothing.
        #[pyfunction]
        #[pyo3(signature = (data, *, elementsize = None))]
        fn encoded_len(
            data: &Bound<'_, PyAny>,
            elementsize: Option<&Bound<'_, PyAny>>,
        ) -> PyResult<usize> {
            api::encoded_len::<$format>(data, elementsize)
        }

        /// decoded_len(data) -> int: the length `decode(data)` returns.
        #[doc = concat!("Validates the ", $what, ".")]
        #[pyfunction]
        fn decoded_len(data: &Bound<'_, PyAny>) -> PyResult<usize> {
            api::decoded_len::<$format>(data)
        }

        /// max_encoded_len(n) -> int: the most that encoding n bytes can take.
        #[pyfunction]
        fn max_encoded_len(n: usize) -> usize {
            <$format as crate::format::Format>::max_encoded_len(n)
        }

        stream_class!(
            Encoder,
            "Encoder",
            $module,
            api::StreamEncoder<$format>,
            encode,
            "Encodes a stream chunk by chunk; any split gives the bytes of `encode(whole)`.",
            concat!(
                "The ",
                $what,
                " completed by `chunk`; input whose encoding depends on what follows is \
                 held back."
            ),
            concat!(
                "The ",
                $what,
                " of what is held; the encoder then starts a new stream."
            )
        );
        stream_class!(
            Decoder,
            "Decoder",
            $module,
            api::StreamDecoder<$format>,
            decode,
            "Decodes a stream chunk by chunk; any split gives the bytes of `decode(whole)`.",
            concat!(
                "Every byte the ",
                $what,
                " so far stand for; only a cut one at the end is held. On error the decoder \
                 is as it was before the call."
            ),
            "Ends the stream: b\"\" after a complete encoding, an error if the last pair or \
             packet was cut (the decoder then unchanged). Afterwards a new stream begins."
        );

        /// Adds the functions to `m` as `{prefix}encode`, ..., the classes as
        /// `{class_prefix}Encoder` and `{class_prefix}Decoder`.
        pub fn register(m: &Bound<'_, PyModule>, prefix: &str, class_prefix: &str) -> PyResult<()> {
            let functions = [
                wrap_pyfunction!(encode, m)?,
                wrap_pyfunction!(decode, m)?,
                wrap_pyfunction!(encode_into, m)?,
                wrap_pyfunction!(decode_into, m)?,
                wrap_pyfunction!(encoded_len, m)?,
                wrap_pyfunction!(decoded_len, m)?,
                wrap_pyfunction!(max_encoded_len, m)?,
            ];
            for function in functions {
                let name: String = function.getattr("__name__")?.extract()?;
                m.add(format!("{prefix}{name}"), function)?;
            }
            m.add(
                format!("{class_prefix}Encoder"),
                m.py().get_type::<Encoder>(),
            )?;
            m.add(
                format!("{class_prefix}Decoder"),
                m.py().get_type::<Decoder>(),
            )?;
            Ok(())
        }
    };
}

/// `runlen.encode`, ...: (value, count) pairs.
mod pairs {
    format_api!(crate::format::Pairs, "runlen", "pairs");
}

/// `runlen.packbits.encode`, ...: PackBits packets.
mod packbits {
    format_api!(
        crate::format::PackBits,
        "runlen.packbits",
        "PackBits packets"
    );
}

/// backend() -> str: the kernel this CPU runs ("avx2", "sse2", ...).
#[pyfunction]
fn backend() -> &'static str {
    runlen::Backend::best().name()
}

#[pymodule]
fn _runlen(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    pairs::register(m, "", "")?;
    packbits::register(m, "packbits_", "PackBits")?;
    m.add_function(wrap_pyfunction!(backend, m)?)?;
    m.add("_RELEASE_GIL_AT", api::RELEASE_GIL_AT)?;
    Ok(())
}
