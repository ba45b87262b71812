//! The two encodings the extension exposes, behind one trait: the pairs of SPEC.md section 1
//! (`runlen.encode`, ...) and PackBits of section 8 (`runlen.packbits.encode`, ...). The
//! Python functions and classes are written once, generic over [`Format`] (api.rs), and
//! instantiated for each (lib.rs).

use core::mem::MaybeUninit;

use runlen::Error;

/// Room that any format's `finish` may need (both the encoder's and the decoder's): a fixed
/// stack buffer, checked against each format below at compile time.
pub const FINISH_ROOM: usize = 256;

/// One run-length format: its one-shot calls, its streaming states, and what the Python
/// streaming decoder needs to size its output.
pub trait Format: 'static {
    /// The streaming encoder.
    type Encoder: Default + Copy + Send;
    /// The streaming decoder.
    type Decoder: Default + Copy + Send;

    fn max_encoded_len(n: usize) -> usize;
    fn encoded_len(input: &[u8]) -> usize;
    fn try_encode(out: &mut [u8], input: &[u8]) -> Result<usize, Error>;
    fn decoded_len(encoded: &[u8]) -> Result<usize, Error>;
    fn decode(out: &mut [u8], encoded: &[u8]) -> Result<usize, Error>;
    fn encode_uninit<'a>(
        out: &'a mut [MaybeUninit<u8>],
        input: &[u8],
    ) -> Result<&'a mut [u8], Error>;
    fn decode_uninit<'a>(
        out: &'a mut [MaybeUninit<u8>],
        encoded: &[u8],
    ) -> Result<&'a mut [u8], Error>;

    /// The most bytes of `out` that `encode_chunk` with `chunk_len` bytes can need now.
    fn chunk_out_len(encoder: &Self::Encoder, chunk_len: usize) -> usize;
    fn encode_chunk(
        encoder: &mut Self::Encoder,
        out: &mut [u8],
        input: &[u8],
    ) -> Result<usize, Error>;
    /// Writes at most [`FINISH_ROOM`] bytes.
    fn finish_encoder(encoder: &mut Self::Encoder, out: &mut [u8]) -> Result<usize, Error>;
    fn decode_chunk(
        decoder: &mut Self::Decoder,
        out: &mut [u8],
        encoded: &[u8],
    ) -> Result<(usize, usize), Error>;
    /// Writes at most [`FINISH_ROOM`] bytes.
    fn finish_decoder(decoder: &mut Self::Decoder, out: &mut [u8]) -> Result<usize, Error>;

    /// A first guess at the bytes that `chunk`, the next part of the stream `decoder` has
    /// decoded so far, decodes to. Only a guess: the decoder grows its output when it is
    /// short.
    fn first_guess(decoder: &Self::Decoder, chunk: &[u8]) -> usize;
}

/// The items of a `Format` impl that call the functions and methods of the same names in
/// `runlen` or `runlen::packbits` (the two share their API's shape), given that module's
/// path.
macro_rules! same_names_in {
    ($($module:ident)::+) => {
        type Encoder = $($module)::+::Encoder;
        type Decoder = $($module)::+::Decoder;

        fn max_encoded_len(n: usize) -> usize {
            $($module)::+::max_encoded_len(n)
        }
        fn encoded_len(input: &[u8]) -> usize {
            $($module)::+::encoded_len(input)
        }
        fn try_encode(out: &mut [u8], input: &[u8]) -> Result<usize, Error> {
            $($module)::+::try_encode(out, input)
        }
        fn decoded_len(encoded: &[u8]) -> Result<usize, Error> {
            $($module)::+::decoded_len(encoded)
        }
        fn decode(out: &mut [u8], encoded: &[u8]) -> Result<usize, Error> {
            $($module)::+::decode(out, encoded)
        }
        fn encode_uninit<'a>(
            out: &'a mut [MaybeUninit<u8>],
            input: &[u8],
        ) -> Result<&'a mut [u8], Error> {
            $($module)::+::encode_uninit(out, input)
        }
        fn decode_uninit<'a>(
            out: &'a mut [MaybeUninit<u8>],
            encoded: &[u8],
        ) -> Result<&'a mut [u8], Error> {
            $($module)::+::decode_uninit(out, encoded)
        }
        fn encode_chunk(
            encoder: &mut Self::Encoder,
            out: &mut [u8],
            input: &[u8],
        ) -> Result<usize, Error> {
            encoder.encode_chunk(out, input)
        }
        fn finish_encoder(encoder: &mut Self::Encoder, out: &mut [u8]) -> Result<usize, Error> {
            encoder.finish(out)
        }
        fn decode_chunk(
            decoder: &mut Self::Decoder,
            out: &mut [u8],
            encoded: &[u8],
        ) -> Result<(usize, usize), Error> {
            decoder.decode_chunk(out, encoded)
        }
        fn finish_decoder(decoder: &mut Self::Decoder, out: &mut [u8]) -> Result<usize, Error> {
            decoder.finish(out)
        }
    };
}

/// (value, count) pairs.
pub struct Pairs;

impl Format for Pairs {
    same_names_in!(runlen);

    fn chunk_out_len(_: &Self::Encoder, chunk_len: usize) -> usize {
        // The open run the encoder holds is written only when a byte of the chunk ends it.
        runlen::max_encoded_len(chunk_len)
    }

    /// The decoded length of the whole pairs in `chunk`, plus one byte of room to spare. Not
    /// counted: the run of a pair cut between the previous chunk and this one (the decoder
    /// then holds its value byte, and `chunk` starts with its count), and pairs after a zero
    /// count (so the growth path runs whenever a split cuts a pair, which the tests' random
    /// splits do all the time).
    fn first_guess(decoder: &Self::Decoder, chunk: &[u8]) -> usize {
        let cut = matches!(decoder.held(), runlen::Held::HalfPair { .. });
        let pairs = chunk.get(usize::from(cut)..).unwrap_or_default();
        let pairs = &pairs[..pairs.len() & !1];
        runlen::decoded_len(pairs)
            .unwrap_or(pairs.len())
            .saturating_add(1)
    }
}

/// PackBits packets (TIFF compression 32773).
pub struct PackBits;

impl Format for PackBits {
    same_names_in!(runlen::packbits);

    fn chunk_out_len(encoder: &Self::Encoder, chunk_len: usize) -> usize {
        // Counts the input the encoder holds (up to `Encoder::MAX_HELD` bytes).
        encoder.out_len_for(chunk_len)
    }

    /// The end of the packet the decoder holds cut at the previous chunk's end, the whole
    /// packets, and what is here of a packet cut at this chunk's end; plus one byte of room
    /// to spare. Exact but for no-op packets.
    fn first_guess(decoder: &Self::Decoder, chunk: &[u8]) -> usize {
        use runlen::packbits::Held;
        // Bytes of `chunk` that belong to the cut packet, and for a cut run packet the
        // bytes its value byte stands for (literal bytes stand for themselves).
        let (rest, run, held) = match decoder.held() {
            Held::Literal { missing } => (missing, 0, 0),
            Held::RunValue { count } => (1, count, 0),
            Held::Run { count, .. } => (0, 0, count),
            _ => (0, 0, 0),
        };
        let skip = rest.min(chunk.len());
        // The end of the cut packet: literal bytes, or the value byte of a run.
        let end = held
            + match (skip, run) {
                (0, _) => 0,
                (_, 0) => skip,
                (_, run) => run,
            };
        if skip < rest {
            return end + 1; // all of the chunk belongs to the cut packet
        }
        let packets = &chunk[skip..];
        let whole = match runlen::packbits::decoded_len(packets) {
            Ok(len) => len,
            Err(Error::TruncatedPacket { offset }) => {
                let header = usize::from(packets[offset]);
                let here = packets.len() - offset; // the header and what follows it
                let before = runlen::packbits::decoded_len(&packets[..offset]).unwrap_or(offset);
                if header < 128 {
                    before.saturating_add(here - 1)
                } else {
                    before
                }
            }
            Err(_) => packets.len(),
        };
        end.saturating_add(whole).saturating_add(1)
    }
}

// The fixed `finish` buffers hold what each format's `finish` can write: PackBits' encoder
// the packets of what it holds; the pairs' encoder one pair, its decoder a run of 255.
const _: () =
    assert!(runlen::packbits::max_encoded_len(runlen::packbits::Encoder::MAX_HELD) <= FINISH_ROOM);
const _: () = assert!(255 <= FINISH_ROOM && runlen::max_encoded_len(1) <= FINISH_ROOM);
