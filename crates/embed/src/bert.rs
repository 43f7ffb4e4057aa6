//! The BERT encoder of all-MiniLM-L6-v2, with an optional 8-bit copy of its dense layers.
//!
//! candle-transformers' `BertModel` only takes f32 weights. A single customer message is too
//! short for the matrix products to be bound by arithmetic: each pass streams all 42 MB of f32
//! dense weights, so the time goes to memory traffic and to the matrix kernel packing those
//! weights (docs/benchmarks.md, "Where the 15 ms goes"). A copy of the dense weights in 8-bit
//! blocks (GGML's Q8_0: 32 weights share one f16 scale) reads a quarter of the bytes and
//! halves the time of such a pass. candle's Q8_0 product is a row-by-row dot product, not a
//! blocked matrix kernel, so once a pass holds a few dozen tokens f32 is faster again: the
//! caller picks per pass. Embeddings, biases and layer norms exist once, in f32.
//!
//! The layer structure and arithmetic otherwise follow candle-transformers' `bert.rs`
//! (post-norm residual blocks, erf GELU, additive attention mask), so in f32
//! the vectors are those of `BertModel`. Query, key and value share one fused product: one
//! pass over the input instead of three.

use candle_core::quantized::{GgmlDType, QTensor};
use candle_core::{D, DType, Module, Result, Tensor};
use candle_nn::{Embedding, LayerNorm, VarBuilder};
use candle_transformers::models::bert::{Config, HiddenAct};
use candle_transformers::quantized_nn;

/// The format of one copy of the dense weights.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WeightFormat {
    /// The weights as published.
    F32,
    /// 8-bit blocks of 32 weights with one scale each (GGML Q8_0); the input of each product
    /// is quantised the same way on the fly.
    Int8,
}

/// One dense layer, `x·Wᵀ + b`.
enum Dense {
    F32(candle_nn::Linear),
    Int8(quantized_nn::Linear),
}

impl Dense {
    /// Loads `weight` (out × in) and `bias` under each of `vbs`, concatenated along the output
    /// dimension when there are several (the fused query/key/value).
    fn load(
        vbs: &[VarBuilder],
        in_dim: usize,
        out_dim: usize,
        format: WeightFormat,
    ) -> Result<Self> {
        let weights =
            vbs.iter().map(|vb| vb.get((out_dim, in_dim), "weight")).collect::<Result<Vec<_>>>()?;
        let biases = vbs.iter().map(|vb| vb.get(out_dim, "bias")).collect::<Result<Vec<_>>>()?;
        let weight = Tensor::cat(&weights, 0)?;
        let bias = Tensor::cat(&biases, 0)?;
        Ok(match format {
            WeightFormat::F32 => Self::F32(candle_nn::Linear::new(weight, Some(bias))),
            WeightFormat::Int8 => {
                let quantised = QTensor::quantize(&weight, GgmlDType::Q8_0)?;
                Self::Int8(quantized_nn::Linear::from_arc(quantised.into(), Some(bias))?)
            }
        })
    }
}

impl Module for Dense {
    fn forward(&self, xs: &Tensor) -> Result<Tensor> {
        match self {
            Self::F32(linear) => linear.forward(xs),
            Self::Int8(linear) => linear.forward(xs),
        }
    }
}

/// The four dense layers of one transformer layer, in one format.
struct DenseSet {
    query_key_value: Dense,
    attention_out: Dense,
    intermediate: Dense,
    output: Dense,
}

impl DenseSet {
    fn load(vb: &VarBuilder, config: &Config, format: WeightFormat) -> Result<Self> {
        let hidden = config.hidden_size;
        let own = vb.pp("attention").pp("self");
        let qkv = [own.pp("query"), own.pp("key"), own.pp("value")];
        Ok(Self {
            query_key_value: Dense::load(&qkv, hidden, hidden, format)?,
            attention_out: Dense::load(
                &[vb.pp("attention").pp("output").pp("dense")],
                hidden,
                hidden,
                format,
            )?,
            intermediate: Dense::load(
                &[vb.pp("intermediate").pp("dense")],
                hidden,
                config.intermediate_size,
                format,
            )?,
            output: Dense::load(
                &[vb.pp("output").pp("dense")],
                config.intermediate_size,
                hidden,
                format,
            )?,
        })
    }
}

struct Embeddings {
    words: Embedding,
    positions: Embedding,
    token_types: Embedding,
    norm: LayerNorm,
}

impl Embeddings {
    fn load(vb: VarBuilder, config: &Config) -> Result<Self> {
        let hidden = config.hidden_size;
        Ok(Self {
            words: candle_nn::embedding(config.vocab_size, hidden, vb.pp("word_embeddings"))?,
            positions: candle_nn::embedding(
                config.max_position_embeddings,
                hidden,
                vb.pp("position_embeddings"),
            )?,
            token_types: candle_nn::embedding(
                config.type_vocab_size,
                hidden,
                vb.pp("token_type_embeddings"),
            )?,
            norm: candle_nn::layer_norm(hidden, config.layer_norm_eps, vb.pp("LayerNorm"))?,
        })
    }

    fn forward(&self, input_ids: &Tensor, token_type_ids: &Tensor) -> Result<Tensor> {
        let (_rows, seq_len) = input_ids.dims2()?;
        let words = self.words.forward(input_ids)?;
        let summed = (&words + self.token_types.forward(token_type_ids)?)?;
        let positions = Tensor::arange(0u32, seq_len as u32, input_ids.device())?;
        let summed = summed.broadcast_add(&self.positions.forward(&positions)?)?;
        self.norm.forward(&summed)
    }
}

struct Layer {
    f32: DenseSet,
    int8: Option<DenseSet>,
    attention_norm: LayerNorm,
    output_norm: LayerNorm,
    heads: usize,
    head_size: usize,
}

impl Layer {
    fn load(vb: VarBuilder, config: &Config, with_int8: bool) -> Result<Self> {
        let (hidden, eps) = (config.hidden_size, config.layer_norm_eps);
        let int8 =
            if with_int8 { Some(DenseSet::load(&vb, config, WeightFormat::Int8)?) } else { None };
        Ok(Self {
            f32: DenseSet::load(&vb, config, WeightFormat::F32)?,
            int8,
            attention_norm: candle_nn::layer_norm(
                hidden,
                eps,
                vb.pp("attention").pp("output").pp("LayerNorm"),
            )?,
            output_norm: candle_nn::layer_norm(hidden, eps, vb.pp("output").pp("LayerNorm"))?,
            heads: config.num_attention_heads,
            head_size: hidden / config.num_attention_heads,
        })
    }

    /// `mask` is additive: 0 for real tokens, f32::MIN for padding, shaped (rows, 1, 1, seq).
    fn forward(&self, hidden: &Tensor, mask: &Tensor, format: WeightFormat) -> Result<Tensor> {
        let dense = match (format, &self.int8) {
            (WeightFormat::Int8, Some(int8)) => int8,
            _ => &self.f32,
        };
        let (rows, seq_len, width) = hidden.dims3()?;
        let fused = dense.query_key_value.forward(hidden)?;
        // (rows, seq, 3, heads, head) → three (rows, heads, seq, head) tensors.
        let fused = fused.reshape((rows, seq_len, 3, self.heads, self.head_size))?;
        let part =
            |index: usize| fused.narrow(2, index, 1)?.squeeze(2)?.transpose(1, 2)?.contiguous();
        let (query, key, value) = (part(0)?, part(1)?, part(2)?);

        let scores = (query.matmul(&key.t()?)? / (self.head_size as f64).sqrt())?;
        let probabilities = candle_nn::ops::softmax(&scores.broadcast_add(mask)?, D::Minus1)?;
        let context = probabilities.matmul(&value)?.transpose(1, 2)?.contiguous()?;
        let context = context.reshape((rows, seq_len, width))?;

        let attended = (dense.attention_out.forward(&context)? + hidden)?;
        let attended = self.attention_norm.forward(&attended)?;
        let expanded = dense.intermediate.forward(&attended)?.gelu_erf()?;
        self.output_norm.forward(&(dense.output.forward(&expanded)? + &attended)?)
    }
}

/// The encoder: token embeddings, then the transformer layers. Returns every token's last
/// hidden state; pooling is the caller's.
pub struct Bert {
    embeddings: Embeddings,
    layers: Vec<Layer>,
}

impl Bert {
    /// Loads the f32 weights and, with `with_int8`, the 8-bit copy of the dense layers.
    pub fn load(vb: VarBuilder, config: &Config, with_int8: bool) -> Result<Self> {
        if config.hidden_act != HiddenAct::Gelu {
            candle_core::bail!(
                "only the erf GELU activation is supported, not {:?}",
                config.hidden_act
            );
        }
        let embeddings = Embeddings::load(vb.pp("embeddings"), config)?;
        let encoder = vb.pp("encoder");
        let layers = (0..config.num_hidden_layers)
            .map(|index| Layer::load(encoder.pp(format!("layer.{index}")), config, with_int8))
            .collect::<Result<Vec<_>>>()?;
        Ok(Self { embeddings, layers })
    }

    /// `mask` is 1.0 for real tokens and 0.0 for padding, shaped like `input_ids`. `Int8` uses
    /// the 8-bit copy when it was loaded, f32 otherwise.
    pub fn forward(
        &self,
        input_ids: &Tensor,
        token_type_ids: &Tensor,
        mask: &Tensor,
        format: WeightFormat,
    ) -> Result<Tensor> {
        let mut hidden = self.embeddings.forward(input_ids, token_type_ids)?;
        // As Hugging Face's BERT: padding gets the most negative f32 added before the softmax.
        let additive = ((mask.ones_like()? - mask)? * f64::from(f32::MIN))?
            .to_dtype(DType::F32)?
            .unsqueeze(1)?
            .unsqueeze(1)?;
        for layer in &self.layers {
            hidden = layer.forward(&hidden, &additive, format)?;
        }
        Ok(hidden)
    }
}
