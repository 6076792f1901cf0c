//! `Val<T>`: a property value that is either a typed literal or a token.

use std::collections::BTreeMap;

use constructs::Value;
use indexmap::IndexMap;

use crate::render::ToCfn;

/// A property value: a literal of the property's type, or a token (any
/// [`constructs::Value`], typically a `Ref`, an `Fn::GetAtt` or another intrinsic).
///
/// Literals and tokens both convert with `into()`:
///
/// ```
/// use cfn_types::{List, Val};
/// use constructs::{Aws, Value};
///
/// let name: Val<String> = "my-bucket".into();
/// let region: Val<String> = Aws::region().into();
/// let size: Val<i64> = 5.into();
/// let on: Val<bool> = true.into();
/// let names: List<String> = ["a", "b"].into();
/// let mixed: List<String> = vec![Val::from("a"), Aws::account_id().into()].into();
/// let whole_list: List<String> = Value::from(vec!["x"]).into();
/// assert!(region.is_token() && !name.is_token());
/// # let _ = (size, on, names, mixed, whole_list);
/// ```
///
/// The default is [`Val::Unset`]: a required property left at its default is
/// reported as an error at synthesis, with the path of the resource.
#[derive(Clone, Debug, Default)]
pub enum Val<T> {
    /// Not set. Only meaningful for required properties, whose props structs
    /// implement `Default`: synthesis reports them.
    #[default]
    Unset,
    /// A literal of the property's type.
    Literal(T),
    /// A token or any raw value, rendered as it is.
    Token(Value),
}

/// A list property: a list of values (each a literal or a token), or one token for
/// the whole list (`Fn::Split`, `Fn::GetAZs`, a list parameter, ...).
pub type List<T> = Val<Vec<Val<T>>>;

/// A map property with string keys (`patternProperties` in the schema): a map of
/// values (each a literal or a token), or one token for the whole map.
pub type Map<T> = Val<IndexMap<String, Val<T>>>;

impl<T> Val<T> {
    /// Whether this is a token (not a literal, not unset).
    pub fn is_token(&self) -> bool {
        matches!(self, Val::Token(_))
    }

    /// Whether this is [`Val::Unset`].
    pub fn is_unset(&self) -> bool {
        matches!(self, Val::Unset)
    }

    /// The literal, if this is one.
    pub fn literal(&self) -> Option<&T> {
        match self {
            Val::Literal(t) => Some(t),
            _ => None,
        }
    }

    /// The literal, mutably, if this is one.
    pub fn literal_mut(&mut self) -> Option<&mut T> {
        match self {
            Val::Literal(t) => Some(t),
            _ => None,
        }
    }
}

impl<T: ToCfn> Val<T> {
    /// The value as CloudFormation will see it (before tokens resolve).
    pub fn to_value(&self) -> Value {
        crate::render::render(self)
    }
}

/// Types that are literals of a property: strings, numbers, booleans and the
/// generated property structs and enums. `T: Literal` converts into [`Val<T>`].
pub trait Literal: ToCfn {}

impl Literal for String {}
impl Literal for bool {}
impl Literal for i64 {}
impl Literal for f64 {}

impl<T: Literal> From<T> for Val<T> {
    fn from(t: T) -> Self {
        Val::Literal(t)
    }
}

/// Fields of a property-struct type hold it boxed, so that props of deeply nested
/// property types stay small (and recursive ones are possible).
impl<T: Literal> From<T> for Val<Box<T>> {
    fn from(t: T) -> Self {
        Val::Literal(Box::new(t))
    }
}

impl<T> From<Value> for Val<T> {
    fn from(v: Value) -> Self {
        Val::Token(v)
    }
}

impl<T> From<&Value> for Val<T> {
    fn from(v: &Value) -> Self {
        Val::Token(v.clone())
    }
}

impl From<&str> for Val<String> {
    fn from(s: &str) -> Self {
        Val::Literal(s.to_string())
    }
}

impl From<&String> for Val<String> {
    fn from(s: &String) -> Self {
        Val::Literal(s.clone())
    }
}

impl<T, X: Into<Val<T>>> From<Vec<X>> for Val<Vec<Val<T>>> {
    fn from(items: Vec<X>) -> Self {
        Val::Literal(items.into_iter().map(Into::into).collect())
    }
}

impl<T, X: Into<Val<T>>, const N: usize> From<[X; N]> for Val<Vec<Val<T>>> {
    fn from(items: [X; N]) -> Self {
        Val::Literal(items.into_iter().map(Into::into).collect())
    }
}

impl<T, K: Into<String>, X: Into<Val<T>>> From<IndexMap<K, X>> for Val<IndexMap<String, Val<T>>> {
    fn from(entries: IndexMap<K, X>) -> Self {
        Val::Literal(entries.into_iter().map(|(k, v)| (k.into(), v.into())).collect())
    }
}

impl<T, K: Into<String>, X: Into<Val<T>>> From<BTreeMap<K, X>> for Val<IndexMap<String, Val<T>>> {
    fn from(entries: BTreeMap<K, X>) -> Self {
        Val::Literal(entries.into_iter().map(|(k, v)| (k.into(), v.into())).collect())
    }
}

impl<T, K: Into<String>, X: Into<Val<T>>, const N: usize> From<[(K, X); N]> for Val<IndexMap<String, Val<T>>> {
    fn from(entries: [(K, X); N]) -> Self {
        Val::Literal(entries.into_iter().map(|(k, v)| (k.into(), v.into())).collect())
    }
}
