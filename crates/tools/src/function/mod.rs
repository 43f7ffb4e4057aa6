//! `function` tools: a company's Rhai script run in a sandbox.
//!
//! The engine is built raw, with only pure packages (language core, arithmetic, strings,
//! logic, math, arrays, maps, bit fields): no file, network, process or clock access, no
//! modules (`import` is refused, and the module resolver is a dummy), no `eval` or `this`, and `print`
//! and `debug` go to the log at debug level rather than the server's stdout. Every run is
//! bounded by [`Limits`]: operations, call depth, expression depth, data sizes, variables and
//! wall time (checked between operations), so an endless loop ends with an error instead of
//! holding a worker. A fresh engine per run carries that run's deadline; building one only
//! clones the shared package handles. rhai's own size checks miss one way data grows (see
//! `sandbox`), which a check on every variable access closes.

mod sandbox;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rhai::{AST, Dynamic, EvalAltResult, Scope};
use serde_json::{Map, Value};

use crate::error::{ToolError, truncate};
use sandbox::sandbox;

/// The name under which a script sees its arguments.
const ARGS: &str = "args";
/// Characters kept of a script error or a printed line.
const MAX_MESSAGE_CHARS: usize = 500;

/// What a script may consume. The defaults suit a tool that shapes a small result from its
/// arguments; a caller can tighten them (or loosen them for an operator's own tools).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Operations (statements, expressions, calls) per run.
    pub max_operations: u64,
    /// Nested function calls, so runaway recursion stops before the thread's stack does.
    pub max_call_levels: usize,
    /// Nesting of expressions at the top level and inside functions, checked when compiling.
    pub max_expr_depth: usize,
    pub max_function_expr_depth: usize,
    /// Bytes in any one string, and the total inside one array or map.
    pub max_string_size: usize,
    /// Elements in one array (nested ones counted) and entries in one map.
    pub max_array_size: usize,
    pub max_map_size: usize,
    /// Variables alive at once and functions a script may define.
    pub max_variables: usize,
    pub max_functions: usize,
    /// Wall time for one run.
    pub wall_time: Duration,
    /// Size of the script's source.
    pub max_script_bytes: usize,
    /// Size of the result, serialized as JSON.
    pub max_result_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_operations: 1_000_000,
            max_call_levels: 32,
            max_expr_depth: 64,
            max_function_expr_depth: 32,
            max_string_size: 64 * 1024,
            max_array_size: 10_000,
            max_map_size: 10_000,
            max_variables: 256,
            max_functions: 64,
            wall_time: Duration::from_secs(1),
            max_script_bytes: 64 * 1024,
            max_result_bytes: 256 * 1024,
        }
    }
}

/// Why a script was refused when saved: the message, with the line and column it points at
/// when the parser knows them (1-based).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}{}", at(*.line, *.position))]
pub struct ScriptError {
    pub message: String,
    pub line: Option<usize>,
    pub position: Option<usize>,
}

fn at(line: Option<usize>, position: Option<usize>) -> String {
    match (line, position) {
        (Some(line), Some(position)) => format!(" (line {line}, position {position})"),
        (Some(line), None) => format!(" (line {line})"),
        _ => String::new(),
    }
}

/// A compiled function tool. Cheap to clone; the compiled script is shared.
#[derive(Debug, Clone)]
pub struct FunctionTool {
    ast: Arc<AST>,
    limits: Limits,
}

impl FunctionTool {
    /// Compiles a script under the default limits; run it when the tool is saved, so a syntax
    /// error (or an unknown variable) is reported to the admin with its position.
    pub fn compile(script: &str) -> Result<Self, ScriptError> {
        Self::compile_with(script, Limits::default())
    }

    /// Compiles a script that will run under `limits`.
    pub fn compile_with(script: &str, limits: Limits) -> Result<Self, ScriptError> {
        if script.len() > limits.max_script_bytes {
            let message = format!("the script is larger than {} bytes", limits.max_script_bytes);
            return Err(ScriptError { message, line: None, position: None });
        }
        let engine = sandbox(&limits, None);
        let mut scope = Scope::new();
        scope.push(ARGS, Dynamic::UNIT);
        let ast = engine.compile_with_scope(&scope, script).map_err(|e| {
            let position = e.position();
            ScriptError {
                message: truncate(&e.err_type().to_string(), MAX_MESSAGE_CHARS),
                line: position.line(),
                position: position.position(),
            }
        })?;
        Ok(Self { ast: Arc::new(ast), limits })
    }

    /// The limits this tool runs under.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Runs the script on a blocking-pool thread, so the async workers never wait on it; the
    /// wall-time limit bounds how long that thread is held.
    pub async fn run(&self, args: &Map<String, Value>) -> Result<Value, ToolError> {
        let tool = self.clone();
        let args = args.clone();
        let span = tracing::Span::current();
        tokio::task::spawn_blocking(move || span.in_scope(|| tool.run_blocking(&args)))
            .await
            .unwrap_or_else(|e| {
                tracing::error!(error.message = %e, "a function tool's thread failed");
                Err(ToolError::Internal)
            })
    }

    /// Runs the script on the calling thread, which it holds for up to the wall-time limit.
    pub fn run_blocking(&self, args: &Map<String, Value>) -> Result<Value, ToolError> {
        // A panic inside the interpreter must cost this call, not the worker.
        catch_unwind(AssertUnwindSafe(|| self.execute(args))).unwrap_or_else(|_| {
            tracing::error!("a function tool's script panicked the interpreter");
            Err(ToolError::Internal)
        })
    }

    fn execute(&self, args: &Map<String, Value>) -> Result<Value, ToolError> {
        let started = Instant::now();
        let engine = sandbox(&self.limits, Some(started + self.limits.wall_time));
        let args = rhai::serde::to_dynamic(args)
            .map_err(|e| ToolError::InvalidResponse(format!("the arguments: {e}")))?;
        let mut scope = Scope::new();
        scope.push(ARGS, args);
        let value: Dynamic =
            engine.eval_ast_with_scope(&mut scope, &self.ast).map_err(|e| self.eval_error(&e))?;
        tracing::debug!(elapsed_ms = started.elapsed().as_millis() as u64, "function tool ran");
        self.to_json(&value)
    }

    fn to_json(&self, value: &Dynamic) -> Result<Value, ToolError> {
        let json: Value = rhai::serde::from_dynamic(value).map_err(|_| {
            let kind = value.type_name();
            ToolError::InvalidResponse(format!("the script returned a {kind}, not JSON data"))
        })?;
        let limit = self.limits.max_result_bytes;
        let size = serde_json::to_vec(&json).map_or(usize::MAX, |bytes| bytes.len());
        if size > limit {
            return Err(ToolError::TooLarge { what: "script's result", limit });
        }
        Ok(json)
    }

    fn eval_error(&self, error: &EvalAltResult) -> ToolError {
        use EvalAltResult as E;
        // A limit hit inside a function surfaces wrapped in the call's error.
        let mut root = error;
        while let E::ErrorInFunctionCall(_, _, inner, _) | E::ErrorInModule(_, inner, _) = root {
            root = inner;
        }
        let limits = &self.limits;
        match root {
            E::ErrorTerminated(..) => ToolError::Timeout(format!(
                "the script ran too long (limit {} ms)",
                limits.wall_time.as_millis()
            )),
            E::ErrorTooManyOperations(_) => ToolError::LimitExceeded(format!(
                "the script ran too many operations (limit {})",
                limits.max_operations
            )),
            E::ErrorStackOverflow(_) => ToolError::LimitExceeded(format!(
                "the script nested too many function calls (limit {})",
                limits.max_call_levels
            )),
            E::ErrorDataTooLarge(what, _) => ToolError::LimitExceeded(format!(
                "the script's data grew beyond its limit ({})",
                what.to_lowercase()
            )),
            E::ErrorTooManyVariables(_) => ToolError::LimitExceeded(format!(
                "the script defined too many variables (limit {})",
                limits.max_variables
            )),
            E::ErrorTooManyModules(_) => {
                ToolError::LimitExceeded("the script may not load modules".to_owned())
            }
            _ => ToolError::Script(truncate(&error.to_string(), MAX_MESSAGE_CHARS)),
        }
    }
}
