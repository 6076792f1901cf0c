//! A type's constraint table compiled for checking: schema nodes in one arena,
//! `$ref`s resolved to indices, property names sorted for binary search, patterns
//! compiled once. Checking then does no hashing per value.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use regex::Regex;
use serde_json::Value as Json;

/// What may be beside the named properties of an object.
pub(crate) enum Additional {
    Any,
    Forbidden,
    Schema(usize),
}

/// JSON types as bits of [`Node::type_mask`].
pub(crate) mod json_type {
    pub(crate) const STRING: u8 = 1;
    pub(crate) const INTEGER: u8 = 2;
    pub(crate) const NUMBER: u8 = 4;
    pub(crate) const BOOLEAN: u8 = 8;
    pub(crate) const ARRAY: u8 = 16;
    pub(crate) const OBJECT: u8 = 32;
}

/// One schema node.
pub(crate) struct Node {
    /// The JSON types allowed (empty: any), for messages.
    pub(crate) types: Vec<&'static str>,
    /// The same as bits of [`json_type`], for checking.
    pub(crate) type_mask: u8,
    pub(crate) minimum: Option<f64>,
    pub(crate) maximum: Option<f64>,
    pub(crate) exclusive_minimum: Option<f64>,
    pub(crate) exclusive_maximum: Option<f64>,
    pub(crate) min_length: Option<u64>,
    pub(crate) max_length: Option<u64>,
    /// The pattern and its compiled form (`None` when the `regex` crate refuses it).
    pub(crate) pattern: Option<(String, Option<&'static Regex>)>,
    pub(crate) allowed: Option<Vec<Json>>,
    pub(crate) min_items: Option<u64>,
    pub(crate) max_items: Option<u64>,
    pub(crate) unique_items: bool,
    pub(crate) items: Option<usize>,
    /// The named properties and their nodes, sorted by name (for messages).
    pub(crate) properties: Vec<(String, usize)>,
    /// The properties by a hash of their names, sorted by hash, each with its
    /// place in `properties`: a lookup compares integers, and the bytes of one
    /// name only (binary search by name compared the bytes of several, and
    /// property names share long prefixes).
    pub(crate) by_hash: Vec<(u64, usize)>,
    pub(crate) pattern_properties: Vec<(Option<&'static Regex>, usize)>,
    pub(crate) additional: Additional,
}

impl Node {
    pub(crate) fn property(&self, name: &str) -> Option<usize> {
        let h = name_hash(name);
        let start = self.by_hash.partition_point(|(x, _)| *x < h);
        self.by_hash[start..]
            .iter()
            .take_while(|(x, _)| *x == h)
            .map(|(_, i)| &self.properties[*i])
            .find(|(n, _)| n == name)
            .map(|(_, node)| *node)
    }

    /// Whether the node names the type `bit` of [`json_type`].
    pub(crate) fn accepts(&self, bit: u8) -> bool {
        self.type_mask & bit != 0
    }
}

/// A hash of a property name (multiply-rotate over 8-byte words): names come
/// from the program's own templates, so no defence against chosen keys is needed.
pub(crate) fn name_hash(name: &str) -> u64 {
    const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
    let mut h = name.len() as u64;
    let words = name.as_bytes().chunks_exact(8);
    let rest = words.remainder();
    for w in words {
        let word = u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]);
        h = (h.rotate_left(5) ^ word).wrapping_mul(K);
    }
    // The last bytes as one word, without copying them through a buffer.
    let tail = rest.iter().rev().fold(0u64, |acc, b| acc << 8 | u64::from(*b));
    (h.rotate_left(5) ^ tail).wrapping_mul(K)
}

/// A compiled table.
pub(crate) struct Table {
    pub(crate) nodes: Vec<Node>,
    /// The attributes `Fn::GetAtt` reads.
    pub(crate) attributes: Vec<String>,
}

impl Table {
    /// The node of the resource's `Properties` object.
    pub(crate) const ROOT: usize = 0;

    pub(crate) fn root(&self) -> &Node {
        &self.nodes[Self::ROOT]
    }
}

/// The compiled table of a type, when its service's feature is enabled; compiled
/// the first time a template uses the type and kept for the process's life.
/// Found by the type's place in the sorted list of registry types, without a
/// lock: synthesis looks a table up for every resource.
pub(crate) fn table_of(type_name: &str) -> Option<&'static Table> {
    use crate::services::TYPE_NAMES;
    static TABLES: OnceLock<Vec<OnceLock<Option<Table>>>> = OnceLock::new();
    let i = TYPE_NAMES.binary_search(&type_name).ok()?;
    let tables = TABLES.get_or_init(|| TYPE_NAMES.iter().map(|_| OnceLock::new()).collect());
    tables[i]
        .get_or_init(|| {
            crate::services::constraints(type_name)
                .and_then(|text| serde_json::from_str::<Json>(text).ok())
                .map(|json| compile(&json))
        })
        .as_ref()
}

/// The compiled pattern, or `None` for one the `regex` crate cannot take (a few
/// schema patterns use look-around): those are not checked. Compiled once per
/// process and shared by every table that uses it.
pub(crate) fn pattern(p: &str) -> Option<&'static Regex> {
    static PATTERNS: OnceLock<Mutex<HashMap<String, Option<&'static Regex>>>> = OnceLock::new();
    let mut cache = PATTERNS.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner());
    if let Some(r) = cache.get(p) {
        return *r;
    }
    let compiled = Regex::new(p).ok().map(|r| &*Box::leak(Box::new(r)));
    cache.insert(p.to_string(), compiled);
    compiled
}

fn compile(json: &Json) -> Table {
    let mut c = Compiler { root: json, nodes: Vec::new(), definitions: HashMap::new() };
    c.node(json);
    let attributes = json
        .get("attributes")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .filter_map(Json::as_str)
        .map(str::to_string)
        .collect();
    Table { nodes: c.nodes, attributes }
}

struct Compiler<'a> {
    root: &'a Json,
    nodes: Vec<Node>,
    definitions: HashMap<&'a str, usize>,
}

impl<'a> Compiler<'a> {
    /// Compiles a node (or the definition it refers to) and returns its index.
    fn node(&mut self, s: &'a Json) -> usize {
        if let Some(name) = s.get("$ref").and_then(Json::as_str).and_then(|r| r.strip_prefix("#/definitions/")) {
            if let Some(&i) = self.definitions.get(name) {
                return i;
            }
            if let Some(def) = self.root.get("definitions").and_then(|d| d.get(name)) {
                // Reserved first: a definition may refer to itself.
                let i = self.reserve();
                self.definitions.insert(name, i);
                let node = self.build(def);
                self.nodes[i] = node;
                return i;
            }
        }
        let i = self.reserve();
        let node = self.build(s);
        self.nodes[i] = node;
        i
    }

    fn reserve(&mut self) -> usize {
        self.nodes.push(empty());
        self.nodes.len() - 1
    }

    fn build(&mut self, s: &'a Json) -> Node {
        let f = |k: &str| s.get(k).and_then(Json::as_f64);
        let u = |k: &str| s.get(k).and_then(Json::as_u64);
        let types = match s.get("type") {
            Some(Json::String(t)) => vec![type_name(t)],
            Some(Json::Array(a)) => a.iter().filter_map(Json::as_str).map(type_name).collect(),
            _ => Vec::new(),
        };
        let mut properties: Vec<(String, usize)> = s
            .get("properties")
            .and_then(Json::as_object)
            .into_iter()
            .flatten()
            .map(|(k, v)| (k.clone(), self.node(v)))
            .collect();
        properties.sort_by(|a, b| a.0.cmp(&b.0));
        let mut by_hash: Vec<(u64, usize)> =
            properties.iter().enumerate().map(|(i, (name, _))| (name_hash(name), i)).collect();
        by_hash.sort_unstable();
        let pattern_properties = s
            .get("patternProperties")
            .and_then(Json::as_object)
            .into_iter()
            .flatten()
            .map(|(k, v)| (pattern(k), self.node(v)))
            .collect();
        let additional = match s.get("additionalProperties") {
            Some(Json::Bool(false)) => Additional::Forbidden,
            Some(a @ Json::Object(_)) => Additional::Schema(self.node(a)),
            _ => Additional::Any,
        };
        let items = s.get("items").filter(|i| i.is_object()).map(|i| self.node(i));
        let type_mask = types.iter().map(|t| type_bit(t)).fold(0, |a, b| a | b);
        Node {
            types,
            type_mask,
            minimum: f("minimum"),
            maximum: f("maximum"),
            exclusive_minimum: f("exclusiveMinimum"),
            exclusive_maximum: f("exclusiveMaximum"),
            min_length: u("minLength"),
            max_length: u("maxLength"),
            pattern: s.get("pattern").and_then(Json::as_str).map(|p| (p.to_string(), pattern(p))),
            allowed: s.get("enum").and_then(Json::as_array).cloned(),
            min_items: u("minItems"),
            max_items: u("maxItems"),
            unique_items: s.get("uniqueItems") == Some(&Json::Bool(true)),
            items,
            properties,
            by_hash,
            pattern_properties,
            additional,
        }
    }
}

fn type_name(t: &str) -> &'static str {
    match t {
        "string" => "string",
        "integer" => "integer",
        "number" => "number",
        "boolean" => "boolean",
        "array" => "array",
        "object" => "object",
        _ => "null",
    }
}

fn type_bit(t: &str) -> u8 {
    match t {
        "string" => json_type::STRING,
        "integer" => json_type::INTEGER,
        "number" => json_type::NUMBER,
        "boolean" => json_type::BOOLEAN,
        "array" => json_type::ARRAY,
        "object" => json_type::OBJECT,
        _ => 0,
    }
}

fn empty() -> Node {
    Node {
        types: Vec::new(),
        type_mask: 0,
        minimum: None,
        maximum: None,
        exclusive_minimum: None,
        exclusive_maximum: None,
        min_length: None,
        max_length: None,
        pattern: None,
        allowed: None,
        min_items: None,
        max_items: None,
        unique_items: false,
        items: None,
        properties: Vec::new(),
        by_hash: Vec::new(),
        pattern_properties: Vec::new(),
        additional: Additional::Any,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_property_is_found_by_its_name_and_no_other_name_is() {
        let table = table_of("AWS::Lambda::Function").expect("the lambda feature is on for tests");
        let root = table.root();
        assert!(root.properties.len() > 10);
        for (name, node) in &root.properties {
            assert_eq!(root.property(name), Some(*node), "{name}");
            assert_eq!(root.property(&name.to_lowercase()), None, "{name} in lower case");
            assert_eq!(root.property(&format!("{name}x")), None, "{name}x");
        }
        assert_eq!(root.property(""), None);
    }
}
