//! The trained classifier: features, softmax weights, the training examples kept as
//! explanations, and the out-of-scope decision.

use crate::features::{Sparse, Vectorizer};
use crate::lbfgs::{self, Outcome};
use crate::softmax::{self, Design};
use serde::Serialize;
use std::collections::BTreeMap;

/// One labelled utterance. `embedding` is its L2-normalised sentence vector, or `None`
/// when no embedding model is available (then the model is lexical only); it must be the
/// same for every example.
#[derive(Debug, Clone, Copy)]
pub struct Example<'a> {
    pub text: &'a str,
    pub label: &'a str,
    pub embedding: Option<&'a [f32]>,
}

#[derive(Debug, Clone)]
pub struct Config {
    /// Inverse regularisation strength, as scikit-learn's `C`: the loss is the summed
    /// cross-entropy plus `|W|² / (2C)`.
    pub c: f32,
    /// Use the lexical (TF-IDF) features.
    pub lexical: bool,
    /// Use the embedding (when examples have one).
    pub embedding: bool,
    /// A lexical term must occur in this many training texts to become a feature.
    pub min_df: usize,
    /// The label of the explicit out-of-scope class, when the training data has one.
    pub oos_label: Option<String>,
    /// A prediction whose top probability is below this is out of scope.
    pub threshold: f32,
    /// How many alternatives and nearest examples a prediction carries.
    pub explain: usize,
    pub optimizer: lbfgs::Options,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            c: 10.0,
            lexical: true,
            embedding: true,
            min_df: 1,
            oos_label: None,
            threshold: 0.0,
            explain: 3,
            optimizer: lbfgs::Options::default(),
        }
    }
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum TrainError {
    #[error("at least two labels are needed, found {0}")]
    TooFewLabels(usize),
    #[error("example {0} has an embedding of another length or lacks one")]
    MixedEmbeddings(usize),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alternative {
    pub label: String,
    pub score: f32,
}

/// A labelled example close to the input: why the classifier thinks what it thinks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Neighbour {
    pub text: String,
    pub label: String,
    /// Cosine of the embeddings (of the TF-IDF vectors in a lexical-only model).
    pub similarity: f32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Prediction {
    /// The most probable label (may be the out-of-scope label itself).
    pub label: String,
    /// Its probability.
    pub score: f32,
    /// The top label is the out-of-scope class, or its probability is under the threshold.
    pub out_of_scope: bool,
    /// The next most probable labels, best first.
    pub alternatives: Vec<Alternative>,
    pub neighbours: Vec<Neighbour>,
}

/// What training did, for logs and the evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TrainingStats {
    pub examples: usize,
    pub labels: usize,
    pub features: usize,
    pub iterations: usize,
    pub converged: bool,
    pub loss: f64,
}

pub struct Classifier {
    labels: Vec<String>,
    oos: Option<usize>,
    threshold: f32,
    explain: usize,
    vectorizer: Option<Vectorizer>,
    dims: usize,
    params: Vec<f32>,
    /// The training examples, kept as explanations.
    texts: Vec<String>,
    example_labels: Vec<u32>,
    embeddings: Vec<f32>,
    lexical: Vec<Sparse>,
    stats: TrainingStats,
}

impl Classifier {
    pub fn train(examples: &[Example<'_>], config: &Config) -> Result<Self, TrainError> {
        let labels: Vec<String> = examples
            .iter()
            .map(|e| e.label)
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .map(str::to_owned)
            .collect();
        if labels.len() < 2 {
            return Err(TrainError::TooFewLabels(labels.len()));
        }
        let index: BTreeMap<&str, u32> =
            labels.iter().enumerate().map(|(i, l)| (l.as_str(), i as u32)).collect();
        let k = labels.len();
        let dims = match examples.first().and_then(|e| e.embedding) {
            Some(v) => v.len(),
            None => 0,
        };
        let mut embeddings = Vec::with_capacity(dims * examples.len());
        for (i, e) in examples.iter().enumerate() {
            match e.embedding {
                Some(v) if v.len() == dims => embeddings.extend_from_slice(v),
                None if dims == 0 => {}
                _ => return Err(TrainError::MixedEmbeddings(i)),
            }
        }
        let texts: Vec<&str> = examples.iter().map(|e| e.text).collect();
        let vectorizer =
            (config.lexical || dims == 0).then(|| Vectorizer::fit(&texts, config.min_df));
        let lexical: Vec<Sparse> = match &vectorizer {
            Some(v) => texts.iter().map(|t| v.transform(t)).collect(),
            None => vec![Sparse::default(); examples.len()],
        };
        let model_dims = if config.embedding { dims } else { 0 };
        let dense: Vec<f32> = if model_dims > 0 { embeddings.clone() } else { Vec::new() };
        let example_labels: Vec<u32> = examples.iter().map(|e| index[e.label]).collect();
        let features = model_dims + vectorizer.as_ref().map_or(0, Vectorizer::len);
        let mut params = vec![0.0f32; (features + 1) * k];
        let design =
            Design { dims: model_dims, dense: &dense, sparse: &lexical, labels: &example_labels };
        let lambda = 1.0 / (config.c * examples.len() as f32);
        let outcome: Outcome = lbfgs::minimize(&mut params, config.optimizer, |p, g| {
            softmax::loss_and_gradient(&design, k, lambda, p, g)
        });
        let oos = config.oos_label.as_deref().and_then(|l| index.get(l)).map(|&i| i as usize);
        Ok(Self {
            stats: TrainingStats {
                examples: examples.len(),
                labels: k,
                features,
                iterations: outcome.iterations,
                converged: outcome.converged,
                loss: outcome.loss,
            },
            labels,
            oos,
            threshold: config.threshold,
            explain: config.explain,
            vectorizer,
            dims: model_dims,
            params,
            texts: texts.into_iter().map(str::to_owned).collect(),
            example_labels,
            embeddings,
            lexical,
        })
    }

    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    pub fn stats(&self) -> TrainingStats {
        self.stats
    }

    pub fn threshold(&self) -> f32 {
        self.threshold
    }

    /// The probability of every label (in `labels()` order).
    pub fn probabilities(&self, text: &str, embedding: Option<&[f32]>) -> Vec<f32> {
        let k = self.labels.len();
        let sparse = self.vectorizer.as_ref().map(|v| v.transform(text)).unwrap_or_default();
        let zero;
        let dense = match embedding {
            Some(v) if self.dims > 0 && v.len() == self.dims => v,
            _ => {
                // No vector for the input: its embedding columns contribute nothing.
                zero = vec![0.0f32; self.dims];
                &zero
            }
        };
        let mut z = vec![0.0f32; k];
        softmax::scores(&self.params, k, dense, &sparse, &mut z);
        softmax::softmax(&mut z);
        z
    }

    pub fn predict(&self, text: &str, embedding: Option<&[f32]>) -> Prediction {
        let probs = self.probabilities(text, embedding);
        let mut order: Vec<usize> = (0..probs.len()).collect();
        order.sort_by(|&a, &b| probs[b].total_cmp(&probs[a]).then(a.cmp(&b)));
        let top = order[0];
        Prediction {
            label: self.labels[top].clone(),
            score: probs[top],
            out_of_scope: Some(top) == self.oos || probs[top] < self.threshold,
            alternatives: order[1..]
                .iter()
                .take(self.explain)
                .map(|&i| Alternative { label: self.labels[i].clone(), score: probs[i] })
                .collect(),
            neighbours: self.neighbours(text, embedding, self.explain),
        }
    }

    /// The `n` training examples most similar to the input, most similar first.
    pub fn neighbours(&self, text: &str, embedding: Option<&[f32]>, n: usize) -> Vec<Neighbour> {
        let dims = self.embeddings.len() / self.texts.len().max(1);
        let sims: Vec<f32> = match embedding {
            Some(q) if dims > 0 && q.len() == dims => self
                .embeddings
                .chunks_exact(dims)
                .map(|row| row.iter().zip(q).map(|(a, b)| a * b).sum())
                .collect(),
            _ => {
                let Some(v) = &self.vectorizer else { return Vec::new() };
                let q = v.transform(text);
                // Both blocks are unit length, so the full vectors have length √2.
                self.lexical.iter().map(|x| x.dot(&q) / 2.0).collect()
            }
        };
        let mut order: Vec<usize> = (0..sims.len()).collect();
        order.sort_by(|&a, &b| sims[b].total_cmp(&sims[a]).then(a.cmp(&b)));
        order
            .into_iter()
            .take(n)
            .map(|i| Neighbour {
                text: self.texts[i].clone(),
                label: self.labels[self.example_labels[i] as usize].clone(),
                similarity: sims[i],
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data() -> Vec<(&'static str, &'static str, [f32; 2])> {
        vec![
            ("where is my parcel", "shipping", [1.0, 0.0]),
            ("my package has not arrived", "shipping", [0.96, 0.28]),
            ("when will my order be delivered", "shipping", [0.98, 0.2]),
            ("I want my money back", "refund", [0.0, 1.0]),
            ("please refund my purchase", "refund", [0.28, 0.96]),
            ("how do I get a refund", "refund", [0.2, 0.98]),
            ("what is the weather like", "oos", [0.71, 0.71]),
            ("tell me a joke", "oos", [0.6, 0.8]),
        ]
    }

    fn train(config: &Config) -> Classifier {
        let d = data();
        let examples: Vec<Example<'_>> =
            d.iter().map(|(t, l, v)| Example { text: t, label: l, embedding: Some(v) }).collect();
        Classifier::train(&examples, config).expect("trains")
    }

    #[test]
    fn learns_the_labels_and_explains_with_neighbours() {
        let config = Config { oos_label: Some("oos".into()), threshold: 0.4, ..Config::default() };
        let model = train(&config);
        assert!(model.stats().converged);
        let p = model.predict("has my parcel arrived yet", Some(&[0.99, 0.1]));
        assert_eq!(p.label, "shipping");
        assert!(!p.out_of_scope && p.score > 0.5, "{p:?}");
        assert_eq!(p.alternatives.len(), 2);
        assert_eq!(p.neighbours[0].label, "shipping");
        let joke = model.predict("tell me a funny joke", Some(&[0.6, 0.8]));
        assert!(joke.out_of_scope, "{joke:?}");
    }

    #[test]
    fn same_data_same_model() {
        let a = train(&Config::default());
        let b = train(&Config::default());
        assert_eq!(a.params, b.params);
        assert_eq!(a.probabilities("refund please", None), b.probabilities("refund please", None));
    }

    #[test]
    fn refuses_one_label_and_mixed_vectors() {
        let one = [Example { text: "a", label: "x", embedding: None }];
        assert_eq!(
            Classifier::train(&one, &Config::default()).err(),
            Some(TrainError::TooFewLabels(1))
        );
        let mixed = [
            Example { text: "a", label: "x", embedding: Some(&[1.0, 0.0]) },
            Example { text: "b", label: "y", embedding: None },
        ];
        assert_eq!(
            Classifier::train(&mixed, &Config::default()).err(),
            Some(TrainError::MixedEmbeddings(1))
        );
    }

    #[test]
    fn works_without_embeddings() {
        let d = data();
        let examples: Vec<Example<'_>> =
            d.iter().map(|(t, l, _)| Example { text: t, label: l, embedding: None }).collect();
        let model = Classifier::train(&examples, &Config::default()).expect("trains");
        assert_eq!(model.predict("refund my purchase please", None).label, "refund");
        assert_eq!(model.neighbours("where is my parcel", None, 1)[0].text, "where is my parcel");
    }
}
