//! Stream filters decoded under a byte budget.
//!
//! lopdf decodes a stream into one `Vec` with no bound, so a few kilobytes of Flate
//! data can become gigabytes. Every decoder here writes through [`Budget`], which
//! stops it as soon as the document's allowance of decoded bytes is spent: memory
//! stays bounded by the allowance, and the work by the input plus the allowance.
//!
//! The semantics follow lopdf's `Stream::decompressed_content` where lopdf decodes a
//! filter (Flate with its raw-deflate fallback, LZW, ASCII85, PNG predictors, one
//! `DecodeParms` dictionary for the whole chain); ASCIIHex and RunLength, which lopdf
//! refuses, are decoded too. Image codecs carry no text and are not decoded.

use std::io::Read;

use flate2::read::{DeflateDecoder, ZlibDecoder};
use pdf_extract::{Dictionary, Object};

/// The decoded bytes a document may produce, all streams together.
#[derive(Debug)]
pub(super) struct Budget {
    remaining: usize,
}

/// The budget ran out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct OverBudget;

impl Budget {
    pub(super) fn new(limit: usize) -> Self {
        Budget { remaining: limit }
    }

    pub(super) fn charge(&mut self, bytes: usize) -> Result<(), OverBudget> {
        self.remaining = self.remaining.checked_sub(bytes).ok_or(OverBudget)?;
        Ok(())
    }
}

/// A filter chain's result.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Decoded {
    Plain(Vec<u8>),
    /// A filter no text can come from (an image codec, an unknown name) or a predictor
    /// that does not fit the data: as with lopdf, the chain as a whole fails.
    Unsupported,
}

/// Decodes `data` through `filters`, in order, charging every output byte to `budget`
/// (intermediate stages included: they are held in memory too).
pub(super) fn decode(
    data: &[u8],
    filters: &[&[u8]],
    params: Option<&Dictionary>,
    budget: &mut Budget,
) -> Result<Decoded, OverBudget> {
    let mut current: Option<Vec<u8>> = None;
    for filter in filters {
        let input = current.as_deref().unwrap_or(data);
        let output = match *filter {
            b"FlateDecode" => predict(flate(input, budget)?, params),
            b"LZWDecode" => predict(lzw(input, params, budget)?, params),
            b"ASCII85Decode" => Some(ascii85(input, budget)?),
            b"ASCIIHexDecode" => Some(ascii_hex(input, budget)?),
            b"RunLengthDecode" => Some(run_length(input, budget)?),
            // Decryption has already been done by the loader.
            b"Crypt" => Some(input.to_vec()),
            _ => None,
        };
        match output {
            Some(output) => current = Some(output),
            None => return Ok(Decoded::Unsupported),
        }
    }
    Ok(Decoded::Plain(current.unwrap_or_else(|| data.to_vec())))
}

/// Reads a decoder to its end or to the budget, whichever comes first. A corrupt
/// stream keeps what was decoded before the damage, as lopdf does.
fn read_capped(reader: impl Read, budget: &mut Budget) -> Result<(Vec<u8>, bool), OverBudget> {
    let allowance = budget.remaining;
    let mut output = Vec::new();
    let complete = reader.take(allowance as u64 + 1).read_to_end(&mut output).is_ok();
    budget.charge(output.len())?;
    Ok((output, complete))
}

/// zlib, and when that yields nothing, raw deflate after the two header bytes: lopdf's
/// fallback for streams whose header or checksum is damaged.
pub(super) fn flate(input: &[u8], budget: &mut Budget) -> Result<Vec<u8>, OverBudget> {
    if input.is_empty() {
        return Ok(Vec::new());
    }
    let (output, complete) = read_capped(ZlibDecoder::new(input), budget)?;
    if complete || !output.is_empty() || input.len() <= 2 {
        return Ok(output);
    }
    Ok(read_capped(DeflateDecoder::new(&input[2..]), budget)?.0)
}

fn lzw(
    input: &[u8],
    params: Option<&Dictionary>,
    budget: &mut Budget,
) -> Result<Vec<u8>, OverBudget> {
    use weezl::{BitOrder, LzwStatus, decode::Decoder};
    let early_change = params
        .and_then(|p| p.get(b"EarlyChange").ok())
        .and_then(|v| v.as_i64().ok())
        .is_none_or(|v| v != 0);
    let mut decoder = if early_change {
        Decoder::with_tiff_size_switch(BitOrder::Msb, 8)
    } else {
        Decoder::new(BitOrder::Msb, 8)
    };
    let mut output = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    let mut rest = input;
    loop {
        let result = decoder.decode_bytes(rest, &mut chunk);
        budget.charge(result.consumed_out)?;
        output.extend_from_slice(&chunk[..result.consumed_out]);
        rest = &rest[result.consumed_in..];
        match result.status {
            Ok(LzwStatus::Ok) if result.consumed_in > 0 || result.consumed_out > 0 => {}
            // Done, no progress, or damaged: keep what came out.
            _ => return Ok(output),
        }
    }
}

/// lopdf's ASCII85: whitespace skipped, `z` for four zeros, decoding ends at the first
/// byte outside the alphabet or at `~>`.
fn ascii85(input: &[u8], budget: &mut Budget) -> Result<Vec<u8>, OverBudget> {
    let input = input.strip_suffix(b"~>").unwrap_or(input);
    let mut output = Vec::new();
    let (mut group, mut count) = (0u32, 0usize);
    for &byte in input {
        if byte == b'z' && count == 0 {
            budget.charge(4)?;
            output.extend_from_slice(&[0; 4]);
            continue;
        }
        if byte.is_ascii_whitespace() {
            continue;
        }
        if !(b'!'..=b'u').contains(&byte) {
            break;
        }
        group = group.wrapping_mul(85).wrapping_add(u32::from(byte - b'!'));
        count += 1;
        if count == 5 {
            budget.charge(4)?;
            output.extend_from_slice(&group.to_be_bytes());
            (group, count) = (0, 0);
        }
    }
    if count > 1 {
        for _ in count..5 {
            group = group.wrapping_mul(85).wrapping_add(84);
        }
        budget.charge(count - 1)?;
        output.extend_from_slice(&group.to_be_bytes()[..count - 1]);
    }
    Ok(output)
}

fn ascii_hex(input: &[u8], budget: &mut Budget) -> Result<Vec<u8>, OverBudget> {
    let digits: Vec<u8> = input
        .iter()
        .take_while(|&&b| b != b'>')
        .filter_map(|&b| (b as char).to_digit(16).map(|d| d as u8))
        .collect();
    budget.charge(digits.len().div_ceil(2))?;
    Ok(digits.chunks(2).map(|pair| pair[0] << 4 | pair.get(1).copied().unwrap_or(0)).collect())
}

/// A length byte n: n + 1 literal bytes follow (n < 128), 257 − n repeats of the next
/// byte (n > 128), or the end (128).
fn run_length(input: &[u8], budget: &mut Budget) -> Result<Vec<u8>, OverBudget> {
    let mut output = Vec::new();
    let mut i = 0;
    while let Some(&length) = input.get(i) {
        match length {
            0..=127 => {
                let literal = &input
                    [(i + 1).min(input.len())..(i + 2 + usize::from(length)).min(input.len())];
                budget.charge(literal.len())?;
                output.extend_from_slice(literal);
                i += 2 + usize::from(length);
            }
            128 => break,
            _ => {
                let Some(&byte) = input.get(i + 1) else { break };
                let repeats = 257 - usize::from(length);
                budget.charge(repeats)?;
                output.extend(std::iter::repeat_n(byte, repeats));
                i += 2;
            }
        }
    }
    Ok(output)
}

/// lopdf's handling of PNG predictors (10–15) after Flate or LZW; other predictors
/// leave the data as it is. `None` when the parameters do not fit the data, which
/// fails the chain in lopdf too. The output is never longer than the input.
fn predict(data: Vec<u8>, params: Option<&Dictionary>) -> Option<Vec<u8>> {
    let Some(params) = params else { return Some(data) };
    let int =
        |key: &[u8], default: i64| params.get(key).and_then(Object::as_i64).unwrap_or(default);
    if !(10..=15).contains(&int(b"Predictor", 1)) {
        return Some(data);
    }
    // Checked, unlike lopdf's: a row must fit in the data, or no row can be decoded.
    let columns = usize::try_from(int(b"Columns", 1).max(1)).ok()?;
    let colors = usize::try_from(int(b"Colors", 1).max(1)).ok()?;
    let bits = usize::try_from(int(b"BitsPerComponent", 8).max(8)).ok()?;
    let bytes_per_pixel = colors.checked_mul(bits)? / 8;
    let row = bytes_per_pixel.checked_mul(columns)?;
    if row >= data.len() {
        return data.is_empty().then_some(data);
    }
    pdf_extract::filters::png::decode_frame(&data, bytes_per_pixel, columns).ok()
}
