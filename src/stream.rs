//! Streaming: the encoder carries the open run between chunks, the decoder a cut pair and
//! the unwritten rest of one run.

use crate::backend::{Backend, Kernels};
use crate::engine::{self, as_uninit};
use crate::error::Error;
use crate::scalar::decode::Stop;
use crate::scalar::{self, Run};

/// Encodes input that arrives in pieces. Feeding any split of an input to
/// [`encode_chunk`](Encoder::encode_chunk), then calling [`finish`](Encoder::finish),
/// produces exactly the bytes [`encode`](fn@crate::encode) gives for the whole input.
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
    /// The backend's kernels; [`Kernels::BEST`] (the best, looked up per chunk) since `new`
    /// is `const` and cannot detect.
    backend: Kernels,
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
            backend: Kernels::BEST,
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
        Ok(Encoder {
            run: Run::default(),
            backend: Kernels::new(backend).ok_or(Error::UnsupportedBackend(backend))?,
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
        let mut run = self.run;
        match engine::encode_body(self.backend, &mut run, input, as_uninit(out)) {
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
        scalar::flush(&mut self.run, as_uninit(out))
            .map_err(|scalar::Full| Error::OutputTooSmall { needed })
    }
}

/// What a pairs [`Decoder`] holds between calls, as [`Decoder::held`] reports it.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Held {
    /// Nothing: the stream so far ends between pairs, and every run is written.
    #[default]
    Nothing,
    /// The value byte of a pair whose count has not arrived yet: the stream so far has an
    /// odd length, and the next encoded byte is this pair's count.
    /// [`finish`](Decoder::finish) now would be [`Error::TruncatedPair`].
    HalfPair {
        /// The pair's value byte.
        value: u8,
    },
    /// The rest of a run that did not fit in `out`: `count` (`1..=255`) more copies of
    /// `value`, written first by the next call.
    Run {
        /// The run's byte.
        value: u8,
        /// How many copies are still to be written.
        count: usize,
    },
}

/// Decodes pairs that arrive in pieces into output buffers of any size. Feeding any split
/// of a valid encoding to [`decode_chunk`](Decoder::decode_chunk), with any sequence of
/// `out` sizes, then draining with [`finish`](Decoder::finish), produces exactly the bytes
/// [`decode`](fn@crate::decode) gives for the whole.
///
/// Pairs and runs may be cut anywhere: the decoder holds at most the value byte of a cut
/// pair and the rest of one run that did not fit (at most 255 bytes). It allocates nothing
/// and points only at static data (its backend's kernels), so a copy is an independent
/// decoder.
///
/// ```
/// use runlen::Decoder;
///
/// let encoded = b"a\x05b\x02";
/// let mut dec = Decoder::new();
/// let mut decoded = Vec::new();
/// let mut out = [0u8; 3]; // smaller than a run
/// for chunk in encoded.chunks(3) {
///     let mut chunk = &chunk[..];
///     loop {
///         let (consumed, written) = dec.decode_chunk(&mut out, chunk)?;
///         decoded.extend_from_slice(&out[..written]);
///         chunk = &chunk[consumed..];
///         if chunk.is_empty() && written < out.len() {
///             break;
///         }
///     }
/// }
/// let n = dec.finish(&mut out)?;
/// decoded.extend_from_slice(&out[..n]);
/// assert_eq!(decoded, b"aaaaabb");
/// # Ok::<(), runlen::Error>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Decoder {
    /// The backend's kernels, as the encoder's.
    backend: Kernels,
    /// Encoded bytes consumed since the stream started: the base of `ZeroCount` offsets.
    offset: u64,
    /// The value byte of a pair whose count has not arrived yet.
    half: Option<u8>,
    /// The value of the run being written, and how many of its bytes are still to write.
    value: u8,
    rest: u8,
}

impl Decoder {
    /// A new decoder, holding nothing, using [`Backend::best`].
    ///
    /// ```
    /// let mut dec = runlen::Decoder::new();
    /// assert_eq!(dec.finish(&mut []), Ok(0));
    /// ```
    pub const fn new() -> Self {
        Decoder {
            backend: Kernels::BEST,
            offset: 0,
            half: None,
            value: 0,
            rest: 0,
        }
    }

    /// A new decoder that always uses `backend`, for instance [`Backend::Scalar`] in code
    /// that must not touch vector registers.
    ///
    /// ```
    /// use runlen::{Backend, Decoder};
    ///
    /// let mut dec = Decoder::with_backend(Backend::Scalar)?;
    /// let mut out = [0u8; 4];
    /// assert_eq!(dec.decode_chunk(&mut out, b"x\x04")?, (2, 4));
    /// assert_eq!(&out, b"xxxx");
    /// # Ok::<(), runlen::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::UnsupportedBackend`] if this build or CPU cannot run `backend`.
    pub fn with_backend(backend: Backend) -> Result<Self, Error> {
        Ok(Decoder {
            backend: Kernels::new(backend).ok_or(Error::UnsupportedBackend(backend))?,
            ..Decoder::new()
        })
    }

    /// Decodes the next piece of the stream into `out` and returns `(consumed, written)`.
    ///
    /// It writes what it holds first, then the runs of `encoded`'s pairs in order, as much
    /// as `out` takes. A pair whose run does not fit is consumed and the part that did not
    /// fit is held; a lone last byte (half a pair) is consumed and held. On return
    /// `consumed == encoded.len()` or `written == out.len()` (or both), so an `out` of any
    /// non-zero length makes progress; call again with the rest of `encoded` (or the next
    /// chunk) and a fresh `out`.
    ///
    /// ```
    /// let mut dec = runlen::Decoder::new();
    /// let mut out = [0u8; 2];
    /// // The run of 5 does not fit: 2 bytes written, 3 held, the pair consumed; `out` is
    /// // full, so "r" waits.
    /// assert_eq!(dec.decode_chunk(&mut out, b"q\x05r"), Ok((2, 2)));
    /// assert_eq!(dec.decode_chunk(&mut out, b"r"), Ok((0, 2)));
    /// // The last held 'q', then "r" is consumed and held as half a pair.
    /// assert_eq!(dec.decode_chunk(&mut out, b"r"), Ok((1, 1)));
    /// assert_eq!(dec.decode_chunk(&mut out, b"\x02"), Ok((1, 2)));
    /// assert_eq!(&out, b"rr");
    /// ```
    ///
    /// # Errors
    /// [`Error::ZeroCount`] when decoding reaches a pair with count 0, its `offset` counted
    /// from the start of the stream (since [`new`](Decoder::new) or the last successful
    /// [`finish`](Decoder::finish)). The decoder is then unchanged; `out`'s contents are
    /// unspecified, and nothing past `out.len()` is touched.
    pub fn decode_chunk(
        &mut self,
        out: &mut [u8],
        encoded: &[u8],
    ) -> Result<(usize, usize), Error> {
        let mut state = *self;
        let mut written = state.drain(out);
        let mut consumed = 0;
        if written == out.len() {
            return Ok(self.commit(state, consumed, written));
        }
        if let Some(value) = state.half {
            let Some(&count) = encoded.first() else {
                return Ok(self.commit(state, consumed, written));
            };
            if count == 0 {
                // The value byte arrived with the previous chunk.
                return Err(state.zero_count(-1));
            }
            state.half = None;
            (state.value, state.rest) = (value, count);
            consumed = 1;
            written += state.drain(&mut out[written..]);
            if written == out.len() {
                return Ok(self.commit(state, consumed, written));
            }
        }
        let pairs = &encoded[consumed..consumed + ((encoded.len() - consumed) & !1)];
        let (expanded, expanded_written, stop) =
            engine::expand(self.backend, pairs, as_uninit(&mut out[written..]));
        let at = consumed + expanded;
        written += expanded_written;
        consumed = at;
        match stop {
            Stop::ZeroCount(_) => return Err(state.zero_count(at as i64)),
            Stop::Full => {
                // The pair at `at` does not fit; unless `out` is already full, write what
                // does and hold the rest.
                if written < out.len() {
                    (state.value, state.rest) = (encoded[at], encoded[at + 1]);
                    consumed += 2;
                    written += state.drain(&mut out[written..]);
                }
                return Ok(self.commit(state, consumed, written));
            }
            Stop::Done => {}
        }
        if let Some(&last) = encoded.get(consumed) {
            state.half = Some(last);
            consumed += 1;
        }
        Ok(self.commit(state, consumed, written))
    }

    /// Writes what the decoder holds (at most 255 bytes) and makes it new (keeping its
    /// backend). Returns the bytes written; with nothing held it needs no room.
    ///
    /// ```
    /// use runlen::{Decoder, Error};
    ///
    /// let mut dec = Decoder::new();
    /// dec.decode_chunk(&mut [], b"")?;
    /// assert_eq!(dec.decode_chunk(&mut [0u8; 1], b"k\x03"), Ok((2, 1)));
    /// assert_eq!(dec.finish(&mut [0u8; 1]), Err(Error::OutputTooSmall { needed: 2 }));
    /// let mut out = [0u8; 2];
    /// assert_eq!(dec.finish(&mut out), Ok(2));
    /// assert_eq!(&out, b"kk");
    ///
    /// dec.decode_chunk(&mut out, b"k")?; // half a pair
    /// assert_eq!(dec.finish(&mut out), Err(Error::TruncatedPair));
    /// # Ok::<(), Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::TruncatedPair`] if it holds half a pair; else [`Error::OutputTooSmall`]
    /// with the held length if `out` is shorter. The decoder is then unchanged.
    pub fn finish(&mut self, out: &mut [u8]) -> Result<usize, Error> {
        if self.half.is_some() {
            return Err(Error::TruncatedPair);
        }
        let held = usize::from(self.rest);
        let dst = out
            .get_mut(..held)
            .ok_or(Error::OutputTooSmall { needed: held })?;
        dst.fill(self.value);
        *self = Decoder {
            backend: self.backend,
            ..Decoder::new()
        };
        Ok(held)
    }

    /// What the decoder holds between calls: nothing, the value byte of a cut pair, or the
    /// rest of a run that did not fit in `out`. Reading it changes nothing; it is what a
    /// binding needs to size its next output, or to tell a stream that ends mid-pair from
    /// one that ends between pairs without calling [`finish`](Decoder::finish).
    ///
    /// ```
    /// use runlen::{Decoder, Held};
    ///
    /// let mut dec = Decoder::new();
    /// assert_eq!(dec.held(), Held::Nothing);
    /// let mut out = [0u8; 2];
    /// assert_eq!(dec.decode_chunk(&mut out, b"q\x05r"), Ok((2, 2)));
    /// assert_eq!(dec.held(), Held::Run { value: b'q', count: 3 });
    /// let mut out = [0u8; 8];
    /// assert_eq!(dec.decode_chunk(&mut out, b"r"), Ok((1, 3)));
    /// assert_eq!(dec.held(), Held::HalfPair { value: b'r' });
    /// assert_eq!(dec.decode_chunk(&mut out, b"\x02"), Ok((1, 2)));
    /// assert_eq!(dec.held(), Held::Nothing);
    /// ```
    pub fn held(&self) -> Held {
        // A half pair is held only once every run is written (a run is held only when
        // `out` is full, and then nothing more is consumed), so the two never coexist.
        debug_assert!(self.half.is_none() || self.rest == 0);
        match (self.half, self.rest) {
            (Some(value), _) => Held::HalfPair { value },
            (None, 0) => Held::Nothing,
            (None, count) => Held::Run {
                value: self.value,
                count: usize::from(count),
            },
        }
    }

    /// Writes as much of the held run as `out` takes; returns the bytes written.
    fn drain(&mut self, out: &mut [u8]) -> usize {
        let n = usize::from(self.rest).min(out.len());
        out[..n].fill(self.value);
        self.rest -= n as u8;
        n
    }

    /// Stores the state reached after consuming `consumed` bytes and returns the result.
    fn commit(&mut self, mut state: Decoder, consumed: usize, written: usize) -> (usize, usize) {
        state.offset = state.offset.saturating_add(consumed as u64);
        *self = state;
        (consumed, written)
    }

    /// The error for a zero-count pair whose value byte is `at` bytes into this chunk
    /// (`-1`: the last byte of the previous one).
    fn zero_count(&self, at: i64) -> Error {
        let offset = self.offset.saturating_add_signed(at);
        Error::ZeroCount {
            offset: usize::try_from(offset).unwrap_or(usize::MAX),
        }
    }
}
