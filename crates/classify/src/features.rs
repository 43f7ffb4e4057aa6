//! Lexical features: word 1–2-gram and character 2–5-gram (inside word boundaries) TF-IDF,
//! each block L2-normalised. The embedding blurs near-synonymous intents that differ by one
//! word ("card arrival" against "card delivery estimate"); these features keep that word.
//!
//! N-grams are keyed by a 64-bit FNV-1a hash of their text (no string per n-gram; at this
//! width collisions are negligible), and the vocabulary is the set seen in training.

use std::collections::HashMap;

/// A sparse vector: sorted feature indices with their values.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Sparse {
    pub indices: Vec<u32>,
    pub values: Vec<f32>,
}

impl Sparse {
    pub fn dot(&self, other: &Sparse) -> f32 {
        let (mut i, mut j, mut sum) = (0, 0, 0.0);
        while i < self.indices.len() && j < other.indices.len() {
            match self.indices[i].cmp(&other.indices[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    sum += self.values[i] * other.values[j];
                    i += 1;
                    j += 1;
                }
            }
        }
        sum
    }
}

/// Lowercase alphanumeric words.
pub(crate) fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0100_0000_01b3;

fn fnv(parts: &[&str]) -> u64 {
    let mut h = FNV_OFFSET;
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            // A separator no word contains, so ("ab","c") and ("a","bc") differ.
            h = (h ^ 0x1f).wrapping_mul(FNV_PRIME);
        }
        for b in p.bytes() {
            h = (h ^ u64::from(b)).wrapping_mul(FNV_PRIME);
        }
    }
    h
}

/// Word unigrams and bigrams of one text, as hashes (with repeats: term frequency).
fn word_grams(words: &[String]) -> Vec<u64> {
    let mut out: Vec<u64> = words.iter().map(|w| fnv(&[w])).collect();
    out.extend(words.windows(2).map(|p| fnv(&[&p[0], &p[1]])));
    out
}

/// Character n-grams (2..=5) of each word padded with a space either side, as scikit-learn's
/// `char_wb` analyser makes them.
fn char_grams(words: &[String]) -> Vec<u64> {
    let mut out = Vec::new();
    let mut padded: Vec<char> = Vec::new();
    let mut buf = String::new();
    for w in words {
        padded.clear();
        padded.push(' ');
        padded.extend(w.chars());
        padded.push(' ');
        for n in 2..=5 {
            // A word shorter than n gives its whole padded self once, then no longer grams.
            let n = n.min(padded.len());
            for win in padded.windows(n) {
                buf.clear();
                buf.extend(win);
                out.push(fnv(&["#", &buf]));
            }
            if n == padded.len() {
                break;
            }
        }
    }
    out
}

/// One block's vocabulary with its inverse document frequencies.
#[derive(Debug, Clone, Default)]
struct Block {
    index: HashMap<u64, u32>,
    idf: Vec<f32>,
}

impl Block {
    /// Keeps terms seen in at least `min_df` documents; indices follow the hashes' order, so
    /// the same documents always give the same vocabulary.
    fn fit(docs: &[Vec<u64>], min_df: usize) -> Self {
        let mut df: HashMap<u64, usize> = HashMap::new();
        for doc in docs {
            let mut seen: Vec<u64> = doc.clone();
            seen.sort_unstable();
            seen.dedup();
            for h in seen {
                *df.entry(h).or_default() += 1;
            }
        }
        let mut kept: Vec<(u64, usize)> = df.into_iter().filter(|&(_, d)| d >= min_df).collect();
        kept.sort_unstable();
        let n = docs.len() as f32;
        let idf = kept.iter().map(|&(_, d)| ((1.0 + n) / (1.0 + d as f32)).ln() + 1.0).collect();
        let index = kept.iter().enumerate().map(|(i, &(h, _))| (h, i as u32)).collect();
        Self { index, idf }
    }

    fn len(&self) -> usize {
        self.idf.len()
    }

    /// Sublinear TF (1 + ln tf) times IDF, L2-normalised; indices shifted by `offset`.
    fn transform(&self, terms: &[u64], offset: u32, out: &mut Sparse) {
        let mut counts: HashMap<u32, f32> = HashMap::new();
        for h in terms {
            if let Some(&i) = self.index.get(h) {
                *counts.entry(i).or_default() += 1.0;
            }
        }
        let mut entries: Vec<(u32, f32)> =
            counts.into_iter().map(|(i, tf)| (i, (1.0 + tf.ln()) * self.idf[i as usize])).collect();
        entries.sort_unstable_by_key(|e| e.0);
        let norm = entries.iter().map(|e| e.1 * e.1).sum::<f32>().sqrt();
        if norm > 0.0 {
            for (i, v) in entries {
                out.indices.push(i + offset);
                out.values.push(v / norm);
            }
        }
    }
}

/// The fitted lexical feature space: word block first, then character block.
#[derive(Debug, Clone, Default)]
pub(crate) struct Vectorizer {
    word: Block,
    chars: Block,
}

impl Vectorizer {
    pub fn fit(texts: &[&str], min_df: usize) -> Self {
        let tokens: Vec<Vec<String>> = texts.iter().map(|t| words(t)).collect();
        let w: Vec<Vec<u64>> = tokens.iter().map(|t| word_grams(t)).collect();
        let c: Vec<Vec<u64>> = tokens.iter().map(|t| char_grams(t)).collect();
        Self { word: Block::fit(&w, min_df), chars: Block::fit(&c, min_df) }
    }

    pub fn len(&self) -> usize {
        self.word.len() + self.chars.len()
    }

    pub fn transform(&self, text: &str) -> Sparse {
        let tokens = words(text);
        let mut out = Sparse::default();
        self.word.transform(&word_grams(&tokens), 0, &mut out);
        self.chars.transform(&char_grams(&tokens), self.word.len() as u32, &mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_grams_stay_inside_words() {
        // " ab " gives 3 bigrams, 2 trigrams, then itself; " a " gives 2 bigrams, then itself.
        assert_eq!(char_grams(&["ab".into()]).len(), 3 + 2 + 1);
        assert_eq!(char_grams(&["a".into()]).len(), 2 + 1);
        let joined = char_grams(&["ab".into(), "cd".into()]);
        assert!(!joined.contains(&fnv(&["#", "b c"])), "no n-gram spans two words");
    }

    #[test]
    fn blocks_are_unit_length_and_unknown_terms_vanish() {
        let v = Vectorizer::fit(&["my card has not arrived", "where is my refund"], 1);
        let x = v.transform("My card, has it arrived?");
        let word_norm: f32 = x
            .indices
            .iter()
            .zip(&x.values)
            .filter(|(i, _)| (**i as usize) < v.word.len())
            .map(|(_, v)| v * v)
            .sum();
        assert!((word_norm - 1.0).abs() < 1e-5);
        assert!(x.indices.windows(2).all(|w| w[0] < w[1]), "sorted, no repeats");
        assert!(v.transform("zzz qqq").indices.is_empty());
    }

    #[test]
    fn rarer_terms_weigh_more() {
        let v = Vectorizer::fit(&["card lost", "card stolen", "card arrived"], 1);
        let x = v.transform("card lost");
        let weight = |w: &str| {
            let i = v.word.index[&fnv(&[w])];
            x.values[x.indices.iter().position(|&j| j == i).unwrap()]
        };
        assert!(weight("lost") > weight("card"));
    }
}
