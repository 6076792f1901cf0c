//! The store against moto's DynamoDB on a generated corpus of requests:
//! every answer (response or error code) must agree, except where moto is
//! known to depart from DynamoDB; those cases are listed in `deviation` with
//! what DynamoDB does, and the store follows DynamoDB.
//!
//! Needs MOTO_SERVER (scripts/install-tools writes it to .tools/env).

mod compare;
mod corpus;
mod moto;

use compare::{ours, run, theirs, view, Answer};
use corpus::Step;
use local::dynamodb::{Store, TableDefinition};
use serde_json::{json, Value};

/// Each seed is one case: fresh tables, then this many requests.
const SEEDS: [u64; 10] = [1, 2, 3, 5, 8, 13, 21, 34, 55, 89];
const STEPS: usize = 70;

fn kind(answer: &Answer) -> Option<&str> {
    match answer {
        Answer::Err { kind, .. } => Some(kind),
        Answer::Ok(_) => None,
    }
}

/// The cancellation reason codes DynamoDB uses; moto sometimes leaks a
/// Python exception name instead.
const REASON_CODES: [&str; 7] = [
    "None",
    "ConditionalCheckFailed",
    "ItemCollectionSizeLimitExceeded",
    "TransactionConflict",
    "ProvisionedThroughputExceeded",
    "ThrottlingError",
    "ValidationError",
];

/// Whether moto failed inside (a server error, or a Python exception passed
/// off as a cancellation reason): then there is no verdict on the request.
fn moto_failed(moto: &Answer) -> bool {
    match moto {
        Answer::Err { kind, detail } => {
            kind.starts_with("moto failed internally")
                || detail["CancellationReasons"].as_array().is_some_and(|reasons| {
                    reasons.iter().any(|r| !REASON_CODES.contains(&r["Code"].as_str().unwrap_or("")))
                })
        }
        Answer::Ok(_) => false,
    }
}

/// Where moto answers differently from DynamoDB, the reason; `None` when the
/// two answers must be equal. Each case names what DynamoDB does (its
/// developer guide and API reference are the judge); the store does that.
fn deviation(step: &Step, ours: &Answer, moto: &Answer) -> Option<&'static str> {
    let our_message = match ours {
        Answer::Err { detail, .. } => detail["message"].as_str().unwrap_or(""),
        Answer::Ok(_) => "",
    };
    match (step.label, kind(ours), kind(moto)) {
        ("39 digits", Some("ValidationException"), None) => {
            Some("moto stores numbers of more than 38 significant digits; DynamoDB refuses them (ValidationException)")
        }
        ("unknown index", Some("ValidationException"), Some("ResourceNotFoundException")) => Some(
            "moto answers an unknown IndexName with ResourceNotFoundException; DynamoDB with ValidationException \"The table does not have the specified index\"",
        ),
        ("ordering a BOOL", Some("ValidationException"), _) => Some(
            "moto evaluates <, <=, >, >= on a BOOL literal; DynamoDB refuses it (\"Incorrect operand type for operator or function\")",
        ),
        ("overlapping projection", Some("ValidationException"), None) => {
            Some("moto accepts overlapping ProjectionExpression paths; DynamoDB refuses them (\"Two document paths overlap\")")
        }
        ("filter on a key attribute", Some("ValidationException"), None) => Some(
            "moto accepts a Query FilterExpression on a key attribute; DynamoDB refuses it (\"Filter Expression can only contain non-primary key attributes\")",
        ),
        ("index key of the wrong type", Some("ValidationException"), None) => Some(
            "moto stores an item whose secondary index key has the wrong type; DynamoDB refuses it (\"Type mismatch for Index Key\")",
        ),
        ("key type mismatch", Some("ValidationException"), None) => Some(
            "moto answers GetItem with a key of the wrong type as if nothing were found; DynamoDB refuses it (\"The provided key element does not match the schema\")",
        ),
        (_, Some("TransactionCanceledException"), Some("ValidationException"))
            if our_message.contains("ValidationError") && step.operation == "TransactWriteItems" =>
        {
            Some("moto answers an update that fails on the stored item inside a transaction with ValidationException; DynamoDB cancels the transaction with a ValidationError reason")
        }
        ("extra attribute in Key", Some("ValidationException"), None) => Some(
            "moto accepts a Key with attributes besides the key; DynamoDB refuses it (\"The provided key element does not match the schema\")",
        ),
        ("duplicate in set", Some("ValidationException"), None) => {
            Some("moto stores a string set holding a member twice; DynamoDB refuses it (\"Input collection ... contains duplicates\")")
        }
        (_, None, Some("ValidationException"))
            if step.request.to_string().contains("size(")
                && moto_message(moto).is_some_and(|m| m.contains("Invalid attribute name")) =>
        {
            Some("moto refuses a size() of a missing attribute in a FilterExpression; DynamoDB evaluates the comparison as false")
        }
        (_, None, None) if step.operation == "UpdateItem" && step.request["ReturnValues"] == "UPDATED_NEW" => {
            let (Answer::Ok(ours), Answer::Ok(theirs)) = (ours, moto) else { return None };
            let mut theirs = theirs.get("Attributes").cloned().unwrap_or(json!({}));
            if let Some(attributes) = theirs.as_object_mut() {
                attributes.remove("pk");
                attributes.remove("sk");
            }
            let mut ours = ours.get("Attributes").cloned().unwrap_or(json!({}));
            if compare::canonical(&ours) == compare::canonical(&theirs) {
                return Some("moto adds the key attributes to UPDATED_NEW; DynamoDB returns only the attributes the update changed");
            }
            // moto also leaves out what a DELETE clause changed.
            let deleted = delete_targets(&step.request);
            if let Some(attributes) = ours.as_object_mut() {
                attributes.retain(|name, _| !deleted.contains(name));
            }
            (!deleted.is_empty() && compare::canonical(&ours) == compare::canonical(&theirs))
                .then_some("moto leaves attributes changed by DELETE out of UPDATED_NEW; DynamoDB returns every attribute the update changed")
        }
        _ => None,
    }
}

/// The first table whose whole contents differ between the two sides.
fn differing_table(moto: &moto::Moto, store: &Store) -> Option<&'static str> {
    ["Items", "Users"].into_iter().find(|table| {
        let step = Step {
            operation: "Scan",
            request: json!({"TableName": table}),
            compare: corpus::Compare::Unordered,
            label: "state",
        };
        view(&step, &ours(store, "Scan", &step.request)) != view(&step, &theirs(moto, "Scan", &step.request))
    })
}

fn moto_message(moto: &Answer) -> Option<&str> {
    match moto {
        Answer::Err { detail, .. } => detail["message"].as_str(),
        Answer::Ok(_) => None,
    }
}

/// The attributes a request's `DELETE` clause names (aliases resolved).
fn delete_targets(request: &Value) -> Vec<String> {
    let expression = request["UpdateExpression"].as_str().unwrap_or("");
    let Some(at) = expression.find("DELETE ") else { return Vec::new() };
    let clause = &expression[at + 7..];
    let clause =
        ["SET ", "REMOVE ", "ADD "].iter().filter_map(|k| clause.find(k)).min().map_or(clause, |end| &clause[..end]);
    clause
        .split(',')
        .filter_map(|action| action.split_whitespace().next())
        .map(|path| {
            let root = path.split(['.', '[']).next().unwrap_or(path);
            request["ExpressionAttributeNames"][root].as_str().unwrap_or(root).to_string()
        })
        .collect()
}

/// The (table, key) pairs a write step touches.
fn touched_keys(step: &Step) -> Vec<(String, Value)> {
    let key_of = |table: &str, body: &Value| -> Option<(String, Value)> {
        if let Some(key) = body.get("Key") {
            return Some((table.to_string(), key.clone()));
        }
        let item = body.get("Item")?.as_object()?;
        let names: &[&str] = if table == "Users" { &["id"] } else { &["pk", "sk"] };
        let key: serde_json::Map<String, Value> =
            names.iter().filter_map(|n| Some((n.to_string(), item.get(*n)?.clone()))).collect();
        (key.len() == names.len()).then(|| (table.to_string(), Value::Object(key)))
    };
    let request = &step.request;
    match step.operation {
        "PutItem" | "UpdateItem" | "DeleteItem" => {
            request["TableName"].as_str().and_then(|t| key_of(t, request)).into_iter().collect()
        }
        "TransactWriteItems" => request["TransactItems"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|entry| entry.as_object()?.values().next().cloned())
            .filter_map(|body| key_of(body["TableName"].as_str()?, &body))
            .collect(),
        "BatchWriteItem" => request["RequestItems"]
            .as_object()
            .into_iter()
            .flatten()
            .flat_map(|(table, entries)| {
                entries.as_array().into_iter().flatten().filter_map(move |entry| {
                    let body = entry.get("PutRequest").or_else(|| entry.get("DeleteRequest"))?;
                    key_of(table, body)
                })
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Digits of a number, without sign, point, exponent or leading and trailing zeros.
fn significant_digits(text: &str) -> usize {
    let mantissa = text.split(['e', 'E']).next().unwrap_or("");
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    digits.trim_start_matches('0').trim_end_matches('0').len()
}

/// Whether every difference between two items is a number that moto
/// rounded to 28 significant digits where the store kept more.
fn only_rounding(ours: &Value, theirs: &Value) -> bool {
    match (ours, theirs) {
        (Value::Object(a), Value::Object(b)) => {
            if let (Some(Value::String(x)), Some(Value::String(y))) = (a.get("N"), b.get("N")) {
                return x == y || (significant_digits(x) > 28 && significant_digits(y) <= 28);
            }
            a.len() == b.len() && a.iter().all(|(k, v)| b.get(k).is_some_and(|w| only_rounding(v, w)))
        }
        (Value::Array(a), Value::Array(b)) => a.len() == b.len() && a.iter().zip(b).all(|(x, y)| only_rounding(x, y)),
        (a, b) => a == b,
    }
}

/// After a write, the items it touched must be the same on both sides.
/// Returns a known moto deviation that explains a difference, or an error
/// describing it.
fn check_touched(
    moto: &moto::Moto,
    store: &Store,
    step: &Step,
    both_failed: bool,
) -> Result<Option<&'static str>, String> {
    let mut reason = None;
    for (table, key) in touched_keys(step) {
        let request = json!({"TableName": table, "Key": key});
        let get =
            Step { operation: "GetItem", request: request.clone(), compare: corpus::Compare::Exact, label: "state" };
        let (ours, theirs) = (
            view(&get, &compare::ours(store, "GetItem", &request)),
            view(&get, &compare::theirs(moto, "GetItem", &request)),
        );
        if ours == theirs {
            continue;
        }
        let key_only = theirs["Item"].as_object().is_some_and(|item| item.keys().all(|k| key.get(k).is_some()));
        if both_failed && ours.get("Item").is_none() && key_only {
            reason = Some("moto leaves an item holding only the key behind when it refuses an UpdateItem of a missing item; DynamoDB writes nothing");
        } else if only_rounding(&ours, &theirs) {
            reason = Some("moto computes with 28 significant digits; DynamoDB keeps 38");
        } else {
            return Err(format!("after the step, {table} {key} is {ours} in the store but {theirs} in moto"));
        }
    }
    Ok(reason)
}

/// After a known deviation on a write, gives moto the store's version of the
/// items involved, so later requests compare from the same state.
fn resync(moto: &moto::Moto, store: &Store, step: &Step) {
    for (table, key) in touched_keys(step) {
        let ours =
            store.execute("GetItem", &json!({"TableName": table, "Key": key})).expect("the store reads its own item");
        let repaired = match ours.get("Item") {
            Some(item) => moto.call("PutItem", &json!({"TableName": table, "Item": item})),
            None => moto.call("DeleteItem", &json!({"TableName": table, "Key": key})),
        };
        repaired.unwrap_or_else(|e| panic!("moto takes the store's item back: {e:?}"));
    }
}

fn count(deviations: &mut Vec<(&'static str, usize)>, reason: &'static str) {
    match deviations.iter_mut().find(|(r, _)| *r == reason) {
        Some((_, count)) => *count += 1,
        None => deviations.push((reason, 1)),
    }
}

struct Mismatch {
    seed: u64,
    index: usize,
    step: Step,
    ours: Value,
    moto: Value,
}

#[test]
fn the_store_answers_like_moto_on_a_generated_corpus() {
    let moto = moto::Moto::start();
    let mut mismatches = Vec::new();
    let (mut compared, mut agreed_errors, mut agreed_successes) = (0, 0, 0);
    let mut deviations: Vec<(&'static str, usize)> = Vec::new();
    let mut diverged = Vec::new();
    for seed in SEEDS {
        moto.reset();
        let store = Store::in_memory().unwrap();
        for (name, properties) in corpus::tables() {
            let mut create = properties.clone();
            create["TableName"] = json!(name);
            moto.call("CreateTable", &create).unwrap_or_else(|e| panic!("moto creates {name}: {e:?}"));
            store.create_table(&TableDefinition::from_cloudformation(name, &properties).unwrap()).unwrap();
        }
        let mut last_request = String::new();
        for (index, step) in corpus::case(seed, STEPS).into_iter().enumerate() {
            if std::env::var_os("DYNAMO_TRACE").is_some() {
                if let Some(table) = differing_table(&moto, &store) {
                    println!(
                        "TRACE seed {seed}: {table} differs before step {index}; the step before: {}",
                        last_request
                    );
                    break;
                }
            }
            let our_answer = run(&step, &|request| ours(&store, step.operation, request));
            last_request = format!("{} {} -> store {:?}", step.operation, step.request, view(&step, &our_answer));
            let moto_answer = run(&step, &|request| theirs(&moto, step.operation, request));
            compared += 1;
            let (our_view, moto_view) = (view(&step, &our_answer), view(&step, &moto_answer));
            if our_view == moto_view {
                match check_touched(&moto, &store, &step, our_answer.is_err()) {
                    Ok(None) => {}
                    Ok(Some(reason)) => {
                        resync(&moto, &store, &step);
                        count(&mut deviations, reason);
                        continue;
                    }
                    Err(difference) => {
                        let (mut ours, mut theirs) = (our_view.clone(), moto_view.clone());
                        ours["state"] = json!(difference);
                        theirs["state"] = json!("see the store's line");
                        mismatches.push(Mismatch { seed, index, step, ours, moto: theirs });
                        resync(&moto, &store, &mismatches.last().expect("just pushed").step);
                        continue;
                    }
                }
                if our_answer.is_err() {
                    agreed_errors += 1;
                } else {
                    agreed_successes += 1;
                }
                continue;
            }
            let reason = if moto_failed(&moto_answer) {
                Some("moto failed internally (no verdict on this request)")
            } else {
                deviation(&step, &our_answer, &moto_answer)
            };
            if let Some(reason) = reason {
                resync(&moto, &store, &step);
                count(&mut deviations, reason);
                continue;
            }
            let detail = |answer: &Answer| match answer {
                Answer::Err { detail, .. } => detail.clone(),
                Answer::Ok(_) => Value::Null,
            };
            let mut ours = our_view;
            ours["detail"] = detail(&our_answer);
            let mut theirs = moto_view;
            theirs["detail"] = detail(&moto_answer);
            mismatches.push(Mismatch { seed, index, step, ours, moto: theirs });
        }
        if let Some(table) = differing_table(&moto, &store) {
            diverged.push(format!("seed {seed}: table {table} holds different items at the end of the case"));
        }
    }
    println!(
        "{compared} requests compared: {agreed_successes} successes and {agreed_errors} errors agree, {} known moto deviations, {} mismatches",
        deviations.iter().map(|d| d.1).sum::<usize>(),
        mismatches.len()
    );
    for (reason, count) in &deviations {
        println!("  moto deviation x{count}: {reason}");
    }
    for m in mismatches.iter().take(25) {
        println!(
            "\nMISMATCH seed {} step {} ({}): {} {}\n  store: {}\n  moto:  {}",
            m.seed, m.index, m.step.label, m.step.operation, m.step.request, m.ours, m.moto
        );
    }
    assert!(diverged.is_empty(), "the two sides' tables differ after the corpus: {diverged:?}");
    assert!(
        mismatches.is_empty(),
        "{} requests got different answers from the store and moto (listed above)",
        mismatches.len()
    );
    let no_verdict = deviations.iter().find(|d| d.0.starts_with("moto failed internally")).map_or(0, |d| d.1);
    assert!(no_verdict * 10 <= compared, "moto failed on {no_verdict} of {compared} requests: too few verdicts");
    assert!(compared >= 600, "the corpus is meant to hold several hundred requests");
    assert!(agreed_errors >= 60 && agreed_successes >= 300, "the corpus mixes valid and invalid requests");
}
