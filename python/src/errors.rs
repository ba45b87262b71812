//! runlen's errors as the package's exception classes (defined in runlen/_errors.py, so
//! that they pickle and carry `offset` / `needed` as plain attributes).

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyModule;

static ERRORS_MODULE: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

fn instance<'py, A>(py: Python<'py>, class: &str, args: A) -> PyResult<PyErr>
where
    A: pyo3::call::PyCallArgs<'py>,
{
    let module = ERRORS_MODULE.get_or_try_init(py, || {
        PyModule::import(py, "runlen._errors").map(Bound::unbind)
    })?;
    let value = module.bind(py).getattr(class)?.call1(args)?;
    Ok(PyErr::from_value(value))
}

/// The exception for a runlen error: `ZeroCount(message, offset)`,
/// `TruncatedPacket(message, offset)`, `OutputTooSmall(message, needed)`,
/// `TruncatedPair(message)`, or `Error(message)` for the rest (a length past `usize::MAX`,
/// impossible on 64-bit targets).
pub fn format_error(py: Python<'_>, error: runlen::Error) -> PyErr {
    let message = error.to_string();
    let made = match error {
        runlen::Error::ZeroCount { offset } => instance(py, "ZeroCount", (message, offset)),
        runlen::Error::TruncatedPacket { offset } => {
            instance(py, "TruncatedPacket", (message, offset))
        }
        runlen::Error::OutputTooSmall { needed } => {
            instance(py, "OutputTooSmall", (message, needed))
        }
        runlen::Error::TruncatedPair => instance(py, "TruncatedPair", (message,)),
        _ => instance(py, "Error", (message,)),
    };
    made.unwrap_or_else(|failure| failure)
}
