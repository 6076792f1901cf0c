//! A seeded generator of DynamoDB requests: puts, updates and deletes with
//! conditions, reads and queries on tables and indexes, batches,
//! transactions, and requests DynamoDB refuses. The same seed always gives
//! the same corpus.

use fastrand::Rng;
use local::dynamodb::expr::names::is_reserved;
use serde_json::{json, Map, Value};

/// How two answers to a step are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compare {
    /// Field by field, lists in order.
    Exact,
    /// `Items` compared as a multiset (scan order and index ties are unspecified).
    Unordered,
    /// Query/Scan followed page by page until no LastEvaluatedKey; the pages'
    /// items are compared together (in order unless `unordered`).
    Pages { unordered: bool },
}

/// One request of the corpus.
#[derive(Debug, Clone)]
pub struct Step {
    pub operation: &'static str,
    pub request: Value,
    pub compare: Compare,
    /// What the generator meant to exercise (for the report).
    pub label: &'static str,
}

/// The tables every case starts with, as CreateTable requests (whose shape
/// the CloudFormation properties share).
pub fn tables() -> Vec<(&'static str, Value)> {
    vec![
        (
            "Items",
            json!({
                "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
                "AttributeDefinitions": [
                    {"AttributeName": "pk", "AttributeType": "S"},
                    {"AttributeName": "sk", "AttributeType": "N"},
                    {"AttributeName": "status", "AttributeType": "S"},
                    {"AttributeName": "rank", "AttributeType": "N"},
                    {"AttributeName": "owner", "AttributeType": "S"},
                    {"AttributeName": "title", "AttributeType": "S"}
                ],
                "BillingMode": "PAY_PER_REQUEST",
                "GlobalSecondaryIndexes": [
                    {"IndexName": "byStatus",
                     "KeySchema": [{"AttributeName": "status", "KeyType": "HASH"}, {"AttributeName": "rank", "KeyType": "RANGE"}],
                     "Projection": {"ProjectionType": "ALL"}},
                    {"IndexName": "byOwner",
                     "KeySchema": [{"AttributeName": "owner", "KeyType": "HASH"}],
                     "Projection": {"ProjectionType": "KEYS_ONLY"}}
                ],
                "LocalSecondaryIndexes": [
                    {"IndexName": "byTitle",
                     "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "title", "KeyType": "RANGE"}],
                     "Projection": {"ProjectionType": "ALL"}}
                ]
            }),
        ),
        (
            "Users",
            json!({
                "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
                "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
                "BillingMode": "PAY_PER_REQUEST"
            }),
        ),
    ]
}

const PKS: [&str; 3] = ["p0", "p1", "p2"];
const SKS: [&str; 7] = ["-1", "0", "1", "2", "2.5", "10", "100"];
const USERS: [&str; 4] = ["u0", "u1", "u2", "u3"];
/// Numbers with their value for ordering bounds (generation only).
const NUMBERS: [(&str, f64); 11] = [
    ("0", 0.0),
    ("1", 1.0),
    ("-1", -1.0),
    ("2.5", 2.5),
    ("10", 10.0),
    ("-3.75", -3.75),
    ("0.001", 0.001),
    ("1e2", 100.0),
    ("12345678901234567890123456789012345678", 1.2345678901234568e37),
    ("7", 7.0),
    ("100.0", 100.0),
];
const WORDS: [&str; 8] = ["alpha", "beta", "Beta", "gamma", "alphabet", "", "αβγ", "a b"];
const STATUSES: [&str; 3] = ["open", "done", "held"];
const OWNERS: [&str; 3] = ["ann", "bob", "cy"];

fn pick<T: Copy>(rng: &mut Rng, from: &[T]) -> T {
    from[rng.usize(..from.len())]
}

fn n(text: &str) -> Value {
    json!({ "N": text })
}

fn s(text: &str) -> Value {
    json!({ "S": text })
}

fn number(rng: &mut Rng) -> Value {
    n(pick(rng, &NUMBERS).0)
}

fn string_set(rng: &mut Rng) -> Value {
    let mut members: Vec<&str> = (0..rng.usize(1..4)).map(|_| pick(rng, &["a", "b", "c", "d"])).collect();
    members.sort_unstable();
    members.dedup();
    json!({ "SS": members })
}

fn number_set(rng: &mut Rng) -> Value {
    let mut members: Vec<&str> = (0..rng.usize(1..4)).map(|_| pick(rng, &["1", "2", "3.5", "-4"])).collect();
    members.sort_unstable();
    members.dedup();
    json!({ "NS": members })
}

fn scalar(rng: &mut Rng) -> Value {
    match rng.usize(..4) {
        0 => s(pick(rng, &WORDS)),
        1 => number(rng),
        2 => json!({ "BOOL": rng.bool() }),
        _ => json!({ "NULL": true }),
    }
}

fn document(rng: &mut Rng) -> Value {
    let mut inner = Map::new();
    if rng.usize(..4) > 0 {
        inner.insert("b".into(), number(rng));
    }
    if rng.bool() {
        inner.insert("c".into(), s(pick(rng, &WORDS)));
    }
    json!({ "M": { "a": { "M": inner }, "c": s(pick(rng, &WORDS)) } })
}

fn key(rng: &mut Rng) -> Value {
    json!({ "pk": s(pick(rng, &PKS)), "sk": n(pick(rng, &SKS)) })
}

fn item(rng: &mut Rng) -> Value {
    let mut item = key(rng);
    let mut maybe = |rng: &mut Rng, name: &str, value: fn(&mut Rng) -> Value| {
        if rng.usize(..10) < 6 {
            item[name] = value(rng);
        }
    };
    maybe(rng, "status", |r| s(pick(r, &STATUSES)));
    maybe(rng, "rank", number);
    maybe(rng, "owner", |r| s(pick(r, &OWNERS)));
    maybe(rng, "title", |r| s(pick(r, &["alpha", "beta", "Beta", "gamma", "alphabet"])));
    maybe(rng, "tags", string_set);
    maybe(rng, "nums", number_set);
    maybe(rng, "seq", |r| json!({ "L": (0..r.usize(..4)).map(|_| scalar(r)).collect::<Vec<_>>() }));
    maybe(rng, "doc", document);
    maybe(rng, "flag", |r| json!({ "BOOL": r.bool() }));
    maybe(rng, "nil", |_| json!({ "NULL": true }));
    maybe(rng, "counter", number);
    item
}

fn user(rng: &mut Rng) -> Value {
    json!({
        "id": s(pick(rng, &USERS)),
        "email": s(pick(rng, &["a@x.test", "b@x.test"])),
        "age": n(pick(rng, &["20", "31", "45"])),
        "prefs": { "M": { "theme": s(pick(rng, &["dark", "light"])), "langs": { "L": [s("en"), s(pick(rng, &["fr", "de"]))] } } }
    })
}

/// Expression attribute names and values a request collects.
#[derive(Default)]
struct Ex {
    names: Map<String, Value>,
    values: Map<String, Value>,
    /// Set for a scratch collection whose values are renamed into a request's.
    scratch: bool,
}

impl Ex {
    /// A path such as `doc.a.b` or `list[0]`, with `#aliases` for reserved
    /// words (always) and other names (sometimes).
    fn path(&mut self, rng: &mut Rng, path: &str) -> String {
        path.split('.')
            .map(|segment| {
                let (name, rest) = segment.find('[').map_or((segment, ""), |at| segment.split_at(at));
                // moto mishandles `#alias[0]`, so indexed segments keep their bare (unreserved) name.
                let shown = if rest.is_empty() && (is_reserved(name) || rng.usize(..3) == 0) {
                    let alias = format!("#{}", name);
                    self.names.insert(alias.clone(), json!(name));
                    alias
                } else {
                    name.to_string()
                };
                format!("{shown}{rest}")
            })
            .collect::<Vec<_>>()
            .join(".")
    }

    fn value(&mut self, value: Value) -> String {
        let key = format!(":{}{}", if self.scratch { "t" } else { "v" }, self.values.len());
        self.values.insert(key.clone(), value);
        key
    }

    fn attach(self, request: &mut Value) {
        if !self.names.is_empty() {
            request["ExpressionAttributeNames"] = Value::Object(self.names);
        }
        if !self.values.is_empty() {
            request["ExpressionAttributeValues"] = Value::Object(self.values);
        }
    }
}

fn condition(rng: &mut Rng, ex: &mut Ex, depth: usize) -> String {
    if depth < 2 && rng.usize(..10) < 3 {
        let shape = rng.usize(..4);
        let a = condition(rng, ex, depth + 1);
        if shape == 2 {
            return format!("NOT ({a})");
        }
        let b = condition(rng, ex, depth + 1);
        return match shape {
            0 => format!("({a}) AND ({b})"),
            1 => format!("{a} OR {b}"),
            _ => format!("NOT ({a} OR {b})"),
        };
    }
    match rng.usize(..18) {
        0 => format!("attribute_exists({})", ex.path(rng, "pk")),
        1 => format!("attribute_not_exists({})", ex.path(rng, "pk")),
        2 => format!("{} = {}", ex.path(rng, "status"), ex.value(s(pick(rng, &STATUSES)))),
        3 => format!("{} <> {}", ex.path(rng, "status"), ex.value(s(pick(rng, &STATUSES)))),
        4 => format!("{} > {}", ex.path(rng, "rank"), ex.value(number(rng))),
        5 => {
            let (mut a, mut b) = (pick(rng, &NUMBERS), pick(rng, &NUMBERS));
            if a.1 > b.1 {
                std::mem::swap(&mut a, &mut b);
            }
            format!("{} BETWEEN {} AND {}", ex.path(rng, "counter"), ex.value(n(a.0)), ex.value(n(b.0)))
        }
        6 => format!("begins_with({}, {})", ex.path(rng, "title"), ex.value(s(pick(rng, &["al", "B", "g", "alpha"])))),
        7 => format!("contains({}, {})", ex.path(rng, "tags"), ex.value(s(pick(rng, &["a", "b", "z"])))),
        8 => format!("size({}) > {}", ex.path(rng, "seq"), ex.value(n(pick(rng, &["0", "1", "2"])))),
        9 => format!("size({}) <= {}", ex.path(rng, "title"), ex.value(n(pick(rng, &["4", "5", "8"])))),
        10 => format!("attribute_type({}, {})", ex.path(rng, "doc"), ex.value(s(pick(rng, &["M", "S", "L", "NULL"])))),
        11 => format!("{} IN ({}, {})", ex.path(rng, "counter"), ex.value(number(rng)), ex.value(number(rng))),
        12 => format!("{} = {}", ex.path(rng, "doc.a.b"), ex.value(number(rng))),
        // Not NULL: moto takes a missing list element to equal NULL (DynamoDB: the comparison is false).
        13 => format!("{} = {}", ex.path(rng, "seq[0]"), ex.value(s(pick(rng, &WORDS)))),
        14 => format!("contains({}, {})", ex.path(rng, "title"), ex.value(s(pick(rng, &["ph", "et", "x"])))),
        15 => format!("contains({}, {})", ex.path(rng, "nums"), ex.value(n(pick(rng, &["1", "2", "3.5"])))),
        16 => format!("{} = {}", ex.path(rng, "flag"), ex.value(json!({ "BOOL": rng.bool() }))),
        _ => format!("size({}) = {}", ex.path(rng, "tags"), ex.value(n(pick(rng, &["1", "2", "3"])))),
    }
}

/// Update actions: (clause, action text, root attribute).
fn update_action(rng: &mut Rng, ex: &mut Ex) -> (&'static str, String, &'static str) {
    match rng.usize(..21) {
        0 => (
            "SET",
            format!("{} = {}", ex.path(rng, "title"), ex.value(s(pick(rng, &["alpha", "beta", "zeta"])))),
            "title",
        ),
        1 => {
            let c = ex.path(rng, "counter");
            ("SET", format!("{c} = {c} + {}", ex.value(number(rng))), "counter")
        }
        2 => {
            let c = ex.path(rng, "counter");
            ("SET", format!("{c} = if_not_exists({c}, {}) + {}", ex.value(n("0")), ex.value(number(rng))), "counter")
        }
        3 => {
            let c = ex.path(rng, "counter");
            ("SET", format!("{c} = {c} - {}", ex.value(number(rng))), "counter")
        }
        4 => ("SET", format!("{} = {}", ex.path(rng, "rank"), ex.value(number(rng))), "rank"),
        5 => ("SET", format!("{} = {}", ex.path(rng, "status"), ex.value(s(pick(rng, &STATUSES)))), "status"),
        6 => ("REMOVE", ex.path(rng, "status"), "status"),
        7 => ("SET", format!("{} = {}", ex.path(rng, "doc.a.b"), ex.value(number(rng))), "doc"),
        8 => ("SET", format!("{} = {}", ex.path(rng, "doc"), ex.value(document(rng))), "doc"),
        9 => {
            let l = ex.path(rng, "seq");
            let empty = ex.value(json!({ "L": [] }));
            let more = ex.value(json!({ "L": [scalar(rng)] }));
            ("SET", format!("{l} = list_append(if_not_exists({l}, {empty}), {more})"), "seq")
        }
        10 => ("SET", format!("{} = {}", ex.path(rng, "seq[1]"), ex.value(scalar(rng))), "seq"),
        11 => ("REMOVE", ex.path(rng, "seq[0]"), "seq"),
        12 => {
            let (a, b) = (ex.path(rng, "seq[0]"), ex.path(rng, "seq[2]"));
            ("REMOVE", format!("{a}, {b}"), "seq")
        }
        13 => ("ADD", format!("{} {}", ex.path(rng, "tags"), ex.value(string_set(rng))), "tags"),
        14 => ("DELETE", format!("{} {}", ex.path(rng, "tags"), ex.value(string_set(rng))), "tags"),
        15 => ("ADD", format!("{} {}", ex.path(rng, "counter"), ex.value(number(rng))), "counter"),
        16 => ("ADD", format!("{} {}", ex.path(rng, "nums"), ex.value(number_set(rng))), "nums"),
        17 => ("REMOVE", ex.path(rng, "flag"), "flag"),
        18 => ("SET", format!("{} = {}", ex.path(rng, "owner"), ex.value(s(pick(rng, &OWNERS)))), "owner"),
        19 => ("SET", format!("{} = {}", ex.path(rng, "nil"), ex.value(json!({ "NULL": true }))), "nil"),
        _ => {
            let t = ex.path(rng, "title");
            ("SET", format!("{t} = if_not_exists({t}, {})", ex.value(s("gamma"))), "title")
        }
    }
}

fn update_expression(rng: &mut Rng, ex: &mut Ex) -> String {
    let mut roots = Vec::new();
    let mut clauses: Vec<(&str, Vec<String>)> = Vec::new();
    for _ in 0..rng.usize(1..4) {
        let mut trial = Ex { scratch: true, ..Ex::default() };
        let (clause, text, root) = update_action(rng, &mut trial);
        if roots.contains(&root) {
            continue;
        }
        roots.push(root);
        // Renumber the trial's values into the request's.
        let mut text = text;
        for (key, value) in trial.values {
            let fresh = ex.value(value);
            text = replace_token(&text, &key, &fresh);
        }
        ex.names.extend(trial.names);
        match clauses.iter_mut().find(|(c, _)| *c == clause) {
            Some((_, actions)) => actions.push(text),
            None => clauses.push((clause, vec![text])),
        }
    }
    rng.shuffle(&mut clauses);
    clauses.iter().map(|(clause, actions)| format!("{clause} {}", actions.join(", "))).collect::<Vec<_>>().join(" ")
}

/// Replaces the value reference `from` (not a longer one it prefixes) with `to`.
fn replace_token(text: &str, from: &str, to: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(from) {
        let after = &rest[at + from.len()..];
        out.push_str(&rest[..at]);
        if after.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_') {
            out.push_str(from);
        } else {
            out.push_str(to);
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

fn projection(rng: &mut Rng, ex: &mut Ex) -> String {
    let options = ["pk", "sk", "title", "doc.a", "doc.c", "seq[0]", "seq[2]", "tags", "status", "counter", "doc.a.b"];
    let mut chosen: Vec<&str> = Vec::new();
    for _ in 0..rng.usize(1..4) {
        let candidate = pick(rng, &options);
        let overlaps = chosen.iter().any(|c| {
            let (a, b) = (c.split(['.', '[']).next(), candidate.split(['.', '[']).next());
            a == b
        });
        if !overlaps {
            chosen.push(candidate);
        }
    }
    chosen.iter().map(|p| ex.path(rng, p)).collect::<Vec<_>>().join(", ")
}

fn return_values(rng: &mut Rng, allowed: &[&str]) -> Option<String> {
    rng.bool().then(|| pick(rng, allowed).to_string())
}

fn put_item(rng: &mut Rng) -> Value {
    let mut ex = Ex::default();
    let mut request = if rng.usize(..5) == 0 {
        json!({ "TableName": "Users", "Item": user(rng) })
    } else {
        json!({ "TableName": "Items", "Item": item(rng) })
    };
    if request["TableName"] == "Items" && rng.bool() {
        request["ConditionExpression"] = json!(condition(rng, &mut ex, 0));
        if rng.bool() {
            request["ReturnValuesOnConditionCheckFailure"] = json!("ALL_OLD");
        }
    }
    if let Some(rv) = return_values(rng, &["NONE", "ALL_OLD"]) {
        request["ReturnValues"] = json!(rv);
    }
    ex.attach(&mut request);
    request
}

fn update_item(rng: &mut Rng) -> Value {
    let mut ex = Ex::default();
    let mut request = json!({ "TableName": "Items", "Key": key(rng) });
    request["UpdateExpression"] = json!(update_expression(rng, &mut ex));
    if rng.usize(..3) == 0 {
        request["ConditionExpression"] = json!(condition(rng, &mut ex, 0));
        if rng.bool() {
            request["ReturnValuesOnConditionCheckFailure"] = json!("ALL_OLD");
        }
    }
    if let Some(rv) = return_values(rng, &["NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"]) {
        request["ReturnValues"] = json!(rv);
    }
    ex.attach(&mut request);
    request
}

fn delete_item(rng: &mut Rng) -> Value {
    let mut ex = Ex::default();
    let mut request = json!({ "TableName": "Items", "Key": key(rng) });
    if rng.bool() {
        request["ConditionExpression"] = json!(condition(rng, &mut ex, 0));
    }
    if let Some(rv) = return_values(rng, &["NONE", "ALL_OLD"]) {
        request["ReturnValues"] = json!(rv);
    }
    ex.attach(&mut request);
    request
}

fn get_item(rng: &mut Rng) -> Value {
    let mut ex = Ex::default();
    let mut request = if rng.usize(..4) == 0 {
        json!({ "TableName": "Users", "Key": { "id": s(pick(rng, &USERS)) } })
    } else {
        json!({ "TableName": "Items", "Key": key(rng) })
    };
    if rng.bool() {
        request["ProjectionExpression"] = json!(projection(rng, &mut ex));
    }
    if rng.bool() {
        request["ConsistentRead"] = json!(true);
    }
    ex.attach(&mut request);
    request
}

/// A filter on non-key attributes only (Query refuses filters on key attributes).
fn filter(rng: &mut Rng, ex: &mut Ex) -> String {
    loop {
        let mut trial = Ex { scratch: true, ..Ex::default() };
        let text = condition(rng, &mut trial, 1);
        let banned = ["pk", "sk", "status", "rank", "title", "owner"];
        let touches_keys = text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).any(|w| banned.contains(&w))
            || trial.names.values().any(|v| banned.iter().any(|b| v == b));
        if touches_keys {
            continue;
        }
        let mut text = text;
        for (key, value) in trial.values {
            let fresh = ex.value(value);
            text = replace_token(&text, &key, &fresh);
        }
        ex.names.extend(trial.names);
        return text;
    }
}

fn read_options(rng: &mut Rng, ex: &mut Ex, request: &mut Value, may_filter: bool) -> Compare {
    if may_filter && rng.bool() {
        request["FilterExpression"] = json!(filter(rng, ex));
    }
    match rng.usize(..5) {
        0 => request["ProjectionExpression"] = json!(projection(rng, ex)),
        1 => request["Select"] = json!("COUNT"),
        _ => {}
    }
    if rng.usize(..3) == 0 {
        request["Limit"] = json!(rng.usize(1..4));
        Compare::Pages { unordered: false }
    } else {
        Compare::Exact
    }
}

fn query(rng: &mut Rng) -> (Value, Compare) {
    let mut ex = Ex::default();
    let mut request = json!({ "TableName": "Items" });
    let compare = match rng.usize(..5) {
        0 | 1 => {
            let mut key_condition = format!("{} = {}", ex.path(rng, "pk"), ex.value(s(pick(rng, &PKS))));
            let sk = ex.path(rng, "sk");
            match rng.usize(..7) {
                0 => key_condition += &format!(" AND {sk} = {}", ex.value(n(pick(rng, &SKS)))),
                1 => key_condition += &format!(" AND {sk} < {}", ex.value(n(pick(rng, &SKS)))),
                2 => key_condition += &format!(" AND {sk} >= {}", ex.value(n(pick(rng, &SKS)))),
                3 => {
                    let (a, b) = (ex.value(n("0")), ex.value(n(pick(rng, &["2", "10", "100"]))));
                    key_condition += &format!(" AND {sk} BETWEEN {a} AND {b}");
                }
                _ => {}
            }
            request["KeyConditionExpression"] = json!(key_condition);
            if rng.bool() {
                request["ScanIndexForward"] = json!(false);
            }
            read_options(rng, &mut ex, &mut request, true)
        }
        2 => {
            request["IndexName"] = json!("byStatus");
            let mut key_condition = format!("{} = {}", ex.path(rng, "status"), ex.value(s(pick(rng, &STATUSES))));
            if rng.bool() {
                key_condition += &format!(" AND {} > {}", ex.path(rng, "rank"), ex.value(number(rng)));
            }
            request["KeyConditionExpression"] = json!(key_condition);
            match read_options(rng, &mut ex, &mut request, true) {
                Compare::Pages { .. } => Compare::Pages { unordered: true },
                _ => Compare::Unordered,
            }
        }
        3 => {
            request["IndexName"] = json!("byTitle");
            request["KeyConditionExpression"] = json!(format!(
                "{} = {} AND begins_with({}, {})",
                ex.path(rng, "pk"),
                ex.value(s(pick(rng, &PKS))),
                ex.path(rng, "title"),
                ex.value(s(pick(rng, &["al", "B", "g"])))
            ));
            if rng.bool() {
                request["ScanIndexForward"] = json!(false);
            }
            read_options(rng, &mut ex, &mut request, true)
        }
        _ => {
            request["IndexName"] = json!("byOwner");
            request["KeyConditionExpression"] =
                json!(format!("{} = {}", ex.path(rng, "owner"), ex.value(s(pick(rng, &OWNERS)))));
            Compare::Unordered
        }
    };
    ex.attach(&mut request);
    (request, compare)
}

fn scan(rng: &mut Rng) -> (Value, Compare) {
    let mut ex = Ex::default();
    let mut request = json!({ "TableName": "Items" });
    if rng.usize(..4) == 0 {
        request["TableName"] = json!("Users");
    } else if rng.usize(..4) == 0 {
        request["IndexName"] = json!("byStatus");
    }
    let compare =
        if request["TableName"] == "Items" { read_options(rng, &mut ex, &mut request, false) } else { Compare::Exact };
    if rng.bool() && request["TableName"] == "Items" {
        request["FilterExpression"] = json!(condition(rng, &mut ex, 0));
    }
    ex.attach(&mut request);
    let compare = match compare {
        Compare::Pages { .. } => Compare::Pages { unordered: true },
        _ => Compare::Unordered,
    };
    (request, compare)
}

fn distinct_keys(rng: &mut Rng, at_least: usize, below: usize) -> Vec<Value> {
    let count = rng.usize(at_least..below);
    let mut keys: Vec<Value> = Vec::new();
    while keys.len() < count {
        let candidate = key(rng);
        if !keys.contains(&candidate) {
            keys.push(candidate);
        }
    }
    keys
}

fn batch_write(rng: &mut Rng) -> Value {
    let keys = distinct_keys(rng, 1, 5);
    let requests: Vec<Value> = keys
        .into_iter()
        .map(|key| {
            if rng.usize(..3) == 0 {
                json!({ "DeleteRequest": { "Key": key } })
            } else {
                let mut item = item(rng);
                item["pk"] = key["pk"].clone();
                item["sk"] = key["sk"].clone();
                json!({ "PutRequest": { "Item": item } })
            }
        })
        .collect();
    let mut request_items = json!({ "Items": requests });
    if rng.bool() {
        request_items["Users"] = json!([{ "PutRequest": { "Item": user(rng) } }]);
    }
    json!({ "RequestItems": request_items })
}

fn batch_get(rng: &mut Rng) -> Value {
    let mut ex = Ex::default();
    let mut entry = json!({ "Keys": distinct_keys(rng, 1, 5) });
    if rng.bool() {
        entry["ProjectionExpression"] = json!(projection(rng, &mut ex));
    }
    ex.attach(&mut entry);
    json!({ "RequestItems": { "Items": entry, "Users": { "Keys": [{ "id": s(pick(rng, &USERS)) }] } } })
}

fn transact_write(rng: &mut Rng) -> Value {
    let keys = distinct_keys(rng, 1, 4);
    let items: Vec<Value> = keys
        .into_iter()
        .map(|key| {
            let mut ex = Ex::default();
            let (name, mut body) = match rng.usize(..4) {
                0 => {
                    let mut item = item(rng);
                    item["pk"] = key["pk"].clone();
                    item["sk"] = key["sk"].clone();
                    ("Put", json!({ "TableName": "Items", "Item": item }))
                }
                1 => {
                    let update = update_expression(rng, &mut ex);
                    ("Update", json!({ "TableName": "Items", "Key": key, "UpdateExpression": update }))
                }
                2 => ("Delete", json!({ "TableName": "Items", "Key": key })),
                _ => {
                    let check = condition(rng, &mut ex, 0);
                    ("ConditionCheck", json!({ "TableName": "Items", "Key": key, "ConditionExpression": check }))
                }
            };
            if name != "ConditionCheck" && rng.usize(..3) == 0 {
                body["ConditionExpression"] = json!(condition(rng, &mut ex, 0));
            }
            if body.get("ConditionExpression").is_some() && rng.bool() {
                body["ReturnValuesOnConditionCheckFailure"] = json!("ALL_OLD");
            }
            ex.attach(&mut body);
            json!({ name: body })
        })
        .collect();
    json!({ "TransactItems": items })
}

fn transact_get(rng: &mut Rng) -> Value {
    let gets: Vec<Value> = distinct_keys(rng, 1, 4)
        .into_iter()
        .map(|key| json!({ "Get": { "TableName": "Items", "Key": key } }))
        .collect();
    json!({ "TransactItems": gets })
}

/// A request DynamoDB refuses, and what it breaks.
fn invalid(rng: &mut Rng) -> (&'static str, Value, &'static str) {
    let k = key(rng);
    let mut it = item(rng);
    match rng.usize(..34) {
        0 => (
            "UpdateItem",
            json!({"TableName": "Items", "Key": k, "UpdateExpression": "SET title = :nope"}),
            "undefined value",
        ),
        1 => (
            "UpdateItem",
            json!({"TableName": "Items", "Key": k, "UpdateExpression": "SET title = :a",
               "ExpressionAttributeValues": {":a": s("x"), ":b": s("y")}}),
            "unused value",
        ),
        2 => (
            "GetItem",
            json!({"TableName": "Items", "Key": k, "ProjectionExpression": "title",
               "ExpressionAttributeNames": {"#t": "title"}}),
            "unused name",
        ),
        3 => (
            "UpdateItem",
            json!({"TableName": "Items", "Key": k, "UpdateExpression": pick(rng, &["SET title =", "SET = :a", "SET title = :a,", "SET title :a"]),
               "ExpressionAttributeValues": {":a": s("x")}}),
            "syntax error",
        ),
        4 => (
            "UpdateItem",
            json!({"TableName": "Items", "Key": k, "UpdateExpression": "SET status = :a",
               "ExpressionAttributeValues": {":a": s("open")}}),
            "reserved word",
        ),
        5 => ("GetItem", json!({"TableName": "Items", "Key": {"pk": n("1"), "sk": n("1")}}), "key type mismatch"),
        6 => {
            it.as_object_mut().unwrap().remove("sk");
            ("PutItem", json!({"TableName": "Items", "Item": it}), "missing key attribute")
        }
        7 => {
            it["pk"] = s("");
            ("PutItem", json!({"TableName": "Items", "Item": it}), "empty key string")
        }
        8 => {
            it["tags"] = json!({"SS": []});
            ("PutItem", json!({"TableName": "Items", "Item": it}), "empty set")
        }
        9 => {
            it["tags"] = json!({"SS": ["a", "a"]});
            ("PutItem", json!({"TableName": "Items", "Item": it}), "duplicate in set")
        }
        10 => ("GetItem", json!({"TableName": "Nope", "Key": k}), "unknown table"),
        11 => (
            "UpdateItem",
            json!({"TableName": "Items", "Key": k, "UpdateExpression": "SET doc.a = :a REMOVE doc",
               "ExpressionAttributeValues": {":a": s("x")}}),
            "overlapping paths",
        ),
        12 => (
            "UpdateItem",
            json!({"TableName": "Items", "Key": k, "UpdateExpression": "SET pk = :a",
               "ExpressionAttributeValues": {":a": s("x")}}),
            "updating a key",
        ),
        13 => (
            "Query",
            json!({"TableName": "Items", "KeyConditionExpression": "pk = :a OR sk = :b",
               "ExpressionAttributeValues": {":a": s("p0"), ":b": n("1")}}),
            "OR in a key condition",
        ),
        14 => (
            "Query",
            json!({"TableName": "Items", "KeyConditionExpression": "sk = :b",
               "ExpressionAttributeValues": {":b": n("1")}}),
            "key condition without the partition key",
        ),
        15 => (
            "PutItem",
            json!({"TableName": "Items", "Item": it, "ReturnValues": "ALL_NEW"}),
            "return values PutItem cannot give",
        ),
        16 => (
            "UpdateItem",
            json!({"TableName": "Items", "Key": k, "UpdateExpression": "ADD title :a",
               "ExpressionAttributeValues": {":a": s("x")}}),
            "ADD of a string",
        ),
        17 => (
            "Query",
            json!({"TableName": "Items", "KeyConditionExpression": "pk = :a", "Limit": 0,
               "ExpressionAttributeValues": {":a": s("p0")}}),
            "Limit 0",
        ),
        18 => (
            "Query",
            json!({"TableName": "Items", "IndexName": "byNothing", "KeyConditionExpression": "pk = :a",
               "ExpressionAttributeValues": {":a": s("p0")}}),
            "unknown index",
        ),
        19 => (
            "Query",
            json!({"TableName": "Items", "KeyConditionExpression": "pk = :a AND begins_with(sk, :b)",
               "ExpressionAttributeValues": {":a": s("p0"), ":b": s("1")}}),
            "begins_with on a number key",
        ),
        20 => (
            "UpdateItem",
            json!({"TableName": "Items", "Key": k, "UpdateExpression": "SET title = :a", "ConditionExpression": "flag < :t",
               "ExpressionAttributeValues": {":a": s("x"), ":t": {"BOOL": true}}}),
            "ordering a BOOL",
        ),
        21 => {
            it["status"] = n("1");
            ("PutItem", json!({"TableName": "Items", "Item": it}), "index key of the wrong type")
        }
        22 => (
            "BatchWriteItem",
            json!({"RequestItems": {"Items": [{"DeleteRequest": {"Key": k}}, {"DeleteRequest": {"Key": k}}]}}),
            "duplicate keys in a batch",
        ),
        23 => (
            "TransactWriteItems",
            json!({"TransactItems": [
                {"Delete": {"TableName": "Items", "Key": k}},
                {"ConditionCheck": {"TableName": "Items", "Key": k, "ConditionExpression": "attribute_exists(pk)"}}]}),
            "two operations on one item",
        ),
        24 => {
            it["counter"] = n("abc");
            ("PutItem", json!({"TableName": "Items", "Item": it}), "not a number")
        }
        25 => {
            it["counter"] = n("123456789012345678901234567890123456789");
            ("PutItem", json!({"TableName": "Items", "Item": it}), "39 digits")
        }
        26 => (
            "GetItem",
            json!({"TableName": "Items", "Key": k, "ProjectionExpression": "doc, doc.a"}),
            "overlapping projection",
        ),
        27 => (
            "UpdateItem",
            json!({"TableName": "Items", "Key": k, "UpdateExpression": "SET title = :a",
               "ExpressionAttributeValues": {}}),
            "empty ExpressionAttributeValues",
        ),
        28 => (
            "UpdateItem",
            json!({"TableName": "Items", "Key": k, "UpdateExpression": "DELETE tags :a",
               "ExpressionAttributeValues": {":a": n("1")}}),
            "DELETE of a number",
        ),
        29 => (
            "UpdateItem",
            json!({"TableName": "Items", "Key": k, "UpdateExpression": "SET title = :a SET doc = :a",
               "ExpressionAttributeValues": {":a": s("x")}}),
            "SET twice",
        ),
        30 => (
            "UpdateItem",
            json!({"TableName": "Items", "Key": k, "UpdateExpression": "SET nope.x = :a",
               "ExpressionAttributeValues": {":a": s("x")}}),
            "path through a missing map",
        ),
        31 => {
            let mut extra = k.clone();
            extra["title"] = s("x");
            ("GetItem", json!({"TableName": "Items", "Key": extra}), "extra attribute in Key")
        }
        32 => (
            "Query",
            json!({"TableName": "Items", "KeyConditionExpression": "pk = :a", "FilterExpression": "sk > :b",
               "ExpressionAttributeValues": {":a": s("p0"), ":b": n("1")}}),
            "filter on a key attribute",
        ),
        _ => (
            "UpdateItem",
            json!({"TableName": "Items", "Key": k, "UpdateExpression": "SET counter = :a + :b",
               "ExpressionAttributeNames": {"#c": "counter"}, "ExpressionAttributeValues": {":a": n("1"), ":b": n("1")}}),
            "bare reserved word with an unused alias",
        ),
    }
}

/// The steps of the case drawn from `seed`.
pub fn case(seed: u64, steps: usize) -> Vec<Step> {
    let mut rng = Rng::with_seed(seed);
    let mut out = Vec::with_capacity(steps);
    // Fill the tables first so reads and conditions have something to see.
    for _ in 0..12 {
        out.push(Step {
            operation: "PutItem",
            request: json!({"TableName": "Items", "Item": item(&mut rng)}),
            compare: Compare::Exact,
            label: "seed item",
        });
    }
    while out.len() < steps {
        let roll = rng.usize(..100);
        let step = match roll {
            0..=17 => Step { operation: "PutItem", request: put_item(&mut rng), compare: Compare::Exact, label: "put" },
            18..=42 => Step {
                operation: "UpdateItem",
                request: update_item(&mut rng),
                compare: Compare::Exact,
                label: "update",
            },
            43..=47 => Step {
                operation: "DeleteItem",
                request: delete_item(&mut rng),
                compare: Compare::Exact,
                label: "delete",
            },
            48..=55 => {
                Step { operation: "GetItem", request: get_item(&mut rng), compare: Compare::Exact, label: "get" }
            }
            56..=65 => {
                let (request, compare) = query(&mut rng);
                Step { operation: "Query", request, compare, label: "query" }
            }
            66..=69 => {
                let (request, compare) = scan(&mut rng);
                Step { operation: "Scan", request, compare, label: "scan" }
            }
            70..=72 => Step {
                operation: "BatchWriteItem",
                request: batch_write(&mut rng),
                compare: Compare::Exact,
                label: "batch write",
            },
            73..=74 => Step {
                operation: "BatchGetItem",
                request: batch_get(&mut rng),
                compare: Compare::Unordered,
                label: "batch get",
            },
            75..=80 => Step {
                operation: "TransactWriteItems",
                request: transact_write(&mut rng),
                compare: Compare::Exact,
                label: "transact write",
            },
            81..=82 => Step {
                operation: "TransactGetItems",
                request: transact_get(&mut rng),
                compare: Compare::Exact,
                label: "transact get",
            },
            _ => {
                let (operation, request, label) = invalid(&mut rng);
                Step { operation, request, compare: Compare::Exact, label }
            }
        };
        out.push(step);
    }
    out
}
