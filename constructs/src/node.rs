//! `Node`: the one place that holds every tree concern of a construct (id, path,
//! address, children, metadata, dependencies, validations, context), as in the JS
//! `constructs` library.

use std::cell::{OnceCell, RefCell};
use std::fmt;
use std::rc::{Rc, Weak};

use indexmap::IndexMap;

use crate::aspect::Aspect;
use crate::codes;
use crate::element::Element;
use crate::error::Diagnostic;
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
    /// Computed when first asked: a deep tree would otherwise hold a path per
    /// level, quadratic in its depth.
    pub(crate) path: OnceCell<String>,
    pub(crate) parent: Option<Weak<NodeInner>>,
    pub(crate) children: RefCell<IndexMap<String, Node>>,
    /// Children refused for a duplicate id, kept alive (off the tree) so that
    /// what refers into them still finds its scope and is seen as their cascade.
    pub(crate) refused: RefCell<Vec<Node>>,
    pub(crate) kind: Kind,
    pub(crate) metadata: RefCell<Vec<MetadataEntry>>,
    pub(crate) dependencies: RefCell<Vec<Node>>,
    pub(crate) validations: RefCell<Vec<Validation>>,
    pub(crate) aspects: RefCell<Vec<Rc<dyn Aspect>>>,
    pub(crate) diagnostics: RefCell<Vec<Diagnostic>>,
    pub(crate) context: RefCell<IndexMap<String, serde_json::Value>>,
    pub(crate) construct_info: RefCell<Option<String>>,
}

/// A check run at synthesis; each diagnostic is reported at the construct's path.
pub(crate) type Validation = Rc<dyn Fn() -> Vec<Diagnostic>>;

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
        let node = Node(Rc::new(NodeInner::new(id.to_string(), None, kind)));
        let _ = node.0.path.set(String::new());
        node
    }

    /// Creates a child of `scope`. An invalid id never panics: the node is still
    /// made (so the caller gets a handle), the error is recorded and reported by
    /// synthesis with the path.
    pub(crate) fn new_child(scope: &Node, id: &str, kind: Kind) -> Node {
        let mut error = None;
        let mut id = id.to_string();
        if id.is_empty() {
            error = Some(Diagnostic::error(
                codes::EMPTY_ID,
                format!("a construct under '{}' has an empty id", scope.display_path()),
                "give it a non-empty id",
            ));
            id = "<empty>".to_string();
        } else if id.contains('/') {
            error = Some(Diagnostic::error(
                codes::SLASH_IN_ID,
                format!(
                    "construct id '{id}' under '{}' contains '/', which separates path components",
                    scope.display_path()
                ),
                "use another character",
            ));
            id = id.replace('/', "--");
        }
        let node = Node(Rc::new(NodeInner::new(id.clone(), Some(Rc::downgrade(&scope.0)), kind)));
        if let Some(e) = error {
            scope.report(e);
            scope.0.refused.borrow_mut().push(node.clone());
            return node;
        }
        let mut children = scope.0.children.borrow_mut();
        if children.contains_key(&id) {
            drop(children);
            // Reported at the duplicate's path; the duplicate stays off the tree,
            // and what refers into it is the cascade of this one cause.
            let e = Diagnostic::error(
                codes::DUPLICATE_ID,
                format!("there is already a construct with id '{id}' in '{}'", scope.display_path()),
                "ids must be unique among siblings: give one of them another id, or create it once",
            );
            scope.report(e.at(node.path()));
            scope.0.refused.borrow_mut().push(node.clone());
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
        if let Some(p) = self.0.path.get() {
            return p;
        }
        // Iterative: from the nearest ancestor whose path is known, down.
        let mut pending = vec![self.clone()];
        let mut known = String::new();
        let mut cur = self.scope();
        while let Some(n) = cur {
            if let Some(p) = n.0.path.get() {
                known = p.clone();
                break;
            }
            cur = n.scope();
            pending.push(n);
        }
        for n in pending.into_iter().rev() {
            known = if known.is_empty() { n.id().to_string() } else { format!("{known}/{}", n.id()) };
            let _ = n.0.path.set(known.clone());
        }
        self.0.path.get().expect("set above")
    }

    /// The path, or `<root>` for the root, for messages.
    pub(crate) fn display_path(&self) -> &str {
        let p = self.path();
        if p.is_empty() {
            "<root>"
        } else {
            p
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
    /// with this construct's path, under the generic code [`codes::VALIDATION`].
    /// Prefer [`add_check`](Self::add_check), whose diagnostics carry their own codes.
    pub fn add_validation(&self, check: impl Fn() -> Vec<String> + 'static) {
        self.add_check(move || {
            let fix = "see the message (the check's author can give it a code and a fix with Node::add_check)";
            check().into_iter().map(|m| Diagnostic::error(codes::VALIDATION, m, fix)).collect()
        });
    }

    /// Adds a check run at synthesis; each diagnostic it returns is reported with
    /// this construct's path (unless it names a path of its own).
    pub fn add_check(&self, check: impl Fn() -> Vec<Diagnostic> + 'static) {
        self.0.validations.borrow_mut().push(Rc::new(check));
    }

    /// Runs this node's checks and returns their diagnostics, located.
    pub fn validate(&self) -> Vec<Diagnostic> {
        let checks: Vec<_> = self.0.validations.borrow().clone();
        checks.iter().flat_map(|c| c()).map(|d| self.locate(d)).collect()
    }

    /// Reports an error at this construct: synthesis fails with it.
    ///
    /// `code` is a stable identifier of the problem (your own prefix for your
    /// constructs), `fix` tells the user what to change.
    pub fn add_error(&self, code: &str, message: impl Into<String>, fix: impl Into<String>) {
        self.report(Diagnostic::error(code, message, fix));
    }

    /// Reports a warning at this construct: printed at synthesis, an error in
    /// strict mode ([`AppProps::strict`](crate::AppProps::strict)).
    pub fn add_warning(&self, code: &str, message: impl Into<String>, fix: impl Into<String>) {
        self.report(Diagnostic::warning(code, message, fix));
    }

    /// Reports a diagnostic at this construct (at its own path, if it has one).
    pub fn report(&self, diagnostic: Diagnostic) {
        let d = self.locate(diagnostic);
        self.0.diagnostics.borrow_mut().push(d);
    }

    /// The diagnostics reported at this construct so far (not its checks').
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        self.0.diagnostics.borrow().clone()
    }

    fn locate(&self, mut d: Diagnostic) -> Diagnostic {
        if d.path.is_empty() {
            d.path = self.display_path().to_string();
        }
        d
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

    /// Whether this construct is on its root's tree: false under a construct that
    /// was created with an id already taken (kept off the tree).
    pub(crate) fn is_attached(&self) -> bool {
        let mut n = self.clone();
        while let Some(p) = n.scope() {
            if !p.try_find_child(n.id()).is_some_and(|c| c.ptr_eq(&n)) {
                return false;
            }
            n = p;
        }
        true
    }
}

impl NodeInner {
    fn new(id: String, parent: Option<Weak<NodeInner>>, kind: Kind) -> Self {
        NodeInner {
            id,
            path: OnceCell::new(),
            parent,
            children: RefCell::default(),
            refused: RefCell::default(),
            kind,
            metadata: RefCell::default(),
            dependencies: RefCell::default(),
            validations: RefCell::default(),
            aspects: RefCell::default(),
            diagnostics: RefCell::default(),
            context: RefCell::default(),
            construct_info: RefCell::default(),
        }
    }
}

/// Drops the children one level at a time: the default drop recurses once per
/// level, and a deep tree would overflow the stack.
impl Drop for NodeInner {
    fn drop(&mut self) {
        let mut pending: Vec<Node> = std::mem::take(self.children.get_mut()).into_values().collect();
        pending.append(self.refused.get_mut());
        while let Some(n) = pending.pop() {
            if let Ok(inner) = Rc::try_unwrap(n.0) {
                pending.extend(std::mem::take(&mut *inner.children.borrow_mut()).into_values());
                pending.append(&mut inner.refused.borrow_mut());
            }
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
