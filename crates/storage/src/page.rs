use switchboard_domain::{Cursor, PageLimit};

/// Keyset pagination request: up to `limit` rows whose id sorts after `after`.
#[derive(Debug, Clone, Default)]
pub struct PageRequest {
    pub limit: PageLimit,
    pub after: Option<Cursor>,
}

/// One page of a list and the cursor for the next, absent on the last page.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    /// Builds a page from up to `limit + 1` rows: the extra row only says that more exist.
    pub fn from_overfetch(
        mut rows: Vec<T>,
        limit: PageLimit,
        id_of: impl Fn(&T) -> String,
    ) -> Self {
        let limit = limit.get() as usize;
        let next_cursor = if rows.len() > limit {
            rows.truncate(limit);
            rows.last().map(&id_of)
        } else {
            None
        };
        Page { items: rows, next_cursor }
    }
}
