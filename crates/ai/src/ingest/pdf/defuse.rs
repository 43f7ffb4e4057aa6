//! Before lopdf reads a file: take away its means of decoding streams on its own.
//!
//! lopdf decodes while loading (cross-reference streams, object streams, the container
//! of any object a stream's `/Length` points into) and pdf-extract decodes content
//! later, each time into an unbounded `Vec`. Rather than follow every such path, this
//! pass renames, in the raw bytes, every name lopdf would decode with (`FlateDecode`,
//! `LZWDecode`, `ASCII85Decode`) to a marker of the same length: offsets stay valid,
//! and lopdf sees a filter it does not know, so it decodes nothing. The loader's
//! caller then decodes each stream itself, under a budget, and maps the markers back.
//!
//! Every name token in the file is looked at, wherever it sits, with lopdf's own name
//! syntax: the pass does not need to agree with lopdf on where objects begin.
//!
//! One exception keeps files readable: a cross-reference stream must be decoded by
//! lopdf, before any object can be found. Each offset lopdf might read one from (the
//! number after any `startxref`, `/Prev` or `/XRefStm`) is parsed here; a stream whose
//! dictionary is plain (no comments, no literal strings), whose `/Length` is direct and
//! whose only filter is Flate keeps that filter once its decoded size has been checked
//! against a small limit and charged to the budget. Anything else lopdf cannot decode,
//! and such a file is refused as unreadable.

use std::collections::BTreeSet;

use super::inflate::{Budget, OverBudget, flate};

/// Filters lopdf decodes, and the marker each is renamed to (same length).
const RENAMED: [(&[u8], &[u8]); 3] = [
    (b"FlateDecode", b"FlateDecod_"),
    (b"LZWDecode", b"LZWDecod_"),
    (b"ASCII85Decode", b"ASCII85Decod_"),
];

/// The filter a marker stands for (markers written in a file mean the same: they are
/// decoded under the budget like any filter).
pub(super) fn unmark(name: &[u8]) -> &[u8] {
    RENAMED.iter().find(|(_, marker)| *marker == name).map_or(name, |(original, _)| original)
}

/// Largest decoded cross-reference stream: about 800,000 objects.
const MAX_XREF_STREAM: usize = 4 << 20;
/// Most places a cross-reference section may be read from.
const MAX_XREF_CANDIDATES: usize = 256;
/// Longest cross-reference stream dictionary parsed.
const MAX_XREF_DICT: usize = 4096;

#[derive(Debug, PartialEq, Eq)]
pub(super) enum Refused {
    OverBudget,
    Malformed(&'static str),
}

impl From<OverBudget> for Refused {
    fn from(_: OverBudget) -> Self {
        Refused::OverBudget
    }
}

/// The file with every decodable filter name renamed, except those of checked
/// cross-reference streams.
pub(super) fn defuse(input: &[u8], budget: &mut Budget) -> Result<Vec<u8>, Refused> {
    // lopdf reads from the first `%PDF-`; offsets in the file count from there.
    let base = input.windows(5).position(|w| w == b"%PDF-").unwrap_or(0);
    let buf = &input[base..];

    let mut renames = Vec::new();
    let mut candidates = BTreeSet::new();
    for (at, &byte) in buf.iter().enumerate() {
        if byte != b'/' {
            continue;
        }
        let (end, decoded) = name(buf, at);
        if RENAMED.iter().any(|(original, _)| *original == decoded.as_slice()) {
            renames.push((at, end, decoded));
        } else if matches!(decoded.as_slice(), b"Prev" | b"XRefStm") {
            candidates.extend(offset_value(buf, end));
        }
    }
    for at in find_all(buf, b"startxref") {
        let mut i = at + b"startxref".len();
        while buf.get(i).is_some_and(|b| is_whitespace(*b)) {
            i += 1;
        }
        candidates.extend(integer(buf, i).and_then(|(value, _)| usize::try_from(value).ok()));
    }
    if candidates.len() > MAX_XREF_CANDIDATES {
        return Err(Refused::Malformed("too many cross-reference sections"));
    }

    let mut kept = BTreeSet::new();
    for &offset in &candidates {
        if let Some(filter_at) = check_xref_stream(buf, offset, budget)? {
            kept.insert(filter_at);
        }
    }

    let mut output = input.to_vec();
    for (at, end, decoded) in renames {
        if kept.contains(&at) {
            continue;
        }
        let marker = RENAMED.iter().find(|(o, _)| *o == decoded.as_slice()).map(|(_, m)| *m);
        let marker = marker.unwrap_or_default();
        output[base + at..base + end].copy_from_slice(&same_length_name(marker, end - at));
    }
    Ok(output)
}

/// `/` + `name`, `#`-escaping its first bytes until it is `raw_len` bytes long. A name
/// of n bytes with k escapes is 1 + n + 2k bytes, and a marker has its original's length.
fn same_length_name(name: &[u8], raw_len: usize) -> Vec<u8> {
    let escapes = (raw_len - 1 - name.len()) / 2;
    let mut out = vec![b'/'];
    for (i, byte) in name.iter().enumerate() {
        if i < escapes {
            out.extend_from_slice(format!("#{byte:02X}").as_bytes());
        } else {
            out.push(*byte);
        }
    }
    out
}

fn find_all<'a>(haystack: &'a [u8], needle: &'a [u8]) -> impl Iterator<Item = usize> + 'a {
    haystack.windows(needle.len()).enumerate().filter(move |(_, w)| *w == needle).map(|(i, _)| i)
}

// lopdf's lexical rules (parser/mod.rs).
fn is_whitespace(c: u8) -> bool {
    b" \t\n\r\0\x0C".contains(&c)
}

fn is_delimiter(c: u8) -> bool {
    b"()<>[]{}/%".contains(&c)
}

fn is_regular(c: u8) -> bool {
    !is_whitespace(c) && !is_delimiter(c)
}

fn hex(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

/// The name starting with the `/` at `at`: where it ends and its decoded bytes. As in
/// lopdf, `#` and two hex digits is one byte, and a `#` without them ends the name.
fn name(buf: &[u8], at: usize) -> (usize, Vec<u8>) {
    let mut i = at + 1;
    let mut decoded = Vec::new();
    while let Some(&c) = buf.get(i) {
        if c == b'#' {
            match (buf.get(i + 1).copied().and_then(hex), buf.get(i + 2).copied().and_then(hex)) {
                (Some(high), Some(low)) => {
                    decoded.push(high << 4 | low);
                    i += 3;
                }
                _ => break,
            }
        } else if is_regular(c) {
            decoded.push(c);
            i += 1;
        } else {
            break;
        }
    }
    (i, decoded)
}

/// lopdf's `space`: whitespace and comments (a comment must end with an end of line).
fn skip_space(buf: &[u8], mut i: usize) -> usize {
    loop {
        match buf.get(i) {
            Some(&c) if is_whitespace(c) => i += 1,
            Some(b'%') => {
                let mut j = i + 1;
                while buf.get(j).is_some_and(|c| !b"\r\n".contains(c)) {
                    j += 1;
                }
                if j >= buf.len() {
                    return i;
                }
                i = j;
            }
            _ => return i,
        }
    }
}

/// An optionally signed integer at `i` (lopdf's `integer`), and where it ends.
fn integer(buf: &[u8], i: usize) -> Option<(i64, usize)> {
    let digits_at = if matches!(buf.get(i), Some(b'+' | b'-')) { i + 1 } else { i };
    let mut end = digits_at;
    while buf.get(end).is_some_and(u8::is_ascii_digit) {
        end += 1;
    }
    if end == digits_at {
        return None;
    }
    let value = std::str::from_utf8(&buf[i..end]).ok()?.parse().ok()?;
    Some((value, end))
}

/// The value after a `/Prev` or `/XRefStm` key when lopdf would read it as an offset:
/// an integer that is neither a real nor the start of a reference.
fn offset_value(buf: &[u8], after_key: usize) -> Option<usize> {
    let at = skip_space(buf, after_key);
    let (value, end) = integer(buf, at)?;
    if buf.get(end) == Some(&b'.') {
        return None;
    }
    let next = skip_space(buf, end);
    if let Some((_, generation_end)) = integer(buf, next).filter(|_| buf[next].is_ascii_digit())
        && buf.get(skip_space(buf, generation_end)) == Some(&b'R')
        && buf[at].is_ascii_digit()
    {
        return None;
    }
    usize::try_from(value).ok()
}

/// A dictionary's entries, in the file's order.
type Entries = Vec<(Vec<u8>, Value)>;

/// A value of a cross-reference stream dictionary, as far as this check needs it.
#[derive(Debug, PartialEq)]
enum Value {
    Int(i64),
    /// A name, and where its token starts.
    Name(Vec<u8>, usize),
    Array(Vec<Value>),
    Dict(Entries),
    Other,
}

impl Value {
    fn int(&self) -> Option<i64> {
        match self {
            Value::Int(n) => Some(*n),
            _ => None,
        }
    }
}

fn lookup<'a>(dict: &'a [(Vec<u8>, Value)], key: &[u8]) -> Option<&'a Value> {
    // As lopdf's dictionary, a repeated key keeps its last value.
    dict.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v)
}

/// Parses the object at `offset` as lopdf's cross-reference reader would. For a stream
/// whose Flate filter may be left to lopdf, returns where that filter's name starts,
/// after charging its decoded size to the budget. Objects that are not streams, and
/// streams it cannot vouch for, are left alone: their filters are renamed and lopdf
/// fails to read the section, which refuses the file.
fn check_xref_stream(
    buf: &[u8],
    offset: usize,
    budget: &mut Budget,
) -> Result<Option<usize>, Refused> {
    let window = &buf[offset.min(buf.len())..(offset + MAX_XREF_DICT).min(buf.len())];
    let Some((dict, stream_keyword)) = xref_stream_header(window) else { return Ok(None) };
    let mut i = stream_keyword + b"stream".len();
    while matches!(window.get(i), Some(b' ' | b'\t')) {
        i += 1;
    }
    i += match (window.get(i), window.get(i + 1)) {
        (Some(b'\r'), Some(b'\n')) => 2,
        (Some(b'\r' | b'\n'), _) => 1,
        _ => return Ok(None),
    };
    let content_at = offset + i;

    // A cross-reference stream with zero-width entries makes lopdf loop `Index` times
    // (billions) without reading a byte: refuse it whether or not it is compressed.
    let widths: Option<Vec<i64>> = match lookup(&dict, b"W") {
        Some(Value::Array(items)) => items.iter().map(Value::int).collect(),
        _ => None,
    };
    if let Some(widths) = &widths
        && (widths.len() < 3
            || widths.iter().any(|w| !(0..=8).contains(w))
            || widths[..3].iter().sum::<i64>() == 0)
    {
        return Err(Refused::Malformed("a cross-reference stream has invalid field widths"));
    }

    // lopdf does not decrypt a stream typed XRef, so what is checked here is what it
    // decodes, in an encrypted file too.
    if !matches!(lookup(&dict, b"Type"), Some(Value::Name(name, _)) if name == b"XRef") {
        return Ok(None);
    }
    let filter_at = match lookup(&dict, b"Filter") {
        Some(Value::Name(name, at)) if name == b"FlateDecode" => *at,
        Some(Value::Array(items)) => match items.as_slice() {
            [Value::Name(name, at)] if name == b"FlateDecode" => *at,
            _ => return Ok(None),
        },
        _ => return Ok(None),
    };
    // Only a direct length: an indirect one could be resolved differently later, when
    // lopdf reads this stream again as the container of a compressed object.
    let Some(length) = lookup(&dict, b"Length").and_then(Value::int) else { return Ok(None) };
    let Some(content) = usize::try_from(length)
        .ok()
        .and_then(|length| buf.get(content_at..content_at.checked_add(length)?))
    else {
        return Ok(None);
    };
    if !predictor_fits(lookup(&dict, b"DecodeParms")) {
        return Ok(None);
    }
    // A predictor never lengthens the data, so Flate's output bounds lopdf's.
    let mut limit = Budget::new(MAX_XREF_STREAM);
    let decoded = flate(content, &mut limit).map_err(|_| Refused::OverBudget)?;
    budget.charge(decoded.len())?;
    Ok(Some(offset + filter_at))
}

/// lopdf builds PNG predictor rows from `Columns`, `Colors` and `BitsPerComponent`
/// without a bound (two rows are allocated before any data is read): keep them small.
fn predictor_fits(params: Option<&Value>) -> bool {
    let Some(Value::Dict(params)) = params else { return true };
    let predictor = lookup(params, b"Predictor").and_then(Value::int).unwrap_or(1);
    if !(10..=15).contains(&predictor) {
        return true;
    }
    let within = |key: &[u8], range: std::ops::RangeInclusive<i64>| match lookup(params, key) {
        None => true,
        Some(value) => value.int().is_some_and(|n| range.contains(&n)),
    };
    within(b"Columns", 1..=64) && within(b"Colors", 1..=4) && within(b"BitsPerComponent", 1..=16)
}

/// `N G obj << … >> stream` at the start of `window`: the dictionary and where the
/// `stream` keyword starts. `None` when the dictionary holds a comment or a literal
/// string (where parsers are most likely to disagree) or anything unexpected.
fn xref_stream_header(window: &[u8]) -> Option<(Entries, usize)> {
    let mut i = skip_plain_space(window, 0)?;
    for _ in 0..2 {
        let end = i + window[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if end == i {
            return None;
        }
        i = skip_plain_space(window, end)?;
    }
    i = skip_plain_space(window, i.checked_add(3).filter(|_| window[i..].starts_with(b"obj"))?)?;
    let mut parser = Plain { buf: window, at: i };
    let Value::Dict(dict) = parser.value(0)? else { return None };
    let keyword = skip_plain_space(window, parser.at)?;
    window[keyword..].starts_with(b"stream").then_some((dict, keyword))
}

/// Whitespace only: a comment makes the dictionary too unusual to vouch for.
fn skip_plain_space(buf: &[u8], mut i: usize) -> Option<usize> {
    while buf.get(i).is_some_and(|c| is_whitespace(*c)) {
        i += 1;
    }
    (buf.get(i) != Some(&b'%')).then_some(i)
}

/// A parser for the plain subset of PDF objects a cross-reference stream dictionary
/// uses: names, numbers, references, hex strings, booleans, null, arrays, dictionaries.
struct Plain<'a> {
    buf: &'a [u8],
    at: usize,
}

impl Plain<'_> {
    fn value(&mut self, depth: usize) -> Option<Value> {
        if depth > 8 {
            return None;
        }
        let start = self.at;
        let value = match *self.buf.get(start)? {
            b'/' => {
                let (end, decoded) = name(self.buf, start);
                self.at = end;
                Value::Name(decoded, start)
            }
            b'<' if self.buf.get(start + 1) == Some(&b'<') => {
                self.at = skip_plain_space(self.buf, start + 2)?;
                let mut entries = Vec::new();
                while self.buf.get(self.at) == Some(&b'/') {
                    let (end, key) = name(self.buf, self.at);
                    self.at = skip_plain_space(self.buf, end)?;
                    let value = self.value(depth + 1)?;
                    entries.push((key, value));
                }
                if !self.buf[self.at..].starts_with(b">>") {
                    return None;
                }
                self.at += 2;
                Value::Dict(entries)
            }
            b'<' => {
                let len = self.buf[start + 1..].iter().position(|&c| c == b'>')?;
                let body = &self.buf[start + 1..start + 1 + len];
                if !body.iter().all(|&c| hex(c).is_some() || is_whitespace(c)) {
                    return None;
                }
                self.at = start + len + 2;
                Value::Other
            }
            b'[' => {
                self.at = skip_plain_space(self.buf, start + 1)?;
                let mut items = Vec::new();
                while self.buf.get(self.at) != Some(&b']') {
                    items.push(self.value(depth + 1)?);
                }
                self.at += 1;
                Value::Array(items)
            }
            b't' | b'f' | b'n' => {
                let word = [&b"true"[..], b"false", b"null"]
                    .into_iter()
                    .find(|w| self.buf[start..].starts_with(w))?;
                self.at = start + word.len();
                Value::Other
            }
            _ => {
                let (value, end) = integer(self.buf, start)?;
                if self.buf.get(end) == Some(&b'.') {
                    return None;
                }
                // `N G R` is a reference.
                let next = skip_plain_space(self.buf, end)?;
                if self.buf[start].is_ascii_digit()
                    && let Some((_, generation_end)) =
                        integer(self.buf, next).filter(|_| self.buf[next].is_ascii_digit())
                    && let Some(r) = skip_plain_space(self.buf, generation_end)
                    && self.buf.get(r) == Some(&b'R')
                {
                    self.at = r + 1;
                    Value::Other
                } else {
                    self.at = end;
                    Value::Int(value)
                }
            }
        };
        // A value must end at a delimiter or whitespace, as lopdf's tokens do.
        if self.buf.get(self.at).is_some_and(|&c| is_regular(c))
            && !matches!(value, Value::Dict(_) | Value::Array(_) | Value::Other)
        {
            return None;
        }
        self.at = skip_plain_space(self.buf, self.at)?;
        Some(value)
    }
}
