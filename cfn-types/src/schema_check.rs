//! Resource properties checked at synthesis against the CloudFormation registry
//! schemas, as the registry itself would check them at deploy time: types,
//! bounds, lengths, patterns, enums, item counts, unknown property names, and
//! the attributes `Fn::GetAtt` reads. Typed L1s, raw [`CfnResource`]s, overrides
//! and `set_property` are all checked, since the check reads the rendered
//! template.
//!
//! The tables are the generated `CONSTRAINTS` strings (one per type, parsed when
//! a template first uses the type). Values that are intrinsic functions are not
//! known until deployment and are skipped.
//!
//! [`CfnResource`]: constructs::CfnResource

use std::fmt::Write as _;
use std::rc::Rc;

use constructs::checks::{TemplateCheck, TemplateChecking};
use constructs::{Diagnostic, IConstruct};
use serde_json::Value as Json;

use crate::codes;
use crate::schema_table::{table_of, Additional, Node, Table};

/// Adds the schema check to the app `scope` belongs to (typed L1s add it when
/// created; a program of raw resources only calls this itself).
pub fn enable_schema_checks(scope: &impl IConstruct) {
    constructs::checks::add_template_check(scope, Rc::new(SchemaCheck));
}

/// The check [`enable_schema_checks`] adds, for tools and benchmarks that run
/// it themselves (with `constructs::checks::check_template_with`).
pub fn schema_check() -> Rc<dyn TemplateCheck> {
    Rc::new(SchemaCheck)
}

struct SchemaCheck;

impl TemplateCheck for SchemaCheck {
    fn name(&self) -> &'static str {
        "cfn-types registry schemas"
    }

    fn begin<'t>(&self, _template: &'t Json) -> Box<dyn TemplateChecking<'t> + 't> {
        Box::new(PropertyChecks::new())
    }

    fn attribute(&self, target: &str, resource_type: &str, attribute: &str) -> Option<Diagnostic> {
        attribute_problem(resource_type, target, attribute)
    }
}

/// The problems of a template's resources, by logical ID: properties, quotas
/// and the attributes `Fn::GetAtt` reads.
pub fn check_template(template: &Json) -> Vec<(String, Diagnostic)> {
    let mut out = check_properties(template);
    let Some(resources) = template.get("Resources").and_then(Json::as_object) else { return out };
    let type_of = |target: &str| resources.get(target).and_then(|r| r.get("Type")).and_then(Json::as_str);
    let mut walk = |lid: &str, v: &Json| {
        get_atts(v, &mut |target, attr| {
            if let Some(d) = type_of(target).and_then(|t| attribute_problem(t, target, attr)) {
                out.push((lid.to_string(), d));
            }
        })
    };
    for (lid, r) in resources {
        walk(lid, r);
    }
    for (lid, o) in template.get("Outputs").and_then(Json::as_object).into_iter().flatten() {
        walk(lid, o);
    }
    out
}

/// Properties and quotas only: what synthesis runs (it checks attributes in the
/// walk the construct layer makes anyway, through [`TemplateCheck::attribute`]).
pub fn check_properties(template: &Json) -> Vec<(String, Diagnostic)> {
    let mut checks = Box::new(PropertyChecks::new());
    for (lid, r) in template.get("Resources").and_then(Json::as_object).into_iter().flatten() {
        checks.resource(lid, r);
    }
    checks.finish()
}

/// The property and quota checks of one template, a resource at a time.
struct PropertyChecks<'t> {
    /// A template has few types and many resources of each: each type's table
    /// is looked up once.
    seen: Vec<(&'t str, Option<&'static Table>)>,
    /// One path buffer for every resource: it is empty again after each.
    path: Vec<Step<'t>>,
    out: Vec<(String, Diagnostic)>,
    quotas: crate::limits::Quotas<'t>,
}

/// The lists one template's checks leave to the next: allocating them for each
/// template cost more than filling them.
#[derive(Default)]
struct Buffers {
    seen: Vec<(&'static str, Option<&'static Table>)>,
    path: Vec<Step<'static>>,
    quotas: crate::limits::Buffers,
}

thread_local! {
    static BUFFERS: std::cell::Cell<Buffers> = Default::default();
}

impl PropertyChecks<'_> {
    /// Checks with the buffers the last template's left (taken, so a check
    /// that starts inside another gets its own).
    fn new() -> Self {
        let b = BUFFERS.take();
        PropertyChecks {
            seen: recycle(b.seen),
            path: recycle(b.path),
            out: Vec::new(),
            quotas: crate::limits::Quotas::new(b.quotas),
        }
    }
}

/// The allocation of `v`, emptied, for items of another lifetime: collecting
/// a vector's items in place keeps its buffer when the layouts are the same.
pub(crate) fn recycle<T, U>(mut v: Vec<T>) -> Vec<U> {
    v.clear();
    v.into_iter().map(|_| unreachable!("the vector is empty")).collect()
}

impl<'t> TemplateChecking<'t> for PropertyChecks<'t> {
    fn resource(&mut self, lid: &'t str, r: &'t Json) {
        let (t, props) = type_and_properties(r);
        let Some(t) = t else { return };
        self.quotas.resource(lid, t, props);
        let table = match self.seen.iter().find(|(name, _)| *name == t) {
            Some((_, table)) => *table,
            None => {
                if let Some(d) = unknown_type(t) {
                    self.out.push((lid.to_string(), d));
                    return;
                }
                let table = table_of(t);
                self.seen.push((t, table));
                table
            }
        };
        let Some(table) = table else { return };
        static EMPTY: std::sync::OnceLock<Json> = std::sync::OnceLock::new();
        let props = props.unwrap_or_else(|| EMPTY.get_or_init(|| Json::Object(Default::default())));
        let mut c = Checker { table, type_name: t, out: Vec::new(), path: std::mem::take(&mut self.path) };
        c.value(Table::ROOT, props);
        self.out.extend(c.out.into_iter().map(|d| (lid.to_string(), d)));
        self.path = c.path;
    }

    fn finish(self: Box<Self>) -> Vec<(String, Diagnostic)> {
        let PropertyChecks { seen, path, mut out, quotas } = *self;
        let (problems, quotas) = quotas.finish();
        out.extend(problems);
        BUFFERS.set(Buffers { seen: recycle(seen), path: recycle(path), quotas });
        out
    }
}

/// A resource's `Type` and `Properties`, in one pass over its few keys (a
/// lookup by key would hash each with SipHash).
pub(crate) fn type_and_properties(r: &Json) -> (Option<&str>, Option<&Json>) {
    let (mut t, mut props) = (None, None);
    for (k, v) in r.as_object().into_iter().flatten() {
        match k.as_str() {
            "Type" => t = v.as_str(),
            "Properties" => props = Some(v),
            _ => {}
        }
    }
    (t, props)
}

/// A type name that no registry schema has (and that is not a custom resource).
fn unknown_type(t: &str) -> Option<Diagnostic> {
    if t.starts_with("Custom::") || !t.starts_with("AWS::") || crate::services::TYPE_NAMES.binary_search(&t).is_ok() {
        return None;
    }
    let lower = t.to_ascii_lowercase();
    let near = crate::services::TYPE_NAMES.iter().find(|n| n.to_ascii_lowercase() == lower);
    Some(Diagnostic::error(
        codes::UNKNOWN_RESOURCE_TYPE,
        format!("resource type '{t}' is not in the CloudFormation registry"),
        match near {
            Some(n) => format!("did you mean '{n}'?"),
            None => {
                "check the type name (AWS::<Service>::<Resource>), or use Custom::<Name> for a custom resource".into()
            }
        },
    ))
}

fn attribute_problem(t: &str, target: &str, attr: &str) -> Option<Diagnostic> {
    if t == "AWS::CloudFormation::Stack" && attr.starts_with("Outputs.") {
        return None;
    }
    let table = table_of(t)?;
    let known = table.attributes.iter().any(|a| a == attr);
    // cfn-lint accepts any property of some older types; so does this check.
    let first = attr.split('.').next().unwrap_or(attr);
    if known || table.root().property(first).is_some() {
        return None;
    }
    let names: Vec<&str> = table.attributes.iter().map(String::as_str).collect();
    Some(Diagnostic::error(
        codes::UNKNOWN_ATTRIBUTE,
        format!("Fn::GetAtt reads attribute '{attr}' of '{target}', which a {t} does not have"),
        if names.is_empty() {
            format!("{t} has no attributes: use Ref")
        } else {
            format!("use one of: {}", names.join(", "))
        },
    ))
}

/// Calls `f(target, attribute)` for every `Fn::GetAtt` with literal arguments.
fn get_atts(v: &Json, f: &mut dyn FnMut(&str, &str)) {
    match v {
        Json::Array(a) => a.iter().for_each(|x| get_atts(x, f)),
        Json::Object(o) => {
            if o.len() == 1 {
                match o.get("Fn::GetAtt") {
                    Some(Json::Array(a)) => {
                        if let (Some(t), Some(attr)) =
                            (a.first().and_then(Json::as_str), a.get(1).and_then(Json::as_str))
                        {
                            f(t, attr);
                        }
                        return;
                    }
                    Some(Json::String(s)) => {
                        if let Some((t, attr)) = s.split_once('.') {
                            f(t, attr);
                        }
                        return;
                    }
                    _ => {}
                }
            }
            o.values().for_each(|x| get_atts(x, f));
        }
        _ => {}
    }
}

/// Whether a value is an intrinsic function, unknown until deployment.
fn is_intrinsic(v: &Json) -> bool {
    match v.as_object() {
        Some(o) if o.len() == 1 => {
            o.keys().next().is_some_and(|k| k == "Ref" || k == "Condition" || k.starts_with("Fn::"))
        }
        _ => false,
    }
}

/// One step of the path to a value: a property name or a list index.
#[derive(Clone, Copy)]
enum Step<'v> {
    Key(&'v str),
    Index(usize),
}

struct Checker<'a, 'v> {
    table: &'a Table,
    type_name: &'a str,
    out: Vec<Diagnostic>,
    /// Where the value being checked is; written out only for a problem, since
    /// almost every value has none.
    path: Vec<Step<'v>>,
}

impl<'v> Checker<'_, 'v> {
    fn problem(&mut self, code: &str, what: String, fix: String) {
        let mut path = String::new();
        for step in &self.path {
            match step {
                Step::Key(k) if path.is_empty() => path.push_str(k),
                Step::Key(k) => {
                    path.push('.');
                    path.push_str(k);
                }
                Step::Index(i) => {
                    let _ = write!(path, "[{i}]");
                }
            }
        }
        let at = if path.is_empty() { String::new() } else { format!("property {path}: ") };
        self.out.push(Diagnostic::error(code, format!("{}: {at}{what}", self.type_name), fix));
    }

    fn value(&mut self, node: usize, v: &'v Json) {
        if is_intrinsic(v) {
            return;
        }
        let table = self.table;
        let s = &table.nodes[node];
        if !self.type_ok(s, v) {
            return;
        }
        match v {
            Json::String(text) => self.string(s, text),
            Json::Number(n) => self.number(s, n.as_f64().unwrap_or(0.0)),
            Json::Array(items) => self.array(s, items),
            Json::Object(o) => self.object(s, o),
            Json::Bool(_) | Json::Null => {}
        }
        if let Some(allowed) = &s.allowed {
            let matches = allowed.iter().any(|a| a == v)
                || scalar(v).is_some_and(|text| allowed.iter().any(|a| a.as_str() == Some(text.as_str())));
            if !matches && !v.is_object() && !v.is_array() {
                let list: Vec<String> = allowed.iter().map(|a| a.to_string()).collect();
                self.problem(
                    codes::ENUM,
                    format!("{v} is not one of the allowed values"),
                    format!("use one of {}", list.join(", ")),
                );
            }
        }
    }

    /// CloudFormation converts scalars: a number may come as a numeric string,
    /// a string as a number or boolean. Only shapes that cannot convert fail.
    fn type_ok(&mut self, s: &Node, v: &Json) -> bool {
        if s.types.is_empty() {
            return true;
        }
        use crate::schema_table::json_type::*;
        let ok = match v {
            Json::String(x) => {
                s.accepts(STRING)
                    || s.accepts(INTEGER) && x.trim().parse::<i64>().is_ok()
                    || s.accepts(NUMBER) && x.trim().parse::<f64>().is_ok()
                    || s.accepts(BOOLEAN) && matches!(x.as_str(), "true" | "false" | "True" | "False")
            }
            Json::Number(n) => {
                s.accepts(STRING | NUMBER)
                    || s.accepts(INTEGER) && (n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0))
            }
            Json::Bool(_) => s.accepts(STRING | BOOLEAN),
            Json::Array(_) => s.accepts(ARRAY),
            Json::Object(_) => s.accepts(OBJECT),
            Json::Null => false,
        };
        if !ok {
            let want = s.types.join(" or ");
            self.problem(
                codes::TYPE,
                format!("{} is {}, where the schema wants {want}", short(v), kind(v)),
                format!("give a {want}"),
            );
        }
        ok
    }

    fn string(&mut self, s: &Node, text: &str) {
        if s.min_length.is_some() || s.max_length.is_some() {
            // A string has at most as many characters as bytes, and at least a
            // quarter as many: count them only when the bytes do not decide.
            let bytes = text.len() as u64;
            let maybe_short = s.min_length.is_some_and(|m| bytes / 4 < m);
            let maybe_long = s.max_length.is_some_and(|m| bytes > m);
            if maybe_short || maybe_long {
                self.length(s, text);
            }
        }
        if let Some((p, Some(re))) = &s.pattern {
            if !re.is_match(text) {
                self.problem(
                    codes::PATTERN,
                    format!("{} does not match the pattern {p}", short_str(text)),
                    format!("give a value that matches {p}"),
                );
            }
        }
        // A numeric string under a numeric type is bounded as a number.
        if s.minimum.is_some() || s.maximum.is_some() {
            if let Ok(n) = text.trim().parse::<f64>() {
                self.number(s, n);
            }
        }
    }

    fn length(&mut self, s: &Node, text: &str) {
        let len = text.chars().count() as u64;
        if let Some(min) = s.min_length.filter(|m| len < *m) {
            self.problem(
                codes::LENGTH,
                format!("{} is {len} characters long, under the minimum of {min}", short_str(text)),
                format!("use at least {min} characters"),
            );
        }
        if let Some(max) = s.max_length.filter(|m| len > *m) {
            self.problem(
                codes::LENGTH,
                format!("{} is {len} characters long, over the maximum of {max}", short_str(text)),
                format!("use at most {max} characters"),
            );
        }
    }

    fn number(&mut self, s: &Node, n: f64) {
        let range = || match (s.minimum, s.maximum) {
            (Some(a), Some(b)) => format!("use a value from {a} to {b}"),
            (Some(a), None) => format!("use {a} or more"),
            (None, Some(b)) => format!("use {b} or less"),
            _ => String::new(),
        };
        if let Some(min) = s.minimum.filter(|m| n < *m) {
            self.problem(codes::RANGE, format!("{n} is under the minimum of {min}"), range());
        }
        if let Some(max) = s.maximum.filter(|m| n > *m) {
            self.problem(codes::RANGE, format!("{n} is over the maximum of {max}"), range());
        }
        if let Some(min) = s.exclusive_minimum.filter(|m| n <= *m) {
            self.problem(codes::RANGE, format!("{n} must be over {min}"), format!("use a value over {min}"));
        }
        if let Some(max) = s.exclusive_maximum.filter(|m| n >= *m) {
            self.problem(codes::RANGE, format!("{n} must be under {max}"), format!("use a value under {max}"));
        }
    }

    fn array(&mut self, s: &Node, items: &'v [Json]) {
        let n = items.len() as u64;
        if let Some(min) = s.min_items.filter(|m| n < *m) {
            self.problem(
                codes::ARRAY_SIZE,
                format!("the list has {n} items, under the minimum of {min}"),
                format!("give at least {min} items"),
            );
        }
        if let Some(max) = s.max_items.filter(|m| n > *m) {
            self.problem(
                codes::ARRAY_SIZE,
                format!("the list has {n} items, over the maximum of {max}"),
                format!("give at most {max} items"),
            );
        }
        if s.unique_items && !items.iter().any(is_intrinsic) {
            if let Some(i) = (1..items.len()).find(|&i| items[..i].contains(&items[i])) {
                self.problem(
                    codes::UNIQUE_ITEMS,
                    format!("item {i} ({}) repeats an earlier item", short(&items[i])),
                    "give each item once".into(),
                );
            }
        }
        if let Some(item) = s.items {
            for (i, v) in items.iter().enumerate() {
                self.path.push(Step::Index(i));
                self.value(item, v);
                self.path.pop();
            }
        }
    }

    fn object(&mut self, s: &Node, o: &'v serde_json::Map<String, Json>) {
        for (k, v) in o {
            self.path.push(Step::Key(k));
            let pattern_match =
                || s.pattern_properties.iter().find(|(re, _)| re.is_some_and(|r| r.is_match(k))).map(|(_, n)| *n);
            if let Some(n) = s.property(k).or_else(pattern_match) {
                self.value(n, v);
            } else {
                match s.additional {
                    Additional::Forbidden => {
                        let near = s.properties.iter().find(|(n, _)| n.eq_ignore_ascii_case(k));
                        let fix = match near {
                            Some((n, _)) => format!("did you mean '{n}'?"),
                            None if s.properties.is_empty() => "remove it".into(),
                            None => {
                                let mut names: Vec<&str> = s.properties.iter().map(|(n, _)| n.as_str()).collect();
                                names.sort_unstable();
                                format!("remove it, or use one of: {}", names.join(", "))
                            }
                        };
                        self.problem(codes::UNKNOWN_PROPERTY, "is not a property the schema knows".into(), fix);
                    }
                    Additional::Schema(n) => self.value(n, v),
                    Additional::Any => {}
                }
            }
            self.path.pop();
        }
    }
}

fn scalar(v: &Json) -> Option<String> {
    match v {
        Json::String(s) => Some(s.clone()),
        Json::Number(n) => Some(n.to_string()),
        Json::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn kind(v: &Json) -> &'static str {
    match v {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "a list",
        Json::Object(_) => "an object",
    }
}

fn short(v: &Json) -> String {
    match v {
        Json::String(s) => short_str(s),
        Json::Array(_) => "the list".into(),
        Json::Object(_) => "the object".into(),
        other => other.to_string(),
    }
}

fn short_str(s: &str) -> String {
    if s.chars().count() > 60 {
        format!("\"{}…\"", s.chars().take(60).collect::<String>())
    } else {
        format!("{s:?}")
    }
}
