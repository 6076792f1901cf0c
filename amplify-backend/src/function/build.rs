//! Building one function's resources: the code asset, the execution role, the
//! Lambda function, its log group and its schedules, in the stack the backend
//! chose. Laid out as Amplify's `NodejsFunction` (`<name>-lambda/Resource`,
//! `<name>-lambda/ServiceRole/Resource`), so logical IDs match Amplify's.

use std::path::PathBuf;

use cfn_types::events::rule::{CfnRule, CfnRuleProps, State, TargetProperty};
use cfn_types::lambda::function::{
    ApplicationLogLevel, CfnFunction, CfnFunctionProps, CodeProperty, EnvironmentProperty, EphemeralStorageProperty,
    LogFormat as CfnLogFormat, LoggingConfigProperty,
};
use cfn_types::logs::log_group::{CfnLogGroup, CfnLogGroupProps};
use cfn_types::Val;
use constructs::{Asset, Construct, IConstruct, Tags, Value};
use indexmap::IndexMap;

use super::code;
use super::function::{Function, FunctionResources, ScheduleResources};
use super::props::{EnvValue, FunctionProps, LogFormat, LogLevel, RUST_TARGET_CONTEXT};
use super::resource_references;
use super::schedule;
use super::scheduler;
use super::secret::{self, SsmEntry, SECRET_PLACEHOLDER, SSM_ENV_CONFIG};
use super::typed_env;
use super::validate;
use crate::iam;
use crate::Backend;

/// Builds the function `name` in its stack. Every problem with the props is
/// reported by synthesis, with this function's construct path.
pub(crate) fn build(name: &str, props: &FunctionProps, backend: &Backend) -> Function {
    let stack = backend.function_stack(name);
    let scope = Construct::new(&stack, &format!("{}-lambda", validate::construct_id(name)));
    let mut errors: Vec<String> = Vec::new();
    errors.extend(validate::name_problem(name));
    errors.extend(validate::settings(props));

    let timeout = props.timeout_seconds.unwrap_or(validate::TIMEOUT_SECONDS.2);
    let mut variables: IndexMap<String, Val<Value>> = IndexMap::new();
    let mut ssm: IndexMap<String, SsmEntry> = IndexMap::new();
    for (key, value) in &props.environment {
        match value {
            EnvValue::Value(v) => {
                variables.insert(key.clone(), Val::Token(v.clone()));
            }
            EnvValue::Secret(s) => {
                errors.extend(s.problem());
                // The value never reaches the template: a placeholder, and the
                // parameter paths in AMPLIFY_SSM_ENV_CONFIG.
                variables.insert(key.clone(), Val::Token(SECRET_PLACEHOLDER.into()));
                ssm.insert(key.clone(), SsmEntry::new(backend.identifier(), s));
            }
        }
    }
    if backend.data_through_ssm(name) {
        // Placement found no stack without a cycle: data publishes its endpoint
        // in SSM, and the loader reads it like a secret.
        let key = resource_references::DATA_GRAPHQL_ENDPOINT;
        variables.insert(key.to_string(), Val::Token(SECRET_PLACEHOLDER.into()));
        ssm.insert(key.to_string(), resource_references::ssm_entry(backend.identifier(), key));
    }
    variables.insert(SSM_ENV_CONFIG.to_string(), Val::Token(secret::ssm_env_config(&ssm).into()));

    let mut bundled = false;
    let context_target = scope.node().try_get_context(RUST_TARGET_CONTEXT).and_then(|v| v.as_str().map(str::to_string));
    let mut code_props = props.clone();
    code_props.name = name.to_string();
    if let Some(target) = context_target.filter(|_| props.rust.target.is_none()) {
        code_props.rust.target = Some(target);
    }
    let (code, runtime, handler, code_error) = match code::resolve(&code_props, &base_dir(), !ssm.is_empty()) {
        Ok(c) => {
            bundled = c.bundled;
            let asset = Asset::new(&scope, "Code", &c.dir);
            let property = CodeProperty {
                s3_bucket: Some(asset.bucket_name().into()),
                s3_key: Some(asset.object_key().into()),
                ..Default::default()
            };
            (Some((asset, property)), Some(c.runtime), Some(c.handler), None)
        }
        Err(e) => (None, props.runtime, props.handler.clone(), Some(e)),
    };
    errors.extend(code_error);

    let role_scope = Construct::new(&scope, "ServiceRole");
    let role = iam::service_role(
        &role_scope,
        "Resource",
        iam::Service::Lambda,
        vec![iam::managed_policy_arn("service-role/AWSLambdaBasicExecutionRole")],
    );

    let log_group = props.logging.retention_days.map(|days| {
        CfnLogGroup::new(
            &scope,
            "LogGroup",
            CfnLogGroupProps { retention_in_days: Some(i64::from(days).into()), ..Default::default() },
        )
    });
    let logging_config = logging_config(props, log_group.as_ref(), &mut errors);

    let lambda = CfnFunction::new(
        &scope,
        "Resource",
        CfnFunctionProps {
            architectures: Some(vec![props.architecture.to_cfn()].into()),
            code: match &code {
                Some((_, property)) => property.clone().into(),
                // Synthesis fails on the error above; this only keeps the
                // resource complete so that no second, confusing error appears.
                None => CodeProperty {
                    zip_file: Some("// the code could not be found or built".into()),
                    ..Default::default()
                }
                .into(),
            },
            environment: Some(EnvironmentProperty { variables: Some(Val::Literal(variables)) }.into()),
            ephemeral_storage: Some(
                EphemeralStorageProperty {
                    size: i64::from(props.ephemeral_storage_size_mb.unwrap_or(validate::EPHEMERAL_MB.2)).into(),
                }
                .into(),
            ),
            handler: handler.map(Into::into),
            layers: (!props.layers.is_empty()).then(|| props.layers.clone().into()),
            logging_config: logging_config.map(Into::into),
            memory_size: Some(i64::from(props.memory_mb.unwrap_or(validate::MEMORY_MB.2)).into()),
            role: role.get_att("Arn").into(),
            runtime: runtime.map(|r| r.to_cfn().into()),
            timeout: Some(i64::from(timeout).into()),
            ..Default::default()
        },
    );
    if let Some((asset, _)) = &code {
        // Lets `sam local invoke` and the CDK toolkit find the code in the assembly.
        lambda.add_metadata("aws:asset:path", format!("asset.{}", asset.hash()));
        lambda.add_metadata("aws:asset:is-bundled", bundled);
        lambda.add_metadata("aws:asset:property", "Code");
    }
    Tags::of(&scope).add("amplify:friendly-name", name);
    if bundled {
        // `$amplify/env/<name>` for the type checker, once every category added its variables.
        let project = typed_env::project_dir(&entry_path(props), &base_dir());
        scope.node().add_check(typed_env::check(name.to_string(), project, lambda.clone()));
    }

    let mut schedules = Vec::new();
    let mut zoned = Vec::new();
    for (i, s) in props.schedule.iter().enumerate() {
        let expression = match schedule::expression(&s.expression, timeout) {
            Ok(e) => e,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        match &s.timezone {
            None => schedules.push(schedule_resources(&scope, i, &expression, s.description.as_deref(), &lambda)),
            Some(tz) => match schedule::timezone_problem(tz) {
                Some(e) => errors.push(e),
                None => zoned.push((i, expression, tz.clone(), s.description.clone())),
            },
        }
    }
    let (scheduler_role, zoned_schedules) = scheduler::build(&scope, &lambda, &zoned);

    // The generated loader is in the code when it had SSM values to read.
    let loader = !ssm.is_empty() && code::gets_ssm_loader(props, &base_dir());
    let function = Function::new(
        name.to_string(),
        scope.clone(),
        role_scope,
        stack,
        super::function::Secrets { identifier: backend.identifier().clone(), entries: ssm.clone(), loader },
        FunctionResources {
            lambda,
            role,
            policy: None,
            policies_elsewhere: Vec::new(),
            code: code.map(|(asset, _)| asset),
            log_group,
            schedules,
            zoned_schedules,
            scheduler_role,
        },
    );
    if let Some(statement) = secret::read_statement(&ssm) {
        function.add_to_role_policy(statement);
    }
    if !errors.is_empty() {
        let messages: Vec<String> = errors.into_iter().map(|e| format!("function '{name}': {e}")).collect();
        let problems = crate::codes::from_messages(crate::codes::FUNCTION_PROPS, messages);
        scope.node().add_check(move || problems.clone());
    }
    function
}

/// The entry as an absolute path.
fn entry_path(props: &FunctionProps) -> PathBuf {
    if props.entry.is_absolute() {
        props.entry.clone()
    } else {
        base_dir().join(&props.entry)
    }
}

/// Where relative entries are resolved: the crate of the backend program when
/// Cargo runs it, else the current directory.
pub(crate) fn base_dir() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_else(|| PathBuf::from("."))
}

/// `LoggingConfig`: the log group with the retention, the format and the level.
fn logging_config(
    props: &FunctionProps,
    log_group: Option<&CfnLogGroup>,
    errors: &mut Vec<String>,
) -> Option<LoggingConfigProperty> {
    let l = &props.logging;
    if l.level.is_some() && l.format == Some(LogFormat::Text) {
        errors
            .push("logging.level needs the JSON log format; set logging.format to LogFormat::Json or unset it".into());
    }
    // Lambda filters by level only in JSON, so a level implies JSON.
    let format = match (l.format, l.level) {
        (Some(LogFormat::Json), _) | (None, Some(_)) => Some(CfnLogFormat::Json),
        (Some(LogFormat::Text), _) => Some(CfnLogFormat::Text),
        (None, None) => None,
    };
    if format.is_none() && log_group.is_none() {
        return None;
    }
    Some(LoggingConfigProperty {
        application_log_level: l.level.map(|level| level_to_cfn(level).into()),
        log_format: format.map(Into::into),
        log_group: log_group.map(|g| g.ref_().into()),
        ..Default::default()
    })
}

fn level_to_cfn(level: LogLevel) -> ApplicationLogLevel {
    match level {
        LogLevel::Trace => ApplicationLogLevel::Trace,
        LogLevel::Debug => ApplicationLogLevel::Debug,
        LogLevel::Info => ApplicationLogLevel::Info,
        LogLevel::Warn => ApplicationLogLevel::Warn,
        LogLevel::Error => ApplicationLogLevel::Error,
        LogLevel::Fatal => ApplicationLogLevel::Fatal,
    }
}

/// An EventBridge rule on `expression` that invokes the function, and the
/// permission it needs.
fn schedule_resources(
    scope: &Construct,
    index: usize,
    expression: &str,
    description: Option<&str>,
    lambda: &CfnFunction,
) -> ScheduleResources {
    let rule = CfnRule::new(
        scope,
        &format!("Schedule{index}"),
        CfnRuleProps {
            description: description.map(Into::into),
            schedule_expression: Some(expression.into()),
            state: Some(State::Enabled.into()),
            targets: Some(
                vec![TargetProperty { arn: lambda.attr_arn().into(), id: "Target0".into(), ..Default::default() }]
                    .into(),
            ),
            ..Default::default()
        },
    );
    let permission = iam::allow_invoke(
        scope,
        &format!("Schedule{index}Permission"),
        lambda.attr_arn(),
        iam::Service::Events,
        iam::InvokeSource::Arn(rule.attr_arn()),
    );
    ScheduleResources { rule, permission }
}
