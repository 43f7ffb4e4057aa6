//! Request classification, free of IO: texts and their sentence embeddings in, labels with
//! scores and reasons out.
//!
//! The intent model is a multinomial logistic regression over the L2-normalised embedding
//! plus word and character TF-IDF features, trained to convergence with L-BFGS; it is
//! deterministic (the same examples give the same model) and fast enough to retrain when a
//! company edits its examples. Each prediction carries its probability, the runner-up labels
//! and the nearest labelled examples as its explanation.

pub mod cues;
mod features;
pub mod lbfgs;
mod model;
mod softmax;
pub mod taxonomy;

pub use model::{
    Alternative, Classifier, Config, Example, Neighbour, Prediction, TrainError, TrainingStats,
};
