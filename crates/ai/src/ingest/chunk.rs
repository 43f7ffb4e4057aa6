//! Parent-child chunking of normalised text.

use serde::{Deserialize, Serialize};

use super::normalize;

/// Size limits for [`chunk`], in characters (Unicode scalar values).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChunkConfig {
    /// Longest parent passage: what the responder sees and cites.
    pub parent_max_chars: usize,
    /// Longest child: what search matches.
    pub child_max_chars: usize,
}

impl Default for ChunkConfig {
    fn default() -> Self {
        Self { parent_max_chars: 1200, child_max_chars: 300 }
    }
}

/// A passage the responder sees and cites; its children are what search matches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Parent {
    /// Position in the document, from 0.
    pub ordinal: usize,
    pub text: String,
    pub children: Vec<Child>,
}

/// A sentence or short passage inside a parent; its text is a substring of the parent's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Child {
    /// Position within its parent, from 0.
    pub ordinal: usize,
    pub text: String,
}

/// A byte range into the text being chunked.
type Span = (usize, usize);

/// Words after which a full stop does not end a sentence (compared lowercase, without
/// the final dot).
const ABBREVIATIONS: &[&str] = &[
    "e.g", "i.e", "mr", "mrs", "ms", "dr", "prof", "st", "vs", "jr", "sr", "inc", "ltd", "co",
    "corp", "approx", "cf", "fig", "no", "nos", "vol", "p", "pp", "ca", "a.m", "p.m", "u.s",
];

/// Splits `text` (normalised first) into parents of at most `parent_max_chars`, each
/// with children of at most `child_max_chars`. Paragraphs are kept whole where they
/// fit, and a heading stays with the paragraph after it.
pub fn chunk(text: &str, config: &ChunkConfig) -> Vec<Parent> {
    let text = normalize(text);
    let parent_max = config.parent_max_chars.max(1);
    let child_max = config.child_max_chars.max(1);

    parent_spans(&text, parent_max)
        .into_iter()
        .enumerate()
        .map(|(ordinal, (start, end))| {
            let parent = &text[start..end];
            let sentences = sentence_spans(parent, (0, parent.len()), child_max);
            let children = merge_fragments(parent, &sentences, child_max)
                .into_iter()
                .enumerate()
                .map(|(ordinal, (s, e))| Child { ordinal, text: parent[s..e].to_owned() })
                .collect();
            Parent { ordinal, text: parent.to_owned(), children }
        })
        .collect()
}

fn chars(text: &str, (start, end): Span) -> usize {
    text[start..end].chars().count()
}

/// Paragraph spans (separated by blank lines), with each heading-like paragraph merged
/// into the one after it, packed into parents.
fn parent_spans(text: &str, max: usize) -> Vec<Span> {
    let mut blocks = Vec::new();
    let mut offset = 0;
    for block in text.split("\n\n") {
        let start = offset + (block.len() - block.trim_start().len());
        let end = offset + block.trim_end().len();
        if start < end {
            blocks.push((start, end));
        }
        offset += block.len() + 2;
    }

    let mut units = Vec::new();
    let mut heading_start = None;
    for (i, &(start, end)) in blocks.iter().enumerate() {
        if i + 1 < blocks.len() && is_heading(&text[start..end]) {
            heading_start.get_or_insert(start);
            continue;
        }
        units.push((heading_start.take().unwrap_or(start), end));
    }

    let mut parents = Vec::new();
    let mut packer = Packer::new(text, max);
    for unit in units {
        if chars(text, unit) > max {
            parents.extend(packer.take());
            let pieces = sentence_spans(text, unit, max);
            parents.extend(pack(text, &pieces, max));
            continue;
        }
        parents.extend(packer.add(unit));
    }
    parents.extend(packer.take());
    parents
}

/// A heading-like block: one short line that does not end like a sentence.
fn is_heading(block: &str) -> bool {
    !block.contains('\n')
        && block.chars().count() <= 100
        && !block.ends_with(['.', '!', '?', ':', ';', ','])
}

/// Greedily merges consecutive spans while the merged span stays within `max`.
fn pack(text: &str, spans: &[Span], max: usize) -> Vec<Span> {
    let mut out = Vec::new();
    let mut packer = Packer::new(text, max);
    for &span in spans {
        out.extend(packer.add(span));
    }
    out.extend(packer.take());
    out
}

/// Sentences shorter than this are merged with a neighbour: a heading like "Returns." or a
/// fragment like "Yes." carries too little meaning to be matched on its own.
const MIN_CHILD_CHARS: usize = 40;

/// One child per sentence, so that a question matches the one sentence that answers it
/// rather than a blur of several (packing whole paragraphs into a child let a paraphrase
/// that only the vectors connect score far below the threshold). Only fragments shorter
/// than [`MIN_CHILD_CHARS`] are merged with the sentence after them (or, at the end, before
/// them), within `max`.
fn merge_fragments(text: &str, sentences: &[Span], max: usize) -> Vec<Span> {
    let mut out: Vec<(Span, usize)> = Vec::with_capacity(sentences.len());
    // A fragment still waiting for the sentence after it.
    let mut pending: Option<(Span, usize)> = None;
    for &span in sentences {
        let own = chars(text, span);
        let (span, n) = match pending.take() {
            Some(((s, e), n)) => {
                let merged = n + chars(text, (e, span.0)) + own;
                if merged <= max {
                    ((s, span.1), merged)
                } else {
                    out.push(((s, e), n));
                    (span, own)
                }
            }
            None => (span, own),
        };
        if n < MIN_CHILD_CHARS {
            pending = Some((span, n));
        } else {
            out.push((span, n));
        }
    }
    if let Some(((s, e), n)) = pending {
        match out.last_mut() {
            Some(((_, pe), pn)) if *pn + chars(text, (*pe, s)) + n <= max => {
                *pn += chars(text, (*pe, s)) + n;
                *pe = e;
            }
            _ => out.push(((s, e), n)),
        }
    }
    out.into_iter().map(|(span, _)| span).collect()
}

/// The span being packed and its length in characters, kept as spans are added so that
/// each character is counted once: recounting the merged span for every addition made
/// packing many tiny spans cost `max` steps each.
struct Packer<'a> {
    text: &'a str,
    max: usize,
    current: Option<(Span, usize)>,
}

impl<'a> Packer<'a> {
    fn new(text: &'a str, max: usize) -> Self {
        Self { text, max, current: None }
    }

    /// Adds the next span (after the current one); returns a span that is complete.
    fn add(&mut self, (start, end): Span) -> Option<Span> {
        let own = chars(self.text, (start, end));
        match self.current {
            Some(((s, e), n)) => {
                debug_assert!(e <= start, "spans are added in order");
                let merged = n + chars(self.text, (e, start)) + own;
                if merged <= self.max {
                    self.current = Some(((s, end), merged));
                    None
                } else {
                    self.current = Some(((start, end), own));
                    Some((s, e))
                }
            }
            None => {
                self.current = Some(((start, end), own));
                None
            }
        }
    }

    fn take(&mut self) -> Option<Span> {
        self.current.take().map(|(span, _)| span)
    }
}

/// Sentence and line spans inside `span`, trimmed; any longer than `max` are split at
/// whitespace (or, for a single over-long word, at character boundaries).
fn sentence_spans(text: &str, (start, end): Span, max: usize) -> Vec<Span> {
    let slice = &text[start..end];
    let mut raw = Vec::new();
    let mut from = 0;
    let mut iter = slice.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let cut = match c {
            '\n' => Some(i),
            '.' | '!' | '?' => {
                // Swallow closing punctuation: `."`, `?)`, `...`
                let mut after = i + c.len_utf8();
                while let Some(&(j, n)) = iter.peek() {
                    if matches!(
                        n,
                        '.' | '!' | '?' | '"' | '\'' | ')' | ']' | '\u{201d}' | '\u{2019}'
                    ) {
                        after = j + n.len_utf8();
                        iter.next();
                    } else {
                        break;
                    }
                }
                ends_sentence(slice, from, i, c, after).then_some(after)
            }
            _ => None,
        };
        if let Some(cut) = cut {
            raw.push((from, cut));
            from = cut;
        }
    }
    raw.push((from, slice.len()));

    let mut out = Vec::new();
    for (s, e) in raw {
        let piece = &slice[s..e];
        let s = start + s + (piece.len() - piece.trim_start().len());
        let e = start + e - (piece.len() - piece.trim_end().len());
        if s >= e {
            continue;
        }
        if chars(text, (s, e)) <= max {
            out.push((s, e));
        } else {
            out.extend(split_long(text, (s, e), max));
        }
    }
    out
}

/// Whether the terminator `c` at byte `i` of `slice` ends a sentence: it must be
/// followed by whitespace and an uppercase letter or digit, and (for a full stop) not
/// close a known abbreviation or an initial.
fn ends_sentence(slice: &str, from: usize, i: usize, c: char, after: usize) -> bool {
    let rest = &slice[after..];
    if !rest.starts_with(char::is_whitespace) {
        return false;
    }
    let next = rest.trim_start().chars().next();
    if !next.is_some_and(|n| n.is_uppercase() || n.is_ascii_digit() || !n.is_alphabetic()) {
        return false;
    }
    if c != '.' {
        return true;
    }
    let before = &slice[from..i];
    let word = before.rsplit(|ch: char| ch.is_whitespace() || ch == '(').next().unwrap_or("");
    let lower = word.to_lowercase();
    let is_initial = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
    !(is_initial || ABBREVIATIONS.contains(&lower.as_str()))
}

/// Splits an over-long span at whitespace into pieces of at most `max` characters.
fn split_long(text: &str, (start, end): Span, max: usize) -> Vec<Span> {
    // Word spans, with any word longer than `max` cut at character boundaries.
    let mut words = Vec::new();
    let slice = &text[start..end];
    let mut offset = 0;
    for word in slice.split(char::is_whitespace) {
        let ws = start + offset;
        offset +=
            word.len() + slice[offset + word.len()..].chars().next().map_or(0, char::len_utf8);
        if word.is_empty() {
            continue;
        }
        let mut piece_start = ws;
        let mut count = 0;
        for (j, _) in word.char_indices() {
            if count == max {
                words.push((piece_start, ws + j));
                piece_start = ws + j;
                count = 0;
            }
            count += 1;
        }
        words.push((piece_start, ws + word.len()));
    }
    pack(text, &words, max)
}
