use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};

/// Recently embedded queries. Customers ask the same things in the same words all day, and
/// a cached vector saves a forward pass (milliseconds on CPU, a round trip for a remote
/// provider). Keyed by model and exact text: the same query embeds identically anyway.
pub struct QueryCache {
    entries: Mutex<lru::LruCache<CacheKey, Arc<[f32]>>>,
}

/// (model, query text).
type CacheKey = (String, String);

impl QueryCache {
    pub fn new(capacity: usize) -> Self {
        let capacity = NonZeroUsize::new(capacity.max(1)).expect("capacity is at least 1");
        Self { entries: Mutex::new(lru::LruCache::new(capacity)) }
    }

    pub fn get(&self, model: &str, text: &str) -> Option<Arc<[f32]>> {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries.get(&(model.to_owned(), text.to_owned())).cloned()
    }

    pub fn put(&self, model: &str, text: &str, vector: Arc<[f32]>) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries.put((model.to_owned(), text.to_owned()), vector);
    }

    pub fn len(&self) -> usize {
        self.entries.lock().unwrap_or_else(|p| p.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_most_recent_queries_per_model() {
        let cache = QueryCache::new(2);
        cache.put("m", "a", Arc::from(vec![1.0]));
        cache.put("m", "b", Arc::from(vec![2.0]));
        assert!(cache.get("m", "a").is_some());
        cache.put("m", "c", Arc::from(vec![3.0]));
        assert!(cache.get("m", "b").is_none(), "least recently used is evicted");
        assert!(cache.get("other", "a").is_none(), "models do not share vectors");
        assert_eq!(cache.len(), 2);
    }
}
