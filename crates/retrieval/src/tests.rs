//! Behaviour of the whole index through its public API (plus the test-only threshold knob).

use std::collections::HashSet;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use uuid::Uuid;

use super::*;

fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

fn text_entry(key: u128, group: u128, text: &str) -> Entry {
    Entry { key: id(key), group: id(group), text: text.to_owned(), vector: None }
}

fn entry(key: u128, group: u128, text: &str, vector: &[f32]) -> Entry {
    Entry { vector: Some(vector.to_vec()), ..text_entry(key, group, text) }
}

fn query<'a>(text: &'a str, vector: Option<&'a [f32]>) -> Query<'a> {
    Query { text, vector, candidates: 50, limit: 10 }
}

fn keys(hits: &[Hit]) -> Vec<Uuid> {
    hits.iter().map(|h| h.key).collect()
}

/// Three FAQ-like entries in 3-d space, pointing along the three axes.
fn faq_index() -> HybridIndex {
    let mut index = HybridIndex::new(3);
    index
        .extend(vec![
            entry(1, 10, "How do I request a refund for my order?", &[1.0, 0.0, 0.0]),
            entry(2, 20, "My card was declined at the shop", &[0.0, 1.0, 0.0]),
            entry(3, 30, "Change the delivery address of a parcel", &[0.0, 0.0, 1.0]),
        ])
        .unwrap();
    index
}

#[test]
fn lexical_only_query_ranks_by_bm25() {
    let index = faq_index();
    let hits = index.search(&query("card declined", None)).unwrap();
    assert_eq!(keys(&hits), [id(2)]);
    let hit = &hits[0];
    assert_eq!(hit.group, id(20));
    assert_eq!((hit.lexical_rank, hit.vector_rank), (Some(1), None));
    assert!(hit.bm25.unwrap() > 0.0);
    assert_eq!(hit.cosine, None);
    assert_eq!(hit.fused, 1.0, "first on the only path that ran");
}

#[test]
fn entries_without_vectors_are_found_by_text() {
    let mut index = HybridIndex::new(3);
    index
        .extend(vec![
            text_entry(1, 1, "opening hours of the branch"),
            entry(2, 2, "opening a savings account", &[1.0, 0.0, 0.0]),
        ])
        .unwrap();
    let hits = index.search(&query("branch opening hours", Some(&[0.0, 1.0, 0.0]))).unwrap();
    // 2 is second by text and the only vector; 1 is first by text only.
    assert_eq!(keys(&hits), [id(2), id(1)]);
    assert_eq!((hits[1].lexical_rank, hits[1].vector_rank), (Some(1), None));
    assert_eq!(hits[1].cosine, None);
    assert_eq!(hits[0].vector_rank, Some(1));
}

#[test]
fn vector_only_query_ranks_by_cosine() {
    let index = faq_index();
    let hits = index.search(&query("", Some(&[0.1, 0.9, 0.3]))).unwrap();
    assert_eq!(keys(&hits), [id(2), id(3), id(1)]);
    assert!(hits.iter().all(|h| h.lexical_rank.is_none() && h.bm25.is_none()));
    assert_eq!(hits[0].fused, 1.0);
    let cosine = hits[0].cosine.unwrap();
    let expected = 0.9 / (0.1f32 * 0.1 + 0.9 * 0.9 + 0.3 * 0.3).sqrt();
    assert!((cosine - expected).abs() < 1e-5, "{cosine} vs {expected}");
    // Vectors are normalised on the way in: scaling the query changes nothing.
    let scaled = index.search(&query("", Some(&[1.0, 9.0, 3.0]))).unwrap();
    assert_eq!(keys(&scaled), keys(&hits));
}

#[test]
fn fusion_prefers_agreement_between_paths() {
    let index = faq_index();
    // Text points at the refund entry (1, two terms) before the card entry (2, one term);
    // the vector points at 2 before 1.
    let hits = index.search(&query("refund order card", Some(&[0.6, 0.8, 0.0]))).unwrap();
    assert_eq!(hits[0].lexical_rank, Some(2));
    assert_eq!(hits[1].lexical_rank, Some(1));
    // Mirror-image ranks tie on fused score; the better cosine (2) wins the tie.
    assert_eq!(hits[0].fused, hits[1].fused);
    assert_eq!(keys(&hits), [id(2), id(1), id(3)]);
    // The delivery entry is only recalled by vector, third.
    assert_eq!((hits[2].lexical_rank, hits[2].vector_rank), (None, Some(3)));
    assert!(hits[2].fused < hits[1].fused);
    assert!(hits.iter().all(|h| (0.0..=1.0).contains(&h.fused)));

    let hits = index.search(&query("refund", Some(&[1.0, 0.1, 0.0]))).unwrap();
    assert_eq!(hits[0].key, id(1));
    assert_eq!(hits[0].fused, 1.0, "first on both paths");
}

#[test]
fn limit_truncates_after_fusion() {
    let index = faq_index();
    let mut q = query("", Some(&[1.0, 1.0, 1.0]));
    q.limit = 2;
    assert_eq!(index.search(&q).unwrap().len(), 2);
    q.limit = 0;
    assert!(index.search(&q).unwrap().is_empty());
}

#[test]
fn stemming_and_folding_match_word_forms() {
    let mut index = HybridIndex::new(2);
    index
        .extend(vec![
            text_entry(1, 1, "Refund policy"),
            text_entry(2, 2, "Café opening times"),
            text_entry(3, 3, "Cancelling a transfer"),
        ])
        .unwrap();
    for (text, expected) in
        [("refunds", 1), ("REFUNDED?", 1), ("cafe", 2), ("how do I cancel transfers", 3)]
    {
        let hits = index.search(&query(text, None)).unwrap();
        assert_eq!(hits.first().map(|h| h.key), Some(id(expected)), "{text}");
    }
}

#[test]
fn empty_and_stop_word_queries_have_no_lexical_hits() {
    let index = faq_index();
    for text in ["", "   ", "the and of", "is it to be?", "🙂🙂"] {
        let hits = index.search(&query(text, None)).unwrap();
        assert!(hits.is_empty(), "{text:?} gave {hits:?}");
        // With a vector the query is vector-only, scored as such.
        let hits = index.search(&query(text, Some(&[1.0, 0.0, 0.0]))).unwrap();
        assert_eq!(hits[0].key, id(1));
        assert_eq!(hits[0].fused, 1.0);
        assert!(hits.iter().all(|h| h.lexical_rank.is_none()));
    }
}

#[test]
fn hostile_query_strings_never_error() {
    let index = faq_index();
    let long_words = "refund ".repeat(50_000);
    let long_distinct: String = (0..20_000).map(|i| format!("w{i} ")).collect();
    let long_token = "x".repeat(100_000);
    let hostile = [
        "\"",
        "\"unterminated phrase",
        "text:refund",
        "group:card slot:1",
        ":::",
        "[1 TO 5]",
        "{a TO b}",
        "(((",
        ")))",
        "card AND OR NOT",
        "AND",
        "NOT refund",
        "-refund +card",
        "refund^100",
        "refund~2",
        "ref*",
        "?",
        "/regex.*/",
        "\\",
        "\u{0}\u{1}\u{7f}",
        "💳 declined 😡😡",
        "👨‍👩‍👧‍👦",
        "ｒｅｆｕｎｄ",
        "رد الأموال",
        "返金してください",
        long_words.as_str(),
        long_distinct.as_str(),
        long_token.as_str(),
    ];
    for text in hostile {
        let result = index.search(&query(text, None));
        assert!(result.is_ok(), "{:?}: {result:?}", &text[..text.len().min(40)]);
    }
    // The operators are plain words (or stop words) to us: the card entry still comes first.
    let hits = index.search(&query("card AND OR NOT", None)).unwrap();
    assert_eq!(hits[0].key, id(2));
    let hits = index.search(&query("text:refund", None)).unwrap();
    assert_eq!(hits[0].key, id(1));
    let hits = index.search(&query("💳 declined 😡😡", None)).unwrap();
    assert_eq!(hits[0].key, id(2));
}

#[test]
fn replaced_and_removed_groups_are_never_seen_again() {
    let mut index = faq_index();
    index
        .replace_group(
            id(10),
            vec![
                entry(4, 10, "Returns are accepted within 30 days", &[0.9, 0.1, 0.0]),
                entry(5, 10, "Refunds take five working days", &[1.0, 0.0, 0.0]),
            ],
        )
        .unwrap();
    assert_eq!(index.len(), 4);
    let hits = index.search(&query("refund order", Some(&[1.0, 0.0, 0.0]))).unwrap();
    assert!(!keys(&hits).contains(&id(1)), "the replaced entry is gone");
    assert_eq!(hits[0].key, id(5));
    assert!(keys(&hits).contains(&id(4)));
    assert!(index.exact_vector_search(&[1.0, 0.0, 0.0], 10).iter().all(|(k, _)| *k != id(1)));

    index.remove_group(id(10)).unwrap();
    index.remove_group(id(99)).unwrap(); // unknown: nothing to do, no error
    assert_eq!(index.len(), 2);
    let hits = index.search(&query("refunds returns days", Some(&[1.0, 0.0, 0.0]))).unwrap();
    let gone = [id(1), id(4), id(5)];
    assert!(hits.iter().all(|h| !gone.contains(&h.key) && h.group != id(10)), "{hits:?}");
    assert_eq!(keys(&hits).len(), 2, "the two other entries, by vector only");
    let exact = index.exact_vector_search(&[1.0, 0.0, 0.0], 10);
    assert_eq!(exact.len(), 2);

    // A group emptied by replace_group disappears too.
    index.replace_group(id(20), Vec::new()).unwrap();
    assert!(index.search(&query("card declined", None)).unwrap().is_empty());
    assert_eq!(index.len(), 1);
}

#[test]
fn bad_entries_are_rejected_and_change_nothing() {
    let mut index = faq_index();
    let wrong_length = vec![entry(7, 10, "refund", &[1.0, 0.0])];
    assert!(matches!(
        index.replace_group(id(10), wrong_length),
        Err(IndexError::Dimensions { expected: 3, got: 2 })
    ));
    let stray = vec![entry(7, 11, "refund", &[1.0, 0.0, 0.0])];
    assert!(matches!(index.replace_group(id(10), stray), Err(IndexError::GroupMismatch { .. })));
    let zero = vec![entry(7, 12, "refund", &[0.0, 0.0, 0.0])];
    assert!(matches!(index.extend(zero), Err(IndexError::InvalidVector(_))));
    assert_eq!(index.len(), 3);
    let hits = index.search(&query("refund", None)).unwrap();
    assert_eq!(keys(&hits), [id(1)]);
    assert!(matches!(
        index.search(&query("refund", Some(&[1.0]))),
        Err(IndexError::Dimensions { expected: 3, got: 1 })
    ));
    assert!(index.exact_vector_search(&[1.0], 5).is_empty());
}

#[test]
fn many_small_mutations_keep_segments_merged() {
    let mut index = HybridIndex::new(2);
    for round in 0..60u128 {
        let group = round % 7;
        index
            .replace_group(
                id(group),
                vec![text_entry(1000 + round, group, &format!("round {round} of group {group}"))],
            )
            .unwrap();
    }
    assert_eq!(index.len(), 7);
    let segments = index.lexical.segments().len();
    assert!(segments <= 12, "{segments} segments after 60 commits");
    let hits = index.search(&query("round group", None)).unwrap();
    assert_eq!(hits.len(), 7);
}

#[test]
fn index_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<HybridIndex>();
}

/// Unit vectors scattered around `centroids` random directions, as embeddings cluster.
fn clustered(rng: &mut StdRng, n: usize, centroids: &[Vec<f32>]) -> Vec<Vec<f32>> {
    (0..n)
        .map(|_| {
            let c = &centroids[rng.random_range(0..centroids.len())];
            c.iter().map(|x| x + rng.random_range(-0.12..0.12f32)).collect()
        })
        .collect()
}

fn recall(index: &HybridIndex, queries: &[Vec<f32>], k: usize) -> f64 {
    let mut found = 0usize;
    let mut wanted = 0usize;
    for q in queries {
        let exact: HashSet<Uuid> =
            index.exact_vector_search(q, k).into_iter().map(|(k, _)| k).collect();
        let hits =
            index.search(&Query { text: "", vector: Some(q), candidates: k, limit: k }).unwrap();
        wanted += exact.len();
        found += hits.iter().filter(|h| exact.contains(&h.key)).count();
    }
    found as f64 / wanted as f64
}

#[test]
fn approximate_path_recall_and_tombstones() {
    // A low threshold keeps this affordable in a debug build; the benchmark covers 100,000.
    let dims = 48;
    let mut rng = StdRng::seed_from_u64(7);
    let centroids: Vec<Vec<f32>> =
        (0..40).map(|_| (0..dims).map(|_| rng.random_range(-1.0..1.0f32)).collect()).collect();
    let vectors = clustered(&mut rng, 6_000, &centroids);
    let mut index = HybridIndex::with_threshold(dims, 4_000);
    // Groups of 10 entries, like a document's chunks.
    let entries: Vec<Entry> = vectors
        .iter()
        .enumerate()
        .map(|(i, v)| entry(i as u128, (i / 10) as u128, "chunk", v))
        .collect();
    index.extend(entries).unwrap();
    assert!(index.is_approximate());
    let queries = clustered(&mut rng, 40, &centroids);
    let r = recall(&index, &queries, 50);
    assert!(r >= 0.95, "recall@50 {r}");

    // Remove a tenth of the groups: tombstones, filtered out, no rebuild yet.
    let removed: Vec<u128> = (0..600).step_by(10).collect();
    for g in &removed {
        index.remove_group(id(*g)).unwrap();
    }
    assert!(index.is_approximate());
    assert_eq!(index.ann.as_ref().unwrap().tombstones(), 600, "tombstones, not a rebuild");
    let removed_groups: HashSet<Uuid> = removed.iter().map(|g| id(*g)).collect();
    for q in &queries {
        let hits = index.search(&query("", Some(q))).unwrap();
        assert!(hits.iter().all(|h| !removed_groups.contains(&h.group)));
    }
    let r = recall(&index, &queries, 50);
    assert!(r >= 0.95, "recall@50 with tombstones {r}");

    // Incremental inserts into the graph are found.
    let fresh = clustered(&mut rng, 1, &centroids).remove(0);
    index.replace_group(id(1_000_000), vec![entry(1_000_000, 1_000_000, "new", &fresh)]).unwrap();
    let hits = index.search(&query("", Some(&fresh))).unwrap();
    assert_eq!(hits[0].key, id(1_000_000));

    // Past a quarter of tombstones the matrix is compacted and the graph rebuilt: 1,800 more
    // removals, but the count restarted at the rebuild (at 1,500).
    for g in 0..200u128 {
        index.remove_group(id(g)).unwrap();
    }
    assert!(index.vectors.rows() < 6_001, "compacted");
    assert!(index.is_approximate());
    assert!(index.ann.as_ref().unwrap().tombstones() < 1_500);
    // 200 groups of 10, plus the 40 of the first round outside them, plus the fresh one.
    assert_eq!(index.len(), 6_000 - 2_000 - 400 + 1);
    let r = recall(&index, &queries, 50);
    assert!(r >= 0.95, "recall@50 after rebuild {r}");

    // Below half the threshold it falls back to brute force.
    for g in 200..500u128 {
        index.remove_group(id(g)).unwrap();
    }
    assert!(!index.is_approximate());
    assert_eq!(recall(&index, &queries, 50), 1.0);
}

#[test]
fn an_index_without_vectors_answers_vector_queries_from_text() {
    // A new company's index is created before any vector width is known.
    let mut index = HybridIndex::new(0);
    let v = [0.3_f32; 384];
    assert!(index.search(&query("refund", Some(&v))).unwrap().is_empty(), "empty index");
    assert!(index.exact_vector_search(&v, 5).is_empty());
    index.remove_group(id(9)).unwrap();

    // Text-only entries: the vector part of the query has nothing to compare with.
    index.extend(vec![text_entry(1, 10, "refund policy")]).unwrap();
    let hits = index.search(&query("refund", Some(&v))).unwrap();
    assert_eq!(keys(&hits), vec![id(1)]);

    // The first vector fixes the width; a query of another width is then an error, not a panic.
    index.replace_group(id(20), vec![entry(2, 20, "card declined", &[0.0, 1.0, 0.0])]).unwrap();
    let hits = index.search(&query("card", Some(&[0.0, 1.0, 0.0]))).unwrap();
    assert_eq!(hits[0].key, id(2));
    assert_eq!(hits[0].vector_rank, Some(1));
    assert!(index.search(&query("card", Some(&v))).is_err());
}

#[test]
fn an_emptied_index_accepts_every_operation_again() {
    let mut index = faq_index();
    for group in [10, 20, 30] {
        index.remove_group(id(group)).unwrap();
    }
    assert!(index.is_empty());
    let v = [1.0_f32, 0.0, 0.0];
    assert!(index.search(&query("refund", Some(&v))).unwrap().is_empty());
    assert!(index.search(&query("", None)).unwrap().is_empty());
    index.extend(Vec::new()).unwrap();
    index.replace_group(id(40), Vec::new()).unwrap();
    index.replace_group(id(10), vec![entry(1, 10, "refund", &v)]).unwrap();
    assert_eq!(keys(&index.search(&query("refund", Some(&v))).unwrap()), vec![id(1)]);
}
