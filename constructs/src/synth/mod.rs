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
use crate::codes;
use crate::error::{Diagnostic, Severity, SynthError};
use crate::node::Node;

/// A top-level stack that must deploy after another, and why (for messages).
pub(crate) struct StackDependency {
    pub(crate) dependent: StackId,
    pub(crate) dependency: StackId,
    pub(crate) reason: String,
}

/// How synthesis runs.
pub(crate) struct Options {
    pub(crate) path_metadata: bool,
    /// Warnings fail synthesis.
    pub(crate) strict: bool,
}

/// The deepest construct tree synthesis takes. Real trees are a few dozen levels
/// deep; the limit keeps the nesting of `tree.json` (and of the JSON libraries
/// that write and drop it) far from the stack's size.
pub const MAX_TREE_DEPTH: usize = 1_000;

pub(crate) fn synthesize(root: &Node, options: &Options) -> Result<CloudAssembly, SynthError> {
    check_depth(root)?;
    invoke_aspects(root);
    if let Some(loop_error) = root.diagnostics().into_iter().find(|d| d.code == codes::ASPECT_LOOP) {
        return Err(SynthError { problems: vec![loop_error] });
    }
    check_depth(root)?;
    let mut problems = Vec::new();
    let mut stacks = Stacks::index(root, &mut problems);
    let mut tree = Vec::new();
    collect_tree_problems(root, &mut tree);
    let reported: Vec<String> = tree.iter().filter(|d| d.is_error()).map(|d| d.path.clone()).collect();
    problems.extend(tree);
    let mut refs = references::prepare(&mut stacks, &mut problems);
    let deps = dependencies::compute(root, &stacks);
    let extra = crate::app::template_checks(root);
    let mut extra_problems = Vec::new();
    let artifacts = render::render_all(
        &stacks,
        &mut refs,
        &deps,
        options.path_metadata,
        &extra,
        &mut problems,
        &mut extra_problems,
    );
    // Imports first, then declared dependencies: the order messages list them in.
    let stack_deps: Vec<StackDependency> = refs.stack_deps.into_iter().chain(deps.stack_deps).collect();
    problems.extend(checks::stack_dependency_cycles(&stacks, &stack_deps));
    problems.extend(checks::assembly_checks(&stacks, &artifacts));
    // What a construct's own checks reported (an L3 refusing its props) is not
    // reported again by the template checks of the resources below it.
    let covered = |path: &str| {
        reported
            .iter()
            .any(|r| r != "<root>" && (path == r || path.strip_prefix(r.as_str()).is_some_and(|t| t.starts_with('/'))))
    };
    // In table order, as the stacks are listed.
    extra_problems.sort_by_key(|(si, _)| *si);
    for (_, found) in extra_problems {
        problems.extend(found.into_iter().filter(|d| !covered(&d.path)));
    }
    let (errors, warnings) = split(problems, options.strict);
    if !errors.is_empty() {
        return Err(SynthError { problems: errors });
    }
    let mut assembly = build_assembly(root, &stacks, &stack_deps, artifacts);
    assembly.warnings = warnings;
    Ok(assembly)
}

/// Fails when the tree is deeper than [`MAX_TREE_DEPTH`], before any step walks it.
fn check_depth(root: &Node) -> Result<(), SynthError> {
    let mut deepest: Option<Node> = None;
    let mut max = 0;
    let mut stack = vec![(root.clone(), 0usize)];
    while let Some((n, depth)) = stack.pop() {
        if depth > MAX_TREE_DEPTH && deepest.is_none() {
            deepest = n.scope();
        }
        max = max.max(depth);
        stack.extend(n.children().into_iter().map(|c| (c, depth + 1)));
    }
    match deepest {
        None => Ok(()),
        Some(at) => Err(SynthError {
            problems: vec![Diagnostic::error(
                codes::TREE_TOO_DEEP,
                format!("the construct tree is {max} levels deep, over the {MAX_TREE_DEPTH} levels synthesis takes"),
                "nest constructs less deeply: group them side by side in one scope instead of each inside the last",
            )
            .at(at.display_path())],
        }),
    }
}

/// The diagnostics recorded on constructs and those of their checks.
fn collect_tree_problems(root: &Node, problems: &mut Vec<Diagnostic>) {
    for n in root.find_all() {
        problems.extend(n.diagnostics());
        problems.extend(n.validate());
    }
}

/// Errors and warnings (warnings are errors in strict mode), each without the
/// diagnostics that only follow from an earlier one.
fn split(problems: Vec<Diagnostic>, strict: bool) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    for mut d in suppress_cascades(problems) {
        if d.severity == Severity::Warning && strict {
            d.severity = Severity::Error;
            d.message.push_str(" (a warning, an error in strict mode)");
        }
        match d.severity {
            Severity::Error => errors.push(d),
            Severity::Warning => warnings.push(d),
        }
    }
    (errors, warnings)
}

/// Leaves out what an earlier structural error explains: under a construct whose
/// id, scope or placement is wrong, the rest of what goes wrong is its cascade.
fn suppress_cascades(problems: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let causes: Vec<String> = problems
        .iter()
        .filter(|d| d.is_error() && codes::CAUSES.contains(&d.code.as_str()))
        .map(|d| d.path.clone())
        .collect();
    // Below a cause: its path, then `/`, or a nested stack's resource holder
    // (`<id>.NestedStack/...`, made before the nested stack itself).
    let below = |path: &str, cause: &str| {
        cause != "<root>"
            && path.strip_prefix(cause).is_some_and(|rest| {
                rest.starts_with('/') || rest == ".NestedStack" || rest.starts_with(".NestedStack/")
            })
    };
    // A construct made twice because an L3 was given something twice: the L3
    // reports it at the scope (with a code of its own), the duplicate id follows.
    let l3_errors: Vec<String> = problems
        .iter()
        .filter(|d| d.is_error() && !d.code.starts_with("CX") && !d.code.starts_with("CF"))
        .map(|d| d.path.clone())
        .collect();
    // An empty or invalid id is reported at its scope, where the L3 reports
    // the setting it came from.
    let reported_by_l3 = |d: &Diagnostic| {
        let scope = match d.code.as_str() {
            codes::DUPLICATE_ID => d.path.rsplit_once('/').map(|(scope, _)| scope),
            codes::EMPTY_ID | codes::SLASH_IN_ID => Some(d.path.as_str()),
            _ => None,
        };
        scope.is_some_and(|scope| l3_errors.iter().any(|p| p == scope))
    };
    let explained = |d: &Diagnostic| reported_by_l3(d) || causes.iter().any(|c| below(&d.path, c));
    let mut seen = std::collections::HashSet::new();
    problems
        .into_iter()
        .filter(|d| !explained(d) && seen.insert((d.code.clone(), d.path.clone(), d.message.clone())))
        .collect()
}
