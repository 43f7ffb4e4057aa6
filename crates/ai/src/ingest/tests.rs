use super::*;

fn md(raw: &str) -> String {
    normalize(&extract(SourceFormat::Markdown, raw).unwrap())
}

fn html(raw: &str) -> String {
    normalize(&extract(SourceFormat::Html, raw).unwrap())
}

fn lines(text: &str) -> Vec<&str> {
    text.lines().filter(|l| !l.is_empty()).collect()
}

#[test]
fn markdown_keeps_headings_lists_and_code_as_lines() {
    let text = md(
        "# Returns\n\nYou can return **any** item.\n\n- First item\n- Second `code`\n\n```\nlet x = 1;\n```\n\n![logo](a.png) <b>bold</b> end\n",
    );
    assert_eq!(
        lines(&text),
        vec![
            "Returns",
            "You can return any item.",
            "First item",
            "Second code",
            "let x = 1;",
            "bold end"
        ]
    );
}

#[test]
fn html_drops_boilerplate_and_decodes_entities() {
    let raw = r#"<html><head><title>T</title><style>p{color:red}</style></head><body>
        <nav><a href="/">Home</a></nav><header>Site header</header>
        <script>alert("x")</script>
        <h1>Refunds</h1>
        <p>Fish &amp; chips cost &pound;5 &mdash; <em>always</em>.</p>
        <div>Second<br>line</div>
        <aside>Ad</aside><footer>Copyright</footer><noscript>Enable JS</noscript>
        </body></html>"#;
    let text = html(raw);
    assert_eq!(
        lines(&text),
        vec!["Refunds", "Fish & chips cost \u{a3}5 \u{2014} always.", "Second", "line"]
    );
    for gone in ["Home", "header", "alert", "color", "Ad", "Copyright", "Enable", "T\n"] {
        assert!(!text.contains(gone), "{gone:?} leaked into {text:?}");
    }
}

#[test]
fn plain_text_passes_through_and_size_is_limited() {
    assert_eq!(extract(SourceFormat::Text, "a  b").unwrap(), "a  b");
    let big = "x".repeat(MAX_INPUT_BYTES + 1);
    assert!(matches!(extract(SourceFormat::Text, &big), Err(IngestError::TooLarge { .. })));
}

#[test]
fn normalize_collapses_whitespace_and_strips_controls() {
    let raw = "  Hello\t\t  world \u{7}\r\n\r\n\r\n\n  Next\u{0}  line  \n\n\n";
    assert_eq!(normalize(raw), "Hello world\n\nNext line");
    assert_eq!(normalize("e\u{301}"), "\u{e9}");
    assert_eq!(normalize(""), "");
    assert_eq!(normalize(" \n\t\n"), "");
}

fn config(parent: usize, child: usize) -> ChunkConfig {
    ChunkConfig { parent_max_chars: parent, child_max_chars: child }
}

fn inputs() -> Vec<String> {
    let long_word = "Supercalifragilistic".repeat(20);
    vec![
        String::new(),
        "One sentence.".into(),
        "Refunds\n\nRefunds take 3.5 days, e.g. for cards. Dr. Smith agrees! Is it fast? Yes.\n\nShipping\n\nWe ship worldwide.".into(),
        "word ".repeat(900),
        format!("Start. {long_word} end."),
        "Heading\n\n".to_owned() + &"A fairly ordinary sentence about orders. ".repeat(80),
        "Ünïcödé text. Ça marche très bien. ".repeat(60),
    ]
}

#[test]
fn children_are_substrings_and_limits_hold() {
    for cfg in [ChunkConfig::default(), config(200, 50), config(60, 20), config(5, 3)] {
        for input in inputs() {
            let parents = chunk(&input, &cfg);
            let normalized = normalize(&input);
            for (i, parent) in parents.iter().enumerate() {
                assert_eq!(parent.ordinal, i);
                assert!(!parent.text.is_empty());
                assert!(parent.text.chars().count() <= cfg.parent_max_chars);
                assert!(normalized.contains(&parent.text));
                assert!(!parent.children.is_empty());
                for (j, child) in parent.children.iter().enumerate() {
                    assert_eq!(child.ordinal, j);
                    assert!(!child.text.is_empty());
                    assert!(child.text.chars().count() <= cfg.child_max_chars);
                    assert!(parent.text.contains(&child.text), "{child:?} not in {parent:?}");
                }
            }
        }
    }
}

#[test]
fn empty_input_gives_no_parents() {
    assert!(chunk("", &ChunkConfig::default()).is_empty());
    assert!(chunk(" \n\n \t", &ChunkConfig::default()).is_empty());
}

#[test]
fn heading_stays_with_its_paragraph() {
    let para = "This paragraph explains the returns policy in detail. ".repeat(3);
    let text = format!("{para}\n\nReturns policy\n\n{para}");
    let parents = chunk(&text, &config(200, 80));
    assert_eq!(parents.len(), 2);
    assert!(parents[1].text.starts_with("Returns policy\n\nThis paragraph"));
    assert!(!parents[0].text.contains("Returns policy"));
}

#[test]
fn small_paragraphs_share_a_parent() {
    let parents = chunk("First para.\n\nSecond para.", &ChunkConfig::default());
    assert_eq!(parents.len(), 1);
    assert_eq!(parents[0].text, "First para.\n\nSecond para.");
}

fn child_texts(text: &str, child_max: usize) -> Vec<String> {
    chunk(text, &config(1200, child_max))
        .into_iter()
        .flat_map(|p| p.children)
        .map(|c| c.text)
        .collect()
}

#[test]
fn sentences_split_but_not_on_abbreviations_or_decimals() {
    let text = "Pay e.g. by card, i.e. Visa. Mr. Jones and Dr. Who paid 3.5 dollars. J. R. Smith wrote! Is it 2 p.m. yet? 42 is the answer.";
    assert_eq!(
        child_texts(text, 40),
        vec![
            "Pay e.g. by card, i.e. Visa.",
            "Mr. Jones and Dr. Who paid 3.5 dollars.",
            "J. R. Smith wrote! Is it 2 p.m. yet?",
            "42 is the answer.",
        ]
    );
}

#[test]
fn lowercase_after_full_stop_does_not_split() {
    assert_eq!(child_texts("Version 2. then more.", 12), vec!["Version 2.", "then more."]);
    assert_eq!(child_texts("See sect. three now.", 100), vec!["See sect. three now."]);
}

#[test]
fn over_long_sentence_is_split_at_whitespace() {
    let sentence = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu.";
    let children = child_texts(sentence, 20);
    assert!(children.len() > 1);
    for child in &children {
        assert!(child.chars().count() <= 20);
        assert!(!child.starts_with(' ') && !child.ends_with(' '));
    }
    assert_eq!(children.join(" "), sentence);
}

fn nested(open: &str, close: &str, depth: usize) -> String {
    format!("<html><body>{}deep{}</body></html>", open.repeat(depth), close.repeat(depth))
}

#[test]
fn html_nested_past_the_limit_is_refused_and_within_it_extracted() {
    let within = nested("<div>", "</div>", MAX_HTML_DEPTH - 10);
    assert_eq!(html(&within), "deep");
    for (open, close) in [("<div>", "</div>"), ("<b>", "</b>"), ("<span><div>", "</span>")] {
        let deep = nested(open, close, 40_000);
        let refused = extract(SourceFormat::Html, &deep);
        assert_eq!(refused, Err(IngestError::TooDeep { max: MAX_HTML_DEPTH }), "{open}");
    }
    let reason = IngestError::TooDeep { max: MAX_HTML_DEPTH }.to_string();
    assert!(reason.contains("nested more than 256 levels"), "{reason}");
}

#[test]
fn html_that_only_looks_deep_is_not_refused() {
    // Unclosed paragraphs and list items close each other: a flat tree.
    let flat = format!("<ul>{}</ul>{}", "<li>item".repeat(5_000), "<p>para".repeat(5_000));
    let text = html(&flat);
    assert_eq!(text.lines().filter(|l| *l == "item").count(), 5_000);
    assert_eq!(text.lines().filter(|l| *l == "para").count(), 5_000);
}

#[test]
fn hostile_html_stops_quickly() {
    // 400,000 nested elements once kept the parser busy for minutes.
    let started = std::time::Instant::now();
    let deep = nested("<div>", "</div>", 400_000);
    assert!(matches!(extract(SourceFormat::Html, &deep), Err(IngestError::TooDeep { .. })));
    assert!(started.elapsed() < std::time::Duration::from_secs(5), "{:?}", started.elapsed());
}

#[test]
fn a_passed_deadline_stops_extraction() {
    let past = Deadline::at(std::time::Instant::now());
    let page = "<p>Some text about returns.</p>".repeat(10_000);
    assert_eq!(extract_until(SourceFormat::Html, &page, past), Err(IngestError::TimedOut));
    let notes = "- an item about shipping\n".repeat(10_000);
    assert_eq!(extract_until(SourceFormat::Markdown, &notes, past), Err(IngestError::TimedOut));
    let later = Deadline::after(std::time::Duration::from_secs(600));
    assert!(extract_until(SourceFormat::Html, &page, later).is_ok());
}

#[test]
fn deep_markdown_is_extracted_without_recursion() {
    let started = std::time::Instant::now();
    for (raw, word) in [
        (">".repeat(100_000) + " quoted", "quoted"),
        ("- ".repeat(50_000) + "item", "item"),
        ("[".repeat(100_000) + "link", "link"),
    ] {
        let text = extract(SourceFormat::Markdown, &raw).expect("markdown always extracts");
        assert!(text.contains(word), "{word}");
    }
    assert!(started.elapsed() < std::time::Duration::from_secs(10), "{:?}", started.elapsed());
}

#[test]
fn chunking_many_tiny_lines_is_linear() {
    // Each line its own sentence: packing once recounted the whole parent per line.
    let started = std::time::Instant::now();
    let text = "a\n".repeat(1_000_000);
    let parents = chunk(&text, &ChunkConfig::default());
    assert!(!parents.is_empty());
    assert!(started.elapsed() < std::time::Duration::from_secs(10), "{:?}", started.elapsed());
}

#[test]
fn each_sentence_is_its_own_child_and_fragments_join_a_neighbour() {
    let text = "Store policies. Our shop opens at nine every weekday and closes at six. \
        You can return unused items within 30 days. Yes. Delivery is free on orders over fifty pounds.";
    assert_eq!(
        child_texts(text, 300),
        vec![
            "Store policies. Our shop opens at nine every weekday and closes at six.",
            "You can return unused items within 30 days.",
            "Yes. Delivery is free on orders over fifty pounds.",
        ]
    );
    // A fragment at the end joins the sentence before it.
    assert_eq!(
        child_texts("Refunds are paid back within five business days. Thanks.", 300),
        vec!["Refunds are paid back within five business days. Thanks."]
    );
    // A document that is one short line is one child.
    assert_eq!(child_texts("Hello.", 300), vec!["Hello."]);
}
