//! Provided functions, as Amplify's `defineFunction((scope) => new Function(...))`:
//! a Lambda function the program builds itself (any L1 `CfnFunction` and its
//! role), which then takes part in the backend as a defined function does:
//! categories find it by name, grant it access (the role's policy), add
//! environment variables, trigger it (auth triggers, storage events,
//! schedules of their own) and use it as a data handler; it is tagged with its
//! name and listed in `definedFunctions`.

use std::rc::Rc;

use cfn_types::iam::role::CfnRole;
use cfn_types::lambda::function::CfnFunction;
use constructs::{Construct, IConstruct, Tags};
use indexmap::IndexMap;

use super::function::{Function, FunctionResources, Secrets};
use super::validate;
use crate::Backend;

/// What a provider builds: the function and the role it runs with.
#[derive(Clone, Debug)]
pub struct ProvidedFunction {
    /// The `AWS::Lambda::Function`, made in the scope the provider is given.
    pub lambda: CfnFunction,
    /// Its execution role: grants from categories go in a policy on it.
    pub role: CfnRole,
}

/// The settings of a provided function (Amplify's `ProvidedFunctionProps`, plus
/// the name, which a Rust program gives up front so that categories can refer
/// to the function before it is built).
#[derive(Clone, Debug, Default)]
pub struct ProvidedFunctionProps {
    /// The function's name in the backend (`legacy-worker`): 1 to 64 letters,
    /// digits, `-` and `_`.
    pub name: String,
    /// The nested stack to put it in (default `function`), as
    /// `FunctionProps::resource_group_name`.
    pub resource_group_name: Option<String>,
}

/// Builds the function: the stack the backend chose for it, given to the provider
/// as `<name>-lambda`, which must hold the function and its role.
pub(crate) type Provider = Rc<dyn Fn(&Construct) -> ProvidedFunction>;

/// Builds a provided function in its stack.
pub(crate) fn build(name: &str, provider: &Provider, backend: &Backend) -> Function {
    let stack = backend.function_stack(name);
    let scope = Construct::new(&stack, &format!("{}-lambda", validate::construct_id(name)));
    let provided = provider(&scope);
    let mut errors: Vec<String> = validate::name_problem(name).into_iter().collect();
    let inside = |node: &constructs::Node| node.path().starts_with(&format!("{}/", scope.node().path()));
    for (what, node) in [("function", provided.lambda.node()), ("role", provided.role.node())] {
        if !inside(node) {
            errors.push(format!(
                "the provider made its {what} at '{}'; make it in the scope the provider is given ('{}'), so \
                 that it goes in the function's stack",
                node.path(),
                scope.node().path()
            ));
        }
    }
    Tags::of(&scope).add("amplify:friendly-name", name);
    let role_scope = Construct::new(&scope, "Grants");
    let function = Function::new(
        name.to_string(),
        scope.clone(),
        role_scope,
        stack,
        // The code is the program's own: no generated loader to read secrets.
        Secrets { identifier: backend.identifier().clone(), entries: IndexMap::new(), loader: false },
        FunctionResources {
            lambda: provided.lambda,
            role: provided.role,
            policy: None,
            policies_elsewhere: Vec::new(),
            code: None,
            log_group: None,
            schedules: Vec::new(),
            zoned_schedules: Vec::new(),
            scheduler_role: None,
        },
    );
    if !errors.is_empty() {
        let messages: Vec<String> = errors.into_iter().map(|e| format!("function '{name}': {e}")).collect();
        let problems = crate::codes::from_messages(crate::codes::FUNCTION_PROPS, messages);
        scope.node().add_check(move || problems.clone());
    }
    function
}
