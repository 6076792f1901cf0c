//! Access rules land on the right roles with the exact prefixes: owners, guests,
//! groups and functions, with Amplify's deny rules for nested paths, and the
//! `paths` of the outputs.

use crate::storage_support;

use amplify_backend::storage::{access, define_storage, StorageAction::*, StorageProps};
use amplify_backend::Backend;
use serde_json::{json, Value};
use storage_support::*;

fn arn() -> Value {
    json!({"Fn::GetAtt": ["mediaBucket9F5DE49B", "Arn"]})
}

fn object(prefix: &str) -> Value {
    json!({"Fn::Join": ["", [arn(), format!("/{prefix}")]]})
}

fn statement(effect: &str, action: &str, prefixes: &[&str]) -> Value {
    if action == "s3:ListBucket" {
        let condition: Vec<String> =
            prefixes.iter().flat_map(|p| [p.to_string(), p.trim_end_matches('*').to_string()]).collect();
        return json!({"Effect": effect, "Action": action, "Resource": arn(),
            "Condition": {"StringLike": {"s3:prefix": condition}}});
    }
    let resources: Vec<Value> = prefixes.iter().map(|p| object(p)).collect();
    let resource = if resources.len() == 1 { resources[0].clone() } else { Value::Array(resources) };
    json!({"Effect": effect, "Action": action, "Resource": resource})
}

fn policy_statements(template: &Value, logical_id_prefix: &str) -> Value {
    resource(template, logical_id_prefix).1["Properties"]["PolicyDocument"]["Statement"].clone()
}

const OWNER: &str = "profile/${cognito-identity.amazonaws.com:sub}/*";

fn media(reader: &amplify_backend::function::FunctionDefinition) -> amplify_backend::storage::StorageDefinition {
    define_storage(StorageProps {
        name: "media".into(),
        access: access(|allow| {
            [
                ("photos/*", vec![allow.authenticated.to([Read, Write]), allow.guest.to([Read])]),
                ("photos/private/*", vec![allow.groups(["ADMINS"]).to([Read, Write, Delete])]),
                (
                    "profile/{entity_id}/*",
                    vec![allow.guest.to([Read]), allow.entity("identity").to([Read, Write, Delete])],
                ),
                ("reports/*", vec![allow.resource(reader).to([Read])]),
            ]
        }),
        ..Default::default()
    })
}

#[test]
fn each_role_gets_its_prefixes_and_the_nested_path_is_denied() {
    let reader = function("report-reader");
    let backend = Backend::build(app("sandbox"), (auth_with_groups(&["ADMINS"]), media(&reader), reader));
    let assembly = synth(&backend);
    let storage = nested(&assembly, &backend, "storage");

    // Signed-in users: photos/* read+write and their own folder, but nothing of
    // photos/private/* (only ADMINS may), which is denied explicitly.
    assert_eq!(
        policy_statements(&storage, "mediaauthenticatedAccess"),
        json!([
            statement("Allow", "s3:GetObject", &["photos/*", OWNER]),
            statement("Deny", "s3:GetObject", &["photos/private/*"]),
            statement("Allow", "s3:ListBucket", &["photos/*", OWNER]),
            statement("Deny", "s3:ListBucket", &["photos/private/*"]),
            statement("Allow", "s3:PutObject", &["photos/*", OWNER]),
            statement("Deny", "s3:PutObject", &["photos/private/*"]),
            statement("Allow", "s3:DeleteObject", &[OWNER]),
        ])
    );
    // Guests: read photos and every profile folder, not the private photos.
    assert_eq!(
        policy_statements(&storage, "mediaguestAccess"),
        json!([
            statement("Allow", "s3:GetObject", &["photos/*", "profile/*"]),
            statement("Deny", "s3:GetObject", &["photos/private/*"]),
            statement("Allow", "s3:ListBucket", &["photos/*", "profile/*"]),
            statement("Deny", "s3:ListBucket", &["photos/private/*"]),
        ])
    );
    assert_eq!(
        policy_statements(&storage, "mediagroupADMINSAccess"),
        json!([
            statement("Allow", "s3:GetObject", &["photos/private/*"]),
            statement("Allow", "s3:ListBucket", &["photos/private/*"]),
            statement("Allow", "s3:PutObject", &["photos/private/*"]),
            statement("Allow", "s3:DeleteObject", &["photos/private/*"]),
        ])
    );
    // Each on its own role, passed in from the auth stack.
    for (policy, role) in [
        ("mediaauthenticatedAccess", "authenticatedUserRole"),
        ("mediaguestAccess", "unauthenticatedUserRole"),
        ("mediagroupADMINSAccess", "ADMINSGroupRole"),
    ] {
        let roles = &resource(&storage, policy).1["Properties"]["Roles"];
        let parameter = roles[0]["Ref"].as_str().unwrap();
        assert!(parameter.contains(&format!("amplifyAuth{role}")), "{policy}: {parameter}");
    }
}

#[test]
fn a_function_gets_a_policy_in_its_own_stack_and_the_bucket_name() {
    let reader = function("report-reader");
    let backend = Backend::build(app("sandbox"), (auth_with_groups(&["ADMINS"]), media(&reader), reader));
    let assembly = synth(&backend);
    // The function only uses storage, so it stays in the function stack, with its
    // policy; the storage stack does not depend on it.
    let functions = nested(&assembly, &backend, "function");
    let (_, policy) = resource(&functions, "mediareportreaderStorageAccess");
    let bucket_arn = policy["Properties"]["PolicyDocument"]["Statement"][0]["Resource"]["Fn::Join"][1][0].clone();
    let arn_parameter = bucket_arn["Ref"].as_str().expect("the bucket ARN comes in as a parameter").to_string();
    assert!(functions["Parameters"].get(&arn_parameter).is_some());
    assert_eq!(policy["Properties"]["PolicyDocument"]["Statement"][0]["Action"], "s3:GetObject");
    assert_eq!(policy["Properties"]["PolicyDocument"]["Statement"][1]["Action"], "s3:ListBucket");
    let role = policy["Properties"]["Roles"][0]["Ref"].as_str().unwrap();
    assert_eq!(functions["Resources"][role]["Type"], "AWS::IAM::Role");
    let (_, lambda) = of_type(&functions, "AWS::Lambda::Function")[0];
    let name = &lambda["Properties"]["Environment"]["Variables"]["MEDIA_BUCKET_NAME"];
    assert!(name["Ref"].as_str().is_some_and(|p| functions["Parameters"].get(p).is_some()), "{name}");
    let storage = nested(&assembly, &backend, "storage");
    assert!(storage
        .get("Parameters")
        .and_then(|p| p.as_object())
        .is_none_or(|p| p.keys().all(|k| !k.contains("function"))));
    let built = backend.storage().bucket("media").unwrap();
    assert!(built.access_policies().contains_key("function:report-reader"));
}

#[test]
fn the_outputs_list_each_path_as_amplify_does() {
    let reader = function("report-reader");
    let backend = Backend::build(app("sandbox"), (auth_with_groups(&["ADMINS"]), media(&reader), reader));
    let media = backend.storage().bucket("media").unwrap();
    let paths = serde_json::to_value(media.paths().unwrap()).unwrap();
    assert_eq!(
        paths,
        json!({
            "photos/*": {"authenticated": ["get", "list", "write"], "guest": ["get", "list"]},
            "photos/private/*": {"groupsADMINS": ["get", "list", "write", "delete"]},
            "profile/*": {"guest": ["get", "list"]},
            OWNER: {"entityidentity": ["get", "list", "write", "delete"]},
            // Function access is not for clients; the path is listed, as by Amplify.
            "reports/*": {}
        })
    );
    let assembly = synth(&backend);
    let buckets = root(&assembly, &backend)["Outputs"]["buckets"]["Value"]["Fn::Join"][1].to_string();
    assert!(
        buckets.contains(r#"\\\"groupsADMINS\\\":[\\\"get\\\",\\\"list\\\",\\\"write\\\",\\\"delete\\\"]"#),
        "{buckets}"
    );
}

#[test]
fn grants_to_missing_auth_groups_or_functions_are_all_reported() {
    let ghost = function("ghost");
    let storage = define_storage(StorageProps {
        name: "media".into(),
        access: access(|allow| {
            [
                ("a/*", vec![allow.authenticated.to([Read])]),
                ("b/*", vec![allow.groups(["EDITORS"]).to([Write])]),
                ("c/*", vec![allow.resource(&ghost).to([Read])]),
            ]
        }),
        ..Default::default()
    });
    // No auth and no ghost function in the backend.
    let backend = Backend::build(app("sandbox"), (storage,));
    let all = problems(&backend).join("\n");
    assert!(
        all.contains(&format!("[{ROOT}/storage/media] storage \"media\": access to \"a/*\" is given to authenticated")),
        "{all}"
    );
    assert!(all.contains("needs auth; add define_auth(..) to define_backend"), "{all}");
    assert!(all.contains("access to \"b/*\" is given to group \"EDITORS\", which needs auth"), "{all}");
    assert!(all.contains("access to \"c/*\" is given to function \"ghost\", which is not in define_backend"), "{all}");

    // With auth, the unknown group is named with the groups auth has.
    let storage = define_storage(StorageProps {
        name: "media".into(),
        access: access(|allow| [("b/*", vec![allow.groups(["EDITORS"]).to([Write])])]),
        ..Default::default()
    });
    let backend = Backend::build(app("sandbox"), (auth_with_groups(&["ADMINS"]), storage));
    let all = problems(&backend).join("\n");
    assert!(all.contains("group \"EDITORS\", which auth does not define (its groups: \"ADMINS\")"), "{all}");
}

#[test]
fn every_l1_can_be_overridden() {
    let backend = Backend::build(
        app("sandbox"),
        (
            auth(),
            define_storage(StorageProps {
                name: "media".into(),
                access: access(|allow| [("photos/*", vec![allow.authenticated.to([Read])])]),
                ..Default::default()
            }),
        ),
    );
    let media = backend.storage().bucket("media").unwrap();
    media.resources().expect("a made bucket").bucket.props_mut().bucket_name = Some("my-media-bucket".into());
    media.access_policies()["authenticated"].add_property_override("PolicyName", "custom");
    let assembly = synth(&backend);
    let storage = nested(&assembly, &backend, "storage");
    assert_eq!(storage["Resources"]["mediaBucket9F5DE49B"]["Properties"]["BucketName"], "my-media-bucket");
    assert_eq!(resource(&storage, "mediaauthenticatedAccess").1["Properties"]["PolicyName"], "custom");
}
