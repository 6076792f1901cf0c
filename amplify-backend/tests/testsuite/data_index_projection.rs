//! Index `.projection(...)` (Amplify's `.projection('KEYS_ONLY' | 'INCLUDE' | 'ALL')`):
//! the table's global secondary indexes copy what each index asks for, the model
//! schema's `@index` says so as Amplify writes it, bad projections are refused
//! naming the index, and cfn-lint finds nothing.

use crate::data_support::*;

use amplify_backend::data::*;
use constructs::assertions::Match;
use serde_json::json;

fn schema() -> Schema {
    a::schema([(
        "Order",
        a::model([
            ("customerId", a::id().required()),
            ("status", a::string().required()),
            ("total", a::float()),
            ("note", a::string()),
            ("placedAt", a::datetime().required()),
        ])
        .secondary_indexes(|index| {
            [
                index("customerId").sort_keys(["placedAt"]).projection(Projection::KeysOnly),
                index("status").projection(Projection::include(["total", "note"])),
                index("placedAt"),
            ]
        })
        .authorization(|allow| [allow.authenticated()]),
    )])
}

#[test]
fn each_index_copies_what_its_projection_names() {
    let data = define_data(DataProps { schema: schema(), ..Default::default() });
    let (t, findings) = synth_and_lint("projection", data, Vec::new());
    assert!(findings.is_empty(), "{findings:#?}");
    let tables = t.find_resources("AWS::DynamoDB::Table", Match::any_value());
    assert_eq!(tables.len(), 1, "{:?}", tables.keys());
    let indexes = tables.values().next().unwrap()["Properties"]["GlobalSecondaryIndexes"].clone();
    let by_name = |name: &str| {
        indexes.as_array().unwrap().iter().find(|i| i["IndexName"] == name).cloned().unwrap_or_else(|| panic!("{name}"))
    };
    assert_eq!(by_name("ordersByCustomerIdAndPlacedAt")["Projection"], json!({"ProjectionType": "KEYS_ONLY"}));
    assert_eq!(
        by_name("ordersByStatus")["Projection"],
        json!({"ProjectionType": "INCLUDE", "NonKeyAttributes": ["total", "note"]})
    );
    assert_eq!(by_name("ordersByPlacedAt")["Projection"], json!({"ProjectionType": "ALL"}));
}

#[test]
fn the_model_schema_writes_projections_as_amplify_does() {
    let text = compile(schema()).model_schema();
    for expected in [
        r#"@index(name: "ordersByCustomerIdAndPlacedAt", sortKeyFields: ["placedAt"], queryField: "listOrderByCustomerIdAndPlacedAt", projection: { type: KEYS_ONLY })"#,
        r#"@index(name: "ordersByStatus", queryField: "listOrderByStatus", projection: { type: INCLUDE, nonKeyAttributes: ["total", "note"] })"#,
        r#"@index(name: "ordersByPlacedAt", queryField: "listOrderByPlacedAt")"#,
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
}

#[test]
fn bad_projections_are_refused_naming_the_index() {
    let bad = a::schema! {
        Order: a::model([
            ("status", a::string().required()),
            ("total", a::float()),
            ("customerId", a::id()),
            ("customer", a::belongs_to("Customer", "customerId")),
        ])
        .secondary_indexes(|index| [
            index("status").projection(Projection::include(Vec::<String>::new())),
            index("total").projection(Projection::include(["total", "total", "missing", "customer"])),
        ]),
        Customer: a::model([("orders", a::has_many("Order", "customerId"))]),
    }
    .authorization(|allow| [allow.authenticated()]);
    let errors = errors(bad, AuthorizationModes::user_pool(), DataContext::with_auth());
    let text = errors.to_string();
    for expected in [
        "Order index ordersByStatus: `Projection::include` names no fields.",
        "Order index ordersByTotal: the projection lists `total` twice.",
        "Order index ordersByTotal: the projection lists `missing`, which `Order` does not declare.",
        "Order index ordersByTotal: the projection lists the relationship field `customer`, which is not stored.",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    assert_eq!(errors.0.len(), 4, "{text}");
}
