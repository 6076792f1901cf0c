//! The APPSYNC_JS restrictions on resolver code: what AppSync's "Supported
//! runtime features" page rules out and `@aws-appsync/eslint-plugin` reports
//! (rules named as the plugin names them), plus the imports and exports a
//! resolver must have. Synthesis checks custom handlers' code with it (so
//! AppSync does not refuse it at deploy time), and the local data API checks
//! every resolver's code with it when it loads.

use std::collections::{HashMap, HashSet, VecDeque};

use oxc_allocator::Allocator;
use oxc_ast::ast::*;
use oxc_ast_visit::{walk, Visit};
use oxc_parser::Parser;
use oxc_span::{GetSpan, SourceType, Span};
use oxc_syntax::operator::{BinaryOperator, UnaryOperator, UpdateOperator};
use oxc_syntax::scope::ScopeFlags;

/// One thing in a resolver's code that AppSync's APPSYNC_JS runtime rejects.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
    /// The rule, named as `@aws-appsync/eslint-plugin` names it (`no-try`), or
    /// `syntax` / `imports` / `exports` for problems no lint rule covers.
    pub rule: &'static str,
    /// What is wrong and what to do instead.
    pub message: String,
}

/// The modules resolver code may import.
pub const MODULES: [&str; 2] = ["@aws-appsync/utils", "@aws-appsync/utils/dynamodb"];

/// Every violation in `source`, in source order.
pub fn check(source: &str) -> Vec<Violation> {
    let allocator = Allocator::default();
    let parsed = Parser::new(&allocator, source, SourceType::mjs()).parse();
    let lines = Lines::new(source);
    if !parsed.errors.is_empty() || parsed.panicked {
        return parsed
            .errors
            .iter()
            .map(|e| {
                let at = e.labels.as_ref().and_then(|l| l.first()).map_or(0, |l| l.offset());
                lines.violation(at as u32, "syntax", e.message.to_string())
            })
            .collect();
    }
    let mut checker = Checker { lines: &lines, found: Vec::new(), ctx_names: Vec::new() };
    checker.visit_program(&parsed.program);
    checker.exports(&parsed.program);
    checker.found.extend(recursion(&parsed.program, &lines));
    checker.found.sort_by_key(|v| (v.line, v.column));
    checker.found
}

/// Offsets to 1-based lines and columns.
struct Lines {
    starts: Vec<u32>,
    source: String,
}

impl Lines {
    fn new(source: &str) -> Lines {
        let mut starts = vec![0];
        starts.extend(source.match_indices('\n').map(|(i, _)| i as u32 + 1));
        Lines { starts, source: source.to_string() }
    }

    fn violation(&self, offset: u32, rule: &'static str, message: String) -> Violation {
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1] as usize;
        let end = (offset as usize).min(self.source.len());
        let column = self.source.get(start..end).map_or(1, |s| s.chars().count() + 1);
        Violation { line: line as u32, column: column as u32, rule, message }
    }
}

struct Checker<'s> {
    lines: &'s Lines,
    found: Vec<Violation>,
    /// The `ctx` parameter of the request or response handler being walked.
    ctx_names: Vec<Option<String>>,
}

impl Checker<'_> {
    fn report(&mut self, span: Span, rule: &'static str, message: impl Into<String>) {
        self.found.push(self.lines.violation(span.start, rule, message.into()));
    }

    fn ctx_name(&self) -> Option<&str> {
        self.ctx_names.last().and_then(|n| n.as_deref())
    }

    fn is_ctx(&self, e: &Expression) -> bool {
        matches!(e, Expression::Identifier(id) if Some(id.name.as_str()) == self.ctx_name())
    }

    /// `ctx = …` or `ctx.x = …` (also `ctx.x++`, `delete ctx.x`): ctx and its
    /// direct members are read-only.
    fn check_ctx_write(&mut self, target: &SimpleAssignmentTarget, span: Span) {
        let Some(ctx) = self.ctx_name().map(str::to_string) else { return };
        let prop = match target {
            SimpleAssignmentTarget::AssignmentTargetIdentifier(id) if id.name == ctx => {
                self.report(
                    span,
                    "no-disallowed-re-assignment",
                    format!("{ctx} is read-only: it cannot be reassigned"),
                );
                return;
            }
            SimpleAssignmentTarget::StaticMemberExpression(m) if self.is_ctx(&m.object) => m.property.name.to_string(),
            SimpleAssignmentTarget::ComputedMemberExpression(m) if self.is_ctx(&m.object) => "a property".to_string(),
            _ => return,
        };
        self.report(
            span,
            "no-disallowed-re-assignment",
            format!("{ctx} is read-only: {prop} cannot be added or changed (use {ctx}.stash for your own values)"),
        );
    }

    fn exports(&mut self, program: &Program) {
        let mut names = HashSet::new();
        for stmt in &program.body {
            if let Statement::ExportNamedDeclaration(e) = stmt {
                match &e.declaration {
                    Some(Declaration::FunctionDeclaration(f)) => {
                        names.extend(f.id.as_ref().map(|id| id.name.to_string()));
                    }
                    Some(Declaration::VariableDeclaration(v)) => {
                        for d in &v.declarations {
                            if let BindingPatternKind::BindingIdentifier(id) = &d.id.kind {
                                names.insert(id.name.to_string());
                            }
                        }
                    }
                    _ => {}
                }
                for s in &e.specifiers {
                    names.insert(s.exported.name().to_string());
                }
            }
        }
        for h in ["request", "response"] {
            if !names.contains(h) {
                self.found.push(self.lines.violation(
                    0,
                    "exports",
                    format!("the code must export a `{h}` function (`export function {h}(ctx) {{ … }}`)"),
                ));
            }
        }
    }
}

impl<'a> Visit<'a> for Checker<'_> {
    fn visit_import_declaration(&mut self, it: &ImportDeclaration<'a>) {
        let source = it.source.value.as_str();
        if !MODULES.contains(&source) {
            self.report(
                it.span,
                "imports",
                format!("'{source}' cannot be imported: APPSYNC_JS code may import only {}", MODULES.join(" and ")),
            );
        }
        walk::walk_import_declaration(self, it);
    }

    fn visit_import_expression(&mut self, it: &ImportExpression<'a>) {
        self.report(it.span, "imports", "dynamic import() is not supported");
        walk::walk_import_expression(self, it);
    }

    fn visit_function(&mut self, it: &Function<'a>, flags: ScopeFlags) {
        if it.r#async {
            self.report(it.span, "no-async", "async functions are not supported");
        }
        if it.generator {
            self.report(it.span, "no-generators", "generator functions are not supported");
        }
        let name = it.id.as_ref().map(|id| id.name.as_str());
        let first = it.params.items.first().and_then(|p| match &p.pattern.kind {
            BindingPatternKind::BindingIdentifier(id) => Some(id.name.to_string()),
            _ => None,
        });
        let handler = it.r#type == FunctionType::FunctionDeclaration && matches!(name, Some("request" | "response"));
        let ctx = if handler {
            first
        } else {
            // A nested function sees the handler's ctx unless a parameter shadows it.
            let shadowed = self.ctx_name().is_some_and(|c| {
                it.params
                    .items
                    .iter()
                    .any(|p| matches!(&p.pattern.kind, BindingPatternKind::BindingIdentifier(id) if id.name == c))
            });
            if shadowed {
                None
            } else {
                self.ctx_name().map(str::to_string)
            }
        };
        self.ctx_names.push(ctx);
        walk::walk_function(self, it, flags);
        self.ctx_names.pop();
    }

    fn visit_arrow_function_expression(&mut self, it: &ArrowFunctionExpression<'a>) {
        if it.r#async {
            self.report(it.span, "no-async", "async functions are not supported");
        }
        let shadowed = self.ctx_name().is_some_and(|c| {
            it.params
                .items
                .iter()
                .any(|p| matches!(&p.pattern.kind, BindingPatternKind::BindingIdentifier(id) if id.name == c))
        });
        let ctx = if shadowed { None } else { self.ctx_name().map(str::to_string) };
        self.ctx_names.push(ctx);
        walk::walk_arrow_function_expression(self, it);
        self.ctx_names.pop();
    }

    fn visit_await_expression(&mut self, it: &AwaitExpression<'a>) {
        self.report(it.span, "no-await", "the `await` keyword is not supported");
        walk::walk_await_expression(self, it);
    }

    fn visit_yield_expression(&mut self, it: &YieldExpression<'a>) {
        self.report(it.span, "no-yield", "`yield` is not supported");
        walk::walk_yield_expression(self, it);
    }

    fn visit_class(&mut self, it: &Class<'a>) {
        self.report(it.span, "no-classes", "classes are not supported");
        walk::walk_class(self, it);
    }

    fn visit_for_statement(&mut self, it: &ForStatement<'a>) {
        self.report(it.span, "no-for", "`for (init; test; update)` loops are not supported: use for-of or for-in");
        walk::walk_for_statement(self, it);
    }

    fn visit_while_statement(&mut self, it: &WhileStatement<'a>) {
        self.report(it.span, "no-while", "`while` loops are not supported");
        walk::walk_while_statement(self, it);
    }

    fn visit_do_while_statement(&mut self, it: &DoWhileStatement<'a>) {
        self.report(it.span, "no-while", "`do…while` loops are not supported");
        walk::walk_do_while_statement(self, it);
    }

    fn visit_continue_statement(&mut self, it: &ContinueStatement<'a>) {
        self.report(it.span, "no-continue", "`continue` is not supported");
        walk::walk_continue_statement(self, it);
    }

    fn visit_labeled_statement(&mut self, it: &LabeledStatement<'a>) {
        self.report(it.span, "no-labels", "labeled statements are not supported");
        walk::walk_labeled_statement(self, it);
    }

    fn visit_try_statement(&mut self, it: &TryStatement<'a>) {
        self.report(it.span, "no-try", "try/catch/finally is not supported");
        walk::walk_try_statement(self, it);
    }

    fn visit_throw_statement(&mut self, it: &ThrowStatement<'a>) {
        self.report(it.span, "no-throw", "`throw` is not supported: use util.error(message, type)");
        walk::walk_throw_statement(self, it);
    }

    fn visit_this_expression(&mut self, it: &ThisExpression) {
        self.report(it.span, "no-this", "`this` is not supported");
    }

    fn visit_reg_exp_literal(&mut self, it: &RegExpLiteral<'a>) {
        self.report(it.span, "no-regex", "regular expression literals are not supported");
    }

    fn visit_unary_expression(&mut self, it: &UnaryExpression<'a>) {
        if it.operator == UnaryOperator::BitwiseNot {
            self.report(it.span, "no-disallowed-unary-operators", "the operator ~ is not supported");
        }
        if it.operator == UnaryOperator::Delete {
            if let Some(target) = it.argument.as_member_expression() {
                if self.is_ctx(target.object()) {
                    let ctx = self.ctx_name().unwrap_or("ctx").to_string();
                    self.report(
                        it.span,
                        "no-disallowed-re-assignment",
                        format!("{ctx} is read-only: its properties cannot be deleted"),
                    );
                }
            }
        }
        walk::walk_unary_expression(self, it);
    }

    fn visit_update_expression(&mut self, it: &UpdateExpression<'a>) {
        let op = if it.operator == UpdateOperator::Increment { "++" } else { "--" };
        self.report(
            it.span,
            "no-disallowed-unary-operators",
            format!("the operator {op} is not supported: use += 1 / -= 1"),
        );
        self.check_ctx_write(&it.argument, it.span);
        walk::walk_update_expression(self, it);
    }

    fn visit_binary_expression(&mut self, it: &BinaryExpression<'a>) {
        match it.operator {
            BinaryOperator::Instanceof => {
                self.report(it.span, "no-disallowed-binary-operators", "the operator instanceof is not supported")
            }
            BinaryOperator::In => {
                self.report(it.span, "no-in-operator", "the `in` operator is not supported: use Object.hasOwn()")
            }
            _ => {}
        }
        walk::walk_binary_expression(self, it);
    }

    fn visit_new_expression(&mut self, it: &NewExpression<'a>) {
        if matches!(&it.callee, Expression::Identifier(id) if id.name == "Promise") {
            self.report(it.span, "no-promise", "Promise is not supported");
        }
        walk::walk_new_expression(self, it);
    }

    fn visit_assignment_expression(&mut self, it: &AssignmentExpression<'a>) {
        if let Some(target) = it.left.as_simple_assignment_target() {
            self.check_ctx_write(target, it.span);
        }
        walk::walk_assignment_expression(self, it);
    }
}

/// `no-recursion`: a call that can come back to the function it is in, directly
/// or through other top-level functions.
fn recursion(program: &Program, lines: &Lines) -> Vec<Violation> {
    // Each top-level function (declared, or an arrow/function held by a const)
    // with the calls it makes: (callee, where).
    let mut calls: HashMap<String, Vec<(String, u32)>> = HashMap::new();
    let mut add = |name: &str, body: &dyn Fn(&mut Calls)| {
        let mut c = Calls(Vec::new());
        body(&mut c);
        calls.insert(name.to_string(), c.0);
    };
    for stmt in &program.body {
        let decl = match stmt {
            Statement::ExportNamedDeclaration(e) => e.declaration.as_ref(),
            other => other.as_declaration(),
        };
        match decl {
            Some(Declaration::FunctionDeclaration(f)) => {
                if let Some(id) = &f.id {
                    add(&id.name, &|c| c.visit_function(f, ScopeFlags::Function));
                }
            }
            Some(Declaration::VariableDeclaration(v)) => {
                for d in &v.declarations {
                    if let (BindingPatternKind::BindingIdentifier(id), Some(init)) = (&d.id.kind, &d.init) {
                        if matches!(init, Expression::ArrowFunctionExpression(_) | Expression::FunctionExpression(_)) {
                            add(&id.name, &|c| c.visit_expression(init));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    let reaches = |from: &str, to: &str| -> Option<Vec<String>> {
        // Breadth-first over the call graph, keeping the path.
        let mut seen = HashSet::new();
        let mut queue = VecDeque::from([vec![from.to_string()]]);
        while let Some(path) = queue.pop_front() {
            let last = path.last().expect("paths are never empty");
            if last == to {
                return Some(path);
            }
            if !seen.insert(last.clone()) {
                continue;
            }
            for (callee, _) in calls.get(last).into_iter().flatten() {
                if calls.contains_key(callee) {
                    let mut next = path.clone();
                    next.push(callee.clone());
                    queue.push_back(next);
                }
            }
        }
        None
    };
    let mut out = Vec::new();
    let mut names: Vec<&String> = calls.keys().collect();
    names.sort();
    for caller in names {
        for (callee, at) in &calls[caller] {
            if !calls.contains_key(callee) {
                continue;
            }
            if let Some(path) = reaches(callee, caller) {
                let cycle = std::iter::once(caller.clone()).chain(path).collect::<Vec<_>>().join(" -> ");
                out.push(lines.violation(*at, "no-recursion", format!("recursive calls are not supported ({cycle})")));
            }
        }
    }
    out
}

/// The names called in a function, nested functions included.
struct Calls(Vec<(String, u32)>);

impl<'a> Visit<'a> for Calls {
    fn visit_call_expression(&mut self, it: &CallExpression<'a>) {
        if let Expression::Identifier(id) = &it.callee {
            self.0.push((id.name.to_string(), it.span().start));
        }
        walk::walk_call_expression(self, it);
    }
}
