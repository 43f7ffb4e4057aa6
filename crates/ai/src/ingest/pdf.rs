//! Text extraction from PDF files, with pdf-extract on top of lopdf.
//!
//! PDFs come from customers and the internet, so every file is treated as hostile.
//! pdf-extract asserts liberally: its panics are caught and reported as
//! [`PdfError::Unreadable`]. What cannot be caught — unbounded recursion, which
//! overflows the stack and aborts the process, and loops that run for billions of
//! steps — is ruled out beforehand by [`guard`].
//!
//! Memory and time are bounded by [`PdfLimits`]. lopdf and pdf-extract decode streams
//! without a bound (a few kilobytes of Flate can inflate to gigabytes), so they are
//! never left to: [`defuse`] renames the filters in the raw file so that lopdf cannot
//! decode anything but checked cross-reference streams, and [`load`] decodes every
//! other stream itself, through [`inflate`], under one budget of decoded bytes for the
//! whole document ([`PdfError::TooLarge`] past it). The work of extraction is checked
//! against a deadline while lopdf loads objects, between streams and between pages
//! ([`PdfError::TooSlow`] past it), and the work of any one page is bounded by
//! [`guard`], so no thread runs on for long after the deadline.

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::time::{Duration, Instant};

use pdf_extract::{Document, Error as LopdfError, ObjectId, PlainTextOutput, output_doc_page};

mod defuse;
mod guard;
mod inflate;
mod load;

#[cfg(test)]
mod tests;

/// Why a PDF yielded no text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PdfError {
    /// Not a PDF, or too damaged (or too hostile) to read.
    #[error("the file is not a readable PDF: {0}")]
    Unreadable(String),
    #[error("the PDF has {pages} pages; the limit is {max}")]
    TooManyPages { pages: usize, max: usize },
    /// A password is needed to open it.
    #[error("the PDF is password-protected")]
    Encrypted,
    /// No text layer, as in a scanned document.
    #[error("the PDF has no text layer; it may be a scan")]
    NoText,
    /// Its streams decode to more than the limit: a decompression bomb, or a document
    /// too large to index.
    #[error("the PDF decompresses to more than {limit_mib} MiB")]
    TooLarge { limit_mib: usize },
    /// Reading it takes longer than the limit.
    #[error("the PDF takes more than {seconds} s to read")]
    TooSlow { seconds: u64 },
}

/// Bounds on the work one document may cause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PdfLimits {
    /// Most pages, counted by walking the page tree.
    pub max_pages: usize,
    /// Most bytes all of its streams may decode to, together. Peak memory is a small
    /// multiple of this plus the file's size (parsed objects are larger than their text).
    pub max_decoded_bytes: usize,
    /// Longest the extraction may run; checked while loading, between streams and
    /// between pages.
    pub max_time: Duration,
}

impl PdfLimits {
    /// The defaults, with `max_pages` pages.
    pub fn with_max_pages(max_pages: usize) -> Self {
        PdfLimits { max_pages, max_decoded_bytes: 64 << 20, max_time: Duration::from_secs(10) }
    }
}

/// Extracts the text of a PDF, page by page (pages separated by a blank line), refusing more than
/// `max_pages` pages. Runs synchronously; callers use spawn_blocking.
///
/// Pages without text are left out. The text is not normalised: pass it through
/// [`super::normalize`].
pub fn extract_pdf(bytes: &[u8], max_pages: usize) -> Result<String, PdfError> {
    extract_pdf_with(bytes, &PdfLimits::with_max_pages(max_pages))
}

/// [`extract_pdf`] with every limit chosen by the caller.
pub fn extract_pdf_with(bytes: &[u8], limits: &PdfLimits) -> Result<String, PdfError> {
    // lopdf can panic too, so the whole of the work is inside the guard, not just
    // pdf-extract's part.
    catch_unwind(AssertUnwindSafe(|| extract(bytes, limits)))
        .unwrap_or_else(|panic| Err(PdfError::Unreadable(panic_message(panic.as_ref()))))
}

fn extract(bytes: &[u8], limits: &PdfLimits) -> Result<String, PdfError> {
    let deadline = Instant::now() + limits.max_time;
    let mut budget = inflate::Budget::new(limits.max_decoded_bytes);
    let too_large = PdfError::TooLarge { limit_mib: limits.max_decoded_bytes >> 20 };
    let stopped = |stop: load::Stop| match stop {
        load::Stop::OverBudget => too_large.clone(),
        load::Stop::Deadline => PdfError::TooSlow { seconds: limits.max_time.as_secs() },
    };
    let defused = defuse::defuse(bytes, &mut budget).map_err(|refused| match refused {
        defuse::Refused::OverBudget => too_large.clone(),
        defuse::Refused::Malformed(why) => PdfError::Unreadable(why.to_owned()),
    })?;
    let mut doc = load(&defused, &mut budget, deadline).map_err(|e| e.unwrap_or_else(stopped))?;
    // The page count comes from walking the page tree, not from the /Count a file claims.
    let pages: Vec<(u32, ObjectId)> = doc.get_pages().into_iter().collect();
    if pages.len() > limits.max_pages {
        return Err(PdfError::TooManyPages { pages: pages.len(), max: limits.max_pages });
    }
    if pages.is_empty() {
        return Err(PdfError::Unreadable("the document has no pages".to_owned()));
    }

    // Images first: their samples are dropped, not decoded.
    guard::neutralise_images(&mut doc);
    load::decode_streams(&mut doc, &mut budget, deadline).map_err(stopped)?;
    guard::check_fonts(&doc).map_err(PdfError::Unreadable)?;
    for &(number, id) in &pages {
        if Instant::now() > deadline {
            return Err(stopped(load::Stop::Deadline));
        }
        guard::check_page(&doc, id).map_err(|why| unreadable_page(number, &why))?;
    }

    let mut texts = Vec::with_capacity(pages.len());
    for &(number, _) in &pages {
        if Instant::now() > deadline {
            return Err(stopped(load::Stop::Deadline));
        }
        let mut text = String::new();
        output_doc_page(&doc, &mut PlainTextOutput::new(&mut text), number)
            .map_err(|e| unreadable_page(number, &e))?;
        let text = text.trim();
        if !text.is_empty() {
            texts.push(text.to_owned());
        }
    }
    if texts.is_empty() {
        return Err(PdfError::NoText);
    }
    Ok(texts.join("\n\n"))
}

/// Parses the defused file. lopdf opens files encrypted with an empty user password by
/// itself (many PDFs are "encrypted" only to restrict printing); any other encryption
/// leaves the /Encrypt entry in the trailer. `Err(Err(_))` is a [`load::Stop`].
fn load(
    bytes: &[u8],
    budget: &mut inflate::Budget,
    deadline: Instant,
) -> Result<Document, Result<PdfError, load::Stop>> {
    let doc = match load::load(bytes, budget, deadline) {
        load::Loaded::Document(doc) => *doc,
        load::Loaded::Stopped(stop) => return Err(Err(stop)),
        // Back to the panic guard in `extract_pdf`.
        load::Loaded::Panicked(payload) => resume_unwind(payload),
        load::Loaded::Failed(
            LopdfError::Decryption(_)
            | LopdfError::InvalidPassword
            | LopdfError::UnsupportedSecurityHandler(_),
        ) => return Err(Ok(PdfError::Encrypted)),
        load::Loaded::Failed(other) => return Err(Ok(PdfError::Unreadable(other.to_string()))),
    };
    if doc.trailer.has(b"Encrypt") {
        return Err(Ok(PdfError::Encrypted));
    }
    Ok(doc)
}

fn unreadable_page(number: u32, why: &dyn std::fmt::Display) -> PdfError {
    PdfError::Unreadable(format!("page {number}: {why}"))
}

fn panic_message(panic: &(dyn Any + Send)) -> String {
    let detail = panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("unknown cause");
    format!("the PDF parser failed: {detail}")
}
