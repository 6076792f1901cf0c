//! `AmplifyOutputs::json_schema()` against Amplify's published schema
//! (reference/amplify-outputs-schema-v1.5.json), and documents built
//! with the Rust types against both schemas.

use amplify_backend::outputs::*;
use indexmap::IndexMap;
use serde_json::{json, Map, Value};

fn reference_schema() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../reference/amplify-outputs-schema-v1.5.json");
    let text = std::fs::read_to_string(path).expect("the reference schema is readable");
    serde_json::from_str(&text).expect("the reference schema is JSON")
}

/// Keywords that carry no validation meaning, or that name things.
const ANNOTATIONS: [&str; 7] = ["description", "title", "$schema", "$id", "$defs", "$comment", "tsType"];

/// The node's validation keywords, with `$ref` replaced by what it points at.
fn keywords(root: &Value, node: &Value, path: &str) -> Map<String, Value> {
    let mut keywords = Map::new();
    let Value::Object(object) = node else {
        keywords.insert("<schema>".into(), node.clone());
        return keywords;
    };
    for (key, value) in object {
        if key == "$ref" {
            let target = value.as_str().and_then(|r| r.strip_prefix('#')).and_then(|pointer| root.pointer(pointer));
            let target = target.unwrap_or_else(|| panic!("{path}: unresolvable $ref {value}"));
            for (key, value) in keywords_of_target(root, target, path) {
                assert!(!keywords.contains_key(&key), "{path}: $ref target and sibling both set {key}");
                keywords.insert(key, value);
            }
        } else if !ANNOTATIONS.contains(&key.as_str()) {
            assert!(!keywords.contains_key(key), "{path}: {key} set both beside and behind $ref");
            keywords.insert(key.clone(), value.clone());
        }
    }
    keywords
}

fn keywords_of_target(root: &Value, target: &Value, path: &str) -> Map<String, Value> {
    keywords(root, target, &format!("{path}/$ref"))
}

fn as_sorted_set(value: &Value) -> Vec<String> {
    let mut items: Vec<String> = value.as_array().into_iter().flatten().map(Value::to_string).collect();
    items.sort();
    items
}

fn type_set(value: &Value) -> Vec<String> {
    match value {
        Value::Array(_) => as_sorted_set(value),
        single => vec![single.to_string()],
    }
}

/// Compares two schema nodes keyword by keyword; collects every difference.
fn compare(ours_root: &Value, ours: &Value, theirs_root: &Value, theirs: &Value, path: &str, diffs: &mut Vec<String>) {
    let ours = keywords(ours_root, ours, path);
    let theirs = keywords(theirs_root, theirs, path);
    let mut names: Vec<&String> = ours.keys().chain(theirs.keys()).collect();
    names.sort();
    names.dedup();
    for name in names {
        let here = format!("{path}/{name}");
        let (Some(a), Some(b)) = (ours.get(name), theirs.get(name)) else {
            diffs.push(format!("{here}: ours {:?}, reference {:?}", ours.get(name), theirs.get(name)));
            continue;
        };
        match name.as_str() {
            "properties" | "patternProperties" => {
                let (Some(a), Some(b)) = (a.as_object(), b.as_object()) else {
                    diffs.push(format!("{here}: not an object"));
                    continue;
                };
                let mut a_keys: Vec<&String> = a.keys().collect();
                let mut b_keys: Vec<&String> = b.keys().collect();
                a_keys.sort();
                b_keys.sort();
                if a_keys != b_keys {
                    diffs.push(format!("{here}: ours {a_keys:?}, reference {b_keys:?}"));
                }
                for (key, b_value) in b {
                    if let Some(a_value) = a.get(key) {
                        compare(ours_root, a_value, theirs_root, b_value, &format!("{here}/{key}"), diffs);
                    }
                }
            }
            "items" | "propertyNames" => compare(ours_root, a, theirs_root, b, &here, diffs),
            "additionalProperties" if a.is_object() || b.is_object() => {
                compare(ours_root, a, theirs_root, b, &here, diffs)
            }
            "anyOf" | "oneOf" | "allOf" => match (a.as_array(), b.as_array()) {
                (Some(a), Some(b)) if a.len() == b.len() => {
                    for (index, (a, b)) in a.iter().zip(b).enumerate() {
                        compare(ours_root, a, theirs_root, b, &format!("{here}/{index}"), diffs);
                    }
                }
                _ => diffs.push(format!("{here}: ours {a}, reference {b}")),
            },
            "required" | "enum" if as_sorted_set(a) != as_sorted_set(b) => {
                diffs.push(format!("{here}: ours {a}, reference {b}"))
            }
            "required" | "enum" => {}
            "type" if type_set(a) != type_set(b) => diffs.push(format!("{here}: ours {a}, reference {b}")),
            "type" => {}
            _ if a != b => diffs.push(format!("{here}: ours {a}, reference {b}")),
            _ => {}
        }
    }
}

#[test]
fn schema_accepts_what_the_reference_accepts() {
    let ours = AmplifyOutputs::json_schema();
    let theirs = reference_schema();
    let mut diffs = Vec::new();
    compare(&ours, &ours, &theirs, &theirs, "#", &mut diffs);
    assert!(diffs.is_empty(), "schema differences:\n{}", diffs.join("\n"));
}

#[test]
fn schema_has_the_reference_definitions_and_draft() {
    let ours = AmplifyOutputs::json_schema();
    let theirs = reference_schema();
    assert_eq!(ours["$schema"], theirs["$schema"]);
    for name in theirs["$defs"].as_object().expect("reference $defs").keys() {
        assert!(ours["$defs"].get(name).is_some(), "$defs/{name} is missing from our schema");
    }
    // Shared types are referenced where the reference references them.
    assert_eq!(ours["properties"]["auth"]["properties"]["aws_region"]["$ref"], "#/$defs/aws_region");
    assert_eq!(
        ours["properties"]["data"]["properties"]["authorization_types"]["items"]["$ref"],
        "#/$defs/aws_appsync_authorization_type"
    );
    assert_eq!(
        ours["properties"]["storage"]["properties"]["buckets"]["items"]["$ref"],
        "#/$defs/amplify_storage_bucket"
    );
}

/// Every description text of `node`, by JSON pointer.
fn descriptions(node: &Value, path: &str, found: &mut Vec<(String, String)>) {
    match node {
        Value::Object(object) => {
            for (key, value) in object {
                let here = format!("{path}/{key}");
                match (key.as_str(), value) {
                    ("description", Value::String(text)) => found.push((path.to_owned(), text.clone())),
                    _ => descriptions(value, &here, found),
                }
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                descriptions(item, &format!("{path}/{index}"), found);
            }
        }
        _ => {}
    }
}

#[test]
fn descriptions_are_our_own_words() {
    let mut ours = Vec::new();
    descriptions(&AmplifyOutputs::json_schema(), "#", &mut ours);
    let mut theirs = Vec::new();
    descriptions(&reference_schema(), "#", &mut theirs);
    let normalize = |text: &str| text.trim().trim_end_matches('.').to_lowercase();
    let copied: Vec<_> = ours
        .iter()
        .filter(|(_, text)| theirs.iter().any(|(_, reference)| normalize(reference) == normalize(text)))
        .collect();
    assert!(copied.is_empty(), "descriptions copied from the reference: {copied:?}");
    assert!(ours.len() > 60, "most fields are described, found {}", ours.len());
}

#[test]
fn our_schema_is_a_valid_draft_2020_12_schema() {
    let ours = AmplifyOutputs::json_schema();
    assert!(jsonschema::meta::is_valid(&ours));
    jsonschema::draft202012::new(&ours).expect("our schema compiles");
}

/// A document that sets every field of every section.
fn everything() -> AmplifyOutputs {
    let region = "eu-west-1".to_string();
    AmplifyOutputs {
        schema: Some("https://example.com/outputs-schema.json".into()),
        version: OutputsVersion,
        analytics: Some(Analytics {
            amazon_pinpoint: Some(AmazonPinpoint { aws_region: region.clone(), app_id: "pinpoint-app".into() }),
        }),
        auth: Some(Auth {
            aws_region: region.clone(),
            user_pool_id: "eu-west-1_pool".into(),
            user_pool_client_id: "client".into(),
            identity_pool_id: Some("eu-west-1:identity".into()),
            password_policy: Some(PasswordPolicy {
                min_length: 12,
                require_symbols: true,
                ..PasswordPolicy::default()
            }),
            oauth: Some(OAuth {
                identity_providers: vec![IdentityProvider::Google, IdentityProvider::SignInWithApple],
                domain: "auth.example.com".into(),
                scopes: vec!["openid".into(), "email".into()],
                redirect_sign_in_uri: vec!["https://example.com/in".into()],
                redirect_sign_out_uri: vec!["https://example.com/out".into()],
                response_type: OAuthResponseType::Code,
            }),
            standard_required_attributes: Some(vec![StandardAttribute::Email, StandardAttribute::UpdatedAt]),
            username_attributes: Some(vec![UsernameAttribute::PhoneNumber]),
            user_verification_types: Some(vec![VerificationType::PhoneNumber]),
            unauthenticated_identities_enabled: Some(false),
            mfa_configuration: Some(MfaConfiguration::Optional),
            mfa_methods: Some(vec![MfaMethod::Totp, MfaMethod::Email]),
            passwordless: Some(Passwordless {
                email_otp_enabled: Some(true),
                sms_otp_enabled: Some(false),
                web_authn: Some(WebAuthn {
                    relying_party_id: "example.com".into(),
                    user_verification: WebAuthnUserVerification::Preferred,
                }),
                preferred_challenge: Some(PreferredChallenge::WebAuthn),
            }),
            groups: Some(vec![IndexMap::from([("ADMINS".to_string(), UserGroupConfig { precedence: Some(1) })])]),
        }),
        data: Some(Data {
            aws_region: region.clone(),
            url: "https://api.example.com/graphql".into(),
            model_introspection: Some(Map::from_iter([("version".to_string(), json!(1))])),
            api_key: Some("da2-key".into()),
            default_authorization_type: AuthorizationType::ApiKey,
            authorization_types: vec![AuthorizationType::AwsLambda, AuthorizationType::OpenidConnect],
        }),
        geo: Some(Geo {
            aws_region: region.clone(),
            maps: Some(GeoMaps {
                items: IndexMap::from([(
                    "streets".to_string(),
                    LocationMapConfig { style: Some("VectorEsriStreets".into()) },
                )]),
                default: "streets".into(),
            }),
            search_indices: Some(GeoCollection { items: vec!["places".into()], default: "places".into() }),
            geofence_collections: Some(GeoCollection { items: vec!["fences".into()], default: "fences".into() }),
        }),
        notifications: Some(Notifications {
            aws_region: Some(region.clone()),
            amazon_pinpoint_app_id: Some("pinpoint-app".into()),
            channels: Some(vec![PinpointChannel::InAppMessaging, PinpointChannel::Apns]),
            amazon_connect: Some(AmazonConnect { aws_region: region.clone(), endpoint: "https://connect".into() }),
        }),
        storage: Some(Storage {
            aws_region: region.clone(),
            bucket_name: "bucket".into(),
            buckets: Some(vec![StorageBucket {
                name: "media".into(),
                bucket_name: "bucket".into(),
                aws_region: region,
                paths: Some(IndexMap::from([(
                    "media/{entity_id}/*".to_string(),
                    StorageAccessRule::from_iter([
                        ("guest".to_string(), vec![StorageAccessAction::Read]),
                        ("entityidentity".to_string(), vec![StorageAccessAction::Write, StorageAccessAction::Delete]),
                        ("groupsADMINS".to_string(), vec![StorageAccessAction::List]),
                    ]),
                )])),
            }]),
        }),
        custom: Some(Map::from_iter([("anything".to_string(), json!({"nested": [1, 2]}))])),
    }
}

fn assert_valid(schema: &Value, document: &Value) {
    let validator = jsonschema::validator_for(schema).expect("schema compiles");
    let errors: Vec<String> = validator.iter_errors(document).map(|error| error.to_string()).collect();
    assert!(errors.is_empty(), "{document:#}\nis invalid: {errors:#?}");
}

#[test]
fn a_document_using_every_field_is_valid_and_round_trips() {
    let document = everything();
    let text = document.to_json_pretty();
    let value: Value = serde_json::from_str(&text).expect("our output is JSON");
    assert_valid(&reference_schema(), &value);
    assert_valid(&AmplifyOutputs::json_schema(), &value);
    let back: AmplifyOutputs = serde_json::from_str(&text).expect("our output reads back");
    assert_eq!(back, document);
    assert_eq!(back.to_json_pretty(), text, "writing is deterministic");
}

#[test]
fn fields_are_written_in_schema_order_with_two_space_indent() {
    let text = everything().to_json_pretty();
    let top: Vec<String> = text
        .lines()
        .filter_map(|line| line.strip_prefix("  \"").and_then(|rest| rest.split('"').next()).map(str::to_owned))
        .collect();
    let reference = reference_schema();
    let schema_order: Vec<&String> = reference["properties"].as_object().expect("properties").keys().collect();
    assert_eq!(top.iter().collect::<Vec<_>>(), schema_order);
    assert!(text.ends_with("}\n") && !text.ends_with("\n\n"));
    assert!(!text.contains("null"));
}

#[test]
fn schemas_and_types_reject_the_same_bad_documents() {
    let bad = [
        json!({}),
        json!({"version": "1.4"}),
        json!({"version": "1.5", "unknown": true}),
        json!({"version": "1.5", "auth": {"aws_region": "r", "user_pool_id": "p"}}),
        json!({"version": "1.5", "auth": {"aws_region": "r", "user_pool_id": "p", "user_pool_client_id": "c", "mfa_methods": ["SMS", "PIGEON"]}}),
        json!({"version": "1.5", "auth": {"aws_region": "r", "user_pool_id": "p", "user_pool_client_id": "c", "password_policy": {"min_length": 5, "require_numbers": true, "require_lowercase": true, "require_uppercase": true, "require_symbols": true}}}),
        json!({"version": "1.5", "data": {"aws_region": "r", "url": "u", "default_authorization_type": "NOBODY", "authorization_types": []}}),
        json!({"version": "1.5", "storage": {"aws_region": "r", "bucket_name": "b", "buckets": [{"name": "n", "bucket_name": "b"}]}}),
        json!({"version": "1.5", "geo": {"aws_region": "r", "maps": {"items": {"m": {"colour": "red"}}, "default": "m"}}}),
        json!({"version": "1.5", "custom": []}),
    ];
    let theirs = jsonschema::validator_for(&reference_schema()).expect("reference compiles");
    let ours = jsonschema::validator_for(&AmplifyOutputs::json_schema()).expect("ours compiles");
    for document in bad {
        assert!(!theirs.is_valid(&document), "the reference accepts {document}");
        assert!(!ours.is_valid(&document), "our schema accepts {document}");
        assert!(serde_json::from_value::<AmplifyOutputs>(document.clone()).is_err(), "the types accept {document}");
    }
}

#[test]
fn the_comparison_notices_differences() {
    let reference = reference_schema();
    let mutations: [fn(&mut Value); 5] = [
        |s| s["properties"]["auth"]["required"] = json!(["aws_region", "user_pool_id"]),
        |s| s["$defs"]["aws_appsync_authorization_type"]["enum"] = json!(["API_KEY"]),
        |s| s["properties"]["auth"]["properties"]["username_attributes"]["minItems"] = json!(2),
        |s| s["properties"]["storage"]["additionalProperties"] = json!(true),
        |s| s["properties"]["version"] = json!({"const": "1.4"}),
    ];
    for mutate in mutations {
        let mut changed = reference.clone();
        mutate(&mut changed);
        let mut diffs = Vec::new();
        compare(&changed, &changed, &reference, &reference, "#", &mut diffs);
        assert!(!diffs.is_empty(), "a mutation went unnoticed");
    }
}
