//! `from_stack_outputs`: the chat reference app rebuilt from plausible deployed
//! values, the mapping of each output, and its errors.

use std::collections::BTreeMap;

use amplify_backend::outputs::*;
use serde_json::{json, Value};

const REFERENCE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../reference/amplify-gen2-chat/output");

fn read_json(file: &str) -> Value {
    let text = std::fs::read_to_string(format!("{REFERENCE}/{file}")).expect("reference file is readable");
    serde_json::from_str(&text).expect("reference file is JSON")
}

fn chat_template() -> Value {
    read_json("amplify-chatapp-dev-sandbox-de98f094bc.template.json")
}

const REGION: &str = "us-east-1";
const USER_POOL: &str = "us-east-1_abc";
const CLIENT: &str = "4f9shp0abcdefclient";
const IDENTITY_POOL: &str = "us-east-1:0d1e2f3a-1111-2222-3333-444455556666";
const API_URL: &str = "https://abcdefghijklm.appsync-api.us-east-1.amazonaws.com/graphql";
const BUCKET: &str = "amplify-chatapp-dev-sandb-mediabucket3603ab81-abc123";
const MAP: &str = "amplify-chatapp-dev-sandbox-de98f094bc-map";

/// What CloudFormation would give each nested-stack output the root refers to.
fn deployed_attribute(attribute: &str) -> &'static str {
    let table = [
        ("UserPoolAppClient", CLIENT),
        ("UserPool", USER_POOL),
        ("IdentityPool", IDENTITY_POOL),
        ("ApiId", "abcdefghijklm"),
        ("GraphQLUrl", API_URL),
        ("DestinationBucketArn", "arn:aws:s3:::amplify-chatapp-codegen-assets"),
        ("sayhellolambda", "amplify-chatapp-dev-sandbox-sayhellolambda-xyz"),
        ("LocationMapStackMap", MAP),
        ("mediaBucket", BUCKET),
    ];
    table
        .iter()
        .find(|(needle, _)| attribute.contains(needle))
        .map(|(_, value)| *value)
        .unwrap_or_else(|| panic!("no deployed value for {attribute}"))
}

/// Evaluates the intrinsics the reference root template's outputs use.
fn evaluate(value: &Value) -> Value {
    let Value::Object(object) = value else {
        return value.clone();
    };
    if let Some(target) = object.get("Ref") {
        assert_eq!(target, "AWS::Region");
        return json!(REGION);
    }
    if let Some(parts) = object.get("Fn::GetAtt") {
        return json!(deployed_attribute(parts[1].as_str().expect("attribute name")));
    }
    if let Some(args) = object.get("Fn::Join") {
        let parts: Vec<String> = args[1]
            .as_array()
            .expect("parts")
            .iter()
            .map(|part| evaluate(part).as_str().expect("string part").to_owned())
            .collect();
        return json!(parts.join(args[0].as_str().expect("separator")));
    }
    if let Some(args) = object.get("Fn::Split") {
        let text = evaluate(&args[1]);
        let pieces: Vec<&str> = text.as_str().expect("string").split(args[0].as_str().expect("separator")).collect();
        return json!(pieces);
    }
    if let Some(args) = object.get("Fn::Select") {
        let index = args[0].as_u64().expect("index") as usize;
        return evaluate(&args[1])[index].clone();
    }
    panic!("unexpected intrinsic {value}");
}

/// The root stack's outputs as `DescribeStacks` would report them.
fn chat_stack_outputs() -> BTreeMap<String, String> {
    let template = chat_template();
    template["Outputs"]
        .as_object()
        .expect("Outputs")
        .iter()
        .map(|(key, output)| {
            let value = evaluate(&output["Value"]);
            (key.clone(), value.as_str().expect("outputs are strings").to_owned())
        })
        .collect()
}

fn assert_valid_against_reference(outputs: &AmplifyOutputs) {
    let schema_path = concat!(env!("CARGO_MANIFEST_DIR"), "/../reference/amplify-outputs-schema-v1.5.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(schema_path).expect("schema")).expect("JSON");
    let validator = jsonschema::validator_for(&schema).expect("reference schema compiles");
    let document: Value = serde_json::from_str(&outputs.to_json_pretty()).expect("output is JSON");
    let errors: Vec<String> = validator.iter_errors(&document).map(|error| error.to_string()).collect();
    assert!(errors.is_empty(), "{document:#}\nis invalid: {errors:#?}");
}

#[test]
fn rebuilds_the_chat_reference_app() {
    let template = chat_template();
    let outputs = from_stack_outputs(&chat_stack_outputs(), &template["Metadata"]).expect("chat outputs build");

    assert_eq!(outputs.version.as_str(), "1.5");
    assert_eq!(outputs.schema, None);

    let auth = outputs.auth.as_ref().expect("auth");
    assert_eq!(auth.user_pool_id, USER_POOL);
    assert_eq!(auth.user_pool_client_id, CLIENT);
    assert_eq!(auth.identity_pool_id.as_deref(), Some(IDENTITY_POOL));
    assert_eq!(auth.aws_region, REGION);
    assert_eq!(
        auth.password_policy,
        Some(PasswordPolicy {
            min_length: 8,
            require_numbers: true,
            require_lowercase: true,
            require_uppercase: true,
            require_symbols: true
        })
    );
    assert_eq!(auth.standard_required_attributes, Some(vec![StandardAttribute::Email]));
    assert_eq!(auth.username_attributes, Some(vec![UsernameAttribute::Email]));
    assert_eq!(auth.user_verification_types, Some(vec![VerificationType::Email]));
    assert_eq!(auth.unauthenticated_identities_enabled, Some(true));
    assert_eq!(auth.mfa_configuration, Some(MfaConfiguration::Off));
    assert_eq!(auth.mfa_methods, Some(vec![]));
    assert_eq!(auth.oauth, None, "no sign-out URL, so no OAuth section");
    assert_eq!(auth.passwordless, None);
    assert_eq!(auth.groups, Some(vec![]));

    let data = outputs.data.as_ref().expect("data");
    assert_eq!(data.url, API_URL);
    assert_eq!(data.aws_region, REGION);
    assert_eq!(data.default_authorization_type, AuthorizationType::AmazonCognitoUserPools);
    assert_eq!(data.authorization_types, vec![AuthorizationType::AwsIam]);
    assert_eq!(data.api_key, None);
    assert_eq!(data.model_introspection, None);

    let storage = outputs.storage.as_ref().expect("storage");
    assert_eq!(storage.aws_region, REGION);
    assert_eq!(storage.bucket_name, BUCKET);
    let buckets = storage.buckets.as_ref().expect("buckets");
    assert_eq!(buckets.len(), 1);
    assert_eq!(buckets[0].name, "media");
    assert_eq!(buckets[0].bucket_name, BUCKET);
    assert_eq!(buckets[0].aws_region, REGION);
    let paths = serde_json::to_value(&buckets[0].paths).expect("paths serialize");
    assert_eq!(paths, json!({"photos/*": {"authenticated": ["get", "list", "write"]}}));
    let photos = &buckets[0].paths.as_ref().expect("paths")["photos/*"];
    assert_eq!(
        photos.get("authenticated"),
        Some(&[StorageAccessAction::Get, StorageAccessAction::List, StorageAccessAction::Write][..])
    );

    assert_eq!(outputs.custom, Some(json!({"mapName": MAP}).as_object().expect("object").clone()));
    assert_eq!(outputs.geo, None);
    assert_eq!(outputs.analytics, None);
    assert_eq!(outputs.notifications, None);

    assert_valid_against_reference(&outputs);
    let text = outputs.to_json_pretty();
    assert!(text.starts_with("{\n  \"version\": \"1.5\",\n  \"auth\": {\n    \"aws_region\": \"us-east-1\",\n"));
    assert_eq!(serde_json::from_str::<AmplifyOutputs>(&text).expect("reads back"), outputs);
}

#[test]
fn model_introspection_comes_from_its_own_output() {
    let mut template = chat_template();
    template["Metadata"]["AWS::Amplify::GraphQL"]["stackOutputs"]
        .as_array_mut()
        .expect("list")
        .push(json!(MODEL_INTROSPECTION_OUTPUT));
    let introspection = read_json("modelIntrospectionSchema.json");
    let mut stack_outputs = chat_stack_outputs();
    stack_outputs.insert(MODEL_INTROSPECTION_OUTPUT.into(), introspection.to_string());

    let outputs = from_stack_outputs(&stack_outputs, &template["Metadata"]).expect("builds");
    let data = outputs.data.as_ref().expect("data");
    assert_eq!(data.model_introspection.as_ref().map(|map| Value::Object(map.clone())), Some(introspection));
    assert_valid_against_reference(&outputs);
}

#[test]
fn metadata_may_be_the_whole_template_or_a_json_string() {
    let template = chat_template();
    let expected = from_stack_outputs(&chat_stack_outputs(), &template["Metadata"]).expect("builds");
    let as_string = Value::String(template["Metadata"].to_string());
    assert_eq!(from_stack_outputs(&chat_stack_outputs(), &as_string).expect("string metadata"), expected);
    assert_eq!(from_stack_outputs(&chat_stack_outputs(), &template).expect("whole template"), expected);
    assert_eq!(
        from_stack_outputs(&chat_stack_outputs(), &Value::String(template.to_string())).expect("both"),
        expected
    );
}

/// Metadata with one group listing `keys`, and outputs holding `pairs`.
fn one_group(group: &str, pairs: &[(&str, &str)]) -> (BTreeMap<String, String>, Value) {
    let keys: Vec<&str> = pairs.iter().map(|(key, _)| *key).collect();
    let metadata = json!({ group: { "version": "1", "stackOutputs": keys } });
    let outputs = pairs.iter().map(|(key, value)| (key.to_string(), value.to_string())).collect();
    (outputs, metadata)
}

const AUTH_BASE: [(&str, &str); 3] = [("userPoolId", "pool"), ("webClientId", "client"), ("authRegion", "eu-west-1")];

fn auth_with(extra: &[(&str, &str)]) -> Result<AmplifyOutputs, OutputsError> {
    let pairs: Vec<(&str, &str)> = AUTH_BASE.iter().chain(extra).copied().collect();
    let (outputs, metadata) = one_group("AWS::Amplify::Auth", &pairs);
    from_stack_outputs(&outputs, &metadata)
}

fn auth_of(outputs: &AmplifyOutputs) -> &Auth {
    outputs.auth.as_ref().expect("auth section")
}

#[test]
fn minimal_auth_sets_only_what_is_there() {
    let outputs = auth_with(&[("identityPoolId", "")]).expect("builds");
    let auth = auth_of(&outputs);
    assert_eq!((auth.user_pool_id.as_str(), auth.user_pool_client_id.as_str()), ("pool", "client"));
    assert_eq!(auth.aws_region, "eu-west-1");
    assert_eq!(auth.identity_pool_id, None, "empty means not set");
    assert_eq!(auth.password_policy, None);
    assert_eq!(auth.standard_required_attributes, None);
    assert_eq!(auth.unauthenticated_identities_enabled, None);
    assert_eq!(outputs.data, None);
    assert_eq!(outputs.storage, None);
    assert_valid_against_reference(&outputs);
    assert_eq!(
        outputs.to_json_pretty(),
        "{\n  \"version\": \"1.5\",\n  \"auth\": {\n    \"aws_region\": \"eu-west-1\",\n    \
         \"user_pool_id\": \"pool\",\n    \"user_pool_client_id\": \"client\"\n  }\n}\n"
    );
}

#[test]
fn oauth_needs_both_redirects_and_keeps_known_providers() {
    let outputs = auth_with(&[
        ("socialProviders", r#"["GOOGLE","AMAZON","MyOidcProvider","SIGN_IN_WITH_APPLE","GOOGLE"]"#),
        ("oauthCognitoDomain", "chat.auth.us-east-1.amazoncognito.com"),
        ("oauthScope", r#"["openid","email","openid"]"#),
        ("oauthRedirectSignIn", "http://localhost:3000/,https://app.example.com/"),
        ("oauthRedirectSignOut", "http://localhost:3000/signout"),
        ("oauthResponseType", "code"),
    ])
    .expect("builds");
    let oauth = auth_of(&outputs).oauth.as_ref().expect("oauth");
    assert_eq!(
        oauth.identity_providers,
        vec![IdentityProvider::Google, IdentityProvider::LoginWithAmazon, IdentityProvider::SignInWithApple]
    );
    assert_eq!(oauth.domain, "chat.auth.us-east-1.amazoncognito.com");
    assert_eq!(oauth.scopes, vec!["openid", "email"]);
    assert_eq!(oauth.redirect_sign_in_uri, vec!["http://localhost:3000/", "https://app.example.com/"]);
    assert_eq!(oauth.redirect_sign_out_uri, vec!["http://localhost:3000/signout"]);
    assert_eq!(oauth.response_type, OAuthResponseType::Code);
    assert_valid_against_reference(&outputs);

    let no_domain = auth_with(&[
        ("oauthRedirectSignIn", "https://a/"),
        ("oauthRedirectSignOut", "https://b/"),
        ("oauthResponseType", "token"),
    ])
    .expect("builds");
    let oauth = auth_of(&no_domain).oauth.as_ref().expect("oauth");
    assert_eq!((oauth.domain.as_str(), oauth.identity_providers.len(), oauth.scopes.len()), ("", 0, 0));
    assert_eq!(oauth.response_type, OAuthResponseType::Token);

    let sign_in_only =
        auth_with(&[("oauthRedirectSignIn", "https://a/"), ("oauthResponseType", "code")]).expect("builds");
    assert_eq!(auth_of(&sign_in_only).oauth, None);
}

#[test]
fn mfa_password_and_attribute_outputs_map_to_the_file_names() {
    let outputs = auth_with(&[
        ("mfaConfiguration", "ON"),
        ("mfaTypes", r#"["TOTP","SMS"]"#),
        ("passwordPolicyRequirements", r#"["REQUIRES_SYMBOLS"]"#),
        ("usernameAttributes", r#"["phone_number","preferred_username"]"#),
        ("signupAttributes", r#"["email","given_name","email"]"#),
        ("verificationMechanisms", r#"["phone_number"]"#),
        ("allowUnauthenticatedIdentities", "false"),
        ("groups", r#"[{"ADMINS":{"precedence":0}},{"EDITORS":{"precedence":1}}]"#),
        // Amplify's auth construct writes this one in camelCase.
        (
            "passwordlessOptions",
            r#"{"emailOtpEnabled":true,"smsOtpEnabled":false,"webAuthn":{"relyingPartyId":"localhost","userVerification":"required"},"preferredChallenge":"EMAIL_OTP"}"#,
        ),
    ])
    .expect("builds");
    let auth = auth_of(&outputs);
    assert_eq!(auth.mfa_configuration, Some(MfaConfiguration::Required));
    assert_eq!(auth.mfa_methods, Some(vec![MfaMethod::Totp, MfaMethod::Sms]));
    assert_eq!(
        auth.password_policy,
        Some(PasswordPolicy { min_length: 8, require_symbols: true, ..PasswordPolicy::default() }),
        "the length defaults to 8 and unset requirements are false"
    );
    assert_eq!(auth.username_attributes, Some(vec![UsernameAttribute::PhoneNumber, UsernameAttribute::Username]));
    assert_eq!(auth.standard_required_attributes, Some(vec![StandardAttribute::Email, StandardAttribute::GivenName]));
    assert_eq!(auth.user_verification_types, Some(vec![VerificationType::PhoneNumber]));
    assert_eq!(auth.unauthenticated_identities_enabled, Some(false));
    let groups = auth.groups.as_ref().expect("groups");
    assert_eq!(groups.len(), 2);
    assert_eq!(groups[0]["ADMINS"].precedence, Some(0));
    let passwordless = auth.passwordless.as_ref().expect("passwordless");
    assert_eq!(passwordless.email_otp_enabled, Some(true));
    assert_eq!(passwordless.preferred_challenge, Some(PreferredChallenge::EmailOtp));
    assert_eq!(passwordless.sms_otp_enabled, Some(false));
    let web_authn = passwordless.web_authn.as_ref().expect("web_authn");
    assert_eq!(
        (web_authn.relying_party_id.as_str(), web_authn.user_verification),
        ("localhost", WebAuthnUserVerification::Required)
    );
    assert_valid_against_reference(&outputs);

    let optional =
        auth_with(&[("mfaConfiguration", "OPTIONAL"), ("passwordPolicyMinLength", "12"), ("usernameAttributes", "[]")])
            .expect("builds");
    let auth = auth_of(&optional);
    assert_eq!(auth.mfa_configuration, Some(MfaConfiguration::Optional));
    assert_eq!(auth.password_policy.as_ref().map(|policy| policy.min_length), Some(12));
    assert_eq!(auth.username_attributes, None, "an empty list would break minItems: 1");
}

#[test]
fn outputs_a_group_does_not_list_are_ignored() {
    let (mut outputs, metadata) = one_group("AWS::Amplify::Auth", &AUTH_BASE);
    outputs.insert("identityPoolId".into(), "listed-nowhere".into());
    let built = from_stack_outputs(&outputs, &metadata).expect("builds");
    assert_eq!(auth_of(&built).identity_pool_id, None);
}

const DATA_BASE: [(&str, &str); 3] = [
    ("awsAppsyncApiEndpoint", "https://x.appsync-api.eu-west-1.amazonaws.com/graphql"),
    ("awsAppsyncRegion", "eu-west-1"),
    ("awsAppsyncAuthenticationType", "API_KEY"),
];

#[test]
fn data_reads_the_api_key_and_additional_modes() {
    let pairs: Vec<(&str, &str)> = DATA_BASE
        .iter()
        .copied()
        .chain([
            ("awsAppsyncApiKey", "da2-secretish"),
            ("awsAppsyncAdditionalAuthenticationTypes", "AWS_IAM, AMAZON_COGNITO_USER_POOLS"),
        ])
        .collect();
    let (outputs, metadata) = one_group("AWS::Amplify::GraphQL", &pairs);
    let built = from_stack_outputs(&outputs, &metadata).expect("builds");
    let data = built.data.as_ref().expect("data");
    assert_eq!(data.api_key.as_deref(), Some("da2-secretish"));
    assert_eq!(data.default_authorization_type, AuthorizationType::ApiKey);
    assert_eq!(data.authorization_types, vec![AuthorizationType::AwsIam, AuthorizationType::AmazonCognitoUserPools]);
    assert_valid_against_reference(&built);

    let (outputs, metadata) = one_group("AWS::Amplify::GraphQL", &DATA_BASE);
    let built = from_stack_outputs(&outputs, &metadata).expect("builds");
    assert_eq!(built.data.as_ref().expect("data").authorization_types, vec![], "absent means none, never missing");
    assert_valid_against_reference(&built);
}

#[test]
fn storage_without_a_buckets_output_has_an_empty_list() {
    let (outputs, metadata) =
        one_group("AWS::Amplify::Storage", &[("bucketName", "b"), ("storageRegion", "eu-west-1")]);
    let built = from_stack_outputs(&outputs, &metadata).expect("builds");
    let storage = built.storage.as_ref().expect("storage");
    assert_eq!((storage.bucket_name.as_str(), storage.aws_region.as_str()), ("b", "eu-west-1"));
    assert_eq!(storage.buckets, Some(vec![]));
    assert_valid_against_reference(&built);
}

#[test]
fn storage_reads_several_buckets_with_group_and_owner_rules() {
    let first = json!({"name": "media", "bucketName": "b1", "storageRegion": "eu-west-1", "paths": {
        "public/*": {"guest": ["get", "list"], "authenticated": ["read", "write", "delete"]},
        "private/{entity_id}/*": {"entityidentity": ["read", "write", "delete"], "groupsADMINS": ["read"]}
    }});
    let second = json!({"name": "backups", "bucketName": "b2", "storageRegion": "eu-central-1"});
    let buckets = json!([first.to_string(), second.to_string()]).to_string();
    let (outputs, metadata) = one_group(
        "AWS::Amplify::Storage",
        &[("bucketName", "b1"), ("storageRegion", "eu-west-1"), ("buckets", buckets.as_str())],
    );
    let built = from_stack_outputs(&outputs, &metadata).expect("builds");
    let buckets = built.storage.as_ref().and_then(|storage| storage.buckets.as_ref()).expect("buckets");
    assert_eq!(buckets.len(), 2);
    assert_eq!(
        (buckets[1].name.as_str(), buckets[1].aws_region.as_str(), &buckets[1].paths),
        ("backups", "eu-central-1", &None)
    );
    let paths: Vec<&String> = buckets[0].paths.as_ref().expect("paths").keys().collect();
    assert_eq!(paths, ["public/*", "private/{entity_id}/*"], "path order is kept");
    assert_valid_against_reference(&built);
}

fn with_custom(custom: &Value) -> Result<AmplifyOutputs, OutputsError> {
    let text = custom.to_string();
    let pairs: Vec<(&str, &str)> = AUTH_BASE.iter().copied().chain([("customOutputs", text.as_str())]).collect();
    let mut metadata = one_group("AWS::Amplify::Auth", &AUTH_BASE).1;
    metadata["AWS::Amplify::Custom"] = json!({"version": "1", "stackOutputs": ["customOutputs"]});
    let outputs = pairs.iter().map(|(key, value)| (key.to_string(), value.to_string())).collect();
    from_stack_outputs(&outputs, &metadata)
}

#[test]
fn custom_outputs_are_deep_merged() {
    let built = with_custom(&json!({
        "version": "1.4",
        "custom": {"mapName": "m"},
        "geo": {"aws_region": "eu-west-1", "maps": {"items": {"m": {"style": "VectorEsriNavigation"}}, "default": "m"}},
        "auth": {"identity_pool_id": "added", "groups": [{"ADMINS": {}}]},
        "analytics": {"amazon_pinpoint": {"aws_region": "eu-west-1", "app_id": "p"}}
    }))
    .expect("builds");
    assert_eq!(built.version, OutputsVersion);
    assert_eq!(built.custom.as_ref().and_then(|custom| custom.get("mapName")), Some(&json!("m")));
    let geo = built.geo.as_ref().expect("geo comes from custom outputs");
    assert_eq!(geo.maps.as_ref().expect("maps").items["m"].style.as_deref(), Some("VectorEsriNavigation"));
    let auth = auth_of(&built);
    assert_eq!(auth.user_pool_id, "pool", "custom outputs add to sections, they do not replace them");
    assert_eq!(auth.identity_pool_id.as_deref(), Some("added"));
    assert_eq!(auth.groups.as_ref().map(Vec::len), Some(1));
    assert_eq!(built.analytics.as_ref().and_then(|a| a.amazon_pinpoint.as_ref()).map(|p| p.app_id.as_str()), Some("p"));
    assert_valid_against_reference(&built);

    let same_value = with_custom(&json!({"auth": {"user_pool_id": "pool"}})).expect("setting the same value is fine");
    assert_eq!(auth_of(&same_value).user_pool_id, "pool");
}

#[test]
fn custom_lists_are_appended() {
    let pairs = [DATA_BASE[0], DATA_BASE[1], DATA_BASE[2], ("awsAppsyncAdditionalAuthenticationTypes", "AWS_IAM")];
    let (mut outputs, mut metadata) = one_group("AWS::Amplify::GraphQL", &pairs);
    metadata["AWS::Amplify::Custom"] = json!({"version": "1", "stackOutputs": ["customOutputs"]});
    outputs.insert("customOutputs".into(), json!({"data": {"authorization_types": ["AWS_LAMBDA"]}}).to_string());
    let built = from_stack_outputs(&outputs, &metadata).expect("builds");
    assert_eq!(
        built.data.expect("data").authorization_types,
        vec![AuthorizationType::AwsIam, AuthorizationType::AwsLambda]
    );
}

fn expect_error(result: Result<AmplifyOutputs, OutputsError>) -> OutputsError {
    match result {
        Ok(outputs) => panic!("expected an error, got {}", outputs.to_json_pretty()),
        Err(error) => error,
    }
}

#[test]
fn missing_required_outputs_are_named() {
    let (mut outputs, metadata) = one_group("AWS::Amplify::Auth", &AUTH_BASE);
    outputs.remove("userPoolId");
    let error = expect_error(from_stack_outputs(&outputs, &metadata));
    assert!(
        matches!(&error, OutputsError::MissingOutput { group, key } if group == "AWS::Amplify::Auth" && key == "userPoolId"),
        "{error:?}"
    );
    assert_eq!(error.output_key(), Some("userPoolId"));
    assert!(error.to_string().contains("`userPoolId`"), "{error}");

    outputs.insert("userPoolId".into(), String::new());
    let error = expect_error(from_stack_outputs(&outputs, &metadata));
    assert!(matches!(&error, OutputsError::MissingOutput { key, .. } if key == "userPoolId"), "empty is missing");

    let (outputs, metadata) = one_group("AWS::Amplify::GraphQL", &DATA_BASE[..2]);
    let error = expect_error(from_stack_outputs(&outputs, &metadata));
    assert_eq!(error.output_key(), Some("awsAppsyncAuthenticationType"));

    let (outputs, metadata) = one_group("AWS::Amplify::Storage", &[("bucketName", "b")]);
    assert_eq!(expect_error(from_stack_outputs(&outputs, &metadata)).output_key(), Some("storageRegion"));
}

#[test]
fn bad_json_outputs_are_named() {
    let error = expect_error(auth_with(&[("signupAttributes", "[\"email\"")]));
    assert!(matches!(&error, OutputsError::InvalidJson { key, .. } if key == "signupAttributes"), "{error:?}");
    assert!(error.to_string().starts_with("output `signupAttributes` is not valid JSON"), "{error}");

    let error = expect_error(auth_with(&[("mfaTypes", "{\"TOTP\": true}")]));
    assert!(matches!(&error, OutputsError::InvalidValue { key, .. } if key == "mfaTypes"), "{error:?}");

    let (outputs, metadata) = one_group(
        "AWS::Amplify::Storage",
        &[("bucketName", "b"), ("storageRegion", "r"), ("buckets", "[\"{not json\"]")],
    );
    let error = expect_error(from_stack_outputs(&outputs, &metadata));
    assert!(matches!(&error, OutputsError::InvalidJson { key, .. } if key == "buckets"), "{error:?}");

    let (outputs, metadata) = one_group(
        "AWS::Amplify::Storage",
        &[("bucketName", "b"), ("storageRegion", "r"), ("buckets", "[{\"name\": \"x\"}]")],
    );
    let error = expect_error(from_stack_outputs(&outputs, &metadata));
    assert!(matches!(&error, OutputsError::InvalidValue { key, .. } if key == "buckets"), "{error:?}");
}

#[test]
fn values_the_file_cannot_hold_are_errors() {
    let cases: [(&str, &str); 8] = [
        ("signupAttributes", r#"["shoe_size"]"#),
        ("usernameAttributes", r#"["nickname"]"#),
        ("mfaConfiguration", "SOMETIMES"),
        ("mfaTypes", r#"["CARRIER_PIGEON"]"#),
        ("passwordPolicyMinLength", "eight"),
        ("passwordPolicyMinLength", "4"),
        ("passwordPolicyRequirements", r#"["REQUIRES_EMOJI"]"#),
        ("allowUnauthenticatedIdentities", "yes"),
    ];
    for (key, value) in cases {
        let error = expect_error(auth_with(&[(key, value)]));
        assert!(matches!(&error, OutputsError::InvalidValue { key: named, .. } if named == key), "{key}: {error:?}");
        assert!(error.to_string().contains(key), "{error}");
    }

    let pairs = [DATA_BASE[0], DATA_BASE[1], ("awsAppsyncAuthenticationType", "MAGIC")];
    let (outputs, metadata) = one_group("AWS::Amplify::GraphQL", &pairs);
    let error = expect_error(from_stack_outputs(&outputs, &metadata));
    assert!(error.to_string().contains("MAGIC"), "{error}");

    let pairs = [DATA_BASE[0], DATA_BASE[1], DATA_BASE[2], ("awsAppsyncAdditionalAuthenticationTypes", "AWS_IAM,NOPE")];
    let (outputs, metadata) = one_group("AWS::Amplify::GraphQL", &pairs);
    let error = expect_error(from_stack_outputs(&outputs, &metadata));
    assert_eq!(error.output_key(), Some("awsAppsyncAdditionalAuthenticationTypes"));
}

#[test]
fn custom_output_errors() {
    let not_json = {
        let mut metadata = one_group("AWS::Amplify::Custom", &[]).1;
        metadata["AWS::Amplify::Custom"]["stackOutputs"] = json!(["customOutputs"]);
        from_stack_outputs(&BTreeMap::from([("customOutputs".to_string(), "{".to_string())]), &metadata)
    };
    assert!(matches!(expect_error(not_json), OutputsError::InvalidJson { key, .. } if key == "customOutputs"));

    let error = expect_error(with_custom(&json!(["not", "an", "object"])));
    assert!(matches!(&error, OutputsError::InvalidValue { key, .. } if key == "customOutputs"), "{error:?}");

    let error = expect_error(with_custom(&json!({"auth": {"user_pool_id": "another"}})));
    assert!(
        matches!(&error, OutputsError::Conflict { key, path, .. } if key == "customOutputs" && path == "auth.user_pool_id"),
        "{error:?}"
    );
    assert!(error.to_string().contains("auth.user_pool_id"), "{error}");

    let error = expect_error(with_custom(&json!({"auth": "replaced"})));
    assert!(matches!(&error, OutputsError::Conflict { path, .. } if path == "auth"), "{error:?}");

    let error = expect_error(with_custom(&json!({"version": "2", "custom": {}})));
    assert!(matches!(&error, OutputsError::Conflict { path, .. } if path == "version"), "{error:?}");

    let error = expect_error(with_custom(&json!({"frontend": {}})));
    assert!(
        matches!(&error, OutputsError::InvalidValue { key, reason } if key == "customOutputs" && reason.contains("frontend")),
        "{error:?}"
    );

    let error = expect_error(with_custom(&json!({"geo": {"maps": {"items": {}, "default": "m"}}})));
    assert!(error.to_string().contains("aws_region"), "{error}");
}

#[test]
fn malformed_metadata_is_an_error() {
    let outputs = BTreeMap::new();
    for metadata in [
        json!(["AWS::Amplify::Auth"]),
        json!({"AWS::Amplify::Auth": "userPoolId"}),
        json!({"AWS::Amplify::Auth": {"version": "1"}}),
        json!({"AWS::Amplify::Auth": {"version": "1", "stackOutputs": [1]}}),
        json!({"AWS::Amplify::Auth": {"version": "2", "stackOutputs": []}}),
        json!({"AWS::Amplify::Storage": {"stackOutputs": []}}),
        Value::String("{".into()),
    ] {
        let error = expect_error(from_stack_outputs(&outputs, &metadata));
        assert!(matches!(error, OutputsError::InvalidMetadata { .. }), "{metadata}: {error:?}");
        assert_eq!(error.output_key(), None);
    }

    let unrelated = json!({"AWS::CDK::Metadata": {"anything": true}, "AWS::Amplify::Platform": {"version": "1", "stackOutputs": ["region"]}});
    assert_eq!(from_stack_outputs(&outputs, &unrelated).expect("nothing to build"), AmplifyOutputs::default());
}
