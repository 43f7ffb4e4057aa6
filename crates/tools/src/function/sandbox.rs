//! The engine a script runs in, and the data-size guard rhai lacks.
//!
//! rhai checks a value's size when a function returns it and when an existing entry is
//! assigned, but not when an index assignment adds a new key to a map (`m[k] = v`), and it
//! never counts map keys' bytes. A loop adding long unique keys held ~350 MB within the
//! default second. Every variable access therefore goes through a resolver that checks the
//! variable's top level (O(1)) each time and its whole content (stopping at the limit) every
//! [`FULL_CHECK_EVERY`] accesses *to that variable*, counting keys as string bytes; a map can
//! only grow through an access to the variable that holds it (or holds its parent). The count
//! is per variable name, as a shared count let a loop's accesses fall in step with the period
//! so that one variable was never walked.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};
use std::time::Instant;

use rhai::module_resolvers::DummyModuleResolver;
use rhai::packages::{
    BasicArrayPackage, BasicMapPackage, BasicMathPackage, BitFieldPackage, CorePackage,
    LogicPackage, MoreStringPackage, Package,
};
use rhai::{
    Dynamic, Engine, EvalAltResult, ImmutableString, Module, OptimizationLevel, Position, Shared,
};

use super::{Limits, MAX_MESSAGE_CHARS};
use crate::error::truncate;

/// Symbols a script may not use: `eval` would run text the compile step never saw,
/// `import`/`export` would reach for modules, and `this` reaches a map or array without a
/// variable access, past the growth guard below.
const DISABLED: [&str; 4] = ["eval", "import", "export", "this"];
/// How often (in operations) the wall clock is read; reading it on every one costs more than
/// the operation itself.
const CLOCK_EVERY: u64 = 256;
/// Accesses to one variable between two full walks of its value; between walks it can grow
/// by at most this many entries.
const FULL_CHECK_EVERY: u64 = 16;
/// Nesting the walk follows; data nested deeper is refused (rhai's own checks get quadratic
/// long before a script could build it legitimately).
const MAX_DATA_DEPTH: usize = 128;

static PACKAGES: LazyLock<Vec<Shared<Module>>> = LazyLock::new(|| {
    vec![
        CorePackage::new().as_shared_module(),
        LogicPackage::new().as_shared_module(),
        BasicMathPackage::new().as_shared_module(),
        BasicArrayPackage::new().as_shared_module(),
        BasicMapPackage::new().as_shared_module(),
        MoreStringPackage::new().as_shared_module(),
        BitFieldPackage::new().as_shared_module(),
    ]
});

/// A raw engine with the safe packages and `limits`; with a deadline, a run past it stops.
pub(super) fn sandbox(limits: &Limits, deadline: Option<Instant>) -> Engine {
    let mut engine = Engine::new_raw();
    for package in PACKAGES.iter() {
        engine.register_global_module(package.clone());
    }
    for symbol in DISABLED {
        engine.disable_symbol(symbol);
    }
    engine
        .set_module_resolver(DummyModuleResolver::new())
        // Nothing is evaluated while compiling, where no limit or deadline would apply.
        .set_optimization_level(OptimizationLevel::None)
        // A misspelt variable is a compile error on save, not a surprise at run time.
        .set_strict_variables(true)
        .set_max_operations(limits.max_operations)
        .set_max_call_levels(limits.max_call_levels)
        .set_max_expr_depths(limits.max_expr_depth, limits.max_function_expr_depth)
        .set_max_string_size(limits.max_string_size)
        .set_max_array_size(limits.max_array_size)
        .set_max_map_size(limits.max_map_size)
        .set_max_variables(limits.max_variables)
        .set_max_functions(limits.max_functions)
        .set_max_modules(0)
        .on_print(|text| {
            tracing::debug!(output = %truncate(text, MAX_MESSAGE_CHARS), "function tool printed");
        })
        .on_debug(|text, _, position| {
            let output = truncate(text, MAX_MESSAGE_CHARS);
            tracing::debug!(%output, ?position, "function tool debug output");
        });
    let guard = Guard::new(limits);
    // `on_var` is marked volatile by rhai (its signature may change), not deprecated.
    #[allow(deprecated)]
    engine.on_var(move |name, _, context| {
        if let Some(value) = context.scope().get(name) {
            guard.check(name, value).map_err(|what| {
                Box::new(EvalAltResult::ErrorDataTooLarge(what.to_owned(), Position::NONE))
            })?;
        }
        Ok(None)
    });
    if let Some(deadline) = deadline {
        engine.on_progress(move |operations| {
            let late = operations.is_multiple_of(CLOCK_EVERY) && Instant::now() >= deadline;
            late.then(|| Dynamic::from("the script ran too long"))
        });
    }
    engine
}

/// The data-size limits, with 0 (rhai's "unlimited") as no limit.
struct Guard {
    max_array: usize,
    max_map: usize,
    max_bytes: usize,
    /// Accesses per variable name; an engine serves one run, so this stays small.
    accesses: Mutex<HashMap<String, u64>>,
}

/// Running totals of one walk, as rhai counts them plus map keys.
#[derive(Default)]
struct Tally {
    array_items: usize,
    map_entries: usize,
    bytes: usize,
}

impl Guard {
    fn new(limits: &Limits) -> Self {
        let or_unlimited = |max: usize| if max == 0 { usize::MAX } else { max };
        Self {
            max_array: or_unlimited(limits.max_array_size),
            max_map: or_unlimited(limits.max_map_size),
            max_bytes: or_unlimited(limits.max_string_size),
            accesses: Mutex::default(),
        }
    }

    /// `Err` names what is over its limit, in rhai's words.
    fn check(&self, name: &str, value: &Dynamic) -> Result<(), &'static str> {
        if value.is_map() {
            let entries = value.as_map_ref().map_or(0, |map| map.len());
            if entries > self.max_map {
                return Err("Size of object map");
            }
        } else if value.is_array() {
            let items = value.as_array_ref().map_or(0, |array| array.len());
            if items > self.max_array {
                return Err("Size of array/BLOB");
            }
        } else {
            // A lone string is checked by rhai whenever it changes.
            return Ok(());
        }
        if self.count(name).is_multiple_of(FULL_CHECK_EVERY) {
            self.walk(value, &mut Tally::default(), 0)
        } else {
            Ok(())
        }
    }

    /// How many times `name` was accessed before (as a container).
    fn count(&self, name: &str) -> u64 {
        // A poisoned lock means a panic mid-run, which the caller turns into an error anyway.
        let mut accesses = self.accesses.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(count) = accesses.get_mut(name) {
            *count += 1;
            return *count - 1;
        }
        accesses.insert(name.to_owned(), 1);
        0
    }

    fn walk(&self, value: &Dynamic, tally: &mut Tally, depth: usize) -> Result<(), &'static str> {
        if depth > MAX_DATA_DEPTH {
            return Err("Nesting of data");
        }
        if let Ok(map) = value.as_map_ref() {
            for (key, item) in map.iter() {
                tally.map_entries += 1;
                tally.bytes += key.len();
                self.over(tally)?;
                self.walk(item, tally, depth + 1)?;
            }
        } else if let Ok(array) = value.as_array_ref() {
            for item in array.iter() {
                tally.array_items += 1;
                self.over(tally)?;
                self.walk(item, tally, depth + 1)?;
            }
        } else if let Some(text) = value.read_lock::<ImmutableString>() {
            tally.bytes += text.len();
            self.over(tally)?;
        }
        Ok(())
    }

    fn over(&self, tally: &Tally) -> Result<(), &'static str> {
        if tally.array_items > self.max_array {
            Err("Size of array/BLOB")
        } else if tally.map_entries > self.max_map {
            Err("Size of object map")
        } else if tally.bytes > self.max_bytes {
            Err("Length of string")
        } else {
            Ok(())
        }
    }
}
