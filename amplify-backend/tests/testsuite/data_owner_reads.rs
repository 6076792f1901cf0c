//! Owner fields read as Amplify reads them: the part after the last `::` of each
//! stored `sub::username` (single owners and lists of owners), through a UNIT
//! resolver on the NONE data source or, for an owner field with rules of its own,
//! its field resolver. Auth checks keep comparing the stored value. Run in the
//! APPSYNC_JS harness (tests/js/appsync_harness.js).

use crate::data_support;

use amplify_backend::data::resolvers::DataSourceKind;
use amplify_backend::data::*;
use data_support::*;
use serde_json::{json, Value};

fn read(caller: &Value, field: &str, source: Value) -> Value {
    let mut step = call(caller, field, json!({}));
    step["source"] = source;
    step
}

#[test]
fn the_owner_reads_as_the_username_and_auth_still_compares_the_stored_value() {
    let plan = compile(chat_schema()).resolvers();
    let owner = plan.resolver("Chat", "owner").expect("Chat.owner has a resolver");
    assert_eq!(owner.data_source, Some(DataSourceKind::None), "a UNIT resolver on the NONE data source");
    assert!(owner.pipeline.is_empty());
    assert!(plan.resolver("Message", "owner").is_some());
    assert!(plan.resolver("Chat", "name").is_none(), "other fields read the item");

    let alice = user("alice", &[]);
    let bob = user("bob", &[]);
    let (r, tables) = Harness::new(&plan).run(vec![
        call(&alice, "Mutation.createChat", json!({"input": {"id": "c1", "name": "general"}})),
        call(&alice, "Query.getChat", json!({"id": "c1"})),
        call(&bob, "Query.getChat", json!({"id": "c1"})),
        // Handing in the username form, as a frontend reads it, changes no one's access.
        call(&bob, "Mutation.updateChat", json!({"input": {"id": "c1", "owner": "alice"}})),
        read(&alice, "Chat.owner", json!({"id": "c1", "owner": "sub-alice::alice"})),
    ]);
    assert_eq!(r[0]["data"]["owner"], "sub-alice::alice", "the model function answers the stored item");
    assert_eq!(r[1]["data"]["name"], "general");
    assert_eq!(r[2]["error"]["type"], "Unauthorized");
    assert_eq!(r[3]["error"]["type"], "Unauthorized");
    assert_eq!(r[4]["data"], "alice", "the field resolver answers the username");
    assert_eq!(tables["Chat"][0]["owner"], "sub-alice::alice", "the stored value stays sub::username");
}

#[test]
fn every_owner_of_a_list_reads_as_its_username_and_odd_values_pass_through() {
    let schema = a::schema([(
        "Doc",
        a::model([("title", a::string()), ("editors", a::string().array())])
            .authorization(|allow| [allow.owner(), allow.owners_defined_in("editors")]),
    )]);
    let plan = compile(schema).resolvers();
    let u = user("u", &[]);
    let (r, _) = Harness::new(&plan).run(vec![
        read(&u, "Doc.editors", json!({"editors": ["sub-b::bob", "sub-c::carol", "legacy"]})),
        read(&u, "Doc.owner", json!({"owner": "sub-a::alice"})),
        read(&u, "Doc.owner", json!({"owner": "a::b::c"})),
        read(&u, "Doc.owner", json!({"owner": "just-a-sub"})),
        read(&u, "Doc.owner", json!({"owner": null})),
        read(&u, "Doc.editors", json!({})),
    ]);
    assert_eq!(r[0]["data"], json!(["bob", "carol", "legacy"]));
    assert_eq!(r[1]["data"], "alice");
    assert_eq!(r[2]["data"], "c", "the part after the last `::`");
    assert_eq!(r[3]["data"], "just-a-sub");
    assert!(r[4]["data"].is_null() && r[5]["data"].is_null());
}

#[test]
fn an_owner_field_with_its_own_rules_reads_as_the_username_to_those_it_admits() {
    use amplify_backend::data::Operation::*;
    let schema = a::schema([(
        "Note",
        a::model([
            ("text", a::string()),
            ("owner", a::string().authorization(|allow| [allow.owner().to([Read]), allow.groups(["Admins"])])),
        ])
        .authorization(|allow| [allow.owner(), allow.groups(["Admins"])]),
    )]);
    let plan = compile(schema).resolvers();
    let resolver = plan.resolver("Note", "owner").expect("the field's own resolver");
    assert_eq!(resolver.data_source, None, "the field rules' pipeline resolver, not a second one");
    assert_eq!(resolver.pipeline, ["AuthFunction"]);
    let stored = json!({"id": "n1", "owner": "sub-alice::alice"});
    let (r, _) = Harness::new(&plan).run(vec![
        read(&user("alice", &[]), "Note.owner", stored.clone()),
        read(&user("ada", &["Admins"]), "Note.owner", stored.clone()),
        read(&user("bob", &[]), "Note.owner", stored),
    ]);
    assert_eq!(r[0]["data"], "alice");
    assert_eq!(r[1]["data"], "alice");
    assert_eq!(r[2]["error"]["type"], "Unauthorized", "the field's rules still decide who reads it");
}

#[test]
fn only_owner_rules_on_a_joined_identity_claim_read_as_usernames() {
    let schema = a::schema([
        ("ByEmail", a::model([("t", a::string())]).authorization(|allow| [allow.owner().identity_claim("email")])),
        (
            "BySubAndEmail",
            a::model([("t", a::string())]).authorization(|allow| [allow.owner().identity_claim("sub::email")]),
        ),
        ("Shared", a::model([("t", a::string())]).authorization(|allow| [allow.authenticated()])),
    ]);
    let plan = compile(schema).resolvers();
    assert!(plan.resolver("ByEmail", "owner").is_none(), "a single claim is stored as it reads");
    assert!(plan.resolver("BySubAndEmail", "owner").is_some());
    let owner_resolvers = plan.resolvers.iter().filter(|r| r.field_name == "owner").count();
    assert_eq!(owner_resolvers, 1);
}
