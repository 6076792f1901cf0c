//! From registry schemas to a model of the Rust types to generate.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use serde_json::Value as Json;

use crate::names::{field_ident, pascal, Names};

/// The type of a property.
#[derive(Clone, Debug, PartialEq)]
pub enum Ty {
    Str,
    Int,
    Num,
    Bool,
    /// Untyped JSON (`constructs::Value`).
    Json,
    /// The shared `crate::CfnTag`.
    Tag,
    Enum(usize),
    Struct(usize),
    List(Box<Ty>),
    Map(Box<Ty>),
}

/// One field of a generated struct.
#[derive(Debug)]
pub struct Field {
    /// The CloudFormation name.
    pub cfn: String,
    /// The Rust identifier.
    pub ident: String,
    pub ty: Ty,
    pub required: bool,
    /// Held as `Val<Box<T>>`: the field's struct type contains the field's struct
    /// (recursion), or is large.
    pub boxed: bool,
    /// The field's schema, `$ref`s resolved at the top.
    pub schema: Json,
    pub create_only: bool,
    pub write_only: bool,
    pub deprecated: bool,
}

/// A generated struct: the props of a resource or a property type.
#[derive(Debug)]
pub struct StructDef {
    pub name: String,
    /// The schema definition it comes from, if any.
    pub definition: Option<String>,
    /// The CloudFormation path of its first use (`Configuration`, `Rules.Filter`).
    pub cfn_path: String,
    pub fields: Vec<Field>,
    /// The object schema (for samples: `oneOf`, `anyOf`, `required`).
    pub schema: Json,
}

/// A generated string enum.
#[derive(Debug)]
pub struct EnumDef {
    pub name: String,
    pub definition: Option<String>,
    pub values: Vec<String>,
    pub variants: Vec<String>,
}

/// An attribute `Fn::GetAtt` can read.
#[derive(Debug)]
pub struct Attr {
    /// `Arn`, `Endpoint.Address`.
    pub name: String,
    /// `attr_arn`, `attr_endpoint_address`.
    pub method: String,
    /// Listed in `readOnlyProperties`; otherwise a writable property CloudFormation
    /// documents as a return value (see [`crate::attrs`]).
    pub read_only: bool,
}

/// How a taggable type writes its tags (`constructs::TagFormat`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TagFormat {
    Standard,
    Map,
    AutoScalingGroup,
}

#[derive(Debug)]
pub struct Resource {
    /// `AWS::Location::Map`.
    pub type_name: String,
    /// `Map`.
    pub name: String,
    /// `map`.
    pub module: String,
    /// `CfnMap`.
    pub cfn_struct: String,
    /// `CfnMapProps`.
    pub props_struct: String,
    /// Index 0 is the props struct.
    pub structs: Vec<StructDef>,
    pub enums: Vec<EnumDef>,
    pub attrs: Vec<Attr>,
    pub tagging: Option<(TagFormat, String)>,
    /// Why a type that declares tagging does not take part in `Tags::of`.
    pub tagging_note: Option<String>,
    pub schema: Json,
}

#[derive(Debug)]
pub struct Service {
    /// `AWS` or `Alexa`.
    pub prefix: String,
    /// `Location`.
    pub namespace: String,
    /// `location`: the module and the cargo feature.
    pub feature: String,
    pub resources: Vec<Resource>,
}

/// Reads `providers/us-east-1.json` and the schema files it names.
pub fn load(schemas: &Path) -> Result<Vec<(String, Json)>, String> {
    let index_path = schemas.join("providers").join("us-east-1.json");
    let index: BTreeMap<String, String> = read_json(&index_path)
        .and_then(|j| serde_json::from_value(j).map_err(|e| format!("{}: {e}", index_path.display())))?;
    let mut out = Vec::new();
    for (type_name, hash) in index {
        let schema = read_json(&schemas.join("resources").join(format!("{hash}.json")))?;
        out.push((type_name, schema));
    }
    Ok(out)
}

fn read_json(path: &Path) -> Result<Json, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Builds the model of every service.
pub fn build(types: &[(String, Json)]) -> Result<Vec<Service>, String> {
    let mut services: BTreeMap<String, Service> = BTreeMap::new();
    for (type_name, schema) in types {
        let parts: Vec<&str> = type_name.split("::").collect();
        let [prefix, namespace, name] = parts[..] else {
            return Err(format!("unexpected type name {type_name}"));
        };
        let feature = namespace.to_ascii_lowercase();
        let service = services.entry(feature.clone()).or_insert_with(|| Service {
            prefix: prefix.to_string(),
            namespace: namespace.to_string(),
            feature: feature.clone(),
            resources: Vec::new(),
        });
        if service.namespace != namespace || service.prefix != prefix {
            return Err(format!("{type_name}: namespace clashes with {}::{}", service.prefix, service.namespace));
        }
        service.resources.push(build_resource(type_name, name, schema));
    }
    let mut out: Vec<Service> = services.into_values().collect();
    for s in &mut out {
        s.resources.sort_by(|a, b| a.name.cmp(&b.name));
        let mut modules = Names::with_reserved(&[]);
        for r in &mut s.resources {
            r.module = modules.take_sep(std::slice::from_ref(&r.module), "_");
        }
    }
    Ok(out)
}

/// Names every generated file may not use for its own types.
const RESERVED: &[&str] = &[
    "Val",
    "List",
    "Map",
    "Value",
    "Option",
    "Some",
    "None",
    "String",
    "Vec",
    "Box",
    "Default",
    "Clone",
    "Debug",
    "IndexMap",
    "Result",
    "Ok",
    "Err",
    "Self",
    "Literal",
    "ToCfn",
    "Renderer",
    "CfnTag",
    "Resource",
    "PartialEq",
    "Eq",
    "Into",
    "From",
    "Fn",
    "IConstruct",
    "Deref",
    "Sized",
    "Send",
    "Sync",
    "Copy",
    "Drop",
];

struct Hint {
    name: String,
    parent: String,
    definition: Option<String>,
    cfn_path: String,
}

struct Builder<'a> {
    root: &'a Json,
    resource_name: String,
    names: Names,
    structs: Vec<StructDef>,
    enums: Vec<EnumDef>,
    cache: HashMap<String, Ty>,
    enum_cache: HashMap<(String, Vec<String>), usize>,
    struct_cache: HashMap<String, usize>,
}

fn build_resource(type_name: &str, name: &str, schema: &Json) -> Resource {
    let cfn_struct = format!("Cfn{}", pascal(name));
    let props_struct = format!("{cfn_struct}Props");
    let mut reserved: Vec<&str> = RESERVED.to_vec();
    reserved.push(&cfn_struct);
    reserved.push(&props_struct);
    let mut b = Builder {
        root: schema,
        resource_name: pascal(name),
        names: Names::with_reserved(&reserved),
        structs: Vec::new(),
        enums: Vec::new(),
        cache: HashMap::new(),
        enum_cache: HashMap::new(),
        struct_cache: HashMap::new(),
    };
    let read_only: BTreeSet<String> = str_list(schema.get("readOnlyProperties"))
        .into_iter()
        .filter_map(|p| p.strip_prefix("/properties/").map(str::to_string))
        .filter(|p| !p.contains('/'))
        .collect();
    b.structs.push(StructDef {
        name: props_struct.clone(),
        definition: None,
        cfn_path: String::new(),
        fields: Vec::new(),
        schema: schema.clone(),
    });
    b.fill_struct(0, schema, &read_only);
    mark_paths(&mut b.structs, schema.get("createOnlyProperties"), |f| f.create_only = true);
    mark_paths(&mut b.structs, schema.get("writeOnlyProperties"), |f| f.write_only = true);
    mark_paths(&mut b.structs, schema.get("deprecatedProperties"), |f| f.deprecated = true);
    box_fields(&mut b.structs);

    let attrs = crate::attrs::attributes(type_name, schema);

    let (tagging, tagging_note) = tagging(schema, &b.structs);
    Resource {
        type_name: type_name.to_string(),
        name: name.to_string(),
        module: field_ident(name),
        cfn_struct,
        props_struct,
        structs: b.structs,
        enums: b.enums,
        attrs,
        tagging,
        tagging_note,
        schema: schema.clone(),
    }
}

fn tagging(schema: &Json, structs: &[StructDef]) -> (Option<(TagFormat, String)>, Option<String>) {
    let tagging = schema.get("tagging");
    let taggable = match tagging {
        Some(t) => t.get("taggable").and_then(Json::as_bool).unwrap_or(true),
        None => schema.get("taggable").and_then(Json::as_bool).unwrap_or(false),
    };
    if !taggable {
        return (None, None);
    }
    let pointer = tagging.and_then(|t| t.get("tagProperty")).and_then(Json::as_str).unwrap_or("/properties/Tags");
    let Some(prop) = pointer.strip_prefix("/properties/").filter(|p| !p.contains('/')) else {
        return (None, Some(format!("its tag property `{pointer}` is nested, so `Tags::of` does not apply")));
    };
    let Some(field) = structs[0].fields.iter().find(|f| f.cfn == prop) else {
        return (None, Some(format!("its tag property `{prop}` is not a writable property")));
    };
    let format = match &field.ty {
        Ty::List(item) if **item == Ty::Tag => Some(TagFormat::Standard),
        Ty::List(item) => match **item {
            Ty::Struct(j) => {
                let has = |k: &str| structs[j].fields.iter().any(|f| f.cfn == k);
                if has("PropagateAtLaunch") {
                    Some(TagFormat::AutoScalingGroup)
                } else if has("Key") && has("Value") {
                    Some(TagFormat::Standard)
                } else {
                    None
                }
            }
            _ => None,
        },
        Ty::Map(_) => Some(TagFormat::Map),
        Ty::Json => match field.schema.get("type").and_then(Json::as_str) {
            Some("array") => Some(TagFormat::Standard),
            Some("object") | None => Some(TagFormat::Map),
            _ => None,
        },
        _ => None,
    };
    match format {
        Some(f) => (Some((f, prop.to_string())), None),
        None => (None, Some(format!("its tag property `{prop}` has a shape `Tags::of` does not know"))),
    }
}

/// Marks the fields named by JSON pointers such as `/properties/A/B` or `/properties/A/*/B`.
fn mark_paths(structs: &mut [StructDef], paths: Option<&Json>, mark: impl Fn(&mut Field)) {
    for p in str_list(paths) {
        let Some(rest) = p.strip_prefix("/properties/") else { continue };
        let mut current = 0usize;
        let segments: Vec<&str> = rest.split('/').filter(|s| *s != "*").collect();
        for (i, seg) in segments.iter().enumerate() {
            let Some(fi) = structs[current].fields.iter().position(|f| f.cfn == *seg) else { break };
            if i + 1 == segments.len() {
                mark(&mut structs[current].fields[fi]);
                break;
            }
            match innermost(&structs[current].fields[fi].ty) {
                Ty::Struct(j) => current = *j,
                _ => break,
            }
        }
    }
}

fn innermost(ty: &Ty) -> &Ty {
    match ty {
        Ty::List(t) | Ty::Map(t) => innermost(t),
        t => t,
    }
}

/// Struct-typed fields whose type is larger than this (in bytes, estimated) are boxed.
const BOX_ABOVE: usize = 1024;
/// The size of a `Val` of anything that is not a struct, and of a boxed one.
const VAL_SIZE: usize = 72;

/// Boxes the struct-typed fields (not those in lists or maps, which are on the heap
/// already) through which a struct contains itself, and those whose struct is large,
/// so that props stay small whatever the nesting.
fn box_fields(structs: &mut [StructDef]) {
    let n = structs.len();
    let edges: Vec<Vec<usize>> = structs
        .iter()
        .map(|s| s.fields.iter().filter_map(|f| if let Ty::Struct(j) = f.ty { Some(j) } else { None }).collect())
        .collect();
    let reaches = |from: usize, to: usize| -> bool {
        let mut seen = vec![false; n];
        let mut stack = vec![from];
        while let Some(x) = stack.pop() {
            if x == to {
                return true;
            }
            if !std::mem::replace(&mut seen[x], true) {
                stack.extend(edges[x].iter().copied());
            }
        }
        false
    };
    for (i, s) in structs.iter_mut().enumerate() {
        for f in &mut s.fields {
            if let Ty::Struct(j) = f.ty {
                if reaches(j, i) {
                    f.boxed = true;
                }
            }
        }
    }
    // Sizes bottom-up; the recursive fields are boxed already, so this terminates.
    fn size(structs: &mut [StructDef], i: usize, memo: &mut Vec<Option<usize>>) -> usize {
        if let Some(s) = memo[i] {
            return s;
        }
        memo[i] = Some(VAL_SIZE);
        let mut total = 0;
        for fi in 0..structs[i].fields.len() {
            total += match structs[i].fields[fi].ty {
                Ty::Struct(j) if !structs[i].fields[fi].boxed => {
                    let inner = size(structs, j, memo);
                    if inner > BOX_ABOVE {
                        structs[i].fields[fi].boxed = true;
                        VAL_SIZE
                    } else {
                        (inner + 8).max(VAL_SIZE)
                    }
                }
                _ => VAL_SIZE,
            };
        }
        memo[i] = Some(total);
        total
    }
    let mut memo = vec![None; n];
    for i in 0..n {
        size(structs, i, &mut memo);
    }
}

pub fn str_list(v: Option<&Json>) -> Vec<String> {
    v.and_then(Json::as_array)
        .map(|a| a.iter().filter_map(|x| x.as_str().map(str::to_string)).collect())
        .unwrap_or_default()
}

/// The non-null JSON types a schema allows (`type` as a string or a list).
pub fn types_of(s: &Json) -> Vec<&str> {
    match s.get("type") {
        Some(Json::String(t)) => vec![t.as_str()],
        Some(Json::Array(a)) => a.iter().filter_map(Json::as_str).filter(|t| *t != "null").collect(),
        _ => Vec::new(),
    }
}

/// Follows `$ref`s (JSON pointers into the same document) to the schema they name.
pub fn resolve<'a>(root: &'a Json, mut s: &'a Json) -> &'a Json {
    for _ in 0..32 {
        let Some(r) = s.get("$ref").and_then(Json::as_str) else { return s };
        match r.strip_prefix('#').and_then(|p| root.pointer(p)) {
            Some(t) => s = t,
            None => return s,
        }
    }
    s
}

/// The properties of an object schema, including those of its `oneOf`, `anyOf` and
/// `allOf` branches; `None` when the schema is not an object with properties.
pub fn object_properties<'a>(root: &'a Json, s: &'a Json) -> Option<BTreeMap<String, &'a Json>> {
    let types = types_of(s);
    if !(types.is_empty() || types == ["object"]) {
        return None;
    }
    let mut props: BTreeMap<String, &Json> = BTreeMap::new();
    if let Some(p) = s.get("properties").and_then(Json::as_object) {
        for (k, v) in p {
            props.insert(k.clone(), v);
        }
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        for branch in s.get(key).and_then(Json::as_array).into_iter().flatten() {
            let branch = resolve(root, branch);
            let types = types_of(branch);
            if !(types.is_empty() || types == ["object"]) {
                continue;
            }
            if let Some(p) = branch.get("properties").and_then(Json::as_object) {
                for (k, v) in p {
                    props.entry(k.clone()).or_insert(v);
                }
            }
        }
    }
    (!props.is_empty()).then_some(props)
}

/// Keywords that do not constrain a value.
const ANNOTATIONS: &[&str] = &["default", "description", "title", "examples", "$comment", "deprecated"];

/// A branch that accepts any JSON of several kinds (`{"type": ["object", "string"]}`,
/// `{"format": "json"}`): cfn-lint's patches add them for legacy forms.
fn is_any_json(s: &Json) -> bool {
    types_of(s).len() > 1 || s.get("format").and_then(Json::as_str) == Some("json")
}

/// A schema with its `$ref` resolved and the keywords beside the `$ref` laid over
/// the target's (`{"$ref": "#/definitions/Keys", "minItems": 2}`).
pub fn resolve_merged(root: &Json, s: &Json) -> Json {
    merged_at(root, s, 0)
}

fn merged_at(root: &Json, s: &Json, depth: usize) -> Json {
    let Some(r) = s.get("$ref").and_then(Json::as_str) else { return s.clone() };
    let Some(target) = r.strip_prefix('#').and_then(|p| root.pointer(p)) else { return s.clone() };
    if depth > 32 {
        return target.clone();
    }
    let mut out = merged_at(root, target, depth + 1);
    if let (Some(o), Some(own)) = (out.as_object_mut(), s.as_object()) {
        for (k, v) in own {
            if k != "$ref" && k != "description" {
                o.insert(k.clone(), v.clone());
            }
        }
    }
    out
}

fn is_plain_string(root: &Json, s: &Json) -> bool {
    let s = resolve(root, s);
    types_of(s) == ["string"] && s.get("enum").is_none()
}

/// `{Key, Value}` with string values and nothing else: the shared `CfnTag`.
fn is_tag(root: &Json, s: &Json) -> bool {
    let Some(props) = s.get("properties").and_then(Json::as_object) else { return false };
    props.len() == 2
        && props.get("Key").is_some_and(|k| is_plain_string(root, k))
        && props.get("Value").is_some_and(|v| is_plain_string(root, v))
        && str_list(s.get("required")).contains(&"Key".to_string())
        && s.get("oneOf").is_none()
        && s.get("anyOf").is_none()
}

impl Builder<'_> {
    fn ty(&mut self, s: &Json, hint: Hint) -> Ty {
        if let Some(r) = s.get("$ref").and_then(Json::as_str) {
            if let Some(t) = self.cache.get(r) {
                return t.clone();
            }
            let root = self.root;
            let Some(target) = r.strip_prefix('#').and_then(|p| root.pointer(p)) else { return Ty::Json };
            let def = r.rsplit('/').next().unwrap_or(r).to_string();
            let hint = Hint {
                name: def.clone(),
                parent: hint.parent,
                definition: r.starts_with("#/definitions/").then_some(def),
                cfn_path: hint.cfn_path,
            };
            // A placeholder breaks cycles through lists and aliases.
            self.cache.insert(r.to_string(), Ty::Json);
            let t = self.ty(target, hint);
            self.cache.insert(r.to_string(), t.clone());
            return t;
        }
        let types = types_of(s);
        if types.len() > 1 {
            return Ty::Json;
        }
        let t = types.first().copied();
        if let Some(c) = s.get("const").and_then(Json::as_str) {
            if matches!(t, None | Some("string")) {
                return Ty::Enum(self.enum_ty(vec![c.to_string()], &hint));
            }
        }
        if let Some(values) = s.get("enum").and_then(Json::as_array) {
            let strings: Vec<String> = values.iter().filter_map(|v| v.as_str().map(str::to_string)).collect();
            if strings.len() == values.len() && !strings.is_empty() && matches!(t, None | Some("string")) {
                return Ty::Enum(self.enum_ty(strings, &hint));
            }
        }
        match t {
            Some("string") => Ty::Str,
            Some("integer") => Ty::Int,
            Some("number") => Ty::Num,
            Some("boolean") => Ty::Bool,
            Some("array") => self.list_ty(s, hint),
            Some("object") => self.object_ty(s, hint),
            None if s.get("properties").is_some() || s.get("patternProperties").is_some() => self.object_ty(s, hint),
            None if s.get("items").is_some() => self.list_ty(s, hint),
            None => {
                if object_properties(self.root, s).is_some() {
                    return self.object_ty(s, hint);
                }
                // `allOf` of one typed schema and annotations (`{"default": ..}`).
                if let Some(branches) = s.get("allOf").and_then(Json::as_array) {
                    let typed: Vec<&Json> = branches
                        .iter()
                        .filter(|b| b.as_object().is_some_and(|o| o.keys().any(|k| !ANNOTATIONS.contains(&k.as_str()))))
                        .collect();
                    if let [one] = typed.as_slice() {
                        return self.ty(one, hint);
                    }
                }
                // A union: the branches that are not "any JSON" decide. One such
                // branch is the type (the others are legacy forms a token can still
                // pass); branches of one primitive type are that type.
                let all: Vec<&Json> = ["oneOf", "anyOf"]
                    .iter()
                    .flat_map(|k| s.get(*k).and_then(Json::as_array).into_iter().flatten())
                    .collect();
                let typed: Vec<&Json> = all.iter().copied().filter(|b| !is_any_json(resolve(self.root, b))).collect();
                if let [one] = typed.as_slice() {
                    if typed.len() < all.len() {
                        return self.ty(one, hint);
                    }
                }
                let branches: Vec<&Json> = typed.iter().map(|b| resolve(self.root, b)).collect();
                let kinds: BTreeSet<Vec<&str>> = branches.iter().map(|b| types_of(b)).collect();
                match kinds.into_iter().collect::<Vec<_>>().as_slice() {
                    [one] if one.len() == 1 && branches.iter().all(|b| b.get("enum").is_none()) => match one[0] {
                        "string" => Ty::Str,
                        "integer" => Ty::Int,
                        "number" => Ty::Num,
                        "boolean" => Ty::Bool,
                        _ => Ty::Json,
                    },
                    _ => Ty::Json,
                }
            }
            Some(_) => Ty::Json,
        }
    }

    fn list_ty(&mut self, s: &Json, hint: Hint) -> Ty {
        match s.get("items") {
            Some(items @ Json::Object(_)) => Ty::List(Box::new(self.ty(items, hint))),
            _ => Ty::List(Box::new(Ty::Json)),
        }
    }

    fn object_ty(&mut self, s: &Json, hint: Hint) -> Ty {
        if object_properties(self.root, s).is_some() {
            if is_tag(self.root, s) {
                return Ty::Tag;
            }
            // Identical object schemas (a definition and an inline copy of it) share
            // one struct.
            let key = s.to_string();
            if let Some(&id) = self.struct_cache.get(&key) {
                return Ty::Struct(id);
            }
            let id = self.new_struct(s, &hint);
            self.struct_cache.insert(key, id);
            self.fill_struct(id, s, &BTreeSet::new());
            return Ty::Struct(id);
        }
        if let Some(pp) = s.get("patternProperties").and_then(Json::as_object) {
            if pp.len() == 1 {
                let v = pp.values().next().expect("one pattern");
                let item = self.ty(v, Hint { name: format!("{}Value", hint.name), ..hint });
                return Ty::Map(Box::new(item));
            }
            return Ty::Json;
        }
        if let Some(ap @ Json::Object(_)) = s.get("additionalProperties") {
            let item = self.ty(ap, Hint { name: format!("{}Value", hint.name), ..hint });
            return Ty::Map(Box::new(item));
        }
        Ty::Json
    }

    fn type_name_candidates(&self, hint: &Hint, suffix: &str) -> Vec<String> {
        let fix = |s: String| {
            let s = if s.is_empty() { "Anonymous".to_string() } else { s };
            if s.starts_with(|c: char| c.is_ascii_digit()) {
                format!("T{s}")
            } else {
                s
            }
        };
        let own = fix(pascal(&hint.name));
        let mut c = vec![format!("{own}{suffix}")];
        if hint.definition.is_none() {
            let parent = if hint.parent.is_empty() { self.resource_name.clone() } else { hint.parent.clone() };
            c.push(format!("{parent}{own}{suffix}"));
        }
        c
    }

    fn new_struct(&mut self, s: &Json, hint: &Hint) -> usize {
        let name = self.names.take(&self.type_name_candidates(hint, "Property"));
        self.structs.push(StructDef {
            name,
            definition: hint.definition.clone(),
            cfn_path: hint.cfn_path.clone(),
            fields: Vec::new(),
            schema: s.clone(),
        });
        self.structs.len() - 1
    }

    fn enum_ty(&mut self, values: Vec<String>, hint: &Hint) -> usize {
        let key = (pascal(&hint.name), values.clone());
        if hint.definition.is_none() {
            if let Some(&i) = self.enum_cache.get(&key) {
                return i;
            }
        }
        let name = self.names.take(&self.type_name_candidates(hint, ""));
        let mut variants = Names::with_reserved(&["Other", "Self"]);
        let variant_names = values
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let mut p = pascal(v);
                if p.is_empty() {
                    p = symbol_name(v).unwrap_or_else(|| format!("Value{i}"));
                }
                if p.starts_with(|c: char| c.is_ascii_digit()) {
                    p.insert(0, 'V');
                }
                variants.take(&[p.clone(), format!("{p}Value")])
            })
            .collect();
        self.enums.push(EnumDef { name, definition: hint.definition.clone(), values, variants: variant_names });
        let i = self.enums.len() - 1;
        if hint.definition.is_none() {
            self.enum_cache.insert(key, i);
        }
        i
    }

    fn fill_struct(&mut self, id: usize, s: &Json, skip: &BTreeSet<String>) {
        let root = self.root;
        let props = object_properties(root, s).unwrap_or_default();
        let required: BTreeSet<String> = str_list(s.get("required")).into_iter().collect();
        let parent = if id == 0 {
            self.resource_name.clone()
        } else {
            self.structs[id].name.trim_end_matches("Property").to_string()
        };
        let base_path = self.structs[id].cfn_path.clone();
        let mut idents = Names::with_reserved(&[]);
        let mut fields = Vec::new();
        for (name, ps) in props {
            if skip.contains(&name) {
                continue;
            }
            let cfn_path = if base_path.is_empty() { name.clone() } else { format!("{base_path}.{name}") };
            let ty = self.ty(ps, Hint { name: name.clone(), parent: parent.clone(), definition: None, cfn_path });
            let ident = idents.take_sep(&[field_ident(&name)], "_");
            fields.push(Field {
                required: required.contains(&name),
                boxed: false,
                cfn: name,
                ident,
                ty,
                schema: resolve_merged(root, ps),
                create_only: false,
                write_only: false,
                deprecated: false,
            });
        }
        self.structs[id].fields = fields;
    }
}

fn symbol_name(v: &str) -> Option<String> {
    let words: Vec<&str> = v
        .chars()
        .filter_map(|c| match c {
            '*' => Some("Star"),
            '+' => Some("Plus"),
            '-' => Some("Minus"),
            '.' => Some("Dot"),
            '/' => Some("Slash"),
            ' ' => Some("Space"),
            '=' => Some("Equals"),
            '<' => Some("Less"),
            '>' => Some("Greater"),
            '!' => Some("Not"),
            _ => None,
        })
        .collect();
    if v.is_empty() {
        Some("Empty".into())
    } else if words.is_empty() {
        None
    } else {
        Some(words.concat())
    }
}
