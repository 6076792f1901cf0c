//! Required relationships, as Amplify has them: `has_one(...).required()` (the
//! field is `Cart!` in the API and the model schema) and
//! `has_many(...).value_required()` (`[Member!]` in the model schema, the same
//! connection in the API); `belongs_to` takes neither, and misuse is refused
//! naming the field.

use crate::data_support::*;

use amplify_backend::data::*;
use serde_json::json;

fn schema() -> Schema {
    a::schema! {
        Customer: a::model([
            ("name", a::string()),
            ("cart", a::has_one("Cart", "customerId").required()),
            ("orders", a::has_many("Order", "customerId").value_required()),
        ]),
        Cart: a::model([("customerId", a::id().required()), ("customer", a::belongs_to("Customer", "customerId"))]),
        Order: a::model([("customerId", a::id().required()), ("customer", a::belongs_to("Customer", "customerId"))]),
    }
    .authorization(|allow| [allow.authenticated()])
}

#[test]
fn required_relationships_are_typed_as_amplify_types_them() {
    let compiled = compile(schema());
    let shape = describe_sdl(&compiled.sdl());
    let customer = &shape["Customer"]["fields"];
    assert_eq!(customer["cart"]["type"], "Cart!");
    assert_eq!(customer["orders"]["type"], "ModelOrderConnection", "the connection stays nullable, as in Amplify");
    let text = compiled.model_schema();
    assert!(text.contains(r#"cart: Cart! @hasOne(references: ["customerId"])"#), "{text}");
    assert!(text.contains(r#"orders: [Order!] @hasMany(references: ["customerId"])"#), "{text}");
    let mi = compiled.model_introspection();
    let fields = &mi["models"]["Customer"]["fields"];
    assert_eq!(fields["cart"]["isRequired"], true);
    assert_eq!(fields["orders"]["isRequired"], true);
    assert_eq!(fields["orders"]["isArrayNullable"], true);
    assert_eq!(mi["models"]["Order"]["fields"]["customer"]["isRequired"], false);
}

#[test]
fn a_required_has_one_reads_the_related_item_through_its_index() {
    let h = Harness::new(&compile(schema()).resolvers());
    let u = user("u", &[]);
    let (r, _) = h.run(vec![
        call(&u, "Mutation.createCustomer", json!({"input": {"id": "c1", "name": "Ana"}})),
        call(&u, "Mutation.createCart", json!({"input": {"id": "k1", "customerId": "c1"}})),
        {
            let mut step = call(&u, "Customer.cart", json!({}));
            step["source"] = json!({"id": "c1"});
            step
        },
    ]);
    assert_eq!(r[2]["data"]["id"], "k1", "{}", r[2]);
}

#[test]
fn requirement_modifiers_that_amplify_lacks_are_refused_naming_the_field() {
    let bad = a::schema! {
        Customer: a::model([
            ("cart", a::has_one("Cart", "customerId").value_required()),
            ("orders", a::has_many("Order", "customerId").required()),
            ("nick", a::string().value_required()),
        ]),
        Cart: a::model([("customerId", a::id()), ("customer", a::belongs_to("Customer", "customerId").required())]),
        Order: a::model([("customerId", a::id()), ("customer", a::belongs_to("Customer", "customerId"))]),
    }
    .authorization(|allow| [allow.authenticated()]);
    let errors = errors(bad, AuthorizationModes::user_pool(), DataContext::with_auth());
    let text = errors.to_string();
    for expected in [
        "Customer.cart: `.value_required()` applies to `a::has_many(...)` only.",
        "Customer.orders: `a::has_many(...)` takes no `.required()`",
        "Customer.nick: `.value_required()` applies to `a::has_many(...)` only.",
        "Cart.customer: `a::belongs_to(...)` takes no `.required()`",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    assert_eq!(errors.0.len(), 4, "{text}");
}

#[test]
fn required_relationships_pass_cfn_lint_and_the_appsync_linter() {
    let data = define_data(DataProps { schema: schema(), ..Default::default() });
    let (_, findings) = synth_and_lint("required-relationships", data, Vec::new());
    assert!(findings.is_empty(), "{findings:#?}");
}
