//! Synthesis: from a construct tree to a cloud assembly, in steps that each live
//! in their own file (as aws-cdk-lib's `prepare-app`, `refs` and `deps` do):
//!
//! 1. aspects visit the tree (`aspect.rs`);
//! 2. the stacks table is built: every stack, element and asset, by id
//!    ([`stacks`]); the tree's own errors and validations are collected;
//! 3. references across stacks become parameters, outputs and exports
//!    ([`references`]);
//! 4. declared dependencies become `DependsOn` or an order between stacks
//!    ([`dependencies`]);
//! 5. templates are rendered and checked ([`render`], `checks.rs`), then the
//!    order between top-level stacks is checked for cycles;
//! 6. the assembly is laid out (`assembly.rs`).
//!
//! Every problem of every step is collected and reported together, each with
//! the path of the construct that caused it; nothing panics on user input.

mod dependencies;
mod references;
mod render;
mod stacks;

pub(crate) use references::CrossRef;
pub(crate) use stacks::{StackId, Stacks};

use crate::aspect::invoke_aspects;
use crate::assembly::{build_assembly, CloudAssembly};
use crate::checks;
use crate::error::{Problem, SynthError};
use crate::node::Node;

/// A top-level stack that must deploy after another, and why (for messages).
pub(crate) struct StackDependency {
    pub(crate) dependent: StackId,
    pub(crate) dependency: StackId,
    pub(crate) reason: String,
}

pub(crate) fn synthesize(root: &Node, path_metadata: bool) -> Result<CloudAssembly, SynthError> {
    invoke_aspects(root);
    let mut problems = Vec::new();
    let mut stacks = Stacks::index(root, &mut problems);
    collect_tree_problems(root, &mut problems);
    let mut refs = references::prepare(&mut stacks, &mut problems);
    let deps = dependencies::compute(root, &stacks);
    let artifacts = render::render_all(&stacks, &mut refs, &deps, path_metadata, &mut problems);
    // Imports first, then declared dependencies: the order messages list them in.
    let stack_deps: Vec<StackDependency> = refs.stack_deps.into_iter().chain(deps.stack_deps).collect();
    problems.extend(checks::stack_dependency_cycles(&stacks, &stack_deps));
    if !problems.is_empty() {
        return Err(SynthError { problems });
    }
    Ok(build_assembly(root, &stacks, &stack_deps, artifacts))
}

/// The errors recorded on constructs and the messages of their validations.
fn collect_tree_problems(root: &Node, problems: &mut Vec<Problem>) {
    for n in root.find_all() {
        for message in n.errors() {
            problems.push(Problem { path: n.display_path().to_string(), message });
        }
        for message in n.validate() {
            problems.push(Problem { path: n.display_path().to_string(), message });
        }
    }
}
