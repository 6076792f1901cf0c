//! The `AMAZON_DYNAMODB` data source: AppSync's DynamoDB request objects (as
//! APPSYNC_JS resolvers return them) become DynamoDB API calls, and the
//! responses become what AppSync hands the response handler (plain JSON
//! items, `{items, nextToken, scannedCount}` pages, batch and transaction
//! results).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Map, Number, Value};

use super::dynamo_api::DynamoApi;
use crate::appsync::errors::GraphQlError;

/// One DynamoDB API call and how to shape its response.
#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    /// The DynamoDB operation.
    pub operation: &'static str,
    /// Its request body.
    pub body: Value,
    shape: Shape,
}

#[derive(Clone, Debug, PartialEq)]
enum Shape {
    Item,
    /// PutItem answers the item it wrote.
    Written(Value),
    Attributes,
    Page,
    Sync,
    BatchGet(Vec<(String, Vec<Value>)>),
    BatchPut(Map<String, Value>),
    BatchDelete(Map<String, Value>),
    TransactGet,
    TransactWrite(Vec<Value>),
}

fn invalid(message: impl Into<String>) -> GraphQlError {
    GraphQlError::new(message, "DynamoDB:ValidationException")
}

fn obj(v: &Value) -> Option<&Map<String, Value>> {
    v.as_object()
}

/// Folds an `{expression, expressionNames, expressionValues}` object into the
/// body under `key`, merging the shared name and value maps.
fn expression(body: &mut Map<String, Value>, key: &str, source: Option<&Value>) -> Result<(), GraphQlError> {
    let Some(source) = source.filter(|v| !v.is_null()) else { return Ok(()) };
    // Errors name the request's field (`update`), not DynamoDB's.
    let field = match key {
        "ProjectionExpression" => "projection",
        "FilterExpression" => "filter",
        "KeyConditionExpression" => "query",
        "UpdateExpression" => "update",
        _ => "condition",
    };
    let e = obj(source).ok_or_else(|| invalid(format!("{field}: expected an object with an expression")))?;
    let text =
        e.get("expression").and_then(Value::as_str).ok_or_else(|| invalid(format!("{field}.expression is missing")))?;
    body.insert(key.to_string(), Value::String(text.to_string()));
    for (from, to) in
        [("expressionNames", "ExpressionAttributeNames"), ("expressionValues", "ExpressionAttributeValues")]
    {
        if let Some(Value::Object(m)) = e.get(from) {
            if m.is_empty() {
                continue;
            }
            let target = body.entry(to).or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(t) = target {
                t.extend(m.clone());
            }
        }
    }
    Ok(())
}

fn projection(body: &mut Map<String, Value>, request: &Value) -> Result<(), GraphQlError> {
    expression(body, "ProjectionExpression", request.get("projection"))
}

fn copy(body: &mut Map<String, Value>, request: &Value, from: &str, to: &str) {
    if let Some(v) = request.get(from).filter(|v| !v.is_null()) {
        body.insert(to.to_string(), v.clone());
    }
}

fn required<'a>(request: &'a Value, field: &str, operation: &str) -> Result<&'a Value, GraphQlError> {
    request.get(field).filter(|v| !v.is_null()).ok_or_else(|| invalid(format!("{operation} needs `{field}`")))
}

/// The opaque token AppSync returns for a page's `LastEvaluatedKey`.
pub fn encode_token(last_key: &Value) -> String {
    URL_SAFE_NO_PAD.encode(last_key.to_string())
}

fn decode_token(token: &str) -> Result<Value, GraphQlError> {
    URL_SAFE_NO_PAD
        .decode(token.trim_end_matches('='))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or_else(|| GraphQlError::new("Invalid pagination token given.", "DynamoDB:ValidationException"))
}

fn page_args(body: &mut Map<String, Value>, request: &Value) -> Result<(), GraphQlError> {
    copy(body, request, "index", "IndexName");
    copy(body, request, "limit", "Limit");
    copy(body, request, "consistentRead", "ConsistentRead");
    copy(body, request, "select", "Select");
    if let Some(token) = request.get("nextToken").and_then(Value::as_str) {
        body.insert("ExclusiveStartKey".into(), decode_token(token)?);
    }
    expression(body, "FilterExpression", request.get("filter"))?;
    projection(body, request)
}

/// Translates one AppSync DynamoDB request object for `table`.
pub fn translate(table: &str, request: &Value) -> Result<Call, GraphQlError> {
    let operation =
        request.get("operation").and_then(Value::as_str).ok_or_else(|| invalid("the request has no `operation`"))?;
    let mut body = Map::new();
    body.insert("TableName".into(), json!(table));
    let (op, shape) = match operation {
        "GetItem" => {
            body.insert("Key".into(), required(request, "key", operation)?.clone());
            copy(&mut body, request, "consistentRead", "ConsistentRead");
            projection(&mut body, request)?;
            ("GetItem", Shape::Item)
        }
        "PutItem" => {
            let mut item = obj(required(request, "key", operation)?)
                .cloned()
                .ok_or_else(|| invalid("PutItem key must be an object"))?;
            if let Some(Value::Object(values)) = request.get("attributeValues") {
                for (k, v) in values {
                    item.entry(k.clone()).or_insert_with(|| v.clone());
                }
            }
            let item = Value::Object(item);
            body.insert("Item".into(), item.clone());
            expression(&mut body, "ConditionExpression", request.get("condition"))?;
            ("PutItem", Shape::Written(item))
        }
        "UpdateItem" => {
            body.insert("Key".into(), required(request, "key", operation)?.clone());
            expression(&mut body, "UpdateExpression", Some(required(request, "update", operation)?))?;
            expression(&mut body, "ConditionExpression", request.get("condition"))?;
            body.insert("ReturnValues".into(), json!("ALL_NEW"));
            ("UpdateItem", Shape::Attributes)
        }
        "DeleteItem" => {
            body.insert("Key".into(), required(request, "key", operation)?.clone());
            expression(&mut body, "ConditionExpression", request.get("condition"))?;
            body.insert("ReturnValues".into(), json!("ALL_OLD"));
            ("DeleteItem", Shape::Attributes)
        }
        "Query" => {
            expression(&mut body, "KeyConditionExpression", Some(required(request, "query", operation)?))?;
            copy(&mut body, request, "scanIndexForward", "ScanIndexForward");
            page_args(&mut body, request)?;
            ("Query", Shape::Page)
        }
        "Scan" => {
            copy(&mut body, request, "segment", "Segment");
            copy(&mut body, request, "totalSegments", "TotalSegments");
            page_args(&mut body, request)?;
            ("Scan", Shape::Page)
        }
        "Sync" => {
            // Delta sync without a delta table: a scan of the base table.
            page_args(&mut body, request)?;
            ("Scan", Shape::Sync)
        }
        "BatchGetItem" => {
            body.remove("TableName");
            let tables = obj(required(request, "tables", operation)?)
                .ok_or_else(|| invalid("BatchGetItem tables must be an object"))?;
            let mut items = Map::new();
            let mut order = Vec::new();
            for (name, spec) in tables {
                let keys = spec
                    .get("keys")
                    .and_then(Value::as_array)
                    .cloned()
                    .ok_or_else(|| invalid(format!("BatchGetItem tables.{name}.keys is missing")))?;
                let mut t = Map::new();
                t.insert("Keys".into(), Value::Array(keys.clone()));
                copy(&mut t, spec, "consistentRead", "ConsistentRead");
                projection(&mut t, spec)?;
                items.insert(name.clone(), Value::Object(t));
                order.push((name.clone(), keys));
            }
            body.insert("RequestItems".into(), Value::Object(items));
            ("BatchGetItem", Shape::BatchGet(order))
        }
        "BatchPutItem" | "BatchDeleteItem" => {
            body.remove("TableName");
            let tables = obj(required(request, "tables", operation)?)
                .ok_or_else(|| invalid(format!("{operation} tables must be an object")))?;
            let mut items = Map::new();
            for (name, list) in tables {
                let list =
                    list.as_array().ok_or_else(|| invalid(format!("{operation} tables.{name} must be a list")))?;
                let writes = list
                    .iter()
                    .map(|v| {
                        if operation == "BatchPutItem" {
                            json!({"PutRequest": {"Item": v}})
                        } else {
                            json!({"DeleteRequest": {"Key": v}})
                        }
                    })
                    .collect();
                items.insert(name.clone(), Value::Array(writes));
            }
            body.insert("RequestItems".into(), Value::Object(items));
            let shape = if operation == "BatchPutItem" {
                Shape::BatchPut(tables.clone())
            } else {
                Shape::BatchDelete(tables.clone())
            };
            ("BatchWriteItem", shape)
        }
        "TransactGetItems" => {
            body.remove("TableName");
            let list = required(request, "transactItems", operation)?
                .as_array()
                .ok_or_else(|| invalid("transactItems must be a list"))?;
            let mut items = Vec::new();
            for (i, t) in list.iter().enumerate() {
                let mut get = Map::new();
                get.insert("TableName".into(), json!(t.get("table").and_then(Value::as_str).unwrap_or(table)));
                get.insert(
                    "Key".into(),
                    t.get("key").cloned().ok_or_else(|| invalid(format!("transactItems[{i}].key is missing")))?,
                );
                projection(&mut get, t)?;
                items.push(json!({"Get": get}));
            }
            body.insert("TransactItems".into(), Value::Array(items));
            ("TransactGetItems", Shape::TransactGet)
        }
        "TransactWriteItems" => {
            body.remove("TableName");
            let list = required(request, "transactItems", operation)?
                .as_array()
                .ok_or_else(|| invalid("transactItems must be a list"))?;
            let mut items = Vec::new();
            let mut keys = Vec::new();
            for (i, t) in list.iter().enumerate() {
                let mut w = Map::new();
                w.insert("TableName".into(), json!(t.get("table").and_then(Value::as_str).unwrap_or(table)));
                let key = t.get("key").cloned().ok_or_else(|| invalid(format!("transactItems[{i}].key is missing")))?;
                keys.push(key.clone());
                expression(&mut w, "ConditionExpression", t.get("condition"))?;
                let kind = match t.get("operation").and_then(Value::as_str) {
                    Some("PutItem") => {
                        let mut item = key.as_object().cloned().unwrap_or_default();
                        if let Some(Value::Object(values)) = t.get("attributeValues") {
                            for (k, v) in values {
                                item.entry(k.clone()).or_insert_with(|| v.clone());
                            }
                        }
                        w.insert("Item".into(), Value::Object(item));
                        "Put"
                    }
                    Some("UpdateItem") => {
                        w.insert("Key".into(), key);
                        expression(&mut w, "UpdateExpression", t.get("update"))?;
                        "Update"
                    }
                    Some("DeleteItem") => {
                        w.insert("Key".into(), key);
                        "Delete"
                    }
                    Some("ConditionCheck") => {
                        w.insert("Key".into(), key);
                        "ConditionCheck"
                    }
                    other => return Err(invalid(format!("transactItems[{i}].operation {other:?} is not PutItem, UpdateItem, DeleteItem or ConditionCheck"))),
                };
                items.push(json!({ kind: w }));
            }
            body.insert("TransactItems".into(), Value::Array(items));
            ("TransactWriteItems", Shape::TransactWrite(keys))
        }
        other => return Err(invalid(format!("the DynamoDB operation {other} is not supported"))),
    };
    Ok(Call { operation: op, body: Value::Object(body), shape })
}

/// Shapes a DynamoDB response as AppSync hands it to the response handler.
pub fn shape(call: &Call, response: Value) -> Value {
    let field = |k: &str| response.get(k).cloned().unwrap_or(Value::Null);
    match &call.shape {
        Shape::Item => unmarshal_item(&field("Item")),
        Shape::Written(item) => unmarshal_item(item),
        Shape::Attributes => unmarshal_item(&field("Attributes")),
        Shape::Page | Shape::Sync => {
            let items: Vec<Value> = response
                .get("Items")
                .and_then(Value::as_array)
                .map(|i| i.iter().map(unmarshal_item).collect())
                .unwrap_or_default();
            let token = response.get("LastEvaluatedKey").filter(|k| !k.is_null()).map(encode_token);
            let mut page = json!({
                "items": items,
                "nextToken": token,
                "scannedCount": response.get("ScannedCount").cloned().unwrap_or(json!(items.len())),
            });
            if call.shape == Shape::Sync {
                page["startedAt"] = json!(std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_millis() as u64)
                    .unwrap_or(0));
            }
            page
        }
        Shape::BatchGet(order) => {
            let responses = field("Responses");
            let unprocessed = field("UnprocessedKeys");
            let mut data = Map::new();
            let mut left = Map::new();
            for (table, keys) in order {
                let found: Vec<&Value> =
                    responses.get(table).and_then(Value::as_array).map(|v| v.iter().collect()).unwrap_or_default();
                // AppSync lists results in key order, null where nothing was found.
                let items = keys
                    .iter()
                    .map(|k| {
                        found.iter().find(|item| key_matches(item, k)).map(|i| unmarshal_item(i)).unwrap_or(Value::Null)
                    })
                    .collect();
                data.insert(table.clone(), Value::Array(items));
                let rest = unprocessed
                    .get(table)
                    .and_then(|t| t.get("Keys"))
                    .and_then(Value::as_array)
                    .map(|k| k.iter().map(unmarshal_item).collect())
                    .unwrap_or_default();
                left.insert(table.clone(), Value::Array(rest));
            }
            json!({"data": data, "unprocessedKeys": left})
        }
        Shape::BatchPut(tables) | Shape::BatchDelete(tables) => {
            let is_put = matches!(call.shape, Shape::BatchPut(_));
            let mut data = Map::new();
            let mut left = Map::new();
            for (table, list) in tables {
                data.insert(
                    table.clone(),
                    Value::Array(list.as_array().map(|l| l.iter().map(unmarshal_item).collect()).unwrap_or_default()),
                );
                let rest = response
                    .pointer(&format!("/UnprocessedItems/{}", table.replace('~', "~0").replace('/', "~1")))
                    .and_then(Value::as_array)
                    .map(|l| {
                        l.iter()
                            .filter_map(|w| w.pointer(if is_put { "/PutRequest/Item" } else { "/DeleteRequest/Key" }))
                            .map(unmarshal_item)
                            .collect()
                    })
                    .unwrap_or_default();
                left.insert(table.clone(), Value::Array(rest));
            }
            let key = if is_put { "unprocessedItems" } else { "unprocessedKeys" };
            json!({"data": data, key: left})
        }
        Shape::TransactGet => {
            let items: Vec<Value> = response
                .get("Responses")
                .and_then(Value::as_array)
                .map(|r| r.iter().map(|x| unmarshal_item(&x.get("Item").cloned().unwrap_or(Value::Null))).collect())
                .unwrap_or_default();
            json!({"items": items, "cancellationReasons": null})
        }
        Shape::TransactWrite(keys) => {
            json!({"keys": keys.iter().map(unmarshal_item).collect::<Vec<_>>(), "cancellationReasons": null})
        }
    }
}

fn key_matches(item: &Value, key: &Value) -> bool {
    key.as_object().is_some_and(|k| k.iter().all(|(name, v)| item.get(name) == Some(v)))
}

/// Sends `request` for `table` to the store and shapes the answer.
pub fn invoke(api: &dyn DynamoApi, table: &str, request: &Value) -> Result<Value, GraphQlError> {
    let call = translate(table, request)?;
    match api.execute(call.operation, &call.body) {
        Ok(response) => Ok(shape(&call, response)),
        Err((kind, message)) => Err(error(&kind, message)),
    }
}

/// A DynamoDB error as AppSync reports it: `DynamoDB:<exception>`.
fn error(kind: &str, message: String) -> GraphQlError {
    let kind = kind.rsplit('#').next().unwrap_or(kind);
    let mut e = GraphQlError::new(message, format!("DynamoDB:{kind}"));
    if kind == "TransactionCanceledException" {
        e.data = Some(json!({"cancellationReasons": null}));
    }
    e
}

/// A DynamoDB-typed item (`{"id": {"S": "1"}}`) as plain JSON.
pub fn unmarshal_item(item: &Value) -> Value {
    match item {
        Value::Object(m) => Value::Object(m.iter().map(|(k, v)| (k.clone(), unmarshal(v))).collect()),
        _ => Value::Null,
    }
}

/// One DynamoDB attribute value as plain JSON (sets become lists, binary
/// stays base64).
pub fn unmarshal(value: &Value) -> Value {
    let Some((tag, inner)) = value.as_object().and_then(|m| m.iter().next()) else { return Value::Null };
    match (tag.as_str(), inner) {
        ("S" | "B", v) => v.clone(),
        ("N", Value::String(n)) => number(n),
        ("BOOL", v) => v.clone(),
        ("NULL", _) => Value::Null,
        ("M", Value::Object(m)) => Value::Object(m.iter().map(|(k, v)| (k.clone(), unmarshal(v))).collect()),
        ("L", Value::Array(l)) => Value::Array(l.iter().map(unmarshal).collect()),
        ("SS" | "BS", v) => v.clone(),
        ("NS", Value::Array(l)) => {
            Value::Array(l.iter().map(|n| n.as_str().map(number).unwrap_or(Value::Null)).collect())
        }
        _ => Value::Null,
    }
}

fn number(text: &str) -> Value {
    if let Ok(i) = text.parse::<i64>() {
        return Value::Number(i.into());
    }
    text.parse::<f64>()
        .ok()
        .and_then(Number::from_f64)
        .map(Value::Number)
        .unwrap_or_else(|| Value::String(text.to_string()))
}
