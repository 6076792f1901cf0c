//! `App`: the root of the tree. It reads the CDK app protocol (`CDK_OUTDIR`,
//! `CDK_CONTEXT_JSON`) and synthesizes the cloud assembly.

use std::cell::RefCell;
use std::path::PathBuf;
use std::process::ExitCode;
use std::rc::Rc;

use indexmap::IndexMap;

use crate::assembly::CloudAssembly;
use crate::error::SynthError;
use crate::node::{IConstruct, Kind, Node};
use crate::synthesizer::DefaultStackSynthesizer;

pub(crate) struct AppData {
    pub(crate) outdir: RefCell<PathBuf>,
    pub(crate) path_metadata: bool,
    pub(crate) strict: bool,
    pub(crate) template_checks: RefCell<Vec<Rc<dyn crate::checks::TemplateCheck>>>,
    pub(crate) default_stack_synthesizer: Option<DefaultStackSynthesizer>,
}

/// Options of an [`App`].
#[derive(Clone, Debug)]
pub struct AppProps {
    /// Where to write the assembly; `cdk.out` when not set.
    pub outdir: Option<PathBuf>,
    /// Context values (what `CDK_CONTEXT_JSON` carries).
    pub context: IndexMap<String, serde_json::Value>,
    /// Adds `aws:cdk:path` to each resource's `Metadata`, as the CDK does.
    pub path_metadata: bool,
    /// The bootstrap resources of every stack that does not name its own
    /// ([`StackProps::synthesizer`](crate::StackProps::synthesizer)); CDK's
    /// defaults when not set.
    pub default_stack_synthesizer: Option<DefaultStackSynthesizer>,
    /// Warnings fail synthesis as errors do. [`App::new`] sets it when the
    /// environment variable [`STRICT_ENV`] is `1` or `true`.
    pub strict: bool,
}

/// The environment variable that turns warnings into errors (`AMPX_STRICT=1`).
pub const STRICT_ENV: &str = "AMPX_STRICT";

/// Whether the environment asks for strict synthesis.
pub fn strict_from_env() -> bool {
    std::env::var(STRICT_ENV).is_ok_and(|v| matches!(v.trim().to_ascii_lowercase().as_str(), "1" | "true" | "yes"))
}

impl Default for AppProps {
    fn default() -> Self {
        AppProps {
            outdir: None,
            context: IndexMap::new(),
            path_metadata: true,
            default_stack_synthesizer: None,
            strict: false,
        }
    }
}

/// The root of a construct tree.
///
/// ```
/// use constructs::{App, AppProps, CfnResource, Stack};
/// let app = App::with_props(AppProps::default());
/// let stack = Stack::new(&app, "S");
/// CfnResource::new(&stack, "Queue", "AWS::SQS::Queue");
/// let assembly = app.synth_in_memory().unwrap();
/// assert_eq!(assembly.stacks[0].resource_count(), 1);
/// ```
#[derive(Clone)]
pub struct App {
    node: Node,
    data: Rc<AppData>,
}

impl App {
    /// An app that follows the app protocol: it writes to `$CDK_OUTDIR` and reads
    /// context from `$CDK_CONTEXT_JSON`, as a CDK app run by the `cdk` CLI does.
    /// Bad context JSON is reported by `synth`, with the fix.
    pub fn new() -> Self {
        let mut props = AppProps {
            outdir: std::env::var_os("CDK_OUTDIR").map(PathBuf::from),
            strict: strict_from_env(),
            ..AppProps::default()
        };
        let mut error = None;
        if let Ok(json) = std::env::var("CDK_CONTEXT_JSON") {
            match serde_json::from_str::<IndexMap<String, serde_json::Value>>(&json) {
                Ok(ctx) => props.context = ctx,
                Err(e) => error = Some(format!("CDK_CONTEXT_JSON is not a JSON object ({e})")),
            }
        }
        let app = App::with_props(props);
        if let Some(e) = error {
            app.node.add_error(crate::codes::BAD_CONTEXT, e, "unset CDK_CONTEXT_JSON or make it a JSON object");
        }
        app
    }

    /// An app with explicit options; the environment is not read.
    pub fn with_props(props: AppProps) -> Self {
        let data = Rc::new(AppData {
            outdir: RefCell::new(props.outdir.unwrap_or_else(|| PathBuf::from("cdk.out"))),
            path_metadata: props.path_metadata,
            strict: props.strict,
            template_checks: RefCell::default(),
            default_stack_synthesizer: props.default_stack_synthesizer,
        });
        let node = Node::new_root("", Kind::App(data.clone()));
        for (k, v) in props.context {
            node.set_context(&k, v);
        }
        App { node, data }
    }

    /// Where `synth` writes.
    pub fn outdir(&self) -> PathBuf {
        self.data.outdir.borrow().clone()
    }

    /// Changes where `synth` writes.
    pub fn set_outdir(&self, dir: impl Into<PathBuf>) {
        *self.data.outdir.borrow_mut() = dir.into();
    }

    /// Synthesizes the assembly and writes it to the output directory; warnings
    /// are printed to stderr (and kept in [`CloudAssembly::warnings`]). When
    /// synthesis or writing fails, the directory is left as it was.
    pub fn synth(&self) -> Result<CloudAssembly, SynthError> {
        let assembly = self.synth_in_memory()?;
        for w in &assembly.warnings {
            eprintln!("{w}");
        }
        assembly.write(&self.outdir())?;
        Ok(assembly)
    }

    /// Synthesizes the assembly without writing files (for tests); nothing is printed.
    pub fn synth_in_memory(&self) -> Result<CloudAssembly, SynthError> {
        let options = crate::synth::Options { path_metadata: self.data.path_metadata, strict: self.data.strict };
        crate::synth::synthesize(&self.node, &options)
    }

    /// Whether warnings fail synthesis.
    pub fn is_strict(&self) -> bool {
        self.data.strict
    }

    /// The body of a backend program's `main`: synthesize, print a summary (or every
    /// error) and return the exit code.
    pub fn run(&self) -> ExitCode {
        match self.synth() {
            Ok(assembly) => {
                print!("{}", assembly.summary(&self.outdir()));
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("{e}");
                ExitCode::FAILURE
            }
        }
    }
}

/// Adds a check of every rendered template to the app of `node`'s tree, once
/// per name.
pub(crate) fn add_template_check(node: &Node, check: Rc<dyn crate::checks::TemplateCheck>) {
    if let Kind::App(data) = &node.root().0.kind {
        let mut checks = data.template_checks.borrow_mut();
        if !checks.iter().any(|c| c.name() == check.name()) {
            checks.push(check);
        }
    }
}

/// The template checks of the app of `node`'s tree.
pub(crate) fn template_checks(node: &Node) -> Vec<Rc<dyn crate::checks::TemplateCheck>> {
    match &node.root().0.kind {
        Kind::App(data) => data.template_checks.borrow().clone(),
        _ => Vec::new(),
    }
}

/// The app's default synthesizer, seen from any construct of its tree.
pub(crate) fn default_stack_synthesizer(node: &Node) -> Option<DefaultStackSynthesizer> {
    match &node.root().0.kind {
        Kind::App(data) => data.default_stack_synthesizer.clone(),
        _ => None,
    }
}

impl Default for App {
    fn default() -> Self {
        App::new()
    }
}

impl IConstruct for App {
    fn node(&self) -> &Node {
        &self.node
    }
}
