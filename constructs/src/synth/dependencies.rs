//! Deployment order (aws-cdk-lib's `deps.ts`): `Node::add_dependency` between
//! constructs and `CfnResource::add_depends_on` become `DependsOn` between
//! resources of the stack that holds both (a nested stack is represented in its
//! parent by its resource), or an order between top-level stacks.

use std::collections::HashSet;

use super::stacks::{ElementId, StackId, Stacks};
use super::StackDependency;
use crate::node::Node;
use crate::ptr_hash::PtrMap;
use crate::resource::CfnResource;

/// What must deploy before what.
#[derive(Default)]
pub(crate) struct Dependencies {
    /// Resource -> resources of the same stack it waits for (`DependsOn`).
    pub(crate) depends_on: PtrMap<ElementId, Vec<ElementId>>,
    /// Top-level stacks that deploy after others.
    pub(crate) stack_deps: Vec<StackDependency>,
}

/// What stands for a construct in the dependency graph.
#[derive(Clone, Copy)]
enum Rep {
    Resource(ElementId),
    TopStack(StackId),
}

/// Lifts every dependency declared in the tree to the level where CloudFormation
/// can honour it.
pub(crate) fn compute(root: &Node, stacks: &Stacks) -> Dependencies {
    let mut pairs: Vec<(Node, Node)> = Vec::new();
    for n in root.find_all() {
        for d in n.dependencies() {
            pairs.push((n.clone(), d));
        }
        if let Some(r) = CfnResource::from_node(&n) {
            for d in r.data().depends_on.clone() {
                pairs.push((n.clone(), d));
            }
        }
    }
    let mut deps = Dependencies::default();
    let mut seen = HashSet::new();
    for (src, dst) in pairs {
        let reason = format!("{} depends on {}", src.display_path(), dst.display_path());
        for a in representatives(stacks, &src) {
            for b in representatives(stacks, &dst) {
                lift(stacks, &mut deps, a, b, &reason, &mut seen);
            }
        }
    }
    deps
}

/// A stack stands for itself (a nested one by its resource); any other construct
/// for every resource below it, not looking into stacks below.
fn representatives(stacks: &Stacks, node: &Node) -> Vec<Rep> {
    if let Some(si) = stacks.as_stack(node) {
        let entry = &stacks[si];
        return match (&entry.nested, entry.stack.is_nested()) {
            (Some(n), _) => vec![Rep::Resource(n.resource)],
            (None, false) => vec![Rep::TopStack(si)],
            // A nested stack outside every stack: reported by the tree's checks.
            (None, true) => Vec::new(),
        };
    }
    let mut out = Vec::new();
    let mut pending = vec![node.clone()];
    while let Some(n) = pending.pop() {
        if n.is_stack() {
            continue;
        }
        if let Some(e) = stacks.element_of(&n).filter(|e| stacks[*e].is_resource()) {
            out.push(Rep::Resource(e));
        }
        pending.extend(n.children());
    }
    out
}

fn lift(
    stacks: &Stacks,
    deps: &mut Dependencies,
    a: Rep,
    b: Rep,
    reason: &str,
    seen: &mut HashSet<(ElementId, ElementId)>,
) {
    let stack_of = |r: Rep| match r {
        Rep::TopStack(s) => s,
        Rep::Resource(e) => stacks[e].stack,
    };
    let (sa, sb) = (stack_of(a), stack_of(b));
    let (ca, cb) = (stacks.ancestors(sa), stacks.ancestors(sb));
    let common = ca.iter().find(|x| cb.contains(x)).copied();
    let (Rep::Resource(ra), Rep::Resource(rb), Some(common)) = (a, b, common) else {
        let (ta, tb) = (stacks[sa].top, stacks[sb].top);
        if ta != tb {
            deps.stack_deps.push(StackDependency { dependent: ta, dependency: tb, reason: reason.to_string() });
        }
        return;
    };
    let (Some(la), Some(lb)) = (stacks.representative_in(ra, common), stacks.representative_in(rb, common)) else {
        return;
    };
    if la == lb || !seen.insert((la, lb)) {
        return;
    }
    deps.depends_on.entry(la).or_default().push(lb);
}
