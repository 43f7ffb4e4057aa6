//! Data: real requests (BANKING77, CLINC150), or built-in ones when those are not found.

use std::collections::HashSet;
use std::path::PathBuf;

use serde_json::Value;

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Of an intent that has an FAQ.
    Faq,
    /// Of a banking intent without one: the documents may answer.
    Document,
    /// Out of scope for a bank.
    Nothing,
}

#[derive(Clone)]
pub(crate) struct Message {
    pub(crate) text: String,
    pub(crate) kind: Kind,
}

pub(crate) struct Data {
    pub(crate) source: String,
    /// (intent, its requests), in file order, each request once.
    pub(crate) intents: Vec<(String, Vec<String>)>,
    /// Requests a bank has nothing to answer with.
    pub(crate) nothing: Vec<String>,
}

const FALLBACK_INTENTS: &[(&str, &[&str])] = &[
    (
        "card_arrival",
        &[
            "My card still hasn't arrived, what should I do?",
            "How long until my new card gets here?",
            "I ordered a card two weeks ago and nothing came.",
            "Where is my card? It has been ten days.",
            "Is there a way to track the card you sent me?",
            "The card you posted never reached me.",
        ],
    ),
    (
        "exchange_rate",
        &[
            "What exchange rate do you use?",
            "How do you calculate the rate for euros?",
            "Is the exchange rate the same at weekends?",
            "Why was my rate worse than the market rate?",
            "Where can I see today's exchange rates?",
            "Do you add a margin to the exchange rate?",
        ],
    ),
    (
        "pin_blocked",
        &[
            "My PIN is blocked after three tries.",
            "How do I unblock my PIN?",
            "I entered the wrong PIN too many times.",
            "Can you reset my blocked PIN please?",
            "The ATM says my PIN is locked.",
            "What do I do if my PIN got blocked?",
        ],
    ),
    (
        "refund_not_showing_up",
        &[
            "My refund is not in my account yet.",
            "The shop says it refunded me but I see nothing.",
            "How long do refunds take to appear?",
            "Where is the refund from last week?",
            "A merchant refund is missing from my balance.",
            "Why can't I see my refund?",
        ],
    ),
    (
        "top_up_failed",
        &[
            "My top up failed, why?",
            "I tried to add money and it was declined.",
            "Top-up with my debit card does not work.",
            "Why did my transfer to top up get rejected?",
            "The app says top up failed again.",
            "I can't top up my account.",
        ],
    ),
    (
        "lost_or_stolen_card",
        &[
            "I lost my card yesterday.",
            "My card was stolen, please block it.",
            "What do I do if someone took my card?",
            "I think my wallet with the card is gone.",
            "How do I report a stolen card?",
            "Can you freeze my lost card?",
        ],
    ),
];

pub(crate) const FALLBACK_NOTHING: &[&str] = &[
    "What's the weather like tomorrow?",
    "Tell me a joke about cats.",
    "How do I cook risotto?",
    "Who won the football last night?",
    "Book me a table for two at eight.",
    "What is the capital of Peru?",
    "Set an alarm for 6 am.",
    "How many calories are in an apple?",
    "Play some jazz music.",
    "When does the next train to Leeds leave?",
    "Translate good morning into German.",
    "How tall is Mount Everest?",
    "Recommend a good science fiction book.",
    "What time is it in Tokyo?",
];

impl Data {
    pub(crate) fn load() -> Self {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
        let banking = std::env::var_os("BANKING77_CSV")
            .map(PathBuf::from)
            .unwrap_or_else(|| root.join("banking77/train.csv"));
        let clinc = root.join("clinc150");
        let intents = std::fs::read_to_string(&banking).ok().map(|csv| {
            let mut by_intent: Vec<(String, Vec<String>)> = Vec::new();
            let mut seen = HashSet::new();
            for record in csv_records(&csv).iter().skip(1) {
                let [text, intent] = record.as_slice() else { continue };
                // A few requests span lines inside their quotes.
                let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                if text.is_empty() || !seen.insert(text.clone()) {
                    continue;
                }
                match by_intent.iter_mut().find(|(i, _)| i == intent) {
                    Some((_, texts)) => texts.push(text),
                    None => by_intent.push((intent.to_owned(), vec![text])),
                }
            }
            by_intent
        });
        let nothing = clinc_out_of_scope(&clinc);
        let source = format!(
            "{}; {}",
            match &intents {
                Some(i) => format!("BANKING77 train split ({} intents)", i.len()),
                None => "built-in banking requests (BANKING77 not found)".to_owned(),
            },
            match &nothing {
                Some(n) => format!("CLINC150 out-of-scope and non-banking requests ({})", n.len()),
                None => "built-in out-of-scope requests (CLINC150 not found)".to_owned(),
            }
        );
        let owned = |texts: &[&str]| texts.iter().map(|t| (*t).to_owned()).collect::<Vec<_>>();
        Self {
            source,
            intents: intents.unwrap_or_else(|| {
                FALLBACK_INTENTS.iter().map(|(i, t)| ((*i).to_owned(), owned(t))).collect()
            }),
            nothing: nothing.unwrap_or_else(|| owned(FALLBACK_NOTHING)),
        }
    }
}

/// The records of a CSV text: fields split on commas, quoted fields may hold commas, line
/// breaks and doubled quotes.
fn csv_records(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let (mut record, mut field) = (Vec::new(), String::new());
    let (mut quoted, mut chars) = (false, text.chars().peekable());
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => record.push(std::mem::take(&mut field)),
            ('\n', false) => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            ('\r', false) => {}
            (c, _) => field.push(c),
        }
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        records.push(record);
    }
    records
}

/// Out-of-scope requests and those of CLINC150's non-banking domains (validation split).
fn clinc_out_of_scope(dir: &std::path::Path) -> Option<Vec<String>> {
    let data: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("data_dev.json")).ok()?).ok()?;
    let domains: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("domains.json")).ok()?).ok()?;
    let banking: HashSet<&str> = ["banking", "credit_cards"]
        .iter()
        .filter_map(|d| domains[*d].as_array())
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let pairs = |split: &str| data[split].as_array().cloned().unwrap_or_default();
    let mut seen = HashSet::new();
    let texts: Vec<String> = [pairs("oos_val"), pairs("oos_train"), pairs("val")]
        .concat()
        .iter()
        .filter_map(|p| Some((p[0].as_str()?, p[1].as_str()?)))
        .filter(|(_, intent)| !banking.contains(intent))
        .map(|(text, _)| text.to_owned())
        .filter(|t| seen.insert(t.clone()))
        .collect();
    (!texts.is_empty()).then_some(texts)
}
