//! IAM policy statements and roles, as the categories grant access to each other.

use cfn_types::iam::policy::{CfnPolicy, CfnPolicyProps};
use cfn_types::iam::role::{CfnRole, CfnRoleProps};
use constructs::{IConstruct, Value};

/// One `Allow` statement: actions on resources, optionally with conditions.
///
/// ```
/// use amplify_backend::iam::PolicyStatement;
/// let s = PolicyStatement::allow(["s3:GetObject"], ["arn:aws:s3:::bucket/public/*".into()]);
/// assert_eq!(s.to_value().to_json().unwrap()["Effect"], "Allow");
/// ```
#[derive(Clone, Debug)]
pub struct PolicyStatement {
    /// The actions, such as `s3:GetObject`.
    pub actions: Vec<String>,
    /// The resource ARNs (tokens allowed).
    pub resources: Vec<Value>,
    /// A `Condition` block, if any.
    pub condition: Option<Value>,
}

impl PolicyStatement {
    /// Allows `actions` on `resources`.
    pub fn allow<S: Into<String>>(
        actions: impl IntoIterator<Item = S>,
        resources: impl IntoIterator<Item = Value>,
    ) -> Self {
        PolicyStatement {
            actions: actions.into_iter().map(Into::into).collect(),
            resources: resources.into_iter().collect(),
            condition: None,
        }
    }

    /// Adds a `Condition` block.
    pub fn with_condition(mut self, condition: Value) -> Self {
        self.condition = Some(condition);
        self
    }

    /// The statement as IAM JSON (a single action or resource is written as a string).
    pub fn to_value(&self) -> Value {
        let one_or_many = |mut v: Vec<Value>| if v.len() == 1 { v.remove(0) } else { Value::Array(v) };
        let mut pairs: Vec<(&str, Value)> = vec![
            ("Effect", "Allow".into()),
            ("Action", one_or_many(self.actions.iter().map(|a| Value::from(a.as_str())).collect())),
            ("Resource", one_or_many(self.resources.clone())),
        ];
        if let Some(c) = &self.condition {
            pairs.push(("Condition", c.clone()));
        }
        Value::object(pairs)
    }
}

/// A policy document from statements.
pub fn policy_document(statements: &[PolicyStatement]) -> Value {
    Value::object([
        ("Version", Value::from("2012-10-17")),
        ("Statement", Value::Array(statements.iter().map(PolicyStatement::to_value).collect())),
    ])
}

/// A role that a service (`lambda.amazonaws.com`, `appsync.amazonaws.com`) assumes.
pub fn service_role(scope: &impl IConstruct, id: &str, service: &str, managed_policy_arns: Vec<Value>) -> CfnRole {
    let trust = Value::object([
        ("Version", Value::from("2012-10-17")),
        (
            "Statement",
            Value::Array(vec![Value::object([
                ("Action", Value::from("sts:AssumeRole")),
                ("Effect", "Allow".into()),
                ("Principal", Value::object([("Service", Value::from(service))])),
            ])]),
        ),
    ]);
    CfnRole::new(
        scope,
        id,
        CfnRoleProps {
            assume_role_policy_document: trust,
            managed_policy_arns: (!managed_policy_arns.is_empty()).then(|| managed_policy_arns.into()),
            ..Default::default()
        },
    )
}

/// The ARN of an AWS managed policy (`service-role/AWSLambdaBasicExecutionRole`).
pub fn managed_policy_arn(name: &str) -> Value {
    Value::concat(["arn:".into(), constructs::Aws::partition(), format!(":iam::aws:policy/{name}").into()])
}

/// Attaches statements to roles as an inline `AWS::IAM::Policy` in `scope`, named
/// after the scope's path so that the name is unique in the account.
pub fn attach(scope: &impl IConstruct, id: &str, roles: Vec<Value>, statements: &[PolicyStatement]) -> CfnPolicy {
    let name = format!("{}{}", constructs::names::remove_non_alphanumeric(id), short_hash(scope.node().path()));
    CfnPolicy::new(
        scope,
        id,
        CfnPolicyProps {
            policy_document: policy_document(statements),
            policy_name: name.into(),
            roles: Some(roles.into()),
            ..Default::default()
        },
    )
}

fn short_hash(s: &str) -> String {
    constructs::names::make_unique_id(&["p", s]).map(|id| id[id.len() - 8..].to_string()).unwrap_or_default()
}
