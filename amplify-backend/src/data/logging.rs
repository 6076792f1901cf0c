//! API logging (Amplify's `defineData({ logging })`): AppSync writes request and
//! field logs to a log group of the API's own, with a retention, through a role
//! that may write to that group only.

use cfn_types::appsync::graph_ql_api::{FieldLogLevel as CfnFieldLogLevel, LogConfigProperty};
use cfn_types::appsync::CfnGraphQlApi;
use cfn_types::iam::policy::CfnPolicy;
use cfn_types::iam::role::CfnRole;
use cfn_types::logs::log_group::{CfnLogGroup, CfnLogGroupProps};
use constructs::{Construct, IConstruct, Value};

use crate::function::RETENTION_DAYS;
use crate::iam::{self, PolicyStatement};

/// What AppSync logs, with Amplify's defaults (`logging: true`): request
/// summaries without verbose content, no field logs, kept a week.
///
/// ```
/// use amplify_backend::data::{DataLogging, DataProps, FieldLogLevel};
/// let props = DataProps {
///     logging: Some(DataLogging { field_log_level: FieldLogLevel::Error, ..Default::default() }),
///     ..Default::default()
/// };
/// assert_eq!(props.logging.unwrap().retention_days, 7);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataLogging {
    /// Leaves out queries, headers, context and evaluated resolver code, which
    /// can hold users' data (default `true`).
    pub exclude_verbose_content: bool,
    /// Which resolver (field) events are logged (default none).
    pub field_log_level: FieldLogLevel,
    /// Days to keep the logs: one of CloudWatch Logs' values (default 7).
    pub retention_days: u32,
}

impl Default for DataLogging {
    fn default() -> Self {
        DataLogging { exclude_verbose_content: true, field_log_level: FieldLogLevel::None, retention_days: 7 }
    }
}

/// AppSync's field log levels, from quietest to loudest.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FieldLogLevel {
    /// No field logs.
    #[default]
    None,
    /// Errors only.
    Error,
    /// Errors and informational messages.
    Info,
    /// Errors, information and debug messages.
    Debug,
    /// Everything, resolver request and response included.
    All,
}

impl FieldLogLevel {
    fn to_cfn(self) -> CfnFieldLogLevel {
        match self {
            FieldLogLevel::None => CfnFieldLogLevel::None,
            FieldLogLevel::Error => CfnFieldLogLevel::Error,
            FieldLogLevel::Info => CfnFieldLogLevel::Info,
            FieldLogLevel::Debug => CfnFieldLogLevel::Debug,
            FieldLogLevel::All => CfnFieldLogLevel::All,
        }
    }
}

/// The resources of API logging.
#[derive(Clone, Debug)]
pub struct ApiLogging {
    /// `/aws/appsync/apis/<api id>`, the group AppSync writes to, with the retention.
    pub log_group: CfnLogGroup,
    /// The role AppSync logs with (the CDK's `ApiLogsRole`).
    pub role: CfnRole,
    /// Its policy: write to the log group, nothing else.
    pub policy: CfnPolicy,
}

/// Turns on `logging` for `api`, adding its resources under `api_scope`.
pub(crate) fn enable(api_scope: &Construct, api: &CfnGraphQlApi, logging: &DataLogging) -> ApiLogging {
    let role = iam::service_role(&Construct::new(api_scope, "ApiLogsRole"), "Resource", iam::Service::AppSync, vec![]);
    // Created by the stack rather than by AppSync on first write, so that the
    // retention applies and the group goes with the API.
    let log_group = CfnLogGroup::new(
        api_scope,
        "LogGroup",
        CfnLogGroupProps {
            log_group_name: Some(Value::concat(["/aws/appsync/apis/".into(), api.attr_api_id()]).into()),
            retention_in_days: Some(i64::from(logging.retention_days).into()),
            ..Default::default()
        },
    );
    let policy = iam::attach(
        &Construct::new(api_scope, "ApiLogsRolePolicy"),
        "Resource",
        vec![role.ref_()],
        // The group's ARN ends in `:*`, which covers its streams.
        &[PolicyStatement::allow(["logs:CreateLogStream", "logs:PutLogEvents"], [log_group.attr_arn()])],
    );
    api.props_mut().log_config = Some(
        LogConfigProperty {
            cloud_watch_logs_role_arn: role.attr_arn().into(),
            exclude_verbose_content: Some(logging.exclude_verbose_content.into()),
            field_log_level: logging.field_log_level.to_cfn().into(),
        }
        .into(),
    );
    if !RETENTION_DAYS.contains(&logging.retention_days) {
        api_scope.node().add_error(
            crate::codes::DATA_LOGGING,
            format!("logging.retention_days is {}, which CloudWatch Logs does not offer", logging.retention_days),
            format!("use one of {RETENTION_DAYS:?}"),
        );
    }
    ApiLogging { log_group, role, policy }
}
