//! Priority, urgency and sentiment from cue phrases. Each assessment says which cues it
//! matched, so an agent sees why a request was marked urgent. The phrase lists are short and
//! deliberate: a cue that fires on ordinary requests would make every ticket urgent.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Priority {
    Low,
    Medium,
    High,
    Critical,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Urgency {
    Low,
    Medium,
    High,
    Urgent,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Sentiment {
    Negative,
    Neutral,
    Positive,
}

/// A level with how sure the rules are (0..=1) and the cues that decided it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment<L> {
    pub level: L,
    pub score: f32,
    pub reasons: Vec<String>,
}

const CRITICAL: &[&str] = &[
    "fraud",
    "fraudulent",
    "stolen",
    "hacked",
    "hacker",
    "unauthorized",
    "unauthorised",
    "identity theft",
    "data breach",
    "security breach",
    "compromised",
    "lawsuit",
    "lawyer",
    "legal action",
    "sue",
    "outage",
    "everyone is down",
    "locked out",
    "emergency",
    "not authorized",
    "scam",
];
const HIGH: &[&str] = &[
    "not working",
    "doesn't work",
    "does not work",
    "broken",
    "error",
    "failed",
    "failing",
    "charged twice",
    "double charged",
    "overcharged",
    "wrong",
    "missing",
    "lost",
    "damaged",
    "never arrived",
    "never received",
    "can't access",
    "cannot access",
    "can't log in",
    "cannot log in",
    "can't login",
    "declined",
    "blocked",
    "crash",
    "crashes",
    "refund",
    "complaint",
    "unacceptable",
    "cancel",
];
const LOW: &[&str] = &[
    "just wondering",
    "curious",
    "out of curiosity",
    "suggestion",
    "feedback",
    "no rush",
    "no hurry",
    "whenever",
    "when you get a chance",
    "general question",
    "quick question",
    "how do i",
    "is it possible",
    "do you offer",
    "do you have",
];
const URGENT: &[&str] = &[
    "urgent",
    "urgently",
    "asap",
    "as soon as possible",
    "immediately",
    "right now",
    "right away",
    "emergency",
    "straight away",
    "critical",
];
const SOON: &[&str] = &[
    "today",
    "tonight",
    "tomorrow",
    "this morning",
    "this afternoon",
    "deadline",
    "quickly",
    "soon",
    "still waiting",
    "still haven't",
    "still have not",
    "been waiting",
    "hours",
    "days ago",
    "weeks ago",
    "again",
    "time sensitive",
    "before my flight",
    "leaving",
];
const RELAXED: &[&str] = &[
    "no rush",
    "no hurry",
    "whenever",
    "when you get a chance",
    "at your convenience",
    "just wondering",
    "curious",
    "not urgent",
    "eventually",
    "someday",
    "in the future",
];

/// The text as lowercase words joined by single spaces, padded so that a phrase matches
/// whole words only (" sue " is not in " issue ").
fn normalised(text: &str) -> String {
    // Apostrophes are kept inside words so that "can't" stays one cue.
    let cleaned: String = text.chars().map(|c| if c == '\u{2019}' { '\'' } else { c }).collect();
    let mut out = String::from(" ");
    for w in cleaned.split(|c: char| !(c.is_alphanumeric() || c == '\'')) {
        let w = w.trim_matches('\'');
        if !w.is_empty() {
            out.push_str(&w.to_lowercase());
            out.push(' ');
        }
    }
    out
}

fn matched(text: &str, cues: &[&str]) -> Vec<String> {
    cues.iter().filter(|c| text.contains(&format!(" {c} "))).map(|c| (*c).to_owned()).collect()
}

/// More matching cues, more certainty; a level chosen by default (no cue) gets 0.5.
fn certainty(cues: usize) -> f32 {
    if cues == 0 { 0.5 } else { (0.6 + 0.15 * (cues - 1) as f32).min(0.95) }
}

pub fn priority(text: &str) -> Assessment<Priority> {
    let t = normalised(text);
    for (level, cues) in
        [(Priority::Critical, CRITICAL), (Priority::High, HIGH), (Priority::Low, LOW)]
    {
        let reasons = matched(&t, cues);
        if !reasons.is_empty() {
            return Assessment { level, score: certainty(reasons.len()), reasons };
        }
    }
    Assessment { level: Priority::Medium, score: certainty(0), reasons: Vec::new() }
}

pub fn urgency(text: &str) -> Assessment<Urgency> {
    let t = normalised(text);
    let mut reasons = matched(&t, URGENT);
    let shouting = text.contains("!!") || shouted(text);
    if shouting {
        reasons.push("emphatic punctuation or capitals".to_owned());
    }
    if !matched(&t, URGENT).is_empty() {
        return Assessment { level: Urgency::Urgent, score: certainty(reasons.len()), reasons };
    }
    let relaxed = matched(&t, RELAXED);
    if !relaxed.is_empty() && !shouting {
        return Assessment {
            level: Urgency::Low,
            score: certainty(relaxed.len()),
            reasons: relaxed,
        };
    }
    reasons.extend(matched(&t, SOON));
    if reasons.is_empty() {
        return Assessment { level: Urgency::Medium, score: certainty(0), reasons };
    }
    Assessment { level: Urgency::High, score: certainty(reasons.len()), reasons }
}

/// Mostly capitals over at least three words of two letters or more.
fn shouted(text: &str) -> bool {
    let long: Vec<&str> =
        text.split(|c: char| !c.is_alphabetic()).filter(|w| w.chars().count() >= 2).collect();
    long.len() >= 3
        && long.iter().filter(|w| w.chars().all(char::is_uppercase)).count() * 3 >= long.len() * 2
}

const POSITIVE: &[&str] = &[
    "thank",
    "thanks",
    "thx",
    "great",
    "love",
    "loved",
    "awesome",
    "amazing",
    "excellent",
    "appreciate",
    "appreciated",
    "helpful",
    "perfect",
    "wonderful",
    "fantastic",
    "happy",
    "best",
    "good",
    "nice",
    "kudos",
    "glad",
    "pleased",
    "smooth",
    "friendly",
    "quick",
    "impressed",
    "outstanding",
    "brilliant",
];
const NEGATIVE: &[&str] = &[
    "bad",
    "worst",
    "terrible",
    "awful",
    "horrible",
    "hate",
    "angry",
    "annoyed",
    "frustrated",
    "frustrating",
    "disappointed",
    "disappointing",
    "ridiculous",
    "unacceptable",
    "poor",
    "useless",
    "rude",
    "never",
    "delayed",
    "delay",
    "cancelled",
    "canceled",
    "lost",
    "broken",
    "wrong",
    "problem",
    "issue",
    "fail",
    "failed",
    "still",
    "waiting",
    "hold",
    "refund",
    "complaint",
    "stuck",
    "missed",
    "nobody",
    "no one",
    "not",
    "can't",
    "cannot",
    "won't",
    "didn't",
    "doesn't",
    "don't",
    "isn't",
    "wasn't",
    "sucks",
    "fix",
    "help",
    "why",
];
const NEGATORS: &[&str] = &["not", "no", "never", "don't", "didn't", "isn't", "wasn't", "can't"];

/// Sentiment from cue words; a positive word right after a negator ("not good") counts as
/// negative.
pub fn sentiment(text: &str) -> Assessment<Sentiment> {
    let t = normalised(text);
    let tokens: Vec<&str> = t.split_whitespace().collect();
    let (mut pos, mut neg) = (Vec::new(), Vec::new());
    for (i, w) in tokens.iter().enumerate() {
        let negated = tokens[i.saturating_sub(2)..i].iter().any(|p| NEGATORS.contains(p));
        if POSITIVE.contains(w) {
            if negated { neg.push(format!("not {w}")) } else { pos.push((*w).to_owned()) }
        }
    }
    neg.extend(matched(&t, NEGATIVE));
    let balance = pos.len() as i32 - neg.len() as i32;
    let (level, reasons) = match balance {
        b if b > 0 => (Sentiment::Positive, pos),
        b if b < 0 => (Sentiment::Negative, neg),
        _ => (Sentiment::Neutral, pos.into_iter().chain(neg).collect()),
    };
    let score =
        if level == Sentiment::Neutral { 0.5 } else { certainty(balance.unsigned_abs() as usize) };
    Assessment { level, score, reasons }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fraud_is_critical_and_a_question_is_low() {
        let p = priority("Someone made an unauthorized payment, I think my card was stolen");
        assert_eq!(p.level, Priority::Critical);
        assert_eq!(p.reasons, ["stolen", "unauthorized"]);
        assert_eq!(priority("Quick question: do you offer gift wrapping?").level, Priority::Low);
        assert_eq!(priority("I'd like to change my address").level, Priority::Medium);
        // Whole words only: "issue" does not contain the cue "sue".
        assert_eq!(priority("I have an issue with tissue paper").level, Priority::Medium);
    }

    #[test]
    fn urgency_follows_time_words() {
        assert_eq!(urgency("I need this fixed ASAP").level, Urgency::Urgent);
        assert_eq!(urgency("My order is still waiting since days ago").level, Urgency::High);
        assert_eq!(urgency("No rush, just wondering about your hours").level, Urgency::Low);
        assert_eq!(urgency("WHERE IS MY PACKAGE").level, Urgency::High);
        assert_eq!(urgency("What colours does it come in?").level, Urgency::Medium);
    }

    #[test]
    fn negated_praise_is_negative() {
        assert_eq!(sentiment("Thanks so much, great help!").level, Sentiment::Positive);
        assert_eq!(sentiment("This is not good at all").level, Sentiment::Negative);
        assert_eq!(sentiment("What time do you open on Sunday?").level, Sentiment::Neutral);
        let s = sentiment("My flight was delayed and the staff were rude");
        assert_eq!(s.level, Sentiment::Negative);
        assert!(s.reasons.contains(&"rude".to_owned()));
    }
}
