//! Fields of models and custom types: scalars, references to enums and custom types,
//! inline enums and custom types, and relationships.

use super::auth_rule::AuthRule;
use super::relationship::Relationship;
use super::validation::{ValidationRule, Validations};

/// The scalar types a field can have, named as in Amplify (`a::string()`, ...).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scalar {
    /// `ID`: an opaque string identifier.
    Id,
    /// `String`.
    String,
    /// `Int`: a signed 32-bit integer.
    Integer,
    /// `Float`.
    Float,
    /// `Boolean`.
    Boolean,
    /// `AWSDate`: `YYYY-MM-DD`.
    Date,
    /// `AWSTime`: `hh:mm:ss.sss`.
    Time,
    /// `AWSDateTime`: ISO 8601 date and time.
    DateTime,
    /// `AWSTimestamp`: seconds since the epoch.
    Timestamp,
    /// `AWSEmail`.
    Email,
    /// `AWSJSON`: any JSON value, sent as a string.
    Json,
    /// `AWSPhone`.
    Phone,
    /// `AWSURL`.
    Url,
    /// `AWSIPAddress`.
    IpAddress,
}

impl Scalar {
    /// The GraphQL (AppSync) type name.
    pub fn graphql_name(self) -> &'static str {
        match self {
            Scalar::Id => "ID",
            Scalar::String => "String",
            Scalar::Integer => "Int",
            Scalar::Float => "Float",
            Scalar::Boolean => "Boolean",
            Scalar::Date => "AWSDate",
            Scalar::Time => "AWSTime",
            Scalar::DateTime => "AWSDateTime",
            Scalar::Timestamp => "AWSTimestamp",
            Scalar::Email => "AWSEmail",
            Scalar::Json => "AWSJSON",
            Scalar::Phone => "AWSPhone",
            Scalar::Url => "AWSURL",
            Scalar::IpAddress => "AWSIPAddress",
        }
    }

    /// The builder that makes this scalar, for messages (`a::string()`).
    pub fn builder_name(self) -> &'static str {
        match self {
            Scalar::Id => "a::id()",
            Scalar::String => "a::string()",
            Scalar::Integer => "a::integer()",
            Scalar::Float => "a::float()",
            Scalar::Boolean => "a::boolean()",
            Scalar::Date => "a::date()",
            Scalar::Time => "a::time()",
            Scalar::DateTime => "a::datetime()",
            Scalar::Timestamp => "a::timestamp()",
            Scalar::Email => "a::email()",
            Scalar::Json => "a::json()",
            Scalar::Phone => "a::phone()",
            Scalar::Url => "a::url()",
            Scalar::IpAddress => "a::ip_address()",
        }
    }

    /// Whether DynamoDB stores it as a number (`N`) rather than a string (`S`).
    pub fn is_numeric(self) -> bool {
        matches!(self, Scalar::Integer | Scalar::Float | Scalar::Timestamp)
    }
}

/// A field's default value, applied by the create resolver when the input omits the field.
#[derive(Clone, Debug, PartialEq)]
pub enum DefaultValue {
    /// A string (for string-like scalars, IDs and enums).
    String(String),
    /// An integer (for `Int` and `AWSTimestamp`).
    Int(i64),
    /// A float.
    Float(f64),
    /// A boolean.
    Bool(bool),
}

impl From<&str> for DefaultValue {
    fn from(v: &str) -> Self {
        DefaultValue::String(v.to_string())
    }
}
impl From<String> for DefaultValue {
    fn from(v: String) -> Self {
        DefaultValue::String(v)
    }
}
impl From<i64> for DefaultValue {
    fn from(v: i64) -> Self {
        DefaultValue::Int(v)
    }
}
impl From<i32> for DefaultValue {
    fn from(v: i32) -> Self {
        DefaultValue::Int(v.into())
    }
}
impl From<f64> for DefaultValue {
    fn from(v: f64) -> Self {
        DefaultValue::Float(v)
    }
}
impl From<bool> for DefaultValue {
    fn from(v: bool) -> Self {
        DefaultValue::Bool(v)
    }
}

/// What a field holds.
#[derive(Clone, Debug, PartialEq)]
pub enum FieldKind {
    /// A scalar.
    Scalar(Scalar),
    /// A reference to an enum or custom type declared in the schema (`a::ref_("Status")`).
    Ref(String),
    /// An enum declared in place (`a::enum_type([...])` as a field); its GraphQL name
    /// becomes `<Type><Field>`, as in Amplify.
    InlineEnum(Vec<String>),
    /// A custom type declared in place; its GraphQL name becomes `<Type><Field>`.
    InlineCustomType(Vec<(String, Field)>),
    /// A relationship to another model.
    Relationship(Relationship),
}

/// A field of a model, a custom type, or an argument or return type of a custom
/// operation. Made with the `a::*` builders and refined with modifiers:
///
/// ```
/// use amplify_backend::data::a;
///
/// let title = a::string().required();
/// let tags = a::string().required().array().required(); // [String!]!
/// let stars = a::integer().default(0);
/// # let _ = (title, tags, stars);
/// ```
///
/// All builders return this one type so a model's fields can sit in one array;
/// a modifier that does not apply to the kind of field (say `.required()` on a
/// relationship) is reported by validation, with the model and field.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    pub(crate) kind: FieldKind,
    pub(crate) required: bool,
    pub(crate) array: bool,
    pub(crate) array_required: bool,
    pub(crate) default: Option<DefaultValue>,
    pub(crate) rules: Vec<AuthRule>,
    pub(crate) validations: Vec<ValidationRule>,
    pub(crate) value_required: bool,
}

impl Field {
    pub(crate) fn new(kind: FieldKind) -> Self {
        Field {
            kind,
            required: false,
            array: false,
            array_required: false,
            default: None,
            rules: Vec::new(),
            validations: Vec::new(),
            value_required: false,
        }
    }

    /// Makes the value required (`!`). After `.array()` it makes the list itself
    /// required, so `a::string().required().array().required()` is `[String!]!`, as in
    /// Amplify.
    pub fn required(mut self) -> Self {
        if self.array {
            self.array_required = true;
        } else {
            self.required = true;
        }
        self
    }

    /// Makes the field a list of its type.
    pub fn array(mut self) -> Self {
        self.array = true;
        self
    }

    /// Sets the value the create mutation stores when the input omits the field.
    pub fn default(mut self, value: impl Into<DefaultValue>) -> Self {
        self.default = Some(value.into());
        self
    }

    /// Rules the create and update mutations check on the field's input value
    /// (Amplify's `.validate(v => ...)`): `a::string().validate(|v| v.min_length(3))`.
    /// See [`Validations`].
    pub fn validate(mut self, rules: impl FnOnce(Validations) -> Validations) -> Self {
        self.validations.extend(rules(Validations::default()).rules);
        self
    }

    /// The validation rules, in order.
    pub fn validations(&self) -> &[ValidationRule] {
        &self.validations
    }

    /// A has_many whose items are never null (Amplify's `a.hasMany(...).valueRequired()`:
    /// `[Member!]` in the model schema).
    pub fn value_required(mut self) -> Self {
        self.value_required = true;
        self
    }

    /// What the field holds.
    pub fn kind(&self) -> &FieldKind {
        &self.kind
    }

    /// Whether the value is required.
    pub fn is_required(&self) -> bool {
        self.required
    }

    /// Whether the field is a list.
    pub fn is_array(&self) -> bool {
        self.array
    }
}
