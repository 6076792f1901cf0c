//! `Node`: the one place that holds every tree concern of a construct (id, path,
//! address, children, metadata, dependencies, validations, context), as in the JS
//! `constructs` library.

use std::cell::RefCell;
use std::fmt;
use std::rc::{Rc, Weak};

use indexmap::IndexMap;

use crate::aspect::Aspect;
use crate::element::Element;
use crate::names;
use crate::stack::StackData;

/// Every construct type exposes its [`Node`].
pub trait IConstruct {
    /// The tree node of this construct.
    fn node(&self) -> &Node;
}

/// A cheap-to-clone handle on a construct of the tree.
#[derive(Clone)]
pub struct Node(pub(crate) Rc<NodeInner>);

pub(crate) struct NodeInner {
    pub(crate) id: String,
    pub(crate) path: String,
    pub(crate) parent: Option<Weak<NodeInner>>,
    pub(crate) children: RefCell<IndexMap<String, Node>>,
    pub(crate) kind: Kind,
    pub(crate) metadata: RefCell<Vec<MetadataEntry>>,
    pub(crate) dependencies: RefCell<Vec<Node>>,
    pub(crate) validations: RefCell<Vec<Validation>>,
    pub(crate) aspects: RefCell<Vec<Rc<dyn Aspect>>>,
    pub(crate) errors: RefCell<Vec<String>>,
    pub(crate) context: RefCell<IndexMap<String, serde_json::Value>>,
    pub(crate) construct_info: RefCell<Option<String>>,
}

/// A check run at synthesis; each message is an error at the construct's path.
pub(crate) type Validation = Rc<dyn Fn() -> Vec<String>>;

/// What the core knows a construct to be.
pub(crate) enum Kind {
    Plain,
    App(Rc<crate::app::AppData>),
    Stack(Rc<StackData>),
    Element(Rc<Element>),
    Asset(Rc<crate::asset::AssetData>),
}

/// An entry of construct metadata.
#[derive(Clone, Debug, PartialEq)]
pub struct MetadataEntry {
    /// The metadata type, e.g. `aws:cdk:warning`.
    pub kind: String,
    /// Its data.
    pub data: serde_json::Value,
}

/// A construct's identity, for tables keyed by construct: tokens hold weak
/// handles, so synthesis finds the constructs they point at by identity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct NodeKey(*const NodeInner);

/// A weak reference from a token to the construct it points at.
#[derive(Clone)]
pub struct Target(pub(crate) Weak<NodeInner>);

impl Target {
    pub(crate) fn node(&self) -> Option<Node> {
        self.0.upgrade().map(Node)
    }

    pub(crate) fn describe(&self) -> String {
        self.node().map_or_else(|| "<dropped construct>".to_string(), |n| n.path().to_string())
    }
}

impl Node {
    pub(crate) fn new_root(id: &str, kind: Kind) -> Node {
        Node(Rc::new(NodeInner::new(id.to_string(), String::new(), None, kind)))
    }

    /// Creates a child of `scope`. An invalid id never panics: the node is still
    /// made (so the caller gets a handle), the error is recorded and reported by
    /// synthesis with the path.
    pub(crate) fn new_child(scope: &Node, id: &str, kind: Kind) -> Node {
        let mut error = None;
        let mut id = id.to_string();
        if id.is_empty() {
            error =
                Some(format!("a construct under '{}' has an empty id; give it a non-empty id", scope.display_path()));
            id = "<empty>".to_string();
        } else if id.contains('/') {
            error = Some(format!(
                "construct id '{id}' under '{}' contains '/', which separates path components; use another character",
                scope.display_path()
            ));
            id = id.replace('/', "--");
        }
        let path = if scope.path().is_empty() { id.clone() } else { format!("{}/{}", scope.path(), id) };
        let node = Node(Rc::new(NodeInner::new(id.clone(), path, Some(Rc::downgrade(&scope.0)), kind)));
        if let Some(e) = error {
            scope.0.errors.borrow_mut().push(e);
            return node;
        }
        let mut children = scope.0.children.borrow_mut();
        if children.contains_key(&id) {
            scope.0.errors.borrow_mut().push(format!(
                "there is already a construct with id '{id}' in '{}'; ids must be unique among siblings",
                scope.display_path()
            ));
        } else {
            children.insert(id, node.clone());
        }
        node
    }

    /// The id of this construct, unique among its siblings.
    pub fn id(&self) -> &str {
        &self.0.id
    }

    /// The path from the root, ids joined with `/` (the root's path is empty).
    pub fn path(&self) -> &str {
        &self.0.path
    }

    /// The path, or `<root>` for the root, for messages.
    pub(crate) fn display_path(&self) -> &str {
        if self.0.path.is_empty() {
            "<root>"
        } else {
            &self.0.path
        }
    }

    /// The node address: a 42-character id unique in the tree, computed from the
    /// path as the `constructs` library does.
    pub fn addr(&self) -> String {
        let ids: Vec<String> = self.scopes().iter().map(|n| n.id().to_string()).collect();
        names::node_addr(&ids)
    }

    /// The parent, or `None` for the root.
    pub fn scope(&self) -> Option<Node> {
        self.0.parent.as_ref().and_then(Weak::upgrade).map(Node)
    }

    /// The root of the tree.
    pub fn root(&self) -> Node {
        let mut n = self.clone();
        while let Some(p) = n.scope() {
            n = p;
        }
        n
    }

    /// Every node from the root down to this one.
    pub fn scopes(&self) -> Vec<Node> {
        let mut out = vec![self.clone()];
        let mut n = self.clone();
        while let Some(p) = n.scope() {
            out.push(p.clone());
            n = p;
        }
        out.reverse();
        out
    }

    /// The children, in the order they were added.
    pub fn children(&self) -> Vec<Node> {
        self.0.children.borrow().values().cloned().collect()
    }

    /// The child with this id.
    pub fn try_find_child(&self, id: &str) -> Option<Node> {
        self.0.children.borrow().get(id).cloned()
    }

    /// The descendant at a relative path (`a/b/c`).
    pub fn try_find(&self, path: &str) -> Option<Node> {
        path.split('/').filter(|p| !p.is_empty()).try_fold(self.clone(), |n, id| n.try_find_child(id))
    }

    /// This node and all below it, depth first, parents before children.
    pub fn find_all(&self) -> Vec<Node> {
        let mut out = Vec::new();
        let mut stack = vec![self.clone()];
        while let Some(n) = stack.pop() {
            let children = n.children();
            stack.extend(children.into_iter().rev());
            out.push(n);
        }
        out
    }

    /// Adds a metadata entry (it appears in `tree.json`).
    pub fn add_metadata(&self, kind: &str, data: impl Into<serde_json::Value>) {
        self.0.metadata.borrow_mut().push(MetadataEntry { kind: kind.to_string(), data: data.into() });
    }

    /// The metadata entries.
    pub fn metadata(&self) -> Vec<MetadataEntry> {
        self.0.metadata.borrow().clone()
    }

    /// Makes every resource under this construct depend on every resource under
    /// `other`. Across stacks this becomes a dependency between the stacks (or the
    /// nested stack resources in their common parent).
    pub fn add_dependency(&self, other: &impl IConstruct) {
        self.0.dependencies.borrow_mut().push(other.node().clone());
    }

    /// The constructs this one depends on.
    pub fn dependencies(&self) -> Vec<Node> {
        self.0.dependencies.borrow().clone()
    }

    /// Adds a check run at synthesis; each string it returns is an error reported
    /// with this construct's path.
    pub fn add_validation(&self, check: impl Fn() -> Vec<String> + 'static) {
        self.0.validations.borrow_mut().push(Rc::new(check));
    }

    /// Runs this node's validations and returns the messages (without paths).
    pub fn validate(&self) -> Vec<String> {
        let checks: Vec<_> = self.0.validations.borrow().clone();
        checks.iter().flat_map(|c| c()).collect()
    }

    /// Sets a context value on this node (seen by this node and all below it).
    pub fn set_context(&self, key: &str, value: impl Into<serde_json::Value>) {
        self.0.context.borrow_mut().insert(key.to_string(), value.into());
    }

    /// The nearest context value for `key`, looking up to the root.
    pub fn try_get_context(&self, key: &str) -> Option<serde_json::Value> {
        let mut n = Some(self.clone());
        while let Some(node) = n {
            if let Some(v) = node.0.context.borrow().get(key) {
                return Some(v.clone());
            }
            n = node.scope();
        }
        None
    }

    /// Records the construct's type for `tree.json` (`constructInfo.fqn`).
    pub fn set_construct_info(&self, fqn: &str) {
        *self.0.construct_info.borrow_mut() = Some(fqn.to_string());
    }

    pub(crate) fn construct_info(&self) -> Option<String> {
        self.0.construct_info.borrow().clone()
    }

    /// Whether two handles are the same construct.
    pub fn ptr_eq(&self, other: &Node) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }

    /// This construct's identity (valid while the tree lives).
    pub(crate) fn key(&self) -> NodeKey {
        NodeKey(Rc::as_ptr(&self.0))
    }

    /// A weak reference for tokens.
    pub(crate) fn target(&self) -> Target {
        Target(Rc::downgrade(&self.0))
    }

    pub(crate) fn element(&self) -> Option<Rc<Element>> {
        match &self.0.kind {
            Kind::Element(e) => Some(e.clone()),
            _ => None,
        }
    }

    pub(crate) fn stack_data(&self) -> Option<Rc<StackData>> {
        match &self.0.kind {
            Kind::Stack(s) => Some(s.clone()),
            _ => None,
        }
    }

    /// Whether this construct is a stack (top-level or nested).
    pub fn is_stack(&self) -> bool {
        matches!(self.0.kind, Kind::Stack(_))
    }

    pub(crate) fn errors(&self) -> Vec<String> {
        self.0.errors.borrow().clone()
    }

    pub(crate) fn add_error(&self, message: String) {
        self.0.errors.borrow_mut().push(message);
    }
}

impl NodeInner {
    fn new(id: String, path: String, parent: Option<Weak<NodeInner>>, kind: Kind) -> Self {
        NodeInner {
            id,
            path,
            parent,
            children: RefCell::default(),
            kind,
            metadata: RefCell::default(),
            dependencies: RefCell::default(),
            validations: RefCell::default(),
            aspects: RefCell::default(),
            errors: RefCell::default(),
            context: RefCell::default(),
            construct_info: RefCell::default(),
        }
    }
}

impl IConstruct for Node {
    fn node(&self) -> &Node {
        self
    }
}

impl fmt::Debug for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Node({})", self.display_path())
    }
}

/// A plain construct: a scope that groups others (an L2 or L3 is usually one).
///
/// ```
/// use constructs::{App, Construct, IConstruct, Stack};
/// let app = App::new();
/// let stack = Stack::new(&app, "MyStack");
/// let group = Construct::new(&stack, "Group");
/// assert_eq!(group.node().path(), "MyStack/Group");
/// ```
#[derive(Clone, Debug)]
pub struct Construct {
    node: Node,
}

impl Construct {
    /// Adds a plain construct under `scope`.
    pub fn new(scope: &impl IConstruct, id: &str) -> Self {
        Construct { node: Node::new_child(scope.node(), id, Kind::Plain) }
    }
}

impl IConstruct for Construct {
    fn node(&self) -> &Node {
        &self.node
    }
}
