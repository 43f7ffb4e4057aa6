//! Opaque identifiers. UUIDv7 so that ids sort by creation time, which keyset pagination
//! and index locality both rely on.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
        #[serde(transparent)]
        #[schema(value_type = String, format = Uuid)]
        pub struct $name(Uuid);

        impl $name {
            /// A fresh, time-ordered id.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }

            pub fn from_uuid(id: Uuid) -> Self {
                Self(id)
            }

            pub fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.0)
            }
        }
    };
}

id_type!(
    /// A tenant. Every tenant-scoped row carries one.
    CompanyId
);
id_type!(
    /// A staff member: a company admin or agent.
    UserId
);
id_type!(
    /// An end customer of a company, anonymous or registered.
    CustomerId
);
id_type!(
    /// A login session; tokens name one, and revoking it ends the token.
    SessionId
);
id_type!(ConversationId);
id_type!(MessageId);
id_type!(DocumentId);
id_type!(ChunkId);
id_type!(FaqId);
id_type!(ToolId);
id_type!(WorkflowId);
id_type!(WorkflowRunId);
id_type!(ApprovalId);
id_type!(
    /// One entry of the routing queue: a conversation or an approval waiting for a person.
    WorkItemId
);
id_type!(EventId);
id_type!(AuditId);
id_type!(FeedbackId);
id_type!(ExampleId);
id_type!(JobId);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_through_their_string_form() {
        let id = CompanyId::new();
        assert_eq!(id.to_string().parse::<CompanyId>().unwrap(), id);
        assert!("not-a-uuid".parse::<CompanyId>().is_err());
    }

    #[test]
    fn later_ids_sort_after_earlier_ones() {
        let a = ConversationId::new();
        let b = ConversationId::new();
        assert!(a < b);
    }
}
