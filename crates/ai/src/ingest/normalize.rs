//! Whitespace and character clean-up.

use unicode_normalization::UnicodeNormalization;

/// Normalises extracted text: Unicode NFC, CRLF/CR to LF, tabs and other spaces
/// collapsed to one space, control characters (other than newline) removed, lines
/// trimmed, at most one blank line between paragraphs, no blank lines at either end.
pub fn normalize(text: &str) -> String {
    let unified = text.replace("\r\n", "\n").replace('\r', "\n");
    let cleaned: String = unified
        .nfc()
        .filter_map(|c| match c {
            '\n' => Some('\n'),
            '\t' | '\u{a0}' => Some(' '),
            // Zero-width characters and BOMs carry no text.
            '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}' => None,
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect();

    let mut out = String::with_capacity(cleaned.len());
    let mut pending_blank = false;
    for line in cleaned.split('\n') {
        let mut words = line.split_whitespace();
        let Some(first) = words.next() else {
            pending_blank = !out.is_empty();
            continue;
        };
        if !out.is_empty() {
            out.push('\n');
            if pending_blank {
                out.push('\n');
            }
        }
        pending_blank = false;
        out.push_str(first);
        for word in words {
            out.push(' ');
            out.push_str(word);
        }
    }
    out
}
