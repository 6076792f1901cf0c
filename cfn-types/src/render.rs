//! Rendering typed properties to CloudFormation values, and the check of required
//! properties.

use constructs::Value;
use indexmap::IndexMap;

use crate::val::Val;

/// Renders a typed property value to the [`Value`] CloudFormation sees.
///
/// Implemented by the literal types ([`String`], [`i64`], [`f64`], [`bool`]), the
/// generated property structs, enums and props, [`Val`], lists, maps and
/// [`Value`]. Use [`render`] and [`missing_required`] rather than calling it.
pub trait ToCfn {
    /// Renders `self`; `r` collects the required properties that are not set.
    fn to_cfn(&self, r: &mut Renderer) -> Value;

    /// Whether the value counts as not set for a required property.
    fn is_unset(&self) -> bool {
        false
    }
}

/// The state of one rendering: the required properties found unset. Generated
/// code drives it; users call [`render`].
#[derive(Debug, Default)]
pub struct Renderer {
    /// Dotted paths of unset required properties, relative to the value being
    /// rendered: each parent prefixes its key as the rendering returns, so no
    /// path is built unless something is missing (rendering runs at every synthesis).
    missing: Vec<String>,
    /// Only looking for unset required properties ([`missing_required`]): leaves
    /// render as null instead of being copied.
    check_only: bool,
}

impl Renderer {
    /// Starts rendering an object (a props or property struct).
    pub fn object(&mut self) -> ObjectRenderer<'_> {
        ObjectRenderer { r: self, out: IndexMap::new() }
    }

    fn nested<T: ToCfn + ?Sized>(&mut self, key: &dyn std::fmt::Display, v: &T) -> Value {
        let before = self.missing.len();
        let out = v.to_cfn(self);
        for path in &mut self.missing[before..] {
            *path = format!("{key}.{path}");
        }
        out
    }

    /// A copy of a leaf, unless only checking.
    fn leaf(&self, copy: impl FnOnce() -> Value) -> Value {
        if self.check_only {
            Value::Null
        } else {
            copy()
        }
    }
}

/// Renders the fields of one struct, in order. Made by [`Renderer::object`].
#[derive(Debug)]
pub struct ObjectRenderer<'a> {
    r: &'a mut Renderer,
    out: IndexMap<String, Value>,
}

impl ObjectRenderer<'_> {
    /// A required field: reported when unset, rendered otherwise.
    pub fn required<T: ToCfn + ?Sized>(&mut self, key: &str, v: &T) {
        if v.is_unset() {
            self.r.missing.push(key.to_string());
            return;
        }
        self.field(key, v);
    }

    /// An optional field: rendered when set.
    pub fn optional<T: ToCfn>(&mut self, key: &str, v: &Option<T>) {
        if let Some(v) = v {
            if !v.is_unset() {
                self.field(key, v);
            }
        }
    }

    fn field<T: ToCfn + ?Sized>(&mut self, key: &str, v: &T) {
        let value = self.r.nested(&key, v);
        if !self.r.check_only {
            self.out.insert(key.to_string(), value);
        }
    }

    /// The rendered object.
    pub fn finish(self) -> Value {
        Value::Object(self.out)
    }
}

/// Renders a typed value (props, a property struct, a [`Val`]) to a [`Value`].
/// Unset required properties are left out; [`missing_required`] lists them.
///
/// ```
/// use cfn_types::{render, CfnTag};
/// let tag = CfnTag::new("team", "web");
/// assert_eq!(render(&tag).to_json().unwrap(), serde_json::json!({"Key": "team", "Value": "web"}));
/// ```
pub fn render<T: ToCfn + ?Sized>(value: &T) -> Value {
    value.to_cfn(&mut Renderer::default())
}

/// The dotted paths of the required properties of `value` that are not set.
///
/// ```
/// use cfn_types::{missing_required, CfnTag};
/// let tag = CfnTag { key: "team".into(), ..Default::default() };
/// assert_eq!(missing_required(&tag), vec!["Value".to_string()]);
/// ```
pub fn missing_required<T: ToCfn + ?Sized>(value: &T) -> Vec<String> {
    let mut r = Renderer { check_only: true, ..Renderer::default() };
    value.to_cfn(&mut r);
    r.missing
}

/// `Debug` of the generated structs: the name and the rendered value.
#[doc(hidden)]
pub fn debug<T: ToCfn + ?Sized>(value: &T, name: &str, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
    write!(f, "{name} {:?}", render(value))
}

impl<T: ToCfn> ToCfn for Val<T> {
    fn to_cfn(&self, r: &mut Renderer) -> Value {
        match self {
            Val::Unset => Value::Null,
            Val::Literal(t) => t.to_cfn(r),
            Val::Token(v) => r.leaf(|| v.clone()),
        }
    }

    fn is_unset(&self) -> bool {
        self.is_unset()
    }
}

impl ToCfn for Value {
    fn to_cfn(&self, r: &mut Renderer) -> Value {
        r.leaf(|| self.clone())
    }

    fn is_unset(&self) -> bool {
        self.is_null()
    }
}

impl ToCfn for String {
    fn to_cfn(&self, r: &mut Renderer) -> Value {
        r.leaf(|| Value::String(self.clone()))
    }
}

impl ToCfn for bool {
    fn to_cfn(&self, _: &mut Renderer) -> Value {
        Value::Bool(*self)
    }
}

impl ToCfn for i64 {
    fn to_cfn(&self, _: &mut Renderer) -> Value {
        Value::from(*self)
    }
}

impl ToCfn for f64 {
    fn to_cfn(&self, _: &mut Renderer) -> Value {
        Value::from(*self)
    }
}

impl<T: ToCfn + ?Sized> ToCfn for Box<T> {
    fn to_cfn(&self, r: &mut Renderer) -> Value {
        (**self).to_cfn(r)
    }

    fn is_unset(&self) -> bool {
        (**self).is_unset()
    }
}

impl<T: ToCfn> ToCfn for Vec<T> {
    fn to_cfn(&self, r: &mut Renderer) -> Value {
        Value::Array(self.iter().enumerate().map(|(i, v)| r.nested(&i, v)).collect())
    }
}

impl<T: ToCfn> ToCfn for IndexMap<String, T> {
    fn to_cfn(&self, r: &mut Renderer) -> Value {
        Value::Object(self.iter().map(|(k, v)| (k.clone(), r.nested(k, v))).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CfnTag;

    /// Paths are built only for what is missing, from the innermost key out.
    #[test]
    fn missing_paths_name_list_items_and_nested_fields() {
        let mut tags: IndexMap<String, Vec<Val<CfnTag>>> = IndexMap::new();
        tags.insert(
            "team".into(),
            vec![Val::Literal(CfnTag::new("a", "b")), Val::Literal(CfnTag { key: "k".into(), ..Default::default() })],
        );
        assert_eq!(missing_required(&tags), vec!["team.1.Value".to_string()]);
        let rendered = render(&tags).to_json().unwrap();
        assert_eq!(rendered, serde_json::json!({"team": [{"Key": "a", "Value": "b"}, {"Key": "k"}]}));
    }
}
