//! `CfnResource`: a CloudFormation resource of any type, with every resource option
//! and the escape hatches (overrides, logical ID override).

use std::cell::{Ref, RefCell, RefMut};
use std::rc::Rc;

use indexmap::IndexMap;

use crate::element::{logical_id, new_element, Body, Element};
use crate::node::{IConstruct, Node};
use crate::tags::{TagFormat, TagManager};
use crate::value::{Intrinsic, Value};

/// What happens to a resource when it leaves the template or is replaced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RemovalPolicy {
    /// Delete it (`DeletionPolicy: Delete`).
    Destroy,
    /// Keep it in the account (`Retain`).
    Retain,
    /// Snapshot, then delete (for resources that support snapshots).
    Snapshot,
    /// Keep it, except when its creation failed (`RetainExceptOnCreate`).
    RetainOnUpdateOrDelete,
}

impl RemovalPolicy {
    fn policies(self) -> (&'static str, &'static str) {
        match self {
            RemovalPolicy::Destroy => ("Delete", "Delete"),
            RemovalPolicy::Retain => ("Retain", "Retain"),
            RemovalPolicy::Snapshot => ("Snapshot", "Snapshot"),
            RemovalPolicy::RetainOnUpdateOrDelete => ("RetainExceptOnCreate", "Retain"),
        }
    }
}

pub(crate) type Renderer = Rc<dyn Fn() -> IndexMap<String, Value>>;

pub(crate) struct ResourceData {
    pub(crate) resource_type: String,
    pub(crate) properties: IndexMap<String, Value>,
    pub(crate) renderer: Option<Renderer>,
    pub(crate) depends_on: Vec<Node>,
    pub(crate) deletion_policy: Option<String>,
    pub(crate) update_replace_policy: Option<String>,
    pub(crate) update_policy: Option<Value>,
    pub(crate) creation_policy: Option<Value>,
    pub(crate) condition: Option<Value>,
    pub(crate) metadata: IndexMap<String, Value>,
    pub(crate) overrides: Vec<(Vec<String>, Option<Value>)>,
    pub(crate) tags: Option<TagManager>,
}

impl ResourceData {
    /// The properties as they will render (before overrides and tags): the
    /// renderer's, then those set directly. The renderer runs with no borrow held,
    /// since it may read this resource or others.
    pub(crate) fn properties(cell: &RefCell<ResourceData>) -> IndexMap<String, Value> {
        let (renderer, mut props) = {
            let d = cell.borrow();
            (d.renderer.clone(), d.properties.clone())
        };
        if let Some(r) = renderer {
            let mut rendered = r();
            rendered.extend(props);
            props = rendered;
        }
        props
    }
}

/// A resource of any CloudFormation type. Typed L1s (`cfn-types`) wrap one.
///
/// ```
/// use constructs::{App, CfnResource, Stack, RemovalPolicy};
/// let app = App::new();
/// let stack = Stack::new(&app, "MyStack");
/// let topic = CfnResource::new(&stack, "Topic", "AWS::SNS::Topic");
/// topic.set_property("DisplayName", "alerts");
/// topic.apply_removal_policy(RemovalPolicy::Retain);
/// topic.add_property_override("KmsMasterKeyId", "alias/aws/sns");
/// assert_eq!(topic.logical_id(), "Topic");
/// ```
#[derive(Clone)]
pub struct CfnResource {
    node: Node,
    element: Rc<Element>,
}

impl CfnResource {
    /// Adds a resource of type `resource_type` (`AWS::S3::Bucket`) under `scope`.
    pub fn new(scope: &impl IConstruct, id: &str, resource_type: &str) -> Self {
        let data = ResourceData {
            resource_type: resource_type.to_string(),
            properties: IndexMap::new(),
            renderer: None,
            depends_on: Vec::new(),
            deletion_policy: None,
            update_replace_policy: None,
            update_policy: None,
            creation_policy: None,
            condition: None,
            metadata: IndexMap::new(),
            overrides: Vec::new(),
            tags: None,
        };
        let (node, element) = new_element(scope.node(), id, Body::Resource(Box::new(data.into())));
        CfnResource { node, element }
    }

    /// Adds a resource whose properties come from `props`, called once at each
    /// synthesis, after aspects (typed L1s keep their props in a cell so users can
    /// change them after creation).
    pub fn with_renderer(
        scope: &impl IConstruct,
        id: &str,
        resource_type: &str,
        props: impl Fn() -> IndexMap<String, Value> + 'static,
    ) -> Self {
        let r = CfnResource::new(scope, id, resource_type);
        r.data_mut().renderer = Some(Rc::new(props));
        r
    }

    pub(crate) fn from_node(node: &Node) -> Option<Self> {
        let element = node.element()?;
        matches!(element.body, Body::Resource(_)).then(|| CfnResource { node: node.clone(), element })
    }

    /// Whether a construct is a CloudFormation resource, and if so, its handle.
    pub fn of(construct: &impl IConstruct) -> Option<Self> {
        CfnResource::from_node(construct.node())
    }

    pub(crate) fn data(&self) -> Ref<'_, ResourceData> {
        match &self.element.body {
            Body::Resource(d) => d.borrow(),
            _ => unreachable!("a CfnResource always holds resource data"),
        }
    }

    pub(crate) fn data_mut(&self) -> RefMut<'_, ResourceData> {
        match &self.element.body {
            Body::Resource(d) => d.borrow_mut(),
            _ => unreachable!("a CfnResource always holds resource data"),
        }
    }

    /// The CloudFormation type name.
    pub fn resource_type(&self) -> String {
        self.data().resource_type.clone()
    }

    /// Sets one property (raw resources; typed L1s render theirs).
    pub fn set_property(&self, name: &str, value: impl Into<Value>) -> &Self {
        self.data_mut().properties.insert(name.to_string(), value.into());
        self
    }

    /// The properties as they will render (before overrides and tags).
    pub fn properties(&self) -> IndexMap<String, Value> {
        match &self.element.body {
            Body::Resource(d) => ResourceData::properties(d),
            _ => unreachable!("a CfnResource always holds resource data"),
        }
    }

    /// `{"Ref": <this resource>}`.
    pub fn ref_(&self) -> Value {
        Value::token(Intrinsic::Ref(self.node.target()))
    }

    /// `{"Fn::GetAtt": [<this resource>, attribute]}`.
    pub fn get_att(&self, attribute: &str) -> Value {
        Value::token(Intrinsic::GetAtt(self.node.target(), attribute.to_string()))
    }

    /// The logical ID this resource gets in its template.
    pub fn logical_id(&self) -> String {
        logical_id(&self.node)
    }

    /// Replaces the computed logical ID.
    pub fn override_logical_id(&self, id: &str) {
        *self.element.logical_id_override.borrow_mut() = Some(id.to_string());
    }

    /// Adds `DependsOn` on another resource (or on every resource of a construct).
    pub fn add_depends_on(&self, target: &impl IConstruct) {
        self.data_mut().depends_on.push(target.node().clone());
    }

    /// Sets `DeletionPolicy` and `UpdateReplacePolicy`.
    pub fn apply_removal_policy(&self, policy: RemovalPolicy) {
        let (deletion, replace) = policy.policies();
        let mut d = self.data_mut();
        d.deletion_policy = Some(deletion.to_string());
        d.update_replace_policy = Some(replace.to_string());
    }

    /// The `DeletionPolicy`, if one is set.
    pub fn deletion_policy(&self) -> Option<String> {
        self.data().deletion_policy.clone()
    }

    /// Sets `DeletionPolicy` alone (`Delete`, `Retain`, `RetainExceptOnCreate`, `Snapshot`).
    pub fn set_deletion_policy(&self, policy: &str) {
        self.data_mut().deletion_policy = Some(policy.to_string());
    }

    /// Sets `UpdateReplacePolicy` alone.
    pub fn set_update_replace_policy(&self, policy: &str) {
        self.data_mut().update_replace_policy = Some(policy.to_string());
    }

    /// Sets `UpdatePolicy`.
    pub fn set_update_policy(&self, policy: impl Into<Value>) {
        self.data_mut().update_policy = Some(policy.into());
    }

    /// Sets `CreationPolicy`.
    pub fn set_creation_policy(&self, policy: impl Into<Value>) {
        self.data_mut().creation_policy = Some(policy.into());
    }

    /// Creates the resource only when `condition` holds.
    pub fn set_condition(&self, condition: &crate::CfnCondition) {
        self.data_mut().condition = Some(condition.name());
    }

    /// Adds an entry to the resource's `Metadata`.
    pub fn add_metadata(&self, key: &str, value: impl Into<Value>) {
        self.data_mut().metadata.insert(key.to_string(), value.into());
    }

    /// Sets a value at a dotted path of the rendered resource (`Properties.A.B`),
    /// creating objects on the way. A numeric part indexes into an existing list.
    /// Use `\.` for a literal dot in a key.
    pub fn add_override(&self, path: &str, value: impl Into<Value>) {
        self.data_mut().overrides.push((split_path(path), Some(value.into())));
    }

    /// Removes the value at a dotted path of the rendered resource.
    pub fn add_deletion_override(&self, path: &str) {
        self.data_mut().overrides.push((split_path(path), None));
    }

    /// `add_override("Properties." + path, value)`.
    pub fn add_property_override(&self, path: &str, value: impl Into<Value>) {
        self.add_override(&format!("Properties.{path}"), value);
    }

    /// `add_deletion_override("Properties." + path)`.
    pub fn add_property_deletion_override(&self, path: &str) {
        self.add_deletion_override(&format!("Properties.{path}"));
    }

    /// Makes the resource taggable: tags from [`Tags`](crate::Tags) render into
    /// `property` in `format`.
    pub fn enable_tags(&self, format: TagFormat, property: &str) {
        self.data_mut().tags = Some(TagManager::new(format, property));
    }

    /// Whether [`Tags`](crate::Tags) apply to this resource.
    pub fn is_taggable(&self) -> bool {
        self.data().tags.is_some()
    }

    pub(crate) fn with_tags<R>(&self, f: impl FnOnce(&mut TagManager) -> R) -> Option<R> {
        self.data_mut().tags.as_mut().map(f)
    }

    /// The tags [`Tags`](crate::Tags) set, after priorities, sorted by key.
    pub fn tags(&self) -> Vec<(String, String)> {
        self.data().tags.as_ref().map(TagManager::tags).unwrap_or_default()
    }
}

/// Splits `A.B\.C.D` into `["A", "B.C", "D"]`.
fn split_path(path: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut chars = path.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'.') => {
                parts.last_mut().expect("parts is never empty").push('.');
                chars.next();
            }
            '.' => parts.push(String::new()),
            c => parts.last_mut().expect("parts is never empty").push(c),
        }
    }
    parts
}

/// Applies one override to a rendered resource.
pub(crate) fn apply_override(target: &mut Value, path: &[String], value: Option<&Value>) {
    let Some((key, rest)) = path.split_first() else { return };
    if let Value::Array(items) = target {
        if let Ok(i) = key.parse::<usize>() {
            if rest.is_empty() {
                match value {
                    Some(v) if i < items.len() => items[i] = v.clone(),
                    Some(v) if i == items.len() => items.push(v.clone()),
                    None if i < items.len() => {
                        items.remove(i);
                    }
                    _ => {}
                }
            } else if let Some(item) = items.get_mut(i) {
                apply_override(item, rest, value);
            }
            return;
        }
    }
    if !matches!(target, Value::Object(_)) {
        if value.is_none() {
            return;
        }
        *target = Value::Object(IndexMap::new());
    }
    let Value::Object(map) = target else { return };
    if rest.is_empty() {
        match value {
            Some(v) => {
                map.insert(key.clone(), v.clone());
            }
            None => {
                map.shift_remove(key);
            }
        }
        return;
    }
    let child = map.entry(key.clone()).or_insert(Value::Null);
    apply_override(child, rest, value);
}

impl IConstruct for CfnResource {
    fn node(&self) -> &Node {
        &self.node
    }
}

impl std::fmt::Debug for CfnResource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CfnResource({} {})", self.resource_type(), self.node.path())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synthesis_renders_properties_once() {
        let app = crate::App::new();
        let stack = crate::Stack::new(&app, "S");
        let topic = CfnResource::new(&stack, "Topic", "AWS::SNS::Topic");
        let calls = Rc::new(std::cell::Cell::new(0));
        let (counter, arn) = (calls.clone(), topic.ref_());
        CfnResource::with_renderer(&stack, "Sub", "AWS::SNS::Subscription", move || {
            counter.set(counter.get() + 1);
            IndexMap::from([("TopicArn".to_string(), arn.clone())])
        });
        let out = app.synth_in_memory().unwrap();
        assert_eq!(out.template("S").unwrap()["Resources"]["Sub"]["Properties"]["TopicArn"]["Ref"], "Topic");
        assert_eq!(calls.get(), 1);
    }

    #[test]
    fn split_path_handles_escaped_dots() {
        assert_eq!(split_path("A.B\\.C.D"), vec!["A", "B.C", "D"]);
    }

    #[test]
    fn overrides_index_into_lists_and_create_objects() {
        let mut v = crate::cfn!({"Properties": {"A": {"B": [{"C": 1}, {"C": 2}]}}});
        apply_override(&mut v, &split_path("Properties.A.B.1.C"), Some(&Value::from(3)));
        apply_override(&mut v, &split_path("Properties.X.Y"), Some(&Value::from("z")));
        apply_override(&mut v, &split_path("Properties.A.B.0"), None);
        assert_eq!(v.to_json().unwrap(), serde_json::json!({"Properties": {"A": {"B": [{"C": 3}]}, "X": {"Y": "z"}}}));
    }
}
