//! AppSync's DynamoDB request objects into DynamoDB API calls, and DynamoDB
//! responses into what resolver code receives.

use local::appsync::datasource::dynamodb::{encode_token, shape, translate, unmarshal_item};
use serde_json::{json, Value};

fn call(request: Value) -> (String, Value) {
    let c = translate("Todo-abc", &request).unwrap_or_else(|e| panic!("{e:?}"));
    (c.operation.to_string(), c.body)
}

#[test]
fn item_operations() {
    assert_eq!(
        call(json!({"operation": "GetItem", "key": {"id": {"S": "1"}}, "consistentRead": true,
                    "projection": {"expression": "#t, id", "expressionNames": {"#t": "text"}}})),
        (
            "GetItem".into(),
            json!({"TableName": "Todo-abc", "Key": {"id": {"S": "1"}}, "ConsistentRead": true,
            "ProjectionExpression": "#t, id", "ExpressionAttributeNames": {"#t": "text"}})
        )
    );
    assert_eq!(
        call(json!({"operation": "PutItem", "key": {"id": {"S": "1"}}, "attributeValues": {"text": {"S": "a"}},
                    "condition": {"expression": "attribute_not_exists(#id)", "expressionNames": {"#id": "id"}}})),
        (
            "PutItem".into(),
            json!({"TableName": "Todo-abc", "Item": {"id": {"S": "1"}, "text": {"S": "a"}},
            "ConditionExpression": "attribute_not_exists(#id)", "ExpressionAttributeNames": {"#id": "id"}})
        )
    );
    // Update and condition share one name and value map.
    assert_eq!(
        call(json!({"operation": "UpdateItem", "key": {"id": {"S": "1"}},
                    "update": {"expression": "SET #t = :t", "expressionNames": {"#t": "text"}, "expressionValues": {":t": {"S": "b"}}},
                    "condition": {"expression": "#o = :o", "expressionNames": {"#o": "owner"}, "expressionValues": {":o": {"S": "ann"}}}})),
        (
            "UpdateItem".into(),
            json!({"TableName": "Todo-abc", "Key": {"id": {"S": "1"}}, "UpdateExpression": "SET #t = :t",
            "ExpressionAttributeNames": {"#t": "text", "#o": "owner"},
            "ExpressionAttributeValues": {":t": {"S": "b"}, ":o": {"S": "ann"}},
            "ConditionExpression": "#o = :o", "ReturnValues": "ALL_NEW"})
        )
    );
    assert_eq!(
        call(json!({"operation": "DeleteItem", "key": {"id": {"S": "1"}}})),
        ("DeleteItem".into(), json!({"TableName": "Todo-abc", "Key": {"id": {"S": "1"}}, "ReturnValues": "ALL_OLD"}))
    );
}

#[test]
fn query_and_scan_pages() {
    let token = encode_token(&json!({"id": {"S": "9"}}));
    assert_eq!(
        call(
            json!({"operation": "Query", "index": "byOwner", "limit": 10, "scanIndexForward": false, "nextToken": token,
                    "query": {"expression": "#o = :o", "expressionNames": {"#o": "owner"}, "expressionValues": {":o": {"S": "ann"}}},
                    "filter": {"expression": "#d = :d", "expressionNames": {"#d": "done"}, "expressionValues": {":d": {"BOOL": false}}}})
        ),
        (
            "Query".into(),
            json!({"TableName": "Todo-abc", "KeyConditionExpression": "#o = :o",
            "ExpressionAttributeNames": {"#o": "owner", "#d": "done"},
            "ExpressionAttributeValues": {":o": {"S": "ann"}, ":d": {"BOOL": false}},
            "ScanIndexForward": false, "IndexName": "byOwner", "Limit": 10,
            "ExclusiveStartKey": {"id": {"S": "9"}}, "FilterExpression": "#d = :d"})
        )
    );
    let c = translate("T", &json!({"operation": "Scan", "limit": 2, "segment": 0, "totalSegments": 2})).unwrap();
    assert_eq!(c.body, json!({"TableName": "T", "Segment": 0, "TotalSegments": 2, "Limit": 2}));
    let page = shape(
        &c,
        json!({"Items": [{"id": {"S": "1"}, "n": {"N": "2.5"}}, {"id": {"S": "2"}, "n": {"N": "3"}}],
        "Count": 2, "ScannedCount": 5, "LastEvaluatedKey": {"id": {"S": "2"}}}),
    );
    assert_eq!(page["items"], json!([{"id": "1", "n": 2.5}, {"id": "2", "n": 3}]));
    assert_eq!(page["scannedCount"], 5);
    // The token round-trips into the next request's ExclusiveStartKey.
    let next = translate("T", &json!({"operation": "Scan", "nextToken": page["nextToken"]})).unwrap();
    assert_eq!(next.body["ExclusiveStartKey"], json!({"id": {"S": "2"}}));
    let last = shape(&c, json!({"Items": [], "ScannedCount": 0}));
    assert_eq!(last, json!({"items": [], "nextToken": null, "scannedCount": 0}));
    let bad = translate("T", &json!({"operation": "Scan", "nextToken": "!!"})).unwrap_err();
    assert_eq!(bad.error_type.as_deref(), Some("DynamoDB:ValidationException"));
}

#[test]
fn batch_and_transaction_operations() {
    let c = translate("ignored", &json!({"operation": "BatchGetItem", "tables": {"A": {"keys": [{"id": {"S": "1"}}, {"id": {"S": "2"}}], "consistentRead": true}}})).unwrap();
    assert_eq!(
        (c.operation, &c.body),
        (
            "BatchGetItem",
            &json!({"RequestItems": {"A": {"Keys": [{"id": {"S": "1"}}, {"id": {"S": "2"}}], "ConsistentRead": true}}})
        )
    );
    // Results in key order, null for a key not found.
    let r = shape(&c, json!({"Responses": {"A": [{"id": {"S": "2"}, "v": {"N": "1"}}]}, "UnprocessedKeys": {}}));
    assert_eq!(r, json!({"data": {"A": [null, {"id": "2", "v": 1}]}, "unprocessedKeys": {"A": []}}));

    let c = translate("ignored", &json!({"operation": "BatchPutItem", "tables": {"A": [{"id": {"S": "1"}}]}})).unwrap();
    assert_eq!(
        (c.operation, &c.body),
        ("BatchWriteItem", &json!({"RequestItems": {"A": [{"PutRequest": {"Item": {"id": {"S": "1"}}}}]}}))
    );
    assert_eq!(
        shape(&c, json!({"UnprocessedItems": {}})),
        json!({"data": {"A": [{"id": "1"}]}, "unprocessedItems": {"A": []}})
    );
    let c =
        translate("ignored", &json!({"operation": "BatchDeleteItem", "tables": {"A": [{"id": {"S": "1"}}]}})).unwrap();
    assert_eq!(c.body, json!({"RequestItems": {"A": [{"DeleteRequest": {"Key": {"id": {"S": "1"}}}}]}}));
    let r = shape(&c, json!({"UnprocessedItems": {"A": [{"DeleteRequest": {"Key": {"id": {"S": "1"}}}}]}}));
    assert_eq!(r, json!({"data": {"A": [{"id": "1"}]}, "unprocessedKeys": {"A": [{"id": "1"}]}}));

    let c = translate("Todo", &json!({"operation": "TransactWriteItems", "transactItems": [
        {"table": "Todo", "operation": "PutItem", "key": {"id": {"S": "1"}}, "attributeValues": {"t": {"S": "x"}}},
        {"table": "Other", "operation": "ConditionCheck", "key": {"id": {"S": "2"}}, "condition": {"expression": "attribute_exists(id)"}},
        {"table": "Todo", "operation": "UpdateItem", "key": {"id": {"S": "3"}}, "update": {"expression": "SET n = :n", "expressionValues": {":n": {"N": "1"}}}},
        {"table": "Todo", "operation": "DeleteItem", "key": {"id": {"S": "4"}}}]})).unwrap();
    assert_eq!(
        c.body["TransactItems"],
        json!([
        {"Put": {"TableName": "Todo", "Item": {"id": {"S": "1"}, "t": {"S": "x"}}}},
        {"ConditionCheck": {"TableName": "Other", "ConditionExpression": "attribute_exists(id)", "Key": {"id": {"S": "2"}}}},
        {"Update": {"TableName": "Todo", "Key": {"id": {"S": "3"}}, "UpdateExpression": "SET n = :n", "ExpressionAttributeValues": {":n": {"N": "1"}}}},
        {"Delete": {"TableName": "Todo", "Key": {"id": {"S": "4"}}}}])
    );
    assert_eq!(shape(&c, json!({}))["keys"], json!([{"id": "1"}, {"id": "2"}, {"id": "3"}, {"id": "4"}]));

    let c = translate(
        "Todo",
        &json!({"operation": "TransactGetItems", "transactItems": [{"table": "Todo", "key": {"id": {"S": "1"}}}]}),
    )
    .unwrap();
    assert_eq!(c.body, json!({"TransactItems": [{"Get": {"TableName": "Todo", "Key": {"id": {"S": "1"}}}}]}));
    assert_eq!(
        shape(&c, json!({"Responses": [{"Item": {"id": {"S": "1"}}}]})),
        json!({"items": [{"id": "1"}], "cancellationReasons": null})
    );
}

#[test]
fn results_unmarshal_to_plain_json() {
    let item = json!({"s": {"S": "x"}, "n": {"N": "-12"}, "f": {"N": "0.5"}, "b": {"BOOL": true}, "z": {"NULL": true},
        "m": {"M": {"k": {"L": [{"S": "a"}, {"N": "1"}]}}}, "ss": {"SS": ["a", "b"]}, "ns": {"NS": ["1", "2"]}, "bin": {"B": "AQI="}});
    assert_eq!(
        unmarshal_item(&item),
        json!({"s": "x", "n": -12, "f": 0.5, "b": true, "z": null,
        "m": {"k": ["a", 1]}, "ss": ["a", "b"], "ns": [1, 2], "bin": "AQI="})
    );
    let put = translate(
        "T",
        &json!({"operation": "PutItem", "key": {"id": {"S": "1"}}, "attributeValues": {"n": {"N": "2"}}}),
    )
    .unwrap();
    assert_eq!(shape(&put, json!({})), json!({"id": "1", "n": 2}));
    let get = translate("T", &json!({"operation": "GetItem", "key": {"id": {"S": "1"}}})).unwrap();
    assert_eq!(shape(&get, json!({})), Value::Null);
}

#[test]
fn malformed_requests_name_what_is_missing() {
    for (request, needle) in [
        (json!({"key": {}}), "no `operation`"),
        (json!({"operation": "GetItem"}), "GetItem needs `key`"),
        (json!({"operation": "Query"}), "Query needs `query`"),
        (json!({"operation": "UpdateItem", "key": {"id": {"S": "1"}}, "update": {}}), "update.expression"),
        (json!({"operation": "Explode"}), "Explode is not supported"),
        (
            json!({"operation": "TransactWriteItems", "transactItems": [{"operation": "Nope", "key": {}}]}),
            "transactItems[0].operation",
        ),
    ] {
        let e = translate("T", &request).unwrap_err();
        assert!(e.message.contains(needle), "{request}: {}", e.message);
    }
}
