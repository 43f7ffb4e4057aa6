//! `?limit=&cursor=` as every list endpoint takes them.

use serde::Deserialize;
use switchboard_domain::{Cursor, PageLimit, ValidationErrors};
use switchboard_storage::PageRequest;
use utoipa::IntoParams;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// How many items (1–200, default 50).
    #[param(minimum = 1, maximum = 200)]
    limit: Option<u32>,
    /// The `nextCursor` of the previous page.
    cursor: Option<String>,
}

impl PageParams {
    pub fn into_request(self) -> Result<PageRequest, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let limit = match self.limit {
            Some(n) => errors.check("limit", PageLimit::parse(n)),
            None => Some(PageLimit::default()),
        };
        let after = match self.cursor.as_deref() {
            Some(c) => errors.check("cursor", Cursor::parse(c)).map(Some),
            None => Some(None),
        };
        errors.into_result()?;
        Ok(PageRequest { limit: limit.unwrap_or_default(), after: after.flatten() })
    }
}
