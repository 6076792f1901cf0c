//! The generated AppSync SDL: it parses and validates with graphql-js (AppSync's
//! scalars and directives declared), and for the chat schema it has the same types,
//! inputs, fields, arguments and directives as real Amplify's.

mod data_support;

use data_support::*;
use serde_json::Value;

/// The one type Amplify emits that we do not: an input of the AI conversation
/// routes, which the chat schema does not use.
const AMPLIFY_ONLY: &[&str] = &["AmplifyAIConversationTurnErrorInput"];

#[test]
fn chat_sdl_matches_amplify_type_by_type_and_field_by_field() {
    let ours = describe_sdl(&compile(chat_schema()).sdl());
    let theirs = describe_sdl(&reference("appsync-schema.graphql"));
    let (ours, theirs) = (ours.as_object().unwrap(), theirs.as_object().unwrap());
    for (name, expected) in theirs {
        if AMPLIFY_ONLY.contains(&name.as_str()) {
            assert!(!ours.contains_key(name));
            continue;
        }
        let Some(actual) = ours.get(name) else { panic!("missing type {name}") };
        assert_eq!(actual["kind"], expected["kind"], "{name}: kind");
        assert_eq!(actual["directives"], expected["directives"], "{name}: directives");
        assert_eq!(actual["values"], expected["values"], "{name}: enum values");
        let (af, ef) = (&actual["fields"], &expected["fields"]);
        if let Some(ef) = ef.as_object() {
            let keys = |v: &Value| {
                let mut k: Vec<String> = v.as_object().map(|o| o.keys().cloned().collect()).unwrap_or_default();
                k.sort();
                k
            };
            assert_eq!(keys(af), keys(&expected["fields"]), "{name}: field names");
            for (field, e) in ef {
                assert_eq!(&af[field], e, "{name}.{field}: type, arguments and directives");
            }
        }
    }
    let extra: Vec<&String> = ours.keys().filter(|k| !theirs.contains_key(*k)).collect();
    assert!(extra.is_empty(), "types Amplify does not have: {extra:?}");
}

#[test]
fn the_rich_schema_validates_with_graphql_js() {
    let sdl = compile_with(rich_schema(), rich_modes()).sdl();
    let d = describe_sdl(&sdl);
    // Enum and custom-type plumbing.
    assert_eq!(d["Status"]["values"], serde_json::json!(["ARCHIVED", "DRAFT", "PUBLISHED"]));
    assert_eq!(d["PostVisibility"]["kind"], "enum", "inline enums are named <Type><Field>");
    assert_eq!(d["PostStats"]["kind"], "type");
    assert_eq!(d["ModelStatusInput"]["fields"]["eq"]["type"], "Status");
    assert_eq!(d["LocationInput"]["fields"]["lat"]["type"], "Float!");
    assert_eq!(d["CreatePostInput"]["fields"]["location"]["type"], "LocationInput");
    assert_eq!(d["CreatePostInput"]["fields"]["tags"]["type"], "[String!]!");
    assert_eq!(d["CreatePostInput"]["fields"]["visibility"]["type"], "PostVisibility", "a default makes it optional");
    assert_eq!(d["UpdatePostInput"]["fields"]["tags"]["type"], "[String!]", "update inputs drop only the outer `!`");
    assert_eq!(d["UpdatePostInput"]["fields"]["slug"]["type"], "String!", "key fields stay required");
    assert_eq!(d["DeleteEventInput"]["fields"].as_object().unwrap().len(), 3);
    // Custom types inherit the modes of whatever returns them.
    assert_eq!(d["Location"]["directives"], serde_json::json!(["@aws_api_key", "@aws_cognito_user_pools", "@aws_iam"]));
}

#[test]
fn custom_identifiers_and_indexes_shape_the_queries() {
    let d = describe_sdl(&compile_with(rich_schema(), rich_modes()).sdl());
    let q = &d["Query"]["fields"];
    assert_eq!(q["getPost"]["args"], serde_json::json!({"blogId": "ID!", "slug": "String!"}));
    assert_eq!(
        q["listPosts"]["args"],
        serde_json::json!({"blogId": "ID", "slug": "ModelStringKeyConditionInput", "filter": "ModelPostFilterInput", "limit": "Int", "nextToken": "String", "sortDirection": "ModelSortDirection"})
    );
    assert_eq!(q["listEvents"]["args"]["roomSlot"], "ModelEventPrimaryCompositeKeyConditionInput");
    assert_eq!(d["ModelEventPrimaryCompositeKeyInput"]["fields"]["slot"]["type"], "Int");
    assert_eq!(q["postsByStatus"]["args"]["status"], "Status!");
    assert_eq!(q["postsByStatus"]["args"]["publishedAt"], "ModelIntKeyConditionInput");
    assert_eq!(q["listPostByAuthorId"]["type"], "ModelPostConnection", "default query field of an index");
    assert!(d["Subscription"]["fields"].get("onCreateEvent").is_none(), "disabled subscriptions are gone");
    assert!(d["Mutation"]["fields"].get("deleteEvent").is_none(), "disabled mutations are gone");
}

#[test]
fn custom_operations_get_native_appsync_directives() {
    let d = describe_sdl(&compile_with(rich_schema(), rich_modes()).sdl());
    assert_eq!(d["Query"]["fields"]["echo"]["type"], "EchoReturnType");
    assert_eq!(d["Query"]["fields"]["echo"]["args"], serde_json::json!({"content": "String!", "times": "Int"}));
    assert_eq!(
        d["Query"]["fields"]["echo"]["directives"],
        serde_json::json!(["@aws_api_key", "@aws_cognito_user_pools"])
    );
    assert_eq!(
        d["Mutation"]["fields"]["moderate"]["directives"],
        serde_json::json!(["@aws_cognito_user_pools(cognito_groups: [\"Editors\", \"Admins\"])"])
    );
    assert_eq!(d["Mutation"]["fields"]["moderate"]["args"]["place"], "LocationInput");
    let on_moderated = &d["Subscription"]["fields"]["onModerated"];
    assert_eq!(on_moderated["type"], "Post", "a subscription returns what its mutation returns");
    let has = |field: &Value, directive: &str| field["directives"].as_array().unwrap().iter().any(|d| d == directive);
    assert!(has(on_moderated, "@aws_subscribe(mutations: [\"moderate\"])"), "{on_moderated}");
    assert!(has(on_moderated, "@aws_cognito_user_pools(cognito_groups: [\"Editors\"])"), "{on_moderated}");
    let on_change = &d["Subscription"]["fields"]["onPostChange"];
    assert!(has(on_change, "@aws_subscribe(mutations: [\"createPost\", \"updatePost\"])"), "{on_change}");
}

#[test]
fn field_rules_put_directives_on_the_field() {
    let d = describe_sdl(&compile_with(rich_schema(), rich_modes()).sdl());
    assert_eq!(d["Post"]["fields"]["notes"]["directives"], serde_json::json!(["@aws_cognito_user_pools", "@aws_iam"]));
    assert_eq!(d["Post"]["directives"], serde_json::json!(["@aws_api_key", "@aws_cognito_user_pools", "@aws_iam"]));
    assert_eq!(d["Profile"]["directives"], serde_json::json!(["@aws_cognito_user_pools", "@aws_iam"]));
}
