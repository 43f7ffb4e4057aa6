//! The embedder: tokenise, run BERT over length-sorted batches, mean-pool, normalise.

use std::path::{Path, PathBuf};

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::Config;
use tokenizers::{Tokenizer, TruncationParams};

use crate::batching::{self, Batch};
use crate::bert::{Bert, WeightFormat};
use crate::{DIMENSIONS, EmbedError, MODEL_NAME};

/// sentence-transformers' `max_seq_length` for this model (`sentence_bert_config.json`),
/// counting [CLS] and [SEP]. The tokenizer.json in the model ships 128 instead, which
/// sentence-transformers overrides, so we do too.
const MAX_SEQ_LEN: usize = 256;

/// Padded tokens per forward pass. Chosen by benches/throughput.rs on 2 cores: CPU time per
/// pass fell from 16 s at 768 tokens (per-op overhead) to 12.9 s at 2048 and rose again to
/// 13.3 s at 4096 (every op allocates its output, and larger ones fall out of cache).
const TOKEN_BUDGET: usize = 2048;

/// Upper bound on rows per pass, so a flood of one-word inputs does not make one huge pass.
const MAX_ROWS: usize = 256;

/// Most padded tokens a pass may hold to run on the 8-bit weights. Measured with
/// `examples/query_latency.rs` and single passes of growing size on 2 cores: one message of
/// ~15 word pieces takes 9–12 ms in int8 against 18–20 ms in f32, two such messages 25 against
/// 30 ms, three 39 against 38 ms; one text of ~50 word pieces 31 against 35 ms, of ~100 60
/// against 51 ms. Past a few dozen tokens candle's f32 matrix kernel wins.
const INT8_MAX_TOKENS: usize = 48;

/// Which weights the embedder runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precision {
    /// Every pass in f32: the vectors of sentence-transformers, to 1e-5.
    F32,
    /// Short passes (one customer message, a search query) on an 8-bit copy of the dense
    /// weights, which halves their latency; longer passes (documents, FAQ phrasings in bulk) in
    /// f32. An int8 vector is within 0.999 cosine of its f32 one (mean 0.9996 on 300 real
    /// requests); docs/benchmarks.md compares the quality figures of both.
    Mixed,
}

/// Sentence embedder for all-MiniLM-L6-v2 on the CPU. Cheap to share: `embed` takes `&self`,
/// and the type is `Send + Sync`, so one instance can serve every thread.
pub struct LocalEmbedder {
    model: Bert,
    tokenizer: Tokenizer,
    device: Device,
    precision: Precision,
}

impl LocalEmbedder {
    /// Loads model.safetensors, tokenizer.json, config.json from `model_dir`.
    pub fn load(model_dir: &Path, precision: Precision) -> Result<Self, EmbedError> {
        let weights_path = existing(model_dir, "model.safetensors")?;
        let tokenizer_path = existing(model_dir, "tokenizer.json")?;
        let config_path = existing(model_dir, "config.json")?;

        let config = load_config(&config_path)?;
        let tokenizer = load_tokenizer(&tokenizer_path)?;

        let device = Device::Cpu;
        // Read into memory rather than mmap: candle's mmap constructor is `unsafe`, which the
        // workspace forbids, and the weights are only 90 MB.
        let bytes = read(&weights_path)?;
        let weights_error = |source| EmbedError::Weights { path: weights_path.clone(), source };
        let vb = VarBuilder::from_buffered_safetensors(bytes, DType::F32, &device)
            .map_err(weights_error)?;
        let with_int8 = precision == Precision::Mixed;
        let model = Bert::load(vb, &config, with_int8).map_err(weights_error)?;

        Ok(Self { model, tokenizer, device, precision })
    }

    /// L2-normalised mean-pooled embeddings, one per text, in input order.
    pub fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        let encodings = self
            .tokenizer
            .encode_batch_fast(texts.to_vec(), true)
            .map_err(EmbedError::Tokenizer)?;
        let token_ids: Vec<&[u32]> = encodings.iter().map(|e| e.get_ids()).collect();
        let lengths: Vec<usize> = token_ids.iter().map(|ids| ids.len()).collect();

        let mut out = vec![Vec::new(); texts.len()];
        let mut buffers = Buffers::default();
        // One batch at a time: candle already spreads each matrix product and each large
        // element-wise op over all cores. Running two batches at once on top of that was no
        // faster (notes in benches/throughput.rs), only more threads fighting for the cores.
        for batch in batching::plan(&lengths, TOKEN_BUDGET, MAX_ROWS) {
            let vectors = self.forward_batch(&batch, &token_ids, &mut buffers)?;
            for (&index, vector) in batch.indices.iter().zip(vectors) {
                out[index] = vector;
            }
        }
        Ok(out)
    }

    pub fn model_name(&self) -> &str {
        MODEL_NAME
    }

    pub fn dimensions(&self) -> usize {
        DIMENSIONS
    }

    /// Runs one batch and returns its vectors in the batch's row order.
    fn forward_batch(
        &self,
        batch: &Batch,
        token_ids: &[&[u32]],
        buffers: &mut Buffers,
    ) -> Result<Vec<Vec<f32>>, EmbedError> {
        let rows = batch.indices.len();
        let seq_len = batch.seq_len;
        buffers.fill(batch, token_ids);

        let shape = (rows, seq_len);
        let input_ids = Tensor::from_slice(&buffers.ids, shape, &self.device)?;
        let type_ids = Tensor::from_slice(&buffers.type_ids, shape, &self.device)?;
        let mask = Tensor::from_slice(&buffers.mask, shape, &self.device)?;
        let format = match self.precision {
            Precision::Mixed if rows * seq_len <= INT8_MAX_TOKENS => WeightFormat::Int8,
            _ => WeightFormat::F32,
        };
        let hidden = self.model.forward(&input_ids, &type_ids, &mask, format)?;
        let hidden = hidden.flatten_all()?.to_vec1::<f32>()?;

        let vectors = batch
            .indices
            .iter()
            .enumerate()
            .map(|(row, &index)| {
                let row_start = row * seq_len * DIMENSIONS;
                let tokens = &hidden[row_start..row_start + token_ids[index].len() * DIMENSIONS];
                mean_pool_normalised(tokens)
            })
            .collect();
        Ok(vectors)
    }
}

/// Input tensors of one batch, kept across batches so their allocations are reused.
#[derive(Default)]
struct Buffers {
    ids: Vec<u32>,
    type_ids: Vec<u32>,
    mask: Vec<f32>,
}

impl Buffers {
    /// Lays the batch's token ids out row by row, right-padded with id 0 ([PAD]) and mask 0.
    fn fill(&mut self, batch: &Batch, token_ids: &[&[u32]]) {
        let cells = batch.indices.len() * batch.seq_len;
        self.ids.clear();
        self.mask.clear();
        for &index in &batch.indices {
            let ids = token_ids[index];
            let pad = batch.seq_len - ids.len();
            self.ids.extend_from_slice(ids);
            self.ids.extend(std::iter::repeat_n(0, pad));
            self.mask.extend(std::iter::repeat_n(1.0, ids.len()));
            self.mask.extend(std::iter::repeat_n(0.0, pad));
        }
        // Single-segment input: every token type id is 0.
        self.type_ids.clear();
        self.type_ids.resize(cells, 0);
    }
}

/// Mean of the token vectors (`tokens` holds only the unpadded ones, row-major), scaled to unit
/// length as `torch.nn.functional.normalize` does (norm clamped at 1e-12).
fn mean_pool_normalised(tokens: &[f32]) -> Vec<f32> {
    let count = tokens.len() / DIMENSIONS;
    let mut sum = vec![0.0f32; DIMENSIONS];
    for token in tokens.chunks_exact(DIMENSIONS) {
        for (s, &t) in sum.iter_mut().zip(token) {
            *s += t;
        }
    }
    // The mean's 1/count factor cancels under normalisation, but sentence-transformers divides
    // first, so we do too to round the same way.
    let count = count.max(1) as f32;
    sum.iter_mut().for_each(|s| *s /= count);
    let norm = sum.iter().map(|s| s * s).sum::<f32>().sqrt().max(1e-12);
    sum.iter_mut().for_each(|s| *s /= norm);
    sum
}

fn existing(dir: &Path, name: &str) -> Result<PathBuf, EmbedError> {
    let path = dir.join(name);
    if path.is_file() { Ok(path) } else { Err(EmbedError::MissingFile { path }) }
}

fn read(path: &Path) -> Result<Vec<u8>, EmbedError> {
    std::fs::read(path).map_err(|source| EmbedError::Io { path: path.to_owned(), source })
}

fn load_config(path: &Path) -> Result<Config, EmbedError> {
    let invalid = |reason: String| EmbedError::Config { path: path.to_owned(), reason };
    let config: Config =
        serde_json::from_slice(&read(path)?).map_err(|e| invalid(e.to_string()))?;
    if config.hidden_size != DIMENSIONS {
        return Err(invalid(format!(
            "hidden_size is {}, {MODEL_NAME} has {DIMENSIONS}",
            config.hidden_size
        )));
    }
    if config.max_position_embeddings < MAX_SEQ_LEN {
        return Err(invalid(format!(
            "max_position_embeddings is {}, need at least {MAX_SEQ_LEN}",
            config.max_position_embeddings
        )));
    }
    Ok(config)
}

fn load_tokenizer(path: &Path) -> Result<Tokenizer, EmbedError> {
    let mut tokenizer = Tokenizer::from_file(path).map_err(EmbedError::Tokenizer)?;
    let truncation = TruncationParams { max_length: MAX_SEQ_LEN, ..TruncationParams::default() };
    tokenizer.with_truncation(Some(truncation)).map_err(EmbedError::Tokenizer)?;
    // The file pads every input to 128; batches are padded here, to their own longest input.
    tokenizer.with_padding(None);
    Ok(tokenizer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mean_pool_averages_tokens_then_normalises() {
        let mut tokens = vec![0.0f32; 2 * DIMENSIONS];
        tokens[0] = 3.0; // token 0, dim 0
        tokens[DIMENSIONS] = 1.0; // token 1, dim 0
        tokens[DIMENSIONS + 1] = 4.0; // token 1, dim 1
        let v = mean_pool_normalised(&tokens);
        // mean = (2, 2, 0, …), unit length = (1/√2, 1/√2, 0, …)
        let h = std::f32::consts::FRAC_1_SQRT_2;
        assert!((v[0] - h).abs() < 1e-6 && (v[1] - h).abs() < 1e-6);
        assert!(v[2..].iter().all(|&x| x == 0.0));
    }

    #[test]
    fn zero_vector_stays_zero_instead_of_nan() {
        let v = mean_pool_normalised(&vec![0.0; DIMENSIONS]);
        assert!(v.iter().all(|&x| x == 0.0));
    }

    #[test]
    fn missing_model_dir_names_the_fetch_script() {
        let err =
            LocalEmbedder::load(Path::new("/nonexistent/switchboard-model"), Precision::Mixed)
                .err()
                .unwrap();
        assert!(matches!(err, EmbedError::MissingFile { .. }));
        assert!(err.to_string().contains("scripts/fetch-model.sh"), "{err}");
    }

    #[test]
    fn embedder_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<LocalEmbedder>();
    }
}
