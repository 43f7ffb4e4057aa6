//! A tool's parameters as JSON Schema (draft 2020-12): checked when the tool is saved, then
//! used to validate every call's arguments before the tool runs.
//!
//! The schema is a tenant's document and the arguments come from a model or a customer, so
//! both are bounded: the schema's size and nesting, no `$ref` outside the document (nothing is
//! fetched), `pattern`s compiled by the linear-time `regex` engine under a size limit (no
//! catastrophic backtracking), and a capped list of argument errors.

use std::sync::Arc;

use jsonschema::{Draft, PatternOptions, Validator};
use serde::Serialize;
use serde_json::Value;

use crate::error::truncate;

/// Largest schema accepted, serialized.
pub const MAX_SCHEMA_BYTES: usize = 64 * 1024;
/// Deepest nesting of objects and arrays in a schema document.
pub const MAX_SCHEMA_DEPTH: usize = 32;
/// Argument errors reported at most; the rest are summarised as "and more".
pub const MAX_ARGUMENT_ERRORS: usize = 20;
/// Compiled size allowed for one `pattern` (bytes, as the regex crate counts them).
const MAX_PATTERN_SIZE: usize = 1 << 20;
/// Characters kept of one error message (messages quote the offending value).
const MAX_MESSAGE_CHARS: usize = 200;

/// Why a schema was refused on save.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SchemaError {
    #[error("the parameter schema is larger than {MAX_SCHEMA_BYTES} bytes")]
    TooLarge,
    #[error("the parameter schema is nested deeper than {MAX_SCHEMA_DEPTH} levels")]
    TooDeep,
    #[error("the parameter schema must be a JSON object with \"type\": \"object\"")]
    NotObject,
    #[error("the parameter schema is not valid JSON Schema: {0}")]
    Invalid(String),
}

/// One way the arguments miss the schema: where (a JSON pointer into the arguments, empty for
/// the arguments as a whole) and what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArgumentError {
    pub path: String,
    pub message: String,
}

/// Every way (up to [`MAX_ARGUMENT_ERRORS`]) the arguments miss the schema.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArgumentErrors {
    pub errors: Vec<ArgumentError>,
    /// More errors were found than are listed.
    pub truncated: bool,
}

impl std::fmt::Display for ArgumentErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the arguments do not match the tool's parameters: ")?;
        for (i, error) in self.errors.iter().enumerate() {
            let path = if error.path.is_empty() { "/" } else { &error.path };
            let sep = if i == 0 { "" } else { "; " };
            write!(f, "{sep}{path}: {}", error.message)?;
        }
        if self.truncated {
            f.write_str("; and more")?;
        }
        Ok(())
    }
}

impl std::error::Error for ArgumentErrors {}

/// A compiled, bounded parameter schema. Cheap to clone; share one per tool.
#[derive(Clone)]
pub struct ParameterSchema {
    validator: Arc<Validator>,
    source: Arc<Value>,
}

impl std::fmt::Debug for ParameterSchema {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ParameterSchema").field("source", &self.source).finish()
    }
}

impl ParameterSchema {
    /// Checks and compiles a tool's parameter schema; run it when the tool is saved.
    pub fn compile(schema: &Value) -> Result<Self, SchemaError> {
        // Depth first: serializing (and compiling) a pathological document recurses.
        if depth_exceeds(schema, MAX_SCHEMA_DEPTH) {
            return Err(SchemaError::TooDeep);
        }
        let size = serde_json::to_vec(schema).map_or(usize::MAX, |bytes| bytes.len());
        if size > MAX_SCHEMA_BYTES {
            return Err(SchemaError::TooLarge);
        }
        if schema.get("type").and_then(Value::as_str) != Some("object") {
            return Err(SchemaError::NotObject);
        }
        let patterns = PatternOptions::regex().size_limit(MAX_PATTERN_SIZE);
        let validator = jsonschema::options()
            .with_draft(Draft::Draft202012)
            .offline()
            .with_pattern_options(patterns)
            .build(schema)
            .map_err(|e| {
                let at = e.instance_path().as_str();
                let message = truncate(&e.to_string(), MAX_MESSAGE_CHARS);
                SchemaError::Invalid(if at.is_empty() {
                    message
                } else {
                    format!("at {at}: {message}")
                })
            })?;
        Ok(Self { validator: Arc::new(validator), source: Arc::new(schema.clone()) })
    }

    /// Checks a call's arguments; run it before every call, whoever proposed the arguments.
    pub fn validate(&self, args: &Value) -> Result<(), ArgumentErrors> {
        let mut errors = Vec::new();
        let mut truncated = false;
        for error in self.validator.iter_errors(args) {
            if errors.len() == MAX_ARGUMENT_ERRORS {
                truncated = true;
                break;
            }
            errors.push(ArgumentError {
                path: error.instance_path().as_str().to_owned(),
                message: truncate(&error.to_string(), MAX_MESSAGE_CHARS),
            });
        }
        if errors.is_empty() { Ok(()) } else { Err(ArgumentErrors { errors, truncated }) }
    }

    /// The schema as saved, e.g. to offer the tool to a model as a function's parameters.
    pub fn as_value(&self) -> &Value {
        &self.source
    }
}

/// Whether `value` nests objects and arrays more than `max` levels deep, walked without
/// recursion so a hostile document cannot overflow the stack here.
fn depth_exceeds(value: &Value, max: usize) -> bool {
    let mut stack = vec![(value, 1usize)];
    while let Some((value, depth)) = stack.pop() {
        let children: Box<dyn Iterator<Item = &Value>> = match value {
            Value::Object(map) => Box::new(map.values()),
            Value::Array(items) => Box::new(items.iter()),
            _ => continue,
        };
        if depth > max {
            return true;
        }
        stack.extend(children.map(|child| (child, depth + 1)));
    }
    false
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn depth_counts_containers_only() {
        assert!(!depth_exceeds(&json!({"a": {"b": [1, 2]}}), 3));
        assert!(depth_exceeds(&json!({"a": {"b": [[1]]}}), 3));
        assert!(!depth_exceeds(&json!("scalar"), 0));
    }
}
