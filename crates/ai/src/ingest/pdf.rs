//! Text extraction from PDF files, with pdf-extract on top of lopdf.
//!
//! PDFs come from customers and the internet, so every file is treated as hostile.
//! pdf-extract asserts liberally: its panics are caught and reported as
//! [`PdfError::Unreadable`]. What cannot be caught — unbounded recursion, which
//! overflows the stack and aborts the process, and loops that run for billions of
//! steps — is ruled out beforehand by [`guard`].
//!
//! Not bounded here: the memory that decompressing a stream takes. A 16 MB file of
//! Flate bombs can inflate to gigabytes; callers that take untrusted PDFs should run
//! extraction where running out of memory is survivable.

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};

use pdf_extract::{Document, Error as LopdfError, ObjectId, PlainTextOutput, output_doc_page};

mod guard;

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
}

/// Extracts the text of a PDF, page by page (pages separated by a blank line), refusing more than
/// `max_pages` pages. Runs synchronously; callers use spawn_blocking.
///
/// Pages without text are left out. The text is not normalised: pass it through
/// [`super::normalize`].
pub fn extract_pdf(bytes: &[u8], max_pages: usize) -> Result<String, PdfError> {
    // lopdf can panic too, so the whole of the work is inside the guard, not just
    // pdf-extract's part.
    catch_unwind(AssertUnwindSafe(|| extract(bytes, max_pages)))
        .unwrap_or_else(|panic| Err(PdfError::Unreadable(panic_message(panic.as_ref()))))
}

fn extract(bytes: &[u8], max_pages: usize) -> Result<String, PdfError> {
    let mut doc = load(bytes)?;
    // The page count comes from walking the page tree, not from the /Count a file claims.
    let pages: Vec<(u32, ObjectId)> = doc.get_pages().into_iter().collect();
    if pages.len() > max_pages {
        return Err(PdfError::TooManyPages { pages: pages.len(), max: max_pages });
    }
    if pages.is_empty() {
        return Err(PdfError::Unreadable("the document has no pages".to_owned()));
    }

    guard::neutralise_images(&mut doc);
    guard::check_fonts(&doc).map_err(PdfError::Unreadable)?;
    for &(number, id) in &pages {
        guard::check_page(&doc, id).map_err(|why| unreadable_page(number, &why))?;
    }

    let mut texts = Vec::with_capacity(pages.len());
    for &(number, _) in &pages {
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

/// Parses the file. lopdf opens files encrypted with an empty user password by itself
/// (many PDFs are "encrypted" only to restrict printing); any other encryption leaves
/// the /Encrypt entry in the trailer.
fn load(bytes: &[u8]) -> Result<Document, PdfError> {
    let doc = Document::load_mem(bytes).map_err(|e| match e {
        LopdfError::Decryption(_)
        | LopdfError::InvalidPassword
        | LopdfError::UnsupportedSecurityHandler(_) => PdfError::Encrypted,
        other => PdfError::Unreadable(other.to_string()),
    })?;
    if doc.trailer.has(b"Encrypt") {
        return Err(PdfError::Encrypted);
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
