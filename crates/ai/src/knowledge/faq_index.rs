//! FAQ matching: which curated answer, if any, fits a customer's question.
//!
//! Every phrasing (the question and its variants) is a separate target. A question is
//! scored against each FAQ from its closest phrasings (cosine) and from BM25 over the
//! phrasings, so an FAQ that several of its phrasings support beats one lucky near-miss.
//! On top of that, a softmax classifier trained on the phrasings (each FAQ a class) says how
//! probable each FAQ is; it is retrained whenever the FAQs change (the index is rebuilt then)
//! and its probability is blended into the score. The weights were chosen with
//! `switchboard eval retrieval` (docs/benchmarks.md).

use super::{Knowledge, KnowledgeError};
use crate::classify::{Classifier, Config, Example};
use std::collections::HashMap;
use std::sync::Arc;
use switchboard_domain::{CompanyId, FaqId};
use switchboard_retrieval::{Entry, HybridIndex, Query};
use uuid::Uuid;

/// How an FAQ's score is made from its phrasings' similarities.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FaqScoring {
    /// How many of an FAQ's closest phrasings are averaged.
    pub top_k: usize,
    /// Share of the vector score given to the single closest phrasing (the rest goes to
    /// the mean of the `top_k` closest).
    pub max_weight: f32,
    /// Share of the final score given to BM25 agreement.
    pub lexical_weight: f32,
    /// Share of the final score given to the phrasing classifier's probability.
    pub classifier_weight: f32,
}

impl Default for FaqScoring {
    fn default() -> Self {
        Self { top_k: 3, max_weight: 0.5, lexical_weight: 0.1, classifier_weight: 0.4 }
    }
}

/// One FAQ as a candidate answer to a question, best first.
#[derive(Debug, Clone, PartialEq)]
pub struct FaqCandidate {
    pub faq_id: FaqId,
    /// How well the FAQ's phrasings match the question, 0..=1.
    pub score: f32,
    /// `score` plus its lead over the next candidate, capped at 1: what the FAQ threshold
    /// is compared with. A question that two FAQs fit almost equally well is ambiguous, and
    /// answering it is how wrong answers happen, so a narrow lead lowers the confidence.
    pub confidence: f32,
    /// Cosine of the closest phrasing, when vectors are available.
    pub cosine: Option<f32>,
    /// 1-based rank of the FAQ's best phrasing on the BM25 path.
    pub lexical_rank: Option<u32>,
    /// The phrasing classifier's probability for this FAQ (none with fewer than two FAQs).
    pub probability: Option<f32>,
    /// The phrasing that matched best.
    pub phrasing: String,
}

/// Cosine to its closest phrasing from which an FAQ under the threshold is still worth a
/// model's reading: halfway up the fit ramp below. A question about resetting a router (0.46
/// from "reset my password") is offered, and it is the model's to see that it does not fit;
/// one about opening hours (0.04 from "I forgot my password") is not.
const NEAR_FAQ_COSINE: f32 = 0.4;

impl FaqCandidate {
    /// Whether the question comes near this FAQ: its closest phrasing at a cosine of at
    /// least [`NEAR_FAQ_COSINE`], or, without vectors, a shared word.
    pub fn is_near(&self) -> bool {
        match self.cosine {
            Some(cosine) => cosine >= NEAR_FAQ_COSINE,
            None => self.lexical_rank.is_some(),
        }
    }
}

/// Cosine to its closest phrasing from which a question counts as fitting an FAQ at all;
/// below it the confidence is scaled down. "How do I reset my router?" is 0.46 from "reset my
/// password" and was answered with it; on the CI samples this cap changes nothing for
/// BANKING77 and hands off 1.7% more of CLINC150's questions (none had been answered wrong).
const FAQ_FIT_COSINE: f32 = 0.6;
/// Cosine at which the fit, and so the confidence, reaches zero; the fit rises linearly from
/// here to [`FAQ_FIT_COSINE`]. Starting the ramp above zero keeps a loose match well under the
/// default threshold: the router question above gets 0.65 against a threshold of 0.75. On
/// BANKING77 this costs nothing; on CLINC150 it hands off 2% more (`switchboard eval retrieval`).
const FAQ_NO_FIT_COSINE: f32 = 0.2;

struct Phrasing {
    faq: FaqId,
    text: String,
}

#[derive(Default)]
pub(super) struct FaqIndex {
    phrasings: Vec<Phrasing>,
    /// Row-major unit vectors, one row per phrasing; empty in lexical mode.
    matrix: Vec<f32>,
    dims: usize,
    lexical: Option<HybridIndex>,
    /// Trained on the phrasings, one class per FAQ; its labels are the FAQ ids.
    classifier: Option<Arc<FaqClassifier>>,
}

struct FaqClassifier {
    model: Classifier,
    faqs: Vec<FaqId>,
}

/// Inverse regularisation of the phrasing classifier. Weaker than the classification
/// default (10): with ten phrasings per FAQ a sharper classifier separates right from wrong
/// answers better, so more questions clear the threshold at the same share of wrong answers
/// (held-out BANKING77 utterances, with the classifier weighted 0.4 instead of 0.5: 74.5% vs
/// 73.6% answered right at under 5% wrong).
const CLASSIFIER_C: f32 = 30.0;

/// The phrasing classifier's settings: on the embedding alone when there are vectors (with
/// ten phrasings per FAQ the lexical features overfit, docs/benchmarks.md), weakly
/// regularised; lexical features only without an embedding model.
fn classifier_config(has_vectors: bool) -> Config {
    Config { c: CLASSIFIER_C, lexical: !has_vectors, explain: 0, ..Config::default() }
}

fn train_classifier(phrasings: &[Phrasing], matrix: &[f32], dims: usize) -> Option<FaqClassifier> {
    let labels: Vec<String> = phrasings.iter().map(|p| p.faq.to_string()).collect();
    let has_vectors = dims > 0 && matrix.len() == dims * phrasings.len();
    let examples: Vec<Example<'_>> = phrasings
        .iter()
        .enumerate()
        .map(|(i, p)| Example {
            text: &p.text,
            label: &labels[i],
            embedding: has_vectors.then(|| &matrix[i * dims..(i + 1) * dims]),
        })
        .collect();
    // Fewer than two FAQs: nothing to tell apart, the similarity scores alone decide.
    let model = Classifier::train(&examples, &classifier_config(has_vectors)).ok()?;
    let by_label: HashMap<String, FaqId> =
        phrasings.iter().map(|p| (p.faq.to_string(), p.faq)).collect();
    let faqs = model.labels().iter().map(|l| by_label[l]).collect();
    Some(FaqClassifier { model, faqs })
}

impl FaqIndex {
    /// Loads the enabled FAQs' phrasings. Phrasings stored without a vector of the current
    /// model (written while the model was missing, or by another model) are embedded now,
    /// in memory: FAQ sets are small, and matching must not silently lose them.
    pub async fn load(knowledge: &Knowledge, company: CompanyId) -> Result<Self, KnowledgeError> {
        let stored = knowledge.db().faq_phrasings(company).await?;
        let model = knowledge.model_name().map(str::to_owned);
        let mut phrasings = Vec::with_capacity(stored.len());
        let mut vectors: Vec<Option<Vec<f32>>> = Vec::with_capacity(stored.len());
        for p in stored {
            let usable = p.embedding_model.is_some() && p.embedding_model == model;
            vectors.push(if usable { p.embedding } else { None });
            phrasings.push(Phrasing { faq: p.faq_id, text: p.text });
        }
        let missing: Vec<usize> = (0..vectors.len()).filter(|&i| vectors[i].is_none()).collect();
        if !missing.is_empty() {
            let texts = missing.iter().map(|&i| phrasings[i].text.clone()).collect();
            if let Some(fresh) = knowledge.embed_all(texts).await? {
                for (i, v) in missing.into_iter().zip(fresh) {
                    vectors[i] = Some(v);
                }
            }
        }
        let dims = knowledge.embedder().map_or(0, |e| e.dimensions());
        let mut matrix = Vec::new();
        if dims > 0 && vectors.iter().all(|v| v.as_ref().is_some_and(|v| v.len() == dims)) {
            matrix.reserve(dims * vectors.len());
            for v in vectors.iter().flatten() {
                matrix.extend_from_slice(v);
            }
        }
        let mut lexical = HybridIndex::new(0);
        let entries = phrasings
            .iter()
            .enumerate()
            .map(|(i, p)| Entry {
                key: Uuid::from_u128(i as u128),
                group: p.faq.as_uuid(),
                text: p.text.clone(),
                vector: None,
            })
            .collect();
        lexical.extend(entries)?;
        // Training is CPU work (about a second for a few hundred FAQs): off the async threads.
        let (phrasings, matrix, classifier) = tokio::task::spawn_blocking(move || {
            let classifier = train_classifier(&phrasings, &matrix, dims).map(Arc::new);
            (phrasings, matrix, classifier)
        })
        .await
        .map_err(|e| KnowledgeError::Index(format!("FAQ classifier training stopped: {e}")))?;
        Ok(Self { phrasings, matrix, dims, lexical: Some(lexical), classifier })
    }

    pub fn is_empty(&self) -> bool {
        self.phrasings.is_empty()
    }

    /// The FAQs that could answer `text`, best first, at most `limit`.
    pub fn rank(
        &self,
        text: &str,
        vector: Option<&[f32]>,
        scoring: &FaqScoring,
        limit: usize,
    ) -> Result<Vec<FaqCandidate>, KnowledgeError> {
        if self.phrasings.is_empty() {
            return Ok(Vec::new());
        }
        let lexical = self.lexical_ranks(text)?;
        let cosines = match vector {
            Some(q) if !self.matrix.is_empty() && q.len() == self.dims => Some(self.cosines(q)),
            _ => None,
        };
        let mut per_faq: HashMap<FaqId, Vec<(f32, usize)>> = HashMap::new();
        match &cosines {
            Some(c) => {
                for (i, p) in self.phrasings.iter().enumerate() {
                    per_faq.entry(p.faq).or_default().push((c[i], i));
                }
            }
            None => {
                for &(i, _) in &lexical {
                    let p = &self.phrasings[i];
                    per_faq.entry(p.faq).or_default().push((jaccard(text, &p.text), i));
                }
            }
        }
        let faq_lexical_rank = faq_ranks(&lexical, &self.phrasings);
        let probabilities: HashMap<FaqId, f32> = match &self.classifier {
            Some(c) => {
                let p = c.model.probabilities(text, vector.filter(|_| cosines.is_some()));
                c.faqs.iter().copied().zip(p).collect()
            }
            None => HashMap::new(),
        };
        let classifier_weight =
            if probabilities.is_empty() { 0.0 } else { scoring.classifier_weight };
        let mut out: Vec<FaqCandidate> = per_faq
            .into_iter()
            .map(|(faq, mut sims)| {
                sims.sort_by(|a, b| b.0.total_cmp(&a.0));
                let (best, best_i) = sims[0];
                let k = scoring.top_k.clamp(1, sims.len());
                let mean_k = sims[..k].iter().map(|s| s.0).sum::<f32>() / k as f32;
                let similarity = scoring.max_weight * best + (1.0 - scoring.max_weight) * mean_k;
                let lexical_rank = faq_lexical_rank.get(&faq).copied();
                let evidence = match cosines {
                    Some(_) => {
                        let lex = lexical_rank.map_or(0.0, |r| 61.0 / (60.0 + r as f32));
                        (1.0 - scoring.lexical_weight) * similarity + scoring.lexical_weight * lex
                    }
                    // Without vectors, word overlap with the closest phrasing is the score.
                    None => best,
                };
                let probability = probabilities.get(&faq).copied();
                let score = (1.0 - classifier_weight) * evidence
                    + classifier_weight * probability.unwrap_or(0.0);
                FaqCandidate {
                    faq_id: faq,
                    score: score.clamp(0.0, 1.0),
                    confidence: 0.0,
                    cosine: cosines.as_ref().map(|_| best),
                    lexical_rank,
                    probability,
                    phrasing: self.phrasings[best_i].text.clone(),
                }
            })
            .collect();
        out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.faq_id.cmp(&b.faq_id)));
        for i in 0..out.len() {
            let next = out.get(i + 1).map_or(0.0, |c| c.score);
            let lead = (2.0 * out[i].score - next).clamp(0.0, 1.0);
            // A lead says the FAQ fits better than the others, not that it fits: with few FAQs
            // (or a classifier whose probabilities must sum to one) an unrelated question can
            // lead by far. The closest phrasing's own similarity caps the confidence, so a
            // question that resembles no phrasing closely is never answered from an FAQ.
            let fit = out[i].cosine.map_or(1.0, fit);
            out[i].confidence = lead.min(fit);
        }
        out.truncate(limit);
        Ok(out)
    }

    fn cosines(&self, q: &[f32]) -> Vec<f32> {
        self.matrix.chunks_exact(self.dims).map(|row| dot(row, q)).collect()
    }

    /// BM25 over the phrasings: (phrasing index, 1-based rank).
    fn lexical_ranks(&self, text: &str) -> Result<Vec<(usize, u32)>, KnowledgeError> {
        let Some(index) = &self.lexical else { return Ok(Vec::new()) };
        let hits = index.search(&Query {
            text,
            vector: None,
            candidates: super::CANDIDATES,
            limit: super::CANDIDATES,
        })?;
        Ok(hits
            .into_iter()
            .filter_map(|h| Some((h.key.as_u128() as usize, h.lexical_rank?)))
            .collect())
    }
}

/// Each FAQ's best rank among the lexical hits of its phrasings, re-ranked densely so that
/// an FAQ with many matching phrasings does not push others down.
fn faq_ranks(lexical: &[(usize, u32)], phrasings: &[Phrasing]) -> HashMap<FaqId, u32> {
    let mut ordered: Vec<(u32, FaqId)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for &(i, rank) in lexical {
        let faq = phrasings[i].faq;
        if seen.insert(faq) {
            ordered.push((rank, faq));
        }
    }
    ordered.sort_by_key(|(rank, _)| *rank);
    ordered.into_iter().enumerate().map(|(i, (_, faq))| (faq, i as u32 + 1)).collect()
}

/// How well a question fits an FAQ at all, 0..=1, from the cosine of its closest phrasing.
fn fit(cosine: f32) -> f32 {
    ((cosine - FAQ_NO_FIT_COSINE) / (FAQ_FIT_COSINE - FAQ_NO_FIT_COSINE)).clamp(0.0, 1.0)
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Share of distinct lowercase words the two texts have in common.
fn jaccard(a: &str, b: &str) -> f32 {
    let words = |s: &str| -> std::collections::HashSet<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let (a, b) = (words(a), words(b));
    let union = a.union(&b).count();
    if union == 0 {
        return 0.0;
    }
    a.intersection(&b).count() as f32 / union as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_ramps_from_no_fit_to_full_fit() {
        assert_eq!(fit(FAQ_NO_FIT_COSINE), 0.0);
        assert_eq!(fit(-0.3), 0.0);
        assert_eq!(fit(FAQ_FIT_COSINE), 1.0);
        assert_eq!(fit(0.95), 1.0);
        // The router question against "reset my password": well under the default threshold.
        let router = fit(0.46);
        assert!(router < super::super::DEFAULT_FAQ_THRESHOLD - 0.05, "{router}");
        assert!(fit(0.5) > fit(0.4));
    }

    #[test]
    fn jaccard_counts_shared_words() {
        assert_eq!(jaccard("Where is my card?", "where is my card"), 1.0);
        assert_eq!(jaccard("a b", "c d"), 0.0);
        assert!((jaccard("my card is late", "my card") - 0.5).abs() < 1e-6);
    }
}
