use super::*;
use serde_json::json;
use switchboard_domain::CategoryLabel;

fn steps(raw: Value) -> Vec<WorkflowStep> {
    serde_json::from_value(raw).expect("steps")
}

fn refund_steps() -> Vec<WorkflowStep> {
    steps(json!([
        { "type": "message", "content": "Let's sort out your refund." },
        { "type": "ask", "field": "order", "prompt": "What is your order number?",
          "pattern": "\\b([A-Z]-\\d{4})\\b" },
        { "type": "ask", "field": "email", "prompt": "Which email did you order with, for {{order}}?",
          "pattern": "[\\w.+-]+@[\\w-]+\\.[\\w.]+" },
        { "type": "set_priority", "priority": "high" },
        { "type": "tool", "tool": "refund",
          "arguments": { "order": "{{order}}", "contact": { "email": "{{email}}" }, "full": true } },
        { "type": "message", "content": "Done: {{order}} is refunded." },
        { "type": "close" }
    ]))
}

#[test]
fn a_field_in_the_triggering_message_is_taken_without_asking() {
    let steps = refund_steps();
    let mut run = WorkflowRun::start("w", "I want a refund for order A-1042 please");
    assert_eq!(run.next(&steps), Effect::Say("Let's sort out your refund.".into()));
    // The order number was in the triggering message, so the next question is the email.
    assert_eq!(run.next(&steps), Effect::Ask("Which email did you order with, for A-1042?".into()));
    assert_eq!(run.fields.get("order").map(String::as_str), Some("A-1042"));

    // An answer that does not match is asked again; the run stays on its step.
    run.hear("I don't remember");
    assert_eq!(run.next(&steps), Effect::Ask("Which email did you order with, for A-1042?".into()));
    run.hear("it was ann@example.com");
    assert_eq!(run.next(&steps), Effect::SetPriority("high"));
    let Effect::CallTool { tool, arguments, .. } = run.next(&steps) else { panic!("a tool call") };
    assert_eq!(tool, "refund");
    assert_eq!(
        Value::Object(arguments),
        json!({ "order": "A-1042", "contact": { "email": "ann@example.com" }, "full": true })
    );
    // Until the tool is reported done, the run stays on it (an approval may be pending).
    assert!(matches!(run.next(&steps), Effect::CallTool { .. }));
    run.tool_done();
    assert_eq!(run.next(&steps), Effect::Say("Done: A-1042 is refunded.".into()));
    assert_eq!(run.next(&steps), Effect::Close);
    assert_eq!(run.next(&steps), Effect::Finished);
}

#[test]
fn a_run_survives_being_stored_and_read_back() {
    let steps = refund_steps();
    let mut run = WorkflowRun::start("w", "refund please");
    run.next(&steps);
    assert_eq!(run.next(&steps), Effect::Ask("What is your order number?".into()));
    run.awaiting_approval = None;
    let stored = run.to_stored();
    let mut back = WorkflowRun::from_stored(&stored).expect("reads back");
    assert_eq!(back, run);
    back.hear("B-7777");
    assert!(matches!(back.next(&steps), Effect::Ask(q) if q.contains("B-7777")));
    assert_eq!(WorkflowRun::from_stored(&Value::Null), None);
    assert_eq!(WorkflowRun::from_stored(&json!({ "nonsense": 1 })), None);
}

#[test]
fn handoff_ends_the_run_with_its_reason() {
    let steps = steps(json!([
        { "type": "ask", "field": "name", "prompt": "Your name?", "pattern": "(?i)i am (\\w+)" },
        { "type": "handoff", "reason": "{{name}} wants a person" },
        { "type": "message", "content": "never sent" }
    ]));
    let mut run = WorkflowRun::start("w", "hello, I am Ann");
    assert_eq!(run.next(&steps), Effect::Handoff("Ann wants a person".into()));
    assert_eq!(run.next(&steps), Effect::Finished);
}

#[test]
fn remembered_messages_are_bounded() {
    let mut run = WorkflowRun::start("w", "first");
    for i in 0..100 {
        run.hear(&format!("message {i}"));
    }
    assert_eq!(run.heard.len(), HEARD);
    assert_eq!(run.heard.last().map(String::as_str), Some("message 99"));
}

#[test]
fn keywords_match_whole_words_in_any_case() {
    let trigger = WorkflowTrigger::Keyword { keywords: vec!["refund".into(), "money back".into()] };
    assert!(triggered(&trigger, "I want a REFUND.", None, false));
    assert!(triggered(&trigger, "can I have my money back?", None, false));
    assert!(!triggered(&trigger, "refunded already", None, false), "not inside a word");
    assert!(!triggered(&trigger, "prefund", None, false));
    assert!(!triggered(&trigger, "money backing", None, false));
}

#[test]
fn categories_and_conversation_start_trigger_as_documented() {
    let labels = vec![CategoryLabel::parse("returns").expect("label")];
    let trigger = WorkflowTrigger::Category { categories: labels };
    assert!(triggered(&trigger, "anything", Some("returns"), false));
    assert!(!triggered(&trigger, "anything", Some("billing"), false));
    assert!(!triggered(&trigger, "anything", None, true));
    let start = WorkflowTrigger::ConversationStart;
    assert!(triggered(&start, "hi", None, true));
    assert!(!triggered(&start, "hi", None, false));
}
