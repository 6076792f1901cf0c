//! Amplify's resource references: the SSM parameters data, storage and auth
//! publish under `/amplify/resource_reference/...`, and what a function granted
//! access finds in `AMPLIFY_SSM_ENV_CONFIG`. Names, paths and construct paths are
//! checked against Amplify's own synthesis of the chat app (reference/).

use crate::lint_support::cfn_lint_findings;
use crate::storage_support::{app, app_with, function, reference, scratch_dir};

use std::path::PathBuf;

use amplify_backend::auth::{auth_access, define_auth, AuthAction, AuthDefinition, AuthProps, LoginWith};
use amplify_backend::data::{define_data, AuthorizationModes, DataDefinition, DataProps, ResourceOperation};
use amplify_backend::storage::{access, define_storage, StorageAction::*, StorageDefinition, StorageProps};
use amplify_backend::{Backend, Category};
use constructs::assertions::{Match, Template};
use serde_json::{json, Value};

const PREFIX: &str = "/amplify/resource_reference/chatapp/dev-sandbox-de98f094bc/";

fn data(name: Option<&str>, reader: Option<&str>) -> DataDefinition {
    let mut schema = crate::data_support::chat_schema();
    if let Some(f) = reader {
        schema = schema.authorization(|allow| [allow.resource(f).to([ResourceOperation::Query])]);
    }
    define_data(DataProps {
        name: name.map(str::to_string).unwrap_or_else(|| DataProps::default().name),
        schema,
        authorization_modes: AuthorizationModes::user_pool(),
        ..Default::default()
    })
}

fn media(reader: Option<&amplify_backend::function::FunctionDefinition>) -> StorageDefinition {
    define_storage(StorageProps {
        name: "media".into(),
        access: access(|allow| {
            let mut rules = vec![allow.authenticated.to([Read, Write])];
            if let Some(f) = reader {
                rules.push(allow.resource(f).to([Read]));
            }
            vec![("photos/*", rules)]
        }),
        ..Default::default()
    })
}

fn auth(admin: Option<&amplify_backend::function::FunctionDefinition>) -> AuthDefinition {
    define_auth(AuthProps {
        login_with: LoginWith::email(),
        access: admin
            .map(|f| auth_access(|allow| vec![allow.resource(f).to([AuthAction::ListUsers])]))
            .unwrap_or_default(),
        ..Default::default()
    })
}

/// The SSM parameters of a template, by logical id: (name, value, construct path).
fn parameters(t: &Value) -> Vec<(String, Value, Value, Value)> {
    let mut out: Vec<_> = t["Resources"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, r)| r["Type"] == "AWS::SSM::Parameter")
        .map(|(id, r)| {
            let p = &r["Properties"];
            assert_eq!(p["Type"], "String", "{id}");
            (id.clone(), p["Name"].clone(), p["Value"].clone(), r["Metadata"]["aws:cdk:path"].clone())
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn template(backend: &Backend<impl Sized>, category: Category) -> Value {
    Template::from_stack(&backend.stack(category)).to_json().clone()
}

#[test]
fn data_and_storage_publish_the_parameters_amplify_publishes_with_its_ids_paths_and_names() {
    // No function reads them: Amplify still publishes data's, and storage's for a
    // bucket with access rules.
    let backend = Backend::build(app("sandbox"), (auth(None), data(None, None), media(None)));
    let ours = parameters(&template(&backend, Category::Data));
    let theirs = parameters(&reference("amplifychatappdevsandboxde98f094bcdataCD828D6D.nested.template.json"));
    // The logical id carries the construct path (`data/<VARIABLE>Parameter/Resource`).
    let strip = |v: &[(String, Value, Value, Value)]| -> Vec<(String, Value)> {
        v.iter().map(|(id, name, _, _)| (id.clone(), name.clone())).collect()
    };
    assert_eq!(strip(&ours), strip(&theirs));
    assert_eq!(ours.len(), 4);
    let value = |id: &str| ours.iter().find(|p| p.0.starts_with(id)).unwrap().2.clone();
    assert_eq!(value("AMPLIFYDATADEFAULTNAME"), "amplifyData");
    let url = value("AMPLIFYDATAGRAPHQLENDPOINT");
    assert_eq!(url["Fn::GetAtt"][1], "GraphQLUrl", "{url}");
    // Ours point at the introspection file we stage (Amplify copies it into a bucket of its own).
    let data = backend.parts().1.as_ref().unwrap();
    let asset = &data.resources().model_introspection_asset;
    assert_eq!(value("AMPLIFYDATAMODELINTROSPECTIONSCHEMAKEY"), json!(asset.object_key().to_json().unwrap()));

    let ours = parameters(&template(&backend, Category::Storage));
    let theirs = parameters(&reference("amplifychatappdevsandboxde98f094bcstorage8235B835.nested.template.json"));
    assert_eq!(strip(&ours), strip(&theirs));
    assert_eq!(ours[0].2, theirs[0].2, "the bucket's name, by Ref");
}

#[test]
fn a_function_granted_access_lists_each_reference_in_its_ssm_config_and_may_read_exactly_those() {
    let reader = function("reader");
    let backend =
        Backend::build(app("sandbox"), (auth(Some(&reader)), data(None, Some("reader")), media(Some(&reader)), reader));
    let f = Template::from_stack(&backend.function_stack("reader"));
    let lambda = f.find_resources("AWS::Lambda::Function", Match::any_value());
    let env = &lambda.values().next().unwrap()["Properties"]["Environment"]["Variables"];
    let config: Value = serde_json::from_str(env["AMPLIFY_SSM_ENV_CONFIG"].as_str().unwrap()).unwrap();
    let variables = [
        "AMPLIFY_AUTH_USERPOOL_ID",
        "AMPLIFY_DATA_GRAPHQL_ENDPOINT",
        "AMPLIFY_DATA_MODEL_INTROSPECTION_SCHEMA_BUCKET_NAME",
        "AMPLIFY_DATA_MODEL_INTROSPECTION_SCHEMA_KEY",
        "AMPLIFY_DATA_DEFAULT_NAME",
        "MEDIA_BUCKET_NAME",
    ];
    // Amplify's entry for a reference: one path, no shared one.
    let expected: serde_json::Map<String, Value> =
        variables.iter().map(|v| (v.to_string(), json!({"path": format!("{PREFIX}{v}")}))).collect();
    assert_eq!(config, Value::Object(expected));
    // The values are also there directly (no cycle here), so handlers without a
    // loader read them too.
    assert_eq!(env["AMPLIFY_DATA_DEFAULT_NAME"], "amplifyData");
    for v in variables {
        assert!(env[v].is_string() || env[v].is_object(), "{v}: {env}");
        assert_ne!(env[v], amplify_backend::function::SECRET_PLACEHOLDER, "{v}");
    }
    // ssm:GetParameters on exactly those parameters.
    let policies = f.find_resources("AWS::IAM::Policy", Match::any_value());
    let statements: Vec<&Value> = policies
        .values()
        .flat_map(|p| p["Properties"]["PolicyDocument"]["Statement"].as_array().unwrap())
        .filter(|s| s["Action"] == "ssm:GetParameters")
        .collect();
    let mut arns: Vec<String> =
        statements.iter().map(|s| s["Resource"]["Fn::Sub"].as_str().unwrap().to_string()).collect();
    arns.sort();
    let mut expected: Vec<String> = variables
        .iter()
        .map(|v| format!("arn:${{AWS::Partition}}:ssm:${{AWS::Region}}:${{AWS::AccountId}}:parameter{PREFIX}{v}"))
        .collect();
    expected.sort();
    assert_eq!(arns, expected);
    // Auth publishes the pool's id because it grants access.
    Template::from_stack(&backend.stack(Category::Auth)).has_resource_properties(
        "AWS::SSM::Parameter",
        Match::object_like([
            ("Name", Match::exact(json!(format!("{PREFIX}AMPLIFY_AUTH_USERPOOL_ID")))),
            ("Value", Match::object_like([("Ref", Match::string_like_regexp("^amplifyAuthUserPool"))])),
        ]),
    );
}

#[test]
fn data_with_another_name_publishes_the_names_getamplifydataclientconfig_derives_from_it() {
    let reader = function("reader");
    let backend = Backend::build(app("sandbox"), (auth(None), data(Some("chat"), Some("reader")), reader));
    let names: Vec<String> = parameters(&template(&backend, Category::Data))
        .into_iter()
        .map(|p| p.1.as_str().unwrap().to_string())
        .collect();
    let mut expected: Vec<String> = [
        "AMPLIFY_DATACHAT_GRAPHQL_ENDPOINT",
        "AMPLIFY_DATACHAT_MODEL_INTROSPECTION_SCHEMA_BUCKET_NAME",
        "AMPLIFY_DATACHAT_MODEL_INTROSPECTION_SCHEMA_KEY",
        "AMPLIFY_DATA_DEFAULT_NAME",
        "CHAT_GRAPHQL_ENDPOINT",
    ]
    .iter()
    .map(|v| format!("{PREFIX}{v}"))
    .collect();
    let mut names = names;
    names.sort();
    expected.sort();
    assert_eq!(names, expected);
    // getAmplifyDataClientConfig upper-snakes AMPLIFY_DATA_DEFAULT_NAME
    // ("amplifyDatachat" -> AMPLIFY_DATACHAT) and reads <that>_GRAPHQL_ENDPOINT.
    let f = Template::from_stack(&backend.function_stack("reader"));
    f.has_resource_properties(
        "AWS::Lambda::Function",
        Match::object_like([(
            "Environment",
            Match::object_like([(
                "Variables",
                Match::object_like([
                    ("AMPLIFY_DATA_DEFAULT_NAME", Match::exact(json!("amplifyDatachat"))),
                    ("AMPLIFY_DATACHAT_GRAPHQL_ENDPOINT", Match::any_value()),
                    ("AMPLIFY_DATACHAT_MODEL_INTROSPECTION_SCHEMA_KEY", Match::any_value()),
                ]),
            )]),
        )]),
    );
}

#[test]
fn a_storage_trigger_with_access_reads_the_bucket_name_from_ssm_only() {
    use amplify_backend::storage::StorageTriggers;
    let on_upload = function("on-upload");
    let storage = define_storage(StorageProps {
        name: "media".into(),
        access: access(|allow| vec![("photos/*", vec![allow.resource(&on_upload).to([Read])])]),
        triggers: StorageTriggers { on_upload: Some(on_upload.clone()), ..Default::default() },
        ..Default::default()
    });
    let backend = Backend::build(app("sandbox"), (storage, on_upload));
    // It deploys: no reference from the function to the bucket that invokes it.
    backend.app().synth_in_memory().unwrap_or_else(|e| panic!("{e}"));
    let f = Template::from_stack(&backend.function_stack("on-upload"));
    let lambda = f.find_resources("AWS::Lambda::Function", Match::any_value());
    let env = &lambda.values().next().unwrap()["Properties"]["Environment"]["Variables"];
    assert!(env.get("MEDIA_BUCKET_NAME").is_none(), "{env}");
    let config: Value = serde_json::from_str(env["AMPLIFY_SSM_ENV_CONFIG"].as_str().unwrap()).unwrap();
    assert_eq!(config, json!({"MEDIA_BUCKET_NAME": {"path": format!("{PREFIX}MEDIA_BUCKET_NAME")}}));
}

#[test]
fn cfn_lint_finds_nothing_in_a_backend_with_every_reference() {
    let dir = scratch_dir("resource-references-lint");
    let reader = function("lint-ref-reader");
    let backend = Backend::build(
        app_with("sandbox", Some(dir.clone())),
        (auth(Some(&reader)), data(None, Some("lint-ref-reader")), media(Some(&reader)), reader),
    );
    let assembly = backend.synth().unwrap_or_else(|e| panic!("{e}"));
    let files: Vec<PathBuf> = assembly.stacks.iter().map(|s| dir.join(&s.template_file)).collect();
    let findings = cfn_lint_findings(&files);
    assert!(findings.is_empty(), "{findings:#?}");
}
