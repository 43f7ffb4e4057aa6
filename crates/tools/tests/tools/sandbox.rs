//! Function tools: what a script may do, and how each limit ends a script that tries more.

use std::time::{Duration, Instant};

use serde_json::{Map, Value, json};
use switchboard_tools::{FunctionTool, Limits, ToolError};

fn args(value: Value) -> Map<String, Value> {
    value.as_object().expect("an object").clone()
}

/// Runs a script through the async path, as the engine does, and checks it ended quickly.
async fn run(script: &str) -> Result<Value, ToolError> {
    let tool = FunctionTool::compile(script).expect("compiles");
    let started = Instant::now();
    let outcome = tool.run(&args(json!({}))).await;
    assert!(started.elapsed() < Duration::from_secs(5), "{script} held its thread too long");
    outcome
}

#[tokio::test]
async fn a_script_builds_a_map_from_its_arguments() {
    // Arrange
    let script = r##"
        let total = 0;
        for item in args.items { total += item.qty * item.price; }
        #{ order: "#" + args.orderId, total: total, express: args.express, tags: ["a", 1, true] }
    "##;
    let tool = FunctionTool::compile(script).expect("compiles");
    let call = args(json!({
        "orderId": "A-17", "express": true,
        "items": [{"qty": 2, "price": 5}, {"qty": 1, "price": 7}]
    }));

    // Act
    let async_result = tool.run(&call).await.expect("runs");
    let sync_result = tool.run_blocking(&call).expect("runs");

    // Assert
    let expected = json!({"order": "#A-17", "total": 17, "express": true, "tags": ["a", 1, true]});
    assert_eq!(async_result, expected);
    assert_eq!(sync_result, expected);
}

#[tokio::test]
async fn strings_and_scalars_are_results_too() {
    assert_eq!(run(r#""refund " + 12"#).await.unwrap(), json!("refund 12"));
    assert_eq!(run("40 + 2").await.unwrap(), json!(42));
    assert_eq!(run("1 < 2").await.unwrap(), json!(true));
    assert_eq!(run("let x = 1;").await.unwrap(), Value::Null);
}

#[tokio::test]
async fn an_endless_loop_ends_with_too_many_operations() {
    let error = run("loop {}").await.expect_err("stopped");
    assert_eq!(error.code(), "limit_exceeded", "{error}");
    assert!(error.to_string().contains("too many operations"), "{error}");
}

#[tokio::test]
async fn the_wall_clock_stops_a_script_the_operation_count_allows() {
    // Arrange: unlimited operations, so only the clock can stop it.
    let limits =
        Limits { max_operations: 0, wall_time: Duration::from_millis(200), ..Limits::default() };
    let tool = FunctionTool::compile_with("let i = 0; loop { i += 1; }", limits).expect("compiles");

    // Act
    let started = Instant::now();
    let error = tool.run(&Map::new()).await.expect_err("stopped");

    // Assert
    assert_eq!(error.code(), "timeout", "{error}");
    assert!(error.to_string().contains("the script ran too long"), "{error}");
    assert!(started.elapsed() < Duration::from_secs(2), "took {:?}", started.elapsed());
}

#[tokio::test]
async fn a_string_doubling_forever_hits_the_string_limit() {
    let error = run(r#"let s = "x"; loop { s += s; }"#).await.expect_err("stopped");
    assert_eq!(error.code(), "limit_exceeded", "{error}");
    assert!(error.to_string().contains("length of string"), "{error}");
}

#[tokio::test]
async fn arrays_and_maps_are_bounded_however_they_grow() {
    for script in [
        "let a = []; loop { a.push(1); }",
        "let a = []; a.pad(100000000, 0); a",
        // Nested containers count toward the same totals.
        "let a = [[]]; loop { a[0].push([1, 2, 3]); }",
    ] {
        let error = run(script).await.expect_err(script);
        assert_eq!(error.code(), "limit_exceeded", "{script}: {error}");
        assert!(error.to_string().contains("size of array"), "{script}: {error}");
    }
    for script in [
        "let m = #{}; let i = 0; loop { m[`k${i}`] = i; i += 1; }",
        "let m = #{a: #{}}; let i = 0; loop { m.a[`k${i}`] = i; i += 1; }",
        "let m = #{}; let f = |k| { m[k] = 1; }; let i = 0; loop { f.call(`k${i}`); i += 1; }",
    ] {
        let error = run(script).await.expect_err(script);
        assert!(error.to_string().contains("size of object map"), "{script}: {error}");
    }
}

#[tokio::test]
async fn map_keys_count_toward_the_string_limit() {
    // rhai itself neither checks a map that grows by index assignment nor counts its keys:
    // this loop held ~350 MB within the second before the guard.
    let script =
        r#"let k = "x"; k.pad(60000, "y"); let m = #{}; let i = 0; loop { m[k + i] = 1; i += 1; }"#;
    let error = run(script).await.expect_err("stopped");
    assert_eq!(error.code(), "limit_exceeded", "{error}");
    assert!(error.to_string().contains("length of string"), "{error}");
}

#[test]
fn this_is_refused_as_it_would_bypass_the_growth_guard() {
    let script =
        "fn grow() { let i = 0; loop { this[`k${i}`] = 1; i += 1; } } let m = #{}; m.grow();";
    let error = FunctionTool::compile(script).expect_err("this is disabled");
    assert!(error.to_string().contains("'this'"), "{error}");
}

#[tokio::test]
async fn deep_recursion_ends_with_a_call_depth_error() {
    // Arrange
    let script = "fn f(n) { f(n + 1) } f(0)";
    let tool = FunctionTool::compile(script).expect("compiles");

    // Act: on the blocking pool and on this test's own (smaller) thread stack.
    let pooled = tool.run(&Map::new()).await.expect_err("stopped");
    let here = tool.run_blocking(&Map::new()).expect_err("stopped");

    // Assert
    for error in [pooled, here] {
        assert_eq!(error.code(), "limit_exceeded", "{error}");
        assert!(error.to_string().contains("nested too many function calls"), "{error}");
    }
}

#[test]
fn eval_import_and_modules_are_refused_when_compiled() {
    for script in [r#"eval("40 + 2")"#, r#"import "std" as s; 1"#, "export const x = 1;"] {
        let error = FunctionTool::compile(script).expect_err(script);
        assert!(error.line.is_some(), "{script}: {error}");
    }
}

#[tokio::test]
async fn eval_cannot_be_reached_through_a_function_pointer() {
    let error = run(r#"let f = Fn("eval"); f.call("40 + 2")"#).await.expect_err("refused");
    assert_eq!(error.code(), "script_error", "{error}");
}

#[tokio::test]
async fn print_and_debug_do_not_write_to_stdout_and_do_not_fail() {
    assert_eq!(run(r#"print("hi"); debug(#{a: 1}); 7"#).await.unwrap(), json!(7));
}

#[test]
fn a_syntax_error_names_its_line_and_position() {
    let error = FunctionTool::compile("let a = 1;\nlet b = ;\n").expect_err("syntax");
    assert_eq!(error.line, Some(2));
    assert!(error.position.is_some());
    assert!(error.to_string().contains("(line 2, position"), "{error}");
}

#[test]
fn unknown_variables_are_caught_on_save_but_args_is_known() {
    let error = FunctionTool::compile("argz.orderId").expect_err("unknown variable");
    assert!(error.to_string().contains("argz"), "{error}");
    FunctionTool::compile("args.orderId").expect("args is in scope");
}

#[test]
fn an_oversized_script_is_refused() {
    let script = format!("let a = \"{}\";", "x".repeat(70 * 1024));
    let error = FunctionTool::compile(&script).expect_err("too large");
    assert!(error.to_string().contains("larger than"), "{error}");
}

#[test]
fn a_runtime_error_is_a_script_error_with_its_position() {
    let tool = FunctionTool::compile("let x = 1;\nthrow \"no such order\";").expect("compiles");
    let error = tool.run_blocking(&Map::new()).expect_err("thrown");
    assert_eq!(error.code(), "script_error");
    assert!(error.to_string().contains("no such order"), "{error}");
    assert!(error.to_string().contains("line 2"), "{error}");
}

#[test]
fn a_value_that_is_not_data_is_refused() {
    let tool = FunctionTool::compile("Fn(\"to_string\")").expect("compiles");
    let error = tool.run_blocking(&Map::new()).expect_err("a function pointer");
    assert_eq!(error.code(), "invalid_response", "{error}");
}

#[test]
fn no_clock_file_or_process_functions_exist() {
    for script in ["timestamp()", r#"open_file("/etc/passwd")"#, "blob(10)", r#"system("ls")"#] {
        let tool = FunctionTool::compile(script).expect(script);
        let error = tool.run_blocking(&Map::new()).expect_err(script);
        assert!(error.to_string().contains("Function not found"), "{script}: {error}");
    }
}
