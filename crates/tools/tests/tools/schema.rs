//! Parameter schemas: refused on save when invalid or unbounded; arguments refused with
//! their path.

use serde_json::{Value, json};
use switchboard_tools::{ParameterSchema, SchemaError, ToolError};

fn refund_schema() -> ParameterSchema {
    ParameterSchema::compile(&json!({
        "type": "object",
        "properties": {
            "orderId": {"type": "string", "pattern": "^[A-Z]-[0-9]+$"},
            "amount": {"type": "number", "minimum": 0},
            "items": {"type": "array", "items": {"type": "object", "properties": {"sku": {"type": "string"}}}}
        },
        "required": ["orderId", "amount"],
        "additionalProperties": false
    }))
    .expect("a valid schema")
}

#[test]
fn valid_arguments_pass() {
    let args = json!({"orderId": "A-17", "amount": 12.5, "items": [{"sku": "X"}]});
    assert_eq!(refund_schema().validate(&args), Ok(()));
}

#[test]
fn a_wrong_type_is_refused_with_its_path() {
    let errors = refund_schema()
        .validate(&json!({"orderId": "A-1", "amount": 3, "items": [{"sku": 12}]}))
        .expect_err("wrong type");
    assert_eq!(errors.errors.len(), 1);
    assert_eq!(errors.errors[0].path, "/items/0/sku");
    assert!(errors.errors[0].message.contains("string"), "{errors}");
    let as_tool = ToolError::from(errors);
    assert_eq!(as_tool.code(), "invalid_arguments");
    assert!(as_tool.to_string().contains("/items/0/sku"), "{as_tool}");
}

#[test]
fn a_missing_required_property_is_named() {
    let errors = refund_schema().validate(&json!({"orderId": "A-1"})).expect_err("missing");
    assert_eq!(errors.errors[0].path, "");
    assert!(errors.errors[0].message.contains("amount"), "{errors}");
}

#[test]
fn patterns_and_extra_properties_are_enforced() {
    let errors = refund_schema()
        .validate(&json!({"orderId": "nope", "amount": -1, "extra": true}))
        .expect_err("three problems");
    let paths: Vec<&str> = errors.errors.iter().map(|e| e.path.as_str()).collect();
    assert!(paths.contains(&"/orderId") && paths.contains(&"/amount"), "{paths:?}");
    assert_eq!(errors.errors.len(), 3, "{errors}");
}

#[test]
fn the_error_list_is_capped() {
    let mut properties = serde_json::Map::new();
    let mut args = serde_json::Map::new();
    for i in 0..50 {
        properties.insert(format!("p{i}"), json!({"type": "string"}));
        args.insert(format!("p{i}"), json!(i));
    }
    let schema =
        ParameterSchema::compile(&json!({"type": "object", "properties": properties})).unwrap();
    let errors = schema.validate(&Value::Object(args)).expect_err("fifty problems");
    assert_eq!(errors.errors.len(), switchboard_tools::schema::MAX_ARGUMENT_ERRORS);
    assert!(errors.truncated);
    assert!(errors.to_string().ends_with("; and more"));
}

#[test]
fn an_invalid_schema_is_refused() {
    for schema in [
        json!({"type": "object", "properties": {"a": {"type": "strnig"}}}),
        json!({"type": "object", "required": "a"}),
        json!({"type": "object", "properties": {"a": {"minimum": "zero"}}}),
    ] {
        let error = ParameterSchema::compile(&schema).expect_err("invalid");
        assert!(matches!(error, SchemaError::Invalid(_)), "{schema}: {error}");
    }
}

#[test]
fn a_schema_that_is_not_an_object_schema_is_refused() {
    for schema in [json!({"type": "string"}), json!(true), json!({"properties": {}}), json!([])] {
        assert_eq!(
            ParameterSchema::compile(&schema).unwrap_err(),
            SchemaError::NotObject,
            "{schema}"
        );
    }
}

#[test]
fn remote_references_are_never_fetched() {
    let schema =
        json!({"type": "object", "properties": {"a": {"$ref": "https://example.com/s.json"}}});
    let error = ParameterSchema::compile(&schema).expect_err("remote $ref");
    assert!(matches!(error, SchemaError::Invalid(_)), "{error}");
    let local = json!({
        "type": "object",
        "$defs": {"id": {"type": "string"}},
        "properties": {"a": {"$ref": "#/$defs/id"}}
    });
    let schema = ParameterSchema::compile(&local).expect("a local $ref");
    assert!(schema.validate(&json!({"a": 1})).is_err());
}

#[test]
fn size_and_depth_are_bounded() {
    let mut deep = json!({"type": "string"});
    for _ in 0..40 {
        deep = json!({"type": "object", "properties": {"a": deep}});
    }
    assert_eq!(ParameterSchema::compile(&deep).unwrap_err(), SchemaError::TooDeep);
    let huge = json!({"type": "object", "description": "x".repeat(70 * 1024)});
    assert_eq!(ParameterSchema::compile(&huge).unwrap_err(), SchemaError::TooLarge);
}

#[test]
fn backtracking_patterns_are_refused_and_linear_ones_run() {
    // Lookaround needs a backtracking engine; the linear-time one refuses it on save.
    let lookahead =
        json!({"type": "object", "properties": {"a": {"type": "string", "pattern": "^(?=a)a$"}}});
    assert!(ParameterSchema::compile(&lookahead).is_err());
    // A classic catastrophic-backtracking pattern runs in linear time here.
    let nested =
        json!({"type": "object", "properties": {"a": {"type": "string", "pattern": "^(a+)+$"}}});
    let schema = ParameterSchema::compile(&nested).expect("compiles");
    let started = std::time::Instant::now();
    let hostile = format!("{}!", "a".repeat(5000));
    assert!(schema.validate(&json!({"a": hostile})).is_err());
    assert!(started.elapsed() < std::time::Duration::from_secs(1));
}
