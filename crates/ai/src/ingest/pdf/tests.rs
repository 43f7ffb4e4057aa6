//! Fixtures are written by `crates/ai/tests/fixtures/make_pdf_fixtures.py`.

use super::*;

macro_rules! fixture {
    ($name:literal) => {
        include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/pdf/", $name))
            .as_slice()
    };
}

const TWO_PAGES: &[u8] = fixture!("two-pages.pdf");

fn unreadable(result: Result<String, PdfError>) -> String {
    match result {
        Err(PdfError::Unreadable(why)) => why,
        other => panic!("expected Unreadable, got {other:?}"),
    }
}

#[test]
fn two_pages_come_back_in_order_separated_by_a_blank_line() {
    let text = extract_pdf(TWO_PAGES, 10).unwrap();
    let pages: Vec<&str> = text.split("\n\n").collect();
    assert_eq!(pages.len(), 2, "{text:?}");
    let first: Vec<&str> = pages[0].lines().map(str::trim).collect();
    assert_eq!(first, ["Returns are accepted within 30 days.", "Keep your receipt."]);
    // The second page's content stream is Flate-compressed.
    assert_eq!(pages[1].trim(), "Refunds go back to the original card.");
}

#[test]
fn the_page_limit_is_checked_before_extraction() {
    assert_eq!(
        extract_pdf(fixture!("many-pages.pdf"), 10),
        Err(PdfError::TooManyPages { pages: 50, max: 10 })
    );
    assert_eq!(extract_pdf(TWO_PAGES, 1), Err(PdfError::TooManyPages { pages: 2, max: 1 }));
    // Exactly at the limit is allowed.
    let text = extract_pdf(fixture!("many-pages.pdf"), 50).unwrap();
    assert_eq!(text.matches("Same page again.").count(), 50);
}

#[test]
fn garbage_is_unreadable() {
    unreadable(extract_pdf(b"", 10));
    unreadable(extract_pdf(b"hello, this is not a PDF at all", 10));
    unreadable(extract_pdf(b"%PDF-1.7\n\x00\xff\xfe garbage \x01\x02", 10));
    // Deterministic noise after a valid header.
    let mut noise = b"%PDF-1.4\n".to_vec();
    let mut state = 0x2545_f491_u32;
    for _ in 0..4096 {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        noise.push(state.to_le_bytes()[0]);
    }
    unreadable(extract_pdf(&noise, 10));
}

#[test]
fn a_truncated_file_is_unreadable() {
    unreadable(extract_pdf(fixture!("truncated.pdf"), 10));
}

#[test]
fn a_page_without_text_is_no_text() {
    assert_eq!(extract_pdf(fixture!("no-text.pdf"), 10), Err(PdfError::NoText));
}

#[test]
fn a_user_password_is_encrypted() {
    assert_eq!(extract_pdf(fixture!("encrypted-user-password.pdf"), 10), Err(PdfError::Encrypted));
}

#[test]
fn an_owner_password_alone_does_not_stop_extraction() {
    // Encrypted with an empty user password: readers open it without asking.
    let text = extract_pdf(fixture!("encrypted-owner-only.pdf"), 10).unwrap();
    assert!(text.contains("Returns are accepted within 30 days."), "{text:?}");
    assert!(text.contains("Refunds go back to the original card."), "{text:?}");
}

#[test]
fn image_samples_are_not_run_as_content() {
    // The image's samples read `Tf`, on which pdf-extract alone panics.
    let text = extract_pdf(fixture!("with-image.pdf"), 10).unwrap();
    assert_eq!(text.trim(), "Our logo is above.");
}

#[test]
fn a_form_drawing_itself_is_refused_not_a_stack_overflow() {
    let why = unreadable(extract_pdf(fixture!("form-cycle.pdf"), 10));
    assert!(why.contains("nest too deep"), "{why}");
}

#[test]
fn exponentially_repeated_forms_are_refused_not_a_hang() {
    let why = unreadable(extract_pdf(fixture!("form-fanout.pdf"), 10));
    assert!(why.contains("drawn more than"), "{why}");
}

#[test]
fn a_looping_page_tree_is_refused() {
    let why = unreadable(extract_pdf(fixture!("parent-cycle.pdf"), 10));
    assert!(why.contains("page tree loops"), "{why}");
}

#[test]
fn a_cmap_range_bomb_is_refused_not_a_hang() {
    let why = unreadable(extract_pdf(fixture!("cmap-range-bomb.pdf"), 10));
    assert!(why.contains("ToUnicode map covers more than"), "{why}");
}

#[test]
fn a_deeply_nested_cmap_is_refused_not_a_stack_overflow() {
    let why = unreadable(extract_pdf(fixture!("cmap-deep-nesting.pdf"), 10));
    assert!(why.contains("nests too deep"), "{why}");
}

#[test]
fn every_prefix_and_byte_flip_of_a_valid_file_returns() {
    // Whatever the damage, the answer is a value: no panic escapes, nothing hangs.
    for len in 0..TWO_PAGES.len() {
        let _ = extract_pdf(&TWO_PAGES[..len], 10);
    }
    for at in 0..TWO_PAGES.len() {
        let mut damaged = TWO_PAGES.to_vec();
        damaged[at] ^= 0x5a;
        let _ = extract_pdf(&damaged, 10);
    }
}

#[test]
fn nesting_depth_counts_what_a_recursive_parser_descends() {
    assert_eq!(guard::nesting_depth(b"<00> <FF> [<01> <02>]"), 1);
    assert_eq!(guard::nesting_depth(b"((a)(b)) [[[ ]]] { { } }"), 3);
    assert_eq!(guard::nesting_depth(b"<< /a << /b [ (x (y)) ] >> >>"), 5);
    // Escaped parentheses do not nest; brackets inside a string are text.
    assert_eq!(guard::nesting_depth(b"(\\( \\( \\() [ ]"), 1);
    assert_eq!(guard::nesting_depth(b"(](](](]("), 5);
    assert_eq!(guard::nesting_depth(b"(( unterminated"), 2);
}

/// A one-page document in Helvetica, optionally with a ToUnicode map and a Type 1
/// program for its font: the two inputs pdf-extract parses recursively.
fn document_with_font(to_unicode: Option<&[u8]>, font_file: Option<&[u8]>) -> Vec<u8> {
    use pdf_extract::{Dictionary, Object, Stream};
    let mut doc = Document::with_version("1.4");
    let stream = |data: &[u8]| Object::Stream(Stream::new(Dictionary::new(), data.to_vec()));
    let mut font = Dictionary::new();
    font.set("Type", Object::Name(b"Font".to_vec()));
    font.set("Subtype", Object::Name(b"Type1".to_vec()));
    font.set("BaseFont", Object::Name(b"Helvetica".to_vec()));
    if let Some(data) = font_file {
        let mut descriptor = Dictionary::new();
        descriptor.set("Type", Object::Name(b"FontDescriptor".to_vec()));
        descriptor.set("FontFile", Object::Reference(doc.add_object(stream(data))));
        font.set("FontDescriptor", Object::Reference(doc.add_object(descriptor)));
    }
    if let Some(data) = to_unicode {
        font.set("ToUnicode", Object::Reference(doc.add_object(stream(data))));
    }
    let font = doc.add_object(font);
    let content = doc.add_object(stream(b"BT /F1 12 Tf 72 720 Td (Hello) Tj ET"));
    let pages = doc.new_object_id();
    let mut fonts = Dictionary::new();
    fonts.set("F1", Object::Reference(font));
    let mut resources = Dictionary::new();
    resources.set("Font", Object::Dictionary(fonts));
    let mut page = Dictionary::new();
    page.set("Type", Object::Name(b"Page".to_vec()));
    page.set("Parent", Object::Reference(pages));
    page.set("MediaBox", Object::Array(vec![0.into(), 0.into(), 612.into(), 792.into()]));
    page.set("Resources", Object::Dictionary(resources));
    page.set("Contents", Object::Reference(content));
    let page = doc.add_object(page);
    let mut tree = Dictionary::new();
    tree.set("Type", Object::Name(b"Pages".to_vec()));
    tree.set("Kids", Object::Array(vec![Object::Reference(page)]));
    tree.set("Count", 1);
    doc.objects.insert(pages, Object::Dictionary(tree));
    let mut catalog = Dictionary::new();
    catalog.set("Type", Object::Name(b"Catalog".to_vec()));
    catalog.set("Pages", Object::Reference(pages));
    let catalog = doc.add_object(catalog);
    doc.trailer.set("Root", Object::Reference(catalog));
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).unwrap();
    bytes
}

#[test]
fn nesting_just_under_the_limit_fits_a_two_mebibyte_stack() {
    // Each shape nested as deep as the guard lets through, parsed by pdf-extract on a
    // thread with the stack tokio gives blocking tasks. An overflow aborts the test run.
    let depth = 256;
    let too_deep = Err(PdfError::Unreadable("a font program nests too deep".into()));
    for (open, close) in [("[", "]"), ("{", "}"), ("(", ")"), ("<< /a ", ">>")] {
        let nested = |depth: usize| format!("{}{}", open.repeat(depth), close.repeat(depth));
        assert_eq!(guard::nesting_depth(nested(depth).as_bytes()), depth);
        let cmap = format!("/Nested {} def 1 beginbfchar <48> <0048> endbfchar", nested(depth));
        let program = format!("%!PS-AdobeFont-1.0: Helvetica\n/Nested {} def", nested(depth));
        for pdf in [
            document_with_font(Some(cmap.as_bytes()), None),
            document_with_font(None, Some(program.as_bytes())),
        ] {
            let text = std::thread::Builder::new()
                .stack_size(2 << 20)
                .spawn(move || extract_pdf(&pdf, 10))
                .unwrap()
                .join()
                .expect("extract_pdf does not panic");
            // Parsed to the end: the text comes back.
            assert!(text.as_ref().is_ok_and(|text| text.contains('H')), "{open}: {text:?}");
        }
        // One level more is refused before any parser runs.
        let cmap = format!("/Nested {} def", nested(depth + 1));
        assert_eq!(extract_pdf(&document_with_font(Some(cmap.as_bytes()), None), 10), too_deep);
        let program = format!("/Nested {} def", nested(depth + 1));
        assert_eq!(extract_pdf(&document_with_font(None, Some(program.as_bytes())), 10), too_deep);
    }
}
