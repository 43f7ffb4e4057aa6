use super::*;
use serde_json::json;

fn tools() -> BTreeSet<String> {
    ["refund_order".to_owned(), "order_status".to_owned()].into()
}

fn input(trigger: Value, steps: Value) -> WorkflowInput {
    WorkflowInput {
        name: " Refunds ".to_owned(),
        description: String::new(),
        trigger,
        steps: steps.as_array().cloned().unwrap_or_default(),
        enabled: true,
    }
}

fn keyword() -> Value {
    json!({"type": "keyword", "keywords": [" refund ", "money back"]})
}

/// The fields named by the errors of parsing `steps` under a keyword trigger, with messages.
fn refused(steps: Value) -> Vec<(String, String)> {
    let errors = WorkflowSpec::parse(input(keyword(), steps), &tools()).expect_err("refused");
    errors.fields().iter().map(|f| (f.field.clone(), f.message.clone())).collect()
}

fn fields(steps: Value) -> Vec<String> {
    refused(steps).into_iter().map(|(f, _)| f).collect()
}

#[test]
fn a_full_workflow_parses_trimmed_and_round_trips_as_api_md_writes_it() {
    let steps = json!([
        {"type": "message", "content": " Sorry to hear that. "},
        {"type": "ask", "field": "order", "prompt": "Your order number?", "pattern": "[0-9]{6}"},
        {"type": "tool", "tool": "refund_order", "arguments": {"order": "{{ order }}", "n": [1, "{{order}}"]}},
        {"type": "set_priority", "priority": "high"},
        {"type": "message", "content": "Refund for {{order}} is on its way."},
        {"type": "handoff", "reason": "check the refund"},
        {"type": "close"}
    ]);
    let spec = WorkflowSpec::parse(input(keyword(), steps.clone()), &tools()).expect("valid");
    assert_eq!(spec.name, "Refunds");
    assert_eq!(
        spec.trigger,
        WorkflowTrigger::Keyword { keywords: vec!["refund".into(), "money back".into()] }
    );
    assert_eq!(spec.steps[0], WorkflowStep::Message { content: "Sorry to hear that.".into() });
    assert_eq!(
        spec.steps.iter().map(WorkflowStep::kind).collect::<Vec<_>>(),
        ["message", "ask", "tool", "set_priority", "message", "handoff", "close"]
    );
    assert_eq!(spec.tools().collect::<Vec<_>>(), ["refund_order"]);
    let written = serde_json::to_value(&spec.steps[1..]).unwrap();
    assert_eq!(written, json!(steps.as_array().unwrap()[1..]));

    let category = json!({"type": "category", "categories": ["Billing", "refunds"]});
    let spec = WorkflowSpec::parse(input(category, json!([{"type": "close"}])), &tools()).unwrap();
    assert_eq!(
        serde_json::to_value(&spec.trigger).unwrap(),
        json!({"type": "category", "categories": ["billing", "refunds"]})
    );
    let start = json!({"type": "conversation_start"});
    assert!(WorkflowSpec::parse(input(start, json!([{"type": "close"}])), &tools()).is_ok());
}

#[test]
fn an_unknown_or_malformed_step_is_reported_by_its_index() {
    let got = refused(json!([{"type": "close"}, {"type": "launch_rocket"}]));
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].0, "steps[1].type");
    assert!(
        got[0].1.contains("step 1")
            && got[0].1.contains("launch_rocket")
            && got[0].1.contains("set_priority"),
        "{got:?}"
    );
    assert_eq!(fields(json!([{"content": "no type"}])), ["steps[0].type"]);
    assert_eq!(fields(json!(["close"])), ["steps[0]"]);
    let got = refused(json!([{"type": "ask", "field": "order", "pattern": "x"}]));
    assert_eq!(got, [("steps[0].prompt".to_owned(), "ask step 0: is required".to_owned())]);
    assert_eq!(fields(json!([{"type": "close", "extra": 1}])), ["steps[0].extra"]);
    assert_eq!(
        fields(json!([{"type": "set_priority", "priority": "urgent"}])),
        ["steps[0].priority"]
    );
    assert_eq!(fields(json!([{"type": "message", "content": "  "}])), ["steps[0].content"]);
    assert_eq!(
        fields(json!([{"type": "handoff", "reason": "r".repeat(501)}])),
        ["steps[0].reason"]
    );
}

#[test]
fn references_must_name_a_field_an_earlier_ask_collects() {
    let got = refused(json!([
        {"type": "message", "content": "Hello {{name}}"},
        {"type": "ask", "field": "name", "prompt": "Name, {{name}}?", "pattern": "\\w+"},
        {"type": "message", "content": "Hi {{name}}, {{ unknown }} and {{not a field}}"},
        {"type": "tool", "tool": "order_status", "arguments": {"q": {"deep": ["{{name}}", "{{order}}"]}}}
    ]));
    let named: Vec<&str> = got.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(
        named,
        ["steps[0].content", "steps[1].prompt", "steps[2].content", "steps[3].arguments.q.deep[1]"]
    );
    assert!(got[0].1.starts_with("message step 0: {{name}} is not collected"), "{got:?}");
    assert!(got[3].1.starts_with("tool step 3: {{order}}"), "{got:?}");
}

#[test]
fn patterns_tools_and_limits_are_checked() {
    let got =
        refused(json!([{"type": "ask", "field": "order", "prompt": "Order?", "pattern": "([0-9"}]));
    assert_eq!(got[0].0, "steps[0].pattern");
    assert!(got[0].1.starts_with("ask step 0: not a valid regular expression"), "{got:?}");
    let huge = json!([{"type": "ask", "field": "o", "prompt": "?", "pattern": "\\w{1000}{1000}"}]);
    assert!(refused(huge)[0].1.contains("too complex"));
    assert_eq!(
        fields(json!([{"type": "ask", "field": "order no", "prompt": "?", "pattern": "x"}])),
        ["steps[0].field"]
    );
    let got = refused(json!([{"type": "tool", "tool": "launch_rocket"}]));
    assert_eq!(
        got,
        [(
            "steps[0].tool".to_owned(),
            "tool step 0: the company has no tool named \"launch_rocket\"".to_owned()
        )]
    );
    let big = json!([{"type": "tool", "tool": "refund_order", "arguments": {"a": "x".repeat(MAX_ARGUMENTS_BYTES)}}]);
    assert_eq!(fields(big), ["steps[0].arguments"]);

    assert_eq!(fields(json!([])), ["steps"]);
    assert_eq!(fields(json!(vec![json!({"type": "close"}); 51])), ["steps"]);
    assert!(
        WorkflowSpec::parse(input(keyword(), json!(vec![json!({"type": "close"}); 50])), &tools())
            .is_ok()
    );

    let refuse_trigger = |trigger: Value| -> Vec<String> {
        let e =
            WorkflowSpec::parse(input(trigger, json!([{"type": "close"}])), &tools()).unwrap_err();
        e.fields().iter().map(|f| f.field.clone()).collect()
    };
    assert_eq!(refuse_trigger(json!({"type": "keyword", "keywords": []})), ["trigger.keywords"]);
    assert_eq!(
        refuse_trigger(json!({"type": "keyword", "keywords": vec!["k"; 51]})),
        ["trigger.keywords"]
    );
    assert_eq!(
        refuse_trigger(json!({"type": "keyword", "keywords": ["ok", " "]})),
        ["trigger.keywords[1]"]
    );
    assert_eq!(
        refuse_trigger(json!({"type": "category", "categories": ["no spaces"]})),
        ["trigger.categories[0]"]
    );
    assert_eq!(refuse_trigger(json!({"type": "tool_result"})), ["trigger.type"]);
    assert_eq!(refuse_trigger(json!("keyword")), ["trigger"]);

    let mut bad = input(keyword(), json!([{"type": "close"}]));
    bad.name = " ".into();
    bad.description = "d".repeat(MAX_WORKFLOW_DESCRIPTION_CHARS + 1);
    let e = WorkflowSpec::parse(bad, &tools()).unwrap_err();
    assert_eq!(
        e.fields().iter().map(|f| f.field.as_str()).collect::<Vec<_>>(),
        ["name", "description"]
    );
}

#[test]
fn templates_fill_known_fields_and_leave_the_rest() {
    assert_eq!(template_fields("a {{x}} b {{ y_1 }} {{no way}} {{"), ["x", "y_1"]);
    let filled = fill_template("Order {{order}} for {{ name }}: {{missing}} {{}}", |f| match f {
        "order" => Some("123456"),
        "name" => Some("Ann"),
        _ => None,
    });
    assert_eq!(filled, "Order 123456 for Ann: {{missing}} {{}}");
}

#[test]
fn a_tool_step_may_be_marked_sensitive_and_only_with_a_boolean() {
    let steps = json!([
        {"type": "tool", "tool": "order_status", "arguments": {}, "sensitive": true},
        {"type": "tool", "tool": "order_status", "arguments": {}}
    ]);
    let spec = WorkflowSpec::parse(input(keyword(), steps.clone()), &tools()).expect("valid");
    assert!(matches!(spec.steps[0], WorkflowStep::Tool { sensitive: true, .. }));
    assert!(matches!(spec.steps[1], WorkflowStep::Tool { sensitive: false, .. }));
    // Written back as sent: the flag only where it was set.
    assert_eq!(serde_json::to_value(&spec.steps).unwrap(), steps);

    let got = fields(json!([{"type": "tool", "tool": "order_status", "sensitive": "yes"}]));
    assert_eq!(got, ["steps[0].sensitive"]);
    // Only tool steps run an action a person could approve.
    assert_eq!(fields(json!([{"type": "close", "sensitive": true}])), ["steps[0].sensitive"]);
}
