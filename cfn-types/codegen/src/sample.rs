//! Sample instances of every resource type, written as Rust that uses the generated
//! API, for the schema test (`cfn-types/tests/schemas.rs`): each sample fills the
//! properties with values that satisfy the schema's constraints, builds the L1 in a
//! stack and reads every attribute accessor.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::PathBuf;

use serde_json::{json, Value as Json};

use crate::model::{object_properties, resolve, str_list, types_of, Resource, Service, Ty};
use crate::strgen::{strings, StrSpec, EXTRA_PATTERNS};
use crate::HEADER;

/// Optional fields filled per resource before the sample keeps to required ones.
const BUDGET: usize = 250;
/// Struct nesting past which only required fields are filled.
const DEEP: usize = 6;
/// Struct nesting past which a sample gives up.
const TOO_DEEP: usize = 14;

/// `tests/samples/mod.rs` and one `tests/samples/<feature>.rs` per service.
pub fn files(services: &[Service]) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    let mut m = String::from(HEADER);
    m.push_str("\n//! Sample instances of every generated resource type, for `tests/schemas.rs`.\n\n");
    m.push_str("use constructs::{Stack, Value};\n\n");
    m.push_str("/// Builds one instance in `stack` and returns the value of every attribute accessor.\n");
    m.push_str("pub type Sample = fn(&Stack) -> Vec<Value>;\n");
    for s in services {
        let _ = write!(m, "\n#[cfg(feature = \"{f}\")]\nmod {f};", f = s.feature);
    }
    m.push_str(
        "\n\n/// The features of the crate and whether each is enabled.\npub const FEATURES: &[(&str, bool)] = &[\n",
    );
    for s in services {
        let _ = writeln!(m, "    (\"{f}\", cfg!(feature = \"{f}\")),", f = s.feature);
    }
    m.push_str("];\n\n/// `(type name, sample)` for every resource type of the enabled features.\n");
    m.push_str("pub fn all() -> Vec<(&'static str, Sample)> {\n");
    m.push_str("    #[allow(unused_mut)]\n    let mut all: Vec<(&'static str, Sample)> = Vec::new();\n");
    for s in services {
        let _ = writeln!(m, "    #[cfg(feature = \"{f}\")]\n    all.extend_from_slice({f}::ALL);", f = s.feature);
    }
    m.push_str("    all\n}\n");
    out.push((PathBuf::from("tests/samples/mod.rs"), m));

    for s in services {
        let mut f = String::from(HEADER);
        let _ = writeln!(f, "\n//! Samples of `{}::{}`.\n", s.prefix, s.namespace);
        f.push_str("use constructs::{Stack, Value};\n\n");
        let mut table = String::new();
        for r in &s.resources {
            let fn_name = &r.module;
            let mut g = Gen { r, budget: BUDGET, stack: Vec::new(), path: Vec::new(), unsatisfied: None };
            let props = g.struct_lit(0, 1, 0, 0);
            let _ = writeln!(f, "fn {fn_name}(stack: &Stack) -> Vec<Value> {{");
            let _ = writeln!(f, "    #[allow(unused_imports)]\n    use cfn_types::{}::{}::*;", s.feature, r.module);
            match props {
                Some(props) => {
                    let _ = writeln!(f, "    let r = {}::new(stack, {:?}, {props});", r.cfn_struct, r.name);
                }
                None => {
                    let _ = writeln!(
                        f,
                        "    // No generated value satisfies the required `{}`: build with defaults.\n    let r = {}::new(stack, {:?}, Default::default());",
                        g.unsatisfied.as_deref().unwrap_or("?"),
                        r.cfn_struct,
                        r.name
                    );
                }
            }
            let attrs: Vec<String> = r.attrs.iter().map(|a| format!("r.{}()", a.method)).collect();
            if attrs.is_empty() {
                let _ = writeln!(f, "    let _ = r;\n    Vec::new()");
            } else {
                let _ = writeln!(f, "    vec![{}]", attrs.join(", "));
            }
            let _ = writeln!(f, "}}\n");
            let _ = writeln!(table, "    ({:?}, {fn_name}),", r.type_name);
        }
        let _ = write!(f, "pub const ALL: &[(&str, super::Sample)] = &[\n{table}];\n");
        out.push((PathBuf::from(format!("tests/samples/{}.rs", s.feature)), f));
    }
    out
}

struct Gen<'a> {
    r: &'a Resource,
    budget: usize,
    stack: Vec<usize>,
    /// The property path being filled, and the first required one no value satisfied.
    path: Vec<String>,
    unsatisfied: Option<String>,
}

fn pad(n: usize) -> String {
    "    ".repeat(n)
}

/// The properties a `oneOf`/`anyOf` branch requires.
fn branch_required(root: &Json, b: &Json) -> Vec<String> {
    str_list(resolve(root, b).get("required"))
}

/// What an object sample fills: the object schema's `required`, `oneOf`, `anyOf`,
/// `not`, `allOf` and `if`/`then`/`else` decide it.
#[derive(Default)]
struct Plan {
    required: Vec<String>,
    excluded: Vec<String>,
    /// Extra schemas a property must satisfy (from the chosen branches).
    overlays: BTreeMap<String, Vec<Json>>,
    max_properties: Option<usize>,
    min_properties: usize,
}

impl Plan {
    /// Takes branch `chosen` of a union: its constraints apply, and properties only
    /// other branches define are left out.
    fn take_branch(&mut self, root: &Json, s: &Json, branches: &[Json], chosen: usize, b: &Json) {
        self.overlay(root, b);
        let own = |b: &Json| -> Vec<String> {
            resolve(root, b)
                .get("properties")
                .and_then(Json::as_object)
                .map(|p| p.keys().cloned().collect())
                .unwrap_or_default()
        };
        let base: Vec<String> =
            s.get("properties").and_then(Json::as_object).map(|p| p.keys().cloned().collect()).unwrap_or_default();
        let mine = own(b);
        for (i, other) in branches.iter().enumerate() {
            if i != chosen {
                let only_theirs: Vec<String> =
                    own(other).into_iter().filter(|p| !mine.contains(p) && !base.contains(p)).collect();
                self.exclude(only_theirs);
            }
        }
    }

    fn overlay(&mut self, root: &Json, s: &Json) {
        let s = resolve(root, s);
        self.required.extend(str_list(s.get("required")));
        if let Some(props) = s.get("properties").and_then(Json::as_object) {
            for (k, v) in props {
                self.overlays.entry(k.clone()).or_default().push(resolve(root, v).clone());
            }
        }
    }

    fn exclude(&mut self, names: Vec<String>) {
        for n in names {
            if !self.required.contains(&n) && !self.excluded.contains(&n) {
                self.excluded.push(n);
            }
        }
    }

    /// Makes a branch false: leaves out one property it requires (for `allOf`, of one
    /// child; for `anyOf`/`oneOf`, of every child). Whether that worked.
    fn break_branch(&mut self, root: &Json, b: &Json) -> bool {
        let b = resolve(root, b);
        if let Some(name) = str_list(b.get("required")).into_iter().find(|n| !self.required.contains(n)) {
            self.exclude(vec![name]);
            return true;
        }
        if let Some(children) = b.get("allOf").and_then(Json::as_array) {
            return children.iter().any(|c| self.break_branch(root, c));
        }
        for key in ["anyOf", "oneOf"] {
            if let Some(children) = b.get(key).and_then(Json::as_array) {
                let mut all = true;
                for c in children {
                    all &= self.break_branch(root, c);
                }
                return all;
            }
        }
        false
    }

    /// What a branch requires to hold (its `required`, every `allOf` child's, the
    /// first `anyOf`/`oneOf` child's).
    fn requirements(root: &Json, b: &Json) -> Vec<String> {
        let b = resolve(root, b);
        let mut out = str_list(b.get("required"));
        for c in b.get("allOf").and_then(Json::as_array).into_iter().flatten() {
            out.extend(Plan::requirements(root, c));
        }
        for key in ["anyOf", "oneOf"] {
            if let Some(c) = b.get(key).and_then(Json::as_array).and_then(|a| a.first()) {
                out.extend(Plan::requirements(root, c));
            }
        }
        out
    }

    fn consider(&mut self, root: &Json, s: &Json) {
        if let Some(branches) = s.get("anyOf").and_then(Json::as_array) {
            if let Some(b) = branches.first() {
                self.take_branch(root, s, branches, 0, b);
            }
        }
        if let Some(branches) = s.get("oneOf").and_then(Json::as_array) {
            // A branch that always holds must be the one; else the first whose
            // requirements are not left out. Every other branch is made false.
            let trivial = |b: &Json| {
                let b = resolve(root, b);
                b.as_object().is_some_and(|o| o.keys().all(|k| k == "description" || k == "title"))
            };
            let chosen = branches.iter().position(trivial).unwrap_or_else(|| {
                branches
                    .iter()
                    .position(|b| Plan::requirements(root, b).iter().all(|n| !self.excluded.contains(n)))
                    .unwrap_or(0)
            });
            if let Some(b) = branches.get(chosen) {
                self.take_branch(root, s, branches, chosen, b);
                for n in Plan::requirements(root, b) {
                    if !self.required.contains(&n) {
                        self.required.push(n);
                    }
                }
            }
            for (i, b) in branches.iter().enumerate() {
                if i != chosen {
                    self.break_branch(root, b);
                }
            }
        }
        if let Some(deps) = s.get("dependencies").and_then(Json::as_object) {
            // An optional property with dependencies is left out.
            self.exclude(deps.keys().cloned().collect());
        }
        if let Some(not) = s.get("not") {
            self.exclude(branch_required(root, not));
        }
        if let Some(cond) = s.get("if") {
            let cond = resolve(root, cond);
            let holds = if let Some(inner) = cond.get("not") {
                let names = branch_required(root, inner);
                if names.iter().any(|n| self.required.contains(n)) {
                    false
                } else {
                    self.exclude(names);
                    true
                }
            } else {
                let names = branch_required(root, cond);
                if !names.is_empty() && names.iter().all(|n| self.required.contains(n)) {
                    true
                } else if !names.is_empty() {
                    self.exclude(names);
                    false
                } else {
                    true
                }
            };
            let branch = if holds { s.get("then") } else { s.get("else") };
            if let Some(b) = branch {
                self.overlay(root, b);
                self.consider(root, resolve(root, b));
            }
        }
    }
}

/// `base` with the constraints of `extras` added (for strings, numbers and lists).
fn merge(root: &Json, base: &Json, extras: &[&Json]) -> Json {
    let mut out = resolve(root, base).clone();
    let Some(o) = out.as_object_mut() else { return out };
    for extra in extras {
        let Some(e) = resolve(root, extra).as_object() else { continue };
        for (k, v) in e {
            match k.as_str() {
                "pattern" => {
                    if o.contains_key("pattern") {
                        let more = o.entry(EXTRA_PATTERNS).or_insert_with(|| json!([]));
                        if let Some(a) = more.as_array_mut() {
                            a.push(v.clone());
                        }
                    } else {
                        o.insert(k.clone(), v.clone());
                    }
                }
                "minLength" | "minItems" | "minimum" | "minProperties" => {
                    let keep = o.get(k).and_then(Json::as_f64).is_some_and(|cur| cur >= v.as_f64().unwrap_or(0.0));
                    if !keep {
                        o.insert(k.clone(), v.clone());
                    }
                }
                "maxLength" | "maxItems" | "maximum" | "maxProperties" => {
                    let keep = o.get(k).and_then(Json::as_f64).is_some_and(|cur| cur <= v.as_f64().unwrap_or(f64::MAX));
                    if !keep {
                        o.insert(k.clone(), v.clone());
                    }
                }
                "enum" | "const" | "format" => {
                    o.insert(k.clone(), v.clone());
                }
                _ => {}
            }
        }
    }
    out
}

impl Gen<'_> {
    fn root(&self) -> &Json {
        &self.r.schema
    }

    fn object_plan(&self, s: &Json) -> Plan {
        let root = self.root();
        let mut plan = Plan {
            required: str_list(s.get("required")),
            max_properties: s.get("maxProperties").and_then(Json::as_u64).map(|n| n as usize),
            min_properties: s.get("minProperties").and_then(Json::as_u64).unwrap_or(0) as usize,
            ..Default::default()
        };
        plan.consider(root, s);
        for b in s.get("allOf").and_then(Json::as_array).into_iter().flatten() {
            let b = resolve(root, b);
            plan.overlay(root, b);
            plan.consider(root, b);
        }
        plan
    }

    fn struct_lit(&mut self, i: usize, indent: usize, depth: usize, variant: usize) -> Option<String> {
        if depth > TOO_DEEP {
            return None;
        }
        let r = self.r;
        let s = &r.structs[i];
        let plan = self.object_plan(&s.schema);
        let recursive = self.stack.contains(&i);
        self.stack.push(i);
        let mut lines = Vec::new();
        let mut complete = true;
        let mut count = s.fields.iter().filter(|f| f.required || plan.required.contains(&f.cfn)).count();
        for f in &s.fields {
            let needed = f.required || plan.required.contains(&f.cfn);
            let room = plan.max_properties.is_none_or(|m| count < m);
            let short = count < plan.min_properties;
            let wanted =
                !plan.excluded.contains(&f.cfn) && room && (short || !recursive && depth < DEEP && self.budget > 0);
            if !needed && !wanted {
                complete = false;
                continue;
            }
            let extras: Vec<&Json> = plan.overlays.get(&f.cfn).map(|v| v.iter().collect()).unwrap_or_default();
            let schema = merge(self.root(), &f.schema, &extras);
            self.path.push(f.cfn.clone());
            let expr = self.field_expr(&f.ty, &schema, indent + 1, depth, variant);
            if expr.is_none() && needed && self.unsatisfied.is_none() {
                self.unsatisfied = Some(self.path.join("."));
            }
            self.path.pop();
            if !needed && expr.is_some() {
                self.budget = self.budget.saturating_sub(1);
                count += 1;
            }
            match expr {
                Some(e) if f.required => lines.push(format!("{}{}: {e},", pad(indent + 1), f.ident)),
                Some(e) => lines.push(format!("{}{}: Some({e}),", pad(indent + 1), f.ident)),
                None if needed => {
                    self.stack.pop();
                    return None;
                }
                None => complete = false,
            }
        }
        self.stack.pop();
        let name = if i == 0 { r.props_struct.clone() } else { s.name.clone() };
        if lines.is_empty() && !complete {
            return Some(format!("{name}::default()"));
        }
        let mut o = format!("{name} {{\n");
        for l in lines {
            o.push_str(&l);
            o.push('\n');
        }
        if !complete {
            let _ = writeln!(o, "{}..Default::default()", pad(indent + 1));
        }
        let _ = write!(o, "{}}}", pad(indent));
        Some(o)
    }

    /// An expression of a field's type.
    fn field_expr(&mut self, ty: &Ty, schema: &Json, indent: usize, depth: usize, variant: usize) -> Option<String> {
        if *ty == Ty::Json {
            let v = self.json_sample(schema, 0)?;
            return Some(format!("serde_json::json!({v}).into()"));
        }
        Some(format!("{}.into()", self.lit(ty, schema, indent, depth, variant)?))
    }

    /// An expression that converts into `Val<T>` for the literal type of `ty`.
    fn lit(&mut self, ty: &Ty, schema: &Json, indent: usize, depth: usize, variant: usize) -> Option<String> {
        let root = self.root();
        let schema = resolve(root, schema);
        let schema = if *ty == Ty::Str { schema } else { first_branch(root, schema) };
        match ty {
            Ty::Str => string(root, schema, variant).map(|s| format!("{s:?}")),
            Ty::Int => {
                let n = integer(schema, variant)?;
                Some(if n < 0 { format!("({n}i64)") } else { format!("{n}i64") })
            }
            Ty::Num => {
                let n = integer(schema, variant)? as f64;
                Some(if n < 0.0 { format!("({n:?}f64)") } else { format!("{n:?}f64") })
            }
            Ty::Bool => Some(if variant % 2 == 0 { "true" } else { "false" }.into()),
            Ty::Json => {
                let v = self.json_sample(schema, 0)?;
                Some(format!("Value::from(serde_json::json!({v}))"))
            }
            Ty::Tag => {
                let props = schema.get("properties");
                let key = props.and_then(|p| p.get("Key")).map(|k| resolve(root, k)).unwrap_or(&Json::Null);
                let value = props.and_then(|p| p.get("Value")).map(|k| resolve(root, k)).unwrap_or(&Json::Null);
                let k = strings(&StrSpec::from_schema(key), variant + 1).get(variant).cloned()?;
                let v = strings(&StrSpec::from_schema(value), 1).first().cloned()?;
                Some(format!("cfn_types::CfnTag::new({k:?}, {v:?})"))
            }
            Ty::Enum(i) => {
                let e = &self.r.enums[*i];
                let k = variant % e.values.len();
                Some(format!("{}::{}", e.name, e.variants[k]))
            }
            Ty::Struct(i) => self.struct_lit(*i, indent, depth + 1, variant),
            Ty::List(item) => {
                let min = schema.get("minItems").and_then(Json::as_u64).unwrap_or(0) as usize;
                let max = schema.get("maxItems").and_then(Json::as_u64).map(|n| n as usize).unwrap_or(usize::MAX);
                if max == 0 {
                    return None;
                }
                let n = min.max(1);
                let item_schema = schema.get("items").cloned().unwrap_or(json!({}));
                let mut items = Vec::new();
                for k in 0..n {
                    items.push(self.lit(item, &item_schema, indent + 1, depth, k)?);
                }
                if items.iter().any(|i| i.contains('\n')) {
                    let body: Vec<String> = items.iter().map(|i| format!("{}{i},", pad(indent + 1))).collect();
                    Some(format!("vec![\n{}\n{}]", body.join("\n"), pad(indent)))
                } else {
                    Some(format!("vec![{}]", items.join(", ")))
                }
            }
            Ty::Map(item) => {
                let (key_spec, value_schema) = match schema.get("patternProperties").and_then(Json::as_object) {
                    Some(pp) if !pp.is_empty() => {
                        let (k, v) = pp.iter().next().expect("not empty");
                        (StrSpec { patterns: vec![k.clone()], ..Default::default() }, v.clone())
                    }
                    _ => (StrSpec::default(), schema.get("additionalProperties").cloned().unwrap_or(json!({}))),
                };
                let key = strings(&key_spec, 1).first().cloned()?;
                let v = self.lit(item, &value_schema, indent, depth, 0)?;
                Some(format!("[({key:?}, {v})]"))
            }
        }
    }

    /// A JSON instance of a schema (for untyped properties).
    fn json_sample(&self, s: &Json, depth: usize) -> Option<Json> {
        if depth > 8 {
            return None;
        }
        let root = self.root();
        let s = resolve(root, s);
        if let Some(v) = s.get("const") {
            return Some(v.clone());
        }
        if let Some(v) = s.get("enum").and_then(Json::as_array).and_then(|a| a.first()) {
            return Some(v.clone());
        }
        let types = types_of(s);
        if types.is_empty() && s.get("properties").is_none() {
            if let Some(b) = s.get("allOf").and_then(Json::as_array).and_then(|a| {
                a.iter().find(|b| {
                    let b = resolve(root, b);
                    b.get("type").is_some() || b.get("enum").is_some() || b.get("properties").is_some()
                })
            }) {
                return self.json_sample(b, depth + 1);
            }
        }
        let t = match types.first() {
            Some(t) if types.contains(&"object") => {
                let _ = t;
                "object"
            }
            Some(t) => t,
            None if s.get("properties").is_some() || s.get("patternProperties").is_some() => "object",
            None if s.get("items").is_some() => "array",
            None => {
                if let Some(b) = ["oneOf", "anyOf"].iter().find_map(|k| s.get(*k).and_then(Json::as_array)) {
                    return b.first().and_then(|b| self.json_sample(b, depth + 1));
                }
                return Some(json!({}));
            }
        };
        match t {
            "object" => {
                let mut o = serde_json::Map::new();
                let props = object_properties(root, s).unwrap_or_default();
                let plan = self.object_plan(s);
                for name in plan.required {
                    if let Some(p) = props.get(&name) {
                        o.insert(name.clone(), self.json_sample(p, depth + 1)?);
                    }
                }
                let min = s.get("minProperties").and_then(Json::as_u64).unwrap_or(0) as usize;
                for (name, p) in &props {
                    if o.len() >= min {
                        break;
                    }
                    if !o.contains_key(name) && !plan.excluded.contains(name) {
                        o.insert(name.clone(), self.json_sample(p, depth + 1)?);
                    }
                }
                if o.len() < min {
                    if let Some((k, v)) =
                        s.get("patternProperties").and_then(Json::as_object).and_then(|pp| pp.iter().next())
                    {
                        let key = strings(&StrSpec { patterns: vec![k.clone()], ..Default::default() }, 1).pop()?;
                        o.insert(key, self.json_sample(v, depth + 1)?);
                    } else {
                        o.insert("key".into(), json!("value"));
                    }
                }
                Some(Json::Object(o))
            }
            "array" => {
                let min = s.get("minItems").and_then(Json::as_u64).unwrap_or(0);
                let mut items = Vec::new();
                for _ in 0..min {
                    items.push(self.json_sample(s.get("items").unwrap_or(&json!({})), depth + 1)?);
                }
                Some(Json::Array(items))
            }
            "string" => string(root, s, 0).map(Json::String),
            "integer" => integer(s, 0).map(Json::from),
            "number" => integer(s, 0).map(Json::from),
            "boolean" => Some(Json::Bool(true)),
            _ => Some(json!({})),
        }
    }
}

/// A string satisfying a schema and, when it has `oneOf`/`anyOf` branches, one of them.
fn string(root: &Json, s: &Json, variant: usize) -> Option<String> {
    let s = resolve(root, s);
    for key in ["oneOf", "anyOf"] {
        for b in s.get(key).and_then(Json::as_array).into_iter().flatten() {
            let merged = merge(root, s, &[b]);
            if let Some(v) = strings(&StrSpec::from_schema(&merged), variant + 1).get(variant) {
                return Some(v.clone());
            }
        }
    }
    strings(&StrSpec::from_schema(s), variant + 1).get(variant).cloned()
}

/// The first `oneOf`/`anyOf` branch of a schema that has no constraints of its own.
fn first_branch<'a>(root: &'a Json, s: &'a Json) -> &'a Json {
    if s.get("pattern").is_some() || s.get("enum").is_some() || s.get("properties").is_some() {
        return s;
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(b) = s.get(key).and_then(Json::as_array).and_then(|a| a.first()) {
            let b = resolve(root, b);
            if b.get("required").is_none() || b.get("properties").is_some() {
                return b;
            }
        }
    }
    s
}

/// An integer in the schema's bounds (`variant` picks another one for unique items).
fn integer(s: &Json, variant: usize) -> Option<i64> {
    if let Some(values) = s.get("enum").and_then(Json::as_array) {
        let ints: Vec<i64> = values.iter().filter_map(Json::as_i64).collect();
        return (!ints.is_empty()).then(|| ints[variant % ints.len()]);
    }
    if let Some(c) = s.get("const").and_then(Json::as_i64) {
        return Some(c);
    }
    let get = |k: &str| s.get(k).and_then(Json::as_f64);
    let lo = get("minimum").or(get("exclusiveMinimum").map(|x| x.floor() + 1.0));
    let hi = get("maximum").or(get("exclusiveMaximum").map(|x| x.ceil() - 1.0));
    let mut n = match (lo, hi) {
        (Some(lo), _) => lo.ceil() as i64,
        (None, Some(hi)) if hi < 1.0 => hi.floor() as i64,
        _ => 1,
    } + variant as i64;
    if let Some(m) = s.get("multipleOf").and_then(Json::as_f64).filter(|m| *m >= 1.0) {
        let m = m as i64;
        n = ((n + m - 1) / m) * m;
    }
    if let Some(hi) = hi {
        if n as f64 > hi {
            return None;
        }
    }
    Some(n)
}
