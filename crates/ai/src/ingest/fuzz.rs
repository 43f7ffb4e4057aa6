//! Property tests over generated hostile documents: the HTML, markdown and PDF extractors
//! and the chunker must return (a text or a typed refusal) for any input, never panic,
//! overflow the stack or hang, and chunks must keep their invariants.
//!
//! In CI each target runs a few dozen cases. To fuzz for a while, set `INGEST_FUZZ_SECS`
//! (see docs/fuzzing.md): each target then keeps generating cases for that many seconds.

use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

use super::*;

/// Cases per round; rounds repeat until `INGEST_FUZZ_SECS` have passed (one round if unset).
const CASES: u32 = 24;

fn fuzz<S>(name: &str, strategy: S, test: impl Fn(S::Value) -> Result<(), TestCaseError>)
where
    S: Strategy,
    S::Value: std::fmt::Debug,
{
    let budget = std::env::var("INGEST_FUZZ_SECS")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .map(Duration::from_secs);
    let config = Config { cases: CASES, failure_persistence: None, ..Config::default() };
    // A runner counts its successes and stops at `cases`: each round gets a fresh one,
    // seeded from a master runner (itself randomly seeded) so that rounds differ.
    let mut master = TestRunner::new(config.clone());
    let started = Instant::now();
    let mut rounds = 0u64;
    loop {
        let mut runner = TestRunner::new_with_rng(config.clone(), master.new_rng());
        if let Err(failure) = runner.run(&strategy, &test) {
            panic!("{name}: {failure}");
        }
        rounds += 1;
        if budget.is_none_or(|b| started.elapsed() >= b) {
            break;
        }
    }
    eprintln!("{name}: {} cases in {:?}", rounds * u64::from(CASES), started.elapsed());
}

/// Chunks `text` and checks what chunking promises.
fn check_chunks(text: &str, config: &ChunkConfig) -> Result<(), TestCaseError> {
    let normalized = normalize(text);
    for (i, parent) in chunk(text, config).iter().enumerate() {
        prop_assert_eq!(parent.ordinal, i);
        prop_assert!(!parent.text.is_empty());
        prop_assert!(parent.text.chars().count() <= config.parent_max_chars.max(1));
        prop_assert!(normalized.contains(&parent.text));
        prop_assert!(!parent.children.is_empty());
        for child in &parent.children {
            prop_assert!(child.text.chars().count() <= config.child_max_chars.max(1));
            prop_assert!(parent.text.contains(&child.text));
        }
    }
    Ok(())
}

fn pick(items: &'static [&'static str]) -> impl Strategy<Value = String> {
    proptest::sample::select(items).prop_map(str::to_owned)
}

const TAGS: &[&str] = &[
    "div",
    "p",
    "b",
    "i",
    "a",
    "span",
    "table",
    "tr",
    "td",
    "th",
    "li",
    "ul",
    "ol",
    "pre",
    "h1",
    "script",
    "style",
    "nav",
    "svg",
    "math",
    "template",
    "select",
    "option",
    "textarea",
    "title",
    "button",
    "form",
    "br",
    "img",
    "body",
    "html",
    "head",
    "frameset",
    "x-y",
    "plaintext",
];

fn html_token() -> impl Strategy<Value = String> {
    prop_oneof![
        (proptest::sample::select(TAGS), "[a-z =\"']{0,12}")
            .prop_map(|(tag, attrs)| format!("<{tag} {attrs}>")),
        proptest::sample::select(TAGS).prop_map(|tag| format!("</{tag}>")),
        "[a-zA-Z0-9 .,!?&;#<>/\"'=\n]{0,24}",
        pick(&["<!--", "-->", "<!DOCTYPE html>", "&amp;", "&#x1F600;", "&#0;", "<![CDATA[", "]]>"]),
    ]
}

/// Random markup, possibly inside a deep nest of one kind of element.
fn html_document() -> impl Strategy<Value = String> {
    (
        proptest::collection::vec(html_token(), 0..120),
        proptest::sample::select(TAGS),
        0usize..3_000,
        any::<bool>(),
    )
        .prop_map(|(tokens, tag, depth, close)| {
            let close = if close { format!("</{tag}>").repeat(depth) } else { String::new() };
            format!("{}{}{close}", format!("<{tag}>").repeat(depth), tokens.concat())
        })
}

#[test]
fn html_extraction_returns_for_any_markup() {
    fuzz("html", html_document(), |doc| match extract(SourceFormat::Html, &doc) {
        Ok(text) => check_chunks(&text, &ChunkConfig::default()),
        Err(IngestError::TooDeep { .. }) => Ok(()),
        Err(other) => Err(TestCaseError::fail(format!("unexpected {other:?}"))),
    });
}

fn markdown_token() -> impl Strategy<Value = String> {
    prop_oneof![
        pick(&[
            "# ",
            "> ",
            "- ",
            "* ",
            "+ ",
            "1. ",
            "```",
            "`",
            "~~~",
            "**",
            "*",
            "_",
            "~~",
            "[",
            "]",
            "(",
            ")",
            "![",
            "|",
            "---",
            "\n",
            "\n\n",
            "    ",
            "\t",
            "<div>",
            "</div>",
            "<!--",
            "\\",
            "&amp;",
            "[^1]",
            "[^1]: ",
            "$",
            "<https://a.b>",
            "| --- |",
        ]),
        "[a-zA-Z0-9 .!?]{0,16}",
    ]
}

/// Random markdown after a deep run of one nesting construct.
fn markdown_document() -> impl Strategy<Value = String> {
    (
        proptest::collection::vec(markdown_token(), 0..150),
        pick(&[">", "> ", "- ", "* ", "[", "![", "(", "**", "`", "  - "]),
        0usize..5_000,
    )
        .prop_map(|(tokens, nest, depth)| format!("{}{}", nest.repeat(depth), tokens.concat()))
}

#[test]
fn markdown_extraction_returns_for_any_markup() {
    fuzz("markdown", markdown_document(), |doc| {
        let text = extract(SourceFormat::Markdown, &doc)
            .map_err(|e| TestCaseError::fail(format!("unexpected {e:?}")))?;
        check_chunks(&text, &ChunkConfig::default())
    });
}

const SEED_PDF: &[u8] =
    include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/pdf/two-pages.pdf"));

/// Random bytes, or a valid file with bytes overwritten and its end cut off.
fn pdf_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..2_048),
        (proptest::collection::vec((any::<usize>(), any::<u8>()), 0..16), any::<usize>()).prop_map(
            |(flips, cut)| {
                let mut file = SEED_PDF.to_vec();
                for (at, byte) in flips {
                    let at = at % file.len();
                    file[at] = byte;
                }
                file.truncate(SEED_PDF.len() / 2 + cut % (SEED_PDF.len() / 2 + 1));
                file
            }
        ),
    ]
}

#[test]
fn pdf_extraction_returns_for_any_bytes() {
    fuzz("pdf", pdf_bytes(), |bytes| {
        if let Ok(text) = extract_pdf(&bytes, 10) {
            check_chunks(&text, &ChunkConfig::default())?;
        }
        Ok(())
    });
}

#[test]
fn chunking_keeps_its_invariants_for_any_text() {
    let text = "[a-zA-Z0-9 .!?\"')\n\t\u{e9}\u{201d}\u{301}\r]{0,1500}";
    fuzz("chunk", (text, 1usize..300, 1usize..120), |(text, parent, child)| {
        check_chunks(&text, &ChunkConfig { parent_max_chars: parent, child_max_chars: child })
    });
}
