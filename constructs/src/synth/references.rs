//! Cross-stack references (aws-cdk-lib's `refs.ts`): every token that points at
//! a construct of another stack becomes, in the stack that uses it, a value that
//! CloudFormation can resolve there:
//!
//! - from a nested stack to its ancestors: a parameter of the nested stack, fed
//!   by its parent (recursively);
//! - from a nested stack's value: an output of the nested stack, read by its
//!   parent with `Fn::GetAtt <resource>.Outputs.<name>`;
//! - between top-level stacks: an export of the producer and `Fn::ImportValue`
//!   in the consumer, which then deploys after the producer.
//!
//! The parameters, outputs and exports are constructs added to the tree with the
//! CDK's ids, so they get the CDK's logical IDs and export names.

use indexmap::IndexMap;
use serde_json::json;

use super::stacks::{ElementId, StackId, Stacks};
use super::StackDependency;
use crate::codes;
use crate::element::{logical_id, Body};
use crate::error::Diagnostic;
use crate::fns;
use crate::names::{make_unique_id, node_unique_id};
use crate::node::{Construct, IConstruct, Node, NodeKey, Target};
use crate::output::{CfnOutput, CfnOutputProps};
use crate::parameter::{CfnParameter, CfnParameterProps};
use crate::ptr_hash::PtrMap;
use crate::resource::ResourceData;
use crate::value::{Intrinsic, Value};

/// A reference from an element of one stack to a construct of another, kept to
/// explain a cycle when there is one.
pub(crate) struct CrossRef {
    pub(crate) consumer: String,
    pub(crate) target: String,
    pub(crate) attr: Option<String>,
}

/// What the reference step found and decided.
#[derive(Default)]
pub(crate) struct References {
    /// The value that stands, in a stack, for `Ref` (no attribute) or an
    /// attribute of a construct of another stack.
    local: PtrMap<(StackId, NodeKey, Option<String>), Value>,
    /// Every cross-stack reference, in the order found.
    pub(crate) cross: Vec<CrossRef>,
    /// Top-level stacks that must deploy after the stacks they import from.
    pub(crate) stack_deps: Vec<StackDependency>,
    /// Resource properties rendered while looking for references, kept for the
    /// template so that each is rendered once.
    pub(crate) rendered_properties: PtrMap<ElementId, IndexMap<String, Value>>,
}

impl References {
    /// The value to render in `stack` for a reference to `target` of another stack.
    pub(crate) fn local_value(&self, stack: StackId, target: &Node, attr: Option<&str>) -> Option<&Value> {
        self.local.get(&(stack, target.key(), attr.map(str::to_string)))
    }
}

/// Finds every cross-stack reference and prepares the elements and values that
/// carry it. Problems (dangling or misplaced targets) are reported with the path
/// of the element that refers.
pub(crate) fn prepare(stacks: &mut Stacks, problems: &mut Vec<Diagnostic>) -> References {
    let mut step = Step { stacks, refs: References::default(), problems };
    for si in step.stacks.ids().collect::<Vec<_>>() {
        let elements = step.stacks[si].elements.clone();
        for element in elements {
            step.references_of(si, element);
        }
    }
    step.refs
}

struct Step<'a> {
    stacks: &'a mut Stacks,
    refs: References,
    problems: &'a mut Vec<Diagnostic>,
}

impl Step<'_> {
    fn references_of(&mut self, si: StackId, element: ElementId) {
        let entry = &self.stacks[element];
        let node = entry.node.clone();
        let mut targets: Vec<(Target, Option<String>)> = Vec::new();
        let mut collect = |v: &Value| v.walk_targets(&mut |t, a| targets.push((t.clone(), a.map(str::to_string))));
        if let Body::Resource(cell) = entry.body() {
            let props = ResourceData::properties(cell);
            props.values().for_each(&mut collect);
            let d = cell.borrow();
            d.update_policy.iter().chain(&d.creation_policy).chain(d.metadata.values()).for_each(&mut collect);
            d.overrides.iter().filter_map(|(_, v)| v.as_ref()).for_each(&mut collect);
            // A nested stack's resource renders differently once the stacks below
            // are rendered (their parameters and template hashes): not kept.
            if entry.deploys.is_none() {
                self.refs.rendered_properties.insert(element, props);
            }
        } else {
            element_values(entry.body(), &mut collect);
        }
        for (t, attr) in targets {
            let Some(target) = t.node() else {
                self.problem(
                    &node,
                    Diagnostic::error(
                        codes::DANGLING_REFERENCE,
                        "refers to a construct that no longer exists",
                        "keep the construct in the tree (it was dropped before synthesis)",
                    ),
                );
                continue;
            };
            let Some(psi) = self.stacks.stack_of(&target) else {
                if let Some(d) = outside_reference(&node, &target) {
                    self.problem(&node, d);
                }
                continue;
            };
            if psi == si {
                continue;
            }
            self.refs.cross.push(CrossRef {
                consumer: node.path().to_string(),
                target: target.path().to_string(),
                attr: attr.clone(),
            });
            if let Err(e) = self.resolve_value(si, &target, attr.as_deref(), node.path()) {
                self.problem(
                    &node,
                    Diagnostic::error(codes::REFERENCE_OUTSIDE_STACK, e, "create the target inside a Stack"),
                );
            }
        }
    }

    fn problem(&mut self, node: &Node, d: Diagnostic) {
        self.problems.push(d.at(node.display_path()));
    }

    /// CDK's `resolveValue`: the value to use in stack `si` for `target.attr`.
    fn resolve_value(&mut self, si: StackId, target: &Node, attr: Option<&str>, why: &str) -> Result<Value, String> {
        let key = (si, target.key(), attr.map(str::to_string));
        if let Some(v) = self.refs.local.get(&key) {
            return Ok(v.clone());
        }
        let psi = self.stacks.stack_of(target).ok_or_else(|| format!("'{}' is not inside a Stack", target.path()))?;
        let value = if psi == si {
            reference_token(target, attr)
        } else if let Some(parent) = self.stacks.parent(si).filter(|_| self.stacks.is_nested_in(si, psi)) {
            let parent_value = self.resolve_value(parent, target, attr, why)?;
            self.nested_parameter(si, target, attr, parent_value)
        } else if let Some(resource) = self.stacks[psi].nested.as_ref().map(|n| n.resource) {
            let output_attr = self.nested_output(psi, target, attr);
            let resource = self.stacks[resource].node.clone();
            self.resolve_value(si, &resource, Some(&output_attr), why)?
        } else {
            self.refs.stack_deps.push(StackDependency {
                dependent: self.stacks[si].top,
                dependency: psi,
                reason: format!("{why} uses {}{}", target.path(), attr.map(|a| format!(".{a}")).unwrap_or_default()),
            });
            self.export(psi, target, attr)
        };
        self.refs.local.insert(key, value.clone());
        Ok(value)
    }

    /// A parameter of nested stack `si` that its parent fills with `parent_value`.
    fn nested_parameter(&mut self, si: StackId, target: &Node, attr: Option<&str>, parent_value: Value) -> Value {
        let id = format!("reference-to-{}.{}", node_unique_id(target), attr.unwrap_or("Ref"));
        let stack = self.stacks[si].stack.clone();
        let param = match stack.node().try_find_child(&id) {
            Some(existing) => existing,
            None => {
                let p = CfnParameter::new(
                    &stack,
                    &id,
                    CfnParameterProps { parameter_type: Some("String".into()), ..Default::default() },
                );
                self.stacks.add_element(si, &p);
                p.node().clone()
            }
        };
        if let Some(nested) = &stack.data.nested {
            nested.parameters.borrow_mut().insert(logical_id(&param), parent_value);
        }
        Value::token(Intrinsic::Ref(param.target()))
    }

    /// An output of nested stack `psi` with the value; returns the attribute of
    /// the nested stack's resource that reads it (`Outputs.<logical id>`).
    fn nested_output(&mut self, psi: StackId, target: &Node, attr: Option<&str>) -> String {
        let id = format!("{}{}", node_unique_id(target), attr.unwrap_or("Ref"));
        let stack = self.stacks[psi].stack.clone();
        let output = match stack.node().try_find_child(&id) {
            Some(existing) => existing,
            None => {
                let o = CfnOutput::new(
                    &stack,
                    &id,
                    CfnOutputProps { value: reference_token(target, attr), ..Default::default() },
                );
                self.stacks.add_element(psi, &o);
                o.node().clone()
            }
        };
        format!("Outputs.{}", logical_id(&output))
    }

    /// An export of top-level stack `psi` (named as the CDK names it); the value
    /// is its import.
    fn export(&mut self, psi: StackId, target: &Node, attr: Option<&str>) -> Value {
        let lid = logical_id(target);
        let resolved = match attr {
            None => json!({ "Ref": lid }),
            Some(a) => json!({ "Fn::GetAtt": [lid, a] }),
        };
        let id = format!("Output{resolved}");
        let stack = self.stacks[psi].stack.clone();
        let exports = match stack.node().try_find_child("Exports") {
            Some(e) => e,
            None => Construct::new(&stack, "Exports").node().clone(),
        };
        let prefix = format!("{}:", stack.stack_name());
        let local = make_unique_id(&["Exports", id.as_str()]).unwrap_or_default();
        let keep = 255usize.saturating_sub(prefix.len());
        let export_name = format!("{prefix}{}", &local[local.len().saturating_sub(keep)..]);
        if exports.try_find_child(&id).is_none() {
            let o = CfnOutput::new(
                &exports,
                &id,
                CfnOutputProps {
                    value: reference_token(target, attr),
                    export_name: Some(export_name.clone().into()),
                    ..Default::default()
                },
            );
            self.stacks.add_element(psi, &o);
        }
        fns::import_value(export_name)
    }
}

/// Why a reference to a construct outside every stack fails, unless an error
/// already reported explains it (the target is a duplicate kept off the tree,
/// or is itself reported as outside every stack).
fn outside_reference(node: &Node, target: &Node) -> Option<Diagnostic> {
    if !target.root().ptr_eq(&node.root()) {
        return Some(Diagnostic::error(
            codes::REFERENCE_OUTSIDE_STACK,
            format!("refers to '{}', which belongs to another App", target.display_path()),
            "a construct tree can only refer to its own constructs: create the target in this App",
        ));
    }
    if !target.is_attached() || target.element().is_some() {
        return None;
    }
    Some(Diagnostic::error(
        codes::REFERENCE_OUTSIDE_STACK,
        format!("refers to '{}', which is not inside a Stack", target.display_path()),
        "create the target in the scope of a Stack",
    ))
}

/// `Ref` or `Fn::GetAtt` of a construct, as a token.
pub(crate) fn reference_token(target: &Node, attr: Option<&str>) -> Value {
    match attr {
        None => Value::token(Intrinsic::Ref(target.target())),
        Some(a) => Value::token(Intrinsic::GetAtt(target.target(), a.to_string())),
    }
}

/// Calls `f` with every value an element other than a resource holds.
fn element_values(body: &Body, f: &mut dyn FnMut(&Value)) {
    match body {
        Body::Resource(_) => {}
        Body::Output(d) => {
            let d = d.borrow();
            f(&d.value);
            d.export_name.iter().for_each(f);
        }
        Body::Parameter(d) => d.borrow().default.iter().for_each(f),
        Body::Condition(e) => f(&e.borrow()),
        Body::Mapping(m) => m.borrow().values().flat_map(IndexMap::values).for_each(f),
        Body::Rule(d) => {
            let d = d.borrow();
            d.condition.iter().chain(d.assertions.iter().map(|(a, _)| a)).for_each(f);
        }
    }
}
