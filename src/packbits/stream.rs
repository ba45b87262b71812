//! Streaming PackBits: the encoder holds the input it cannot encode yet (at most
//! [`Encoder::MAX_HELD`] bytes), the decoder the state of one cut packet.

use core::mem::MaybeUninit;

use super::engine::{encode_kernels, max_encoded_len};
use crate::backend::{Backend, Kernels};
use crate::engine::as_uninit;
use crate::error::Error;
use crate::packbits_kernels::Encoded;
use crate::packbits_kernels::encode::{Full, MAX_HELD};

/// Input copied, with what the encoder holds, into a stack buffer before the encoder moves on
/// to the chunk itself: enough that the cut in it lies inside the chunk.
const STITCH: usize = 400;

/// Encodes input that arrives in pieces. Feeding any split of an input to
/// [`encode_chunk`](Encoder::encode_chunk), then calling [`finish`](Encoder::finish), writes
/// exactly the bytes [`encode`](super::encode) gives for the whole input.
///
/// Whether bytes at the end of a chunk are literal data or the start of a run, and where a
/// literal packet ends, can depend on the bytes after them, so the encoder holds up to
/// [`MAX_HELD`](Encoder::MAX_HELD) bytes of input between calls. A chunk therefore needs up
/// to [`out_len_for`](Encoder::out_len_for)`(chunk.len())` bytes of `out` (which counts what
/// is held), and `finish` up to [`max_encoded_len`] of what is held.
///
/// ```
/// use runlen::packbits::{Encoder, encode};
///
/// let input = b"abcccccccdefggg";
/// let mut enc = Encoder::new();
/// let mut out = [0u8; 32];
/// let mut n = 0;
/// for chunk in input.chunks(4) {
///     n += enc.encode_chunk(&mut out[n..], chunk)?;
/// }
/// n += enc.finish(&mut out[n..])?;
///
/// let mut whole = [0u8; 32];
/// let m = encode(&mut whole, input);
/// assert_eq!(&out[..n], &whole[..m]);
/// # Ok::<(), runlen::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Encoder {
    held: [u8; MAX_HELD],
    len: u8,
    /// The backend's kernels; [`Kernels::BEST`] (the best, looked up per call) since `new`
    /// is `const` and cannot detect.
    backend: Kernels,
}

impl Default for Encoder {
    /// [`Encoder::new`].
    fn default() -> Self {
        Encoder::new()
    }
}

impl Encoder {
    /// The most input bytes an encoder holds between calls.
    pub const MAX_HELD: usize = MAX_HELD;

    /// A new encoder holding nothing, using [`Backend::best`].
    ///
    /// ```
    /// let mut enc = runlen::packbits::Encoder::new();
    /// assert_eq!(enc.held(), 0);
    /// assert_eq!(enc.finish(&mut []), Ok(0));
    /// ```
    pub const fn new() -> Self {
        Encoder {
            held: [0; MAX_HELD],
            len: 0,
            backend: Kernels::BEST,
        }
    }

    /// A new encoder that always uses `backend`.
    ///
    /// ```
    /// use runlen::{packbits::Encoder, Backend};
    ///
    /// let mut enc = Encoder::with_backend(Backend::Scalar)?;
    /// let mut out = [0u8; 8];
    /// let n = enc.encode_chunk(&mut out, b"ab")?;
    /// let m = enc.finish(&mut out[n..])?;
    /// assert_eq!(&out[..n + m], b"\x01ab");
    /// # Ok::<(), runlen::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::UnsupportedBackend`] if this build or CPU cannot run `backend`.
    pub fn with_backend(backend: Backend) -> Result<Self, Error> {
        Ok(Encoder {
            backend: Kernels::new(backend).ok_or(Error::UnsupportedBackend(backend))?,
            ..Encoder::new()
        })
    }

    /// How many input bytes the encoder holds (at most [`MAX_HELD`](Self::MAX_HELD)).
    ///
    /// ```
    /// let mut enc = runlen::packbits::Encoder::new();
    /// enc.encode_chunk(&mut [0u8; 8], b"xy")?;
    /// assert_eq!(enc.held(), 2); // "xy" may still become "x" and a run of "y"
    /// # Ok::<(), runlen::Error>(())
    /// ```
    pub fn held(&self) -> usize {
        self.len as usize
    }

    /// The most bytes of `out` that [`encode_chunk`](Self::encode_chunk) with
    /// `chunk_len` bytes can need now: [`max_encoded_len`] of what is held plus
    /// `chunk_len`. Never more than `max_encoded_len(chunk_len) + 132`.
    ///
    /// ```
    /// let enc = runlen::packbits::Encoder::new();
    /// assert_eq!(enc.out_len_for(256), 258);
    /// ```
    pub fn out_len_for(&self, chunk_len: usize) -> usize {
        max_encoded_len(self.held().saturating_add(chunk_len))
    }

    /// Encodes the next chunk, holding back up to [`MAX_HELD`](Self::MAX_HELD) bytes whose
    /// encoding depends on what follows. Returns the bytes written to `out`.
    ///
    /// ```
    /// let mut enc = runlen::packbits::Encoder::new();
    /// let mut out = [0u8; 8];
    /// assert_eq!(enc.encode_chunk(&mut out, b"zzzz"), Ok(0)); // the run may go on
    /// assert_eq!(enc.held(), 4);
    /// // The run of 200 'y' may go on too: one packet of 128 is final, 72 bytes stay held.
    /// assert_eq!(enc.encode_chunk(&mut out, &[b'y'; 200]), Ok(4));
    /// assert_eq!(&out[..4], b"\xfdz\x81y");
    /// assert_eq!(enc.held(), 72);
    /// assert_eq!(enc.finish(&mut out), Ok(2));
    /// assert_eq!(&out[..2], b"\xb9y");
    /// ```
    ///
    /// # Errors
    /// [`Error::OutputTooSmall`] with the exact length this call needs. The encoder is
    /// then unchanged, and the same call with `needed` bytes of `out` succeeds.
    pub fn encode_chunk(&mut self, out: &mut [u8], input: &[u8]) -> Result<usize, Error> {
        let k = self.backend;
        let encode = |x: &[u8], o: &mut [MaybeUninit<u8>], last| k.packbits_encode(x, o, last);
        let mut next = *self;
        match next.step(encode, false, as_uninit(out), input) {
            Ok(written) => {
                *self = next;
                Ok(written)
            }
            Err(Full) => {
                let mut probe = *self;
                let measure =
                    |x: &[u8], o: &mut [MaybeUninit<u8>], last| k.packbits_measure(x, o, last);
                match probe.step(measure, true, &mut [], input) {
                    Ok(needed) => Err(Error::OutputTooSmall { needed }),
                    Err(Full) => unreachable!("measuring writes nothing"),
                }
            }
        }
    }

    /// Encodes what is held and `input` with `f` (the backend's PackBits encoder, or its
    /// measure with `measuring` and an empty `out`), keeping the new residual.
    fn step(
        &mut self,
        f: impl Fn(&[u8], &mut [MaybeUninit<u8>], bool) -> Encoded,
        measuring: bool,
        out: &mut [MaybeUninit<u8>],
        input: &[u8],
    ) -> Result<usize, Full> {
        let h = self.held();
        let take = input.len().min(STITCH);
        let mut tmp = [0u8; MAX_HELD + STITCH];
        tmp[..h].copy_from_slice(&self.held[..h]);
        tmp[h..h + take].copy_from_slice(&input[..take]);
        let t = &tmp[..h + take];
        let (p, o) = f(t, out, false)?;
        if take == input.len() {
            self.keep(&t[p..]);
            return Ok(o);
        }
        // At most MAX_HELD bytes stay after the cut, and t holds STITCH > MAX_HELD bytes of
        // input, so the cut lies inside input: the rest starts fresh there.
        let q = p - h;
        let rest = &input[q..];
        let sub = if measuring {
            &mut [][..]
        } else {
            out.get_mut(o..).ok_or(Full)?
        };
        let (p2, o2) = f(rest, sub, false)?;
        self.keep(&rest[p2..]);
        Ok(o + o2)
    }

    fn keep(&mut self, residual: &[u8]) {
        self.held[..residual.len()].copy_from_slice(residual);
        self.len = residual.len() as u8;
    }

    /// Writes what is held and makes the encoder new.
    ///
    /// ```
    /// let mut enc = runlen::packbits::Encoder::new();
    /// let mut out = [0u8; 4];
    /// enc.encode_chunk(&mut [], b"")?;
    /// enc.encode_chunk(&mut out, b"xx")?;
    /// assert_eq!(enc.finish(&mut out)?, 3);
    /// assert_eq!(&out[..3], b"\x01xx");
    /// assert_eq!(enc.finish(&mut out)?, 0);
    /// # Ok::<(), runlen::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::OutputTooSmall`] with the exact length needed; the encoder is unchanged.
    pub fn finish(&mut self, out: &mut [u8]) -> Result<usize, Error> {
        let held = &self.held[..self.held()];
        let written = encode_kernels(self.backend, as_uninit(out), held)?;
        self.len = 0;
        Ok(written)
    }
}

/// Where the decoder is inside a packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Between packets.
    Idle,
    /// Inside a literal packet: this many bytes still to copy.
    Literal(u8),
    /// After a run header: the value byte still to come, then this many copies.
    RunValue(u8),
    /// Inside a run: this many copies of the value still to write.
    Run(u8, u8),
}

/// What a PackBits [`Decoder`] holds between calls, as [`Decoder::held`] reports it: where
/// the stream so far leaves it inside a packet.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Held {
    /// Nothing: the stream so far ends between packets, and every byte is written.
    #[default]
    Nothing,
    /// Inside a literal packet: `missing` (`1..=128`) of its literal bytes are still to
    /// come in the encoded stream. [`finish`](Decoder::finish) now would be
    /// [`Error::TruncatedPacket`].
    Literal {
        /// Literal bytes still to come.
        missing: usize,
    },
    /// After a run packet's header: its value byte is still to come, and will stand for
    /// `count` (`2..=128`) bytes. [`finish`](Decoder::finish) now would be
    /// [`Error::TruncatedPacket`].
    RunValue {
        /// The run's length.
        count: usize,
    },
    /// The rest of a run that did not fit in `out`: `count` more copies of `value`,
    /// written first by the next call.
    Run {
        /// The run's byte.
        value: u8,
        /// How many copies are still to be written.
        count: usize,
    },
}

/// Decodes PackBits that arrives in pieces, into output buffers of any sizes. Feeding any
/// split of a valid encoding, then [`finish`](Decoder::finish), gives exactly
/// [`decode`](super::decode) of the whole.
///
/// ```
/// use runlen::packbits::Decoder;
///
/// let encoded = b"\x02abc\xfbz";
/// let mut dec = Decoder::new();
/// let mut out = [0u8; 4];
/// let mut all = Vec::new();
/// let mut rest = &encoded[..];
/// loop {
///     let (used, written) = dec.decode_chunk(&mut out, rest)?;
///     all.extend_from_slice(&out[..written]);
///     rest = &rest[used..];
///     if rest.is_empty() && written < out.len() {
///         break;
///     }
/// }
/// let n = dec.finish(&mut out)?;
/// all.extend_from_slice(&out[..n]);
/// assert_eq!(all, b"abczzzzzz");
/// # Ok::<(), runlen::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Decoder {
    state: State,
    /// Stream offset of the next encoded byte.
    pos: usize,
    /// Stream offset of the current packet's header.
    header: usize,
    /// The backend's kernels, as the encoder's.
    backend: Kernels,
}

impl Default for Decoder {
    /// [`Decoder::new`].
    fn default() -> Self {
        Decoder::new()
    }
}

impl Decoder {
    /// A new decoder using [`Backend::best`].
    ///
    /// ```
    /// let mut dec = runlen::packbits::Decoder::new();
    /// assert_eq!(dec.finish(&mut []), Ok(0));
    /// ```
    pub const fn new() -> Self {
        Decoder {
            state: State::Idle,
            pos: 0,
            header: 0,
            backend: Kernels::BEST,
        }
    }

    /// A new decoder that always uses `backend`.
    ///
    /// ```
    /// use runlen::{packbits::Decoder, Backend};
    ///
    /// let mut dec = Decoder::with_backend(Backend::Scalar)?;
    /// let mut out = [0u8; 3];
    /// assert_eq!(dec.decode_chunk(&mut out, b"\xfeq")?, (2, 3));
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

    /// Writes what is held (the rest of a run), then decodes `encoded`'s packets in order
    /// as far as `out` takes them. Returns `(consumed, written)`, with `consumed ==
    /// encoded.len()` or `written == out.len()` (or both); a packet cut by either end is
    /// consumed as far as it goes and carried on by the next call.
    ///
    /// ```
    /// let mut dec = runlen::packbits::Decoder::new();
    /// let mut out = [0u8; 2];
    /// assert_eq!(dec.decode_chunk(&mut out, b"\x02ab"), Ok((3, 2)));
    /// assert_eq!(&out, b"ab");
    /// assert_eq!(dec.decode_chunk(&mut out, b"c\xfdd"), Ok((3, 2)));
    /// assert_eq!(&out, b"cd");
    /// assert_eq!(dec.finish(&mut [0u8; 3]), Ok(3)); // the rest of the run of four 'd'
    /// ```
    ///
    /// # Errors
    /// None so far: a cut packet is only an error at [`finish`](Self::finish). The
    /// `Result` keeps the signature of [`crate::Decoder::decode_chunk`].
    pub fn decode_chunk(
        &mut self,
        out: &mut [u8],
        encoded: &[u8],
    ) -> Result<(usize, usize), Error> {
        let k = self.backend;
        let n = encoded.len();
        let cap = out.len();
        let mut i = 0;
        let mut o = 0;
        loop {
            match self.state {
                State::Run(v, left) => {
                    let k = (left as usize).min(cap - o);
                    out[o..o + k].fill(v);
                    o += k;
                    if k < left as usize {
                        self.state = State::Run(v, left - k as u8);
                        break;
                    }
                    self.state = State::Idle;
                }
                State::Literal(left) => {
                    let k = (left as usize).min(cap - o).min(n - i);
                    out[o..o + k].copy_from_slice(&encoded[i..i + k]);
                    o += k;
                    i += k;
                    if k < left as usize {
                        self.state = State::Literal(left - k as u8);
                        break;
                    }
                    self.state = State::Idle;
                }
                State::RunValue(count) => {
                    if i == n {
                        break;
                    }
                    self.state = State::Run(encoded[i], count);
                    i += 1;
                }
                State::Idle => {
                    if i == n || o == cap {
                        break;
                    }
                    let (di, dout) = k.packbits_expand(as_uninit(&mut out[o..]), &encoded[i..]);
                    i += di;
                    o += dout;
                    if i == n || o == cap {
                        break;
                    }
                    // The packet at i is cut by the end of `encoded` or of `out`: take its
                    // header and carry it on byte by byte.
                    let h = encoded[i];
                    self.header = self.pos.wrapping_add(i);
                    i += 1;
                    self.state = match h {
                        0..=127 => State::Literal(h + 1),
                        128 => State::Idle,
                        _ => State::RunValue((257 - h as u16) as u8),
                    };
                }
            }
        }
        self.pos = self.pos.wrapping_add(i);
        Ok((i, o))
    }

    /// What the decoder holds between calls: nothing, or its place inside a packet that the
    /// end of `encoded` or of `out` cut. Reading it changes nothing; it is what a binding
    /// needs to size its next output (how the next chunk's first bytes continue a packet).
    ///
    /// ```
    /// use runlen::packbits::{Decoder, Held};
    ///
    /// let mut dec = Decoder::new();
    /// let mut out = [0u8; 8];
    /// assert_eq!(dec.decode_chunk(&mut out, b"\x03ab"), Ok((3, 2)));
    /// assert_eq!(dec.held(), Held::Literal { missing: 2 });
    /// assert_eq!(dec.decode_chunk(&mut out, b"cd\xfb"), Ok((3, 2)));
    /// assert_eq!(dec.held(), Held::RunValue { count: 6 });
    /// assert_eq!(dec.decode_chunk(&mut out[..4], b"z"), Ok((1, 4)));
    /// assert_eq!(dec.held(), Held::Run { value: b'z', count: 2 });
    /// assert_eq!(dec.finish(&mut out), Ok(2));
    /// assert_eq!(dec.held(), Held::Nothing);
    /// ```
    pub fn held(&self) -> Held {
        match self.state {
            State::Idle => Held::Nothing,
            State::Literal(missing) => Held::Literal {
                missing: usize::from(missing),
            },
            State::RunValue(count) => Held::RunValue {
                count: usize::from(count),
            },
            State::Run(value, count) => Held::Run {
                value,
                count: usize::from(count),
            },
        }
    }

    /// Writes the rest of a run still held (at most 128 bytes) and makes the decoder new.
    ///
    /// ```
    /// use runlen::{packbits::Decoder, Error};
    ///
    /// let mut dec = Decoder::new();
    /// assert_eq!(dec.decode_chunk(&mut [], b"\x00ab\x03"), Ok((0, 0)));
    /// let mut out = [0u8; 8];
    /// assert_eq!(dec.decode_chunk(&mut out, b"\x03xy"), Ok((3, 2))); // 2 of 4 literal bytes
    /// assert_eq!(dec.finish(&mut out), Err(Error::TruncatedPacket { offset: 0 }));
    /// ```
    ///
    /// # Errors
    /// The decoder unchanged: [`Error::TruncatedPacket`] (the offset of its header in the
    /// stream) if the stream ended inside a packet; else [`Error::OutputTooSmall`] if `out`
    /// is shorter than what is held.
    pub fn finish(&mut self, out: &mut [u8]) -> Result<usize, Error> {
        let written = match self.state {
            State::Idle => 0,
            State::Literal(_) | State::RunValue(_) => {
                return Err(Error::TruncatedPacket {
                    offset: self.header,
                });
            }
            State::Run(v, left) => {
                let left = left as usize;
                let dst = out
                    .get_mut(..left)
                    .ok_or(Error::OutputTooSmall { needed: left })?;
                dst.fill(v);
                left
            }
        };
        let backend = self.backend;
        *self = Decoder {
            backend,
            ..Decoder::new()
        };
        Ok(written)
    }
}
