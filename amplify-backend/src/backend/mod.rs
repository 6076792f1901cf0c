//! `define_backend`: the app, the root stack named after the backend identifier, a
//! nested stack per category, custom stacks, and the root outputs.
//!
//! Each definition is built after the definitions of the categories it needs
//! (see `order`), and the backend hands back what each built, typed, in the
//! shape the definitions were given ([`Backend::parts`]).
//!
//! Before any category is built, each function is given the nested stack where
//! it closes no cycle between stacks (see `placement`). A trigger that also reads
//! data fits nowhere; if its code gets the generated SSM loader, data hands it
//! its endpoint through SSM Parameter Store instead of a reference (see
//! [`crate::function`], "Triggers that use data"), else synthesis lists each
//! cycle and what to do.

mod attribution;
mod category;
mod context;
mod defined_twice;
mod definition;
mod order;
mod outputs_file;
mod placement;
pub mod policies;
mod quotas;
mod stack_outputs;

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::io::Write as _;
use std::process::ExitCode;

use constructs::{fns, App, CloudAssembly, IConstruct, NestedStack, Stack, StackProps, SynthError, Value};
use indexmap::IndexMap;

pub use category::Category;
pub use context::{NAMESPACE_KEY, NAME_KEY, TYPE_KEY};
pub use definition::{slots, Definition, FunctionLink, IntoDefinitions};
pub use outputs_file::PREDEPLOY_OUTPUTS_FILE;

use crate::auth::link::SharedAuth;
use crate::codes;
use crate::function::Functions;
use crate::identifier::BackendIdentifier;
use crate::storage::Storage;
use definition::slots::Slots;
use stack_outputs::StackOutputs;

/// A whole Amplify backend: the construct tree of every category and custom
/// stack, and `P`, the built part of each definition it was given
/// ([`parts`](Backend::parts)).
///
/// ```
/// use amplify_backend::define_backend;
/// let backend = define_backend(());
/// let stack = backend.create_stack("LocationMapStack");
/// assert_eq!(stack.nested_stack_resource().unwrap().logical_id().len(), "LocationMapStack".len() + 8);
/// ```
pub struct Backend<P = ()> {
    app: App,
    root: Stack,
    identifier: BackendIdentifier,
    stacks: RefCell<IndexMap<String, Stack>>,
    built: Built,
    outputs: StackOutputs,
    /// The data category's model introspection, for the file written before
    /// deployment (the deployed stack names it in S3).
    model_introspection: RefCell<Option<serde_json::Map<String, serde_json::Value>>>,
    custom: RefCell<IndexMap<String, Value>>,
    placements: HashMap<String, String>,
    data_through_ssm: BTreeSet<String>,
    parts: P,
}

/// What the categories built so far, for the categories built after them.
#[derive(Default)]
pub(crate) struct Built {
    /// Every function, by name.
    pub(crate) functions: Functions,
    /// The auth category (defined or referenced), once built.
    pub(crate) auth: Option<SharedAuth>,
    /// Every bucket.
    pub(crate) storage: Storage,
}

/// Builds a backend from its definitions (`define_auth`, `define_data`,
/// `define_storage`, `define_function`, as a tuple), following the app protocol:
/// the identifier comes from `CDK_CONTEXT_JSON`, the assembly goes to `CDK_OUTDIR`.
/// The built parts come back in the shape given, as Amplify's
/// `defineBackend({auth, data})` gives `backend.auth` and `backend.data`:
///
/// ```no_run
/// # use amplify_backend::auth::{define_auth, AuthProps, LoginWith};
/// # use amplify_backend::data::{define_data, DataProps};
/// use amplify_backend::define_backend;
/// # let auth = define_auth(AuthProps { login_with: LoginWith::email(), ..Default::default() });
/// # let data = define_data(DataProps::default());
/// let backend = define_backend((auth, data));
/// let (auth, data) = backend.parts();
/// auth.resources().user_pool.add_property_override("UserPoolTier", "PLUS");
/// if let Ok(data) = data {
///     data.resources().api.graphql_api.add_property_override("Visibility", "PRIVATE");
/// }
/// ```
pub fn define_backend<D: IntoDefinitions>(definitions: D) -> Backend<D::Built> {
    Backend::build(App::new(), definitions)
}

impl Backend {
    /// Builds a backend in a given app (tests pass an app with explicit context).
    ///
    /// Each definition is built after those of the categories it needs
    /// ([`Definition::needs`]), otherwise in the order given; each function goes
    /// in a nested stack where it closes no cycle.
    pub fn build<D: IntoDefinitions>(app: App, definitions: D) -> Backend<D::Built> {
        let (identifier, problems) = context::identifier_from_context(&app);
        let root = Stack::with_props(
            &app,
            &identifier.stack_name(),
            StackProps {
                description: Some(attribution::description(&identifier, "root", serde_json::json!({}))),
                tags: policies::stack_tags(&identifier),
                ..Default::default()
            },
        );
        let problems = codes::from_messages(codes::BACKEND_IDENTIFIER, problems);
        if !problems.is_empty() {
            root.node().add_check(move || problems.clone());
        }
        policies::apply_tags(root.node(), &identifier);
        policies::apply_removal_policies(root.node(), identifier.deployment_type);
        let mut backend = Backend {
            app,
            root,
            identifier,
            stacks: RefCell::default(),
            built: Built::default(),
            outputs: StackOutputs::default(),
            model_introspection: RefCell::default(),
            custom: RefCell::default(),
            placements: HashMap::new(),
            data_through_ssm: BTreeSet::new(),
            parts: (),
        };
        backend.add_stack_outputs(
            "AWS::Amplify::Platform",
            vec![
                ("deploymentType".into(), backend.identifier.deployment_type.as_str().into()),
                ("region".into(), constructs::Aws::region()),
            ],
        );
        let mut slots = definitions.into_slots();
        {
            let mut pending = slots.pending();
            defined_twice::check(&backend, &pending.iter().map(|d| d.category()).collect::<Vec<_>>());
            let links: Vec<FunctionLink> = pending.iter().flat_map(|d| d.function_links()).collect();
            let dependencies: Vec<(String, String)> = pending
                .iter()
                .flat_map(|d| {
                    let from = d.category().stack_name();
                    d.stack_dependencies().into_iter().map(move |to| (from.to_string(), to.stack_name().to_string()))
                })
                .collect();
            let loaders: BTreeSet<String> = pending.iter().flat_map(|d| d.ssm_environment_loaders()).collect();
            let placement = placement::place_functions(&links, &dependencies, &loaders);
            let needs: Vec<order::Needs> =
                pending.iter().map(|d| order::Needs { category: d.category(), needs: d.needs() }).collect();
            let (order, cycles) = order::build_order(&needs);
            let problems =
                codes::from_messages(codes::BACKEND_PLACEMENT, placement.problems.into_iter().chain(cycles).collect());
            if !problems.is_empty() {
                backend.root.node().add_check(move || problems.clone());
            }
            backend.placements = placement.stacks;
            backend.data_through_ssm = placement.data_through_ssm;
            for i in order {
                pending[i].build(&mut backend);
            }
        }
        backend.with_parts(slots.finish())
    }

    fn with_parts<P>(self, parts: P) -> Backend<P> {
        Backend {
            app: self.app,
            root: self.root,
            identifier: self.identifier,
            stacks: self.stacks,
            built: self.built,
            outputs: self.outputs,
            model_introspection: self.model_introspection,
            custom: self.custom,
            placements: self.placements,
            data_through_ssm: self.data_through_ssm,
            parts,
        }
    }

    /// What the categories built so far (for category implementations).
    pub(crate) fn built_mut(&mut self) -> &mut Built {
        &mut self.built
    }
}

impl<P> Backend<P> {
    /// The built part of each definition, in the shape they were given:
    /// `Backend::build(app, (auth, data, storage, say_hello))` gives
    /// `&(Auth, Result<Data, DataErrors>, Bucket, Function)`.
    pub fn parts(&self) -> &P {
        &self.parts
    }

    /// Every function of the backend, by name.
    pub fn functions(&self) -> &Functions {
        &self.built.functions
    }

    /// Every bucket of the backend, and the default one.
    pub fn storage(&self) -> &Storage {
        &self.built.storage
    }

    /// The auth category, for the categories that use it when there is one.
    pub(crate) fn built_auth(&self) -> Option<&SharedAuth> {
        self.built.auth.as_ref()
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

    /// The nested stack of a category, created on first use.
    pub fn stack(&self, category: Category) -> Stack {
        self.nested_stack(category.stack_name())
    }

    /// A nested stack of the root by name, created on first use.
    fn nested_stack(&self, name: &str) -> Stack {
        if let Some(s) = self.stacks.borrow().get(name) {
            return s.clone();
        }
        let s = nested(&self.root, name);
        s.set_description(&attribution::description(
            &self.identifier,
            attribution::stack_type(name),
            serde_json::json!({}),
        ));
        s.set_quota_fix(quotas::fix(name));
        self.stacks.borrow_mut().insert(name.to_string(), s.clone());
        s
    }

    /// The nested stack a function goes in: `function`, or the stack of a category
    /// it both serves and uses (see [`FunctionLink`]).
    pub fn function_stack(&self, function_name: &str) -> Stack {
        let name = self.placements.get(function_name).map_or(placement::FUNCTION_STACK, String::as_str);
        self.nested_stack(name)
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
            self.root.node().add_error(
                codes::BACKEND_CUSTOM,
                format!("a stack named '{name}' already exists in this backend"),
                "give the custom stack another name",
            );
        }
        self.nested_stack(name)
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
            self.root.node().add_error(
                codes::BACKEND_CUSTOM,
                "add_output takes an object of sections",
                "pass an object such as {\"custom\": {...}}",
            );
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

    /// Records the model introspection that the data category staged in S3, for
    /// [`Backend::predeploy_outputs`].
    pub(crate) fn set_model_introspection(&self, introspection: serde_json::Map<String, serde_json::Value>) {
        *self.model_introspection.borrow_mut() = Some(introspection);
    }

    /// Synthesizes the cloud assembly into the output directory, with
    /// `amplify_outputs.json` as far as synthesis knows it beside the templates
    /// ([`PREDEPLOY_OUTPUTS_FILE`]; deployed values are placeholders).
    pub fn synth(&self) -> Result<CloudAssembly, SynthError> {
        let mut assembly = self.app.synth_in_memory()?;
        self.add_predeploy_outputs(&mut assembly)?;
        for w in &assembly.warnings {
            eprintln!("{w}");
        }
        assembly.write(&self.app.outdir())?;
        Ok(assembly)
    }

    /// The body of the backend program's `main`: synthesize by the app protocol,
    /// print a summary (or every error), return the exit code.
    pub fn run(&self) -> ExitCode {
        match self.synth() {
            Ok(assembly) => {
                let dir = self.app.outdir();
                // The assembly is written; a reader that went away (`| head`)
                // is not a failure, so write errors on stdout are ignored.
                let mut out = std::io::stdout().lock();
                let _ = write!(out, "{}", assembly.summary(&dir));
                let _ = writeln!(
                    out,
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
