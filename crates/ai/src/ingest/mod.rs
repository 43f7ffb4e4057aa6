//! Document ingestion for knowledge retrieval: pure text work, no IO.
//!
//! A raw document goes through three steps:
//! 1. [`extract`] turns text, markdown or HTML into plain text, one block per line;
//! 2. [`normalize`] tidies whitespace and strips control characters;
//! 3. [`chunk`] splits the text parent-child: small children are what search matches,
//!    and each child belongs to a parent passage that the responder sees and cites.
//!
//! Every child's text is a substring of its parent's text, and every parent's text is
//! a substring of the normalised document.

mod chunk;
mod extract;
mod html;
mod normalize;
mod pdf;

#[cfg(test)]
mod fuzz;
#[cfg(test)]
mod tests;

pub use chunk::{Child, ChunkConfig, Parent, chunk};
pub use extract::{extract, extract_until};
pub use normalize::normalize;
pub use pdf::{PdfError, extract_pdf};

use serde::{Deserialize, Serialize};
use std::time::{Duration, Instant};

/// Largest raw document [`extract`] accepts, in bytes.
pub const MAX_INPUT_BYTES: usize = 16 * 1024 * 1024;

/// Deepest element nesting an HTML document may have. Real pages stay within a few dozen
/// levels (browsers cap theirs at 512); the HTML parser's work grows with the square of
/// the depth, so the bound keeps a document's cost linear in its size.
pub const MAX_HTML_DEPTH: usize = 256;

/// When extraction gives up. Checked between pieces of work, so that a hostile document
/// stops costing CPU soon after its time is up instead of running on unobserved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadline(Option<Instant>);

impl Deadline {
    /// No time limit.
    pub const NONE: Deadline = Deadline(None);

    pub fn at(instant: Instant) -> Self {
        Self(Some(instant))
    }

    pub fn after(budget: Duration) -> Self {
        Self(Instant::now().checked_add(budget))
    }

    /// `Err(TimedOut)` once the deadline has passed.
    pub fn check(self) -> Result<(), IngestError> {
        match self.0 {
            Some(at) if Instant::now() >= at => Err(IngestError::TimedOut),
            _ => Ok(()),
        }
    }
}

/// The format of a raw document. PDF is turned into text first (`extract_pdf`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceFormat {
    Text,
    Markdown,
    Html,
}

/// Why a document could not be ingested.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IngestError {
    #[error("document is {len} bytes; the limit is {max}")]
    TooLarge { len: usize, max: usize },
    #[error("the document's elements are nested more than {max} levels deep")]
    TooDeep { max: usize },
    #[error("the document took too long to process")]
    TimedOut,
}
