//! Code APPSYNC_JS rejects is reported at load time, with the resolver's name,
//! each violation's line and column, and the rule.

use local::appsync::js::{LoadError, Runtime};

const HANDLERS: &str = "export function response(ctx) { return ctx.prev.result; }\n";

/// Compiles `request`'s body; the load error it gets.
fn rejected(body: &str) -> LoadError {
    let code = format!(
        "import {{ util }} from '@aws-appsync/utils';\nexport function request(ctx) {{\n{body}\n}}\n{HANDLERS}"
    );
    match Runtime::new().compile("Query.rule", &code) {
        Ok(_) => panic!("accepted:\n{code}"),
        Err(e) => e,
    }
}

/// The rules reported for `body`, with their lines (the body starts on line 3).
fn rules(body: &str) -> Vec<(&'static str, u32)> {
    rejected(body).violations.iter().map(|v| (v.rule, v.line)).collect()
}

#[test]
fn each_unsupported_statement_is_reported_with_its_rule() {
    let cases: [(&str, &str); 16] = [
        ("try { return 1; } catch (e) { return 2; }", "no-try"),
        ("throw new Error('x');", "no-throw"),
        ("const f = async () => 1; return 1;", "no-async"),
        ("for (let i = 0; i < 3; i += 1) { } return 1;", "no-for"),
        ("let i = 0; while (i < 3) { i += 1; } return i;", "no-while"),
        ("let i = 0; do { i += 1; } while (i < 3); return i;", "no-while"),
        ("for (const x of [1]) { continue; } return 1;", "no-continue"),
        ("outer: for (const x of [1]) { break outer; } return 1;", "no-labels"),
        ("return this;", "no-this"),
        ("return /a+/.test('a');", "no-regex"),
        ("let i = 0; i++; return i;", "no-disallowed-unary-operators"),
        ("return ~1;", "no-disallowed-unary-operators"),
        ("return [] instanceof Array;", "no-disallowed-binary-operators"),
        ("return 'a' in ctx.args;", "no-in-operator"),
        ("return new Promise(() => 1);", "no-promise"),
        ("ctx.stash = {}; return 1;", "no-disallowed-re-assignment"),
    ];
    for (body, rule) in cases {
        let found = rules(body);
        assert_eq!(found, [(rule, 3)], "{body}");
    }
}

#[test]
fn generators_classes_yield_and_await_are_reported() {
    let code = "import { util } from '@aws-appsync/utils';\n\
                function* gen() { yield 1; }\n\
                class A {}\n\
                async function f() { await 1; }\n\
                export function request(ctx) { return {}; }\n\
                export function response(ctx) { return null; }\n";
    let e = Runtime::new().compile("function gens", code).unwrap_err();
    let found: Vec<_> = e.violations.iter().map(|v| (v.rule, v.line)).collect();
    assert_eq!(
        found,
        [("no-generators", 2), ("no-yield", 2), ("no-classes", 3), ("no-async", 4), ("no-await", 4)],
        "{e}"
    );
}

#[test]
fn every_violation_is_listed_with_line_column_and_the_resolver_name() {
    let e = rejected("let n = 0;\n  n++;\n  try { n += 1; } finally { n += 2; }\n  return this;");
    let text = e.to_string();
    assert!(text.starts_with("Query.rule: APPSYNC_JS would reject this code (3 problems):"), "{text}");
    assert!(
        text.contains("\n  4:3 the operator ++ is not supported: use += 1 / -= 1 (no-disallowed-unary-operators)"),
        "{text}"
    );
    assert!(text.contains("\n  5:3 try/catch/finally is not supported (no-try)"), "{text}");
    assert!(text.contains("\n  6:10 `this` is not supported (no-this)"), "{text}");
}

#[test]
fn ctx_and_its_members_are_read_only_but_their_contents_are_not() {
    assert_eq!(rules("ctx = {}; return 1;"), [("no-disallowed-re-assignment", 3)]);
    assert_eq!(rules("ctx.args.x = 1; delete ctx.stash; return 1;"), [("no-disallowed-re-assignment", 3)]);
    // Nested state may change: the stash is for exactly that.
    let ok = "export function request(ctx) { ctx.stash.op = 1; ctx.args.input.id = 'x'; return {}; }\n";
    Runtime::new().compile("Query.ok", &format!("{ok}{HANDLERS}")).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn recursion_direct_or_through_another_function_is_reported() {
    let code = "function a(n) { return n > 0 ? b(n) : 0; }\n\
                function b(n) { return a(n - 1); }\n\
                const c = (n) => (n > 0 ? c(n - 1) : 0);\n\
                export function request(ctx) { return { v: a(2) + c(1) }; }\n\
                export function response(ctx) { return null; }\n";
    let e = Runtime::new().compile("Query.rec", code).unwrap_err();
    let found: Vec<_> = e.violations.iter().map(|v| (v.rule, v.line)).collect();
    assert_eq!(found, [("no-recursion", 1), ("no-recursion", 2), ("no-recursion", 3)], "{e}");
    assert!(e.violations[0].message.contains("a -> b -> a"), "{e}");
}

#[test]
fn imports_other_than_the_runtime_modules_are_rejected() {
    let code = "import _ from 'lodash';\nimport { get } from '@aws-appsync/utils/dynamodb';\n\
                export function request(ctx) { return get({ key: { id: 1 } }); }\n{HANDLERS}";
    let e = Runtime::new().compile("Query.imports", &code.replace("{HANDLERS}", HANDLERS)).unwrap_err();
    assert_eq!(e.violations.len(), 1, "{e}");
    assert_eq!((e.violations[0].rule, e.violations[0].line), ("imports", 1));
    assert!(e.violations[0].message.contains("'lodash'"), "{e}");
}

#[test]
fn handlers_must_be_exported() {
    let e = Runtime::new().compile("function noResponse", "export function request(ctx) { return {}; }\n").unwrap_err();
    assert_eq!(e.violations.len(), 1, "{e}");
    assert_eq!(e.violations[0].rule, "exports");
    assert!(e.violations[0].message.contains("`response`"), "{e}");
}

#[test]
fn syntax_errors_are_reported_where_they_are() {
    let e = rejected("const x = ;\n  return x;");
    assert_eq!(e.violations[0].rule, "syntax", "{e}");
    assert_eq!(e.violations[0].line, 3, "{e}");
}

#[test]
fn a_failing_top_level_is_reported_at_load() {
    let code = format!("const x = undefined.y;\nexport function request(ctx) {{ return {{}}; }}\n{HANDLERS}");
    let e = Runtime::new().compile("Query.top", &code).unwrap_err();
    assert_eq!(e.violations[0].rule, "load", "{e}");
    assert!(e.violations[0].message.contains("TypeError"), "{e}");
}

#[test]
fn supported_features_load() {
    let code = "import { util } from '@aws-appsync/utils';\n\
                export function request(ctx) {\n\
                  const out = [];\n\
                  for (const k in ctx.args) { out.push(k); }\n\
                  for (const v of [1, 2]) { if (v > 1) { break; } }\n\
                  const { a = 1, ...rest } = ctx.args;\n\
                  const s = `${a} ${rest?.b ?? 'none'}`;\n\
                  switch (typeof s) { case 'string': out.push(s); break; default: out.push(void 0); }\n\
                  return { out, has: Object.hasOwn(ctx.args, 'a'), bits: 5 & 3, list: [1, 2].map((x) => x * 2) };\n\
                }\n\
                export function response(ctx) { return ctx.result; }\n";
    Runtime::new().compile("Query.fine", code).unwrap_or_else(|e| panic!("{e}"));
}
