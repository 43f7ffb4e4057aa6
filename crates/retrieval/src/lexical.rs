//! The BM25 path: a tantivy index in a RAM directory.
//!
//! Each document carries the text, its group (indexed, so a whole group is deleted with one
//! term) and the entry's slot (a fast field, so a hit maps back to our entry without a stored
//! document). Nothing is stored: the caller's database holds the text.
//!
//! No `IndexWriter` is kept between mutations: its arena and thread pool would cost every
//! idle company's index several megabytes. A mutation opens one, commits, waits for the
//! merges it triggered and drops it.

use tantivy::collector::TopDocs;
use tantivy::indexer::IndexWriterOptions;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    StopWordFilter, TextAnalyzer,
};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, Term, doc};
use uuid::Uuid;

use crate::IndexError;

const ANALYZER: &str = "switchboard_en";
/// Lucene's English stop words plus the pronouns and auxiliaries that fill customer requests
/// ("can I", "my", "do you"): they match nearly every text, so they add no ranking signal but
/// make BM25 walk nearly every posting. Negations, question words and particles ("top up",
/// "not", "when") stay: they carry meaning in this domain. "don" of "don't" stays too, as a
/// trace of the negation.
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it",
    "of", "on", "or", "such", "that", "the", "their", "then", "there", "these", "they", "this",
    "to", "was", "will", "with", "i", "me", "my", "mine", "myself", "we", "us", "our", "ours",
    "you", "your", "yours", "yourself", "he", "him", "his", "she", "her", "its", "them", "am",
    "were", "been", "being", "have", "has", "had", "having", "do", "does", "did", "doing", "would",
    "should", "could", "can", "may", "might", "must", "shall", "so", "than", "too", "very", "just",
    "from", "about", "please", "hi", "hello", "thanks",
    // What the tokenizer leaves of contractions ("I'm", "card's", "we'll", "don't").
    "m", "s", "d", "ll", "re", "ve", "t",
];
/// Tokens longer than this are junk (base64, URLs, hashes) and only bloat the term dictionary.
const MAX_TOKEN_BYTES: usize = 40;
/// Distinct query terms used; a customer pasting a whole e-mail must not make search
/// proportionally slower, and the first terms carry the question.
pub(crate) const MAX_QUERY_TERMS: usize = 64;
/// tantivy's floor for a writer's arena. Bulk loads get more so that they flush fewer segments.
const SMALL_WRITER_BYTES: usize = 15_000_000;
const BULK_WRITER_BYTES: usize = 64_000_000;

pub(crate) struct LexicalDoc<'a> {
    pub slot: u64,
    pub group: Uuid,
    pub text: &'a str,
}

pub(crate) struct Lexical {
    index: Index,
    reader: IndexReader,
    analyzer: TextAnalyzer,
    text: Field,
    group: Field,
    slot: Field,
}

fn analyzer() -> TextAnalyzer {
    // Folding before lowercasing and stemming, so "Café" and "cafe" meet; stop words go before
    // stemming because the list holds surface forms.
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(AsciiFoldingFilter)
        .filter(LowerCaser)
        .filter(StopWordFilter::remove(STOP_WORDS.iter().map(|w| (*w).to_owned())))
        .filter(Stemmer::new(Language::English))
        .build()
}

impl Lexical {
    pub fn new() -> Result<Self, IndexError> {
        let mut schema = Schema::builder();
        // Frequencies but no positions: queries are bags of terms, never phrases.
        let indexing = TextFieldIndexing::default()
            .set_tokenizer(ANALYZER)
            .set_index_option(IndexRecordOption::WithFreqs);
        let text =
            schema.add_text_field("text", TextOptions::default().set_indexing_options(indexing));
        let group = schema.add_bytes_field("group", INDEXED);
        let slot = schema.add_u64_field("slot", FAST);
        let index = Index::create_in_ram(schema.build());
        let analyzer = analyzer();
        index.tokenizers().register(ANALYZER, analyzer.clone());
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        Ok(Self { index, reader, analyzer, text, group, slot })
    }

    fn writer(&self, memory_budget: usize) -> Result<IndexWriter, IndexError> {
        let options = IndexWriterOptions::builder()
            .memory_budget_per_thread(memory_budget)
            .num_worker_threads(1)
            .num_merge_threads(1)
            .build();
        Ok(self.index.writer_with_options(options)?)
    }

    /// Deletes every document of `remove` groups, adds `docs`, and makes both visible at once.
    pub fn apply(&self, remove: &[Uuid], docs: &[LexicalDoc<'_>]) -> Result<(), IndexError> {
        let budget = if docs.len() > 10_000 { BULK_WRITER_BYTES } else { SMALL_WRITER_BYTES };
        let mut writer = self.writer(budget)?;
        for group in remove {
            writer.delete_term(Term::from_field_bytes(self.group, group.as_bytes()));
        }
        for entry in docs {
            writer.add_document(doc!(
                self.text => entry.text,
                self.group => entry.group.as_bytes().as_slice(),
                self.slot => entry.slot,
            ))?;
        }
        writer.commit()?;
        // Lets the merges this commit scheduled finish, so segments do not pile up between
        // mutations (no writer is alive to merge them later).
        writer.wait_merging_threads()?;
        self.reader.reload()?;
        Ok(())
    }

    /// Distinct analysed terms of a free-text query, at most `MAX_QUERY_TERMS`.
    fn terms(&self, text: &str) -> Vec<Term> {
        let mut analyzer = self.analyzer.clone();
        let mut stream = analyzer.token_stream(text);
        let mut terms: Vec<Term> = Vec::new();
        while terms.len() < MAX_QUERY_TERMS && stream.advance() {
            let term = Term::from_field_text(self.text, &stream.token().text);
            if !terms.contains(&term) {
                terms.push(term);
            }
        }
        terms
    }

    /// BM25 top-`n` as `(slot, score)`, best first; `None` when the text has no term to search
    /// for (empty, punctuation, stop words only). The query is a disjunction of term queries
    /// built from the analysed text, so no input is a syntax error.
    pub fn search(&self, text: &str, n: usize) -> Result<Option<Vec<(u64, f32)>>, IndexError> {
        let terms = self.terms(text);
        if terms.is_empty() {
            return Ok(None);
        }
        if n == 0 {
            return Ok(Some(Vec::new()));
        }
        let clauses: Vec<(Occur, Box<dyn Query>)> = terms
            .into_iter()
            .map(|term| {
                let query: Box<dyn Query> =
                    Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs));
                (Occur::Should, query)
            })
            .collect();
        let searcher = self.reader.searcher();
        let top = searcher
            .search(&BooleanQuery::new(clauses), &TopDocs::with_limit(n).order_by_score())?;
        // One column handle per segment touched, fetched lazily.
        let mut columns: Vec<Option<tantivy::columnar::Column<u64>>> =
            vec![None; searcher.segment_readers().len()];
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            let ord = address.segment_ord as usize;
            if columns[ord].is_none() {
                columns[ord] =
                    Some(searcher.segment_reader(address.segment_ord).fast_fields().u64("slot")?);
            }
            if let Some(slot) = columns[ord].as_ref().and_then(|c| c.first(address.doc_id)) {
                hits.push((slot, score));
            }
        }
        Ok(Some(hits))
    }

    /// Rough bytes of the index files in RAM.
    pub fn approx_bytes(&self) -> usize {
        self.reader
            .searcher()
            .space_usage()
            .map(|usage| usage.total().get_bytes() as usize)
            .unwrap_or(0)
    }

    /// Live segments, for tests that check merges keep up.
    #[cfg(test)]
    pub fn segments(&self) -> Vec<tantivy::index::SegmentId> {
        self.reader.searcher().segment_readers().iter().map(|r| r.segment_id()).collect()
    }
}
