//! CloudFormation's intrinsic functions (`Fn::*`) as typed constructors of
//! [`Value`]s, and the pseudo parameters ([`Aws`]).
//!
//! ```
//! use constructs::{fns, Aws};
//! let url = fns::join("", ["https://s3.".into(), Aws::region(), ".amazonaws.com".into()]);
//! assert_eq!(url.to_json().unwrap()["Fn::Join"][1][1], serde_json::json!({"Ref": "AWS::Region"}));
//! ```

use indexmap::IndexMap;

use crate::value::{Intrinsic, Pseudo, Value};

/// `Fn::Join`. Literal parts are merged and a join of literals is a plain string,
/// as the CDK renders it.
pub fn join(delimiter: &str, parts: impl IntoIterator<Item = Value>) -> Value {
    let parts: Vec<Value> = parts.into_iter().collect();
    if parts.iter().all(|p| !p.is_token()) {
        if let Some(strings) = parts.iter().map(literal_text).collect::<Option<Vec<_>>>() {
            return Value::String(strings.join(delimiter));
        }
    }
    Value::token(Intrinsic::Join(delimiter.to_string(), parts))
}

/// The text of a literal scalar, as `Fn::Join` would render it.
pub(crate) fn literal_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// `Fn::Sub` without a variable map: `${AWS::Region}`, `${Logical.Attr}` and so on.
pub fn sub(template: impl Into<String>) -> Value {
    Value::token(Intrinsic::Sub(template.into(), None))
}

/// `Fn::Sub` with a variable map whose values may be tokens.
pub fn sub_with<K: Into<String>>(template: impl Into<String>, vars: impl IntoIterator<Item = (K, Value)>) -> Value {
    let vars: IndexMap<String, Value> = vars.into_iter().map(|(k, v)| (k.into(), v)).collect();
    Value::token(Intrinsic::Sub(template.into(), Some(vars)))
}

/// `Fn::Select`.
pub fn select(index: impl Into<Value>, list: impl Into<Value>) -> Value {
    Value::token(Intrinsic::Select(index.into(), list.into()))
}

/// `Fn::Split`.
pub fn split(delimiter: &str, source: impl Into<Value>) -> Value {
    Value::token(Intrinsic::Split(delimiter.to_string(), source.into()))
}

/// `Fn::If`. `condition` is a [`CfnCondition`](crate::CfnCondition) (or its name).
pub fn if_(condition: impl ConditionName, if_true: impl Into<Value>, if_false: impl Into<Value>) -> Value {
    Value::token(Intrinsic::If(condition.condition_name(), if_true.into(), if_false.into()))
}

/// `Fn::Equals`.
pub fn equals(a: impl Into<Value>, b: impl Into<Value>) -> Value {
    Value::token(Intrinsic::Equals(a.into(), b.into()))
}

/// `Fn::And` (2 to 10 conditions).
pub fn and(conditions: impl IntoIterator<Item = Value>) -> Value {
    Value::token(Intrinsic::And(conditions.into_iter().collect()))
}

/// `Fn::Or` (2 to 10 conditions).
pub fn or(conditions: impl IntoIterator<Item = Value>) -> Value {
    Value::token(Intrinsic::Or(conditions.into_iter().collect()))
}

/// `Fn::Not`.
pub fn not(condition: impl Into<Value>) -> Value {
    Value::token(Intrinsic::Not(condition.into()))
}

/// `{"Condition": name}`, to use a named condition inside `and`/`or`/`not`.
pub fn condition(condition: impl ConditionName) -> Value {
    match condition.condition_name() {
        Value::Token(t) => match *t {
            Intrinsic::LogicalId(target) => Value::token(Intrinsic::Condition(target)),
            other => Value::object([("Condition", Value::token(other))]),
        },
        other => Value::object([("Condition", other)]),
    }
}

/// `Fn::ImportValue`.
pub fn import_value(export_name: impl Into<Value>) -> Value {
    Value::token(Intrinsic::ImportValue(export_name.into()))
}

/// `Fn::GetAZs` (an empty region means the stack's region).
pub fn get_azs(region: impl Into<Value>) -> Value {
    Value::token(Intrinsic::GetAzs(region.into()))
}

/// `Fn::Base64`.
pub fn base64(data: impl Into<Value>) -> Value {
    Value::token(Intrinsic::Base64(data.into()))
}

/// `Fn::FindInMap`. `map` is a [`CfnMapping`](crate::CfnMapping) or its name.
pub fn find_in_map(map: impl ConditionName, top_key: impl Into<Value>, second_key: impl Into<Value>) -> Value {
    Value::token(Intrinsic::FindInMap(map.condition_name(), top_key.into(), second_key.into()))
}

/// `Fn::Cidr`.
pub fn cidr(ip_block: impl Into<Value>, count: impl Into<Value>, size_mask: impl Into<Value>) -> Value {
    Value::token(Intrinsic::Cidr(ip_block.into(), count.into(), size_mask.into()))
}

/// Any other intrinsic, rendered as `{name: args}` (for example `Fn::Contains` in
/// rules, or `Fn::Length`).
pub fn other(name: &str, args: impl Into<Value>) -> Value {
    Value::token(Intrinsic::Other(name.to_string(), args.into()))
}

/// `{"Ref": name}` for a name that is not a construct here (an existing logical ID
/// of an included template, say).
pub fn ref_name(name: &str) -> Value {
    Value::token(Intrinsic::RefName(name.to_string()))
}

/// Something that names a template element: a condition, a mapping, or a string.
pub trait ConditionName {
    /// The value that renders as the element's logical ID.
    fn condition_name(&self) -> Value;
}

impl ConditionName for &str {
    fn condition_name(&self) -> Value {
        Value::String(self.to_string())
    }
}

impl ConditionName for String {
    fn condition_name(&self) -> Value {
        Value::String(self.clone())
    }
}

/// CloudFormation's pseudo parameters, as in the CDK's `Aws` class.
///
/// ```
/// use constructs::Aws;
/// assert_eq!(Aws::account_id().to_json().unwrap(), serde_json::json!({"Ref": "AWS::AccountId"}));
/// ```
pub struct Aws;

impl Aws {
    /// `AWS::AccountId`
    pub fn account_id() -> Value {
        Pseudo::AccountId.into()
    }
    /// `AWS::Region`
    pub fn region() -> Value {
        Pseudo::Region.into()
    }
    /// `AWS::Partition`
    pub fn partition() -> Value {
        Pseudo::Partition.into()
    }
    /// `AWS::StackName`
    pub fn stack_name() -> Value {
        Pseudo::StackName.into()
    }
    /// `AWS::StackId`
    pub fn stack_id() -> Value {
        Pseudo::StackId.into()
    }
    /// `AWS::URLSuffix`
    pub fn url_suffix() -> Value {
        Pseudo::UrlSuffix.into()
    }
    /// `AWS::NotificationARNs`
    pub fn notification_arns() -> Value {
        Pseudo::NotificationArns.into()
    }
    /// `AWS::NoValue`: assigning it to a property removes the property.
    pub fn no_value() -> Value {
        Pseudo::NoValue.into()
    }
}

/// Serializes a value to a JSON string, with tokens spliced in by `Fn::Join`, as
/// the CDK's `Stack.toJsonString` does. Tokens stand for strings and are quoted;
/// a joined string (from this function or [`Value::concat`]) nested in the value
/// keeps its literal parts escaped, so JSON can be embedded in JSON.
///
/// ```
/// use constructs::{fns, Aws, Value};
/// let v = fns::to_json_string(&Value::object([("region", Aws::region()), ("n", 1.into())]));
/// assert_eq!(v.to_json().unwrap(), serde_json::json!(
///     {"Fn::Join": ["", ["{\"region\":\"", {"Ref": "AWS::Region"}, "\",\"n\":1}"]]}));
/// ```
pub fn to_json_string(value: &Value) -> Value {
    let mut parts: Vec<Value> = Vec::new();
    let mut text = String::new();
    write_json(value, &mut parts, &mut text);
    if !text.is_empty() {
        parts.push(Value::String(text));
    }
    join("", parts)
}

fn flush(parts: &mut Vec<Value>, text: &mut String) {
    if !text.is_empty() {
        parts.push(Value::String(std::mem::take(text)));
    }
}

fn write_json(value: &Value, parts: &mut Vec<Value>, text: &mut String) {
    match value {
        Value::Null => text.push_str("null"),
        Value::Bool(b) => text.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => text.push_str(&n.to_string()),
        Value::String(s) => text.push_str(&serde_json::Value::String(s.clone()).to_string()),
        Value::Array(items) => {
            text.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    text.push(',');
                }
                write_json(item, parts, text);
            }
            text.push(']');
        }
        Value::Object(map) => {
            text.push('{');
            for (i, (k, v)) in map.iter().filter(|(_, v)| !v.is_null()).enumerate() {
                if i > 0 {
                    text.push(',');
                }
                text.push_str(&serde_json::Value::String(k.clone()).to_string());
                text.push(':');
                write_json(v, parts, text);
            }
            text.push('}');
        }
        Value::Token(t) => {
            text.push('"');
            match t.as_ref() {
                Intrinsic::Join(d, items) if d.is_empty() => {
                    for item in items {
                        match item {
                            Value::String(s) => {
                                let quoted = serde_json::Value::String(s.clone()).to_string();
                                text.push_str(&quoted[1..quoted.len() - 1]);
                            }
                            other => {
                                flush(parts, text);
                                parts.push(other.clone());
                            }
                        }
                    }
                }
                _ => {
                    flush(parts, text);
                    parts.push(value.clone());
                }
            }
            text.push('"');
        }
    }
}
