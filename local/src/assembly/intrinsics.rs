//! CloudFormation's intrinsic functions, evaluated against a [`Scope`] that
//! answers references (parameters, resources, conditions, exports).

use serde_json::{Map, Value};

/// What the evaluator asks of the stack it runs in.
pub(crate) trait Scope {
    /// `Ref` to a parameter, a resource or a pseudo parameter.
    fn reference(&self, name: &str) -> Result<Value, String>;
    /// `Fn::GetAtt` of a resource (nested stacks answer `Outputs.X`).
    fn attribute(&self, logical_id: &str, attribute: &str) -> Result<Value, String>;
    /// A named condition's truth.
    fn condition(&self, name: &str) -> Result<bool, String>;
    /// `Fn::FindInMap`.
    fn mapping(&self, map: &str, top: &str, second: &str) -> Result<Value, String>;
    /// `Fn::ImportValue`: an export of another top-level stack.
    fn import(&self, export: &str) -> Result<Value, String>;
    /// The region, for `Fn::GetAZs`.
    fn region(&self) -> String;
}

/// Resolves every intrinsic in `value`. `Ok(None)` is `AWS::NoValue`: the
/// caller drops the key or list item that held it.
pub(crate) fn resolve(value: &Value, scope: &dyn Scope) -> Result<Option<Value>, String> {
    match value {
        Value::Object(map) if map.len() == 1 => {
            let (key, arg) = map.iter().next().expect("one entry");
            if key == "Ref" || key == "Condition" || key.starts_with("Fn::") {
                return function(key, arg, scope);
            }
            object(map, scope).map(Some)
        }
        Value::Object(map) => object(map, scope).map(Some),
        Value::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                if let Some(v) = resolve(item, scope)? {
                    out.push(v);
                }
            }
            Ok(Some(Value::Array(out)))
        }
        other => Ok(Some(other.clone())),
    }
}

fn object(map: &Map<String, Value>, scope: &dyn Scope) -> Result<Value, String> {
    let mut out = Map::new();
    for (k, v) in map {
        if let Some(v) = resolve(v, scope).map_err(|e| format!("{k}: {e}"))? {
            out.insert(k.clone(), v);
        }
    }
    Ok(Value::Object(out))
}

/// Resolves a value that must not be `AWS::NoValue`.
fn required(value: &Value, scope: &dyn Scope, what: &str) -> Result<Value, String> {
    resolve(value, scope)?.ok_or_else(|| format!("{what} is AWS::NoValue"))
}

fn string(value: &Value, scope: &dyn Scope, what: &str) -> Result<String, String> {
    match required(value, scope, what)? {
        Value::String(s) => Ok(s),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        other => Err(format!("{what} must be a string, got {other}")),
    }
}

fn list(value: &Value, scope: &dyn Scope, what: &str) -> Result<Vec<Value>, String> {
    match required(value, scope, what)? {
        Value::Array(items) => Ok(items),
        other => Err(format!("{what} must be a list, got {other}")),
    }
}

fn args<'a>(arg: &'a Value, n: usize, name: &str) -> Result<&'a [Value], String> {
    match arg {
        Value::Array(items) if items.len() == n => Ok(items),
        _ => Err(format!("{name} takes a list of {n} arguments, got {arg}")),
    }
}

fn function(name: &str, arg: &Value, scope: &dyn Scope) -> Result<Option<Value>, String> {
    let v = match name {
        "Ref" => {
            let target = arg.as_str().ok_or_else(|| format!("Ref takes a name, got {arg}"))?;
            if target == "AWS::NoValue" {
                return Ok(None);
            }
            scope.reference(target)?
        }
        "Fn::GetAtt" => {
            let (logical, attribute) = match arg {
                Value::String(s) => s.split_once('.').ok_or_else(|| format!("Fn::GetAtt `{s}` has no attribute"))?,
                Value::Array(items) if items.len() == 2 => {
                    let logical = items[0].as_str().ok_or("Fn::GetAtt's first argument is a logical id")?;
                    let attribute = match &items[1] {
                        Value::String(s) => s.as_str(),
                        _ => return Err("Fn::GetAtt's attribute must be a string".into()),
                    };
                    (logical, attribute)
                }
                _ => return Err(format!("Fn::GetAtt takes [logicalId, attribute], got {arg}")),
            };
            scope.attribute(logical, attribute)?
        }
        "Fn::Join" => {
            let a = args(arg, 2, name)?;
            let sep = string(&a[0], scope, "Fn::Join's separator")?;
            let parts = list(&a[1], scope, "Fn::Join's list")?;
            let parts: Result<Vec<String>, String> = parts.iter().map(|p| scalar_text(p, "Fn::Join item")).collect();
            Value::String(parts?.join(&sep))
        }
        "Fn::Sub" => sub(arg, scope)?,
        "Fn::Select" => {
            let a = args(arg, 2, name)?;
            let index = match required(&a[0], scope, "Fn::Select's index")? {
                Value::Number(n) => n.as_u64(),
                Value::String(s) => s.parse().ok(),
                _ => None,
            }
            .ok_or("Fn::Select's index must be a non-negative number")?;
            let items = list(&a[1], scope, "Fn::Select's list")?;
            let len = items.len();
            items
                .into_iter()
                .nth(index as usize)
                .ok_or_else(|| format!("Fn::Select index {index} is out of range for {len} items"))?
        }
        "Fn::Split" => {
            let a = args(arg, 2, name)?;
            let sep = string(&a[0], scope, "Fn::Split's separator")?;
            if sep.is_empty() {
                return Err("Fn::Split's separator is empty".into());
            }
            let text = string(&a[1], scope, "Fn::Split's string")?;
            Value::Array(text.split(sep.as_str()).map(|s| Value::String(s.to_string())).collect())
        }
        "Fn::If" => {
            let a = args(arg, 3, name)?;
            let cond = a[0].as_str().ok_or("Fn::If's first argument is a condition name")?;
            let branch = if scope.condition(cond)? { &a[1] } else { &a[2] };
            return resolve(branch, scope);
        }
        "Fn::Equals" => {
            let a = args(arg, 2, name)?;
            Value::Bool(loose_eq(&required(&a[0], scope, name)?, &required(&a[1], scope, name)?))
        }
        "Fn::Not" => {
            let a = args(arg, 1, name)?;
            Value::Bool(!truth(&a[0], scope)?)
        }
        "Fn::And" | "Fn::Or" => {
            let items = arg.as_array().ok_or_else(|| format!("{name} takes a list"))?;
            let mut acc = name == "Fn::And";
            for item in items {
                let t = truth(item, scope)?;
                acc = if name == "Fn::And" { acc && t } else { acc || t };
            }
            Value::Bool(acc)
        }
        "Condition" => {
            let cond = arg.as_str().ok_or("Condition takes a condition name")?;
            Value::Bool(scope.condition(cond)?)
        }
        "Fn::Contains" => {
            let a = args(arg, 2, name)?;
            let items = list(&a[0], scope, "Fn::Contains' list")?;
            let needle = required(&a[1], scope, name)?;
            Value::Bool(items.iter().any(|i| loose_eq(i, &needle)))
        }
        "Fn::FindInMap" => {
            let a = args(arg, 3, name)?;
            let map = string(&a[0], scope, "map name")?;
            let top = string(&a[1], scope, "top-level key")?;
            let second = string(&a[2], scope, "second-level key")?;
            scope.mapping(&map, &top, &second)?
        }
        "Fn::ImportValue" => {
            let export = string(arg, scope, "Fn::ImportValue's export name")?;
            scope.import(&export)?
        }
        "Fn::GetAZs" => {
            let region = scope.region();
            Value::Array(["a", "b", "c"].iter().map(|z| Value::String(format!("{region}{z}"))).collect())
        }
        "Fn::Base64" => {
            use base64::Engine;
            let text = string(arg, scope, "Fn::Base64's argument")?;
            Value::String(base64::engine::general_purpose::STANDARD.encode(text))
        }
        "Fn::Length" => Value::from(list(arg, scope, "Fn::Length's list")?.len()),
        "Fn::ToJsonString" => Value::String(required(arg, scope, name)?.to_string()),
        other => return Err(format!("the intrinsic function {other} is not supported locally")),
    };
    Ok(Some(v))
}

/// A condition expression's truth (a boolean, or `"true"`/`"false"`).
fn truth(value: &Value, scope: &dyn Scope) -> Result<bool, String> {
    match required(value, scope, "condition")? {
        Value::Bool(b) => Ok(b),
        Value::String(s) if s == "true" => Ok(true),
        Value::String(s) if s == "false" => Ok(false),
        other => Err(format!("a condition must be true or false, got {other}")),
    }
}

/// CloudFormation compares numbers and their string forms as equal.
fn loose_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::String(s), Value::Number(n)) | (Value::Number(n), Value::String(s)) => *s == n.to_string(),
        (Value::String(s), Value::Bool(x)) | (Value::Bool(x), Value::String(s)) => *s == x.to_string(),
        _ => a == b,
    }
}

fn scalar_text(value: &Value, what: &str) -> Result<String, String> {
    match value {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        other => Err(format!("{what} must be a string, got {other}")),
    }
}

/// `Fn::Sub`: `${Name}`, `${Logical.Attribute}`, `${!Literal}`, with an
/// optional map of local variables.
fn sub(arg: &Value, scope: &dyn Scope) -> Result<Value, String> {
    let (template, vars) = match arg {
        Value::String(s) => (s.as_str(), Map::new()),
        Value::Array(items) if items.len() == 2 => {
            let t = items[0].as_str().ok_or("Fn::Sub's first argument is a string")?;
            let mut vars = Map::new();
            let raw = items[1].as_object().ok_or("Fn::Sub's second argument is a map of variables")?;
            for (k, v) in raw {
                vars.insert(k.clone(), required(v, scope, &format!("Fn::Sub variable {k}"))?);
            }
            (t, vars)
        }
        _ => return Err(format!("Fn::Sub takes a string or [string, variables], got {arg}")),
    };
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after.find('}').ok_or_else(|| format!("Fn::Sub `{template}` has an unclosed ${{"))?;
        let name = &after[..end];
        if let Some(literal) = name.strip_prefix('!') {
            out.push_str("${");
            out.push_str(literal);
            out.push('}');
        } else {
            let value = if let Some(v) = vars.get(name) {
                v.clone()
            } else if let Some((logical, attribute)) = name.split_once('.').filter(|(l, _)| !l.starts_with("AWS:")) {
                scope.attribute(logical, attribute)?
            } else {
                scope.reference(name)?
            };
            out.push_str(&scalar_text(&value, &format!("Fn::Sub variable {name}"))?);
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(Value::String(out))
}
