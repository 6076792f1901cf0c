//! Running one step on both sides and putting the answers in a comparable form.

use local::dynamodb::number::Number;
use local::dynamodb::Store;
use serde_json::{json, Map, Value};

use super::corpus::{Compare, Step};
use super::moto::Moto;

/// One side's answer: the response, or an error's code and details.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    Ok(Value),
    Err { kind: String, detail: Value },
}

impl Answer {
    pub fn is_err(&self) -> bool {
        matches!(self, Answer::Err { .. })
    }
}

/// The store's answer.
pub fn ours(store: &Store, operation: &str, request: &Value) -> Answer {
    match store.execute(operation, request) {
        Ok(response) => Answer::Ok(response),
        Err(error) => {
            let mut detail = json!({});
            if let Some(item) = error.item {
                detail["Item"] = item;
            }
            if let Some(reasons) = error.cancellation_reasons {
                detail["CancellationReasons"] = reasons;
            }
            detail["message"] = json!(error.message);
            Answer::Err { kind: error.kind, detail }
        }
    }
}

/// moto's answer.
pub fn theirs(moto: &Moto, operation: &str, request: &Value) -> Answer {
    match moto.call(operation, request) {
        Ok(response) => Answer::Ok(response),
        Err(error) => Answer::Err { kind: error.kind, detail: error.body },
    }
}

/// Runs a step on one side, following pages when the step asks for it.
pub fn run(step: &Step, call: &dyn Fn(&Value) -> Answer) -> Answer {
    let Compare::Pages { .. } = step.compare else { return call(&step.request) };
    let (mut items, mut count, mut scanned, mut any_items) = (Vec::new(), 0, 0, false);
    let mut request = step.request.clone();
    for _ in 0..200 {
        match call(&request) {
            Answer::Err { kind, detail } => return Answer::Err { kind, detail },
            Answer::Ok(page) => {
                if let Some(page_items) = page["Items"].as_array() {
                    any_items = true;
                    items.extend(page_items.iter().cloned());
                }
                count += page["Count"].as_u64().unwrap_or(0);
                scanned += page["ScannedCount"].as_u64().unwrap_or(0);
                match page.get("LastEvaluatedKey") {
                    Some(key) => request["ExclusiveStartKey"] = key.clone(),
                    None => break,
                }
            }
        }
    }
    let mut all = json!({ "Count": count, "ScannedCount": scanned });
    if any_items {
        all["Items"] = Value::Array(items);
    }
    Answer::Ok(all)
}

/// Numbers in DynamoDB's normal form and sets in sorted order, everywhere.
pub fn canonical(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            if map.len() == 1 {
                let (kind, body) = map.iter().next().expect("one entry");
                match (kind.as_str(), body) {
                    ("N", Value::String(text)) => return json!({ "N": normal_number(text) }),
                    ("NS", Value::Array(members)) => {
                        let mut members: Vec<String> =
                            members.iter().map(|m| normal_number(m.as_str().unwrap_or(""))).collect();
                        members.sort();
                        return json!({ "NS": members });
                    }
                    ("SS" | "BS", Value::Array(members)) => {
                        let mut members = members.clone();
                        members.sort_by_key(|m| m.to_string());
                        return json!({ kind: members });
                    }
                    _ => {}
                }
            }
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_by_key(|(k, _)| k.as_str());
            Value::Object(entries.into_iter().map(|(k, v)| (k.clone(), canonical(v))).collect::<Map<_, _>>())
        }
        Value::Array(items) => Value::Array(items.iter().map(canonical).collect()),
        other => other.clone(),
    }
}

fn normal_number(text: &str) -> String {
    Number::parse(text).map(|n| n.to_string()).unwrap_or_else(|_| text.to_string())
}

fn sorted(list: &Value) -> Value {
    let mut items = list.as_array().cloned().unwrap_or_default();
    items.sort_by_key(|i| i.to_string());
    Value::Array(items)
}

/// The parts of an answer both sides must agree on.
pub fn view(step: &Step, answer: &Answer) -> Value {
    match answer {
        Answer::Err { kind, detail } => {
            let mut out = json!({ "error": kind });
            if kind == "ConditionalCheckFailedException" {
                if let Some(item) = detail.get("Item") {
                    out["Item"] = canonical(item);
                }
            }
            if let Some(reasons) = detail.get("CancellationReasons").and_then(Value::as_array) {
                let reasons: Vec<Value> = reasons
                    .iter()
                    .map(|r| {
                        let mut reason = json!({ "Code": r["Code"] });
                        if let Some(item) = r.get("Item") {
                            reason["Item"] = canonical(item);
                        }
                        reason
                    })
                    .collect();
                out["CancellationReasons"] = Value::Array(reasons);
            }
            out
        }
        Answer::Ok(response) => {
            let mut out = Map::new();
            for field in ["Item", "Attributes", "Count", "ScannedCount", "Items", "LastEvaluatedKey", "Responses"] {
                if let Some(value) = response.get(field) {
                    out.insert(field.to_string(), canonical(value));
                }
            }
            for field in ["UnprocessedItems", "UnprocessedKeys"] {
                if let Some(value) = response.get(field).filter(|v| v.as_object().is_some_and(|m| !m.is_empty())) {
                    out.insert(field.to_string(), value.clone());
                }
            }
            let unordered = matches!(step.compare, Compare::Unordered | Compare::Pages { unordered: true });
            if unordered {
                if let Some(items) = out.get("Items") {
                    let items = sorted(items);
                    out.insert("Items".into(), items);
                }
                if step.operation == "BatchGetItem" {
                    if let Some(Value::Object(tables)) = out.get_mut("Responses") {
                        for list in tables.values_mut() {
                            *list = sorted(list);
                        }
                    }
                }
            }
            Value::Object(out)
        }
    }
}
