//! `Value`: a CloudFormation template value, which may hold tokens (intrinsics that
//! point at constructs of the tree and resolve at synthesis time).

use std::fmt;
use std::rc::Rc;

use indexmap::IndexMap;

use crate::node::Target;

/// A JSON-like value that may contain intrinsic functions.
///
/// Literals convert with `From`/`into()`; tokens come from constructs
/// (`resource.ref_()`, `resource.get_att("Arn")`) and from the [`fns`](crate::fns) functions.
///
/// ```
/// use constructs::{fns, Aws, Value};
/// let v: Value = fns::join("-", ["a".into(), Aws::region()]);
/// assert!(v.is_token());
/// let plain: Value = "bucket".into();
/// assert_eq!(plain.as_str(), Some("bucket"));
/// ```
#[derive(Clone, Default)]
pub enum Value {
    /// JSON `null`.
    #[default]
    Null,
    /// A boolean.
    Bool(bool),
    /// A number.
    Number(serde_json::Number),
    /// A literal string.
    String(String),
    /// A list.
    Array(Vec<Value>),
    /// An object; keys keep their insertion order.
    Object(IndexMap<String, Value>),
    /// An intrinsic function or reference, resolved at synthesis.
    Token(Box<Intrinsic>),
}

/// CloudFormation's pseudo parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Pseudo {
    /// `AWS::AccountId`
    AccountId,
    /// `AWS::Region`
    Region,
    /// `AWS::Partition`
    Partition,
    /// `AWS::StackName`
    StackName,
    /// `AWS::StackId`
    StackId,
    /// `AWS::URLSuffix`
    UrlSuffix,
    /// `AWS::NotificationARNs`
    NotificationArns,
    /// `AWS::NoValue`: removes the property it is assigned to.
    NoValue,
}

impl Pseudo {
    /// The name CloudFormation uses in `Ref`.
    pub fn name(self) -> &'static str {
        match self {
            Pseudo::AccountId => "AWS::AccountId",
            Pseudo::Region => "AWS::Region",
            Pseudo::Partition => "AWS::Partition",
            Pseudo::StackName => "AWS::StackName",
            Pseudo::StackId => "AWS::StackId",
            Pseudo::UrlSuffix => "AWS::URLSuffix",
            Pseudo::NotificationArns => "AWS::NotificationARNs",
            Pseudo::NoValue => "AWS::NoValue",
        }
    }
}

/// A deferred value, computed when the template is rendered.
#[derive(Clone)]
pub struct Lazy(pub(crate) Rc<dyn Fn() -> Value>);

impl Lazy {
    /// Computes the value.
    pub fn produce(&self) -> Value {
        (self.0)()
    }
}

/// The intrinsic functions and references a [`Value`] can hold.
#[derive(Clone)]
pub enum Intrinsic {
    /// `{"Ref": <logical id of the target>}`: a resource or parameter of the tree.
    Ref(Target),
    /// `{"Fn::GetAtt": [<logical id of the target>, attribute]}`.
    GetAtt(Target, String),
    /// The bare logical ID of a construct, as a string (for `Fn::If` conditions and
    /// `Fn::FindInMap` map names).
    LogicalId(Target),
    /// `{"Condition": <logical id>}` inside condition functions.
    Condition(Target),
    /// `{"Ref": "AWS::..."}`.
    Pseudo(Pseudo),
    /// `{"Ref": name}` for a name that is not a construct of the tree.
    RefName(String),
    /// `Fn::Sub`, with an optional variable map.
    Sub(String, Option<IndexMap<String, Value>>),
    /// `Fn::Join`.
    Join(String, Vec<Value>),
    /// `Fn::Select`.
    Select(Value, Value),
    /// `Fn::Split`.
    Split(String, Value),
    /// `Fn::If`: condition name, value if true, value if false.
    If(Value, Value, Value),
    /// `Fn::Equals`.
    Equals(Value, Value),
    /// `Fn::And`.
    And(Vec<Value>),
    /// `Fn::Or`.
    Or(Vec<Value>),
    /// `Fn::Not`.
    Not(Value),
    /// `Fn::ImportValue`.
    ImportValue(Value),
    /// `Fn::GetAZs`.
    GetAzs(Value),
    /// `Fn::Base64`.
    Base64(Value),
    /// `Fn::FindInMap`: map name, top-level key, second-level key.
    FindInMap(Value, Value, Value),
    /// `Fn::Cidr`: IP block, count, cidr bits.
    Cidr(Value, Value, Value),
    /// Any other function, rendered as `{name: args}` (rule functions such as
    /// `Fn::Contains`, or functions newer than this library).
    Other(String, Value),
    /// A value computed at render time.
    Lazy(Lazy),
    /// A value CloudFormation cannot hold (a NaN or infinite number), kept to be
    /// reported at synthesis with the construct that holds it.
    Invalid(String),
}

impl Value {
    /// Wraps an intrinsic.
    pub fn token(i: Intrinsic) -> Value {
        Value::Token(Box::new(i))
    }

    /// A value computed when the template is rendered, after the whole tree exists.
    ///
    /// ```
    /// use constructs::Value;
    /// use std::{cell::RefCell, rc::Rc};
    /// let names = Rc::new(RefCell::new(vec!["a".to_string()]));
    /// let n = names.clone();
    /// let v = Value::lazy(move || n.borrow().clone().into());
    /// names.borrow_mut().push("b".into());
    /// assert_eq!(v.to_json().unwrap(), serde_json::json!(["a", "b"]));
    /// ```
    pub fn lazy(f: impl Fn() -> Value + 'static) -> Value {
        Value::token(Intrinsic::Lazy(Lazy(Rc::new(f))))
    }

    /// An object from key/value pairs, in order.
    pub fn object<K: Into<String>, V: Into<Value>>(pairs: impl IntoIterator<Item = (K, V)>) -> Value {
        Value::Object(pairs.into_iter().map(|(k, v)| (k.into(), v.into())).collect())
    }

    /// Converts plain JSON (no tokens).
    pub fn from_json(v: serde_json::Value) -> Value {
        match v {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(b),
            serde_json::Value::Number(n) => Value::Number(n),
            serde_json::Value::String(s) => Value::String(s),
            serde_json::Value::Array(a) => Value::Array(a.into_iter().map(Value::from_json).collect()),
            serde_json::Value::Object(o) => {
                Value::Object(o.into_iter().map(|(k, v)| (k, Value::from_json(v))).collect())
            }
        }
    }

    /// Converts to plain JSON when the value holds no references to constructs
    /// (lazy values are computed; intrinsics without targets are rendered).
    /// Returns `None` when a construct reference is found: those need a stack to
    /// resolve in.
    pub fn to_json(&self) -> Option<serde_json::Value> {
        crate::resolve::resolve_detached(self)
    }

    /// Whether this value is (or contains) a token.
    pub fn is_token(&self) -> bool {
        match self {
            Value::Token(_) => true,
            Value::Array(a) => a.iter().any(Value::is_token),
            Value::Object(o) => o.values().any(Value::is_token),
            _ => false,
        }
    }

    /// The literal string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The object, if this is one.
    pub fn as_object(&self) -> Option<&IndexMap<String, Value>> {
        match self {
            Value::Object(o) => Some(o),
            _ => None,
        }
    }

    /// The list, if this is one.
    pub fn as_array(&self) -> Option<&Vec<Value>> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    /// Whether this is `Null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// Concatenates literals and tokens into one string value, as the CDK does for a
    /// string with embedded tokens: a plain string when every part is literal,
    /// otherwise a minimal `Fn::Join` with an empty delimiter.
    ///
    /// ```
    /// use constructs::{Value, Aws};
    /// let v = Value::concat(["arn:".into(), Aws::partition(), ":s3:::x".into()]);
    /// assert_eq!(v.to_json().unwrap(), serde_json::json!(
    ///     {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":s3:::x"]]}));
    /// ```
    pub fn concat(parts: impl IntoIterator<Item = Value>) -> Value {
        crate::fns::join("", parts)
    }

    pub(crate) fn walk_targets(&self, f: &mut dyn FnMut(&Target, Option<&str>)) {
        match self {
            Value::Array(a) => a.iter().for_each(|v| v.walk_targets(f)),
            Value::Object(o) => o.values().for_each(|v| v.walk_targets(f)),
            Value::Token(t) => t.walk_targets(f),
            _ => {}
        }
    }
}

impl Intrinsic {
    fn walk_targets(&self, f: &mut dyn FnMut(&Target, Option<&str>)) {
        use Intrinsic::*;
        match self {
            Ref(t) => f(t, None),
            GetAtt(t, a) => f(t, Some(a)),
            LogicalId(_) | Condition(_) | Pseudo(_) | RefName(_) | Invalid(_) => {}
            Sub(_, vars) => {
                if let Some(vars) = vars {
                    vars.values().for_each(|v| v.walk_targets(f));
                }
            }
            Join(_, vs) | And(vs) | Or(vs) => vs.iter().for_each(|v| v.walk_targets(f)),
            Select(a, b) | Equals(a, b) => {
                a.walk_targets(f);
                b.walk_targets(f);
            }
            Split(_, v) | Not(v) | ImportValue(v) | GetAzs(v) | Base64(v) | Other(_, v) => v.walk_targets(f),
            If(a, b, c) | FindInMap(a, b, c) | Cidr(a, b, c) => {
                a.walk_targets(f);
                b.walk_targets(f);
                c.walk_targets(f);
            }
            Lazy(l) => l.produce().walk_targets(f),
        }
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Number(n) => write!(f, "{n}"),
            Value::String(s) => write!(f, "{s:?}"),
            Value::Array(a) => f.debug_list().entries(a).finish(),
            Value::Object(o) => f.debug_map().entries(o).finish(),
            Value::Token(t) => write!(f, "{t:?}"),
        }
    }
}

impl fmt::Debug for Intrinsic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Intrinsic::*;
        match self {
            Ref(t) => write!(f, "Ref({})", t.describe()),
            GetAtt(t, a) => write!(f, "GetAtt({}, {a})", t.describe()),
            LogicalId(t) => write!(f, "LogicalId({})", t.describe()),
            Condition(t) => write!(f, "Condition({})", t.describe()),
            Pseudo(p) => write!(f, "Ref({})", p.name()),
            RefName(n) => write!(f, "Ref({n})"),
            Sub(s, v) => write!(f, "Sub({s:?}, {v:?})"),
            Join(d, v) => write!(f, "Join({d:?}, {v:?})"),
            Select(a, b) => write!(f, "Select({a:?}, {b:?})"),
            Split(d, v) => write!(f, "Split({d:?}, {v:?})"),
            If(a, b, c) => write!(f, "If({a:?}, {b:?}, {c:?})"),
            Equals(a, b) => write!(f, "Equals({a:?}, {b:?})"),
            And(v) => write!(f, "And({v:?})"),
            Or(v) => write!(f, "Or({v:?})"),
            Not(v) => write!(f, "Not({v:?})"),
            ImportValue(v) => write!(f, "ImportValue({v:?})"),
            GetAzs(v) => write!(f, "GetAZs({v:?})"),
            Base64(v) => write!(f, "Base64({v:?})"),
            FindInMap(a, b, c) => write!(f, "FindInMap({a:?}, {b:?}, {c:?})"),
            Cidr(a, b, c) => write!(f, "Cidr({a:?}, {b:?}, {c:?})"),
            Other(n, v) => write!(f, "{n}({v:?})"),
            Invalid(v) => write!(f, "Invalid({v})"),
            Lazy(_) => f.write_str("Lazy(..)"),
        }
    }
}

impl PartialEq for Value {
    /// Structural equality; tokens compare by their rendered form when they hold no
    /// construct references, and by target identity otherwise.
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Value::Null, Value::Null) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Number(a), Value::Number(b)) => a == b,
            (Value::String(a), Value::String(b)) => a == b,
            (Value::Array(a), Value::Array(b)) => a == b,
            (Value::Object(a), Value::Object(b)) => a == b,
            (Value::Token(a), Value::Token(b)) => format!("{a:?}") == format!("{b:?}"),
            _ => false,
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.to_string())
    }
}
impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s)
    }
}
impl From<&String> for Value {
    fn from(s: &String) -> Self {
        Value::String(s.clone())
    }
}
impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}
macro_rules! from_int {
    ($($t:ty),*) => {$(
        impl From<$t> for Value {
            fn from(n: $t) -> Self { Value::Number(n.into()) }
        }
    )*};
}
from_int!(i8, i16, i32, i64, u8, u16, u32, u64, usize, isize);
impl From<f64> for Value {
    fn from(n: f64) -> Self {
        serde_json::Number::from_f64(n).map_or_else(|| Value::token(Intrinsic::Invalid(n.to_string())), Value::Number)
    }
}
impl From<Intrinsic> for Value {
    fn from(i: Intrinsic) -> Self {
        Value::token(i)
    }
}
impl From<Pseudo> for Value {
    fn from(p: Pseudo) -> Self {
        Value::token(Intrinsic::Pseudo(p))
    }
}
impl From<serde_json::Value> for Value {
    fn from(v: serde_json::Value) -> Self {
        Value::from_json(v)
    }
}
impl From<IndexMap<String, Value>> for Value {
    fn from(o: IndexMap<String, Value>) -> Self {
        Value::Object(o)
    }
}
impl<T: Into<Value>> From<Vec<T>> for Value {
    fn from(v: Vec<T>) -> Self {
        Value::Array(v.into_iter().map(Into::into).collect())
    }
}
impl<T: Into<Value> + Clone> From<&[T]> for Value {
    fn from(v: &[T]) -> Self {
        Value::Array(v.iter().cloned().map(Into::into).collect())
    }
}
impl<T: Into<Value>, const N: usize> From<[T; N]> for Value {
    fn from(v: [T; N]) -> Self {
        Value::Array(v.into_iter().map(Into::into).collect())
    }
}
impl From<&Value> for Value {
    fn from(v: &Value) -> Self {
        v.clone()
    }
}

/// Builds a [`Value`] from JSON-like syntax; expressions in value position may be
/// tokens.
///
/// ```
/// use constructs::{cfn, Aws};
/// let v = cfn!({"Region": (Aws::region()), "Tags": ["a", "b"]});
/// assert!(v.is_token());
/// ```
#[macro_export]
macro_rules! cfn {
    (null) => { $crate::Value::Null };
    ([ $($elem:tt),* $(,)? ]) => { $crate::Value::Array(vec![ $( $crate::cfn!($elem) ),* ]) };
    ({ $($key:literal : $val:tt),* $(,)? }) => {{
        #[allow(unused_mut)]
        let mut m = $crate::indexmap::IndexMap::<String, $crate::Value>::new();
        $( m.insert($key.to_string(), $crate::cfn!($val)); )*
        $crate::Value::Object(m)
    }};
    ($other:expr) => { $crate::Value::from($other) };
}
