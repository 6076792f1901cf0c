//! Rendering: each stack's template as JSON, tokens resolved in the stack that
//! renders them. Nested stacks render first, deepest first, so that each parent
//! knows its children's template files and hashes.

use indexmap::IndexMap;
use serde_json::{json, Map, Value as Json};

use super::dependencies::Dependencies;
use super::references::References;
use super::stacks::{ElementEntry, ElementId, StackId, Stacks};
use crate::assembly::StackArtifact;
use crate::checks;
use crate::codes;
use crate::element::Body;
use crate::error::Diagnostic;
use crate::names::node_unique_id;
use crate::node::{IConstruct, Target};
use crate::parameter::CfnParameterProps;
use crate::ptr_hash::PtrMap;
use crate::resolve::{function, render, render_owned, Resolver};
use crate::resource::{apply_override, ResourceData};
use crate::synthesizer::BootstrapSettings;
use crate::value::Value;

/// Renders every template and checks it, right after rendering it (while it is
/// in cache); returns the artifacts in table order. The problems of the checks
/// `extra` go to `extra_problems`, by stack.
pub(crate) fn render_all(
    stacks: &Stacks,
    refs: &mut References,
    deps: &Dependencies,
    path_metadata: bool,
    extra: &[std::rc::Rc<dyn checks::TemplateCheck>],
    problems: &mut Vec<Diagnostic>,
    extra_problems: &mut Vec<(StackId, Vec<Diagnostic>)>,
) -> Vec<StackArtifact> {
    let kept = std::mem::take(&mut refs.rendered_properties);
    let mut r = Render { stacks, refs, deps, path_metadata, kept };
    let mut order: Vec<StackId> = stacks.ids().collect();
    order.sort_by_key(|s| std::cmp::Reverse(stacks[*s].depth));
    let mut artifacts: Vec<(StackId, StackArtifact)> = Vec::with_capacity(order.len());
    for si in order {
        let st = &stacks[si];
        let template_file = template_file(stacks, si);
        let nested = st.stack.data.nested.as_ref();
        if let Some(nested) = nested {
            *nested.template_file.borrow_mut() = template_file.clone();
        }
        let mut errors = Vec::new();
        let template = r.render_stack(si, &mut errors);
        let (hash, size) = crate::assembly::template_digest(&template);
        if let Some(nested) = nested {
            *nested.template_hash.borrow_mut() = Some(hash.clone());
        }
        let (found, more) = checks::check_template(stacks, &r.refs.cross, si, &template, size, extra);
        problems.extend(found);
        extra_problems.push((si, more));
        artifacts.push((
            si,
            StackArtifact {
                construct_path: st.stack.node().path().to_string(),
                artifact_id: st.stack.artifact_id(),
                stack_name: st.stack.stack_name(),
                template_file,
                template,
                template_hash: hash,
                nested: nested.is_some(),
                parent: stacks.parent(si).map(|p| stacks[p].stack.node().path().to_string()),
            },
        ));
        problems.extend(errors);
    }
    artifacts.sort_by_key(|(si, _)| *si);
    artifacts.into_iter().map(|(_, a)| a).collect()
}

/// The template's file name in the assembly, as the CDK names it.
fn template_file(stacks: &Stacks, si: StackId) -> String {
    let stack = &stacks[si].stack;
    if stack.is_nested() {
        format!("{}.nested.template.json", node_unique_id(stack.node()))
    } else {
        format!("{}.template.json", stack.artifact_id())
    }
}

struct Render<'a> {
    stacks: &'a Stacks,
    refs: &'a References,
    deps: &'a Dependencies,
    path_metadata: bool,
    /// Resource properties rendered by the reference step, taken once each.
    kept: PtrMap<ElementId, IndexMap<String, Value>>,
}

impl Render<'_> {
    fn render_stack(&mut self, si: StackId, errors: &mut Vec<Diagnostic>) -> Json {
        let st = &self.stacks[si];
        let data = &st.stack.data;
        let mut t = Map::new();
        let mut resolver = StackResolver { stacks: self.stacks, refs: self.refs, si };
        if let Some(d) = data.description.borrow().as_ref() {
            t.insert("Description".into(), Json::String(d.clone()));
        }
        let transforms = data.transforms.borrow().clone();
        match transforms.len() {
            0 => {}
            1 => {
                t.insert("Transform".into(), Json::String(transforms[0].clone()));
            }
            _ => {
                t.insert("Transform".into(), json!(transforms));
            }
        }
        let meta = data.template_metadata.borrow().clone();
        if !meta.is_empty() {
            let mut errs = Vec::new();
            t.insert("Metadata".into(), render(&Value::Object(meta), &mut resolver, &mut errs));
            errors.extend(errs.into_iter().map(|e| e.at(st.stack.node().path())));
        }
        let mut sections: IndexMap<&'static str, Map<String, Json>> =
            ["Parameters", "Mappings", "Conditions", "Rules", "Resources", "Outputs"]
                .into_iter()
                .map(|s| (s, Map::new()))
                .collect();
        if data.nested.is_none() && data.bootstrap_version_rule.get() {
            let (param, rule) = bootstrap_version_check(&data.synthesizer.settings());
            sections["Parameters"].insert("BootstrapVersion".into(), param);
            sections["Rules"].insert("CheckBootstrapVersion".into(), rule);
        }
        for &e in &st.elements {
            let entry = &self.stacks[e];
            let mut errs = Vec::new();
            let rendered = self.render_element(e, entry, &mut resolver, &mut errs);
            errors.extend(errs.into_iter().map(|e| e.at(entry.node.path())));
            sections[entry.body().section()].insert(entry.logical_id.clone(), rendered);
        }
        for (name, entries) in sections {
            if !entries.is_empty() {
                t.insert(name.into(), Json::Object(entries));
            }
        }
        Json::Object(t)
    }

    fn render_element(
        &mut self,
        id: ElementId,
        entry: &ElementEntry,
        r: &mut StackResolver,
        errs: &mut Vec<Diagnostic>,
    ) -> Json {
        match entry.body() {
            Body::Resource(cell) => {
                let value = self.resource_value(id, entry, cell);
                render_owned(value, r, errs)
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
    fn resource_value(
        &mut self,
        id: ElementId,
        entry: &ElementEntry,
        cell: &std::cell::RefCell<ResourceData>,
    ) -> Value {
        let mut props = self.kept.remove(&id).unwrap_or_else(|| ResourceData::properties(cell));
        let d = cell.borrow();
        if let Some(tags) = &d.tags {
            tags.render_into(&mut props);
        }
        let mut o: IndexMap<String, Value> = IndexMap::new();
        o.insert("Type".into(), d.resource_type.as_str().into());
        if !props.is_empty() {
            o.insert("Properties".into(), Value::Object(props));
        }
        let mut depends: Vec<String> = Vec::new();
        for dep in self.deps.depends_on.get(&id).into_iter().flatten() {
            depends.push(self.stacks[*dep].logical_id.clone());
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
            metadata.insert("aws:cdk:path".into(), entry.node.path().into());
        }
        if let Some(nested) = entry.deploys.and_then(|s| self.stacks[s].stack.data.nested.as_ref()) {
            metadata.insert("aws:asset:path".into(), nested.template_file.borrow().as_str().into());
            metadata.insert("aws:asset:property".into(), "TemplateURL".into());
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
}

/// Resolves references for the template of one stack: `Ref`/`Fn::GetAtt` within
/// the stack, the prepared local value (parameter, nested output, import) across.
struct StackResolver<'a> {
    stacks: &'a Stacks,
    refs: &'a References,
    si: StackId,
}

impl Resolver for StackResolver<'_> {
    fn reference(&mut self, target: &Target, attr: Option<&str>) -> Result<Json, Diagnostic> {
        let node = target.node().ok_or_else(dangling)?;
        let Some(element) = node.element() else {
            return Err(Diagnostic::error(
                codes::INVALID_REFERENCE,
                format!("refers to '{}', which is not a template element", node.display_path()),
                "refer to a resource or parameter",
            ));
        };
        match (&element.body, attr) {
            (Body::Resource(_), _) | (Body::Parameter(_), None) => {}
            _ => {
                return Err(Diagnostic::error(
                    codes::INVALID_REFERENCE,
                    format!(
                        "'{}' is not a resource or parameter, so it cannot be used with {}",
                        node.path(),
                        if attr.is_some() { "Fn::GetAtt" } else { "Ref" }
                    ),
                    "refer to a resource (Ref or Fn::GetAtt) or a parameter (Ref)",
                ))
            }
        }
        // A target outside every stack is reported once, by the reference step or
        // as the error that put it there; here it only renders as null.
        let Some(psi) = self.stacks.stack_of(&node) else { return Ok(Json::Null) };
        if psi == self.si {
            let lid = self.stacks.logical_id_of(&node);
            return Ok(match attr {
                None => function("Ref", Json::String(lid)),
                Some(a) => function("Fn::GetAtt", Json::Array(vec![Json::String(lid), a.into()])),
            });
        }
        let local = self.refs.local_value(self.si, &node, attr).cloned().ok_or_else(|| {
            Diagnostic::error(
                codes::LATE_REFERENCE,
                format!("the reference to '{}' appeared only while rendering", node.path()),
                "make the lazy value refer to the same constructs every time it is produced",
            )
        })?;
        let mut errors = Vec::new();
        let out = render(&local, self, &mut errors);
        match errors.into_iter().next() {
            Some(e) => Err(e),
            None => Ok(out),
        }
    }

    fn logical_id(&mut self, target: &Target) -> Result<String, Diagnostic> {
        let node = target.node().ok_or_else(dangling)?;
        if self.stacks.stack_of(&node) != Some(self.si) {
            return Err(Diagnostic::error(
                codes::INVALID_REFERENCE,
                format!("'{}' is used by name in another stack", node.path()),
                "conditions and mappings can only be used in their own stack: create one in each stack that uses it",
            ));
        }
        Ok(self.stacks.logical_id_of(&node))
    }
}

fn dangling() -> Diagnostic {
    Diagnostic::error(
        codes::DANGLING_REFERENCE,
        "refers to a construct that no longer exists",
        "keep the construct in the tree (it was dropped before synthesis)",
    )
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
fn bootstrap_version_check(settings: &BootstrapSettings) -> (Json, Json) {
    let param = json!({
        "Type": "AWS::SSM::Parameter::Value<String>",
        "Default": settings.bootstrap_stack_version_ssm_parameter,
        "Description": "The CDK bootstrap version in this account and region, read from SSM. [cdk:skip]"
    });
    let min = settings.requires_bootstrap_stack_version;
    let too_old: Vec<String> = (1..min).map(|v| v.to_string()).collect();
    let rule = json!({
        "Assertions": [{
            "Assert": {"Fn::Not": [{"Fn::Contains": [too_old, {"Ref": "BootstrapVersion"}]}]},
            "AssertDescription": format!("This stack needs CDK bootstrap version {min} or later; run 'cdk bootstrap' in this account and region.")
        }]
    });
    (param, rule)
}
