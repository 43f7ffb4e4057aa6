//! Plain text from HTML, bounded against hostile documents.
//!
//! html5ever's tree builder checks element scopes by walking its stack of open elements,
//! so its work grows with the square of the nesting depth (400,000 nested `<div>` keep it
//! busy for minutes). The document is therefore fed to the parser in pieces, and between
//! pieces every node added is measured: a document nested deeper than [`MAX_HTML_DEPTH`]
//! is refused after at most one piece past the limit, and the deadline is checked too.
//! The text walk over the finished tree uses an explicit stack: no recursion, so no depth
//! can overflow the thread's stack.

use ego_tree::NodeRef;
use html5ever::driver::{self, Parser};
use html5ever::tendril::{StrTendril, TendrilSink};
use scraper::{Html, HtmlTreeSink, Node};

use super::{Deadline, IngestError, MAX_HTML_DEPTH};

/// Bytes fed to the parser between checks. A piece of nothing but start tags (5 bytes
/// each) nests about 3,300 levels past the limit before it is noticed, which costs the
/// tree builder a few milliseconds.
const PIECE_BYTES: usize = 16 * 1024;

/// Nodes walked between deadline checks.
const WALK_CHECK_EVERY: usize = 4096;

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

pub(super) fn html(raw: &str, deadline: Deadline) -> Result<String, IngestError> {
    let document = parse(raw, deadline)?;
    text(&document, deadline)
}

fn parse(raw: &str, deadline: Deadline) -> Result<Html, IngestError> {
    let mut parser =
        driver::parse_document(HtmlTreeSink::new(Html::new_document()), Default::default());
    let mut measured = 1; // the document node
    let mut rest = raw;
    while !rest.is_empty() {
        let mut cut = rest.len().min(PIECE_BYTES);
        while !rest.is_char_boundary(cut) {
            cut += 1;
        }
        let (piece, tail) = rest.split_at(cut);
        rest = tail;
        parser.process(StrTendril::from_slice(piece));
        measured = check_depth(&parser, measured)?;
        deadline.check()?;
    }
    // The end of input can still add nodes (text held back, implied elements).
    let document = parser.finish();
    if deepest_from(&document, measured) > MAX_HTML_DEPTH {
        return Err(IngestError::TooDeep { max: MAX_HTML_DEPTH });
    }
    Ok(document)
}

/// Measures the nodes added since the first `measured`; returns how many are measured now.
fn check_depth(parser: &Parser<HtmlTreeSink>, measured: usize) -> Result<usize, IngestError> {
    let document = parser.tokenizer.sink.sink.0.borrow();
    let total = document.tree.nodes().len();
    if deepest_from(&document, measured) > MAX_HTML_DEPTH {
        return Err(IngestError::TooDeep { max: MAX_HTML_DEPTH });
    }
    Ok(total)
}

/// The greatest depth among the nodes after the first `skip` (nodes are stored in the order
/// they were created), counted up to just past the limit so that each costs at most that.
fn deepest_from(document: &Html, skip: usize) -> usize {
    let nodes = document.tree.nodes();
    let new = nodes.len().saturating_sub(skip);
    nodes
        .rev()
        .take(new)
        .map(|node| node.ancestors().take(MAX_HTML_DEPTH + 1).count())
        .max()
        .unwrap_or(0)
}

/// A step of the text walk: enter a node, or write the break that closes an element.
enum Step<'a> {
    Enter { node: NodeRef<'a, Node>, in_pre: bool },
    Leave(&'static str),
}

fn text(document: &Html, deadline: Deadline) -> Result<String, IngestError> {
    let mut out = String::new();
    let mut stack: Vec<Step<'_>> = document
        .tree
        .root()
        .children()
        .rev()
        .map(|node| Step::Enter { node, in_pre: false })
        .collect();
    let mut steps = 0usize;
    while let Some(step) = stack.pop() {
        steps += 1;
        if steps.is_multiple_of(WALK_CHECK_EVERY) {
            deadline.check()?;
        }
        let (node, in_pre) = match step {
            Step::Leave(brk) => {
                out.push_str(brk);
                continue;
            }
            Step::Enter { node, in_pre } => (node, in_pre),
        };
        match node.value() {
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
                stack.push(Step::Leave(brk));
                let in_pre = in_pre || name == "pre";
                stack.extend(node.children().rev().map(|node| Step::Enter { node, in_pre }));
            }
            _ => {}
        }
    }
    Ok(out)
}
