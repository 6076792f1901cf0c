//! Aspects: visitors applied to every construct below a scope before synthesis
//! (tags, removal policies, checks).

use std::rc::Rc;

use crate::node::{IConstruct, Node, NodeKey};
use crate::ptr_hash::PtrSet;
use crate::synth::MAX_TREE_DEPTH;

/// A visitor run on each construct below the scope it was added to.
///
/// ```
/// use constructs::{App, Aspect, Aspects, CfnResource, Node, RemovalPolicy, Stack};
/// use std::rc::Rc;
/// struct RetainAll;
/// impl Aspect for RetainAll {
///     fn visit(&self, node: &Node) {
///         if let Some(r) = CfnResource::of(node) {
///             r.apply_removal_policy(RemovalPolicy::Retain);
///         }
///     }
/// }
/// let app = App::new();
/// let stack = Stack::new(&app, "S");
/// CfnResource::new(&stack, "Queue", "AWS::SQS::Queue");
/// Aspects::of(&app).add(Rc::new(RetainAll));
/// let out = app.synth_in_memory().unwrap();
/// assert_eq!(out.template("S").unwrap()["Resources"]["Queue"]["DeletionPolicy"], "Retain");
/// ```
pub trait Aspect {
    /// Called once for each construct below (and including) the scope.
    fn visit(&self, node: &Node);
}

impl<F: Fn(&Node)> Aspect for F {
    fn visit(&self, node: &Node) {
        self(node)
    }
}

/// The aspects of one scope.
pub struct Aspects {
    scope: Node,
}

impl Aspects {
    /// The aspects applied to `scope` and everything below it.
    pub fn of(scope: &impl IConstruct) -> Aspects {
        Aspects { scope: scope.node().clone() }
    }

    /// Adds an aspect.
    pub fn add(&self, aspect: Rc<dyn Aspect>) {
        self.scope.0.aspects.borrow_mut().push(aspect);
    }

    /// The aspects added directly to this scope.
    pub fn all(&self) -> Vec<Rc<dyn Aspect>> {
        self.scope.0.aspects.borrow().clone()
    }
}

/// Applies every aspect to every construct below the scope it was added to, until
/// nothing new appears (an aspect may add constructs or aspects).
pub(crate) fn invoke_aspects(root: &Node) {
    let mut done: PtrSet<(*const (), NodeKey)> = PtrSet::default();
    // Bounded so that an aspect that keeps adding constructs cannot loop forever.
    for _ in 0..100 {
        let mut applied = false;
        if !visit(root, &[], &mut done, &mut applied) {
            root.add_error(
                crate::codes::ASPECT_LOOP,
                format!("aspects kept adding constructs, each below the last, past {MAX_TREE_DEPTH} levels"),
                "an aspect must not add a construct on every visit: check whether its construct exists first",
            );
            return;
        }
        if !applied {
            return;
        }
    }
    root.add_error(
        crate::codes::ASPECT_LOOP,
        "aspects kept adding constructs after 100 passes",
        "an aspect must not add a construct on every visit: check whether its construct exists first",
    );
}

/// The aspects a construct gets from its scopes.
type Inherited = Rc<[Rc<dyn Aspect>]>;

/// One pass; false when it stopped at constructs deeper than the tree may be
/// (an aspect that adds a child to what it visits would never end a pass).
fn visit(
    root: &Node,
    inherited: &[Rc<dyn Aspect>],
    done: &mut PtrSet<(*const (), NodeKey)>,
    applied: &mut bool,
) -> bool {
    // Depth first, parents before children, without recursion; each construct
    // gets the aspects of its scopes and its own.
    let mut pending: Vec<(Node, Inherited, usize)> = vec![(root.clone(), inherited.into(), 0)];
    let mut complete = true;
    while let Some((node, inherited, depth)) = pending.pop() {
        if depth > MAX_TREE_DEPTH {
            complete = false;
            continue;
        }
        // Most constructs add no aspects of their own: pass the inherited list on as is.
        let own = node.0.aspects.borrow();
        let all: Inherited =
            if own.is_empty() { inherited } else { inherited.iter().chain(own.iter()).cloned().collect() };
        drop(own);
        for aspect in all.iter() {
            // An aspect is known by its allocation, a construct by its identity.
            let key = (Rc::as_ptr(aspect) as *const (), node.key());
            if done.insert(key) {
                aspect.visit(&node);
                *applied = true;
            }
        }
        pending.extend(node.children().into_iter().rev().map(|c| (c, all.clone(), depth + 1)));
    }
    complete
}
