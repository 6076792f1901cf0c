//! Rendering a [`Value`] to template JSON. References to constructs are handed to a
//! [`Resolver`], which knows the stack the value is rendered in.

use serde_json::{Map, Value as Json};

use crate::codes;
use crate::error::Diagnostic;
use crate::node::Target;
use crate::value::{Intrinsic, Value};

/// Renders references to constructs in the context of one stack.
pub(crate) trait Resolver {
    /// `Ref` (attr `None`) or `Fn::GetAtt` of a construct.
    fn reference(&mut self, target: &Target, attr: Option<&str>) -> Result<Json, Diagnostic>;
    /// The logical ID of a condition or mapping, which must be in this stack.
    fn logical_id(&mut self, target: &Target) -> Result<String, Diagnostic>;
}

/// Renders a value; problems are pushed to `errors` (and rendered as null).
pub(crate) fn render(v: &Value, r: &mut dyn Resolver, errors: &mut Vec<Diagnostic>) -> Json {
    match v {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Number(n) => Json::Number(n.clone()),
        Value::String(s) => Json::String(s.clone()),
        Value::Array(a) => Json::Array(a.iter().map(|x| render(x, r, errors)).collect()),
        Value::Object(o) => {
            let mut m = Map::with_capacity(o.len());
            for (k, x) in o {
                // An unset value (null) leaves the key out, as `undefined` does in the CDK.
                if !x.is_null() {
                    m.insert(k.clone(), render(x, r, errors));
                }
            }
            Json::Object(m)
        }
        Value::Token(t) => render_intrinsic(t, r, errors),
    }
}

/// [`render`] for a value built only to be rendered (a resource's entry): its
/// strings and keys move into the JSON instead of being copied.
pub(crate) fn render_owned(v: Value, r: &mut dyn Resolver, errors: &mut Vec<Diagnostic>) -> Json {
    match v {
        Value::String(s) => Json::String(s),
        Value::Array(a) => Json::Array(a.into_iter().map(|x| render_owned(x, r, errors)).collect()),
        Value::Object(o) => {
            let mut m = Map::with_capacity(o.len());
            for (k, x) in o {
                if !x.is_null() {
                    let x = render_owned(x, r, errors);
                    m.insert(k, x);
                }
            }
            Json::Object(m)
        }
        other => render(&other, r, errors),
    }
}

/// `{name: arg}`. Built by moving `arg` in: `json!` would copy it.
pub(crate) fn function(name: &str, arg: Json) -> Json {
    let mut m = Map::with_capacity(1);
    m.insert(name.to_string(), arg);
    Json::Object(m)
}

fn render_all(values: &[Value], r: &mut dyn Resolver, errors: &mut Vec<Diagnostic>) -> Json {
    Json::Array(values.iter().map(|x| render(x, r, errors)).collect())
}

/// Records a problem; the value renders as null.
fn fail(errors: &mut Vec<Diagnostic>, e: Diagnostic) -> Json {
    errors.push(e);
    Json::Null
}

fn render_intrinsic(i: &Intrinsic, r: &mut dyn Resolver, errors: &mut Vec<Diagnostic>) -> Json {
    use Intrinsic::*;
    match i {
        Ref(t) => r.reference(t, None).unwrap_or_else(|e| fail(errors, e)),
        GetAtt(t, a) => r.reference(t, Some(a)).unwrap_or_else(|e| fail(errors, e)),
        LogicalId(t) => r.logical_id(t).map(Json::String).unwrap_or_else(|e| fail(errors, e)),
        Condition(t) => match r.logical_id(t) {
            Ok(id) => function("Condition", Json::String(id)),
            Err(e) => fail(errors, e),
        },
        Pseudo(p) => function("Ref", p.name().into()),
        RefName(n) => function("Ref", n.as_str().into()),
        Sub(s, None) => function("Fn::Sub", s.as_str().into()),
        Sub(s, Some(vars)) => {
            let mut m = Map::with_capacity(vars.len());
            for (k, x) in vars {
                if !x.is_null() {
                    m.insert(k.clone(), render(x, r, errors));
                }
            }
            function("Fn::Sub", Json::Array(vec![s.as_str().into(), Json::Object(m)]))
        }
        Join(d, parts) => {
            let parts: Vec<Json> = parts.iter().map(|p| render(p, r, errors)).collect();
            minimal_join(d, parts)
        }
        Select(i, l) => {
            let args = vec![render(i, r, errors), render(l, r, errors)];
            function("Fn::Select", Json::Array(args))
        }
        Split(d, s) => function("Fn::Split", Json::Array(vec![d.as_str().into(), render(s, r, errors)])),
        If(c, a, b) => {
            let args = vec![render(c, r, errors), render(a, r, errors), render(b, r, errors)];
            function("Fn::If", Json::Array(args))
        }
        Equals(a, b) => {
            let args = vec![render(a, r, errors), render(b, r, errors)];
            function("Fn::Equals", Json::Array(args))
        }
        And(v) => function("Fn::And", render_all(v, r, errors)),
        Or(v) => function("Fn::Or", render_all(v, r, errors)),
        Not(v) => function("Fn::Not", Json::Array(vec![render(v, r, errors)])),
        ImportValue(v) => function("Fn::ImportValue", render(v, r, errors)),
        GetAzs(v) => {
            let region = render(v, r, errors);
            function("Fn::GetAZs", if region.is_null() { Json::String(String::new()) } else { region })
        }
        Base64(v) => function("Fn::Base64", render(v, r, errors)),
        FindInMap(m, a, b) => {
            let args = vec![render(m, r, errors), render(a, r, errors), render(b, r, errors)];
            function("Fn::FindInMap", Json::Array(args))
        }
        Cidr(a, b, c) => {
            let args = vec![render(a, r, errors), render(b, r, errors), render(c, r, errors)];
            function("Fn::Cidr", Json::Array(args))
        }
        Other(name, args) => function(name, render(args, r, errors)),
        Lazy(l) => render(&l.produce(), r, errors),
        Invalid(v) => fail(
            errors,
            Diagnostic::error(
                codes::INVALID_VALUE,
                format!("the number {v} cannot be written to a template (JSON has no NaN or infinity)"),
                "check the computation that produced it, or use a string",
            ),
        ),
    }
}

/// CDK's minimal `Fn::Join`: splices nested joins with the same delimiter, merges
/// neighbouring literals, drops empty strings of a concatenation, and returns a lone
/// part (or a plain string) when nothing else is left.
pub(crate) fn minimal_join(delimiter: &str, parts: Vec<Json>) -> Json {
    let mut out: Vec<Json> = Vec::with_capacity(parts.len());
    let push = |p: Json, out: &mut Vec<Json>| {
        if delimiter.is_empty() && p.as_str() == Some("") {
            return;
        }
        if let (Some(prev), Some(cur)) = (out.last().and_then(json_literal), json_literal(&p)) {
            let merged = format!("{prev}{delimiter}{cur}");
            *out.last_mut().expect("checked above") = Json::String(merged);
        } else {
            out.push(p);
        }
    };
    for p in parts {
        match splicable(&p, delimiter) {
            Some(inner) => inner.into_iter().for_each(|x| push(x, &mut out)),
            None => push(p, &mut out),
        }
    }
    match out.len() {
        0 => Json::String(String::new()),
        1 => out.pop().expect("one element"),
        _ => function("Fn::Join", Json::Array(vec![delimiter.into(), Json::Array(out)])),
    }
}

fn json_literal(v: &Json) -> Option<String> {
    match v {
        Json::String(s) => Some(s.clone()),
        Json::Number(n) => Some(n.to_string()),
        Json::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn splicable(v: &Json, delimiter: &str) -> Option<Vec<Json>> {
    let obj = v.as_object()?;
    if obj.len() != 1 {
        return None;
    }
    let args = obj.get("Fn::Join")?.as_array()?;
    if args.len() == 2 && args[0].as_str() == Some(delimiter) {
        return args[1].as_array().cloned();
    }
    None
}

/// Renders a value that refers to no construct; `None` if it does.
pub(crate) fn resolve_detached(v: &Value) -> Option<Json> {
    struct Detached;
    impl Resolver for Detached {
        fn reference(&mut self, _: &Target, _: Option<&str>) -> Result<Json, Diagnostic> {
            Err(Diagnostic::error(codes::INVALID_REFERENCE, "needs a stack", ""))
        }
        fn logical_id(&mut self, _: &Target) -> Result<String, Diagnostic> {
            Err(Diagnostic::error(codes::INVALID_REFERENCE, "needs a stack", ""))
        }
    }
    let mut errors = Vec::new();
    let out = render(v, &mut Detached, &mut errors);
    errors.is_empty().then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn join_merges_literals_and_splices_nested_joins() {
        let inner = json!({"Fn::Join": ["-", ["b", {"Ref": "X"}]]});
        let out = minimal_join("-", vec![json!("a"), inner, json!("c"), json!("d")]);
        assert_eq!(out, json!({"Fn::Join": ["-", ["a-b", {"Ref": "X"}, "c-d"]]}));
    }

    #[test]
    fn join_of_one_token_is_the_token() {
        assert_eq!(minimal_join("", vec![json!(""), json!({"Ref": "X"})]), json!({"Ref": "X"}));
    }

    #[test]
    fn join_with_other_delimiter_is_not_spliced() {
        let inner = json!({"Fn::Join": [",", ["b", {"Ref": "X"}]]});
        let out = minimal_join("-", vec![json!("a"), inner.clone()]);
        assert_eq!(out, json!({"Fn::Join": ["-", ["a", inner]]}));
    }
}
