//! `define_function`: a function definition, built by the backend before the
//! categories that use it.

use std::rc::Rc;

use constructs::{fns, Value};

use super::build;
use super::code;
use super::function::Function;
use super::props::FunctionProps;
use super::provided::{self, ProvidedFunction, ProvidedFunctionProps, Provider};
use crate::backend::{Backend, Category, Definition, FunctionLink};

/// Defines a function of the backend, as Amplify's `defineFunction`: pass the
/// result to `define_backend` (and to the categories it serves or that it uses).
///
/// ```
/// use amplify_backend::function::{define_function, secret, FunctionProps};
/// use amplify_backend::Backend;
/// # let dir = std::env::temp_dir().join("amplify-doc-define-function");
/// # std::fs::create_dir_all(&dir).unwrap();
/// # std::fs::write(dir.join("handler.mjs"), "export const handler = async () => 'Hello';").unwrap();
/// # let entry = dir.join("handler.mjs");
///
/// let say_hello = define_function(
///     FunctionProps {
///         name: "say-hello".into(),
///         entry, // e.g. amplify_backend::entry!("handler.ts")
///         timeout_seconds: Some(10),
///         schedule: vec!["every 1h".into()],
///         ..Default::default()
///     }
///     .env("GREETING", "Hello")
///     .env("API_KEY", secret("API_KEY")),
/// );
/// assert_eq!(say_hello.name(), "say-hello");
///
/// let backend = Backend::build(constructs::App::new(), (say_hello,));
/// let (f,) = backend.parts();
/// assert_eq!(f.resources().schedules.len(), 1);
/// ```
pub fn define_function(props: FunctionProps) -> FunctionDefinition {
    // As Amplify: no name means the entry's file name without its extension
    // (or the directory's name).
    let name = if props.name.is_empty() {
        let entry = if props.entry.file_name().is_some_and(|n| n == "Cargo.toml") {
            props.entry.parent().unwrap_or(&props.entry)
        } else {
            &props.entry
        };
        entry.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default()
    } else {
        props.name.clone()
    };
    FunctionDefinition(Rc::new(Inner { name, props, provider: None }))
}

/// Defines a function the program builds itself, as Amplify's
/// `defineFunction((scope) => ...)`: `provider` makes the `CfnFunction` and its
/// role in the scope it is given (`<stack>/<name>-lambda`), and the function
/// then gets what a defined function gets from categories (grants on its role,
/// environment variables, triggers, data handlers), its name tag and its place
/// in `definedFunctions`. Secrets are not loaded for it: its code is its own.
///
/// ```
/// use amplify_backend::function::{define_function_from, ProvidedFunction, ProvidedFunctionProps};
/// use amplify_backend::iam;
/// use cfn_types::lambda::function::{CfnFunction, CfnFunctionProps, CodeProperty, Runtime};
///
/// let worker = define_function_from(ProvidedFunctionProps { name: "worker".into(), ..Default::default() }, |scope| {
///     let role = iam::service_role(scope, "Role", iam::Service::Lambda, vec![]);
///     let lambda = CfnFunction::new(scope, "Function", CfnFunctionProps {
///         code: CodeProperty { zip_file: Some("exports.handler = async () => 1;".into()), ..Default::default() }.into(),
///         handler: Some("index.handler".into()),
///         runtime: Some(Runtime::Nodejs22X.into()),
///         role: role.get_att("Arn").into(),
///         ..Default::default()
///     });
///     ProvidedFunction { lambda, role }
/// });
/// let backend = amplify_backend::Backend::build(constructs::App::new(), (worker,));
/// backend.parts().0.add_environment("MODE", "batch");
/// ```
pub fn define_function_from(
    props: ProvidedFunctionProps,
    provider: impl Fn(&constructs::Construct) -> ProvidedFunction + 'static,
) -> FunctionDefinition {
    let function_props = FunctionProps {
        name: props.name.clone(),
        resource_group_name: props.resource_group_name,
        ..Default::default()
    };
    FunctionDefinition(Rc::new(Inner { name: props.name, props: function_props, provider: Some(Rc::new(provider)) }))
}

/// A defined function: cheap to clone, so that it can be given to
/// `define_backend` and to every category that refers to it.
#[derive(Clone, Debug)]
pub struct FunctionDefinition(Rc<Inner>);

struct Inner {
    name: String,
    props: FunctionProps,
    /// Set for a provided function.
    provider: Option<Provider>,
}

impl std::fmt::Debug for Inner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FunctionDefinition")
            .field("name", &self.name)
            .field("props", &self.props)
            .field("provided", &self.provider.is_some())
            .finish()
    }
}

impl FunctionDefinition {
    /// The function's name in the backend.
    pub fn name(&self) -> &str {
        &self.0.name
    }

    /// Whether the program builds it ([`define_function_from`]).
    pub fn is_provided(&self) -> bool {
        self.0.provider.is_some()
    }

    /// The props it was defined with (for a provided function, its name and
    /// resource group only).
    pub fn props(&self) -> &FunctionProps {
        &self.0.props
    }
}

/// A function of the backend, given by its definition (`&say_hello`, as
/// Amplify passes the function itself) or by its name (`"say-hello"`).
pub trait FunctionRef {
    /// The function's name in the backend.
    fn function_name(&self) -> String;
}

impl FunctionRef for FunctionDefinition {
    fn function_name(&self) -> String {
        self.name().to_string()
    }
}

impl FunctionRef for str {
    fn function_name(&self) -> String {
        self.to_string()
    }
}

impl FunctionRef for String {
    fn function_name(&self) -> String {
        self.clone()
    }
}

impl<T: FunctionRef + ?Sized> FunctionRef for &T {
    fn function_name(&self) -> String {
        (**self).function_name()
    }
}

impl Definition for FunctionDefinition {
    type Built = Function;

    fn category(&self) -> Category {
        Category::Function
    }

    fn build(self, backend: &mut Backend) -> Function {
        let function = match &self.0.provider {
            Some(provider) => provided::build(&self.0.name, provider, backend),
            None => build::build(&self.0.name, &self.0.props, backend),
        };
        let stack = function.stack().clone();
        if !backend.built_mut().functions.insert(function.clone()) {
            let message =
                format!("function '{}' is defined twice; function names must be unique in a backend", self.0.name);
            let problems = crate::codes::from_messages(crate::codes::FUNCTION_PROPS, vec![message]);
            constructs::IConstruct::node(&stack).add_check(move || problems.clone());
        }
        // Amplify's `definedFunctions`: a JSON list of the deployed names.
        let names: Vec<Value> = backend.functions().iter().map(|f| f.function_name()).collect();
        backend.add_stack_outputs(
            "AWS::Amplify::Function",
            vec![("definedFunctions".into(), fns::to_json_string(&Value::Array(names)))],
        );
        function
    }

    /// Single-file Node.js and Python handlers: their loader can read data's
    /// endpoint from SSM when a direct reference would close a cycle.
    fn ssm_environment_loaders(&self) -> Vec<String> {
        if self.0.provider.is_none() && code::gets_ssm_loader(&self.0.props, &build::base_dir()) {
            vec![self.0.name.clone()]
        } else {
            Vec::new()
        }
    }

    /// `resource_group_name` puts the function in that stack, whatever uses it.
    fn function_links(&self) -> Vec<FunctionLink> {
        match &self.0.props.resource_group_name {
            Some(stack) => vec![FunctionLink {
                function: self.0.name.clone(),
                stack: stack.clone(),
                category_uses_function: true,
                function_uses_category: true,
            }],
            None => Vec::new(),
        }
    }
}
