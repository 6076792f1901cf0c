//! Point-in-time recovery of the model tables: off in sandboxes (as Amplify), on in
//! branch deployments (our safer default for real data), and `DataProps`'s
//! `point_in_time_recovery` sets it either way.

use crate::data_support;

use amplify_backend::auth::{define_auth, AuthProps, LoginWith};
use amplify_backend::data::*;
use amplify_backend::Backend;
use constructs::{App, AppProps};
use data_support::*;
use serde_json::{json, Value};

/// Each table's `PointInTimeRecoveryEnabled` in a `deployment` (`sandbox` or
/// `branch`) of the chat schema with `point_in_time_recovery`.
fn recovery(deployment: &str, point_in_time_recovery: Option<bool>) -> Vec<Value> {
    let app = App::with_props(AppProps {
        context: [
            ("amplify-backend-type".to_string(), json!(deployment)),
            ("amplify-backend-namespace".to_string(), json!("chatapp")),
            ("amplify-backend-name".to_string(), json!("main")),
        ]
        .into_iter()
        .collect(),
        ..Default::default()
    });
    let auth = define_auth(AuthProps { login_with: LoginWith::email(), ..Default::default() });
    let data = define_data(DataProps {
        schema: chat_schema(),
        authorization_modes: AuthorizationModes::user_pool(),
        point_in_time_recovery,
        ..Default::default()
    });
    let backend = Backend::build(app, (auth, data));
    let out = backend.app().synth_in_memory().unwrap_or_else(|e| panic!("{e}"));
    let tables: Vec<Value> = out
        .stacks
        .iter()
        .flat_map(|s| s.template["Resources"].as_object().cloned().unwrap_or_default().into_values())
        .filter(|r| r["Type"] == "AWS::DynamoDB::Table")
        .map(|r| r["Properties"]["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"].clone())
        .collect();
    assert_eq!(tables.len(), 2, "a table per model");
    tables
}

#[test]
fn sandboxes_leave_point_in_time_recovery_off_as_amplify_does() {
    assert_eq!(recovery("sandbox", None), [json!(false), json!(false)]);
}

#[test]
fn branch_deployments_keep_point_in_time_recovery_on() {
    assert_eq!(recovery("branch", None), [json!(true), json!(true)]);
}

#[test]
fn the_prop_turns_it_on_in_a_sandbox_and_off_in_a_branch() {
    assert_eq!(recovery("sandbox", Some(true)), [json!(true), json!(true)]);
    assert_eq!(recovery("branch", Some(false)), [json!(false), json!(false)]);
}
