//! The streaming encoder: the open run carried between chunks.

use crate::backend::{self, Backend};
use crate::scalar::{self, Kernel, Run};
use crate::{Error, encode_body};

/// Encodes input that arrives in pieces. Feeding any split of an input to
/// [`encode_chunk`](Encoder::encode_chunk), then calling [`finish`](Encoder::finish),
/// produces exactly the bytes [`encode`](crate::encode) gives for the whole input.
///
/// The encoder holds back the run still open at the end of a chunk (one value and a count,
/// never more than 255), so a chunk needs at most [`max_encoded_len`](crate::max_encoded_len)
/// of its length in `out`, and `finish` at most 2 bytes.
///
/// ```
/// use runlen::{Encoder, encode, max_encoded_len};
///
/// let input = b"aaaabbbcca";
/// let mut enc = Encoder::new();
/// let mut out = [0u8; 32];
/// let mut n = 0;
/// for chunk in input.chunks(3) {
///     n += enc.encode_chunk(&mut out[n..], chunk)?;
/// }
/// n += enc.finish(&mut out[n..])?;
///
/// let mut whole = [0u8; 32];
/// let m = encode(&mut whole, input);
/// assert_eq!(&out[..n], &whole[..m]);
/// assert_eq!(&out[..n], b"a\x04b\x03c\x02a\x01");
/// # Ok::<(), runlen::Error>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Encoder {
    run: Run,
    /// `None`: the best backend, looked up (from the cache) per chunk, since `new` is
    /// `const` and cannot detect.
    kernel: Option<Kernel>,
}

impl Encoder {
    /// A new encoder with no open run, using [`Backend::best`].
    ///
    /// ```
    /// let mut enc = runlen::Encoder::new();
    /// assert_eq!(enc.finish(&mut []), Ok(0));
    /// ```
    pub const fn new() -> Self {
        Encoder {
            run: Run { value: 0, len: 0 },
            kernel: None,
        }
    }

    /// A new encoder that always uses `backend` — for instance [`Backend::Scalar`] in code
    /// that must not touch vector registers.
    ///
    /// ```
    /// use runlen::{Backend, Encoder, Error};
    ///
    /// let mut enc = Encoder::with_backend(Backend::Scalar)?;
    /// let mut out = [0u8; 4];
    /// assert_eq!(enc.encode_chunk(&mut out, b"xxy")?, 2);
    /// assert_eq!(&out[..2], b"x\x02");
    /// # Ok::<(), Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::UnsupportedBackend`] if this build or CPU cannot run `backend`.
    pub fn with_backend(backend: Backend) -> Result<Self, Error> {
        let kernel = backend.kernel().ok_or(Error::UnsupportedBackend(backend))?;
        Ok(Encoder {
            run: Run::default(),
            kernel: Some(kernel),
        })
    }

    /// Encodes the next chunk of input, holding back the run still open at its end.
    /// Returns the bytes written to `out`; at most `max_encoded_len(input.len())` bytes are
    /// ever needed.
    ///
    /// ```
    /// let mut enc = runlen::Encoder::new();
    /// let mut out = [0u8; 8];
    /// // The run of 'a' stays open: nothing is written yet.
    /// assert_eq!(enc.encode_chunk(&mut out, b"aaa"), Ok(0));
    /// assert_eq!(enc.encode_chunk(&mut out, b"ab"), Ok(2));
    /// assert_eq!(&out[..2], b"a\x04");
    /// ```
    ///
    /// # Errors
    /// [`Error::OutputTooSmall`] with the exact length this call needs. The encoder is then
    /// unchanged, and the same call with `needed` bytes of `out` succeeds.
    pub fn encode_chunk(&mut self, out: &mut [u8], input: &[u8]) -> Result<usize, Error> {
        let kernel = self.kernel.unwrap_or_else(backend::best_kernel);
        let mut run = self.run;
        match encode_body(kernel, &mut run, input, out) {
            Ok(written) => {
                self.run = run;
                Ok(written)
            }
            Err(scalar::Full) => Err(Error::OutputTooSmall {
                needed: scalar::measure(self.run, input).0,
            }),
        }
    }

    /// Writes the open run, if any (2 bytes, or 0 when no run is open), and resets the
    /// encoder so it can start a new input.
    ///
    /// ```
    /// let mut enc = runlen::Encoder::new();
    /// let mut out = [0u8; 2];
    /// enc.encode_chunk(&mut [], b"zz")?;
    /// assert_eq!(enc.finish(&mut out)?, 2);
    /// assert_eq!(out, *b"z\x02");
    /// assert_eq!(enc.finish(&mut out)?, 0);
    /// # Ok::<(), runlen::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::OutputTooSmall`] (`needed: 2`) if a run is open and `out` is shorter than
    /// 2 bytes; the encoder is then unchanged.
    pub fn finish(&mut self, out: &mut [u8]) -> Result<usize, Error> {
        let needed = self.run.flush_len();
        scalar::flush(&mut self.run, out).map_err(|scalar::Full| Error::OutputTooSmall { needed })
    }
}
