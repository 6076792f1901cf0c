//! KeyConditionExpression: parsed with the condition grammar, then held to
//! DynamoDB's restrictions (an equality on the partition key, at most one
//! range condition on the sort key) and turned into a range of sort keys.

use std::cmp::Ordering;

use super::ast::{Comparator, Condition, Operand, Path};
use super::eval::compare_scalars;
use super::names::Substitutions;
use super::parser::{parse_condition, ExpressionKind};
use crate::dynamodb::error::DynamoError;
use crate::dynamodb::table::KeySchema;
use crate::dynamodb::value::AttributeValue;

/// The condition a query puts on the sort key.
#[derive(Debug, Clone, PartialEq)]
pub enum SortCondition {
    Compare(Comparator, AttributeValue),
    Between(AttributeValue, AttributeValue),
    BeginsWith(AttributeValue),
}

impl SortCondition {
    /// Whether a sort key value satisfies the condition.
    pub fn matches(&self, value: &AttributeValue) -> bool {
        let order = |other: &AttributeValue| compare_scalars(value, other);
        match self {
            SortCondition::Compare(comparator, bound) => match (comparator, order(bound)) {
                (_, None) => false,
                (Comparator::Eq, Some(o)) => o == Ordering::Equal,
                (Comparator::Lt, Some(o)) => o == Ordering::Less,
                (Comparator::Le, Some(o)) => o != Ordering::Greater,
                (Comparator::Gt, Some(o)) => o == Ordering::Greater,
                (Comparator::Ge, Some(o)) => o != Ordering::Less,
                (Comparator::Ne, Some(o)) => o != Ordering::Equal,
            },
            SortCondition::Between(low, high) => {
                order(low).is_some_and(|o| o != Ordering::Less) && order(high).is_some_and(|o| o != Ordering::Greater)
            }
            SortCondition::BeginsWith(prefix) => match (value, prefix) {
                (AttributeValue::S(v), AttributeValue::S(p)) => v.starts_with(p.as_str()),
                (AttributeValue::B(v), AttributeValue::B(p)) => v.starts_with(p),
                _ => false,
            },
        }
    }
}

/// A query's key condition: the partition to read and an optional sort condition.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyCondition {
    pub partition: AttributeValue,
    pub sort: Option<SortCondition>,
}

fn invalid(message: impl std::fmt::Display) -> DynamoError {
    ExpressionKind::KeyCondition.error(message)
}

fn type_mismatch() -> DynamoError {
    DynamoError::validation(
        "One or more parameter values were invalid: Condition parameter type does not match schema type",
    )
}

/// Parses and checks a KeyConditionExpression against the key schema queried.
pub fn parse_key_condition(
    source: &str,
    schema: &KeySchema,
    subs: &mut Substitutions,
) -> Result<KeyCondition, DynamoError> {
    let condition = parse_condition(source, ExpressionKind::KeyCondition, subs)?;
    let mut parts = Vec::new();
    flatten(condition, &mut parts)?;
    if parts.len() > 2 {
        return Err(DynamoError::validation("KeyConditionExpressions must only contain one condition per key"));
    }
    let mut partition = None;
    let mut sort = None;
    for part in parts {
        let (path, condition) = part;
        if path.0.len() > 1 {
            return Err(invalid(format!(
                "Key conditions must reference top-level key attributes; path: {}",
                path.listed()
            )));
        }
        let name = path.root();
        if name == schema.partition.name {
            if partition.is_some() {
                return Err(DynamoError::validation("KeyConditionExpressions must only contain one condition per key"));
            }
            let SortCondition::Compare(Comparator::Eq, value) = condition else {
                return Err(DynamoError::validation("Query key condition not supported"));
            };
            if !schema.partition.kind.matches(&value) {
                return Err(type_mismatch());
            }
            partition = Some(value);
        } else if let Some(sort_key) = schema.sort.as_ref().filter(|s| s.name == name) {
            if sort.is_some() {
                return Err(DynamoError::validation("KeyConditionExpressions must only contain one condition per key"));
            }
            let values: Vec<&AttributeValue> = match &condition {
                SortCondition::Compare(_, v) | SortCondition::BeginsWith(v) => vec![v],
                SortCondition::Between(l, h) => vec![l, h],
            };
            if values.iter().any(|v| !sort_key.kind.matches(v)) {
                return Err(type_mismatch());
            }
            if matches!(condition, SortCondition::BeginsWith(_)) && sort_key.kind.name() == "N" {
                return Err(invalid("Incorrect operand type for operator or function; operator or function: begins_with, operand type: N"));
            }
            sort = Some(condition);
        } else {
            return Err(DynamoError::validation(format!(
                "Query condition missed key schema element: {}",
                schema.sort.as_ref().filter(|_| partition.is_some()).map_or(&schema.partition.name, |s| &s.name)
            )));
        }
    }
    let partition = partition.ok_or_else(|| {
        DynamoError::validation(format!("Query condition missed key schema element: {}", schema.partition.name))
    })?;
    Ok(KeyCondition { partition, sort })
}

/// Splits a top-level AND into single-key conditions, rejecting what key conditions may not use.
fn flatten(condition: Condition, out: &mut Vec<(Path, SortCondition)>) -> Result<(), DynamoError> {
    let unsupported = |operator: &str| invalid(format!("Invalid operator used in KeyConditionExpression: {operator}"));
    match condition {
        Condition::And(a, b) => {
            flatten(*a, out)?;
            flatten(*b, out)
        }
        Condition::Or(..) => Err(unsupported("OR")),
        Condition::Not(..) => Err(unsupported("NOT")),
        Condition::In(..) => Err(unsupported("IN")),
        Condition::AttributeExists(_) => Err(unsupported("attribute_exists")),
        Condition::AttributeNotExists(_) => Err(unsupported("attribute_not_exists")),
        Condition::AttributeType(..) => Err(unsupported("attribute_type")),
        Condition::Contains(..) => Err(unsupported("contains")),
        Condition::Compare(_, Comparator::Ne, _) => Err(unsupported("<>")),
        Condition::Compare(Operand::Path(path), comparator, Operand::Value(value)) => {
            out.push((path, SortCondition::Compare(comparator, value)));
            Ok(())
        }
        Condition::Compare(Operand::Value(value), comparator, Operand::Path(path)) => {
            let flipped = match comparator {
                Comparator::Lt => Comparator::Gt,
                Comparator::Le => Comparator::Ge,
                Comparator::Gt => Comparator::Lt,
                Comparator::Ge => Comparator::Le,
                other => other,
            };
            out.push((path, SortCondition::Compare(flipped, value)));
            Ok(())
        }
        Condition::Between(Operand::Path(path), Operand::Value(low), Operand::Value(high)) => {
            out.push((path, SortCondition::Between(low, high)));
            Ok(())
        }
        Condition::BeginsWith(Operand::Path(path), Operand::Value(prefix)) => {
            out.push((path, SortCondition::BeginsWith(prefix)));
            Ok(())
        }
        _ => Err(invalid("Key condition operands must be a key attribute and expression attribute values")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dynamodb::number::Number;
    use crate::dynamodb::table::{KeyAttribute, ScalarType};
    use serde_json::json;

    fn schema() -> KeySchema {
        KeySchema {
            partition: KeyAttribute { name: "pk".into(), kind: ScalarType::S },
            sort: Some(KeyAttribute { name: "sk".into(), kind: ScalarType::N }),
        }
    }

    fn parse(source: &str) -> Result<KeyCondition, String> {
        let mut subs = Substitutions::from_request(&json!({"ExpressionAttributeValues": {
            ":p": {"S": "a"}, ":1": {"N": "1"}, ":2": {"N": "2"}, ":s": {"S": "x"}
        }}))
        .unwrap();
        parse_key_condition(source, &schema(), &mut subs).map_err(|e| e.message)
    }

    #[test]
    fn accepts_the_supported_forms() {
        let parsed = parse("pk = :p AND sk BETWEEN :1 AND :2").unwrap();
        assert_eq!(parsed.partition, AttributeValue::S("a".into()));
        let sort = parsed.sort.unwrap();
        assert!(sort.matches(&AttributeValue::N(Number::parse("1.5").unwrap())));
        assert!(!sort.matches(&AttributeValue::N(Number::parse("3").unwrap())));
        let parsed = parse(":1 < sk AND pk = :p").unwrap();
        assert_eq!(
            parsed.sort,
            Some(SortCondition::Compare(Comparator::Gt, AttributeValue::N(Number::parse("1").unwrap())))
        );
        assert!(parse("(pk = :p)").unwrap().sort.is_none());
    }

    #[test]
    fn rejects_what_dynamodb_rejects() {
        assert!(parse("pk = :p OR sk = :1")
            .unwrap_err()
            .contains("Invalid operator used in KeyConditionExpression: OR"));
        assert!(parse("sk = :1").unwrap_err().contains("Query condition missed key schema element: pk"));
        assert!(parse("pk < :p").unwrap_err().contains("Query key condition not supported"));
        assert!(parse("pk = :p AND sk = :s")
            .unwrap_err()
            .contains("Condition parameter type does not match schema type"));
        assert!(parse("pk = :p AND sk > :1 AND sk < :2").unwrap_err().contains("one condition per key"));
        assert!(parse("pk = :p AND begins_with(sk, :s)").is_err());
        assert!(parse("pk = :p AND extra = :1").unwrap_err().contains("missed key schema element: sk"));
    }
}
