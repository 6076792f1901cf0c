//! `define_backend`: the app, the root stack named after the backend identifier, a
//! nested stack per category, custom stacks, and the root outputs.
//!
//! Before any category is built, each function is given the nested stack where
//! it closes no cycle between stacks (see `placement`). A trigger that also reads
//! data fits nowhere; if its code gets the generated SSM loader, data hands it
//! its endpoint through SSM Parameter Store instead of a reference (see
//! [`crate::function`], "Triggers that use data"), else synthesis lists each
//! cycle and what to do.

mod context;
mod definition;
mod outputs_file;
mod placement;
pub mod policies;
mod stack_outputs;

use std::any::{Any, TypeId};
use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::process::ExitCode;

use constructs::{fns, App, CloudAssembly, IConstruct, NestedStack, Stack, StackProps, SynthError, Value};
use indexmap::IndexMap;

pub use context::{NAMESPACE_KEY, NAME_KEY, TYPE_KEY};
pub use definition::{Definition, FunctionLink, IntoDefinitions};
pub use outputs_file::PREDEPLOY_OUTPUTS_FILE;

use crate::identifier::BackendIdentifier;
use stack_outputs::StackOutputs;

/// A whole Amplify backend: the construct tree of every category and custom stack.
///
/// ```
/// use amplify_backend::define_backend;
/// let backend = define_backend(());
/// let stack = backend.create_stack("LocationMapStack");
/// assert_eq!(stack.nested_stack_resource().unwrap().logical_id().len(), "LocationMapStack".len() + 8);
/// ```
pub struct Backend {
    app: App,
    root: Stack,
    identifier: BackendIdentifier,
    stacks: RefCell<IndexMap<String, Stack>>,
    parts: HashMap<TypeId, Box<dyn Any>>,
    outputs: StackOutputs,
    custom: RefCell<IndexMap<String, Value>>,
    placements: HashMap<String, String>,
    data_through_ssm: BTreeSet<String>,
}

/// Builds a backend from its definitions (`define_auth`, `define_data`,
/// `define_storage`, `define_function`, as a tuple), following the app protocol:
/// the identifier comes from `CDK_CONTEXT_JSON`, the assembly goes to `CDK_OUTDIR`.
pub fn define_backend(definitions: impl IntoDefinitions) -> Backend {
    Backend::build(App::new(), definitions)
}

impl Backend {
    /// Builds a backend in a given app (tests pass an app with explicit context).
    pub fn build(app: App, definitions: impl IntoDefinitions) -> Backend {
        let (identifier, problems) = context::identifier_from_context(&app);
        let root = Stack::with_props(
            &app,
            &identifier.stack_name(),
            StackProps {
                description: Some(description(&identifier)),
                tags: policies::stack_tags(&identifier),
                ..Default::default()
            },
        );
        for p in problems {
            root.node().add_validation(move || vec![p.clone()]);
        }
        policies::apply_tags(root.node(), &identifier);
        policies::apply_removal_policies(root.node(), identifier.deployment_type);
        let mut backend = Backend {
            app,
            root,
            identifier,
            stacks: RefCell::default(),
            parts: HashMap::new(),
            outputs: StackOutputs::default(),
            custom: RefCell::default(),
            placements: HashMap::new(),
            data_through_ssm: BTreeSet::new(),
        };
        backend.add_stack_outputs(
            "AWS::Amplify::Platform",
            vec![
                ("deploymentType".into(), backend.identifier.deployment_type.as_str().into()),
                ("region".into(), constructs::Aws::region()),
            ],
        );
        let mut defs = definitions.into_definitions();
        defs.sort_by_key(|d| d.order());
        let links: Vec<FunctionLink> = defs.iter().flat_map(|d| d.function_links()).collect();
        let dependencies: Vec<(String, String)> = defs.iter().flat_map(|d| d.stack_dependencies()).collect();
        let loaders: BTreeSet<String> = defs.iter().flat_map(|d| d.ssm_environment_loaders()).collect();
        let placement = placement::place_functions(&links, &dependencies, &loaders);
        for p in placement.problems {
            backend.root.node().add_validation(move || vec![p.clone()]);
        }
        backend.placements = placement.stacks;
        backend.data_through_ssm = placement.data_through_ssm;
        for d in defs {
            d.build(&mut backend);
        }
        backend
    }

    /// The identifier this backend deploys as.
    pub fn identifier(&self) -> &BackendIdentifier {
        &self.identifier
    }

    /// The app (the root of the construct tree).
    pub fn app(&self) -> &App {
        &self.app
    }

    /// The root stack, named `amplify-<namespace>-<name>-<type>-<hash>`.
    pub fn root_stack(&self) -> &Stack {
        &self.root
    }

    /// The nested stack of a category (`auth`, `data`, `storage`, `function`),
    /// created on first use.
    pub fn stack(&self, name: &str) -> Stack {
        if let Some(s) = self.stacks.borrow().get(name) {
            return s.clone();
        }
        let s = nested(&self.root, name);
        self.stacks.borrow_mut().insert(name.to_string(), s.clone());
        s
    }

    /// The nested stack a function goes in: `function`, or the stack of a category
    /// it both serves and uses (see [`FunctionLink`]).
    pub fn function_stack(&self, function_name: &str) -> Stack {
        let name = self.placements.get(function_name).map_or(placement::FUNCTION_STACK, String::as_str);
        self.stack(name)
    }

    /// Whether the function reads data's GraphQL endpoint from SSM Parameter
    /// Store, with its data access policy in the data stack: only when every
    /// placement of it would close a cycle (see [`crate::function`], "Triggers
    /// that use data").
    pub(crate) fn data_through_ssm(&self, function_name: &str) -> bool {
        self.data_through_ssm.contains(function_name)
    }

    /// A nested stack for custom resources, as Amplify's `backend.createStack`.
    /// Asking twice for the same name is an error reported at synthesis.
    pub fn create_stack(&self, name: &str) -> Stack {
        if self.stacks.borrow().contains_key(name) {
            let message =
                format!("a stack named '{name}' already exists in this backend; give the custom stack another name");
            self.root.node().add_validation(move || vec![message.clone()]);
        }
        self.stack(name)
    }

    /// Adds custom entries to `amplify_outputs.json`: an object whose top-level keys
    /// are sections (`custom`, `geo`, ...), merged with what was added before.
    /// Values may be tokens.
    ///
    /// ```
    /// use amplify_backend::define_backend;
    /// use constructs::cfn;
    /// let backend = define_backend(());
    /// backend.add_output(cfn!({"custom": {"mapName": "chat-map"}}));
    /// ```
    pub fn add_output(&self, value: Value) {
        let Value::Object(sections) = value else {
            self.root.node().add_validation(|| {
                vec!["add_output takes an object of sections, such as {\"custom\": {...}}".to_string()]
            });
            return;
        };
        {
            let mut custom = self.custom.borrow_mut();
            for (k, v) in sections {
                match (custom.get_mut(&k), v) {
                    (Some(Value::Object(existing)), Value::Object(more)) => existing.extend(more),
                    (_, v) => {
                        custom.insert(k, v);
                    }
                }
            }
        }
        let mut doc = self.custom.borrow().clone();
        doc.insert("version".into(), "1.4".into());
        self.add_stack_outputs(
            "AWS::Amplify::Custom",
            vec![("customOutputs".into(), fns::to_json_string(&Value::Object(doc)))],
        );
    }

    /// Adds root stack outputs under an `AWS::Amplify::*` metadata group (for
    /// category implementations).
    pub fn add_stack_outputs(&self, group: &str, outputs: Vec<(String, Value)>) {
        self.outputs.add(&self.root, group, outputs);
    }

    /// A built category, by type (`backend.get::<Auth>()`).
    pub fn get<T: Any>(&self) -> Option<&T> {
        self.parts.get(&TypeId::of::<T>()).and_then(|b| b.downcast_ref())
    }

    /// A built part, created empty on first use (for registries such as the
    /// functions of the backend).
    pub fn part_mut<T: Any + Default>(&mut self) -> &mut T {
        self.parts
            .entry(TypeId::of::<T>())
            .or_insert_with(|| Box::new(T::default()))
            .downcast_mut()
            .expect("stored by type")
    }

    /// Stores a built category (for category implementations).
    pub fn insert<T: Any>(&mut self, part: T) {
        self.parts.insert(TypeId::of::<T>(), Box::new(part));
    }

    /// Synthesizes the cloud assembly into the output directory, with
    /// `amplify_outputs.json` as far as synthesis knows it beside the templates
    /// ([`PREDEPLOY_OUTPUTS_FILE`]; deployed values are placeholders).
    pub fn synth(&self) -> Result<CloudAssembly, SynthError> {
        let assembly = self.app.synth()?;
        self.write_predeploy_outputs(&assembly, &self.app.outdir())?;
        Ok(assembly)
    }

    /// The body of the backend program's `main`: synthesize by the app protocol,
    /// print a summary (or every error), return the exit code.
    pub fn run(&self) -> ExitCode {
        match self.synth() {
            Ok(assembly) => {
                let dir = self.app.outdir();
                print!("{}", assembly.summary(&dir));
                println!(
                    "amplify_outputs.json before deployment (deployed values are placeholders): {}",
                    dir.join(PREDEPLOY_OUTPUTS_FILE).display()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("{e}");
                ExitCode::FAILURE
            }
        }
    }
}

/// A nested stack with Amplify's logical ID (`<name><hash>`, not the CDK's
/// `<name>NestedStack<name>NestedStackResource<hash>`), so templates match Amplify's.
fn nested(root: &Stack, name: &str) -> Stack {
    let stack = NestedStack::new(root, name);
    if let Some(resource) = stack.nested_stack_resource() {
        let long = resource.logical_id();
        let hash = &long[long.len().saturating_sub(8)..];
        resource.override_logical_id(&format!("{}{hash}", constructs::names::remove_non_alphanumeric(name)));
    }
    stack
}

fn description(id: &BackendIdentifier) -> String {
    format!(
        "Amplify backend '{}' ({} deployment of '{}'), defined in Rust with amplify-backend",
        id.name,
        id.deployment_type.as_str(),
        id.namespace
    )
}
