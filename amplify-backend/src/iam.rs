//! IAM policy statements and roles, as the categories grant access to each other.

use cfn_types::iam::policy::{CfnPolicy, CfnPolicyProps};
use cfn_types::iam::role::{CfnRole, CfnRoleProps};
use cfn_types::lambda::permission::{CfnPermission, CfnPermissionProps};
use constructs::{cfn, IConstruct, Value};

/// One `Allow` statement: actions on resources, optionally with conditions.
///
/// ```
/// use amplify_backend::iam::PolicyStatement;
/// let s = PolicyStatement::allow(["s3:GetObject"], ["arn:aws:s3:::bucket/public/*".into()]);
/// assert_eq!(s.to_value().to_json().unwrap()["Effect"], "Allow");
/// ```
#[derive(Clone, Debug, PartialEq)]
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
    document(statements.iter().map(PolicyStatement::to_value).collect())
}

/// A policy document from statements already written as IAM JSON (such as
/// `Deny` statements).
pub fn document(statements: Vec<Value>) -> Value {
    cfn!({"Version": "2012-10-17", "Statement": (Value::Array(statements))})
}

/// An AWS service that assumes a backend's roles or invokes its functions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Service {
    /// AWS Lambda (function execution roles).
    Lambda,
    /// AWS AppSync (data sources, logging, Lambda authorizers).
    AppSync,
    /// Amazon Cognito user pools (triggers, SMS).
    CognitoIdp,
    /// Amazon S3 (event notifications).
    S3,
    /// Amazon EventBridge (schedules).
    Events,
    /// Amazon EventBridge Scheduler (zoned schedules).
    Scheduler,
}

impl Service {
    /// The service principal (`lambda.amazonaws.com`).
    pub fn principal(self) -> &'static str {
        match self {
            Service::Lambda => "lambda.amazonaws.com",
            Service::AppSync => "appsync.amazonaws.com",
            Service::CognitoIdp => "cognito-idp.amazonaws.com",
            Service::S3 => "s3.amazonaws.com",
            Service::Events => "events.amazonaws.com",
            Service::Scheduler => "scheduler.amazonaws.com",
        }
    }
}

/// Who may assume a role: its trust policy.
///
/// ```
/// use amplify_backend::iam::{Service, Trust};
/// let trust = Trust::service(Service::Lambda).document().to_json().unwrap();
/// assert_eq!(trust["Statement"][0]["Principal"]["Service"], "lambda.amazonaws.com");
/// ```
#[derive(Clone, Debug)]
pub enum Trust {
    /// A service (`sts:AssumeRole`), on a condition if given (the confused-deputy
    /// guards `aws:SourceArn`, `aws:SourceAccount`, `sts:ExternalId`).
    Service {
        /// The service.
        service: Service,
        /// The statement's `Condition` block.
        condition: Option<Value>,
    },
    /// Identities of a Cognito identity pool (`sts:AssumeRoleWithWebIdentity`),
    /// signed in (`amr` `authenticated`) or guests (`unauthenticated`).
    CognitoIdentity {
        /// The identity pool's id (a token).
        identity_pool_id: Value,
        /// `authenticated` or `unauthenticated`.
        amr: String,
    },
}

impl Trust {
    /// `service` may assume the role.
    pub fn service(service: Service) -> Trust {
        Trust::Service { service, condition: None }
    }

    /// Only on `condition` (for [`Trust::Service`]; identity pool trust has its own).
    pub fn with_condition(self, condition: Value) -> Trust {
        match self {
            Trust::Service { service, .. } => Trust::Service { service, condition: Some(condition) },
            other => other,
        }
    }

    /// The trust policy document.
    pub fn document(&self) -> Value {
        match self {
            Trust::Service { service, condition } => {
                let mut statement = cfn!({"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"Service": (service.principal())}});
                if let (Value::Object(s), Some(c)) = (&mut statement, condition) {
                    s.insert("Condition".into(), c.clone());
                }
                document(vec![statement])
            }
            // Laid out as the CDK's Role writes it, so that auth's roles read as in
            // Amplify's templates.
            Trust::CognitoIdentity { identity_pool_id, amr } => {
                cfn!({
                    "Statement": [{
                        "Action": "sts:AssumeRoleWithWebIdentity",
                        "Condition": {
                            "StringEquals": {"cognito-identity.amazonaws.com:aud": (identity_pool_id.clone())},
                            "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": (amr.as_str())}
                        },
                        "Effect": "Allow",
                        "Principal": {"Federated": "cognito-identity.amazonaws.com"}
                    }],
                    "Version": "2012-10-17"
                })
            }
        }
    }
}

/// A role that `service` assumes, with managed policies.
pub fn service_role(scope: &impl IConstruct, id: &str, service: Service, managed_policy_arns: Vec<Value>) -> CfnRole {
    CfnRole::new(
        scope,
        id,
        CfnRoleProps {
            assume_role_policy_document: Trust::service(service).document(),
            managed_policy_arns: (!managed_policy_arns.is_empty()).then(|| managed_policy_arns.into()),
            ..Default::default()
        },
    )
}

/// What a service may invoke a function on behalf of.
#[derive(Clone, Debug)]
pub enum InvokeSource {
    /// Only this resource (`SourceArn`).
    Arn(Value),
    /// Any resource of this account (`SourceAccount`), where naming the resource
    /// would close a cycle.
    Account,
}

/// Lets `service` invoke the function `function_arn` (`lambda:InvokeFunction`),
/// only on behalf of `source`.
pub fn allow_invoke(
    scope: &impl IConstruct,
    id: &str,
    function_arn: Value,
    service: Service,
    source: InvokeSource,
) -> CfnPermission {
    let (source_arn, source_account) = match source {
        InvokeSource::Arn(arn) => (Some(arn.into()), None),
        InvokeSource::Account => (None, Some(constructs::Aws::account_id().into())),
    };
    CfnPermission::new(
        scope,
        id,
        CfnPermissionProps {
            action: "lambda:InvokeFunction".into(),
            function_name: function_arn.into(),
            principal: service.principal().into(),
            source_arn,
            source_account,
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
