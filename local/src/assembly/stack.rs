//! Loading one stack: resolving its parameters, conditions and resources in
//! order, loading nested stacks on demand (their outputs may be needed by a
//! sibling), and flattening everything into [`Resource`]s.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::rc::Rc;

use serde_json::{Map, Value};

use super::intrinsics::{resolve, Scope};
use super::manifest::Manifest;
use super::resources::{mint, LocalEnv, Minted};
use super::template::Template;
use super::{AssemblyError, Resource};

/// What every stack of one load shares.
pub(crate) struct Loader<'a> {
    pub manifest: &'a Manifest,
    pub env: &'a LocalEnv,
    /// Exports of the top-level stacks loaded so far.
    pub exports: RefCell<HashMap<String, Value>>,
}

/// A stack after loading: its resources (nested ones included) and outputs.
pub(crate) struct Loaded {
    pub resources: Vec<Resource>,
    pub outputs: Map<String, Value>,
}

pub(crate) struct StackScope<'a> {
    loader: &'a Loader<'a>,
    name: String,
    path: String,
    file: PathBuf,
    template: Template,
    params: Map<String, Value>,
    minted: RefCell<HashMap<String, Rc<Minted>>>,
    props: RefCell<HashMap<String, Rc<Map<String, Value>>>>,
    nested: RefCell<HashMap<String, Rc<Loaded>>>,
    busy: RefCell<HashSet<String>>,
    conditions: RefCell<HashMap<String, bool>>,
}

/// An error raised while resolving, before it is tied to a file.
pub(crate) const MISSING_EXPORT: &str = "no stack exports ";

impl<'a> StackScope<'a> {
    pub fn new(
        loader: &'a Loader<'a>,
        name: String,
        path: String,
        file: PathBuf,
        params: Map<String, Value>,
    ) -> Result<Self, AssemblyError> {
        let template = Template::read(&file)?;
        Ok(StackScope {
            loader,
            name,
            path,
            file,
            template,
            params,
            minted: RefCell::default(),
            props: RefCell::default(),
            nested: RefCell::default(),
            busy: RefCell::default(),
            conditions: RefCell::default(),
        })
    }

    fn error(&self, element: &str, message: String) -> AssemblyError {
        AssemblyError::Template {
            file: self.file.clone(),
            stack: self.path.clone(),
            element: element.to_string(),
            message,
        }
    }

    /// Resolves every resource and output; loads nested stacks.
    pub fn load(&self) -> Result<Loaded, AssemblyError> {
        for (name, decl) in &self.template.parameters {
            if !self.params.contains_key(name) && decl.get("Default").is_none() {
                return Err(self.error(&format!("Parameters.{name}"), "has no value and no Default".into()));
            }
        }
        let mut resources = Vec::new();
        let ids: Vec<String> = self.template.resources.keys().cloned().collect();
        for id in ids {
            let element = format!("Resources.{id}");
            if !self.included(&id).map_err(|e| self.error(&element, e))? {
                continue;
            }
            let props = self.properties(&id).map_err(|e| self.error(&element, e))?;
            let minted = self.minted(&id).map_err(|e| self.error(&element, e))?;
            let resource_type = self.template.resource_type(&id).unwrap_or_default().to_string();
            let nested = if resource_type == "AWS::CloudFormation::Stack" {
                Some(self.nested(&id).map_err(|e| self.error(&element, e))?)
            } else {
                None
            };
            resources.push(Resource {
                stack_path: self.path.clone(),
                stack_name: self.name.clone(),
                logical_id: id.clone(),
                resource_type,
                properties: (*props).clone(),
                physical_id: minted.physical_id.clone(),
                reference: minted.reference.clone(),
                attributes: minted.attributes.clone(),
            });
            if let Some(nested) = nested {
                resources.extend(nested.resources.iter().cloned());
            }
        }
        let mut outputs = Map::new();
        for (name, decl) in &self.template.outputs {
            let element = format!("Outputs.{name}");
            if let Some(cond) = decl.get("Condition").and_then(Value::as_str) {
                if !self.condition(cond).map_err(|e| self.error(&element, e))? {
                    continue;
                }
            }
            let value = decl.get("Value").ok_or_else(|| self.error(&element, "has no Value".into()))?;
            let value = resolve(value, self).map_err(|e| self.error(&element, e))?.unwrap_or(Value::Null);
            if let Some(export) = decl.get("Export").and_then(|e| e.get("Name")) {
                let export = resolve(export, self).map_err(|e| self.error(&element, e))?;
                if let Some(Value::String(export)) = export {
                    self.loader.exports.borrow_mut().insert(export, value.clone());
                }
            }
            outputs.insert(name.clone(), value);
        }
        Ok(Loaded { resources, outputs })
    }

    fn included(&self, id: &str) -> Result<bool, String> {
        match self.template.resources.get(id).and_then(|r| r.get("Condition")).and_then(Value::as_str) {
            Some(cond) => self.condition(cond),
            None => Ok(true),
        }
    }

    /// A resource's resolved properties (memoized; cycles are reported).
    fn properties(&self, id: &str) -> Result<Rc<Map<String, Value>>, String> {
        if let Some(p) = self.props.borrow().get(id) {
            return Ok(p.clone());
        }
        let decl = self.template.resources.get(id).ok_or_else(|| format!("no resource `{id}` in this stack"))?;
        if !self.busy.borrow_mut().insert(id.to_string()) {
            return Err(format!("`{id}` refers to itself through its properties"));
        }
        let resolved = match decl.get("Properties") {
            None => Ok(Some(Value::Object(Map::new()))),
            Some(p) => resolve(p, self),
        };
        self.busy.borrow_mut().remove(id);
        let props = match resolved? {
            Some(Value::Object(m)) => m,
            None => Map::new(),
            Some(other) => return Err(format!("Properties must be an object, got {other}")),
        };
        let props = Rc::new(props);
        self.props.borrow_mut().insert(id.to_string(), props.clone());
        Ok(props)
    }

    fn minted(&self, id: &str) -> Result<Rc<Minted>, String> {
        if let Some(m) = self.minted.borrow().get(id) {
            return Ok(m.clone());
        }
        let resource_type = self.template.resource_type(id).ok_or_else(|| format!("resource `{id}` has no Type"))?;
        let props = self.properties(id)?;
        let minted = Rc::new(mint(self.loader.env, &self.path, id, resource_type, &props));
        self.minted.borrow_mut().insert(id.to_string(), minted.clone());
        Ok(minted)
    }

    /// Loads the nested stack `id` declares, with its resolved parameters.
    fn nested(&self, id: &str) -> Result<Rc<Loaded>, String> {
        if let Some(n) = self.nested.borrow().get(id) {
            return Ok(n.clone());
        }
        let props = self.properties(id)?;
        let url = props.get("TemplateURL").and_then(Value::as_str).ok_or("the nested stack has no TemplateURL")?;
        let file = self
            .loader
            .manifest
            .asset_for_url(url)
            .ok_or_else(|| format!("TemplateURL {url} names no file asset of the assembly's asset manifests"))?
            .to_path_buf();
        let params = match props.get("Parameters") {
            Some(Value::Object(p)) => p.clone(),
            _ => Map::new(),
        };
        let name = format!("{}-{id}-{}", self.name, &super::resources::digest(&[&self.path, id])[..12].to_uppercase());
        let scope = StackScope::new(self.loader, name, format!("{}/{id}", self.path), file, params)
            .map_err(|e| e.to_string())?;
        let loaded = Rc::new(scope.load().map_err(|e| e.to_string())?);
        self.nested.borrow_mut().insert(id.to_string(), loaded.clone());
        Ok(loaded)
    }

    fn pseudo(&self, name: &str) -> Option<Value> {
        let env = self.loader.env;
        Some(Value::String(match name {
            "AWS::Region" => env.region.clone(),
            "AWS::AccountId" => env.account_id.clone(),
            "AWS::StackName" => self.name.clone(),
            "AWS::StackId" => format!(
                "arn:aws:cloudformation:{}:{}:stack/{}/{}",
                env.region,
                env.account_id,
                self.name,
                &super::resources::digest(&[&self.path])[..32]
            ),
            "AWS::URLSuffix" => "amazonaws.com".into(),
            "AWS::Partition" => "aws".into(),
            "AWS::NotificationARNs" => return Some(Value::Array(vec![])),
            _ => return None,
        }))
    }
}

impl Scope for StackScope<'_> {
    fn reference(&self, name: &str) -> Result<Value, String> {
        if let Some(v) = self.pseudo(name) {
            return Ok(v);
        }
        if let Some(decl) = self.template.parameters.get(name) {
            let v = self.params.get(name).or_else(|| decl.get("Default")).cloned().unwrap_or(Value::Null);
            // List parameters arrive as comma-separated strings.
            let is_list = decl
                .get("Type")
                .and_then(Value::as_str)
                .is_some_and(|t| t.starts_with("List<") || t == "CommaDelimitedList");
            return Ok(match (is_list, v) {
                (true, Value::String(s)) => Value::Array(s.split(',').map(|p| Value::String(p.to_string())).collect()),
                (_, v) => v,
            });
        }
        if self.template.resources.contains_key(name) {
            return Ok(Value::String(self.minted(name)?.reference.clone()));
        }
        Err(format!("Ref to `{name}`, which is no parameter, resource or pseudo parameter of this stack"))
    }

    fn attribute(&self, logical_id: &str, attribute: &str) -> Result<Value, String> {
        let resource_type = self
            .template
            .resource_type(logical_id)
            .ok_or_else(|| format!("Fn::GetAtt of `{logical_id}`, which is no resource of this stack"))?;
        if resource_type == "AWS::CloudFormation::Stack" {
            if let Some(output) = attribute.strip_prefix("Outputs.") {
                let nested = self.nested(logical_id)?;
                return nested
                    .outputs
                    .get(output)
                    .cloned()
                    .ok_or_else(|| format!("nested stack `{logical_id}` has no output `{output}`"));
            }
        }
        let minted = self.minted(logical_id)?;
        if let Some(v) = minted.attributes.get(attribute) {
            return Ok(v.clone());
        }
        // An attribute the minting does not know: a stable, recognisable placeholder.
        Ok(Value::String(format!("{}.{attribute}", minted.physical_id)))
    }

    fn condition(&self, name: &str) -> Result<bool, String> {
        if let Some(v) = self.conditions.borrow().get(name) {
            return Ok(*v);
        }
        let expr = self.template.conditions.get(name).ok_or_else(|| format!("no condition `{name}` in this stack"))?;
        if !self.busy.borrow_mut().insert(format!("Condition:{name}")) {
            return Err(format!("condition `{name}` refers to itself"));
        }
        let value = resolve(expr, self);
        self.busy.borrow_mut().remove(&format!("Condition:{name}"));
        let truth = match value? {
            Some(Value::Bool(b)) => b,
            other => return Err(format!("condition `{name}` is not true or false: {other:?}")),
        };
        self.conditions.borrow_mut().insert(name.to_string(), truth);
        Ok(truth)
    }

    fn mapping(&self, map: &str, top: &str, second: &str) -> Result<Value, String> {
        self.template
            .mappings
            .get(map)
            .and_then(|m| m.get(top))
            .and_then(|m| m.get(second))
            .cloned()
            .ok_or_else(|| format!("Fn::FindInMap: no {map}.{top}.{second}"))
    }

    fn import(&self, export: &str) -> Result<Value, String> {
        self.loader.exports.borrow().get(export).cloned().ok_or_else(|| format!("{MISSING_EXPORT}`{export}`"))
    }

    fn region(&self) -> String {
        self.loader.env.region.clone()
    }
}
