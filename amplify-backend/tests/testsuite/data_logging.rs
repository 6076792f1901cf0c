//! `DataProps::logging`: AppSync logs to a log group of the API's own, with a
//! retention, through a role that may write there only; off by default.

use crate::data_support;

use amplify_backend::auth::{define_auth, AuthProps, LoginWith};
use amplify_backend::data::*;
use amplify_backend::Backend;
use constructs::{CloudAssembly, SynthError};
use data_support::*;
use serde_json::{json, Value};

fn synth(logging: Option<DataLogging>) -> Result<CloudAssembly, SynthError> {
    let app = sandbox_app();
    let auth = define_auth(AuthProps { login_with: LoginWith::email(), ..Default::default() });
    let data = define_data(DataProps {
        schema: chat_schema(),
        authorization_modes: AuthorizationModes::user_pool(),
        logging,
        ..Default::default()
    });
    Backend::build(app, (auth, data)).app().synth_in_memory()
}

fn data_template(out: &CloudAssembly) -> &Value {
    &out.stacks.iter().find(|s| s.construct_path.ends_with("/data")).expect("a data stack").template
}

/// The only resource of `ty`, with its logical ID.
fn one<'a>(t: &'a Value, ty: &str) -> (&'a str, &'a Value) {
    let found: Vec<_> = t["Resources"].as_object().unwrap().iter().filter(|(_, r)| r["Type"] == ty).collect();
    assert_eq!(found.len(), 1, "{ty}: {found:?}");
    (found[0].0.as_str(), found[0].1)
}

#[test]
fn amplify_defaults_log_requests_without_verbose_content_for_a_week() {
    let out = synth(Some(DataLogging::default())).unwrap();
    let t = data_template(&out);
    let (api_id, api) = one(t, "AWS::AppSync::GraphQLApi");
    let (role_id, role) = one(t, "AWS::IAM::Role");
    assert!(role_id.contains("ApiLogsRole"), "{role_id}");
    assert_eq!(
        role["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]["Service"],
        "appsync.amazonaws.com"
    );
    assert_eq!(
        api["Properties"]["LogConfig"],
        json!({"CloudWatchLogsRoleArn": {"Fn::GetAtt": [role_id, "Arn"]}, "ExcludeVerboseContent": true, "FieldLogLevel": "NONE"})
    );
    let (group_id, group) = one(t, "AWS::Logs::LogGroup");
    assert_eq!(group["Properties"]["RetentionInDays"], 7);
    // The name AppSync writes to, so the retention applies to the API's logs.
    assert_eq!(
        group["Properties"]["LogGroupName"],
        json!({"Fn::Join": ["", ["/aws/appsync/apis/", {"Fn::GetAtt": [api_id, "ApiId"]}]]})
    );
    // The role may write to that group and nothing else.
    let policies: Vec<_> = t["Resources"]
        .as_object()
        .unwrap()
        .values()
        .filter(|r| r["Type"] == "AWS::IAM::Policy" && r["Properties"]["Roles"] == json!([{"Ref": role_id}]))
        .collect();
    assert_eq!(policies.len(), 1);
    assert_eq!(
        policies[0]["Properties"]["PolicyDocument"]["Statement"],
        json!([{"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"], "Resource": {"Fn::GetAtt": [group_id, "Arn"]}}])
    );
}

#[test]
fn field_logs_verbose_content_and_retention_are_the_users_choice() {
    let logging =
        DataLogging { exclude_verbose_content: false, field_log_level: FieldLogLevel::Error, retention_days: 30 };
    let out = synth(Some(logging)).unwrap();
    let t = data_template(&out);
    let config = &one(t, "AWS::AppSync::GraphQLApi").1["Properties"]["LogConfig"];
    assert_eq!(config["FieldLogLevel"], "ERROR");
    assert_eq!(config["ExcludeVerboseContent"], false);
    assert_eq!(one(t, "AWS::Logs::LogGroup").1["Properties"]["RetentionInDays"], 30);
}

#[test]
fn logging_is_off_unless_asked_for() {
    let out = synth(None).unwrap();
    let t = data_template(&out);
    assert!(one(t, "AWS::AppSync::GraphQLApi").1["Properties"].get("LogConfig").is_none());
    assert!(t["Resources"].as_object().unwrap().values().all(|r| r["Type"] != "AWS::Logs::LogGroup"));
}

#[test]
fn a_retention_cloudwatch_does_not_offer_is_reported_at_the_api() {
    let err = synth(Some(DataLogging { retention_days: 10, ..Default::default() })).unwrap_err().to_string();
    assert!(err.contains("data/amplifyData/GraphQLAPI"), "{err}");
    assert!(err.contains("logging.retention_days is 10") && err.contains("3653"), "{err}");
}
