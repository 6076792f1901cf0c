//! Field `.validate(...)` (Amplify's `a.string().validate(v => ...)`): the
//! `@validate` directives of the model schema, the checks the create and update
//! resolvers run (Amplify's messages, the first failure wins, null values pass),
//! misuse refused naming the field, and cfn-lint and AWS's AppSync linter finding
//! nothing.

use crate::data_support::*;

use amplify_backend::data::*;
use serde_json::{json, Value};

fn schema() -> Schema {
    a::schema([(
        "Product",
        a::model([
            ("name", a::string().validate(|v| v.min_length(3).max_length(10))),
            ("sku", a::string().validate(|v| v.matches("[A-Z]{3}-[0-9]+").message("SKU looks like ABC-123"))),
            ("tag", a::string().validate(|v| v.starts_with("t_").ends_with("_x"))),
            ("price", a::float().validate(|v| v.positive().lte(1000.0))),
            ("stock", a::integer().validate(|v| v.gte(0.0).lt(100.0))),
        ])
        .authorization(|allow| [allow.authenticated()]),
    )])
}

#[test]
fn the_model_schema_carries_amplifys_validate_directives() {
    let text = compile(schema()).model_schema();
    for expected in [
        r#"name: String @validate(type: minLength, value: "3") @validate(type: maxLength, value: "10")"#,
        r#"sku: String @validate(type: matches, value: "[A-Z]{3}-[0-9]+", errorMessage: "SKU looks like ABC-123")"#,
        r#"price: Float @validate(type: gt, value: "0") @validate(type: lte, value: "1000")"#,
        r#"stock: Int @validate(type: gte, value: "0") @validate(type: lt, value: "100")"#,
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
}

fn message(result: &Value) -> Option<&str> {
    result["error"]["message"].as_str()
}

#[test]
fn create_and_update_check_the_input_with_amplifys_messages() {
    let h = Harness::new(&compile(schema()).resolvers());
    let u = user("u", &[]);
    let create = |input: Value| call(&u, "Mutation.createProduct", json!({"input": input}));
    let update = |input: Value| call(&u, "Mutation.updateProduct", json!({"input": input}));
    let (r, tables) = h.run(vec![
        create(json!({"id": "p1", "name": "lamp", "sku": "ABC-1", "tag": "t_a_x", "price": 9.5, "stock": 0})),
        create(json!({"name": "ab"})),
        create(json!({"name": "abcdefghijk"})),
        create(json!({"sku": "abc-1"})),
        create(json!({"tag": "x_a_x"})),
        create(json!({"tag": "t_a"})),
        create(json!({"price": 0})),
        create(json!({"price": 1000.5})),
        create(json!({"stock": -1})),
        create(json!({"stock": 100})),
        // The first failing rule is the error, in field order.
        create(json!({"name": "ab", "price": -1})),
        // Absent and null values are not checked.
        create(json!({"id": "p2", "name": null})),
        update(json!({"id": "p1", "name": "ok name"})),
        update(json!({"id": "p1", "stock": 500})),
        update(json!({"id": "p1", "price": null})),
    ]);
    assert_eq!(r[0]["error"], Value::Null, "{}", r[0]);
    let expect = [
        (1, "Field name of type Product must have a minimum length of 3"),
        (2, "Field name of type Product must have a maximum length of 10"),
        (3, "SKU looks like ABC-123"),
        (4, "Field tag of type Product must start with t_"),
        (5, "Field tag of type Product must end with _x"),
        (6, "Field price of type Product must be greater than 0"),
        (7, "Field price of type Product must be less than or equal to 1000"),
        (8, "Field stock of type Product must be greater than or equal to 0"),
        (9, "Field stock of type Product must be less than 100"),
        (10, "Field name of type Product must have a minimum length of 3"),
        (13, "Field stock of type Product must be less than 100"),
    ];
    for (i, m) in expect {
        assert_eq!(message(&r[i]), Some(m), "step {i}: {}", r[i]);
        assert!(r[i]["requests"].as_array().is_none_or(|q| q.is_empty()), "step {i} reached the table: {}", r[i]);
    }
    for i in [11, 12, 14] {
        assert_eq!(r[i]["error"], Value::Null, "step {i}: {}", r[i]);
    }
    let items = tables["Product"].as_array().unwrap();
    assert_eq!(items.len(), 2, "only the valid creates are stored: {items:?}");
    let p1 = items.iter().find(|i| i["id"] == "p1").unwrap();
    assert_eq!(p1["name"], "ok name");
    assert_eq!(p1["stock"], 0, "the refused update changed nothing");
}

#[test]
fn validations_that_do_not_suit_the_field_are_refused_naming_it() {
    let bad = a::schema! {
        Item: a::model([
            ("code", a::id().validate(|v| v.min_length(2))),
            ("count", a::integer().validate(|v| v.min_length(2))),
            ("title", a::string().validate(|v| v.gt(1.0))),
            ("tags", a::string().array().validate(|v| v.max_length(5))),
            ("score", a::float().validate(|v| v.positive().gt(2.0))),
            ("ratio", a::float().validate(|v| v.lt(f64::NAN))),
            ("place", a::inline_custom_type([("city", a::string().validate(|v| v.min_length(1)))])),
        ]),
        echo: a::query().arguments([("q", a::string().validate(|v| v.min_length(1)))]).returns(a::string())
            .handler(a::handler::custom_inline("export function request(ctx) { return {}; }\nexport function response(ctx) { return ctx.args.q; }")),
    }
    .authorization(|allow| [allow.authenticated()]);
    let errors = errors(bad, AuthorizationModes::user_pool(), DataContext::with_auth());
    let text = errors.to_string();
    for expected in [
        "Item.code: the validation `minLength` applies to `a::string()` fields; this field is `ID`",
        "Item.count: the validation `minLength` applies to `a::string()` fields; this field is `Int`",
        "Item.title: the validation `gt` applies to `a::integer()` and `a::float()` fields",
        "Item.tags: `.validate(...)` cannot check a list field",
        "Item.score: the validation `gt` is given twice",
        "Item.ratio: the validation `lt` compares with a value that is not a finite number",
        "ItemPlace.city: `.validate(...)` applies to model fields only",
        "echo.q: `.validate(...)` applies to model fields only",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    assert_eq!(errors.0.len(), 8, "{text}");
}

#[test]
fn validated_models_pass_cfn_lint_and_the_appsync_linter() {
    let data = define_data(DataProps { schema: schema(), ..Default::default() });
    let (template, findings) = synth_and_lint("validate", data, Vec::new());
    assert!(findings.is_empty(), "{findings:#?}");
    let resolvers =
        template.find_resources("AWS::AppSync::Resolver", json!({"Properties": {"FieldName": "createProduct"}}));
    let code = resolvers.values().next().expect("the createProduct resolver")["Properties"]["Code"].to_string();
    assert!(code.contains("Field name of type Product must have a minimum length of 3"), "{code}");
}
