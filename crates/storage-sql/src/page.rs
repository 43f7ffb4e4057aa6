//! Keyset pagination shared by the lists.

use crate::{Binds, Dialect, Value};
use switchboard_storage::PageRequest;

/// Binds the cursor of `page` (or `NULL` on the first page), or answers `None` when no row
/// can follow the cursor, which callers turn into an empty last page.
pub(crate) fn bind_after<D: Dialect>(binds: Binds, page: &PageRequest) -> Option<Binds> {
    match &page.after {
        None => Some(binds.opt_id(None)),
        Some(cursor) => D::cursor(cursor.as_str()).map(|v| binds.push(v)),
    }
}

/// `limit + 1`: the extra row only says that another page exists.
pub(crate) fn overfetch(page: &PageRequest) -> Value {
    Value::BigInt(Some(i64::from(page.limit.get()) + 1))
}
