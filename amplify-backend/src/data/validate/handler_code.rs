//! Custom handlers' APPSYNC_JS code, checked while the schema is validated: a
//! syntax error or a feature the runtime does not support would otherwise pass
//! synthesis and fail only when AppSync is given the code at deploy time.

use super::Diagnostics;
use crate::codes;

/// Whether the code of a custom handler of operation `path` (`Query.echo`),
/// read from `origin` (a file, or inline code), is valid APPSYNC_JS; reports
/// each violation with its line and column otherwise.
pub(crate) fn code_ok(diag: &mut Diagnostics, path: &str, origin: &str, code: &str) -> bool {
    let violations = appsync_js::check(code);
    for v in &violations {
        diag.error_with_code(
            codes::DATA_RESOLVER_CODE,
            path,
            format!("{origin}:{}:{}: {} ({})", v.line, v.column, v.message, v.rule),
            fix(v.rule),
        );
    }
    violations.is_empty()
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
