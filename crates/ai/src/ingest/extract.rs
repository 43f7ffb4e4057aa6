//! Plain-text extraction from the supported source formats.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use scraper::{Html, Node};

use super::{IngestError, MAX_INPUT_BYTES, SourceFormat};

/// Extracts plain text from a raw document. Headings, list items and paragraphs
/// become their own lines; markup, scripts, navigation and images are dropped. The
/// result is not yet normalised: pass it through [`super::normalize`].
pub fn extract(format: SourceFormat, raw: &str) -> Result<String, IngestError> {
    if raw.len() > MAX_INPUT_BYTES {
        return Err(IngestError::TooLarge { len: raw.len(), max: MAX_INPUT_BYTES });
    }
    Ok(match format {
        SourceFormat::Text => raw.to_owned(),
        SourceFormat::Markdown => markdown(raw),
        SourceFormat::Html => html(raw),
    })
}

fn markdown(raw: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut out = String::with_capacity(raw.len());
    // Depth of images being skipped: their alt text is not document text.
    let mut in_image = 0usize;
    for event in Parser::new_ext(raw, options) {
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
    out
}

/// Elements whose whole subtree is dropped.
const SKIPPED: &[&str] = &[
    "head", "title", "script", "style", "noscript", "nav", "header", "footer", "aside", "form",
    "template", "svg", "iframe", "object", "canvas", "button", "select", "math",
];

/// Elements that start a new paragraph.
const PARAGRAPH: &[&str] = &[
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "ul",
    "ol",
    "dl",
    "table",
    "section",
    "article",
    "main",
    "figure",
    "details",
];

/// Elements that start a new line.
const LINE: &[&str] =
    &["div", "li", "tr", "dt", "dd", "br", "hr", "figcaption", "summary", "caption", "address"];

fn html(raw: &str) -> String {
    let document = Html::parse_document(raw);
    let mut out = String::with_capacity(raw.len() / 2);
    walk(document.tree.root(), false, &mut out);
    out
}

fn walk(node: ego_tree::NodeRef<'_, Node>, in_pre: bool, out: &mut String) {
    for child in node.children() {
        match child.value() {
            Node::Text(text) => {
                if in_pre {
                    out.push_str(text);
                } else {
                    // Outside <pre>, HTML source newlines are just spaces.
                    out.extend(text.chars().map(|c| if c == '\n' { ' ' } else { c }));
                }
            }
            Node::Element(element) => {
                let name = element.name();
                if SKIPPED.contains(&name) {
                    continue;
                }
                let brk = if PARAGRAPH.contains(&name) {
                    "\n\n"
                } else if LINE.contains(&name) {
                    "\n"
                } else if matches!(name, "td" | "th") {
                    " "
                } else {
                    ""
                };
                out.push_str(brk);
                walk(child, in_pre || name == "pre", out);
                out.push_str(brk);
            }
            _ => {}
        }
    }
}
