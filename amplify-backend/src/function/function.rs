//! `Function`: a built function, the L1s it is made of, and the ways other
//! categories extend it (role policy statements, environment variables).

use std::cell::RefCell;
use std::rc::Rc;

use cfn_types::events::rule::CfnRule;
use cfn_types::iam::policy::CfnPolicy;
use cfn_types::iam::role::CfnRole;
use cfn_types::lambda::function::{CfnFunction, EnvironmentProperty};
use cfn_types::lambda::permission::CfnPermission;
use cfn_types::logs::log_group::CfnLogGroup;
use cfn_types::scheduler::schedule::CfnSchedule;
use cfn_types::Val;
use constructs::{Asset, Construct, IConstruct, Node, Stack, Value};

use super::secret::SsmEntry;
use super::validate;
use crate::iam::{self, PolicyStatement};
use indexmap::IndexMap;

/// A function of the backend, once built: cheap to clone (a handle on the tree).
///
/// Other categories find it in [`Backend::functions`](crate::Backend::functions) and give it
/// access with [`add_to_role_policy`](Function::add_to_role_policy) and
/// [`add_environment`](Function::add_environment).
#[derive(Clone)]
pub struct Function(Rc<Inner>);

struct Inner {
    name: String,
    scope: Construct,
    role_scope: Construct,
    stack: Stack,
    resources: FunctionResources,
    policy: RefCell<Option<(CfnPolicy, Vec<PolicyStatement>)>>,
    /// Policies on the role kept in other stacks, by stack path.
    elsewhere: RefCell<Vec<(String, CfnPolicy, Vec<PolicyStatement>)>>,
    secrets: RefCell<Secrets>,
}

/// The SSM values a function reads at start-up, and whether its code can.
#[derive(Clone, Debug)]
pub(crate) struct Secrets {
    pub(crate) identifier: crate::BackendIdentifier,
    pub(crate) entries: IndexMap<String, SsmEntry>,
    /// Whether the code carries the generated loader.
    pub(crate) loader: bool,
}

/// Every L1 a function is made of, so any property can be overridden.
#[derive(Clone)]
pub struct FunctionResources {
    /// The `AWS::Lambda::Function`.
    pub lambda: CfnFunction,
    /// Its execution role (with `AWSLambdaBasicExecutionRole`).
    pub role: CfnRole,
    /// The role's inline policy: secrets and grants from other categories. Made
    /// on the first statement, so `None` until then.
    pub policy: Option<CfnPolicy>,
    /// The code asset (`None` for a provided function, or when the code could
    /// not be found or built, which synthesis reports).
    pub code: Option<Asset>,
    /// Policies on the role that live in a category's stack, because the
    /// function must not refer to that stack (see
    /// [`add_to_role_policy_in`](Function::add_to_role_policy_in)).
    pub policies_elsewhere: Vec<CfnPolicy>,
    /// The log group, when `logging.retention_days` is set.
    pub log_group: Option<CfnLogGroup>,
    /// One EventBridge rule and invoke permission per schedule in UTC.
    pub schedules: Vec<ScheduleResources>,
    /// One EventBridge Scheduler schedule per zoned schedule.
    pub zoned_schedules: Vec<ZonedScheduleResources>,
    /// The role EventBridge Scheduler invokes the function with (zoned schedules only).
    pub scheduler_role: Option<CfnRole>,
}

/// The resources of one zoned schedule.
#[derive(Clone, Debug)]
pub struct ZonedScheduleResources {
    /// The `AWS::Scheduler::Schedule`.
    pub schedule: CfnSchedule,
}

/// The resources of one schedule.
#[derive(Clone, Debug)]
pub struct ScheduleResources {
    /// The `AWS::Events::Rule` that fires on the schedule.
    pub rule: CfnRule,
    /// The `AWS::Lambda::Permission` that lets EventBridge invoke the function.
    pub permission: CfnPermission,
}

impl std::fmt::Debug for FunctionResources {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FunctionResources")
            .field("lambda", &self.lambda)
            .field("role", &self.role)
            .field("policy", &self.policy)
            .field("policies_elsewhere", &self.policies_elsewhere)
            .field("code", &self.code.as_ref().map(|a| a.hash().to_string()))
            .field("log_group", &self.log_group)
            .field("schedules", &self.schedules)
            .field("zoned_schedules", &self.zoned_schedules)
            .finish()
    }
}

impl Function {
    pub(crate) fn new(
        name: String,
        scope: Construct,
        role_scope: Construct,
        stack: Stack,
        secrets: Secrets,
        resources: FunctionResources,
    ) -> Self {
        Function(Rc::new(Inner {
            name,
            scope,
            role_scope,
            stack,
            resources,
            policy: RefCell::new(None),
            elsewhere: RefCell::default(),
            secrets: RefCell::new(secrets),
        }))
    }

    /// The function's name in the backend (`say-hello`), as given to `define_function`.
    pub fn name(&self) -> &str {
        &self.0.name
    }

    /// The L1 resources (with the role policy, if one was made by now).
    pub fn resources(&self) -> FunctionResources {
        let mut r = self.0.resources.clone();
        r.policy = self.0.policy.borrow().as_ref().map(|(p, _)| p.clone());
        r.policies_elsewhere = self.0.elsewhere.borrow().iter().map(|(_, p, _)| p.clone()).collect();
        r
    }

    /// The nested stack the function is in.
    pub fn stack(&self) -> &Stack {
        &self.0.stack
    }

    /// The deployed function's name (CloudFormation chooses it): a token.
    pub fn function_name(&self) -> Value {
        self.0.resources.lambda.ref_()
    }

    /// The function's ARN: a token.
    pub fn arn(&self) -> Value {
        self.0.resources.lambda.attr_arn()
    }

    /// The execution role's ARN: a token.
    pub fn role_arn(&self) -> Value {
        self.0.resources.role.get_att("Arn")
    }

    /// Allows the function more: the statement goes in the role's one inline
    /// policy (`<function>-lambda/ServiceRole/DefaultPolicy`), made on the first
    /// call, which the function waits for at deployment. Resources in other stacks
    /// are referenced across stacks by synthesis. An identical statement is added once.
    ///
    /// ```
    /// # use amplify_backend::{function::{define_function, FunctionProps}, iam::PolicyStatement, Backend};
    /// # let dir = std::env::temp_dir().join("amplify-doc-grant");
    /// # std::fs::create_dir_all(&dir).unwrap();
    /// # std::fs::write(dir.join("handler.mjs"), "export const handler = async () => 1;").unwrap();
    /// # let say_hello = define_function(FunctionProps { name: "say-hello".into(), entry: dir.join("handler.mjs"), ..Default::default() });
    /// let backend = Backend::build(constructs::App::new(), (say_hello,));
    /// let (f,) = backend.parts();
    /// f.add_to_role_policy(PolicyStatement::allow(["sqs:SendMessage"], ["arn:aws:sqs:us-east-1:123456789012:jobs".into()]));
    /// assert!(f.resources().policy.is_some());
    /// ```
    pub fn add_to_role_policy(&self, statement: PolicyStatement) {
        let mut slot = self.0.policy.borrow_mut();
        match slot.as_mut() {
            Some((policy, statements)) => {
                let value = statement.to_value();
                if statements.iter().any(|s| s.to_value() == value) {
                    return;
                }
                statements.push(statement);
                policy.props_mut().policy_document = iam::policy_document(statements);
            }
            None => {
                let r = &self.0.resources;
                let statements = vec![statement];
                let policy = iam::attach(&self.0.role_scope, "DefaultPolicy", vec![r.role.ref_()], &statements);
                // So that the function never runs without the access it was given.
                r.lambda.add_depends_on(&policy);
                *slot = Some((policy, statements));
            }
        }
    }

    /// Allows the function more with a policy in `stack` (one per stack, made on
    /// the first call) that names the role: `stack` refers to the function's,
    /// never the other way round. For a category the function must not depend
    /// on (data, for a trigger that reads data's endpoint through SSM). The
    /// function does not wait for it: the category's stack deploys after it.
    pub fn add_to_role_policy_in(&self, stack: &Stack, statement: PolicyStatement) {
        let path = stack.node().path().to_string();
        let mut all = self.0.elsewhere.borrow_mut();
        if let Some((_, policy, statements)) = all.iter_mut().find(|(p, _, _)| *p == path) {
            let value = statement.to_value();
            if !statements.iter().any(|s| s.to_value() == value) {
                statements.push(statement);
                policy.props_mut().policy_document = iam::policy_document(statements);
            }
            return;
        }
        let id = format!("{}-lambda-policy", validate::construct_id(&self.0.name));
        let statements = vec![statement];
        let policy = iam::attach(stack, &id, vec![self.0.resources.role.ref_()], &statements);
        all.push((path, policy, statements));
    }

    /// Sets an environment variable: a literal, a token (such as a table name
    /// from the data stack) or a [`secret`](super::secret()), as Amplify's
    /// `addEnvironment`. A variable of the same name is replaced. A name Lambda
    /// or Amplify reserves is reported by synthesis.
    ///
    /// A secret is handled as in `FunctionProps::environment`: a placeholder, its
    /// SSM paths in `AMPLIFY_SSM_ENV_CONFIG` and the right to read exactly them.
    /// The code must carry the generated loader, which a single-file handler
    /// gets when `define_function` gives it a secret; otherwise synthesis says so.
    pub fn add_environment(&self, key: &str, value: impl Into<super::props::EnvValue>) {
        if let Some(problem) = validate::env_key_problem(key) {
            return self.report(problem);
        }
        match value.into() {
            super::props::EnvValue::Value(v) => self.set_variable(key, v),
            super::props::EnvValue::Secret(s) => self.add_secret(key, &s),
        }
    }

    fn add_secret(&self, key: &str, secret: &super::secret::Secret) {
        if let Some(problem) = secret.problem() {
            return self.report(problem);
        }
        let state = self.0.secrets.borrow();
        if !state.loader {
            drop(state);
            return self.report(format!(
                "secret {key} was added after definition, but the code has no loader to read it at start-up (Node.js \
                 and Python code gets one when define_function gives it a secret; a Rust or bootstrap handler \
                 loads its secrets itself, with the amplify-function-runtime crate); give the secret in \
                 FunctionProps::environment instead"
            ));
        }
        let entry = SsmEntry::new(&state.identifier, secret);
        drop(state);
        self.read_at_start_up(key, entry, Some(super::secret::SECRET_PLACEHOLDER.into()));
    }

    /// Whether the code carries the generated loader of `AMPLIFY_SSM_ENV_CONFIG`.
    pub(crate) fn has_loader(&self) -> bool {
        self.0.secrets.borrow().loader
    }

    /// Lists `entry` for `key` in `AMPLIFY_SSM_ENV_CONFIG`, allows
    /// `ssm:GetParameters` on its paths, and sets the variable to `value` if given.
    pub(crate) fn read_at_start_up(&self, key: &str, entry: SsmEntry, value: Option<Value>) {
        let mut one = IndexMap::new();
        one.insert(key.to_string(), entry.clone());
        let config = {
            let mut state = self.0.secrets.borrow_mut();
            state.entries.insert(key.to_string(), entry);
            super::secret::ssm_env_config(&state.entries)
        };
        if let Some(value) = value {
            self.set_variable(key, value);
        }
        self.set_variable(super::secret::SSM_ENV_CONFIG, config.into());
        if let Some(statement) = super::secret::read_statement(&one) {
            self.add_to_role_policy(statement);
        }
    }

    fn report(&self, problem: String) {
        let message = format!("function '{}': {problem}", self.0.name);
        let problems = crate::codes::from_messages(crate::codes::FUNCTION_PROPS, vec![message]);
        self.0.scope.node().add_check(move || problems.clone());
    }

    fn set_variable(&self, key: &str, value: Value) {
        let lambda = &self.0.resources.lambda;
        let mut props = lambda.props_mut();
        let env = props.environment.get_or_insert_with(|| EnvironmentProperty::default().into());
        let Some(env) = env.literal_mut() else {
            drop(props);
            return self.report_replaced_environment(key);
        };
        let vars = env.variables.get_or_insert_with(|| Val::Literal(Default::default()));
        let Some(vars) = vars.literal_mut() else {
            drop(props);
            return self.report_replaced_environment(key);
        };
        vars.insert(key.to_string(), Val::Token(value));
    }

    fn report_replaced_environment(&self, key: &str) {
        let message = format!(
            "function '{}': cannot add environment variable {key}: the Environment property was replaced by a token",
            self.0.name
        );
        let problems = crate::codes::from_messages(crate::codes::FUNCTION_PROPS, vec![message]);
        self.0.scope.node().add_check(move || problems.clone());
    }
}

impl IConstruct for Function {
    /// The function's construct (`<stack>/<name>-lambda`).
    fn node(&self) -> &Node {
        self.0.scope.node()
    }
}

impl std::fmt::Debug for Function {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Function").field("name", &self.0.name).field("path", &self.0.scope.node().path()).finish()
    }
}
