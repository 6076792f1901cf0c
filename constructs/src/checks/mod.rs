//! Checks on rendered templates: logical IDs (pattern and clashes), CloudFormation's
//! limits, and reference cycles, within a template and between stacks.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::Value as Json;

use crate::codes;
use crate::element::Body;
use crate::error::{Diagnostic, Problem};
use crate::names::is_valid_logical_id;
use crate::node::IConstruct;
use crate::synth::{CrossRef, StackDependency, StackId, Stacks};

mod assembly;
mod refs;

/// A check of rendered templates that the construct layer does not know how to
/// make itself: `cfn-types` adds one that checks resource properties against
/// the CloudFormation registry schemas. Added with [`add_template_check`].
pub trait TemplateCheck {
    /// Identifies the check: an app runs each name once.
    fn name(&self) -> &'static str;
    /// Starts the check of one template. Synthesis then gives the returned
    /// [`TemplateChecking`] each resource of the template, in order, from the walk
    /// the construct layer makes over the template anyway (so the check reads a
    /// resource while it is still in the cache), and takes its problems at the end.
    fn begin<'t>(&self, template: &'t Json) -> Box<dyn TemplateChecking<'t> + 't>;
    /// Checks an attribute `Fn::GetAtt` reads of resource `target` of type
    /// `resource_type` (called from the walk the construct layer makes anyway).
    fn attribute(&self, target: &str, resource_type: &str, attribute: &str) -> Option<Diagnostic> {
        let _ = (target, resource_type, attribute);
        None
    }
}

/// The check of one template under way (see [`TemplateCheck::begin`]).
pub trait TemplateChecking<'t> {
    /// Checks resource `logical_id` of the template.
    fn resource(&mut self, logical_id: &'t str, resource: &'t Json);
    /// The problems found, each with the logical ID of the element it is about
    /// (the diagnostic's path is filled in from it).
    fn finish(self: Box<Self>) -> Vec<(String, Diagnostic)>;
}

/// Runs `check` on every template of the app `scope` belongs to, at synthesis.
pub fn add_template_check(scope: &impl IConstruct, check: std::rc::Rc<dyn TemplateCheck>) {
    crate::app::add_template_check(scope.node(), check);
}

pub(crate) use assembly::assembly_checks;
pub use assembly::{MAX_EXPORT_NAME, MAX_FILE_NAME_BYTES};
pub use refs::is_valid_parameter_type;

/// The name checks synthesis makes on each rendered template (every `Ref`,
/// `Fn::GetAtt`, `Fn::Sub` variable, `DependsOn` and condition names something
/// declared; no resource refers to itself; parameter types are known), by
/// logical ID. Public for tools and benchmarks that check templates themselves.
pub fn check_template_names(template: &Json) -> Vec<(String, Diagnostic)> {
    check_template_with(template, &[])
}

/// The name checks of [`check_template_names`] and the checks `extra`, in one
/// walk over the template, as synthesis runs them; problems by logical ID (the
/// name checks' first). Public for tools and benchmarks.
pub fn check_template_with(template: &Json, extra: &[std::rc::Rc<dyn TemplateCheck>]) -> Vec<(String, Diagnostic)> {
    let (found, _, mut more) = walk(template, extra);
    let mut out: Vec<(String, Diagnostic)> = found.into_iter().map(|f| (f.logical_id, f.diagnostic)).collect();
    out.append(&mut more);
    out
}

/// The one walk over a template: the name checks, whether the references
/// between its resources make a cycle, and the problems `extra` finds (each
/// given every resource right after the name checks read it).
fn walk<'t>(
    template: &'t Json,
    extra: &[std::rc::Rc<dyn TemplateCheck>],
) -> (Vec<refs::Found>, bool, Vec<(String, Diagnostic)>) {
    thread_local! {
        static SCRATCH: std::cell::Cell<(refs::Scratch, Tarjan)> = Default::default();
    }
    let attribute = |target: &str, ty: &str, attr: &str| extra.iter().find_map(|c| c.attribute(target, ty, attr));
    let mut running: Vec<Box<dyn TemplateChecking<'t> + 't>> = extra.iter().map(|c| c.begin(template)).collect();
    // Taken, not borrowed: a check that checks a template itself gets its own.
    let (mut scratch, mut tarjan) = SCRATCH.take();
    let found = refs::check_names(
        template,
        &attribute,
        &mut |lid, r| {
            for c in running.iter_mut() {
                c.resource(lid, r);
            }
        },
        &mut scratch,
    );
    let cycle = !components(scratch.len(), |v| scratch.successors(v), &mut tarjan).is_empty();
    SCRATCH.set((scratch, tarjan));
    let more = running.into_iter().flat_map(|c| c.finish()).collect();
    (found, cycle, more)
}

/// CloudFormation quotas per template.
pub const MAX_RESOURCES: usize = 500;
/// Outputs per template.
pub const MAX_OUTPUTS: usize = 200;
/// Parameters per template.
pub const MAX_PARAMETERS: usize = 200;
/// Mappings per template.
pub const MAX_MAPPINGS: usize = 200;
/// Template body size when the template is read from S3, in bytes.
pub const MAX_TEMPLATE_BYTES: usize = 1_000_000;

/// Checks one rendered template: its logical IDs, CloudFormation's limits and
/// reference cycles between its resources; and runs the checks `extra` on it
/// in the same walk (their problems are the second list).
pub(crate) fn check_template(
    stacks: &Stacks,
    cross: &[CrossRef],
    si: StackId,
    template: &Json,
    size: usize,
    extra: &[std::rc::Rc<dyn TemplateCheck>],
) -> (Vec<Problem>, Vec<Problem>) {
    let stack = &stacks[si];
    let stack_path = stack.stack.node().path().to_string();
    let mut problems = Vec::new();
    // Logical IDs: valid, and unique within their namespace (resources and
    // parameters share one, since `Ref` can name either).
    let data = &stack.stack.data;
    let mut seen: HashMap<(&str, &str), &str> = HashMap::with_capacity(stack.elements.len() + 2);
    if data.nested.is_none() && data.bootstrap_version_rule.get() {
        seen.insert(("ref", "BootstrapVersion"), "the CDK bootstrap version parameter");
        seen.insert(("Rules", "CheckBootstrapVersion"), "the CDK bootstrap version rule");
    }
    for e in stacks.elements_of(si) {
        let lid = &e.logical_id;
        if !is_valid_logical_id(lid) {
            problems.push(
                Diagnostic::error(
                    codes::INVALID_LOGICAL_ID,
                    format!("logical ID '{lid}' is invalid"),
                    "use 1 to 255 ASCII letters and digits (change the construct id or the overridden logical ID)",
                )
                .at(e.node.path()),
            );
        }
        let ns = match e.body() {
            Body::Resource(_) | Body::Parameter(_) => "ref",
            body => body.section(),
        };
        if let Some(first) = seen.insert((ns, lid), e.node.path()) {
            problems.push(
                Diagnostic::error(
                    codes::DUPLICATE_LOGICAL_ID,
                    format!("logical ID '{lid}' is already used by '{first}' in stack '{stack_path}'"),
                    "change one of the construct ids or override a logical ID",
                )
                .at(e.node.path()),
            );
        }
    }
    let count = |section: &str| template.get(section).and_then(Json::as_object).map_or(0, |m| m.len());
    let fix = data.quota_fix.borrow().clone();
    for (section, max) in [
        ("Resources", MAX_RESOURCES),
        ("Outputs", MAX_OUTPUTS),
        ("Parameters", MAX_PARAMETERS),
        ("Mappings", MAX_MAPPINGS),
    ] {
        let n = count(section);
        if n > max {
            problems.push(
                Diagnostic::error(
                    codes::TEMPLATE_QUOTA,
                    format!("the template has {n} {}, over CloudFormation's limit of {max}", section.to_lowercase()),
                    fix.clone().unwrap_or_else(|| "move some into a NestedStack".into()),
                )
                .at(&stack_path),
            );
        }
    }
    if size > MAX_TEMPLATE_BYTES {
        problems.push(
            Diagnostic::error(
                codes::TEMPLATE_SIZE,
                format!("the template is {size} bytes, over CloudFormation's limit of {MAX_TEMPLATE_BYTES}"),
                fix.unwrap_or_else(|| "move resources into a NestedStack".into()),
            )
            .at(&stack_path),
        );
    }
    let (found, cycle, more) = walk(template, extra);
    let path_of = |lid: &str| stacks.path_of_logical_id(si, lid).unwrap_or_else(|| stack_path.clone());
    for found in found {
        problems.push(found.diagnostic.at(path_of(&found.logical_id)));
    }
    // (A template with a transform skips the name checks and their graph.)
    if template.get("Transform").is_some() || cycle {
        problems.extend(resource_cycles(stacks, cross, si, template));
    }
    (problems, more.into_iter().map(|(lid, d)| d.at(path_of(&lid))).collect())
}

/// The resources each resource of a template refers to (Ref, GetAtt, Sub, DependsOn).
fn resource_graph(template: &Json) -> BTreeMap<String, BTreeSet<String>> {
    let resources = template.get("Resources").and_then(Json::as_object);
    let names: BTreeSet<&String> = resources.map(|r| r.keys().collect()).unwrap_or_default();
    let mut graph = BTreeMap::new();
    for (lid, body) in resources.into_iter().flatten() {
        let mut deps = BTreeSet::new();
        collect_refs(body, &mut |name| {
            if names.contains(&name.to_string()) && name != lid {
                deps.insert(name.to_string());
            }
        });
        if let Some(d) = body.get("DependsOn") {
            for name in d.as_array().cloned().unwrap_or_else(|| vec![d.clone()]) {
                if let Some(n) = name.as_str() {
                    deps.insert(n.to_string());
                }
            }
        }
        graph.insert(lid.clone(), deps);
    }
    graph
}

fn collect_refs(v: &Json, f: &mut dyn FnMut(&str)) {
    match v {
        Json::Array(a) => a.iter().for_each(|x| collect_refs(x, f)),
        Json::Object(o) => {
            if o.len() == 1 {
                if let Some(Json::String(name)) = o.get("Ref") {
                    f(name);
                    return;
                }
                if let Some(args) = o.get("Fn::GetAtt") {
                    match args {
                        Json::Array(a) => {
                            if let Some(n) = a.first().and_then(Json::as_str) {
                                f(n);
                            }
                        }
                        Json::String(s) => f(s.split('.').next().unwrap_or(s)),
                        _ => {}
                    }
                    return;
                }
                if let Some(sub) = o.get("Fn::Sub") {
                    let (text, vars) = match sub {
                        Json::String(s) => (s.as_str(), None),
                        Json::Array(a) => (a.first().and_then(Json::as_str).unwrap_or(""), a.get(1)),
                        _ => ("", None),
                    };
                    for name in sub_variables(text) {
                        if vars.and_then(|v| v.get(name)).is_none() {
                            f(name.split('.').next().unwrap_or(name));
                        }
                    }
                    if let Some(v) = vars {
                        collect_refs(v, f);
                    }
                    return;
                }
            }
            o.values().for_each(|x| collect_refs(x, f));
        }
        _ => {}
    }
}

/// The `${Name}` variables of an `Fn::Sub` string (not `${!Literal}`).
fn sub_variables(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || loop {
        let start = rest.find("${")?;
        let after = &rest[start + 2..];
        let end = after.find('}')?;
        let name = &after[..end];
        rest = &after[end + 1..];
        if !name.starts_with('!') {
            return Some(name);
        }
    })
}

/// Strongly connected components with more than one member, each sorted.
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    let keys: Vec<&String> = graph.keys().collect();
    let index_of: HashMap<&String, usize> = keys.iter().enumerate().map(|(i, k)| (*k, i)).collect();
    let succ: Vec<Vec<usize>> =
        keys.iter().map(|k| graph[*k].iter().filter_map(|d| index_of.get(d).copied()).collect()).collect();
    components(succ.len(), |v| &succ[v], &mut Tarjan::default())
        .into_iter()
        .map(|c| {
            let mut comp: Vec<String> = c.into_iter().map(|i| keys[i].clone()).collect();
            comp.sort();
            comp
        })
        .collect()
}

/// The work lists of Tarjan's algorithm, kept from one graph to the next.
#[derive(Default)]
struct Tarjan {
    index: Vec<usize>,
    low: Vec<usize>,
    on: Vec<bool>,
    stack: Vec<usize>,
    work: Vec<(usize, usize)>,
}

/// Strongly connected components with more than one member of a graph given as
/// successor lists (Tarjan, iterative).
fn components<'a>(n: usize, succ: impl Fn(usize) -> &'a [usize], t: &mut Tarjan) -> Vec<Vec<usize>> {
    let Tarjan { index, low, on, stack, work } = t;
    index.clear();
    index.resize(n, usize::MAX);
    low.clear();
    low.resize(n, 0);
    on.clear();
    on.resize(n, false);
    stack.clear();
    // One work list for every root: almost every resource is a root of its own.
    work.clear();
    let (mut next, mut out) = (0usize, Vec::new());
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        work.push((root, 0));
        while let Some(&mut (v, ref mut i)) = work.last_mut() {
            if *i == 0 {
                index[v] = next;
                low[v] = next;
                next += 1;
                stack.push(v);
                on[v] = true;
            }
            let successors = succ(v);
            if *i < successors.len() {
                let w = successors[*i];
                *i += 1;
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                // A component of one resource (almost all) is no cycle: no list for it.
                if stack.last() == Some(&v) {
                    stack.pop();
                    on[v] = false;
                    continue;
                }
                let mut comp = Vec::new();
                while let Some(w) = stack.pop() {
                    on[w] = false;
                    comp.push(w);
                    if w == v {
                        break;
                    }
                }
                out.push(comp);
            }
        }
    }
    out
}

/// Orders the members of a cycle along its edges, starting from the first.
fn cycle_path(graph: &BTreeMap<String, BTreeSet<String>>, members: &[String]) -> Vec<String> {
    let start = &members[0];
    let mut prev: HashMap<&String, &String> = HashMap::new();
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(cur) = queue.pop_front() {
        for next in &graph[cur] {
            if !members.contains(next) {
                continue;
            }
            if next == start {
                let mut path = vec![cur.clone()];
                let mut at = cur;
                while at != start {
                    at = prev[at];
                    path.push(at.clone());
                }
                path.reverse();
                return path;
            }
            if !prev.contains_key(next) {
                prev.insert(next, cur);
                queue.push_back(next);
            }
        }
    }
    members.to_vec()
}

/// The cycles of a template known to have one, named and explained.
fn resource_cycles(stacks: &Stacks, cross: &[CrossRef], si: StackId, template: &Json) -> Vec<Problem> {
    let graph = resource_graph(template);
    let stack_path = stacks[si].stack.node().path().to_string();
    cycles(&graph)
        .into_iter()
        .map(|members| {
            let path = cycle_path(&graph, &members);
            let describe = |lid: &String| stacks.path_of_logical_id(si, lid).unwrap_or_else(|| lid.clone());
            let mut chain: Vec<String> = path.iter().map(describe).collect();
            chain.push(describe(&path[0]));
            let mut message = format!(
                "reference cycle between resources of stack '{stack_path}' (CloudFormation would reject it as a circular dependency): {}",
                chain.join(" -> ")
            );
            let reasons = cross_reasons(cross, &chain);
            if !reasons.is_empty() {
                message.push_str("; caused by these references: ");
                message.push_str(&reasons.join("; "));
            }
            Diagnostic::error(
                codes::RESOURCE_CYCLE,
                message,
                "remove one of the references or dependencies of the cycle",
            )
            .at(&stack_path)
        })
        .collect()
}

/// The cross-stack references behind the edges of a cycle of nested stack
/// resources (an edge A -> B exists because something in A uses something in B).
fn cross_reasons(cross: &[CrossRef], chain: &[String]) -> Vec<String> {
    let scope_of = |path: &String| -> String {
        // A nested stack resource lives at `<scope>/<id>.NestedStack/<id>.NestedStackResource`;
        // the nested stack itself is `<scope>/<id>`.
        match path.rsplit_once(".NestedStack/") {
            Some((prefix, _)) => prefix.to_string(),
            None => path.clone(),
        }
    };
    let mut out = Vec::new();
    for pair in chain.windows(2) {
        let (from, to) = (scope_of(&pair[0]), scope_of(&pair[1]));
        for r in cross {
            let under = |p: &str, root: &str| p == root || p.starts_with(&format!("{root}/"));
            if under(&r.consumer, &from) && under(&r.target, &to) {
                let attr = r.attr.as_deref().map(|a| format!(".{a}")).unwrap_or_default();
                let line = format!("{} uses {}{attr}", r.consumer, r.target);
                if !out.contains(&line) {
                    out.push(line);
                }
            }
        }
    }
    out
}

/// Top-level stacks that depend on each other in a circle cannot be deployed.
pub(crate) fn stack_dependency_cycles(stacks: &Stacks, deps: &[StackDependency]) -> Vec<Problem> {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut reasons: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for (si, st) in stacks.entries() {
        if stacks.parent(si).is_none() {
            graph.entry(st.stack.node().path().to_string()).or_default();
        }
    }
    for d in deps {
        let path = |s: StackId| stacks[s].stack.node().path().to_string();
        let (pa, pb) = (path(d.dependent), path(d.dependency));
        graph.entry(pa.clone()).or_default().insert(pb.clone());
        reasons.entry((pa, pb)).or_default().push(d.reason.clone());
    }
    let mut problems = Vec::new();
    for members in cycles(&graph) {
        let path = cycle_path(&graph, &members);
        let mut chain = path.clone();
        chain.push(path[0].clone());
        let why: Vec<String> = chain
            .windows(2)
            .flat_map(|w| reasons.get(&(w[0].clone(), w[1].clone())).cloned().unwrap_or_default())
            .collect();
        problems.push(
            Diagnostic::error(
                codes::STACK_CYCLE,
                format!(
                    "stacks depend on each other in a cycle: {}; caused by: {}",
                    chain.join(" -> "),
                    why.join("; ")
                ),
                "remove one of the references or dependencies, or put the constructs in one stack",
            )
            .at(&path[0]),
        );
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sub_variables_skip_literals() {
        assert_eq!(sub_variables("${A}-${!B}-${C.Arn}").collect::<Vec<_>>(), vec!["A", "C.Arn"]);
    }

    #[test]
    fn finds_a_cycle_and_orders_it() {
        let t = serde_json::json!({"Resources": {
            "A": {"Type": "X", "Properties": {"P": {"Ref": "B"}}},
            "B": {"Type": "X", "Properties": {"P": {"Fn::Sub": "${C.Arn}"}}},
            "C": {"Type": "X", "DependsOn": ["A"]},
            "D": {"Type": "X", "Properties": {"P": {"Ref": "A"}}}
        }});
        let g = resource_graph(&t);
        let c = cycles(&g);
        assert_eq!(c, vec![vec!["A".to_string(), "B".into(), "C".into()]]);
        assert_eq!(cycle_path(&g, &c[0]), vec!["A", "B", "C"]);
    }
}
