//! Synthesis: aspects, validation, cross-stack references, dependencies, template
//! rendering and checks, in that order. Every problem is collected; nothing panics.

use std::rc::Rc;

use indexmap::IndexMap;
use serde_json::{json, Map, Value as Json};

use crate::aspect::invoke_aspects;
use crate::assembly::{build_assembly, StackArtifact};
use crate::element::{logical_id, Body};
use crate::error::{Problem, SynthError};
use crate::names::make_unique_id;
use crate::node::{Construct, IConstruct, Node, NodeInner, Target};
use crate::output::{CfnOutput, CfnOutputProps};
use crate::parameter::{CfnParameter, CfnParameterProps};
use crate::ptr_hash::{PtrMap, PtrSet};
use crate::resolve::{function, render, render_owned, Resolver};
use crate::resource::{apply_override, CfnResource};
use crate::stack::StackData;
use crate::value::{Intrinsic, Value};
use crate::{checks, fns};

type Ptr = *const NodeInner;

pub(crate) struct StackInfo {
    pub(crate) node: Node,
    pub(crate) data: Rc<StackData>,
    pub(crate) elements: Vec<Node>,
    pub(crate) assets: Vec<Node>,
    pub(crate) parent: Option<usize>,
    pub(crate) top: usize,
    pub(crate) depth: usize,
}

/// A reference from an element of one stack to a construct of another.
pub(crate) struct CrossRef {
    pub(crate) consumer: String,
    pub(crate) target: String,
    pub(crate) attr: Option<String>,
}

pub(crate) struct Synth {
    pub(crate) stacks: Vec<StackInfo>,
    stack_index: PtrMap<Ptr, usize>,
    element_stack: PtrMap<Ptr, usize>,
    logical_ids: PtrMap<Ptr, String>,
    refs: PtrMap<(usize, Ptr, Option<String>), Value>,
    pub(crate) cross_refs: Vec<CrossRef>,
    /// Top-level stack dependencies: (dependent, dependency, why).
    pub(crate) stack_deps: Vec<(usize, usize, String)>,
    /// Resource -> resources of the same stack it must wait for.
    extra_depends: PtrMap<Ptr, Vec<Node>>,
    /// Nested stack resource -> the nested stack it deploys.
    nested_by_resource: PtrMap<Ptr, usize>,
    pub(crate) problems: Vec<Problem>,
    path_metadata: bool,
    /// Resource properties rendered while looking for references, kept for the
    /// template (each is rendered once).
    rendered_properties: std::cell::RefCell<PtrMap<Ptr, IndexMap<String, Value>>>,
}

pub(crate) fn synthesize(root: &Node, path_metadata: bool) -> Result<crate::assembly::CloudAssembly, SynthError> {
    invoke_aspects(root);
    let mut s = Synth::new(root, path_metadata);
    s.collect_tree_problems(root);
    s.prepare_references();
    s.compute_dependencies(root);
    let artifacts = s.render_all();
    checks::stack_dependency_cycles(&mut s);
    if !s.problems.is_empty() {
        return Err(SynthError { problems: s.problems });
    }
    Ok(build_assembly(root, &s, artifacts))
}

impl Synth {
    fn new(root: &Node, path_metadata: bool) -> Self {
        let mut s = Synth {
            stacks: Vec::new(),
            stack_index: PtrMap::default(),
            element_stack: PtrMap::default(),
            logical_ids: PtrMap::default(),
            refs: PtrMap::default(),
            cross_refs: Vec::new(),
            stack_deps: Vec::new(),
            extra_depends: PtrMap::default(),
            nested_by_resource: PtrMap::default(),
            problems: Vec::new(),
            path_metadata,
            rendered_properties: Default::default(),
        };
        s.index_tree(root, None);
        for (i, st) in s.stacks.iter().enumerate() {
            if let Some(n) = &st.data.nested {
                s.nested_by_resource.insert(Rc::as_ptr(&n.resource.node().0), i);
            }
        }
        s
    }

    /// Finds the stacks and, for each, its elements and assets (not descending into
    /// nested stacks, which are indexed on their own).
    fn index_tree(&mut self, node: &Node, current: Option<usize>) {
        let mut current = current;
        if let Some(data) = node.stack_data() {
            let parent = current;
            let (top, depth) = match parent {
                Some(p) if data.nested.is_some() => (self.stacks[p].top, self.stacks[p].depth + 1),
                _ => (self.stacks.len(), 0),
            };
            let parent = if data.nested.is_some() { parent } else { None };
            self.stacks.push(StackInfo {
                node: node.clone(),
                data,
                elements: Vec::new(),
                assets: Vec::new(),
                parent,
                top,
                depth,
            });
            let i = self.stacks.len() - 1;
            self.stack_index.insert(Rc::as_ptr(&node.0), i);
            current = Some(i);
        } else if let Some(si) = current {
            if node.element().is_some() {
                self.stacks[si].elements.push(node.clone());
                self.element_stack.insert(Rc::as_ptr(&node.0), si);
            } else if crate::asset::asset_data(node).is_some() {
                self.stacks[si].assets.push(node.clone());
            }
        } else if node.element().is_some() {
            self.problems.push(Problem {
                path: node.display_path().to_string(),
                message: "this template element is not inside a Stack; create it in the scope of a Stack".into(),
            });
        }
        for child in node.children() {
            self.index_tree(&child, current);
        }
    }

    fn collect_tree_problems(&mut self, root: &Node) {
        for n in root.find_all() {
            for message in n.errors() {
                self.problems.push(Problem { path: n.display_path().to_string(), message });
            }
            for message in n.validate() {
                self.problems.push(Problem { path: n.display_path().to_string(), message });
            }
        }
    }

    fn stack_of_node(&self, node: &Node) -> Option<usize> {
        if let Some(i) = self.element_stack.get(&Rc::as_ptr(&node.0)) {
            return Some(*i);
        }
        let mut n = Some(node.clone());
        while let Some(cur) = n {
            if let Some(i) = self.stack_index.get(&Rc::as_ptr(&cur.0)) {
                return Some(*i);
            }
            n = cur.scope();
        }
        None
    }

    fn register_element(&mut self, si: usize, node: &Node) {
        self.stacks[si].elements.push(node.clone());
        self.element_stack.insert(Rc::as_ptr(&node.0), si);
    }

    /// Turns every reference to a construct of another stack into parameters,
    /// outputs or exports, as the CDK does, and records the local value to use.
    fn prepare_references(&mut self) {
        for si in 0..self.stacks.len() {
            let elements = self.stacks[si].elements.clone();
            for element in elements {
                let mut targets: Vec<(Target, Option<String>)> = Vec::new();
                // A nested stack's resource renders differently once the stacks
                // below are rendered (their parameters and template hashes).
                let mut kept = self.rendered_properties.borrow_mut();
                let keep = self.nested_stack_of_resource(&element).is_none().then_some(&mut *kept);
                element_values(&element, keep, &mut |v| {
                    v.walk_targets(&mut |t, a| targets.push((t.clone(), a.map(str::to_string))));
                });
                drop(kept);
                for (t, attr) in targets {
                    let Some(target) = t.node() else {
                        self.problem(&element, "refers to a construct that no longer exists".into());
                        continue;
                    };
                    let Some(psi) = self.stack_of_node(&target) else {
                        self.problem(
                            &element,
                            format!("refers to '{}', which is not inside a Stack", target.display_path()),
                        );
                        continue;
                    };
                    if psi == si {
                        continue;
                    }
                    self.cross_refs.push(CrossRef {
                        consumer: element.path().to_string(),
                        target: target.path().to_string(),
                        attr: attr.clone(),
                    });
                    if let Err(e) = self.resolve_value(si, &target, attr.as_deref(), element.path()) {
                        self.problem(&element, e);
                    }
                }
            }
        }
    }

    fn problem(&mut self, node: &Node, message: String) {
        self.problems.push(Problem { path: node.display_path().to_string(), message });
    }

    fn is_nested_in(&self, si: usize, ancestor: usize) -> bool {
        let mut cur = self.stacks[si].parent;
        while let Some(p) = cur {
            if p == ancestor {
                return true;
            }
            cur = self.stacks[p].parent;
        }
        false
    }

    /// CDK's `resolveValue`: the value to use in stack `si` for `target.attr`.
    fn resolve_value(&mut self, si: usize, target: &Node, attr: Option<&str>, why: &str) -> Result<Value, String> {
        let key = (si, Rc::as_ptr(&target.0), attr.map(str::to_string));
        if let Some(v) = self.refs.get(&key) {
            return Ok(v.clone());
        }
        let psi = self.stack_of_node(target).ok_or_else(|| format!("'{}' is not inside a Stack", target.path()))?;
        let value = if psi == si {
            reference_token(target, attr)
        } else if let Some(parent) = self.stacks[si].parent.filter(|_| self.is_nested_in(si, psi)) {
            let parent_value = self.resolve_value(parent, target, attr, why)?;
            self.nested_parameter(si, target, attr, parent_value)
        } else if self.stacks[psi].parent.is_some() {
            let (resource, output_attr) = self.nested_output(psi, target, attr);
            self.resolve_value(si, &resource, Some(&output_attr), why)?
        } else {
            let consumer_top = self.stacks[si].top;
            self.stack_deps.push((
                consumer_top,
                psi,
                format!("{why} uses {}{}", target.path(), attr.map(|a| format!(".{a}")).unwrap_or_default()),
            ));
            self.export(psi, target, attr)
        };
        self.refs.insert(key, value.clone());
        Ok(value)
    }

    fn nested_parameter(&mut self, si: usize, target: &Node, attr: Option<&str>, parent_value: Value) -> Value {
        let id = format!("reference-to-{}.{}", node_unique_id(target), attr.unwrap_or("Ref"));
        let stack_node = self.stacks[si].node.clone();
        let param = match stack_node.try_find_child(&id) {
            Some(existing) => existing,
            None => {
                let p = CfnParameter::new(
                    &stack_node,
                    &id,
                    CfnParameterProps { parameter_type: Some("String".into()), ..Default::default() },
                );
                self.register_element(si, p.node());
                p.node().clone()
            }
        };
        if let Some(nested) = &self.stacks[si].data.nested {
            nested.parameters.borrow_mut().insert(logical_id(&param), parent_value);
        }
        Value::token(Intrinsic::Ref(param.target()))
    }

    fn nested_output(&mut self, psi: usize, target: &Node, attr: Option<&str>) -> (Node, String) {
        let id = format!("{}{}", node_unique_id(target), attr.unwrap_or("Ref"));
        let stack_node = self.stacks[psi].node.clone();
        let output = match stack_node.try_find_child(&id) {
            Some(existing) => existing,
            None => {
                let o = CfnOutput::new(
                    &stack_node,
                    &id,
                    CfnOutputProps { value: reference_token(target, attr), ..Default::default() },
                );
                self.register_element(psi, o.node());
                o.node().clone()
            }
        };
        let resource = self.stacks[psi].data.nested.as_ref().expect("producer is nested").resource.node().clone();
        (resource, format!("Outputs.{}", logical_id(&output)))
    }

    fn export(&mut self, psi: usize, target: &Node, attr: Option<&str>) -> Value {
        let lid = logical_id(target);
        let resolved = match attr {
            None => json!({ "Ref": lid }),
            Some(a) => json!({ "Fn::GetAtt": [lid, a] }),
        };
        let id = format!("Output{resolved}");
        let stack_node = self.stacks[psi].node.clone();
        let exports = match stack_node.try_find_child("Exports") {
            Some(e) => e,
            None => Construct::new(&stack_node, "Exports").node().clone(),
        };
        let prefix =
            format!("{}:", crate::stack::Stack::from_node(&stack_node).map(|s| s.stack_name()).unwrap_or_default());
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
            self.register_element(psi, o.node());
        }
        fns::import_value(export_name)
    }

    /// `add_dependency` between constructs and `DependsOn` across stacks become
    /// `DependsOn` in the common stack, or a dependency between top-level stacks.
    fn compute_dependencies(&mut self, root: &Node) {
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
        let mut seen = PtrSet::default();
        for (src, dst) in pairs {
            let reason = format!("{} depends on {}", src.display_path(), dst.display_path());
            for a in self.representatives(&src) {
                for b in self.representatives(&dst) {
                    self.lift(&a, &b, &reason, &mut seen);
                }
            }
        }
    }

    fn representatives(&self, node: &Node) -> Vec<Rep> {
        if let Some(&si) = self.stack_index.get(&Rc::as_ptr(&node.0)) {
            return vec![match &self.stacks[si].data.nested {
                Some(n) => Rep::Resource(n.resource.node().clone()),
                None => Rep::TopStack(si),
            }];
        }
        let mut out = Vec::new();
        let mut stack = vec![node.clone()];
        while let Some(n) = stack.pop() {
            if n.is_stack() {
                continue;
            }
            if CfnResource::from_node(&n).is_some() {
                out.push(Rep::Resource(n.clone()));
            }
            stack.extend(n.children());
        }
        out
    }

    fn chain(&self, si: usize) -> Vec<usize> {
        let mut out = vec![si];
        let mut cur = self.stacks[si].parent;
        while let Some(p) = cur {
            out.push(p);
            cur = self.stacks[p].parent;
        }
        out
    }

    fn lift(&mut self, a: &Rep, b: &Rep, reason: &str, seen: &mut PtrSet<(Ptr, Ptr)>) {
        let stack_of_rep = |s: &Synth, r: &Rep| match r {
            Rep::TopStack(i) => Some(*i),
            Rep::Resource(n) => s.stack_of_node(n),
        };
        let (Some(sa), Some(sb)) = (stack_of_rep(self, a), stack_of_rep(self, b)) else { return };
        let (ca, cb) = (self.chain(sa), self.chain(sb));
        let common = ca.iter().position(|x| cb.contains(x));
        let (Rep::Resource(ra), Rep::Resource(rb), Some(ia)) = (a, b, common) else {
            let (ta, tb) = (self.stacks[sa].top, self.stacks[sb].top);
            if ta != tb {
                self.stack_deps.push((ta, tb, reason.to_string()));
            }
            return;
        };
        let c = ca[ia];
        let ib = cb.iter().position(|x| *x == c).expect("common stack is in both chains");
        let rep = |s: &Synth, r: &Node, chain: &[usize], i: usize| -> Node {
            if i == 0 {
                r.clone()
            } else {
                s.stacks[chain[i - 1]].data.nested.as_ref().expect("below the common stack").resource.node().clone()
            }
        };
        let (la, lb) = (rep(self, ra, &ca, ia), rep(self, rb, &cb, ib));
        if la.ptr_eq(&lb) || !seen.insert((Rc::as_ptr(&la.0), Rc::as_ptr(&lb.0))) {
            return;
        }
        self.extra_depends.entry(Rc::as_ptr(&la.0)).or_default().push(lb);
    }

    /// Renders every template, deepest nested stacks first so that each parent
    /// knows its children's template hashes.
    fn render_all(&mut self) -> Vec<StackArtifact> {
        for st in &self.stacks {
            for e in &st.elements {
                self.logical_ids.insert(Rc::as_ptr(&e.0), logical_id(e));
            }
        }
        let mut order: Vec<usize> = (0..self.stacks.len()).collect();
        order.sort_by_key(|i| std::cmp::Reverse(self.stacks[*i].depth));
        let mut artifacts: Vec<Option<StackArtifact>> = (0..self.stacks.len()).map(|_| None).collect();
        for si in order {
            let template_file = self.template_file(si);
            if let Some(nested) = &self.stacks[si].data.nested {
                *nested.template_file.borrow_mut() = template_file.clone();
            }
            let mut errors = Vec::new();
            let template = self.render_stack(si, &mut errors);
            let (hash, size) = crate::assembly::template_digest(&template);
            if let Some(nested) = &self.stacks[si].data.nested {
                *nested.template_hash.borrow_mut() = Some(hash.clone());
            }
            checks::check_template(self, si, &template, size);
            let st = &self.stacks[si];
            let stack = crate::stack::Stack::from_node(&st.node).expect("indexed as a stack");
            artifacts[si] = Some(StackArtifact {
                construct_path: st.node.path().to_string(),
                artifact_id: stack.artifact_id(),
                stack_name: stack.stack_name(),
                template_file,
                template,
                template_hash: hash,
                nested: st.data.nested.is_some(),
                parent: st.parent.map(|p| self.stacks[p].node.path().to_string()),
            });
            for (path, message) in errors {
                self.problems.push(Problem { path, message });
            }
        }
        artifacts.into_iter().map(|a| a.expect("every stack rendered")).collect()
    }

    fn template_file(&self, si: usize) -> String {
        let st = &self.stacks[si];
        if st.data.nested.is_some() {
            format!("{}.nested.template.json", node_unique_id(&st.node))
        } else {
            let stack = crate::stack::Stack::from_node(&st.node).expect("indexed as a stack");
            format!("{}.template.json", stack.artifact_id())
        }
    }

    fn render_stack(&self, si: usize, errors: &mut Vec<(String, String)>) -> Json {
        let st = &self.stacks[si];
        let mut t = Map::new();
        let mut resolver = StackResolver { synth: self, si };
        if let Some(d) = st.data.description.borrow().as_ref() {
            t.insert("Description".into(), Json::String(d.clone()));
        }
        let transforms = st.data.transforms.borrow().clone();
        match transforms.len() {
            0 => {}
            1 => {
                t.insert("Transform".into(), Json::String(transforms[0].clone()));
            }
            _ => {
                t.insert("Transform".into(), json!(transforms));
            }
        }
        let meta = st.data.template_metadata.borrow().clone();
        if !meta.is_empty() {
            let mut errs = Vec::new();
            t.insert("Metadata".into(), render(&Value::Object(meta), &mut resolver, &mut errs));
            errors.extend(errs.into_iter().map(|e| (st.node.path().to_string(), e)));
        }
        let mut sections: IndexMap<&'static str, Map<String, Json>> =
            ["Parameters", "Mappings", "Conditions", "Rules", "Resources", "Outputs"]
                .into_iter()
                .map(|s| (s, Map::new()))
                .collect();
        let bootstrap = st.data.nested.is_none() && st.data.bootstrap_version_rule.get();
        if bootstrap {
            let (param, rule) = bootstrap_version_check();
            sections["Parameters"].insert("BootstrapVersion".into(), param);
            sections["Rules"].insert("CheckBootstrapVersion".into(), rule);
        }
        for e in &st.elements {
            let element = e.element().expect("indexed as an element");
            let lid = self.logical_ids.get(&Rc::as_ptr(&e.0)).cloned().unwrap_or_else(|| logical_id(e));
            let mut errs = Vec::new();
            let rendered = self.render_element(e, &element.body, &mut resolver, &mut errs);
            errors.extend(errs.into_iter().map(|m| (e.path().to_string(), m)));
            sections[element.body.section()].insert(lid, rendered);
        }
        for (name, entries) in sections {
            if !entries.is_empty() {
                t.insert(name.into(), Json::Object(entries));
            }
        }
        Json::Object(t)
    }

    fn render_element(&self, node: &Node, body: &Body, r: &mut StackResolver, errs: &mut Vec<String>) -> Json {
        match body {
            Body::Resource(_) => {
                let res = CfnResource::from_node(node).expect("resource body");
                render_owned(self.resource_value(node, &res), r, errs)
            }
            Body::Output(d) => {
                let d = d.borrow();
                let mut o = IndexMap::new();
                if let Some(desc) = &d.description {
                    o.insert("Description".to_string(), Value::from(desc.as_str()));
                }
                o.insert("Value".to_string(), d.value.clone());
                if let Some(name) = &d.export_name {
                    o.insert("Export".to_string(), Value::object([("Name", name.clone())]));
                }
                if let Some(c) = &d.condition {
                    o.insert("Condition".to_string(), c.clone());
                }
                render(&Value::Object(o), r, errs)
            }
            Body::Parameter(d) => render(&parameter_value(&d.borrow()), r, errs),
            Body::Condition(e) => render(&e.borrow(), r, errs),
            Body::Mapping(m) => {
                let m = m.borrow();
                let v = Value::Object(m.iter().map(|(k, inner)| (k.clone(), Value::Object(inner.clone()))).collect());
                render(&v, r, errs)
            }
            Body::Rule(d) => {
                let d = d.borrow();
                let mut o = IndexMap::new();
                if let Some(c) = &d.condition {
                    o.insert("RuleCondition".to_string(), c.clone());
                }
                let assertions: Vec<Value> = d
                    .assertions
                    .iter()
                    .map(|(a, desc)| {
                        let mut m = IndexMap::new();
                        m.insert("Assert".to_string(), a.clone());
                        if let Some(desc) = desc {
                            m.insert("AssertDescription".to_string(), desc.as_str().into());
                        }
                        Value::Object(m)
                    })
                    .collect();
                o.insert("Assertions".to_string(), Value::Array(assertions));
                render(&Value::Object(o), r, errs)
            }
        }
    }

    /// The resource entry before resolution: type, properties with tags, options,
    /// metadata, then the user's overrides.
    fn resource_value(&self, node: &Node, res: &CfnResource) -> Value {
        let cached = self.rendered_properties.borrow_mut().remove(&Rc::as_ptr(&node.0));
        let mut props = cached.unwrap_or_else(|| res.properties());
        let d = res.data();
        if let Some(tags) = &d.tags {
            tags.render_into(&mut props);
        }
        let mut o: IndexMap<String, Value> = IndexMap::new();
        o.insert("Type".into(), d.resource_type.as_str().into());
        if !props.is_empty() {
            o.insert("Properties".into(), Value::Object(props));
        }
        let mut depends: Vec<String> = Vec::new();
        let extra = self.extra_depends.get(&Rc::as_ptr(&node.0));
        for dep in extra.into_iter().flatten() {
            let lid = self.logical_ids.get(&Rc::as_ptr(&dep.0)).cloned().unwrap_or_else(|| logical_id(dep));
            depends.push(lid);
        }
        depends.sort();
        depends.dedup();
        if !depends.is_empty() {
            o.insert("DependsOn".into(), depends.into());
        }
        if let Some(p) = &d.creation_policy {
            o.insert("CreationPolicy".into(), p.clone());
        }
        if let Some(p) = &d.update_policy {
            o.insert("UpdatePolicy".into(), p.clone());
        }
        if let Some(p) = &d.update_replace_policy {
            o.insert("UpdateReplacePolicy".into(), p.as_str().into());
        }
        if let Some(p) = &d.deletion_policy {
            o.insert("DeletionPolicy".into(), p.as_str().into());
        }
        let mut metadata = d.metadata.clone();
        if self.path_metadata {
            metadata.insert("aws:cdk:path".into(), node.path().into());
        }
        if let Some(si) = self.nested_stack_of_resource(node) {
            if let Some(n) = &self.stacks[si].data.nested {
                metadata.insert("aws:asset:path".into(), n.template_file.borrow().as_str().into());
                metadata.insert("aws:asset:property".into(), "TemplateURL".into());
            }
        }
        if !metadata.is_empty() {
            o.insert("Metadata".into(), Value::Object(metadata));
        }
        if let Some(c) = &d.condition {
            o.insert("Condition".into(), c.clone());
        }
        let mut v = Value::Object(o);
        for (path, value) in &d.overrides {
            apply_override(&mut v, path, value.as_ref());
        }
        v
    }

    pub(crate) fn nested_stack_of_resource(&self, node: &Node) -> Option<usize> {
        self.nested_by_resource.get(&Rc::as_ptr(&node.0)).copied()
    }

    pub(crate) fn path_of_logical_id(&self, si: usize, lid: &str) -> Option<String> {
        self.stacks[si]
            .elements
            .iter()
            .find(|e| self.logical_ids.get(&Rc::as_ptr(&e.0)).map(String::as_str) == Some(lid))
            .map(|e| e.path().to_string())
    }

    pub(crate) fn logical_id_of(&self, node: &Node) -> String {
        self.logical_ids.get(&Rc::as_ptr(&node.0)).cloned().unwrap_or_else(|| logical_id(node))
    }
}

enum Rep {
    Resource(Node),
    TopStack(usize),
}

struct StackResolver<'a> {
    synth: &'a Synth,
    si: usize,
}

impl Resolver for StackResolver<'_> {
    fn reference(&mut self, target: &Target, attr: Option<&str>) -> Result<Json, String> {
        let node = target.node().ok_or("refers to a construct that no longer exists")?;
        let Some(element) = node.element() else {
            return Err(format!(
                "refers to '{}', which is not a template element; refer to a resource or parameter",
                node.display_path()
            ));
        };
        match (&element.body, attr) {
            (Body::Resource(_), _) | (Body::Parameter(_), None) => {}
            _ => {
                return Err(format!(
                    "'{}' is not a resource or parameter, so it cannot be used with {}",
                    node.path(),
                    if attr.is_some() { "Fn::GetAtt" } else { "Ref" }
                ))
            }
        }
        let psi = self.synth.stack_of_node(&node).ok_or("target is not inside a Stack")?;
        if psi == self.si {
            let lid = self.synth.logical_id_of(&node);
            return Ok(match attr {
                None => function("Ref", Json::String(lid)),
                Some(a) => function("Fn::GetAtt", Json::Array(vec![Json::String(lid), a.into()])),
            });
        }
        let key = (self.si, Rc::as_ptr(&node.0), attr.map(str::to_string));
        let local = self.synth.refs.get(&key).cloned().ok_or_else(|| {
            format!("the reference to '{}' appeared only while rendering (a lazy value that changes?)", node.path())
        })?;
        let mut errors = Vec::new();
        let out = render(&local, self, &mut errors);
        match errors.into_iter().next() {
            Some(e) => Err(e),
            None => Ok(out),
        }
    }

    fn logical_id(&mut self, target: &Target) -> Result<String, String> {
        let node = target.node().ok_or("refers to a construct that no longer exists")?;
        let psi = self.synth.stack_of_node(&node);
        if psi != Some(self.si) {
            return Err(format!(
                "'{}' is used by name in another stack; conditions and mappings can only be used in their own stack",
                node.path()
            ));
        }
        Ok(self.synth.logical_id_of(&node))
    }
}

fn reference_token(target: &Node, attr: Option<&str>) -> Value {
    match attr {
        None => Value::token(Intrinsic::Ref(target.target())),
        Some(a) => Value::token(Intrinsic::GetAtt(target.target(), a.to_string())),
    }
}

/// CDK's `Names.nodeUniqueId`: the unique id of the path from below the root.
pub(crate) fn node_unique_id(node: &Node) -> String {
    let ids: Vec<String> = node.scopes().iter().skip(1).map(|n| n.id().to_string()).collect();
    make_unique_id(&ids).unwrap_or_default()
}

/// Calls `f` with every value an element holds, for finding references. A
/// resource's rendered properties are kept in `keep` for its template, when
/// `keep` is given: rendering them again would give the same values.
fn element_values(node: &Node, keep: Option<&mut PtrMap<Ptr, IndexMap<String, Value>>>, f: &mut dyn FnMut(&Value)) {
    let Some(element) = node.element() else { return };
    match &element.body {
        Body::Resource(_) => {
            let r = CfnResource::from_node(node).expect("resource body");
            let props = r.properties();
            props.values().for_each(&mut *f);
            let d = r.data();
            d.update_policy.iter().chain(&d.creation_policy).chain(d.metadata.values()).for_each(&mut *f);
            d.overrides.iter().filter_map(|(_, v)| v.as_ref()).for_each(&mut *f);
            drop(d);
            if let Some(keep) = keep {
                keep.insert(Rc::as_ptr(&node.0), props);
            }
        }
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

fn parameter_value(p: &CfnParameterProps) -> Value {
    let mut o: IndexMap<String, Value> = IndexMap::new();
    o.insert("Type".into(), p.parameter_type.clone().unwrap_or_else(|| "String".into()).into());
    if let Some(d) = &p.default {
        o.insert("Default".into(), d.clone());
    }
    if let Some(v) = &p.allowed_pattern {
        o.insert("AllowedPattern".into(), v.as_str().into());
    }
    if let Some(v) = &p.allowed_values {
        o.insert("AllowedValues".into(), v.clone().into());
    }
    if let Some(v) = &p.constraint_description {
        o.insert("ConstraintDescription".into(), v.as_str().into());
    }
    if let Some(v) = &p.description {
        o.insert("Description".into(), v.as_str().into());
    }
    if let Some(v) = p.max_length {
        o.insert("MaxLength".into(), v.into());
    }
    if let Some(v) = p.max_value {
        o.insert("MaxValue".into(), v.into());
    }
    if let Some(v) = p.min_length {
        o.insert("MinLength".into(), v.into());
    }
    if let Some(v) = p.min_value {
        o.insert("MinValue".into(), v.into());
    }
    if p.no_echo {
        o.insert("NoEcho".into(), true.into());
    }
    Value::Object(o)
}

/// The parameter and rule that make a deployment fail early, with a clear message,
/// in an account whose CDK bootstrap stack is missing or too old.
fn bootstrap_version_check() -> (Json, Json) {
    let param = json!({
        "Type": "AWS::SSM::Parameter::Value<String>",
        "Default": "/cdk-bootstrap/hnb659fds/version",
        "Description": "The CDK bootstrap version in this account and region, read from SSM. [cdk:skip]"
    });
    let rule = json!({
        "Assertions": [{
            "Assert": {"Fn::Not": [{"Fn::Contains": [["1", "2", "3", "4", "5"], {"Ref": "BootstrapVersion"}]}]},
            "AssertDescription": "This stack needs CDK bootstrap version 6 or later; run 'cdk bootstrap' in this account and region."
        }]
    });
    (param, rule)
}
