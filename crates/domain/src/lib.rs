//! Switchboard's domain vocabulary: identifiers and validated values.
//!
//! Nothing here does IO. Every type with a rule is a newtype whose only constructor checks
//! that rule, so a value that reaches storage or a handler is already valid ("parse, don't
//! validate"). Serde deserialisation goes through the same constructors.

mod agent;
mod classification;
mod config;
mod feedback;
mod ids;
mod knowledge;
mod paging;
mod priority;
mod text;
pub mod tool;
mod user;
mod validation;
pub mod workflow;

pub use agent::AgentCapacity;
pub use agent::{AgentStatus, Skill, Skills};
pub use classification::{CategoryLabel, ExampleText};
pub use config::{HexColor, HttpUrl, HttpsUrl, MAX_URL_LEN, Origin, Threshold};
pub use feedback::{FeedbackComment, Rating};
pub use ids::*;
pub use knowledge::{DocumentFormat, DocumentStatus};
pub use paging::{Cursor, PageLimit};
pub use priority::{Priority, Urgency};
pub use text::{BoundedText, CompanyName, PersonName};
pub use tool::{ToolKind, ToolName, ToolSpec};
pub use user::{EmailAddress, Password, Role, UserStatus};
pub use validation::{FieldError, ValidationErrors};
pub use workflow::{WorkflowInput, WorkflowSpec, WorkflowStep, WorkflowTrigger};
