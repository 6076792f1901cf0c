//! `from_template`: the file from the chat reference's synthesized root
//! template, before deployment.

use amplify_backend::outputs::*;
use serde_json::{json, Value};

fn chat_template() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../reference/amplify-gen2-chat/output/amplify-chatapp-dev-sandbox-de98f094bc.template.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).expect("template is readable")).expect("template is JSON")
}

fn assert_valid_against_reference(outputs: &AmplifyOutputs) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../reference/amplify-outputs-schema-v1.5.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).expect("schema")).expect("JSON");
    let document: Value = serde_json::from_str(&outputs.to_json_pretty()).expect("output is JSON");
    let validator = jsonschema::validator_for(&schema).expect("reference schema compiles");
    let errors: Vec<String> = validator.iter_errors(&document).map(|error| error.to_string()).collect();
    assert!(errors.is_empty(), "{document:#}\nis invalid: {errors:#?}");
}

const BUCKET_TOKEN: &str =
    "<deployed value of storage0EC3F24A.Outputs.amplifychatappdevsandboxde98f094bcstoragemediaBucket3603AB81Ref>";

#[test]
fn chat_template_gives_the_shape_with_placeholders() {
    let outputs = from_template(&chat_template()).expect("builds");

    let auth = outputs.auth.as_ref().expect("auth");
    assert_eq!(auth.user_pool_id, "<deployed value of userPoolId>");
    assert_eq!(auth.user_pool_client_id, "<deployed value of webClientId>");
    assert_eq!(auth.aws_region, "<deployed value of authRegion>");
    assert_eq!(auth.identity_pool_id, None, "an optional token is left out");
    assert_eq!(
        auth.password_policy.as_ref().map(|policy| (policy.min_length, policy.require_symbols)),
        Some((8, true))
    );
    assert_eq!(auth.username_attributes, Some(vec![UsernameAttribute::Email]));
    assert_eq!(auth.unauthenticated_identities_enabled, Some(true));
    assert_eq!(auth.mfa_configuration, Some(MfaConfiguration::Off));

    let data = outputs.data.as_ref().expect("data");
    assert_eq!(data.url, "<deployed value of awsAppsyncApiEndpoint>");
    assert_eq!(data.aws_region, "<deployed value of awsAppsyncRegion>");
    assert_eq!(data.default_authorization_type, AuthorizationType::AmazonCognitoUserPools);
    assert_eq!(data.authorization_types, vec![AuthorizationType::AwsIam]);

    let storage = outputs.storage.as_ref().expect("storage");
    assert_eq!(storage.bucket_name, "<deployed value of bucketName>");
    let buckets = storage.buckets.as_ref().expect("the joined buckets output is read");
    assert_eq!(buckets.len(), 1);
    assert_eq!(buckets[0].name, "media");
    assert_eq!(buckets[0].bucket_name, BUCKET_TOKEN);
    assert_eq!(buckets[0].aws_region, "<deployed value of AWS::Region>");
    assert_eq!(
        serde_json::to_value(&buckets[0].paths).expect("paths"),
        json!({"photos/*": {"authenticated": ["get", "list", "write"]}})
    );

    let custom = outputs.custom.as_ref().expect("the joined custom outputs are merged");
    assert_eq!(
        custom["mapName"],
        "<deployed value of LocationMapStack9835DF0F.Outputs.amplifychatappdevsandboxde98f094bcLocationMapStackMap9437D72BRef>"
    );
    assert_valid_against_reference(&outputs);
}

#[test]
fn literal_values_and_fully_literal_joins_are_used_as_they_are() {
    let template = json!({
        "Metadata": {"AWS::Amplify::Auth": {"version": "1", "stackOutputs": ["userPoolId", "webClientId", "authRegion", "identityPoolId"]}},
        "Outputs": {
            "userPoolId": {"Value": "us-east-1_fixed"},
            "webClientId": {"Value": {"Fn::Join": ["-", ["client", {"Fn::Join": ["", ["a", "b"]]}, 7]]}},
            "authRegion": {"Value": {"Ref": "AWS::Region"}},
            "identityPoolId": {"Value": {"Fn::Join": [":", [{"Ref": "AWS::Region"}, "pool"]]}}
        }
    });
    let outputs = from_template(&template).expect("builds");
    let auth = outputs.auth.as_ref().expect("auth");
    assert_eq!(auth.user_pool_id, "us-east-1_fixed");
    assert_eq!(auth.user_pool_client_id, "client-ab-7");
    assert_eq!(auth.aws_region, "<deployed value of authRegion>");
    assert_eq!(auth.identity_pool_id, None, "optional values with a token are left out, even inside a join");
}

#[test]
fn a_template_without_amplify_metadata_gives_an_empty_file() {
    let outputs = from_template(&json!({"Resources": {}})).expect("builds");
    assert_eq!(outputs, AmplifyOutputs::default());
    assert_eq!(outputs.to_json_pretty(), "{\n  \"version\": \"1.5\"\n}\n");
}

#[test]
fn malformed_templates_are_errors() {
    for template in [
        json!("not a template"),
        json!({"Outputs": []}),
        json!({"Outputs": {"userPoolId": {"Description": "no value"}}}),
    ] {
        let error = from_template(&template).expect_err("rejected");
        assert!(matches!(error, OutputsError::InvalidTemplate { .. }), "{template}: {error:?}");
    }
    let error = from_template(&json!({"Metadata": {"AWS::Amplify::Auth": []}})).expect_err("rejected");
    assert!(matches!(error, OutputsError::InvalidMetadata { .. }), "{error:?}");
}

#[test]
fn a_token_where_a_fixed_word_is_needed_is_an_error() {
    let mut template = chat_template();
    template["Outputs"]["awsAppsyncAuthenticationType"]["Value"] = json!({"Ref": "AuthModeParameter"});
    let error = from_template(&template).expect_err("rejected");
    assert!(
        matches!(&error, OutputsError::InvalidValue { key, .. } if key == "awsAppsyncAuthenticationType"),
        "{error:?}"
    );
}

#[test]
fn before_and_after_deployment_the_file_has_the_same_shape() {
    /// The value's structure, with every leaf blanked out.
    fn shape(value: &Value) -> Value {
        match value {
            Value::Object(object) => Value::Object(object.iter().map(|(k, v)| (k.clone(), shape(v))).collect()),
            Value::Array(items) => Value::Array(items.iter().map(shape).collect()),
            _ => Value::Null,
        }
    }
    /// A stand-in for CloudFormation: every token becomes the same string.
    fn deploy(value: &Value) -> String {
        match value {
            Value::String(text) => text.clone(),
            _ => match value.get("Fn::Join") {
                Some(args) => {
                    let parts = args[1].as_array().expect("parts").iter().map(deploy).collect::<Vec<_>>();
                    parts.join(args[0].as_str().expect("separator"))
                }
                None => "deployed".into(),
            },
        }
    }
    let template = chat_template();
    let stack_outputs = template["Outputs"]
        .as_object()
        .expect("Outputs")
        .iter()
        .map(|(key, output)| (key.clone(), deploy(&output["Value"])))
        .collect();
    let deployed = from_stack_outputs(&stack_outputs, &template["Metadata"]).expect("deployed file builds");
    let before = from_template(&template).expect("template file builds");

    let mut expected = shape(&serde_json::to_value(&deployed).expect("JSON"));
    let identity_pool = expected["auth"].as_object_mut().expect("auth").shift_remove("identity_pool_id");
    assert!(identity_pool.is_some(), "only deployment tells the identity pool id");
    assert_eq!(shape(&serde_json::to_value(&before).expect("JSON")), expected);
}
