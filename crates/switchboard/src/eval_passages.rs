//! `switchboard eval passages`: loads documents into a scratch company, indexes them through
//! the same code the server's job worker runs (extraction, chunking, embedding), asks every
//! query through the same passage search the responder uses, and prints the figures as one
//! JSON object. Floors (`--min`, `--max`) make it a CI gate.

use crate::eval::{check_floors, read_lines, scratch_company};
use anyhow::{Context, bail};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};
use switchboard_ai::embedding::Embedder;
use switchboard_ai::knowledge::{DEFAULT_ANSWER_THRESHOLD, IndexOutcome, Knowledge, PassageHit};
use switchboard_domain::{ChunkId, DocumentFormat, DocumentId, JobId};
use switchboard_storage::{Backend, NewDocument, ai_keys};
use switchboard_storage_sqlite::SqliteBackend;

/// Generous: a debug build on a busy machine embeds a few paragraphs in seconds.
const INDEX_BUDGET: Duration = Duration::from_secs(300);
/// Passages looked at for `hitAt5`.
const HIT_DEPTH: usize = 5;

#[derive(Deserialize)]
struct DocumentLine {
    id: String,
    title: String,
    content: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct QueryLine {
    query: String,
    /// The document that answers it; `None` when no document can.
    document_id: Option<String>,
    /// Words of the answering sentence, verbatim; the top passage must contain them.
    #[serde(default)]
    answer: Option<String>,
}

pub struct PassageOptions<'a> {
    pub documents: &'a Path,
    pub queries: &'a Path,
    pub top_k: usize,
    /// Overrides the company's passage threshold.
    pub threshold: Option<f32>,
    pub min: &'a [String],
    pub max: &'a [String],
}

/// One passage search result, reduced to what the figures need.
#[derive(Debug, Clone)]
struct Found {
    document: String,
    has_answer: bool,
    score: f32,
    /// Why it scored so: the vector similarity and the BM25 rank (1 = first), if any.
    cosine: Option<f32>,
    lexical_rank: Option<u32>,
    title: String,
    matched_text: String,
}

#[derive(Debug, Clone)]
struct Outcome {
    query: String,
    expected: Option<String>,
    /// Best first, at most top-k, without any threshold.
    ranked: Vec<Found>,
}

impl Outcome {
    /// 1-based rank of the first passage from the right document that holds the answer.
    fn hit_rank(&self) -> Option<usize> {
        let want = self.expected.as_deref()?;
        self.ranked.iter().position(|f| f.document == want && f.has_answer).map(|p| p + 1)
    }

    fn answered(&self, threshold: f32) -> bool {
        self.ranked.first().is_some_and(|f| f.score >= threshold)
    }
}

/// The figures, as shares from 0 to 1 of the in-scope (or out-of-scope) queries.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
struct Figures {
    queries: usize,
    in_scope: usize,
    out_of_scope: usize,
    hit_at1: f64,
    document_at1: f64,
    hit_at5: f64,
    mrr: f64,
    threshold: f64,
    answered: f64,
    handed_off: f64,
    /// Answered with a top passage that does not hold the answer (or is from another document).
    answered_wrong: f64,
    oos_handed_off: Option<f64>,
}

fn figures(outcomes: &[Outcome], threshold: f32) -> Figures {
    let (in_scope, oos): (Vec<&Outcome>, Vec<&Outcome>) =
        outcomes.iter().partition(|o| o.expected.is_some());
    let share = |n: usize, of: usize| if of == 0 { 0.0 } else { n as f64 / of as f64 };
    let count = |f: &dyn Fn(&Outcome) -> bool| in_scope.iter().filter(|o| f(o)).count();
    let top_document_right =
        |o: &Outcome| o.ranked.first().map(|f| f.document.as_str()) == o.expected.as_deref();
    let answered = count(&|o| o.answered(threshold));
    let wrong = count(&|o| o.answered(threshold) && o.hit_rank() != Some(1));
    let reciprocal: f64 =
        in_scope.iter().filter_map(|o| o.hit_rank()).map(|r| 1.0 / r as f64).sum();
    let oos_handed = oos.iter().filter(|o| !o.answered(threshold)).count();
    Figures {
        queries: outcomes.len(),
        in_scope: in_scope.len(),
        out_of_scope: oos.len(),
        hit_at1: share(count(&|o| o.hit_rank() == Some(1)), in_scope.len()),
        document_at1: share(count(&top_document_right), in_scope.len()),
        hit_at5: share(count(&|o| o.hit_rank().is_some_and(|r| r <= HIT_DEPTH)), in_scope.len()),
        mrr: if in_scope.is_empty() { 0.0 } else { reciprocal / in_scope.len() as f64 },
        // Printed as set (0.4, not 0.4000000059604645).
        threshold: (f64::from(threshold) * 1e4).round() / 1e4,
        answered: share(answered, in_scope.len()),
        handed_off: share(in_scope.len() - answered, in_scope.len()),
        answered_wrong: share(wrong, in_scope.len()),
        oos_handed_off: (!oos.is_empty()).then(|| share(oos_handed, oos.len())),
    }
}

/// Runs the evaluation; `Ok(false)` when a floor failed.
pub async fn passages(
    embedder: Option<Arc<dyn Embedder>>,
    options: PassageOptions<'_>,
) -> anyhow::Result<bool> {
    let documents: Vec<DocumentLine> = read_lines(options.documents)?;
    let queries: Vec<QueryLine> = read_lines(options.queries)?;
    validate(&documents, &queries, options.top_k)?;
    let scratch = tempfile::tempdir().context("while making a scratch directory")?;
    let db: Arc<dyn Backend> =
        Arc::new(SqliteBackend::open(&scratch.path().join("eval.db")).await?);
    let company = scratch_company(db.as_ref()).await?;
    let knowledge = Knowledge::new(Arc::clone(&db), embedder);

    let started = Instant::now();
    let mut names: HashMap<DocumentId, String> = HashMap::new();
    for d in documents {
        let new = NewDocument {
            id: DocumentId::new(),
            title: d.title,
            format: DocumentFormat::Markdown,
            content: d.content,
            source_name: Some(format!("{}.md", d.id)),
            job_id: JobId::new(),
            created_at: chrono::Utc::now(),
        };
        let created = db.create_document(company, new).await?;
        // What the `index_document` job queued with it does, run here and now. The queued
        // job stays behind in the scratch database, which nothing else reads.
        match knowledge.index_document(company, created.id, INDEX_BUDGET).await? {
            IndexOutcome::Ready { .. } => {}
            other => bail!("document {:?} was not indexed: {other:?}", d.id),
        }
        names.insert(created.id, d.id);
    }
    let load_secs = started.elapsed().as_secs_f64();
    let (passage_count, chunk_count) =
        check_answers_indexed(db.as_ref(), company, &names, &queries)
            .await
            .context("the labelled set does not fit the indexed passages")?;

    let config = db.get_agent_config(company).await?;
    let default_threshold =
        config.ai_number(ai_keys::ANSWER_THRESHOLD).map_or(DEFAULT_ANSWER_THRESHOLD, |t| t as f32);
    let threshold = options.threshold.unwrap_or(default_threshold);

    let started = Instant::now();
    let mut outcomes = Vec::with_capacity(queries.len());
    for q in queries {
        // Threshold 0 keeps every hit. Hits come sorted by score and the threshold only drops
        // hits, so the search answers at threshold T exactly when this top hit scores ≥ T:
        // one search gives the ranking figures and every point of the sweep.
        let hits = knowledge.search_passages(company, &q.query, options.top_k, 0.0).await?;
        let answer = q.answer.as_deref().unwrap_or_default().to_lowercase();
        let ranked = hits.into_iter().map(|h| found(h, &names, &answer)).collect();
        outcomes.push(Outcome { query: q.query, expected: q.document_id, ranked });
    }
    let query_secs = started.elapsed().as_secs_f64();
    db.close().await;

    let mut out = serde_json::to_value(figures(&outcomes, threshold))?;
    out["retrieval"] = knowledge.status().mode.into();
    out["topK"] = options.top_k.into();
    out["documents"] = names.len().into();
    out["passages"] = passage_count.into();
    out["chunks"] = chunk_count.into();
    out["loadSeconds"] = load_secs.into();
    out["querySeconds"] = query_secs.into();
    out["thresholdSweep"] = (6..=14)
        .map(|i| {
            let f = figures(&outcomes, i as f32 / 20.0);
            serde_json::json!({
                "threshold": f.threshold, "answered": f.answered,
                "answeredWrong": f.answered_wrong, "oosHandedOff": f.oos_handed_off,
            })
        })
        .collect::<Vec<_>>()
        .into();
    out["misses"] = misses(&outcomes).into();
    out["oosAnswered"] = outcomes
        .iter()
        .filter(|o| o.expected.is_none() && o.answered(threshold))
        .map(|o| serde_json::json!({ "query": o.query, "top": o.ranked.first().map(describe) }))
        .collect::<Vec<_>>()
        .into();
    println!("{}", serde_json::to_string_pretty(&out)?);
    check_floors(&out, options.min, options.max)
}

fn found(hit: PassageHit, names: &HashMap<DocumentId, String>, answer: &str) -> Found {
    Found {
        document: names.get(&hit.document_id).cloned().unwrap_or_default(),
        has_answer: !answer.is_empty() && hit.text.to_lowercase().contains(answer),
        score: hit.score,
        cosine: hit.cosine,
        lexical_rank: hit.lexical_rank,
        title: hit.title,
        matched_text: hit.matched_text,
    }
}

/// In-scope queries whose top passage is not a hit, with what came first instead and,
/// when it was found at all, the passage that should have.
fn misses(outcomes: &[Outcome]) -> Vec<serde_json::Value> {
    outcomes
        .iter()
        .filter(|o| o.expected.is_some() && o.hit_rank() != Some(1))
        .map(|o| {
            let hit = o.hit_rank().and_then(|r| o.ranked.get(r - 1));
            serde_json::json!({
                "query": o.query, "expected": o.expected, "hitRank": o.hit_rank(),
                "top": o.ranked.first().map(describe), "hit": hit.map(describe),
            })
        })
        .collect()
}

fn describe(f: &Found) -> serde_json::Value {
    serde_json::json!({
        "documentId": f.document, "title": f.title, "score": f.score,
        "hasAnswer": f.has_answer, "cosine": f.cosine, "lexicalRank": f.lexical_rank,
        "matchedText": f.matched_text,
    })
}

fn validate(documents: &[DocumentLine], queries: &[QueryLine], top_k: usize) -> anyhow::Result<()> {
    if documents.is_empty() || queries.is_empty() {
        bail!("both files need at least one line");
    }
    if top_k == 0 {
        bail!("--top-k must be at least 1");
    }
    let mut ids = HashSet::new();
    for d in documents {
        if !ids.insert(d.id.as_str()) {
            bail!("document id {:?} appears twice", d.id);
        }
    }
    for q in queries {
        let Some(doc) = q.document_id.as_deref() else { continue };
        if !ids.contains(doc) {
            bail!("query {:?} expects document {doc:?}, which is not in the documents", q.query);
        }
        if q.answer.as_deref().is_none_or(|a| a.trim().is_empty()) {
            bail!("query {:?} has a document but no answer", q.query);
        }
    }
    Ok(())
}

/// Every in-scope answer must lie inside one indexed passage of its document: otherwise
/// no search could score it a hit and the set, not retrieval, would be wrong. Returns the
/// numbers of passages and child chunks.
async fn check_answers_indexed(
    db: &dyn Backend,
    company: switchboard_domain::CompanyId,
    names: &HashMap<DocumentId, String>,
    queries: &[QueryLine],
) -> anyhow::Result<(usize, usize)> {
    let documents: Vec<DocumentId> = names.keys().copied().collect();
    let chunks = db.indexed_chunks(company, &documents).await?;
    let ids: Vec<ChunkId> = chunks.iter().map(|c| c.id).collect();
    let mut texts: HashMap<&str, HashSet<String>> = HashMap::new();
    for view in db.passages(company, &ids).await? {
        let name = names.get(&view.document_id).map_or("", String::as_str);
        texts.entry(name).or_default().insert(view.passage_text.to_lowercase());
    }
    let unplaced: Vec<&str> = queries
        .iter()
        .filter(|q| {
            let (Some(doc), Some(answer)) = (q.document_id.as_deref(), q.answer.as_deref()) else {
                return false;
            };
            let answer = answer.to_lowercase();
            !texts.get(doc).is_some_and(|ps| ps.iter().any(|p| p.contains(&answer)))
        })
        .map(|q| q.query.as_str())
        .collect();
    if !unplaced.is_empty() {
        bail!("no passage of the expected document holds the answer of: {unplaced:?}");
    }
    Ok((texts.values().map(HashSet::len).sum(), chunks.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(document: &str, has_answer: bool, score: f32) -> Found {
        Found {
            document: document.into(),
            has_answer,
            score,
            cosine: None,
            lexical_rank: None,
            title: String::new(),
            matched_text: String::new(),
        }
    }

    fn outcome(expected: Option<&str>, ranked: Vec<Found>) -> Outcome {
        Outcome { query: String::new(), expected: expected.map(Into::into), ranked }
    }

    #[test]
    fn figures_tell_a_hit_from_the_right_document_and_an_answer_from_a_handoff() {
        let outcomes = vec![
            // A hit first, answered.
            outcome(Some("a"), vec![found("a", true, 0.8), found("b", false, 0.5)]),
            // Right document, wrong passage first; the hit is third. Answered wrongly.
            outcome(
                Some("a"),
                vec![found("a", false, 0.6), found("b", false, 0.5), found("a", true, 0.45)],
            ),
            // Another document first, no hit at all, below the threshold: handed off.
            outcome(Some("b"), vec![found("a", false, 0.3)]),
            // Nothing found: handed off.
            outcome(Some("b"), vec![]),
            // Out of scope: one handed off, one answered.
            outcome(None, vec![found("a", false, 0.2)]),
            outcome(None, vec![found("b", false, 0.7)]),
        ];
        let f = figures(&outcomes, 0.4);
        assert_eq!((f.queries, f.in_scope, f.out_of_scope), (6, 4, 2));
        assert_eq!(f.hit_at1, 0.25);
        assert_eq!(f.document_at1, 0.5);
        assert_eq!(f.hit_at5, 0.5);
        assert!((f.mrr - (1.0 + 1.0 / 3.0) / 4.0).abs() < 1e-12);
        assert_eq!((f.answered, f.handed_off, f.answered_wrong), (0.5, 0.5, 0.25));
        assert_eq!(f.oos_handed_off, Some(0.5));

        // A higher threshold hands off more, in and out of scope.
        let strict = figures(&outcomes, 0.75);
        assert_eq!((strict.answered, strict.answered_wrong), (0.25, 0.0));
        assert_eq!(strict.oos_handed_off, Some(1.0));
    }

    #[test]
    fn a_hit_below_the_fifth_place_does_not_count_for_hit_at5() {
        let mut ranked: Vec<Found> = (0..5).map(|_| found("b", false, 0.5)).collect();
        ranked.push(found("a", true, 0.4));
        let f = figures(&[outcome(Some("a"), ranked)], 0.4);
        assert_eq!((f.hit_at5, f.oos_handed_off), (0.0, None));
        assert!((f.mrr - 1.0 / 6.0).abs() < 1e-12);
    }

    #[test]
    fn the_labelled_set_is_checked_before_anything_is_loaded() {
        let docs = vec![DocumentLine { id: "a".into(), title: "A".into(), content: "x".into() }];
        let query = |doc: Option<&str>, answer: Option<&str>| QueryLine {
            query: "q".into(),
            document_id: doc.map(Into::into),
            answer: answer.map(Into::into),
        };
        assert!(validate(&docs, &[query(Some("a"), Some("x"))], 5).is_ok());
        assert!(validate(&docs, &[query(None, None)], 5).is_ok());
        assert!(validate(&docs, &[query(Some("z"), Some("x"))], 5).is_err());
        assert!(validate(&docs, &[query(Some("a"), None)], 5).is_err());
        assert!(validate(&docs, &[query(Some("a"), Some(" "))], 5).is_err());
        assert!(validate(&docs, &[query(None, None)], 0).is_err());
    }
}
