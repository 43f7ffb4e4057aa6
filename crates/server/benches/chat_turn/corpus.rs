//! A handbook generated from the requests' words, FAQs from the requests, and message pools.

use std::collections::{HashMap, HashSet};

use rand::Rng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use serde_json::{Value, json};

use crate::data::{Data, FALLBACK_NOTHING, Kind, Message};
use crate::{SENTENCES_PER_DOCUMENT, SENTENCES_PER_PARAGRAPH, VARIANTS_PER_FAQ};

impl Data {
    /// FAQs for `faqs` intents (each a request as the question, the next few as variants),
    /// and the requests left over, as message pools.
    pub(crate) fn plan(&self, rng: &mut StdRng, faqs: usize) -> Plan {
        let mut order: Vec<usize> = (0..self.intents.len()).collect();
        order.shuffle(rng);
        let faq_intents: HashSet<usize> = order.iter().take(faqs).copied().collect();
        let mut plan = Plan { faqs: Vec::new(), pools: Pools::default() };
        for (i, (intent, texts)) in self.intents.iter().enumerate() {
            if faq_intents.contains(&i) && texts.len() > VARIANTS_PER_FAQ + 1 {
                let label = intent.replace('_', " ");
                plan.faqs.push(json!({
                    "question": texts[0],
                    "variants": texts[1..=VARIANTS_PER_FAQ],
                    "answer": format!(
                        "Here is what to know about {label}: the app's Help section has the steps, \
                         and our team can look at your account if they do not solve it."
                    ),
                }));
                plan.pools.faq.extend(texts[VARIANTS_PER_FAQ + 1..].iter().cloned());
            } else {
                plan.pools.document.extend(texts.iter().cloned());
            }
        }
        plan.pools.nothing = self.nothing.clone();
        for pool in [&mut plan.pools.faq, &mut plan.pools.document, &mut plan.pools.nothing] {
            pool.shuffle(rng);
        }
        plan
    }

    /// Documents adding up to `chunks` sentences, each sentence a child chunk: a handbook of
    /// every intent, sentences from templates filled with the words its customers use.
    pub(crate) fn documents(&self, rng: &mut StdRng, chunks: usize) -> Vec<(String, String)> {
        let vocabularies: Vec<(String, Vocabulary)> = self
            .intents
            .iter()
            .map(|(intent, texts)| (intent.replace('_', " "), Vocabulary::of(texts)))
            .collect();
        let mut seen = HashSet::new();
        let mut documents = Vec::new();
        let mut left = chunks;
        let mut part: HashMap<usize, usize> = HashMap::new();
        while left > 0 {
            let which = documents.len() % vocabularies.len();
            let (label, words) = &vocabularies[which];
            let n = left.min(SENTENCES_PER_DOCUMENT);
            let mut paragraphs = Vec::new();
            let mut paragraph = Vec::new();
            for _ in 0..n {
                let sentence = loop {
                    let s = sentence(rng, label, words);
                    if seen.insert(s.clone()) {
                        break s;
                    }
                };
                paragraph.push(sentence);
                if paragraph.len() == SENTENCES_PER_PARAGRAPH {
                    paragraphs.push(paragraph.join(" "));
                    paragraph.clear();
                }
            }
            if !paragraph.is_empty() {
                paragraphs.push(paragraph.join(" "));
            }
            let k = part.entry(which).or_default();
            *k += 1;
            documents
                .push((format!("{} guide, part {k}", capitalised(label)), paragraphs.join("\n\n")));
            left -= n;
        }
        documents
    }
}

pub(crate) struct Plan {
    pub(crate) faqs: Vec<Value>,
    pub(crate) pools: Pools,
}

#[derive(Default)]
pub(crate) struct Pools {
    faq: Vec<String>,
    document: Vec<String>,
    nothing: Vec<String>,
    /// Messages handed out so far, to keep every text unique when a pool runs dry.
    taken: usize,
}

impl Pools {
    /// `n` messages, 4 of FAQ intents to 3 of other intents to 3 out of scope, interleaved,
    /// none handed out before.
    pub(crate) fn take(&mut self, n: usize) -> Vec<Message> {
        let mut out = Vec::with_capacity(n);
        for i in 0..n {
            let kind = match i % 10 {
                0..=3 => Kind::Faq,
                4..=6 => Kind::Document,
                _ => Kind::Nothing,
            };
            let pool = match kind {
                Kind::Faq => &mut self.faq,
                Kind::Document => &mut self.document,
                Kind::Nothing => &mut self.nothing,
            };
            let text = pool.pop().unwrap_or_else(|| {
                // Only the built-in lists run dry; a suffix keeps the text out of the cache.
                let base = FALLBACK_NOTHING[self.taken % FALLBACK_NOTHING.len()];
                format!("{base} (message {})", self.taken)
            });
            self.taken += 1;
            out.push(Message { text, kind });
        }
        out
    }
}

/// The content words of one intent's requests, drawn by frequency.
struct Vocabulary {
    words: Vec<String>,
    cumulative: Vec<u64>,
}

const STOP_WORDS: &[&str] = &[
    "the", "and", "for", "that", "this", "with", "have", "what", "when", "where", "which", "your",
    "from", "there", "been", "does", "will", "would", "could", "should", "about", "into", "they",
    "them", "their", "then", "than", "just", "some", "still", "yet", "why", "how", "can", "are",
    "was", "were", "you", "not", "but", "has", "had", "did", "its", "it's", "i'm", "don't", "any",
    "get", "got", "need", "want", "please", "help", "know", "able", "there's", "also", "one",
];

impl Vocabulary {
    fn of(texts: &[String]) -> Self {
        let mut counts: HashMap<String, u64> = HashMap::new();
        for text in texts {
            for word in text.split(|c: char| !c.is_alphanumeric() && c != '\'') {
                let word = word.to_lowercase();
                if word.len() >= 4 && !STOP_WORDS.contains(&word.as_str()) {
                    *counts.entry(word).or_default() += 1;
                }
            }
        }
        let mut words: Vec<(String, u64)> = counts.into_iter().collect();
        words.sort();
        if words.is_empty() {
            words.push(("account".to_owned(), 1));
        }
        let mut total = 0;
        let cumulative = words
            .iter()
            .map(|(_, c)| {
                total += c;
                total
            })
            .collect();
        Self { words: words.into_iter().map(|(w, _)| w).collect(), cumulative }
    }

    fn draw(&self, rng: &mut StdRng) -> &str {
        let total = self.cumulative.last().copied().unwrap_or(1);
        let pick = rng.random_range(0..total);
        let i = self.cumulative.partition_point(|&c| c <= pick).min(self.words.len() - 1);
        &self.words[i]
    }
}

/// Help-centre sentences: `{t}` the topic, `{a}` `{b}` `{c}` words of its requests, `{n}` a
/// small number, `{m}` a month. Each comes out between 40 and 300 characters, one child chunk.
const TEMPLATES: &[&str] = &[
    "For questions about {t}, check the {a} section of the app before contacting us about your {b}.",
    "Most {t} cases are resolved within {n} working days once we have confirmed the {a} and the {b}.",
    "If the {a} does not show up after {n} days, open a chat and mention {t} so the right team picks it up.",
    "We never charge a fee for {t} when the {a} was caused by a {b} on our side.",
    "Customers in the EEA can manage {t} from the {a} screen; elsewhere the {b} option may differ.",
    "To speed up a {t} request, have your {a} and the date of the {b} ready when you write to us.",
    "A {a} related to {t} is usually visible in your statement within {n} hours.",
    "Our {t} policy was last updated in {m}, and it now covers {a}, {b} and {c}.",
    "When a {a} fails, the app explains why and suggests the next step for {t}.",
    "You can cancel a {a} linked to {t} at any time, but a {b} already sent cannot be recalled.",
    "Security checks on {t} may ask for a photo of your {a} or a short video of your {b}.",
    "Business accounts follow the same {t} rules, except that {a} limits are raised to {n}000 a day.",
    "Please do not share your {a} with anyone, including staff who ask about {t} or your {b}.",
    "The {t} team works from 8 am to {n} pm on weekdays and answers {a} questions in order.",
    "If you think a {a} was applied twice, the {t} guide shows how to dispute the {b}.",
    "Some merchants hold a {a} for up to {n} days before the {t} is final.",
    "Step {n}: open the card tab, tap {a}, then choose {t} and confirm with your {b}.",
    "Rates for {t} are set when the {a} is processed, not when the {b} was made.",
    "Children's accounts cannot use {t}, and any {a} on them needs a parent's approval.",
    "A reference number for your {t} case is sent by email so you can follow the {a}.",
    "Since {m} the {a} and {b} checks for {t} run automatically, usually in under {n} minutes.",
    "Travellers should tell us about {t} before leaving, especially if a {a} or {b} is involved.",
];

const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn sentence(rng: &mut StdRng, topic: &str, words: &Vocabulary) -> String {
    let template = TEMPLATES[rng.random_range(0..TEMPLATES.len())];
    let mut out = template.replace("{t}", topic);
    for slot in ["{a}", "{b}", "{c}"] {
        out = out.replace(slot, words.draw(rng));
    }
    out = out.replace("{n}", &rng.random_range(2..10).to_string());
    out.replace("{m}", MONTHS[rng.random_range(0..MONTHS.len())])
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}
