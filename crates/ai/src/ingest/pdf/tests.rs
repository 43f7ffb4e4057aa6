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

// Decompression bombs. Each is generated here, never held decoded: a streaming encoder
// takes zeros a mebibyte at a time.

const GIB: u64 = 1 << 30;

/// A gibibyte of zeros, compressed once for all the tests that need it.
fn gib_of_zeros() -> &'static [u8] {
    static BOMB: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    BOMB.get_or_init(|| zlib_zeros(GIB))
}

/// `size` zero bytes, zlib-compressed at the best level: 1 GiB comes to about 1 MiB.
fn zlib_zeros(size: u64) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    let chunk = vec![0u8; 1 << 20];
    let mut left = size;
    while left > 0 {
        let n = left.min(chunk.len() as u64) as usize;
        encoder.write_all(&chunk[..n]).unwrap();
        left -= n as u64;
    }
    encoder.finish().unwrap()
}

fn zlib(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

/// A stream object's body.
fn stream_object(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut body = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
    body.extend_from_slice(data);
    body.extend_from_slice(b"\nendstream");
    body
}

/// A file of numbered objects (1 is the catalog) with a classic cross-reference table.
fn pdf_file(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut file = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(file.len());
        file.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        file.extend_from_slice(body);
        file.extend_from_slice(b"\nendobj\n");
    }
    let xref = file.len();
    file.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        file.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    file.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    file
}

/// A one-page document whose page content is object 4, given as a stream body.
fn one_page(content: Vec<u8>) -> Vec<u8> {
    pdf_file(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R \
           /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_vec(),
        content,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
    ])
}

/// Refused as too large, within a few seconds, whatever the host.
fn assert_too_large(pdf: &[u8]) {
    let started = std::time::Instant::now();
    assert_eq!(extract_pdf(pdf, 10), Err(PdfError::TooLarge { limit_mib: 64 }));
    assert!(started.elapsed() < std::time::Duration::from_secs(5), "{:?}", started.elapsed());
}

#[test]
fn a_content_stream_inflating_to_a_gibibyte_is_refused() {
    let bomb = gib_of_zeros();
    assert!(bomb.len() < 2 << 20, "{}", bomb.len());
    assert_too_large(&one_page(stream_object("/Filter /FlateDecode", bomb)));
    // The same with the name written with escapes, and as a one-element array.
    assert_too_large(&one_page(stream_object("/Filter /Fl#61te#44ecode", bomb)));
    assert_too_large(&one_page(stream_object("/Filter [/FlateDecode]", bomb)));
}

#[test]
fn an_object_stream_inflating_to_a_gibibyte_is_refused_while_loading() {
    // lopdf inflates object streams while it loads the file, before any page is read.
    let bomb = gib_of_zeros();
    let text = stream_object("", b"BT /F1 12 Tf 72 720 Td (Hello) Tj ET");
    let pdf = pdf_file(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>".to_vec(),
        text,
        stream_object("/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode", bomb),
    ]);
    assert_too_large(&pdf);
}

#[test]
fn a_chain_of_filters_is_decoded_under_the_same_budget() {
    // Flate inside Flate inside hex: a few kilobytes for a gibibyte.
    let twice = zlib(gib_of_zeros());
    let hex: String = twice.iter().map(|b| format!("{b:02x}")).collect();
    assert!(hex.len() < 64 << 10, "{}", hex.len());
    let dict = "/Filter [/ASCIIHexDecode /FlateDecode /FlateDecode]";
    assert_too_large(&one_page(stream_object(dict, hex.as_bytes())));
}

#[test]
fn run_length_and_many_small_streams_share_one_budget() {
    // RunLength: 2 bytes for 128 zeros; 70 streams of 1 MiB each, on one page.
    let run: Vec<u8> = std::iter::repeat_n([129u8, 0], 8192).flatten().collect();
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
    ];
    let contents: Vec<String> = (4..74).map(|id| format!("{id} 0 R")).collect();
    objects.push(
        format!("<< /Type /Page /Parent 2 0 R /Contents [{}] >>", contents.join(" ")).into_bytes(),
    );
    for _ in 4..74 {
        objects.push(stream_object("/Filter /RunLengthDecode", &run));
    }
    assert_too_large(&pdf_file(&objects));
}

#[test]
fn content_named_many_times_by_one_page_is_refused() {
    // lopdf concatenates a page's content streams: one stream listed 200 times.
    let content = stream_object("", &vec![b' '; 1 << 20]);
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        format!("<< /Type /Page /Parent 2 0 R /Contents [{}] >>", "4 0 R ".repeat(200))
            .into_bytes(),
    ];
    objects.push(content);
    let why = unreadable(extract_pdf(&pdf_file(&objects), 10));
    assert!(why.contains("content is larger than"), "{why}");
}

/// A file whose objects are found through a cross-reference stream at `xref_dict`.
fn with_xref_stream(xref_dict: &str, xref_data: &[u8]) -> Vec<u8> {
    let mut file = b"%PDF-1.7\n".to_vec();
    let xref_at = file.len();
    file.extend_from_slice(b"1 0 obj\n");
    file.extend_from_slice(&stream_object(xref_dict, xref_data));
    file.extend_from_slice(format!("\nendobj\nstartxref\n{xref_at}\n%%EOF\n").as_bytes());
    file
}

#[test]
fn a_cross_reference_stream_bomb_is_refused() {
    // lopdf decodes cross-reference streams before anything else; it is left to do so
    // only after the size has been checked.
    let bomb = gib_of_zeros();
    let dict = "/Type /XRef /Size 2 /W [1 2 1] /Filter /FlateDecode";
    assert_too_large(&with_xref_stream(dict, bomb));
}

#[test]
fn a_cross_reference_stream_with_zero_widths_is_refused_not_a_hang() {
    // Nothing to decode, but lopdf would add two billion entries without reading a byte.
    let dict = "/Type /XRef /Size 2 /W [0 0 0] /Index [0 2000000000]";
    let why = unreadable(extract_pdf(&with_xref_stream(dict, b""), 10));
    assert!(why.contains("field widths"), "{why}");
}

#[test]
fn a_modern_file_with_object_and_cross_reference_streams_still_reads() {
    // lopdf's writer: compressed content, objects in object streams, a cross-reference
    // stream with a PNG predictor. The filter lopdf must decode itself is kept.
    let mut doc = Document::load_mem(&document_with_font(None, None)).unwrap();
    doc.compress();
    let mut bytes = Vec::new();
    doc.save_modern(&mut bytes).unwrap();
    assert!(bytes.windows(4).any(|w| w == b"XRef"), "no cross-reference stream");
    assert_eq!(extract_pdf(&bytes, 10).unwrap().trim(), "Hello");
}

#[test]
fn the_time_limit_is_checked() {
    let limits = PdfLimits { max_time: std::time::Duration::ZERO, ..PdfLimits::with_max_pages(10) };
    assert_eq!(extract_pdf_with(TWO_PAGES, &limits), Err(PdfError::TooSlow { seconds: 0 }));
}

/// Peak resident memory of this process, in KiB (Linux).
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[test]
fn refusing_a_bomb_keeps_memory_near_the_budget() {
    // Other tests run in this process at the same time, so the bound is loose; without
    // the budget, decoding alone would pass a gibibyte.
    let pdf = one_page(stream_object("/Filter /FlateDecode", gib_of_zeros()));
    assert_too_large(&pdf);
    if let Some(peak) = peak_rss_kib() {
        eprintln!("peak RSS after refusing a 1 GiB bomb: {} MiB", peak >> 10);
        assert!(peak < 768 << 10, "peak RSS {} MiB", peak >> 10);
    }
}

#[test]
fn the_bomb_fixture_is_refused() {
    // The file the API tests upload: 2 KB, a gibibyte once decoded.
    assert_too_large(fixture!("flate-bomb.pdf"));
}
