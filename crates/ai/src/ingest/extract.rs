//! Plain-text extraction from the supported source formats.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::{Deadline, IngestError, MAX_INPUT_BYTES, SourceFormat, html};

/// Markdown events handled between deadline checks.
const EVENTS_PER_CHECK: usize = 4096;

/// Extracts plain text from a raw document. Headings, list items and paragraphs
/// become their own lines; markup, scripts, navigation and images are dropped. The
/// result is not yet normalised: pass it through [`super::normalize`].
pub fn extract(format: SourceFormat, raw: &str) -> Result<String, IngestError> {
    extract_until(format, raw, Deadline::NONE)
}

/// [`extract`], giving up with [`IngestError::TimedOut`] once `deadline` has passed. The
/// deadline is checked between pieces of work, so the call returns soon after it rather
/// than running on in a thread nobody waits for.
pub fn extract_until(
    format: SourceFormat,
    raw: &str,
    deadline: Deadline,
) -> Result<String, IngestError> {
    if raw.len() > MAX_INPUT_BYTES {
        return Err(IngestError::TooLarge { len: raw.len(), max: MAX_INPUT_BYTES });
    }
    match format {
        SourceFormat::Text => Ok(raw.to_owned()),
        SourceFormat::Markdown => markdown(raw, deadline),
        SourceFormat::Html => html::html(raw, deadline),
    }
}

/// pulldown-cmark keeps its own explicit stacks (no recursion over the input's nesting);
/// what is left to bound is time.
fn markdown(raw: &str, deadline: Deadline) -> Result<String, IngestError> {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut out = String::with_capacity(raw.len());
    // Depth of images being skipped: their alt text is not document text.
    let mut in_image = 0usize;
    for (n, event) in Parser::new_ext(raw, options).enumerate() {
        if n.is_multiple_of(EVENTS_PER_CHECK) {
            deadline.check()?;
        }
        match event {
            Event::Start(Tag::Image { .. }) => in_image += 1,
            Event::End(TagEnd::Image) => in_image = in_image.saturating_sub(1),
            _ if in_image > 0 => {}
            Event::Start(
                Tag::Heading { .. }
                | Tag::Paragraph
                | Tag::CodeBlock(_)
                | Tag::BlockQuote(_)
                | Tag::List(_)
                | Tag::Table(_),
            ) => out.push_str("\n\n"),
            Event::End(
                TagEnd::Heading(_)
                | TagEnd::Paragraph
                | TagEnd::CodeBlock
                | TagEnd::BlockQuote(_)
                | TagEnd::List(_)
                | TagEnd::Table,
            ) => out.push_str("\n\n"),
            Event::Start(Tag::Item | Tag::TableRow | Tag::TableHead) => out.push('\n'),
            Event::End(TagEnd::Item | TagEnd::TableRow | TagEnd::TableHead) => out.push('\n'),
            Event::End(TagEnd::TableCell) => out.push(' '),
            Event::Text(text) | Event::Code(text) => out.push_str(&text),
            Event::SoftBreak => out.push(' '),
            Event::HardBreak | Event::Rule => out.push('\n'),
            // Raw HTML, footnote references, maths, task markers: not prose.
            _ => {}
        }
    }
    Ok(out)
}
