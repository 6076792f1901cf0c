//! The store through its public API: persistence, reloads, damaged files,
//! and DynamoDB behaviour that the moto comparison cannot judge (moto departs
//! from DynamoDB there; see dynamodb_moto.rs).

use local::dynamodb::{Store, StoreError, TableDefinition};
use serde_json::{json, Value};

fn todo_table(with_index: bool) -> TableDefinition {
    let mut properties = json!({
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        "AttributeDefinitions": [
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "N"},
            {"AttributeName": "owner", "AttributeType": "S"}
        ],
        "BillingMode": "PAY_PER_REQUEST"
    });
    if with_index {
        properties["GlobalSecondaryIndexes"] = json!([{
            "IndexName": "byOwner",
            "KeySchema": [{"AttributeName": "owner", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
            "Projection": {"ProjectionType": "KEYS_ONLY"}
        }]);
    }
    TableDefinition::from_cloudformation("Todo", &properties).unwrap()
}

fn put(store: &Store, pk: &str, sk: i64, owner: Option<&str>) {
    let mut item = json!({"pk": {"S": pk}, "sk": {"N": sk.to_string()}, "title": {"S": format!("{pk}-{sk}")}});
    if let Some(owner) = owner {
        item["owner"] = json!({"S": owner});
    }
    store.execute("PutItem", &json!({"TableName": "Todo", "Item": item})).unwrap();
}

fn query(store: &Store, request: Value) -> Value {
    store.execute("Query", &request).unwrap()
}

#[test]
fn data_survives_reopening_and_a_new_index_is_backfilled() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = Store::open(dir.path()).unwrap();
        store.create_table(&todo_table(false)).unwrap();
        put(&store, "a", 1, Some("ann"));
        put(&store, "a", 2, Some("bob"));
        put(&store, "b", 1, None);
    }
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.table_names(), ["Todo"]);
    let got =
        store.execute("GetItem", &json!({"TableName": "Todo", "Key": {"pk": {"S": "a"}, "sk": {"N": "2"}}})).unwrap();
    assert_eq!(got["Item"]["title"], json!({"S": "a-2"}));

    // The assembly changed: the table gained an index. Old items appear in it.
    store.create_table(&todo_table(true)).unwrap();
    let page = query(
        &store,
        json!({"TableName": "Todo", "IndexName": "byOwner", "KeyConditionExpression": "#o = :o",
               "ExpressionAttributeNames": {"#o": "owner"}, "ExpressionAttributeValues": {":o": {"S": "ann"}}}),
    );
    assert_eq!(
        page["Items"],
        json!([{"pk": {"S": "a"}, "sk": {"N": "1"}, "owner": {"S": "ann"}}]),
        "KEYS_ONLY projection"
    );
    // Recreating with the same definition keeps the data; a changed key is refused.
    store.create_table(&todo_table(true)).unwrap();
    assert_eq!(
        query(
            &store,
            json!({"TableName": "Todo", "KeyConditionExpression": "pk = :a", "ExpressionAttributeValues": {":a": {"S": "a"}}})
        )["Count"],
        2
    );
    let mut changed = todo_table(true);
    changed.key.sort = None;
    assert!(matches!(store.create_table(&changed), Err(StoreError::Conflict { .. })));

    store.reset().unwrap();
    assert!(store.table_names().is_empty());
    let err = store
        .execute("GetItem", &json!({"TableName": "Todo", "Key": {"pk": {"S": "a"}, "sk": {"N": "2"}}}))
        .unwrap_err();
    assert_eq!(err.kind, "ResourceNotFoundException");
}

#[test]
fn a_damaged_file_is_named_with_the_fix_and_can_be_deleted() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("dynamodb.redb"), b"this is not a database file, just some text long enough")
        .unwrap();
    let err = Store::open(dir.path()).err().expect("a damaged file is refused");
    let message = err.to_string();
    assert!(matches!(err, StoreError::Damaged { .. }), "{message}");
    assert!(message.contains("dynamodb.redb") && message.contains("ampx dev --reset"), "{message}");
    Store::delete_files(dir.path()).unwrap();
    Store::open(dir.path()).unwrap();
}

#[test]
fn a_second_open_of_the_same_directory_is_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let _first = Store::open(dir.path()).unwrap();
    let err = Store::open(dir.path()).err().expect("the file is locked");
    assert!(matches!(err, StoreError::InUse { .. }), "{err}");
}

#[test]
fn query_pages_in_sort_order_both_ways() {
    let store = Store::in_memory().unwrap();
    store.create_table(&todo_table(false)).unwrap();
    for sk in [10, -5, 2, 100, 7] {
        put(&store, "p", sk, None);
    }
    put(&store, "q", 1, None);
    let base = json!({"TableName": "Todo", "KeyConditionExpression": "pk = :p AND sk >= :min",
                      "ExpressionAttributeValues": {":p": {"S": "p"}, ":min": {"N": "2"}}, "Limit": 2});
    let mut seen = Vec::new();
    let mut request = base.clone();
    loop {
        let page = query(&store, request.clone());
        seen.extend(page["Items"].as_array().unwrap().iter().map(|i| i["sk"]["N"].as_str().unwrap().to_string()));
        match page.get("LastEvaluatedKey") {
            Some(key) => request["ExclusiveStartKey"] = key.clone(),
            None => break,
        }
    }
    assert_eq!(seen, ["2", "7", "10", "100"]);
    let mut backwards = base;
    backwards["ScanIndexForward"] = json!(false);
    backwards.as_object_mut().unwrap().remove("Limit");
    let page = query(&store, backwards);
    let order: Vec<&str> = page["Items"].as_array().unwrap().iter().map(|i| i["sk"]["N"].as_str().unwrap()).collect();
    assert_eq!(order, ["100", "10", "7", "2"]);
}

#[test]
fn a_page_that_meets_its_limit_exactly_still_has_a_last_evaluated_key() {
    // DynamoDB does not look ahead: a full page always carries a key. (moto omits it.)
    let store = Store::in_memory().unwrap();
    store.create_table(&todo_table(false)).unwrap();
    put(&store, "p", 1, None);
    put(&store, "p", 2, None);
    let page = query(
        &store,
        json!({"TableName": "Todo", "KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": {":p": {"S": "p"}}, "Limit": 2}),
    );
    assert_eq!(page["LastEvaluatedKey"], json!({"pk": {"S": "p"}, "sk": {"N": "2"}}));
}

#[test]
fn scan_segments_split_the_table_without_overlap() {
    let store = Store::in_memory().unwrap();
    store.create_table(&todo_table(false)).unwrap();
    for i in 0..40 {
        put(&store, &format!("p{i}"), i, None);
    }
    let mut total = 0;
    let mut nonempty = 0;
    for segment in 0..4 {
        let page =
            store.execute("Scan", &json!({"TableName": "Todo", "Segment": segment, "TotalSegments": 4})).unwrap();
        let count = page["Count"].as_u64().unwrap();
        total += count;
        nonempty += usize::from(count > 0);
    }
    assert_eq!(total, 40);
    assert!(nonempty >= 2, "segments spread the partitions");
    let err = store.execute("Scan", &json!({"TableName": "Todo", "Segment": 4, "TotalSegments": 4})).unwrap_err();
    assert_eq!(err.kind, "ValidationException");
}

#[test]
fn numbers_keep_38_digits_and_sort_numerically_as_keys() {
    let store = Store::in_memory().unwrap();
    store.create_table(&todo_table(false)).unwrap();
    let big = "12345678901234567890123456789012345678";
    for sk in ["-1.5", "0.25", big, "1E+2", "-100"] {
        store
            .execute(
                "PutItem",
                &json!({"TableName": "Todo", "Item": {"pk": {"S": "n"}, "sk": {"N": sk}, "v": {"N": "1.000"}}}),
            )
            .unwrap();
    }
    let page = query(
        &store,
        json!({"TableName": "Todo", "KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": {":p": {"S": "n"}}}),
    );
    let order: Vec<&str> = page["Items"].as_array().unwrap().iter().map(|i| i["sk"]["N"].as_str().unwrap()).collect();
    assert_eq!(order, ["-100", "-1.5", "0.25", "100", big]);
    assert_eq!(page["Items"][0]["v"], json!({"N": "1"}));
    let updated = store
        .execute(
            "UpdateItem",
            &json!({"TableName": "Todo", "Key": {"pk": {"S": "n"}, "sk": {"N": big}}, "UpdateExpression": "SET v = v + :tiny",
                    "ExpressionAttributeValues": {":tiny": {"N": "0.0000000000000000000000000000000000001"}}, "ReturnValues": "UPDATED_NEW"}),
        )
        .unwrap();
    assert_eq!(updated["Attributes"]["v"], json!({"N": "1.0000000000000000000000000000000000001"}));
}

#[test]
fn transactions_apply_all_or_nothing() {
    let store = Store::in_memory().unwrap();
    store.create_table(&todo_table(true)).unwrap();
    put(&store, "a", 1, Some("ann"));
    let key = |pk: &str| json!({"pk": {"S": pk}, "sk": {"N": "1"}});
    let err = store
        .execute(
            "TransactWriteItems",
            &json!({"TransactItems": [
                {"Put": {"TableName": "Todo", "Item": {"pk": {"S": "b"}, "sk": {"N": "1"}}}},
                {"ConditionCheck": {"TableName": "Todo", "Key": key("a"), "ConditionExpression": "attribute_not_exists(pk)",
                                    "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}}
            ]}),
        )
        .unwrap_err();
    assert_eq!(err.kind, "TransactionCanceledException");
    assert_eq!(
        err.message,
        "Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]"
    );
    let reasons = err.cancellation_reasons.unwrap();
    assert_eq!(reasons[1]["Item"]["owner"], json!({"S": "ann"}));
    let missing = store.execute("GetItem", &json!({"TableName": "Todo", "Key": key("b")})).unwrap();
    assert_eq!(missing, json!({}), "the put in a cancelled transaction is not applied");

    store
        .execute(
            "TransactWriteItems",
            &json!({"TransactItems": [
                {"Put": {"TableName": "Todo", "Item": {"pk": {"S": "b"}, "sk": {"N": "1"}, "owner": {"S": "ann"}}}},
                {"Update": {"TableName": "Todo", "Key": key("a"), "UpdateExpression": "REMOVE #o", "ExpressionAttributeNames": {"#o": "owner"}}}
            ]}),
        )
        .unwrap();
    let page = query(
        &store,
        json!({"TableName": "Todo", "IndexName": "byOwner", "KeyConditionExpression": "#o = :o",
               "ExpressionAttributeNames": {"#o": "owner"}, "ExpressionAttributeValues": {":o": {"S": "ann"}}}),
    );
    assert_eq!(
        page["Items"],
        json!([{"pk": {"S": "b"}, "sk": {"N": "1"}, "owner": {"S": "ann"}}]),
        "the index follows both writes"
    );
}

#[test]
fn items_over_400_kb_are_refused() {
    let store = Store::in_memory().unwrap();
    store.create_table(&todo_table(false)).unwrap();
    let big = "x".repeat(400 * 1024);
    let err = store
        .execute(
            "PutItem",
            &json!({"TableName": "Todo", "Item": {"pk": {"S": "a"}, "sk": {"N": "1"}, "body": {"S": big}}}),
        )
        .unwrap_err();
    assert_eq!(err.message, "Item size has exceeded the maximum allowed size");
}

#[test]
fn a_failed_condition_returns_the_old_item_when_asked() {
    let store = Store::in_memory().unwrap();
    store.create_table(&todo_table(false)).unwrap();
    put(&store, "a", 1, None);
    let err = store
        .execute(
            "DeleteItem",
            &json!({"TableName": "Todo", "Key": {"pk": {"S": "a"}, "sk": {"N": "1"}}, "ConditionExpression": "attribute_not_exists(title)",
                    "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}),
        )
        .unwrap_err();
    assert_eq!(err.kind, "ConditionalCheckFailedException");
    assert_eq!(err.item.as_ref().unwrap()["title"], json!({"S": "a-1"}));
    assert_eq!(err.to_json()["__type"], "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException");
}
