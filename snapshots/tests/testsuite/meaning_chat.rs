//! What the chat example's templates mean, checked with the assertions API: what
//! each nested stack holds, the settings that matter, who may do what, the root
//! outputs `amplify_outputs.json` is built from, tags, and what a deletion keeps.

use crate::support;

use std::collections::BTreeMap;

use constructs::assertions::{Match, Template};
use serde_json::{json, Value as Json};
use support::chat_example::Chat;

/// The signed-in users' prefix of the owner path `profile-pictures/{entity_id}/*`.
const OWNER: &str = "profile-pictures/${cognito-identity.amazonaws.com:sub}/*";

#[test]
fn each_nested_stack_holds_its_categorys_resources() {
    let chat = Chat::sandbox();
    let nested: Vec<String> =
        chat.stacks().filter(|(_, s)| s.parent.as_deref() == Some(&chat.root()[..])).map(|(p, _)| p).collect();
    assert_eq!(nested, ["data", "function", "auth", "storage", "LocationMapStack"]);
    chat.template("").resource_count_is("AWS::CloudFormation::Stack", 5);

    let auth = chat.template("auth");
    for (ty, n) in [
        ("AWS::Cognito::UserPool", 1),
        ("AWS::Cognito::UserPoolClient", 1),
        ("AWS::Cognito::IdentityPool", 1),
        ("AWS::IAM::Role", 2),
        ("AWS::Cognito::IdentityPoolRoleAttachment", 1),
    ] {
        auth.resource_count_is(ty, n);
    }
    let storage = chat.template("storage");
    storage.resource_count_is("AWS::S3::Bucket", 1);
    storage.resource_count_is("AWS::S3::BucketPolicy", 1);
    // Signed-in users, guests, and the sandbox's bucket emptier.
    storage.resource_count_is("AWS::IAM::Policy", 3);
    let function = chat.template("function");
    function.resource_count_is("AWS::Lambda::Function", 2);
    function.resource_count_is("AWS::IAM::Role", 2);
    // The function stack holds the post-confirmation trigger and fibonacci,
    // with no policy.
    function.resource_count_is("AWS::IAM::Policy", 0);
    // say-hello and announce live with the API they answer (and announce
    // writes to); say-hello's read access to photos lives beside its role.
    let data = chat.template("data");
    data.resource_count_is("AWS::AppSync::GraphQLApi", 1);
    data.resource_count_is("AWS::Lambda::Function", 2);
    let tables: usize = chat
        .stacks()
        .filter(|(p, _)| p.starts_with("data"))
        .map(|(p, _)| count(&chat.template(&p), "AWS::DynamoDB::Table"))
        .sum();
    assert_eq!(tables, 3, "a table per model: Chat, Message and Announcement");
    chat.template("LocationMapStack").resource_count_is("AWS::Location::Map", 1);
}

#[test]
fn users_sign_in_with_email_and_get_the_seeds_verification_email() {
    let chat = Chat::sandbox();
    let r = chat.backend.parts().0.resources();
    let auth = chat.template("auth");
    auth.has_resource_properties(
        "AWS::Cognito::UserPool",
        json!({
            "UsernameAttributes": ["email"],
            "AutoVerifiedAttributes": ["email"],
            "VerificationMessageTemplate": {
                "DefaultEmailOption": "CONFIRM_WITH_CODE",
                "EmailSubject": "Welcome to chat! Verify your email",
                "EmailMessage": "Your chat verification code is {####}"
            },
            "Policies": {"PasswordPolicy": {"MinimumLength": 8, "RequireLowercase": true, "RequireNumbers": true,
                                            "RequireSymbols": true, "RequireUppercase": true}}
        }),
    );
    auth.has_resource_properties(
        "AWS::Cognito::UserPoolClient",
        json!({
            "UserPoolId": {"Ref": r.user_pool.logical_id()},
            "AllowedOAuthFlows": ["code"],
            "AllowedOAuthFlowsUserPoolClient": true,
            "CallbackURLs": ["https://example.com"]
        }),
    );
    auth.has_resource_properties(
        "AWS::Cognito::IdentityPool",
        json!({
            "AllowUnauthenticatedIdentities": true,
            "CognitoIdentityProviders": [{"ClientId": {"Ref": r.user_pool_client.logical_id()}}]
        }),
    );
    // Each role is assumable only through this identity pool, by its kind of user.
    for (role, amr) in
        [(&r.authenticated_user_iam_role, "authenticated"), (&r.unauthenticated_user_iam_role, "unauthenticated")]
    {
        let trust = Match::object_like([(
            "AssumeRolePolicyDocument",
            Match::object_like([(
                "Statement",
                json!([{
                    "Action": "sts:AssumeRoleWithWebIdentity",
                    "Effect": "Allow",
                    "Principal": {"Federated": "cognito-identity.amazonaws.com"},
                    "Condition": {
                        "StringEquals": {"cognito-identity.amazonaws.com:aud": {"Ref": r.identity_pool.logical_id()}},
                        "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": amr}
                    }
                }]),
            )]),
        )]);
        assert!(
            auth.find_resources("AWS::IAM::Role", Match::object_like([("Properties", trust)]))
                .contains_key(&role.logical_id()),
            "{amr}"
        );
    }
    auth.has_resource_properties(
        "AWS::Cognito::IdentityPoolRoleAttachment",
        json!({
            "IdentityPoolId": {"Ref": r.identity_pool.logical_id()},
            "Roles": {
                "authenticated": {"Fn::GetAtt": [r.authenticated_user_iam_role.logical_id(), "Arn"]},
                "unauthenticated": {"Fn::GetAtt": [r.unauthenticated_user_iam_role.logical_id(), "Arn"]}
            }
        }),
    );
}

#[test]
fn the_bucket_is_private_encrypted_tls_only_and_open_to_browser_uploads() {
    let chat = Chat::sandbox();
    let storage = chat.template("storage");
    let bucket = chat.backend.parts().2.resources().expect("a made bucket").bucket.logical_id();
    storage.has_resource_properties(
        "AWS::S3::Bucket",
        json!({
            "PublicAccessBlockConfiguration": {"BlockPublicAcls": true, "BlockPublicPolicy": true,
                                               "IgnorePublicAcls": true, "RestrictPublicBuckets": true},
            "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
            "BucketEncryption": {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]}
        }),
    );
    // Amplify's client libraries upload from the browser: every method, and the
    // headers they read back (ETag for multipart uploads).
    storage.has_resource_properties(
        "AWS::S3::Bucket",
        Match::object_like([(
            "CorsConfiguration",
            json!({"CorsRules": [{
                "AllowedHeaders": ["*"], "AllowedOrigins": ["*"], "MaxAge": 3000,
                "AllowedMethods": ["GET", "HEAD", "PUT", "POST", "DELETE"],
                "ExposedHeaders": ["x-amz-server-side-encryption", "x-amz-request-id", "x-amz-id-2", "ETag"]
            }]}),
        )]),
    );
    let arn = json!({"Fn::GetAtt": [bucket, "Arn"]});
    storage.has_resource_properties(
        "AWS::S3::BucketPolicy",
        json!({
            "Bucket": {"Ref": bucket},
            "PolicyDocument": {"Statement": [{
                "Effect": "Deny", "Action": "s3:*", "Principal": {"AWS": "*"},
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                "Resource": [arn, {"Fn::Join": ["", [arn, "/*"]]}]
            }]}
        }),
    );
}

#[test]
fn signed_in_users_guests_and_owners_get_exactly_their_prefixes() {
    let chat = Chat::sandbox();
    let media = chat.backend.parts().2.resources().expect("a made bucket");
    let auth = chat.backend.parts().0.resources();
    let bucket = media.bucket.logical_id();
    let object = |prefix: &str| json!({"Fn::Join": ["", [{"Fn::GetAtt": [bucket, "Arn"]}, format!("/{prefix}")]]});
    let list = |prefixes: &[&str]| {
        let conditions: Vec<String> =
            prefixes.iter().flat_map(|p| [p.to_string(), p.trim_end_matches('*').to_string()]).collect();
        json!({"Effect": "Allow", "Action": "s3:ListBucket", "Resource": {"Fn::GetAtt": [bucket, "Arn"]},
               "Condition": {"StringLike": {"s3:prefix": conditions}}})
    };
    let allow = |action: &str, prefixes: &[&str]| {
        let resources: Vec<Json> = prefixes.iter().map(|p| object(p)).collect();
        let resource = if resources.len() == 1 { resources[0].clone() } else { Json::Array(resources) };
        json!({"Effect": "Allow", "Action": action, "Resource": resource})
    };

    let storage = chat.template("storage");
    let policy =
        |key: &str| storage.to_json()["Resources"][media.access_policies[key].logical_id()]["Properties"].clone();
    let signed_in = policy("authenticated");
    assert_eq!(
        signed_in["PolicyDocument"]["Statement"],
        json!([
            allow("s3:GetObject", &["photos/*", OWNER]),
            list(&["photos/*", OWNER]),
            allow("s3:PutObject", &["photos/*", OWNER]),
            allow("s3:DeleteObject", &[OWNER]),
        ])
    );
    let guest = policy("guest");
    assert_eq!(
        guest["PolicyDocument"]["Statement"],
        json!([allow("s3:GetObject", &["profile-pictures/*"]), list(&["profile-pictures/*"])])
    );
    // Each policy is on the identity pool's role for its kind of user.
    for (p, role) in [(&signed_in, &auth.authenticated_user_iam_role), (&guest, &auth.unauthenticated_user_iam_role)] {
        let roles = p["Roles"].as_array().expect("roles");
        assert_eq!(roles.len(), 1);
        assert_eq!(chat.follow("storage", &roles[0]), ("auth".to_string(), json!({"Ref": role.logical_id()})));
    }
}

#[test]
fn the_function_runs_node_with_amplifys_defaults_and_reads_photos() {
    let chat = Chat::sandbox();
    let f = chat.backend.parts().3.resources();
    let media = chat.backend.parts().2.resources().expect("a made bucket");
    // say-hello sits in the data stack, beside the query it answers.
    let function = chat.template("data");
    function.has_resource_properties(
        "AWS::Lambda::Function",
        json!({
            "Runtime": "nodejs22.x", "Handler": "index.handler", "MemorySize": 512, "Timeout": 3,
            "Architectures": ["x86_64"], "Role": {"Fn::GetAtt": [f.role.logical_id(), "Arn"]}
        }),
    );
    let lambda = &function.to_json()["Resources"][f.lambda.logical_id()]["Properties"];
    let bucket_name = &lambda["Environment"]["Variables"]["MEDIA_BUCKET_NAME"];
    assert_eq!(chat.follow("data", bucket_name), ("storage".to_string(), json!({"Ref": media.bucket.logical_id()})));

    let all: Vec<Json> = function
        .find_resources(
            "AWS::IAM::Policy",
            Match::object_like([("Properties", json!({"Roles": [{"Ref": f.role.logical_id()}]}))]),
        )
        .values()
        .flat_map(|p| p["Properties"]["PolicyDocument"]["Statement"].as_array().expect("statements").clone())
        .collect();
    // Besides the bucket, the function may read the bucket's SSM resource
    // reference, as Amplify's may.
    let (ssm, statements): (Vec<Json>, Vec<Json>) = all.into_iter().partition(|s| s["Action"] == "ssm:GetParameters");
    assert_eq!(
        ssm,
        [json!({"Effect": "Allow", "Action": "ssm:GetParameters", "Resource": {"Fn::Sub":
            "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/amplify/resource_reference/chatapp/dev-sandbox-de98f094bc/MEDIA_BUCKET_NAME"}})]
    );
    assert_eq!(statements.len(), 2, "read is get and list, nothing more: {statements:#?}");
    let arn = |value: &Json| chat.follow("data", value);
    let bucket_arn = ("storage".to_string(), json!({"Fn::GetAtt": [media.bucket.logical_id(), "Arn"]}));
    assert_eq!(statements[0]["Action"], "s3:GetObject");
    assert_eq!(arn(&statements[0]["Resource"]["Fn::Join"][1][0]), bucket_arn);
    assert_eq!(statements[0]["Resource"]["Fn::Join"][1][1], "/photos/*");
    assert_eq!(statements[1]["Action"], "s3:ListBucket");
    assert_eq!(arn(&statements[1]["Resource"]), bucket_arn);
    assert_eq!(statements[1]["Condition"], json!({"StringLike": {"s3:prefix": ["photos/*", "photos/"]}}));
}

#[test]
fn announce_may_only_mutate_through_the_api_and_fibonacci_is_a_rust_bootstrap() {
    let chat = Chat::sandbox();
    let announce = chat.backend.parts().5.resources();
    let data = chat.template("data");
    let api = data.find_resources("AWS::AppSync::GraphQLApi", Match::any_value()).into_iter().next().unwrap().0;
    let (_, policy) = data
        .find_resources(
            "AWS::IAM::Policy",
            Match::object_like([("Properties", json!({"Roles": [{"Ref": announce.role.logical_id()}]}))]),
        )
        .into_iter()
        .next()
        .expect("a policy on announce's role");
    let graphql: Vec<&Json> = policy["Properties"]["PolicyDocument"]["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["Action"] == "appsync:GraphQL")
        .collect();
    // `allow.resource(announce).to([Mutate])`: mutations only.
    assert_eq!(graphql.len(), 1, "{graphql:?}");
    assert_eq!(graphql[0]["Resource"], json!({"Fn::Join": ["", [{"Fn::GetAtt": [api, "Arn"]}, "/types/Mutation/*"]]}));
    let lambda = &data.to_json()["Resources"][announce.lambda.logical_id()]["Properties"];
    assert_eq!(
        lambda["Environment"]["Variables"]["AMPLIFY_DATA_GRAPHQL_ENDPOINT"],
        json!({"Fn::GetAtt": [api, "GraphQLUrl"]})
    );

    let fibonacci = chat.backend.parts().6.resources();
    let function = chat.template("function");
    let lambda = &function.to_json()["Resources"][fibonacci.lambda.logical_id()]["Properties"];
    assert_eq!((&lambda["Runtime"], &lambda["Handler"]), (&json!("provided.al2023"), &json!("bootstrap")));
    assert_eq!(lambda["Architectures"], json!(["x86_64"]), "built for Lambda's x86_64 Linux, not the host");
}

/// The reference root template Amplify synthesized for the same backend.
fn reference_root() -> Json {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../reference/amplify-gen2-chat/output/amplify-chatapp-dev-sandbox-de98f094bc.template.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).expect("the reference is readable")).expect("JSON")
}

#[test]
fn root_outputs_are_named_and_valued_as_amplify_does() {
    let chat = Chat::sandbox();
    let ours = &chat.stack("").template;
    let theirs = reference_root();
    let groups = |t: &Json| -> BTreeMap<String, Vec<String>> {
        let metadata = t["Metadata"].as_object().expect("metadata");
        metadata
            .iter()
            .map(|(g, v)| {
                (
                    g.clone(),
                    v["stackOutputs"].as_array().unwrap().iter().map(|o| o.as_str().unwrap().to_string()).collect(),
                )
            })
            .collect()
    };
    let (ours_groups, their_groups) = (groups(ours), groups(&theirs));
    assert_eq!(ours_groups.keys().collect::<Vec<_>>(), their_groups.keys().collect::<Vec<_>>());
    for (group, outputs) in &ours_groups {
        for output in outputs {
            // Our ampx reads the introspection we staged beside Amplify's model schema.
            if group == "AWS::Amplify::GraphQL" && output == "amplifyApiModelIntrospectionS3Uri" {
                continue;
            }
            assert!(their_groups[group].contains(output), "{group} lists {output}, which Amplify does not name");
            assert!(ours["Outputs"].get(output).is_some(), "{output} is listed but missing");
        }
    }
    // Every output Amplify lists is there too: its CLI requires them.
    for (group, outputs) in &their_groups {
        for output in outputs {
            assert!(ours_groups[group].contains(output), "{group} lacks {output}, which Amplify's CLI reads");
        }
    }
    // The descriptions carry Amplify's attribution: which tool, what stack.
    let description = |t: &Json| -> Json { serde_json::from_str(t["Description"].as_str().unwrap()).unwrap() };
    let (ours_description, their_description) = (description(ours), description(&theirs));
    for key in ["createdOn", "createdBy", "stackType", "metadata"] {
        assert_eq!(ours_description[key], their_description[key], "description {key}");
    }
    // What the frontend needs is there, under Amplify's names.
    for output in [
        "userPoolId",
        "webClientId",
        "identityPoolId",
        "authRegion",
        "awsAppsyncApiEndpoint",
        "awsAppsyncRegion",
        "bucketName",
        "storageRegion",
        "buckets",
        "customOutputs",
        "deploymentType",
        "region",
    ] {
        assert!(ours["Outputs"].get(output).is_some(), "no {output}");
    }
    // The settings both backends share have the same literal values.
    for output in [
        "deploymentType",
        "allowUnauthenticatedIdentities",
        "signupAttributes",
        "usernameAttributes",
        "verificationMechanisms",
        "passwordPolicyMinLength",
        "passwordPolicyRequirements",
        "mfaConfiguration",
        "mfaTypes",
        "groups",
        "awsAppsyncAuthenticationType",
        "awsAppsyncAdditionalAuthenticationTypes",
    ] {
        assert_eq!(ours["Outputs"][output]["Value"], theirs["Outputs"][output]["Value"], "{output}");
    }
    // Ids point at the resources in the nested stacks.
    let auth = chat.backend.parts().0.resources();
    for (output, resource) in [
        ("userPoolId", &auth.user_pool.logical_id()),
        ("webClientId", &auth.user_pool_client.logical_id()),
        ("identityPoolId", &auth.identity_pool.logical_id()),
    ] {
        assert_eq!(
            chat.follow("", &ours["Outputs"][output]["Value"]),
            ("auth".to_string(), json!({"Ref": resource})),
            "{output}"
        );
    }
    let map = chat.template("LocationMapStack");
    map.has_resource_properties(
        "AWS::Location::Map",
        json!({"MapName": "chat-map", "Configuration": {"Style": "VectorEsriStreets"}}),
    );
    map.has_output("MapArn", Match::object_like([("Value", Match::object_like([("Fn::GetAtt", Match::any_value())]))]));
}

/// A resource's tags, whichever of CloudFormation's shapes it uses.
fn tags(resource: &Json) -> Option<BTreeMap<String, String>> {
    let p = &resource["Properties"];
    let value = ["Tags", "UserPoolTags", "IdentityPoolTags"].iter().find_map(|k| p.get(*k))?;
    Some(match value {
        Json::Array(list) => {
            list.iter().map(|t| (t["Key"].as_str().unwrap().into(), t["Value"].as_str().unwrap().into())).collect()
        }
        Json::Object(map) => map.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap().into())).collect(),
        other => panic!("tags of an unknown shape: {other}"),
    })
}

fn assert_tagged(chat: &Chat, expected: &[(&str, &str)]) {
    let mut tagged_types = std::collections::BTreeSet::new();
    for (path, stack) in chat.stacks() {
        for (id, resource) in stack.template["Resources"].as_object().unwrap() {
            let Some(tags) = tags(resource) else { continue };
            for (k, v) in expected {
                assert_eq!(tags.get(*k).map(String::as_str), Some(*v), "{path}/{id} tag {k}");
            }
            tagged_types.insert(resource["Type"].as_str().unwrap().to_string());
        }
    }
    for ty in [
        "AWS::CloudFormation::Stack",
        "AWS::Cognito::UserPool",
        "AWS::Cognito::IdentityPool",
        "AWS::IAM::Role",
        "AWS::S3::Bucket",
        "AWS::Lambda::Function",
        "AWS::DynamoDB::Table",
        "AWS::AppSync::GraphQLApi",
        "AWS::Location::Map",
    ] {
        assert!(tagged_types.contains(ty), "no {ty} is tagged");
    }
}

#[test]
fn every_taggable_resource_is_tagged_for_amplify() {
    assert_tagged(&Chat::sandbox(), &[("created-by", "amplify"), ("amplify:deployment-type", "sandbox")]);
    let branch = [
        ("created-by", "amplify"),
        ("amplify:deployment-type", "branch"),
        ("amplify:app-id", "d1abcdefghij"),
        ("amplify:branch-name", "main"),
    ];
    assert_tagged(&Chat::branch(), &branch);
}

/// `(DeletionPolicy, UpdateReplacePolicy)` of every resource of the stateful types.
fn stateful_policies(chat: &Chat) -> Vec<(String, Json, Json)> {
    let mut found = Vec::new();
    for (path, stack) in chat.stacks() {
        for (id, r) in stack.template["Resources"].as_object().unwrap() {
            if amplify_backend::backend::policies::STATEFUL_TYPES.contains(&r["Type"].as_str().unwrap()) {
                found.push((format!("{path}/{id}"), r["DeletionPolicy"].clone(), r["UpdateReplacePolicy"].clone()));
            }
        }
    }
    found
}

#[test]
fn sandboxes_delete_stateful_resources_and_branches_retain_them() {
    let sandbox = stateful_policies(&Chat::sandbox());
    // The user pool, the identity pool, the bucket and a table per model.
    assert_eq!(sandbox.len(), 6, "{sandbox:?}");
    for (at, deletion, replace) in &sandbox {
        assert_eq!((deletion, replace), (&json!("Delete"), &json!("Delete")), "{at}");
    }
    let branch = stateful_policies(&Chat::branch());
    assert_eq!(branch.len(), 6);
    for (at, deletion, replace) in &branch {
        assert_eq!((deletion, replace), (&json!("Retain"), &json!("Retain")), "{at}");
    }
    // Only a sandbox empties its bucket on the way out.
    assert_eq!(count(&Chat::sandbox().template("storage"), "Custom::S3AutoDeleteObjects"), 1);
    assert_eq!(count(&Chat::branch().template("storage"), "Custom::S3AutoDeleteObjects"), 0);
}

fn count(template: &Template, ty: &str) -> usize {
    template.find_resources(ty, Match::any_value()).len()
}

#[test]
fn owners_read_as_usernames_and_sandbox_tables_skip_point_in_time_recovery() {
    for (chat, recovery) in [(Chat::sandbox(), false), (Chat::branch(), true)] {
        for model in ["Chat", "Message"] {
            let path = chat.stacks().map(|(p, _)| p).find(|p| p.ends_with(&format!("/{model}"))).expect("model stack");
            let stack = chat.template(&path);
            // Amplify's owner field resolver: a UNIT resolver on the NONE data source.
            stack.has_resource_properties(
                "AWS::AppSync::Resolver",
                json!({"TypeName": model, "FieldName": "owner", "Kind": "UNIT",
                       "Runtime": {"Name": "APPSYNC_JS", "RuntimeVersion": "1.0.0"}}),
            );
            stack.has_resource_properties(
                "AWS::DynamoDB::Table",
                json!({"PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": recovery}}),
            );
        }
    }
}
