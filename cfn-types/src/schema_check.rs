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

use std::collections::HashMap;
use std::rc::Rc;
use std::sync::{Mutex, OnceLock};

use constructs::checks::TemplateCheck;
use constructs::{Diagnostic, IConstruct};
use regex::Regex;
use serde_json::Value as Json;

use crate::codes;

/// Adds the schema check to the app `scope` belongs to (typed L1s add it when
/// created; a program of raw resources only calls this itself).
pub fn enable_schema_checks(scope: &impl IConstruct) {
    constructs::checks::add_template_check(scope, Rc::new(SchemaCheck));
}

struct SchemaCheck;

impl TemplateCheck for SchemaCheck {
    fn name(&self) -> &'static str {
        "cfn-types registry schemas"
    }

    fn check(&self, template: &Json) -> Vec<(String, Diagnostic)> {
        check_template(template)
    }
}

/// The problems of a template's resources, by logical ID.
pub fn check_template(template: &Json) -> Vec<(String, Diagnostic)> {
    let mut out = Vec::new();
    let Some(resources) = template.get("Resources").and_then(Json::as_object) else { return out };
    let mut types: HashMap<&str, &str> = HashMap::with_capacity(resources.len());
    for (lid, r) in resources {
        let Some(t) = r.get("Type").and_then(Json::as_str) else { continue };
        types.insert(lid, t);
        if let Some(d) = unknown_type(t) {
            out.push((lid.clone(), d));
            continue;
        }
        let Some(table) = table_of(t) else { continue };
        let empty = Json::Object(Default::default());
        let props = r.get("Properties").unwrap_or(&empty);
        let mut c = Checker { root: table, type_name: t, out: Vec::new() };
        c.value(table, props, &mut String::new());
        out.extend(c.out.into_iter().map(|d| (lid.clone(), d)));
    }
    // `Fn::GetAtt` anywhere in the template reads an attribute of a type.
    let mut walk = |lid: &str, v: &Json| {
        get_atts(v, &mut |target, attr| {
            if let Some(d) = attribute_problem(&types, target, attr) {
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
    out.extend(crate::limits::check(template));
    out
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

fn attribute_problem(types: &HashMap<&str, &str>, target: &str, attr: &str) -> Option<Diagnostic> {
    let t = types.get(target)?;
    if *t == "AWS::CloudFormation::Stack" && attr.starts_with("Outputs.") {
        return None;
    }
    let table = table_of(t)?;
    let known = table.get("attributes").and_then(Json::as_array).is_some_and(|a| a.iter().any(|x| x == attr));
    // cfn-lint accepts any property of some older types; so does this check.
    let first = attr.split('.').next().unwrap_or(attr);
    let property = table.get("properties").and_then(|p| p.get(first)).is_some();
    if known || property {
        return None;
    }
    let names: Vec<&str> =
        table.get("attributes").and_then(Json::as_array).into_iter().flatten().filter_map(Json::as_str).collect();
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

/// The parsed table of a type, when its service's feature is enabled.
fn table_of(type_name: &str) -> Option<&'static Json> {
    static TABLES: OnceLock<Mutex<HashMap<String, &'static Json>>> = OnceLock::new();
    let text = crate::services::constraints(type_name)?;
    let mut tables = TABLES.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner());
    if let Some(t) = tables.get(type_name) {
        return Some(t);
    }
    // Generated from JSON values, so it parses; leaked once per type for the
    // process's life, as the text it comes from is static.
    let parsed: &'static Json = Box::leak(Box::new(serde_json::from_str(text).ok()?));
    tables.insert(type_name.to_string(), parsed);
    Some(parsed)
}

/// The compiled pattern, or `None` for one the `regex` crate cannot take (a few
/// schema patterns use look-around): those are not checked.
fn pattern(p: &str) -> Option<Regex> {
    static PATTERNS: OnceLock<Mutex<HashMap<String, Option<Regex>>>> = OnceLock::new();
    let mut cache = PATTERNS.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner());
    cache.entry(p.to_string()).or_insert_with(|| Regex::new(p).ok()).clone()
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

struct Checker<'a> {
    root: &'a Json,
    type_name: &'a str,
    out: Vec<Diagnostic>,
}

impl<'a> Checker<'a> {
    fn problem(&mut self, code: &str, path: &str, what: String, fix: String) {
        let at = if path.is_empty() { String::new() } else { format!("property {path}: ") };
        self.out.push(Diagnostic::error(code, format!("{}: {at}{what}", self.type_name), fix));
    }

    fn resolve(&self, mut s: &'a Json) -> &'a Json {
        // Definitions may refer to each other; a few hops at most.
        for _ in 0..8 {
            match s.get("$ref").and_then(Json::as_str).and_then(|r| r.strip_prefix("#/definitions/")) {
                Some(name) => match self.root.get("definitions").and_then(|d| d.get(name)) {
                    Some(d) => s = d,
                    None => break,
                },
                None => break,
            }
        }
        s
    }

    fn value(&mut self, schema: &'a Json, v: &Json, path: &mut String) {
        if is_intrinsic(v) {
            return;
        }
        let s = self.resolve(schema);
        if !self.type_ok(s, v, path) {
            return;
        }
        match v {
            Json::String(text) => self.string(s, text, path),
            Json::Number(n) => self.number(s, n.as_f64().unwrap_or(0.0), path),
            Json::Array(items) => self.array(s, items, path),
            Json::Object(o) => self.object(s, o, path),
            Json::Bool(_) | Json::Null => {}
        }
        if let Some(allowed) = s.get("enum").and_then(Json::as_array) {
            let matches =
                allowed.iter().any(|a| a == v || (a.as_str().is_some() && a.as_str() == scalar(v).as_deref()));
            if !matches && !v.is_object() && !v.is_array() {
                let list: Vec<String> = allowed.iter().map(|a| a.to_string()).collect();
                self.problem(
                    codes::ENUM,
                    path,
                    format!("{v} is not one of the allowed values"),
                    format!("use one of {}", list.join(", ")),
                );
            }
        }
    }

    /// CloudFormation converts scalars: a number may come as a numeric string,
    /// a string as a number or boolean. Only shapes that cannot convert fail.
    fn type_ok(&mut self, s: &Json, v: &Json, path: &str) -> bool {
        let Some(t) = s.get("type") else { return true };
        let types: Vec<&str> = match t {
            Json::String(x) => vec![x.as_str()],
            Json::Array(a) => a.iter().filter_map(Json::as_str).collect(),
            _ => return true,
        };
        let ok = types.iter().any(|t| match (*t, v) {
            ("string", Json::String(_) | Json::Number(_) | Json::Bool(_)) => true,
            ("integer", Json::Number(n)) => n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0),
            ("integer", Json::String(x)) => x.trim().parse::<i64>().is_ok(),
            ("number", Json::Number(_)) => true,
            ("number", Json::String(x)) => x.trim().parse::<f64>().is_ok(),
            ("boolean", Json::Bool(_)) => true,
            ("boolean", Json::String(x)) => matches!(x.as_str(), "true" | "false" | "True" | "False"),
            ("array", Json::Array(_)) | ("object", Json::Object(_)) => true,
            _ => false,
        });
        if !ok {
            self.problem(
                codes::TYPE,
                path,
                format!("{} is {}, where the schema wants {}", short(v), kind(v), types.join(" or ")),
                format!("give a {}", types.join(" or ")),
            );
        }
        ok
    }

    fn string(&mut self, s: &Json, text: &str, path: &str) {
        let len = text.chars().count() as u64;
        if let Some(min) = s.get("minLength").and_then(Json::as_u64) {
            if len < min {
                self.problem(
                    codes::LENGTH,
                    path,
                    format!("{} is {len} characters long, under the minimum of {min}", short_str(text)),
                    format!("use at least {min} characters"),
                );
            }
        }
        if let Some(max) = s.get("maxLength").and_then(Json::as_u64) {
            if len > max {
                self.problem(
                    codes::LENGTH,
                    path,
                    format!("{} is {len} characters long, over the maximum of {max}", short_str(text)),
                    format!("use at most {max} characters"),
                );
            }
        }
        if let Some(p) = s.get("pattern").and_then(Json::as_str) {
            if let Some(re) = pattern(p) {
                if !re.is_match(text) {
                    self.problem(
                        codes::PATTERN,
                        path,
                        format!("{} does not match the pattern {p}", short_str(text)),
                        format!("give a value that matches {p}"),
                    );
                }
            }
        }
        // A numeric string under a numeric type is bounded as a number.
        if s.get("minimum").is_some() || s.get("maximum").is_some() {
            if let Ok(n) = text.trim().parse::<f64>() {
                self.number(s, n, path);
            }
        }
    }

    fn number(&mut self, s: &Json, n: f64, path: &str) {
        let bound = |k: &str| s.get(k).and_then(Json::as_f64);
        let range = match (bound("minimum"), bound("maximum")) {
            (Some(a), Some(b)) => format!("use a value from {a} to {b}"),
            (Some(a), None) => format!("use {a} or more"),
            (None, Some(b)) => format!("use {b} or less"),
            _ => String::new(),
        };
        if let Some(min) = bound("minimum") {
            if n < min {
                self.problem(codes::RANGE, path, format!("{n} is under the minimum of {min}"), range.clone());
            }
        }
        if let Some(max) = bound("maximum") {
            if n > max {
                self.problem(codes::RANGE, path, format!("{n} is over the maximum of {max}"), range.clone());
            }
        }
        if let Some(min) = bound("exclusiveMinimum") {
            if n <= min {
                self.problem(codes::RANGE, path, format!("{n} must be over {min}"), format!("use a value over {min}"));
            }
        }
        if let Some(max) = bound("exclusiveMaximum") {
            if n >= max {
                self.problem(
                    codes::RANGE,
                    path,
                    format!("{n} must be under {max}"),
                    format!("use a value under {max}"),
                );
            }
        }
    }

    fn array(&mut self, s: &'a Json, items: &[Json], path: &mut String) {
        let n = items.len() as u64;
        if let Some(min) = s.get("minItems").and_then(Json::as_u64) {
            if n < min {
                self.problem(
                    codes::ARRAY_SIZE,
                    path,
                    format!("the list has {n} items, under the minimum of {min}"),
                    format!("give at least {min} items"),
                );
            }
        }
        if let Some(max) = s.get("maxItems").and_then(Json::as_u64) {
            if n > max {
                self.problem(
                    codes::ARRAY_SIZE,
                    path,
                    format!("the list has {n} items, over the maximum of {max}"),
                    format!("give at most {max} items"),
                );
            }
        }
        if s.get("uniqueItems") == Some(&Json::Bool(true)) && !items.iter().any(is_intrinsic) {
            if let Some(i) = (1..items.len()).find(|&i| items[..i].contains(&items[i])) {
                self.problem(
                    codes::UNIQUE_ITEMS,
                    path,
                    format!("item {i} ({}) repeats an earlier item", short(&items[i])),
                    "give each item once".into(),
                );
            }
        }
        if let Some(item_schema) = s.get("items") {
            let len = path.len();
            for (i, item) in items.iter().enumerate() {
                path.push_str(&format!("[{i}]"));
                self.value(item_schema, item, path);
                path.truncate(len);
            }
        }
    }

    fn object(&mut self, s: &'a Json, o: &serde_json::Map<String, Json>, path: &mut String) {
        let props = s.get("properties").and_then(Json::as_object);
        let patterns = s.get("patternProperties").and_then(Json::as_object);
        let additional = s.get("additionalProperties");
        for (k, v) in o {
            let len = path.len();
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(k);
            if let Some(ps) = props.and_then(|p| p.get(k)) {
                self.value(ps, v, path);
            } else if let Some(ps) = patterns
                .and_then(|p| p.iter().find(|(re, _)| pattern(re).is_some_and(|r| r.is_match(k))))
                .map(|(_, s)| s)
            {
                self.value(ps, v, path);
            } else {
                match additional {
                    Some(Json::Bool(false)) => {
                        let known: Vec<&String> = props.map(|p| p.keys().collect()).unwrap_or_default();
                        let near = known.iter().find(|n| n.eq_ignore_ascii_case(k));
                        let fix = match near {
                            Some(n) => format!("did you mean '{n}'?"),
                            None if known.is_empty() => "remove it".into(),
                            None => format!(
                                "remove it, or use one of: {}",
                                known.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
                            ),
                        };
                        self.problem(codes::UNKNOWN_PROPERTY, path, "is not a property the schema knows".into(), fix);
                    }
                    Some(a @ Json::Object(_)) => self.value(a, v, path),
                    _ => {}
                }
            }
            path.truncate(len);
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
