//! The generated Rust: one module per service namespace, one file per resource type.

use std::fmt::Write;

use serde_json::Value as Json;

use crate::model::{Field, Resource, Service, StructDef, TagFormat, Ty};
use crate::HEADER;

const DOCS: &str = "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/";

/// `src/services/mod.rs`.
pub fn services_mod(services: &[Service]) -> String {
    let mut o = String::from(HEADER);
    o.push_str("\n//! The generated modules: one per service namespace, each behind the cargo feature of\n");
    o.push_str("//! the same name.\n\n");
    o.push_str("// Names and shapes come from the schemas: enum variants often share a prefix, a\n");
    o.push_str("// resource type may be named like its namespace, and lists of maps of lists nest.\n");
    o.push_str("#![allow(clippy::enum_variant_names, clippy::module_inception, clippy::type_complexity)]\n");
    for s in services {
        let _ = write!(
            o,
            "\n#[cfg(feature = \"{f}\")]\n#[cfg_attr(docsrs, doc(cfg(feature = \"{f}\")))]\npub mod {f};\n",
            f = s.feature
        );
    }
    o.push_str("\n/// The constraint table of a resource type (see `schema_check.rs`), when its\n");
    o.push_str("/// service's feature is enabled.\n");
    o.push_str("pub(crate) fn constraints(type_name: &str) -> Option<&'static str> {\n");
    o.push_str("    let namespace = type_name.split(\"::\").nth(1)?.to_ascii_lowercase();\n");
    o.push_str("    match namespace.as_str() {\n");
    for s in services {
        let _ = writeln!(
            o,
            "        #[cfg(feature = \"{f}\")]\n        \"{f}\" => {f}::constraints(type_name),",
            f = s.feature
        );
    }
    o.push_str("        _ => None,\n    }\n}\n");
    o.push_str("\n/// Every resource type of the registry, sorted (whatever features are enabled).\n");
    o.push_str("pub(crate) const TYPE_NAMES: &[&str] = &[\n");
    let mut names: Vec<&str> = services.iter().flat_map(|s| s.resources.iter().map(|r| r.type_name.as_str())).collect();
    names.sort_unstable();
    for n in names {
        let _ = writeln!(o, "    \"{n}\",");
    }
    o.push_str("];\n");
    o
}

/// `src/services/<feature>/mod.rs`.
pub fn service_mod(s: &Service) -> String {
    let mut o = String::from(HEADER);
    let n = s.resources.len();
    let _ = writeln!(
        o,
        "\n//! `{}::{}`: {} resource type{}. Enabled by the `{}` feature.",
        s.prefix,
        s.namespace,
        n,
        if n == 1 { "" } else { "s" },
        s.feature
    );
    o.push_str("//!\n");
    for r in &s.resources {
        let _ = writeln!(o, "//! - [`{}`] (`{}`)", r.cfn_struct, r.type_name);
    }
    o.push('\n');
    for r in &s.resources {
        let _ = writeln!(o, "pub mod {};", r.module);
    }
    o.push('\n');
    for r in &s.resources {
        let _ = writeln!(o, "pub use {}::{{{}, {}}};", r.module, r.cfn_struct, r.props_struct);
    }
    o.push_str("\n/// The constraint table of each type of this service.\n");
    o.push_str("pub(crate) fn constraints(type_name: &str) -> Option<&'static str> {\n    match type_name {\n");
    for r in &s.resources {
        let _ = writeln!(o, "        \"{}\" => Some({}::CONSTRAINTS),", r.type_name, r.module);
    }
    o.push_str("        _ => None,\n    }\n}\n");
    o
}

/// Escapes text for a Markdown code span.
fn code(s: &str) -> String {
    let mut s: String = s
        .chars()
        .flat_map(|c| match c {
            '\n' => vec!['\\', 'n'],
            '\r' => vec!['\\', 'r'],
            '\t' => vec!['\\', 't'],
            c if c.is_control() => format!("\\u{{{:x}}}", c as u32).chars().collect(),
            c => vec![c],
        })
        .collect();
    const MAX: usize = 160;
    if s.chars().count() > MAX {
        s = s.chars().take(MAX).collect::<String>() + "…";
    }
    let mut longest = 0;
    let mut run = 0;
    for c in s.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    if longest > 0 || s.starts_with(' ') || s.ends_with(' ') {
        format!("{fence} {s} {fence}")
    } else {
        format!("{fence}{s}{fence}")
    }
}

/// A name as it appears in the CloudFormation documentation's URLs.
fn slug(s: &str) -> String {
    s.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').map(|c| c.to_ascii_lowercase()).collect()
}

struct Links {
    resource_page: String,
    ns: String,
    res: String,
}

impl Links {
    fn new(service: &Service, r: &Resource) -> Links {
        let ns = slug(&service.namespace);
        let res = slug(&r.name);
        let resource_page = r
            .schema
            .get("documentationUrl")
            .and_then(Json::as_str)
            .filter(|u| u.starts_with("https://docs.aws.amazon.com/"))
            .map(str::to_string)
            .unwrap_or_else(|| format!("{DOCS}aws-resource-{ns}-{res}.html"));
        Links { resource_page, ns, res }
    }

    fn struct_page(&self, s: &StructDef) -> String {
        match &s.definition {
            Some(d) => format!("{DOCS}aws-properties-{}-{}-{}.html", self.ns, self.res, slug(d)),
            None => self.resource_page.clone(),
        }
    }

    fn field(&self, s: &StructDef, is_props: bool, f: &Field) -> String {
        if is_props {
            return format!("{}#cfn-{}-{}-{}", self.resource_page, self.ns, self.res, slug(&f.cfn));
        }
        match &s.definition {
            Some(d) => format!("{}#cfn-{}-{}-{}-{}", self.struct_page(s), self.ns, self.res, slug(d), slug(&f.cfn)),
            None => self.resource_page.clone(),
        }
    }
}

/// What a file uses, for its `use` lines.
#[derive(Default)]
struct Uses {
    val: bool,
    list: bool,
    map: bool,
}

fn lit_ty(r: &Resource, t: &Ty, u: &mut Uses) -> String {
    match t {
        Ty::Str => "String".to_string(),
        Ty::Int => "i64".to_string(),
        Ty::Num => "f64".to_string(),
        Ty::Bool => "bool".to_string(),
        Ty::Json => "Value".to_string(),
        Ty::Tag => "crate::CfnTag".to_string(),
        Ty::Enum(i) => r.enums[*i].name.clone(),
        Ty::Struct(i) => r.structs[*i].name.clone(),
        Ty::List(e) => {
            u.val = true;
            format!("Vec<Val<{}>>", lit_ty(r, e, u))
        }
        Ty::Map(e) => {
            u.val = true;
            format!("indexmap::IndexMap<String, Val<{}>>", lit_ty(r, e, u))
        }
    }
}

fn field_ty(r: &Resource, f: &Field, u: &mut Uses) -> String {
    let t = match &f.ty {
        Ty::Json => "Value".to_string(),
        Ty::List(e) => {
            u.list = true;
            format!("List<{}>", lit_ty(r, e, u))
        }
        Ty::Map(e) => {
            u.map = true;
            format!("Map<{}>", lit_ty(r, e, u))
        }
        Ty::Struct(i) if f.boxed => {
            u.val = true;
            format!("Val<Box<{}>>", r.structs[*i].name)
        }
        t => {
            u.val = true;
            format!("Val<{}>", lit_ty(r, t, u))
        }
    };
    if f.required {
        t
    } else {
        format!("Option<{t}>")
    }
}

fn describe(r: &Resource, t: &Ty) -> String {
    match t {
        Ty::Str => "String".into(),
        Ty::Int => "Integer".into(),
        Ty::Num => "Number".into(),
        Ty::Bool => "Boolean".into(),
        Ty::Json => "JSON".into(),
        Ty::Tag => "[`CfnTag`](crate::CfnTag)".into(),
        Ty::Enum(i) => format!("[`{}`]", r.enums[*i].name),
        Ty::Struct(i) => format!("[`{}`]", r.structs[*i].name),
        Ty::List(e) => format!("list of {}", describe(r, e)),
        Ty::Map(e) => format!("map of {}", describe(r, e)),
    }
}

fn num(v: &Json) -> Option<String> {
    v.as_i64()
        .map(|n| n.to_string())
        .or_else(|| v.as_u64().map(|n| n.to_string()))
        .or_else(|| v.as_f64().map(|n| n.to_string()))
}

fn range(s: &Json, min: &str, max: &str, what: &str) -> Option<String> {
    match (s.get(min).and_then(num), s.get(max).and_then(num)) {
        (Some(a), Some(b)) if a == b => Some(format!("{what} {a}")),
        (Some(a), Some(b)) => Some(format!("{what} {a} to {b}")),
        (Some(a), None) => Some(format!("{what} at least {a}")),
        (None, Some(b)) => Some(format!("{what} at most {b}")),
        (None, None) => None,
    }
}

/// The constraints of a schema, as short facts.
fn constraints(root: &Json, s: &Json, is_enum: bool) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(p) = s.get("pattern").and_then(Json::as_str) {
        out.push(format!("pattern {}", code(p)));
    }
    out.extend(range(s, "minLength", "maxLength", "length"));
    out.extend(range(s, "minimum", "maximum", "value"));
    if let Some(v) = s.get("exclusiveMinimum").and_then(num) {
        out.push(format!("value above {v}"));
    }
    if let Some(v) = s.get("exclusiveMaximum").and_then(num) {
        out.push(format!("value below {v}"));
    }
    out.extend(range(s, "minItems", "maxItems", "items"));
    out.extend(range(s, "minProperties", "maxProperties", "entries"));
    if s.get("uniqueItems").and_then(Json::as_bool) == Some(true) {
        out.push("unique items".into());
    }
    if !is_enum {
        if let Some(values) = s.get("enum").and_then(Json::as_array) {
            let shown: Vec<String> = values.iter().take(12).map(|v| code(&v.to_string())).collect();
            let more = if values.len() > 12 { format!(" and {} more", values.len() - 12) } else { String::new() };
            out.push(format!("one of {}{more}", shown.join(", ")));
        }
    }
    if let Some(items) = s.get("items") {
        let items = crate::model::resolve(root, items);
        let inner = constraints(root, items, items.get("enum").is_some());
        if !inner.is_empty() && items.get("properties").is_none() {
            out.push(format!("each item: {}", inner.join(", ")));
        }
    }
    out
}

fn doc(o: &mut String, indent: &str, text: &str) {
    for line in text.lines() {
        if line.is_empty() {
            let _ = writeln!(o, "{indent}///");
        } else {
            let _ = writeln!(o, "{indent}/// {line}");
        }
    }
}

fn field_doc(r: &Resource, links: &Links, s: &StructDef, is_props: bool, f: &Field) -> String {
    let mut first =
        format!("`{}` ({}), {}.", f.cfn, describe(r, &f.ty), if f.required { "required" } else { "optional" });
    if f.create_only {
        first.push_str(" Changing it replaces the resource.");
    }
    if f.write_only {
        first.push_str(" Write-only: CloudFormation does not return it.");
    }
    if f.deprecated {
        first.push_str(" Deprecated.");
    }
    let mut text = first;
    let c = constraints(&r.schema, &f.schema, matches!(f.ty, Ty::Enum(_)));
    if !c.is_empty() {
        let mut line = c.join("; ");
        if let Some(ch) = line.get(..1) {
            line = ch.to_uppercase() + &line[1..];
        }
        let _ = write!(text, "\n\n{line}.");
    }
    let _ = write!(text, "\n\n[CloudFormation reference]({})", links.field(s, is_props, f));
    text
}

/// `src/services/<feature>/<resource>.rs`.
pub fn resource_file(service: &Service, r: &Resource) -> String {
    let links = Links::new(service, r);
    let mut u = Uses::default();
    let mut body = String::new();

    // The construct.
    let mut d = format!("The `{}` resource: adds it to the construct tree with typed props.", r.type_name);
    d.push_str("\n\n");
    let _ = write!(
        d,
        "It dereferences to [`Resource`](crate::Resource) and [`CfnResource`](constructs::CfnResource) for the \
         props (`props_mut`) and the escape hatches (`ref_`, `get_att`, `add_property_override`, ...)."
    );
    match (&r.tagging, &r.tagging_note) {
        (Some((_, prop)), _) => {
            let _ = write!(d, "\n\nTaggable: tags from [`Tags::of`](constructs::Tags::of) go in `{prop}`.");
        }
        (None, Some(note)) => {
            let _ = write!(d, "\n\nThe schema declares tagging, but {note}.");
        }
        _ => {}
    }
    let _ = write!(d, "\n\n[CloudFormation reference]({})", links.resource_page);
    doc(&mut body, "", &d);
    let _ = writeln!(body, "#[derive(Clone, Debug)]");
    let _ = writeln!(body, "pub struct {}(crate::Resource<{}>);", r.cfn_struct, r.props_struct);
    let _ = writeln!(body);
    let _ = writeln!(body, "impl {} {{", r.cfn_struct);
    let _ = writeln!(body, "    /// `{}`.", r.type_name);
    let _ = writeln!(body, "    pub const CFN_RESOURCE_TYPE_NAME: &'static str = \"{}\";", r.type_name);
    let _ = writeln!(body);
    let _ = writeln!(body, "    /// Adds an `{}` named `id` under `scope`.", r.type_name);
    let _ = writeln!(body, "    #[inline]");
    let _ = writeln!(
        body,
        "    pub fn new(scope: &impl constructs::IConstruct, id: &str, props: {}) -> Self {{",
        r.props_struct
    );
    let tags = match &r.tagging {
        Some((f, p)) => {
            let f = match f {
                TagFormat::Standard => "Standard",
                TagFormat::Map => "Map",
                TagFormat::AutoScalingGroup => "AutoScalingGroup",
            };
            format!("Some((constructs::TagFormat::{f}, \"{p}\"))")
        }
        None => "None".to_string(),
    };
    let _ = writeln!(
        body,
        "        {}(crate::Resource::new(scope, id, Self::CFN_RESOURCE_TYPE_NAME, props, {tags}))",
        r.cfn_struct
    );
    let _ = writeln!(body, "    }}");
    for a in &r.attrs {
        let _ = writeln!(body);
        let _ = writeln!(
            body,
            "    /// The `{}` attribute: `{{\"Fn::GetAtt\": [<this resource>, \"{}\"]}}`.",
            a.name, a.name
        );
        if !a.read_only {
            let _ = writeln!(
                body,
                "    ///\n    /// The property is writable, so the registry schema does not list it as read-only; \
                 CloudFormation documents it as a return value of `{}`.",
                r.type_name
            );
        }
        let _ = writeln!(body, "    #[inline]");
        let _ = writeln!(body, "    pub fn {}(&self) -> Value {{", a.method);
        let _ = writeln!(body, "        self.get_att(\"{}\")", a.name);
        let _ = writeln!(body, "    }}");
    }
    let _ = writeln!(body, "}}");
    let _ = writeln!(body);
    let _ = writeln!(body, "impl std::ops::Deref for {} {{", r.cfn_struct);
    let _ = writeln!(body, "    type Target = crate::Resource<{}>;", r.props_struct);
    let _ = writeln!(body);
    let _ = writeln!(body, "    #[inline]");
    let _ = writeln!(body, "    fn deref(&self) -> &Self::Target {{");
    let _ = writeln!(body, "        &self.0");
    let _ = writeln!(body, "    }}");
    let _ = writeln!(body, "}}");
    let _ = writeln!(body);
    let _ = writeln!(body, "impl constructs::IConstruct for {} {{", r.cfn_struct);
    let _ = writeln!(body, "    #[inline]");
    let _ = writeln!(body, "    fn node(&self) -> &constructs::Node {{");
    let _ = writeln!(body, "        self.0.node()");
    let _ = writeln!(body, "    }}");
    let _ = writeln!(body, "}}");
    let mut any_value = !r.attrs.is_empty();
    for (i, s) in r.structs.iter().enumerate() {
        body.push('\n');
        let is_props = i == 0;
        let d = if is_props {
            format!("The properties of [`{}`] (`{}`).", r.cfn_struct, r.type_name)
        } else {
            let what = match &s.definition {
                Some(def) => format!("The `{def}` property type of `{}`", r.type_name),
                None => format!("A property type of `{}`", r.type_name),
            };
            format!("{what}, used at `{}`.\n\n[CloudFormation reference]({})", s.cfn_path, links.struct_page(s))
        };
        doc(&mut body, "", &d);
        let _ = writeln!(body, "#[derive(Clone, Default)]");
        let _ = writeln!(body, "pub struct {} {{", s.name);
        for f in &s.fields {
            doc(&mut body, "    ", &field_doc(r, &links, s, is_props, f));
            let _ = writeln!(body, "    pub {}: {},", f.ident, field_ty(r, f, &mut u));
        }
        let _ = writeln!(body, "}}");
        let _ = writeln!(body);
        let _ = writeln!(body, "impl crate::ToCfn for {} {{", s.name);
        let _ = writeln!(body, "    #[inline]");
        let _ = writeln!(body, "    fn to_cfn(&self, r: &mut crate::Renderer) -> Value {{");
        if s.fields.is_empty() {
            let _ = writeln!(body, "        r.object().finish()");
        } else {
            let _ = writeln!(body, "        let mut o = r.object();");
            for f in &s.fields {
                let m = if f.required { "required" } else { "optional" };
                let _ = writeln!(body, "        o.{m}({:?}, &self.{});", f.cfn, f.ident);
            }
            let _ = writeln!(body, "        o.finish()");
        }
        let _ = writeln!(body, "    }}");
        let _ = writeln!(body, "}}");
        let _ = writeln!(body);
        let _ = writeln!(body, "impl std::fmt::Debug for {} {{", s.name);
        let _ = writeln!(body, "    #[inline]");
        let _ = writeln!(body, "    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {{");
        let _ = writeln!(body, "        crate::render::debug(self, {:?}, f)", s.name);
        let _ = writeln!(body, "    }}");
        let _ = writeln!(body, "}}");
        if !is_props {
            let _ = writeln!(body);
            let _ = writeln!(body, "impl crate::Literal for {} {{}}", s.name);
        }
        any_value = true;
    }

    for e in &r.enums {
        body.push('\n');
        let what = match &e.definition {
            Some(def) => format!("The `{def}` values of `{}`", r.type_name),
            None => format!("String values of `{}`", r.type_name),
        };
        doc(&mut body, "", &format!("{what}; [`{}::Other`] passes a value this schema does not list.", e.name));
        let _ = writeln!(body, "#[derive(Clone, Debug, PartialEq, Eq, Hash)]");
        let _ = writeln!(body, "pub enum {} {{", e.name);
        for (v, name) in e.values.iter().zip(&e.variants) {
            let _ = writeln!(body, "    /// {}", code(v));
            let _ = writeln!(body, "    {name},");
        }
        let _ = writeln!(body, "    /// Any other value.");
        let _ = writeln!(body, "    Other(String),");
        let _ = writeln!(body, "}}");
        let _ = writeln!(body);
        let _ = writeln!(body, "impl {} {{", e.name);
        let _ = writeln!(body, "    /// The value CloudFormation sees.");
        let _ = writeln!(body, "    #[inline]");
        let _ = writeln!(body, "    pub fn as_str(&self) -> &str {{");
        let _ = writeln!(body, "        match self {{");
        for (v, name) in e.values.iter().zip(&e.variants) {
            let _ = writeln!(body, "            {}::{name} => {v:?},", e.name);
        }
        let _ = writeln!(body, "            {}::Other(s) => s,", e.name);
        let _ = writeln!(body, "        }}");
        let _ = writeln!(body, "    }}");
        let _ = writeln!(body, "}}");
        let _ = writeln!(body);
        let _ = writeln!(body, "impl crate::ToCfn for {} {{", e.name);
        let _ = writeln!(body, "    #[inline]");
        let _ = writeln!(body, "    fn to_cfn(&self, _: &mut crate::Renderer) -> Value {{");
        let _ = writeln!(body, "        Value::String(self.as_str().to_string())");
        let _ = writeln!(body, "    }}");
        let _ = writeln!(body, "}}");
        let _ = writeln!(body);
        let _ = writeln!(body, "impl crate::Literal for {} {{}}", e.name);
    }

    let mut o = String::from(HEADER);
    let _ = writeln!(o, "\n//! `{}`: [`{}`], its props and property types.\n", r.type_name, r.cfn_struct);
    let mut crate_uses = Vec::new();
    if u.list {
        crate_uses.push("List");
    }
    if u.map {
        crate_uses.push("Map");
    }
    if u.val {
        crate_uses.push("Val");
    }
    if any_value {
        o.push_str("use constructs::Value;\n");
    }
    match crate_uses.as_slice() {
        [] => {}
        [one] => {
            let _ = writeln!(o, "use crate::{one};");
        }
        many => {
            let _ = writeln!(o, "use crate::{{{}}};", many.join(", "));
        }
    }
    o.push('\n');
    o.push_str(&body);
    let _ = writeln!(o, "\n/// What synthesis checks the properties and attributes of `{}` against.", r.type_name);
    let _ = writeln!(o, "pub(crate) const CONSTRAINTS: &str = {:?};", crate::constraints::table(&r.schema, &r.attrs));
    o
}

/// The `[features]` entries between the markers of `cfn-types/Cargo.toml`.
pub fn features(services: &[Service]) -> String {
    let mut o = String::new();
    let all: Vec<String> = services.iter().map(|s| format!("\"{}\"", s.feature)).collect();
    o.push_str("full = [\n");
    for chunk in all.chunks(8) {
        let _ = writeln!(o, "    {},", chunk.join(", "));
    }
    o.push_str("]\n");
    for s in services {
        let _ = writeln!(o, "{} = []", s.feature);
    }
    o
}
