//! util.transform and the DynamoDB module: filters, conditions and subscription
//! filters in the shapes APPSYNC_JS produces.

use local::appsync::js::{Context, Phase, Runtime};
use serde_json::{json, Value};

/// Evaluates `expr` in a request handler with both runtime modules imported.
fn eval(expr: &str) -> Value {
    let code = format!(
        "import {{ util }} from '@aws-appsync/utils';\nimport * as ddb from '@aws-appsync/utils/dynamodb';\n\
         export function request(ctx) {{ return {expr}; }}\nexport function response(ctx) {{ return null; }}\n"
    );
    let rt = Runtime::new();
    let code = rt.compile("Query.transform", &code).unwrap_or_else(|e| panic!("{e}"));
    rt.evaluate(&code, Phase::Request, &Context::default()).unwrap_or_else(|e| panic!("{e}")).value
}

fn filter(f: &str) -> Value {
    let s = eval(&format!("util.transform.toDynamoDBFilterExpression({f})"));
    match s.as_str() {
        Some(text) => serde_json::from_str(text).unwrap(),
        None => s,
    }
}

#[test]
fn the_expression_is_a_json_string() {
    let s = eval("util.transform.toDynamoDBConditionExpression({ id: { attributeExists: false } })");
    assert_eq!(
        s,
        json!("{\"expression\":\"(attribute_not_exists(#id))\",\"expressionNames\":{\"#id\":\"id\"},\"expressionValues\":{}}")
    );
}

#[test]
fn comparisons_and_functions() {
    for (op, text) in [("eq", "="), ("ne", "<>"), ("le", "<="), ("lt", "<"), ("ge", ">="), ("gt", ">")] {
        assert_eq!(
            filter(&format!("{{ v: {{ {op}: 'x' }} }}")),
            json!({"expression": format!("(#v {text} :v_{op})"), "expressionNames": {"#v": "v"},
                "expressionValues": {format!(":v_{op}"): {"S": "x"}}})
        );
    }
    assert_eq!(filter("{ v: { beginsWith: 'x' } }")["expression"], "(begins_with(#v,:v_beginsWith))");
    assert_eq!(filter("{ v: { contains: 'x' } }")["expression"], "(contains(#v,:v_contains))");
    assert_eq!(filter("{ v: { notContains: 'x' } }")["expression"], "(NOT contains(#v,:v_notContains))");
    assert_eq!(
        filter("{ v: { between: [1, 9] } }"),
        json!({"expression": "(#v BETWEEN :v_between_start AND :v_between_end)", "expressionNames": {"#v": "v"},
            "expressionValues": {":v_between_start": {"N": 1}, ":v_between_end": {"N": 9}}})
    );
    assert_eq!(filter("{ v: { in: ['a', 'b'] } }")["expression"], "(#v IN (:v_in_0, :v_in_1))");
    assert_eq!(filter("{ v: { attributeExists: true } }")["expression"], "(attribute_exists(#v))");
    assert_eq!(
        filter("{ v: { attributeType: 'stringSet' } }")["expressionValues"],
        json!({":v_attributeType": {"S": "SS"}})
    );
    assert_eq!(filter("{ v: { size: { gt: 2 } } }")["expression"], "(size(#v) > :v_size_gt)");
}

#[test]
fn groups_nest_and_name_their_values_by_path() {
    assert_eq!(
        filter("{ or: [{ and: [{ a: { eq: 1 } }, { b: { eq: 2 } }] }, { c: { eq: 3 } }] }"),
        json!({
            "expression": "(((#a = :or_0_and_0_a_eq) AND (#b = :or_0_and_1_b_eq)) OR (#c = :or_1_c_eq))",
            "expressionNames": {"#a": "a", "#b": "b", "#c": "c"},
            "expressionValues": {":or_0_and_0_a_eq": {"N": 1}, ":or_0_and_1_b_eq": {"N": 2}, ":or_1_c_eq": {"N": 3}}
        })
    );
    assert_eq!(filter("{ not: { a: { eq: 1 } } }")["expression"], "(NOT (#a = :not_a_eq))");
    assert_eq!(filter("{ a: { eq: 1 }, b: { eq: 2 } }")["expression"], "(#a = :a_eq) AND (#b = :b_eq)");
    assert_eq!(filter("{ v: { ge: 1, le: 5 } }")["expression"], "((#v >= :v_ge) AND (#v <= :v_le))");
    assert_eq!(filter("{ and: [{ a: { eq: 1 } }] }")["expression"], "(#a = :and_0_a_eq)");
    assert_eq!(filter("{}"), json!({"expression": "", "expressionNames": {}, "expressionValues": {}}));
}

#[test]
fn malformed_filters_give_null() {
    for f in
        ["null", "'a'", "[]", "{ v: 1 }", "{ and: { a: { eq: 1 } } }", "{ v: { bogus: 1 } }", "{ v: { between: [1] } }"]
    {
        assert_eq!(filter(f), Value::Null, "{f}");
    }
}

#[test]
fn subscription_filters_multiply_out_alternatives() {
    let v = eval("util.transform.toSubscriptionFilter({ a: { eq: 1 }, or: [{ b: { eq: 2 } }, { c: { eq: 3 } }] })");
    assert_eq!(
        v,
        json!({"filterGroup": [
            {"filters": [{"fieldName": "a", "operator": "eq", "value": 1}, {"fieldName": "b", "operator": "eq", "value": 2}]},
            {"filters": [{"fieldName": "a", "operator": "eq", "value": 1}, {"fieldName": "c", "operator": "eq", "value": 3}]}
        ]})
    );
    // Ignored fields are dropped; rules are alternatives added to every group.
    let v = eval("util.transform.toSubscriptionFilter({ a: { eq: 1 }, b: { eq: 2 } }, ['b'], { r1: { ge: 250 }, r2: { eq: 'p' } })");
    assert_eq!(
        v,
        json!({"filterGroup": [
            {"filters": [{"fieldName": "a", "operator": "eq", "value": 1}, {"fieldName": "r1", "operator": "ge", "value": 250}]},
            {"filters": [{"fieldName": "a", "operator": "eq", "value": 1}, {"fieldName": "r2", "operator": "eq", "value": "p"}]}
        ]})
    );
    assert_eq!(eval("util.transform.toSubscriptionFilter({})"), json!({"filterGroup": []}));
    assert_eq!(eval("util.transform.toSubscriptionFilter(null)"), Value::Null);
}

#[test]
fn the_dynamodb_module_builds_requests() {
    assert_eq!(eval("ddb.get({ key: { id: 'id' } })"), json!({"operation": "GetItem", "key": {"id": {"S": "id"}}}));
    let put = eval(
        "ddb.put({ key: { id: '1' }, item: { title: 't', n: 2 }, condition: { id: { attributeExists: false } } })",
    );
    assert_eq!(
        put,
        json!({"operation": "PutItem", "key": {"id": {"S": "1"}}, "attributeValues": {"title": {"S": "t"}, "n": {"N": 2}},
            "condition": {"expression": "(attribute_not_exists(#id))", "expressionNames": {"#id": "id"}, "expressionValues": {}}})
    );
    let update = eval(
        "ddb.update({ key: { id: '1' }, update: { title: 'new', count: ddb.operations.increment(2), old: ddb.operations.remove(), tags: ddb.operations.append(['x']) } })",
    );
    assert_eq!(update["operation"], "UpdateItem");
    assert_eq!(
        update["update"]["expression"],
        "SET #title = :title, #count = #count + :count, #tags = list_append(#tags, :tags) REMOVE #old"
    );
    assert_eq!(update["update"]["expressionValues"][":count"], json!({"N": 2}));
    let query = eval("ddb.query({ query: { pk: { eq: 'a' }, sk: { beginsWith: 'b' } }, index: 'byPk', limit: 5, filter: { x: { eq: 1 } } })");
    assert_eq!(query["operation"], "Query");
    assert_eq!(query["query"]["expression"], "#pk = :pk_eq AND begins_with(#sk, :sk_beginsWith)");
    assert_eq!(query["query"]["expressionValues"], json!({":pk_eq": {"S": "a"}, ":sk_beginsWith": {"S": "b"}}));
    assert_eq!((query["index"].clone(), query["limit"].clone()), (json!("byPk"), json!(5)));
    assert_eq!(query["filter"]["expression"], "(#x = :x_eq)");
    assert_eq!(eval("ddb.remove({ key: { id: '1' } })"), json!({"operation": "DeleteItem", "key": {"id": {"S": "1"}}}));
    assert_eq!(eval("ddb.scan({ limit: 2 })"), json!({"operation": "Scan", "limit": 2}));
    assert_eq!(
        eval("ddb.get({ key: { id: 1 }, projection: ['a', 'b.c'] })")["projection"],
        json!({"expression": "#a, #b.#c", "expressionNames": {"#a": "a", "#b": "b", "#c": "c"}})
    );
}
