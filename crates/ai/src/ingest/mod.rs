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
mod normalize;
mod pdf;

#[cfg(test)]
mod tests;

pub use chunk::{Child, ChunkConfig, Parent, chunk};
pub use extract::extract;
pub use normalize::normalize;
pub use pdf::{PdfError, extract_pdf};

use serde::{Deserialize, Serialize};

/// Largest raw document [`extract`] accepts, in bytes.
pub const MAX_INPUT_BYTES: usize = 16 * 1024 * 1024;

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
}
