//! Attribute values: parsed from and written to DynamoDB's attribute-value
//! JSON (`{"S": ".."}`, `{"N": "1"}`, `{"M": {..}}`, ...), with DynamoDB's
//! checks on the way in and its size accounting.

use std::collections::{BTreeMap, BTreeSet};

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use serde_json::{json, Map, Value};

use super::error::DynamoError;
use super::number::Number;

/// An item: attribute names to values (names in byte order, so results are stable).
pub type Item = BTreeMap<String, AttributeValue>;

/// The largest item DynamoDB stores, in bytes.
pub const MAX_ITEM_SIZE: usize = 400 * 1024;

/// One DynamoDB attribute value.
#[derive(Debug, Clone)]
pub enum AttributeValue {
    S(String),
    N(Number),
    B(Vec<u8>),
    Bool(bool),
    Null,
    M(BTreeMap<String, AttributeValue>),
    L(Vec<AttributeValue>),
    Ss(Vec<String>),
    Ns(Vec<Number>),
    Bs(Vec<Vec<u8>>),
}

impl AttributeValue {
    /// DynamoDB's name for the value's type (`S`, `N`, `SS`, `M`, ...).
    pub fn type_name(&self) -> &'static str {
        match self {
            AttributeValue::S(_) => "S",
            AttributeValue::N(_) => "N",
            AttributeValue::B(_) => "B",
            AttributeValue::Bool(_) => "BOOL",
            AttributeValue::Null => "NULL",
            AttributeValue::M(_) => "M",
            AttributeValue::L(_) => "L",
            AttributeValue::Ss(_) => "SS",
            AttributeValue::Ns(_) => "NS",
            AttributeValue::Bs(_) => "BS",
        }
    }

    /// Parses and checks one attribute value from its JSON form.
    pub fn from_json(json: &Value) -> Result<AttributeValue, DynamoError> {
        let object = match json {
            Value::Object(object) => object,
            _ => return Err(serialization("an attribute value must be an object such as {\"S\": \"text\"}")),
        };
        let known: Vec<(&String, &Value)> = object.iter().filter(|(k, _)| TYPE_NAMES.contains(&k.as_str())).collect();
        let (kind, body) = match known.as_slice() {
            [] => {
                return Err(DynamoError::validation(
                    "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes",
                ))
            }
            [one] => *one,
            _ => {
                return Err(DynamoError::validation(
                    "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes",
                ))
            }
        };
        Ok(match kind.as_str() {
            "S" => AttributeValue::S(string(body)?),
            "N" => AttributeValue::N(Number::parse(&string(body)?)?),
            "B" => AttributeValue::B(binary(body)?),
            "BOOL" => AttributeValue::Bool(body.as_bool().ok_or_else(|| serialization("BOOL takes true or false"))?),
            "NULL" => match body.as_bool() {
                Some(true) => AttributeValue::Null,
                Some(false) => return Err(DynamoError::validation(
                    "One or more parameter values were invalid: Null attribute value types must have the value of true",
                )),
                None => return Err(serialization("NULL takes true")),
            },
            "M" => {
                let entries = body.as_object().ok_or_else(|| serialization("M takes an object of attribute values"))?;
                let mut map = BTreeMap::new();
                for (name, value) in entries {
                    map.insert(name.clone(), AttributeValue::from_json(value)?);
                }
                AttributeValue::M(map)
            }
            "L" => {
                let entries = body.as_array().ok_or_else(|| serialization("L takes an array of attribute values"))?;
                AttributeValue::L(entries.iter().map(AttributeValue::from_json).collect::<Result<_, _>>()?)
            }
            "SS" => {
                let members: Vec<String> = members(body, "string")?.iter().map(string).collect::<Result<_, _>>()?;
                check_set(&members, "string", |m| m.clone())?;
                AttributeValue::Ss(members)
            }
            "NS" => {
                let members: Vec<Number> =
                    members(body, "number")?.iter().map(|m| Number::parse(&string(m)?)).collect::<Result<_, _>>()?;
                check_set(&members, "number", |m| m.to_string())?;
                AttributeValue::Ns(members)
            }
            "BS" => {
                let members: Vec<Vec<u8>> = members(body, "binary")?.iter().map(binary).collect::<Result<_, _>>()?;
                check_set(&members, "binary", |m| BASE64.encode(m))?;
                AttributeValue::Bs(members)
            }
            _ => unreachable!("filtered to TYPE_NAMES"),
        })
    }

    /// The value's JSON form, numbers in DynamoDB's normal form.
    pub fn to_json(&self) -> Value {
        match self {
            AttributeValue::S(s) => json!({ "S": s }),
            AttributeValue::N(n) => json!({ "N": n.to_string() }),
            AttributeValue::B(b) => json!({ "B": BASE64.encode(b) }),
            AttributeValue::Bool(b) => json!({ "BOOL": b }),
            AttributeValue::Null => json!({ "NULL": true }),
            AttributeValue::M(m) => json!({ "M": item_to_json(m) }),
            AttributeValue::L(l) => json!({ "L": l.iter().map(AttributeValue::to_json).collect::<Vec<_>>() }),
            AttributeValue::Ss(s) => json!({ "SS": s }),
            AttributeValue::Ns(n) => json!({ "NS": n.iter().map(|n| n.to_string()).collect::<Vec<_>>() }),
            AttributeValue::Bs(b) => json!({ "BS": b.iter().map(|b| BASE64.encode(b)).collect::<Vec<_>>() }),
        }
    }

    /// The bytes DynamoDB counts for the value towards the 400 KB item limit.
    pub fn size(&self) -> usize {
        match self {
            AttributeValue::S(s) => s.len(),
            AttributeValue::N(n) => n.storage_size(),
            AttributeValue::B(b) => b.len(),
            AttributeValue::Bool(_) | AttributeValue::Null => 1,
            AttributeValue::M(m) => 3 + m.iter().map(|(k, v)| k.len() + v.size() + 1).sum::<usize>(),
            AttributeValue::L(l) => 3 + l.iter().map(|v| v.size() + 1).sum::<usize>(),
            AttributeValue::Ss(s) => s.iter().map(String::len).sum(),
            AttributeValue::Ns(n) => n.iter().map(Number::storage_size).sum(),
            AttributeValue::Bs(b) => b.iter().map(Vec::len).sum(),
        }
    }
}

/// The type names DynamoDB's attribute values use.
pub const TYPE_NAMES: [&str; 10] = ["S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"];

impl PartialEq for AttributeValue {
    /// DynamoDB's equality: sets are equal whatever their order.
    fn eq(&self, other: &Self) -> bool {
        use AttributeValue::*;
        match (self, other) {
            (S(a), S(b)) => a == b,
            (N(a), N(b)) => a == b,
            (B(a), B(b)) => a == b,
            (Bool(a), Bool(b)) => a == b,
            (Null, Null) => true,
            (M(a), M(b)) => a == b,
            (L(a), L(b)) => a == b,
            (Ss(a), Ss(b)) => same_set(a, b),
            (Ns(a), Ns(b)) => same_set(a, b),
            (Bs(a), Bs(b)) => same_set(a, b),
            _ => false,
        }
    }
}

fn same_set<T: Ord>(a: &[T], b: &[T]) -> bool {
    a.len() == b.len() && a.iter().collect::<BTreeSet<_>>() == b.iter().collect::<BTreeSet<_>>()
}

/// Parses an item (a map of attribute values).
pub fn item_from_json(json: &Value) -> Result<Item, DynamoError> {
    let object = json.as_object().ok_or_else(|| serialization("an item must be an object of attribute values"))?;
    object.iter().map(|(name, value)| Ok((name.clone(), AttributeValue::from_json(value)?))).collect()
}

/// An item's JSON form.
pub fn item_to_json(item: &Item) -> Value {
    Value::Object(item.iter().map(|(k, v)| (k.clone(), v.to_json())).collect::<Map<_, _>>())
}

/// The bytes DynamoDB counts for a whole item.
pub fn item_size(item: &Item) -> usize {
    item.iter().map(|(name, value)| name.len() + value.size()).sum()
}

fn serialization(message: &str) -> DynamoError {
    DynamoError::new("SerializationException", message)
}

fn string(json: &Value) -> Result<String, DynamoError> {
    json.as_str().map(str::to_string).ok_or_else(|| serialization("expected a string in an attribute value"))
}

fn binary(json: &Value) -> Result<Vec<u8>, DynamoError> {
    let text = json.as_str().ok_or_else(|| serialization("B takes a base64 string"))?;
    BASE64.decode(text).map_err(|_| serialization("B and BS members must be base64"))
}

fn members<'a>(json: &'a Value, kind: &str) -> Result<&'a Vec<Value>, DynamoError> {
    json.as_array().ok_or_else(|| serialization(&format!("a {kind} set takes an array")))
}

/// Sets may be neither empty nor hold a member twice.
fn check_set<T: Ord>(members: &[T], kind: &str, show: impl Fn(&T) -> String) -> Result<(), DynamoError> {
    if members.is_empty() {
        return Err(DynamoError::validation(format!(
            "One or more parameter values were invalid: An {kind} set  may not be empty"
        )));
    }
    let mut seen = BTreeSet::new();
    if members.iter().any(|m| !seen.insert(m)) {
        let shown: Vec<String> = members.iter().map(show).collect();
        return Err(DynamoError::validation(format!(
            "One or more parameter values were invalid: Input collection [{}] contains duplicates.",
            shown.join(", ")
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: Value) -> Result<AttributeValue, DynamoError> {
        AttributeValue::from_json(&json)
    }

    #[test]
    fn round_trips_every_type() {
        let item = json!({
            "s": {"S": "text"}, "n": {"N": "1.50"}, "b": {"B": "AAEC"}, "t": {"BOOL": true},
            "z": {"NULL": true}, "m": {"M": {"x": {"S": ""}}}, "l": {"L": [{"N": "1"}, {"S": "a"}]},
            "ss": {"SS": ["a", "b"]}, "ns": {"NS": ["1", "2e1"]}, "bs": {"BS": ["AA=="]},
        });
        let parsed = item_from_json(&item).unwrap();
        let back = item_to_json(&parsed);
        assert_eq!(back["n"], json!({"N": "1.5"}));
        assert_eq!(back["ns"], json!({"NS": ["1", "20"]}));
        assert_eq!(back["b"], json!({"B": "AAEC"}));
        assert_eq!(item_from_json(&back).unwrap(), parsed);
    }

    #[test]
    fn rejects_empty_sets_duplicates_and_bad_shapes() {
        let err = parse(json!({"SS": []})).unwrap_err();
        assert!(err.message.contains("string set  may not be empty"), "{err}");
        let err = parse(json!({"NS": ["1", "1.0"]})).unwrap_err();
        assert!(err.message.contains("contains duplicates"), "{err}");
        assert!(parse(json!({})).unwrap_err().message.contains("is empty"));
        assert!(parse(json!({"S": "a", "N": "1"})).unwrap_err().message.contains("more than one"));
        assert_eq!(parse(json!({"NULL": false})).unwrap_err().kind, "ValidationException");
        assert_eq!(parse(json!({"S": 1})).unwrap_err().kind, "SerializationException");
        assert_eq!(parse(json!({"B": "not base64!"})).unwrap_err().kind, "SerializationException");
    }

    #[test]
    fn sets_compare_without_order() {
        assert_eq!(parse(json!({"SS": ["a", "b"]})).unwrap(), parse(json!({"SS": ["b", "a"]})).unwrap());
        assert_ne!(parse(json!({"SS": ["a"]})).unwrap(), parse(json!({"S": "a"})).unwrap());
        assert_ne!(
            parse(json!({"L": [{"S": "a"}, {"S": "b"}]})).unwrap(),
            parse(json!({"L": [{"S": "b"}, {"S": "a"}]})).unwrap()
        );
    }

    #[test]
    fn counts_sizes_as_dynamodb_documents() {
        let item = item_from_json(&json!({"id": {"S": "abc"}, "n": {"N": "12345"}, "m": {"M": {"k": {"BOOL": true}}}}))
            .unwrap();
        // id: 2 + 3; n: 1 + (3 + 1); m: 1 + 3 + (1 + 1 + 1)
        assert_eq!(item_size(&item), 5 + 5 + 7);
    }
}
