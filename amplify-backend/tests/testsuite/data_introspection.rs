//! The model introspection schema (`amplify_outputs.json` `data.model_introspection`),
//! which the JS client's `generateClient` reads: equal to real Amplify's for the chat
//! schema, value by value, and in Amplify's shapes for everything else.

use crate::data_support;

use amplify_backend::data::*;
use data_support::*;
use serde_json::{json, Value};

/// Walks both values and reports the first path where they differ.
fn assert_same(path: &str, ours: &Value, theirs: &Value) {
    match (ours, theirs) {
        (Value::Object(o), Value::Object(t)) => {
            let mut ok: Vec<&String> = o.keys().collect();
            let mut tk: Vec<&String> = t.keys().collect();
            ok.sort();
            tk.sort();
            assert_eq!(ok, tk, "{path}: keys");
            for (k, v) in t {
                assert_same(&format!("{path}.{k}"), &o[k], v);
            }
        }
        (Value::Array(o), Value::Array(t)) => {
            assert_eq!(o.len(), t.len(), "{path}: length");
            for (i, (a, b)) in o.iter().zip(t).enumerate() {
                assert_same(&format!("{path}[{i}]"), a, b);
            }
        }
        _ => assert_eq!(ours, theirs, "{path}"),
    }
}

#[test]
fn chat_introspection_equals_amplify_value_by_value() {
    let ours = compile(chat_schema()).model_introspection();
    let theirs: Value = serde_json::from_str(&reference("modelIntrospectionSchema.json")).unwrap();
    assert_same("$", &ours, &theirs);
    // Field order matters to people reading it: id first, timestamps last.
    let fields: Vec<&String> = ours["models"]["Message"]["fields"].as_object().unwrap().keys().collect();
    assert_eq!(fields, ["id", "text", "chatId", "chat", "createdAt", "updatedAt"]);
}

fn rich() -> Value {
    compile_with(rich_schema(), rich_modes()).model_introspection()
}

#[test]
fn relationships_use_amplify_association_shapes() {
    let i = rich();
    let author = &i["models"]["Author"]["fields"];
    assert_eq!(
        author["profile"]["association"],
        json!({"connectionType": "HAS_ONE", "associatedWith": ["authorId"], "targetNames": []})
    );
    assert_eq!(author["posts"]["association"], json!({"connectionType": "HAS_MANY", "associatedWith": ["authorId"]}));
    assert_eq!(author["posts"]["isArrayNullable"], true);
    assert_eq!(
        i["models"]["Profile"]["fields"]["author"]["association"],
        json!({"connectionType": "BELONGS_TO", "targetNames": ["authorId"]})
    );
}

#[test]
fn keys_indexes_and_composite_identifiers_are_attributes() {
    let i = rich();
    let post = &i["models"]["Post"];
    assert_eq!(
        post["primaryKeyInfo"],
        json!({"isCustomPrimaryKey": true, "primaryKeyFieldName": "blogId", "sortKeyFieldNames": ["slug"]})
    );
    let attrs = post["attributes"].as_array().unwrap();
    assert_eq!(attrs[0], json!({"type": "model", "properties": {}}));
    assert_eq!(attrs[1], json!({"type": "key", "properties": {"fields": ["blogId", "slug"]}}));
    assert_eq!(
        attrs[2],
        json!({"type": "key", "properties": {"name": "postsByStatusAndPublishedAt", "queryField": "postsByStatus", "fields": ["status", "publishedAt"]}})
    );
    assert_eq!(
        attrs[3],
        json!({"type": "key", "properties": {"name": "postsByAuthorId", "queryField": "listPostByAuthorId", "fields": ["authorId"]}})
    );
    assert!(post["fields"].get("id").is_none(), "no implicit id with a custom identifier");
    assert_eq!(post["fields"]["blogId"]["isRequired"], true);
    // Relationship indexes are internal: Author's has_many index is not listed on Post.
    assert_eq!(attrs.iter().filter(|a| a["type"] == "key").count(), 3);
    let event = &i["models"]["Event"];
    // Disabled: subscriptions (all of them) and delete (one of the mutations).
    assert_eq!(
        event["attributes"][0],
        json!({"type": "model", "properties": {"mutations": {"delete": null}, "subscriptions": null}})
    );
    assert_eq!(event["primaryKeyInfo"]["sortKeyFieldNames"], json!(["room", "slot"]));
}

#[test]
fn auth_rules_are_spelled_as_amplify_spells_them() {
    let i = rich();
    let rules =
        |m: &str| i["models"][m]["attributes"].as_array().unwrap().last().unwrap()["properties"]["rules"].clone();
    assert_eq!(
        rules("Post"),
        json!([
            {"provider": "userPools", "ownerField": "owner", "allow": "owner", "identityClaim": "cognito:username", "operations": ["create", "update", "delete", "read"]},
            {"groupClaim": "cognito:groups", "provider": "userPools", "allow": "groups", "groups": ["Editors"], "operations": ["create", "update", "delete", "read"]},
            {"allow": "public", "provider": "apiKey", "operations": ["read"]},
        ])
    );
    assert_eq!(rules("Author")[1], json!({"allow": "private", "operations": ["read"]}));
    assert_eq!(rules("Profile")[1], json!({"allow": "public", "provider": "iam", "operations": ["read"]}));
}

#[test]
fn field_types_cover_scalars_enums_and_non_models() {
    let i = rich();
    let f = &i["models"]["Post"]["fields"];
    assert_eq!(f["status"]["type"], json!({"enum": "Status"}));
    assert_eq!(f["visibility"]["type"], json!({"enum": "PostVisibility"}));
    assert_eq!(f["location"]["type"], json!({"nonModel": "Location"}));
    assert_eq!(f["stats"]["type"], json!({"nonModel": "PostStats"}));
    assert_eq!(
        f["tags"],
        json!({"name": "tags", "isArray": true, "type": "String", "isRequired": true, "attributes": [], "isArrayNullable": false})
    );
    assert_eq!(f["publishedAt"]["type"], "AWSTimestamp");
    assert_eq!(f["rating"]["type"], "Float");
    assert_eq!(
        f["createdAt"],
        json!({"name": "createdAt", "isArray": false, "type": "AWSDateTime", "isRequired": false, "attributes": [], "isReadOnly": true})
    );
    assert_eq!(i["enums"]["Status"], json!({"name": "Status", "values": ["DRAFT", "PUBLISHED", "ARCHIVED"]}));
    assert_eq!(i["enums"]["PostVisibility"]["values"], json!(["PUBLIC", "MEMBERS"]));
    assert_eq!(i["nonModels"]["Location"]["fields"]["lat"]["isRequired"], true);
    assert_eq!(i["nonModels"]["EchoReturnType"]["fields"]["at"]["type"], "AWSDateTime");
    assert!(f.get("owner").is_none(), "implicit owner fields stay out, as in Amplify");
}

#[test]
fn custom_operations_are_listed_with_their_arguments() {
    let i = rich();
    assert_eq!(
        i["queries"]["echo"],
        json!({
            "name": "echo", "isArray": false, "type": {"nonModel": "EchoReturnType"}, "isRequired": false,
            "arguments": {
                "content": {"name": "content", "isArray": false, "type": "String", "isRequired": true},
                "times": {"name": "times", "isArray": false, "type": "Int", "isRequired": false},
            },
        })
    );
    assert_eq!(i["mutations"]["moderate"]["type"], json!({"model": "Post"}));
    assert_eq!(i["mutations"]["moderate"]["arguments"]["place"]["type"], json!({"nonModel": "Location"}));
    assert_eq!(i["subscriptions"]["onModerated"]["type"], json!({"model": "Post"}));
    assert!(compile(chat_schema()).model_introspection().get("queries").is_none());
}

#[test]
fn many_to_many_is_two_has_many_into_a_join_model_with_two_belongs_to() {
    let schema = post_tags();
    let i = compile(schema).model_introspection();
    let field = |m: &str, f: &str| i["models"][m]["fields"][f].clone();
    assert_eq!(
        field("Post", "tags"),
        json!({"name": "tags", "isArray": true, "type": {"model": "PostTag"}, "isRequired": false, "attributes": [],
               "isArrayNullable": true, "association": {"connectionType": "HAS_MANY", "associatedWith": ["postId"]}})
    );
    assert_eq!(
        field("Tag", "posts")["association"],
        json!({"connectionType": "HAS_MANY", "associatedWith": ["tagId"]})
    );
    assert_eq!(
        field("PostTag", "post")["association"],
        json!({"connectionType": "BELONGS_TO", "targetNames": ["postId"]})
    );
    assert_eq!(field("PostTag", "tag")["type"], json!({"model": "Tag"}));
    let names: Vec<&String> = i["models"]["PostTag"]["fields"].as_object().unwrap().keys().collect();
    assert_eq!(names, ["id", "postId", "tagId", "post", "tag", "createdAt", "updatedAt"]);
}

#[test]
fn every_provider_and_operation_is_spelled_as_amplify_spells_it() {
    use amplify_backend::data::Operation::*;
    let modes = every_mode();
    let schema = a::schema([(
        "Doc",
        a::model([("t", a::string())]).authorization(|allow| {
            [
                allow.custom().to([Get, List]),
                allow.owner().provider(Provider::Oidc).identity_claim("sub").to([Create, Listen]),
                allow.authenticated().provider(Provider::IdentityPool).to([Update]),
                allow.authenticated().provider(Provider::Oidc).to([Delete]),
                allow.groups(["Staff"]).provider(Provider::Oidc).with_claim_in("roles"),
                allow.groups_defined_in("teams"),
            ]
        }),
    )]);
    let i = compile_with(schema, modes).model_introspection();
    let rules = i["models"]["Doc"]["attributes"].as_array().unwrap().last().unwrap()["properties"]["rules"].clone();
    assert_eq!(
        rules,
        json!([
            {"allow": "custom", "provider": "function", "operations": ["get", "list"]},
            {"provider": "oidc", "ownerField": "owner", "allow": "owner", "identityClaim": "sub", "operations": ["create", "listen"]},
            {"allow": "private", "provider": "iam", "operations": ["update"]},
            {"allow": "private", "provider": "oidc", "operations": ["delete"]},
            {"groupClaim": "roles", "provider": "oidc", "allow": "groups", "groups": ["Staff"], "operations": ["create", "update", "delete", "read"]},
            {"groupClaim": "cognito:groups", "provider": "userPools", "allow": "groups", "groupsField": "teams", "operations": ["create", "update", "delete", "read"]},
        ])
    );
}
