//! Applies an update expression's actions to an item. Every right-hand side
//! is read from the item as it was before the update; then SET, REMOVE, ADD
//! and DELETE change it.

use std::cmp::Reverse;

use super::ast::{Path, SetOperand, SetValue, Step, UpdateAction};
use super::eval::resolve;
use crate::dynamodb::error::DynamoError;
use crate::dynamodb::value::{AttributeValue, Item};

fn invalid_path() -> DynamoError {
    DynamoError::validation("The document path provided in the update expression is invalid for update")
}

fn wrong_type() -> DynamoError {
    DynamoError::validation("An operand in the update expression has an incorrect data type")
}

fn missing_attribute() -> DynamoError {
    DynamoError::validation("The provided expression refers to an attribute that does not exist in the item")
}

/// Applies `actions` to `item` in place.
pub fn apply(actions: &[UpdateAction], item: &mut Item) -> Result<(), DynamoError> {
    let before = item.clone();
    let mut sets = Vec::new();
    for action in actions {
        if let UpdateAction::Set(path, value) = action {
            sets.push((path, set_value(value, &before)?));
        }
    }
    for (path, value) in sets {
        put(item, path, value)?;
    }
    let mut removals: Vec<&Path> =
        actions.iter().filter_map(|a| if let UpdateAction::Remove(p) = a { Some(p) } else { None }).collect();
    // Later list positions first, so each index means what it meant before the update.
    removals.sort_by_key(|p| Reverse((*p).clone()));
    for path in removals {
        remove(item, path)?;
    }
    for action in actions {
        match action {
            UpdateAction::Add(path, value) => {
                let updated = match (resolve(item, path), value) {
                    (None, value) => value.clone(),
                    (Some(AttributeValue::N(old)), AttributeValue::N(add)) => AttributeValue::N(old.add(add)?),
                    (Some(AttributeValue::Ss(old)), AttributeValue::Ss(add)) => AttributeValue::Ss(union(old, add)),
                    (Some(AttributeValue::Ns(old)), AttributeValue::Ns(add)) => AttributeValue::Ns(union(old, add)),
                    (Some(AttributeValue::Bs(old)), AttributeValue::Bs(add)) => AttributeValue::Bs(union(old, add)),
                    _ => return Err(wrong_type()),
                };
                put(item, path, updated)?;
            }
            UpdateAction::Delete(path, value) => {
                let updated = match (resolve(item, path), value) {
                    (None, _) => continue,
                    (Some(AttributeValue::Ss(old)), AttributeValue::Ss(drop)) => {
                        difference(old, drop).map(AttributeValue::Ss)
                    }
                    (Some(AttributeValue::Ns(old)), AttributeValue::Ns(drop)) => {
                        difference(old, drop).map(AttributeValue::Ns)
                    }
                    (Some(AttributeValue::Bs(old)), AttributeValue::Bs(drop)) => {
                        difference(old, drop).map(AttributeValue::Bs)
                    }
                    _ => return Err(wrong_type()),
                };
                match updated {
                    Some(value) => put(item, path, value)?,
                    None => remove(item, path)?,
                }
            }
            _ => {}
        }
    }
    Ok(())
}

fn union<T: Clone + PartialEq>(old: &[T], add: &[T]) -> Vec<T> {
    let mut out = old.to_vec();
    out.extend(add.iter().filter(|m| !old.contains(m)).cloned());
    out
}

/// What is left of a set once `drop` is taken out; `None` when nothing is (sets cannot be empty).
fn difference<T: Clone + PartialEq>(old: &[T], drop: &[T]) -> Option<Vec<T>> {
    let kept: Vec<T> = old.iter().filter(|m| !drop.contains(m)).cloned().collect();
    (!kept.is_empty()).then_some(kept)
}

fn set_value(value: &SetValue, item: &Item) -> Result<AttributeValue, DynamoError> {
    let arithmetic = |a: &SetOperand, b: &SetOperand, plus: bool| -> Result<AttributeValue, DynamoError> {
        match (operand(a, item)?, operand(b, item)?) {
            (AttributeValue::N(a), AttributeValue::N(b)) => {
                Ok(AttributeValue::N(if plus { a.add(&b)? } else { a.sub(&b)? }))
            }
            _ => Err(wrong_type()),
        }
    };
    match value {
        SetValue::Operand(o) => operand(o, item),
        SetValue::Plus(a, b) => arithmetic(a, b, true),
        SetValue::Minus(a, b) => arithmetic(a, b, false),
    }
}

fn operand(operand: &SetOperand, item: &Item) -> Result<AttributeValue, DynamoError> {
    match operand {
        SetOperand::Value(v) => Ok(v.clone()),
        SetOperand::Path(path) => resolve(item, path).cloned().ok_or_else(missing_attribute),
        SetOperand::IfNotExists(path, fallback) => match resolve(item, path) {
            Some(v) => Ok(v.clone()),
            None => self::operand(fallback, item),
        },
        SetOperand::ListAppend(a, b) => match (self::operand(a, item)?, self::operand(b, item)?) {
            (AttributeValue::L(mut a), AttributeValue::L(b)) => {
                a.extend(b);
                Ok(AttributeValue::L(a))
            }
            _ => Err(wrong_type()),
        },
    }
}

/// The container the last step of `path` lives in.
fn parent_mut<'a>(item: &'a mut Item, path: &Path) -> Result<Container<'a>, DynamoError> {
    let (first, rest) = path.0.split_first().expect("paths are never empty");
    let Step::Name(first) = first else { return Err(invalid_path()) };
    if rest.is_empty() {
        return Ok(Container::Item(item));
    }
    let mut current = item.get_mut(first).ok_or_else(invalid_path)?;
    for step in &rest[..rest.len() - 1] {
        current = match (step, current) {
            (Step::Name(name), AttributeValue::M(map)) => map.get_mut(name).ok_or_else(invalid_path)?,
            (Step::Index(i), AttributeValue::L(list)) => list.get_mut(*i).ok_or_else(invalid_path)?,
            _ => return Err(invalid_path()),
        };
    }
    Ok(Container::Value(current))
}

enum Container<'a> {
    Item(&'a mut Item),
    Value(&'a mut AttributeValue),
}

/// Sets `path` to `value`; an index past a list's end appends.
fn put(item: &mut Item, path: &Path, value: AttributeValue) -> Result<(), DynamoError> {
    let last = path.0.last().expect("paths are never empty");
    match (parent_mut(item, path)?, last) {
        (Container::Item(item), Step::Name(name)) => {
            item.insert(name.clone(), value);
        }
        (Container::Value(AttributeValue::M(map)), Step::Name(name)) => {
            map.insert(name.clone(), value);
        }
        (Container::Value(AttributeValue::L(list)), Step::Index(i)) => {
            if *i < list.len() {
                list[*i] = value;
            } else {
                list.push(value);
            }
        }
        _ => return Err(invalid_path()),
    }
    Ok(())
}

/// Removes `path`; removing what is not there changes nothing.
fn remove(item: &mut Item, path: &Path) -> Result<(), DynamoError> {
    let last = path.0.last().expect("paths are never empty");
    match (parent_mut(item, path)?, last) {
        (Container::Item(item), Step::Name(name)) => {
            item.remove(name);
        }
        (Container::Value(AttributeValue::M(map)), Step::Name(name)) => {
            map.remove(name);
        }
        (Container::Value(AttributeValue::L(list)), Step::Index(i)) => {
            if *i < list.len() {
                list.remove(*i);
            }
        }
        _ => return Err(invalid_path()),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dynamodb::expr::names::Substitutions;
    use crate::dynamodb::expr::parser::parse_update;
    use crate::dynamodb::value::{item_from_json, item_to_json};
    use serde_json::{json, Value};

    fn run(start: Value, expression: &str) -> Result<Value, String> {
        let mut subs = Substitutions::from_request(&json!({"ExpressionAttributeValues": {
            ":1": {"N": "1"}, ":half": {"N": "0.5"}, ":s": {"S": "v"}, ":l": {"L": [{"N": "9"}]},
            ":ab": {"SS": ["a", "b"]}, ":bc": {"SS": ["b", "c"]}, ":n": {"NS": ["1"]}
        }}))
        .unwrap();
        let actions = parse_update(expression, &mut subs).map_err(|e| e.message)?;
        let mut item = item_from_json(&start).unwrap();
        apply(&actions, &mut item).map_err(|e| e.message)?;
        Ok(item_to_json(&item))
    }

    #[test]
    fn set_reads_the_item_as_it_was() {
        let out = run(json!({"a": {"N": "1"}}), "SET a = a + :half, b = a").unwrap();
        assert_eq!(out, json!({"a": {"N": "1.5"}, "b": {"N": "1"}}));
        let out = run(json!({}), "SET c = if_not_exists(c, :1), d = list_append(:l, :l)").unwrap();
        assert_eq!(out, json!({"c": {"N": "1"}, "d": {"L": [{"N": "9"}, {"N": "9"}]}}));
    }

    #[test]
    fn set_into_nested_documents_and_lists() {
        let start = json!({"m": {"M": {"x": {"N": "1"}}}, "l": {"L": [{"N": "0"}]}});
        let out = run(start.clone(), "SET m.y = :s, l[0] = :s, l[7] = :1").unwrap();
        assert_eq!(out["m"], json!({"M": {"x": {"N": "1"}, "y": {"S": "v"}}}));
        assert_eq!(out["l"], json!({"L": [{"S": "v"}, {"N": "1"}]}));
        assert!(run(start.clone(), "SET nope.y = :s")
            .unwrap_err()
            .contains("document path provided in the update expression is invalid"));
        assert!(run(start, "SET m[0] = :s").unwrap_err().contains("invalid for update"));
    }

    #[test]
    fn remove_uses_the_original_list_positions() {
        let start = json!({"l": {"L": [{"N": "0"}, {"N": "1"}, {"N": "2"}, {"N": "3"}]}, "x": {"S": "x"}});
        let out = run(start, "REMOVE l[0], l[2], x, absent").unwrap();
        assert_eq!(out, json!({"l": {"L": [{"N": "1"}, {"N": "3"}]}}));
    }

    #[test]
    fn add_and_delete_work_on_numbers_and_sets() {
        let out = run(json!({"n": {"N": "2"}, "s": {"SS": ["a", "b"]}}), "ADD n :1, s :bc, fresh :n").unwrap();
        assert_eq!(out, json!({"n": {"N": "3"}, "s": {"SS": ["a", "b", "c"]}, "fresh": {"NS": ["1"]}}));
        let out = run(json!({"s": {"SS": ["a", "b"]}, "t": {"SS": ["b", "z"]}}), "DELETE s :ab").unwrap();
        assert_eq!(out, json!({"t": {"SS": ["b", "z"]}}), "a set emptied by DELETE is removed");
        assert!(run(json!({"s": {"S": "x"}}), "ADD s :1").unwrap_err().contains("incorrect data type"));
        assert!(run(json!({"s": {"NS": ["1"]}}), "DELETE s :ab").unwrap_err().contains("incorrect data type"));
    }

    #[test]
    fn runtime_type_errors() {
        assert!(run(json!({"a": {"S": "x"}}), "SET a = a + :1").unwrap_err().contains("incorrect data type"));
        assert!(run(json!({}), "SET a = b").unwrap_err().contains("refers to an attribute that does not exist"));
        assert!(run(json!({"a": {"S": "x"}}), "SET b = list_append(a, :l)")
            .unwrap_err()
            .contains("incorrect data type"));
    }
}
