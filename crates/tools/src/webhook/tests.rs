use serde_json::json;
use switchboard_ai::outbound::OutboundPolicy;

use super::*;

fn tool(config: Value) -> WebhookTool {
    serde_json::from_value(config).expect("a well-formed config")
}

fn fields(error: &WebhookConfigError) -> Vec<&str> {
    error.issues.iter().map(|i| i.field.as_str()).collect()
}

const STRICT: WebhookPolicy = WebhookPolicy {
    outbound: OutboundPolicy { allow_private: false },
    allow_loopback: false,
    allow_http: false,
};

#[test]
fn a_plain_https_config_passes_with_its_defaults() {
    let tool = tool(json!({"url": "https://api.example.com/refunds#frag"}));
    let prepared = tool.prepare(&STRICT).expect("valid");
    assert_eq!(prepared.method, Method::POST);
    assert_eq!(prepared.timeout, Duration::from_millis(DEFAULT_TIMEOUT_MS));
    assert_eq!(prepared.url.as_str(), "https://api.example.com/refunds");
}

#[test]
fn every_problem_is_named_by_its_field() {
    let tool = tool(json!({
        "url": "http://api.example.com/",
        "method": "TRACE",
        "timeoutMs": 50,
        "headers": {"Host": "evil.example", "bad name": "x", "X-Key": "line\nbreak"}
    }));
    let error = tool.validate_config(&STRICT).expect_err("invalid");
    assert_eq!(
        fields(&error),
        ["url", "method", "timeoutMs", "headers.Host", "headers.X-Key", "headers.bad name"]
    );
    assert!(error.to_string().contains("url: must be an https URL"), "{error}");
}

#[test]
fn header_problems_never_quote_the_value() {
    let secret = "sk-live-\u{7f}-very-secret";
    let tool = tool(json!({"url": "https://a.example/", "headers": {"X-Key": secret}}));
    let error = tool.validate_config(&STRICT).expect_err("a control character");
    assert!(!error.to_string().contains("very-secret"), "{error}");
    assert!(!format!("{tool:?}").contains("very-secret"));
}

#[test]
fn names_differing_in_case_are_one_header() {
    let tool = tool(json!({"url": "https://a.example/", "headers": {"X-Key": "a", "x-key": "b"}}));
    let error = tool.validate_config(&STRICT).expect_err("duplicate");
    assert_eq!(fields(&error), ["headers.x-key"]);
}

#[test]
fn address_literals_and_credentials_are_refused_on_save() {
    for url in ["https://10.1.2.3/", "https://169.254.169.254/latest", "https://[::1]/"] {
        let error = tool(json!({"url": url})).validate_config(&STRICT).expect_err(url);
        assert!(error.to_string().contains("address"), "{url}: {error}");
    }
    let creds = tool(json!({"url": "https://user:pw@a.example/"}));
    assert!(creds.validate_config(&STRICT).expect_err("creds").to_string().contains("credentials"));
    let ftp = tool(json!({"url": "ftp://a.example/"}));
    assert_eq!(fields(&ftp.validate_config(&STRICT).expect_err("scheme")), ["url"]);
}

#[test]
fn http_and_private_addresses_pass_where_the_policy_allows_them() {
    let open = WebhookPolicy::from_outbound(OutboundPolicy { allow_private: true });
    let tool =
        tool(json!({"url": "http://10.0.0.7:8080/hook", "method": "get", "timeoutMs": 30000}));
    let prepared = tool.prepare(&open).expect("allowed");
    assert_eq!(prepared.method, Method::GET);
}

#[test]
fn unknown_fields_are_refused() {
    let parsed =
        serde_json::from_value::<WebhookTool>(json!({"url": "https://a.example/", "body": 1}));
    assert!(parsed.is_err());
}
