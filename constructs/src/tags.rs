//! Tags: `Tags::of(scope).add(key, value)` tags every taggable resource below
//! `scope`, in the shape its type expects.

use std::rc::Rc;

use indexmap::IndexMap;

use crate::aspect::{Aspect, Aspects};
use crate::node::{IConstruct, Node};
use crate::resource::CfnResource;
use crate::value::Value;

/// How a resource type writes its tags.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TagFormat {
    /// `[{"Key": k, "Value": v}]`, the common form.
    Standard,
    /// `[{"Key": k, "Value": v, "PropagateAtLaunch": true}]` (auto scaling groups).
    AutoScalingGroup,
    /// `{k: v}` (Cognito user pools, SSM parameters, ...).
    Map,
}

#[derive(Clone, Debug)]
struct TagEntry {
    value: Option<String>,
    priority: u32,
}

/// The tags of one resource, with CDK's priority rules: a tag (or removal) with a
/// lower priority than the one already set is ignored.
#[derive(Clone, Debug)]
pub struct TagManager {
    format: TagFormat,
    property: String,
    tags: IndexMap<String, TagEntry>,
}

impl TagManager {
    pub(crate) fn new(format: TagFormat, property: &str) -> Self {
        TagManager { format, property: property.to_string(), tags: IndexMap::new() }
    }

    fn set(&mut self, key: &str, value: Option<String>, priority: u32) {
        if let Some(existing) = self.tags.get(key) {
            if existing.priority > priority {
                return;
            }
        }
        self.tags.insert(key.to_string(), TagEntry { value, priority });
    }

    /// The effective tags, sorted by key.
    pub fn tags(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> =
            self.tags.iter().filter_map(|(k, e)| e.value.clone().map(|v| (k.clone(), v))).collect();
        out.sort();
        out
    }

    /// Merges the managed tags into the rendered properties: tags the user wrote in
    /// the props stay, managed tags with the same key replace them, removed keys go.
    pub(crate) fn render_into(&self, props: &mut IndexMap<String, Value>) {
        let removed: Vec<&String> = self.tags.iter().filter(|(_, e)| e.value.is_none()).map(|(k, _)| k).collect();
        let managed = self.tags();
        if managed.is_empty() && removed.is_empty() {
            return;
        }
        let is_managed = |k: &str| removed.iter().any(|r| *r == k) || managed.iter().any(|(m, _)| m == k);
        match self.format {
            TagFormat::Map => {
                let mut map = match props.get(&self.property) {
                    Some(Value::Object(m)) => m.clone(),
                    _ => IndexMap::new(),
                };
                map.retain(|k, _| !is_managed(k));
                for (k, v) in managed {
                    map.insert(k, Value::String(v));
                }
                props.insert(self.property.clone(), Value::Object(map));
            }
            TagFormat::Standard | TagFormat::AutoScalingGroup => {
                let mut list: Vec<Value> = match props.get(&self.property) {
                    Some(Value::Array(a)) => a
                        .iter()
                        .filter(|t| {
                            let key = t.as_object().and_then(|o| o.get("Key")).and_then(Value::as_str);
                            key.is_none_or(|k| !is_managed(k))
                        })
                        .cloned()
                        .collect(),
                    _ => Vec::new(),
                };
                for (k, v) in managed {
                    let mut tag = IndexMap::new();
                    tag.insert("Key".to_string(), Value::String(k));
                    tag.insert("Value".to_string(), Value::String(v));
                    if self.format == TagFormat::AutoScalingGroup {
                        tag.insert("PropagateAtLaunch".to_string(), Value::Bool(true));
                    }
                    list.push(Value::Object(tag));
                }
                if list.is_empty() {
                    props.shift_remove(&self.property);
                } else {
                    props.insert(self.property.clone(), Value::Array(list));
                }
            }
        }
    }
}

/// Options of a tag or a tag removal.
#[derive(Clone, Debug, Default)]
pub struct TagProps {
    /// Higher wins; defaults to 100 for `add` and 200 for `remove`, as in the CDK.
    pub priority: Option<u32>,
    /// Only these resource types (empty: all).
    pub include_resource_types: Vec<String>,
    /// Never these resource types.
    pub exclude_resource_types: Vec<String>,
}

/// Adds or removes tags on every taggable resource below a scope.
///
/// ```
/// use constructs::{App, CfnResource, Stack, TagFormat, Tags};
/// let app = App::new();
/// let stack = Stack::new(&app, "S");
/// let bucket = CfnResource::new(&stack, "Bucket", "AWS::S3::Bucket");
/// bucket.enable_tags(TagFormat::Standard, "Tags");
/// Tags::of(&stack).add("team", "web");
/// let assembly = app.synth_in_memory().unwrap();
/// let tags = &assembly.template("S").unwrap()["Resources"]["Bucket"]["Properties"]["Tags"];
/// assert_eq!(tags, &serde_json::json!([{"Key": "team", "Value": "web"}]));
/// ```
pub struct Tags {
    scope: Node,
}

impl Tags {
    /// Tags for everything below `scope`.
    pub fn of(scope: &impl IConstruct) -> Tags {
        Tags { scope: scope.node().clone() }
    }

    /// Adds a tag.
    pub fn add(&self, key: &str, value: &str) {
        self.add_with(key, value, TagProps::default());
    }

    /// Adds a tag with options.
    pub fn add_with(&self, key: &str, value: &str, props: TagProps) {
        Aspects::of(&self.scope).add(Rc::new(TagAspect {
            key: key.to_string(),
            value: Some(value.to_string()),
            priority: props.priority.unwrap_or(100),
            props,
        }));
    }

    /// Removes a tag (also one set in a resource's own props).
    pub fn remove(&self, key: &str) {
        self.remove_with(key, TagProps::default());
    }

    /// Removes a tag with options.
    pub fn remove_with(&self, key: &str, props: TagProps) {
        Aspects::of(&self.scope).add(Rc::new(TagAspect {
            key: key.to_string(),
            value: None,
            priority: props.priority.unwrap_or(200),
            props,
        }));
    }
}

struct TagAspect {
    key: String,
    value: Option<String>,
    priority: u32,
    props: TagProps,
}

impl Aspect for TagAspect {
    fn visit(&self, node: &Node) {
        let Some(resource) = CfnResource::of(node) else { return };
        let (include, exclude) = (&self.props.include_resource_types, &self.props.exclude_resource_types);
        if !include.is_empty() || !exclude.is_empty() {
            let ty = resource.resource_type();
            if (!include.is_empty() && !include.contains(&ty)) || exclude.contains(&ty) {
                return;
            }
        }
        resource.with_tags(|tags| tags.set(&self.key, self.value.clone(), self.priority));
    }
}
