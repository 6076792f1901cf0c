//! Custom handlers' APPSYNC_JS code, checked while the schema is validated: a
//! syntax error or a feature the runtime does not support would otherwise pass
//! synthesis and fail only when AppSync is given the code at deploy time.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use super::Diagnostics;
use crate::codes;

/// Whether the code of a custom handler of operation `path` (`Query.echo`),
/// read from `origin` (a file, or inline code), is valid APPSYNC_JS; reports
/// each violation with its line and column otherwise.
pub(crate) fn code_ok(diag: &mut Diagnostics, path: &str, origin: &str, code: &str) -> bool {
    let violations = checked(code);
    for v in violations.iter() {
        diag.error_with_code(
            codes::DATA_RESOLVER_CODE,
            path,
            format!("{origin}:{}:{}: {} ({})", v.line, v.column, v.message, v.rule),
            fix(v.rule),
        );
    }
    violations.is_empty()
}

/// Most entries a thread keeps of [`checked`]'s results; past it, it starts over.
const CACHED_CODES: usize = 256;

/// What `appsync_js::check` says of `code`, parsed once per thread for each
/// distinct text: many operations share one handler file, and a program that
/// builds its backend again (tests, `ampx dev` reloads) sees the same code again.
fn checked(code: &str) -> Rc<Vec<appsync_js::Violation>> {
    thread_local! {
        static SEEN: RefCell<HashMap<String, Rc<Vec<appsync_js::Violation>>>> = RefCell::default();
    }
    SEEN.with(|seen| {
        if let Some(v) = seen.borrow().get(code) {
            return v.clone();
        }
        let v = Rc::new(appsync_js::check(code));
        let mut seen = seen.borrow_mut();
        if seen.len() >= CACHED_CODES {
            seen.clear();
        }
        seen.insert(code.to_string(), v.clone());
        v
    })
}

/// The fix for a rule, in the terms of what the runtime does support.
fn fix(rule: &str) -> &'static str {
    match rule {
        "syntax" => "correct the JavaScript there (the handler is an ES module of plain functions)",
        "imports" => {
            "import only from @aws-appsync/utils and @aws-appsync/utils/dynamodb; copy small helpers into the file"
        }
        "exports" => {
            "export both handlers: `export function request(ctx) { … }` and `export function response(ctx) { … }`"
        }
        "no-throw" | "no-try" => {
            "check values before using them and call util.error(message, type) to fail the request"
        }
        "no-for" | "no-while" | "no-continue" | "no-labels" => {
            "loop with for-of or for-in over an array or object, and skip items with if"
        }
        "no-disallowed-unary-operators" => "write x += 1 or x -= 1 (and no ~)",
        "no-in-operator" => "use Object.hasOwn(object, key)",
        "no-recursion" => "rewrite the recursion as a for-of loop",
        "no-async" | "no-await" | "no-promise" | "no-generators" | "no-yield" => {
            "make it a plain function: handlers run synchronously, and data sources are called by returning a request"
        }
        "no-classes" | "no-this" => "use plain objects and functions",
        "no-disallowed-re-assignment" => "keep your own values in ctx.stash",
        _ => "rewrite it without that feature: AppSync's APPSYNC_JS runtime does not support it",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_distinct_code_is_parsed_once_and_its_violations_kept() {
        let bad = "export function request(ctx) { try { return {}; } catch (e) { return {}; } }\nexport function response(ctx) { return ctx.result; }\n";
        let good =
            "export function request(ctx) { return {}; }\nexport function response(ctx) { return ctx.result; }\n";
        let first = checked(bad);
        assert!(first.iter().any(|v| v.rule == "no-try"), "{first:?}");
        assert!(Rc::ptr_eq(&first, &checked(bad)), "the same text is not parsed again");
        assert!(checked(good).is_empty());
        assert!(!Rc::ptr_eq(&first, &checked(good)));
    }
}
