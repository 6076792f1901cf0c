//! `Stack`: a unit of deployment, one CloudFormation template.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use indexmap::IndexMap;

use crate::element::stack_of;
use crate::names::make_unique_id;
use crate::node::{IConstruct, Kind, Node};
use crate::resource::CfnResource;
use crate::synthesizer::{BootstrapSettings, DefaultStackSynthesizer, BOOTSTRAP_QUALIFIER_CONTEXT};
use crate::value::Value;

pub(crate) struct StackData {
    pub(crate) stack_name: RefCell<Option<String>>,
    pub(crate) description: RefCell<Option<String>>,
    pub(crate) transforms: RefCell<Vec<String>>,
    pub(crate) template_metadata: RefCell<IndexMap<String, Value>>,
    pub(crate) termination_protection: Cell<bool>,
    pub(crate) bootstrap_version_rule: Cell<bool>,
    pub(crate) tags: RefCell<IndexMap<String, String>>,
    /// How to bring the template back under CloudFormation's quotas, in the
    /// terms of the L3 that builds the stack ([`Stack::set_quota_fix`]).
    pub(crate) quota_fix: RefCell<Option<String>>,
    /// The bootstrap resources it deploys with, qualifier decided.
    pub(crate) synthesizer: DefaultStackSynthesizer,
    pub(crate) nested: Option<NestedData>,
}

/// What a nested stack keeps about its place in the parent.
pub(crate) struct NestedData {
    /// The `AWS::CloudFormation::Stack` resource in the parent stack.
    pub(crate) resource: CfnResource,
    /// Parameter logical ID -> value, in the parent's context.
    pub(crate) parameters: RefCell<IndexMap<String, Value>>,
    /// The asset hash of the rendered template, set during synthesis.
    pub(crate) template_hash: RefCell<Option<String>>,
    pub(crate) template_file: RefCell<String>,
}

/// Options of a top-level stack.
#[derive(Clone, Debug, Default)]
pub struct StackProps {
    /// The CloudFormation stack name; defaults to the construct id.
    pub stack_name: Option<String>,
    /// The template `Description`.
    pub description: Option<String>,
    /// Protects the deployed stack from deletion.
    pub termination_protection: bool,
    /// Leaves out the `BootstrapVersion` parameter and its rule (for deploying
    /// without a CDK bootstrap stack).
    pub skip_bootstrap_version_rule: bool,
    /// Stack-level tags, applied by CloudFormation to every resource it can tag.
    pub tags: IndexMap<String, String>,
    /// The bootstrap resources this stack deploys with; the app's
    /// [`default_stack_synthesizer`](crate::AppProps::default_stack_synthesizer)
    /// when not set. Its nested stacks use the same.
    pub synthesizer: Option<DefaultStackSynthesizer>,
}

/// A CloudFormation stack: a top-level stack under the [`App`](crate::App), or, as
/// [`NestedStack`](crate::NestedStack), a stack inside another.
///
/// ```
/// use constructs::{App, CfnResource, Stack};
/// let app = App::new();
/// let stack = Stack::new(&app, "MyStack");
/// CfnResource::new(&stack, "Queue", "AWS::SQS::Queue");
/// assert_eq!(stack.stack_name(), "MyStack");
/// ```
#[derive(Clone)]
pub struct Stack {
    pub(crate) node: Node,
    pub(crate) data: Rc<StackData>,
}

impl Stack {
    /// Adds a top-level stack named after its id.
    pub fn new(scope: &impl IConstruct, id: &str) -> Self {
        Stack::with_props(scope, id, StackProps::default())
    }

    /// Adds a top-level stack with options.
    pub fn with_props(scope: &impl IConstruct, id: &str, props: StackProps) -> Self {
        let scope = scope.node();
        let (synthesizer, synthesizer_error) = props
            .synthesizer
            .or_else(|| crate::app::default_stack_synthesizer(scope))
            .unwrap_or_default()
            .bound(scope.try_get_context(BOOTSTRAP_QUALIFIER_CONTEXT).as_ref());
        let data = Rc::new(StackData {
            stack_name: RefCell::new(props.stack_name),
            description: RefCell::new(props.description),
            transforms: RefCell::default(),
            template_metadata: RefCell::default(),
            termination_protection: Cell::new(props.termination_protection),
            bootstrap_version_rule: Cell::new(!props.skip_bootstrap_version_rule),
            tags: RefCell::new(props.tags),
            quota_fix: RefCell::default(),
            synthesizer,
            nested: None,
        });
        let node = Node::new_child(scope, id, Kind::Stack(data.clone()));
        if let Some(e) = synthesizer_error {
            node.add_error(crate::codes::SYNTHESIZER, e, "fix the synthesizer's settings in StackProps or AppProps");
        }
        let stack = Stack { node: node.clone(), data: data.clone() };
        let name = stack.stack_name();
        if !is_valid_stack_name(&name) {
            node.add_error(
                crate::codes::INVALID_STACK_NAME,
                format!("stack name '{name}' is invalid"),
                "use 1 to 128 letters, digits and hyphens, starting with a letter (StackProps::stack_name or the id)",
            );
        }
        if stack_of_parent(&node).is_some() {
            node.add_error(
                crate::codes::STACK_PLACEMENT,
                "a Stack cannot be created inside another stack",
                "use NestedStack for a stack within a stack",
            );
        }
        Stack { node, data }
    }

    pub(crate) fn new_nested(scope: &Node, id: &str, nested: NestedData) -> Self {
        // A nested stack's template and assets are published with its parent's.
        let synthesizer = match Stack::of(scope) {
            Some(parent) => parent.data.synthesizer.clone(),
            None => DefaultStackSynthesizer::default().bound(None).0,
        };
        let data = Rc::new(StackData {
            stack_name: RefCell::default(),
            description: RefCell::default(),
            transforms: RefCell::default(),
            template_metadata: RefCell::default(),
            termination_protection: Cell::new(false),
            bootstrap_version_rule: Cell::new(false),
            tags: RefCell::default(),
            quota_fix: RefCell::default(),
            synthesizer,
            nested: Some(nested),
        });
        let node = Node::new_child(scope, id, Kind::Stack(data.clone()));
        Stack { node, data }
    }

    /// The stack a construct belongs to (the nearest stack above it, or itself).
    pub fn of(construct: &impl IConstruct) -> Option<Stack> {
        let node = stack_of(construct.node())?;
        let data = node.stack_data()?;
        Some(Stack { node, data })
    }

    pub(crate) fn from_node(node: &Node) -> Option<Stack> {
        node.stack_data().map(|data| Stack { node: node.clone(), data })
    }

    /// The CloudFormation stack name. A nested stack's name is chosen by
    /// CloudFormation at deployment; this returns its artifact id instead.
    pub fn stack_name(&self) -> String {
        if let Some(n) = self.data.stack_name.borrow().as_ref() {
            return n.clone();
        }
        self.artifact_id()
    }

    /// The id of this stack's artifact in the cloud assembly: the construct id of a
    /// stack directly under the app, CDK's unique id of the path otherwise.
    pub fn artifact_id(&self) -> String {
        let ids: Vec<String> = self.node.scopes().iter().skip(1).map(|n| n.id().to_string()).collect();
        if ids.len() == 1 {
            return ids[0].clone();
        }
        make_unique_id(&ids).unwrap_or_else(|_| "Stack".into())
    }

    /// Whether this is a nested stack.
    pub fn is_nested(&self) -> bool {
        self.data.nested.is_some()
    }

    /// The stack that holds this nested stack's resource.
    pub fn nested_stack_parent(&self) -> Option<Stack> {
        self.data.nested.as_ref().and_then(|n| Stack::of(n.resource.node()))
    }

    /// The `AWS::CloudFormation::Stack` resource of a nested stack, in its parent.
    pub fn nested_stack_resource(&self) -> Option<CfnResource> {
        self.data.nested.as_ref().map(|n| n.resource.clone())
    }

    /// The bootstrap resources this stack deploys with, its qualifier decided.
    pub fn synthesizer(&self) -> &DefaultStackSynthesizer {
        &self.data.synthesizer
    }

    /// The bootstrap names the assembly records for this stack (a nested stack
    /// has its parent's).
    pub fn bootstrap_settings(&self) -> BootstrapSettings {
        self.data.synthesizer.settings()
    }

    /// Sets the template `Description`.
    pub fn set_description(&self, description: &str) {
        *self.data.description.borrow_mut() = Some(description.to_string());
    }

    /// Says how to bring this stack's template back under CloudFormation's
    /// quotas (resources, outputs, parameters, mappings, size) when it is over
    /// one. By default the fix is to move resources into a nested stack; an L3
    /// that builds the stack names its own setting instead, since its users do
    /// not place resources themselves.
    pub fn set_quota_fix(&self, fix: impl Into<String>) {
        *self.data.quota_fix.borrow_mut() = Some(fix.into());
    }

    /// Adds a template `Transform` (such as `AWS::Serverless-2016-10-31`).
    pub fn add_transform(&self, transform: &str) {
        let mut t = self.data.transforms.borrow_mut();
        if !t.iter().any(|x| x == transform) {
            t.push(transform.to_string());
        }
    }

    /// Adds an entry to the template's top-level `Metadata`.
    pub fn add_template_metadata(&self, key: &str, value: impl Into<Value>) {
        self.data.template_metadata.borrow_mut().insert(key.to_string(), value.into());
    }

    /// Turns termination protection on or off.
    pub fn set_termination_protection(&self, on: bool) {
        self.data.termination_protection.set(on);
    }

    /// Makes this stack deploy after `other` (both top-level, or the nested stack
    /// resources in their common parent).
    pub fn add_dependency(&self, other: &Stack) {
        self.node.add_dependency(&other.node);
    }
}

/// CloudFormation's rule for stack names.
pub(crate) fn is_valid_stack_name(name: &str) -> bool {
    name.len() <= 128
        && name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

fn stack_of_parent(node: &Node) -> Option<Node> {
    node.scope().and_then(|p| stack_of(&p))
}

impl IConstruct for Stack {
    fn node(&self) -> &Node {
        &self.node
    }
}

impl std::fmt::Debug for Stack {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Stack({})", self.node.path())
    }
}
