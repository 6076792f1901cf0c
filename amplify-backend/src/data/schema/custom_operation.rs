//! Custom queries, mutations and subscriptions, and their handlers.

use std::path::PathBuf;

use super::auth_rule::AuthRule;
use super::field::{Field, FieldKind};

/// Which root type a custom operation belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OperationType {
    /// A field of `Query`.
    Query,
    /// A field of `Mutation`.
    Mutation,
    /// A field of `Subscription`.
    Subscription,
}

impl OperationType {
    /// `Query`, `Mutation` or `Subscription`.
    pub fn type_name(self) -> &'static str {
        match self {
            OperationType::Query => "Query",
            OperationType::Mutation => "Mutation",
            OperationType::Subscription => "Subscription",
        }
    }
}

/// A model mutation a custom subscription listens to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ModelMutation {
    /// `create<Model>`.
    Create,
    /// `update<Model>`.
    Update,
    /// `delete<Model>`.
    Delete,
}

impl ModelMutation {
    /// `create`, `update` or `delete`.
    pub fn as_str(self) -> &'static str {
        match self {
            ModelMutation::Create => "create",
            ModelMutation::Update => "update",
            ModelMutation::Delete => "delete",
        }
    }
}

/// What a custom subscription listens to: a custom mutation, or mutations of a model.
#[derive(Clone, Debug, PartialEq)]
pub struct SubscriptionSource {
    pub(crate) target: Option<String>,
    pub(crate) mutations: Vec<ModelMutation>,
}

impl SubscriptionSource {
    /// These mutations of `model`.
    pub fn model(model: impl Into<String>, mutations: impl IntoIterator<Item = ModelMutation>) -> Self {
        SubscriptionSource { target: Some(model.into()), mutations: mutations.into_iter().collect() }
    }
}

/// `a::ref_("sendMessage")`: a custom mutation. Any other kind of field is reported by
/// validation.
impl From<Field> for SubscriptionSource {
    fn from(field: Field) -> Self {
        match field.kind {
            FieldKind::Ref(target) => SubscriptionSource { target: Some(target), mutations: Vec::new() },
            _ => SubscriptionSource { target: None, mutations: Vec::new() },
        }
    }
}

/// JavaScript code for a custom handler: a file, read at synthesis, or the code itself.
#[derive(Clone, Debug, PartialEq)]
pub enum JsCode {
    /// A file; a relative path is relative to the current directory at synthesis,
    /// so write it with [`entry!`](crate::entry!) (`entry!("echo.js")`, next to
    /// the file that says so).
    File(PathBuf),
    /// The code.
    Inline(String),
}

/// The data source a custom JS handler runs against.
#[derive(Clone, Debug, PartialEq)]
pub enum DataSourceRef {
    /// A model's table (`a::ref_("Post")`).
    Model(String),
    /// A data source added by name (an HTTP endpoint or a DynamoDB table).
    Named(String),
    /// Something that is not a data source; validation reports it.
    Invalid,
}

impl From<&str> for DataSourceRef {
    fn from(name: &str) -> Self {
        DataSourceRef::Named(name.to_string())
    }
}
impl From<String> for DataSourceRef {
    fn from(name: String) -> Self {
        DataSourceRef::Named(name)
    }
}
impl From<Field> for DataSourceRef {
    fn from(field: Field) -> Self {
        match field.kind {
            FieldKind::Ref(model) => DataSourceRef::Model(model),
            _ => DataSourceRef::Invalid,
        }
    }
}

/// What runs a custom operation. Made with `a::handler::function(...)` or
/// `a::handler::custom(...)`.
#[derive(Clone, Debug, PartialEq)]
pub enum Handler {
    /// A Lambda function of this backend, by its `define_function` name.
    Function(String),
    /// A Lambda function invoked without waiting for it (Lambda's `Event`
    /// invocation, Amplify's `a.handler.function(f).async()`): made with
    /// [`Handler::async_`]. As the last handler, the operation returns
    /// `EventInvocationResponse` (`{ success: Boolean! }`).
    AsyncFunction(String),
    /// `.async_()` on a handler that is not a function (reported by validation).
    AsyncNotAFunction,
    /// An APPSYNC_JS function (exports `request` and `response`) on a data source;
    /// the `NONE` data source when none is given.
    Custom {
        /// The code.
        code: JsCode,
        /// The data source.
        data_source: Option<DataSourceRef>,
    },
}

impl Handler {
    /// For custom handlers: the data source the code runs against.
    pub fn data_source(self, source: impl Into<DataSourceRef>) -> Self {
        match self {
            Handler::Custom { code, .. } => Handler::Custom { code, data_source: Some(source.into()) },
            other => other,
        }
    }

    /// The `define_function` name of a function handler (sync or async).
    pub fn function_name(&self) -> Option<&str> {
        match self {
            Handler::Function(f) | Handler::AsyncFunction(f) => Some(f),
            _ => None,
        }
    }

    /// Invokes the function handler asynchronously (Amplify's `.async()`; `async`
    /// is a Rust keyword): the operation does not wait for the function, and
    /// answers `{ success }` (whether Lambda accepted the event) when this is the
    /// last handler.
    pub fn async_(self) -> Self {
        match self {
            Handler::Function(f) | Handler::AsyncFunction(f) => Handler::AsyncFunction(f),
            _ => Handler::AsyncNotAFunction,
        }
    }
}

/// One handler or a pipeline of handlers for [`CustomOperation::handler`].
pub trait IntoHandlers {
    /// The handlers, run in order.
    fn into_handlers(self) -> Vec<Handler>;
}
impl IntoHandlers for Handler {
    fn into_handlers(self) -> Vec<Handler> {
        vec![self]
    }
}
impl<const N: usize> IntoHandlers for [Handler; N] {
    fn into_handlers(self) -> Vec<Handler> {
        self.into()
    }
}
impl IntoHandlers for Vec<Handler> {
    fn into_handlers(self) -> Vec<Handler> {
        self
    }
}

/// A custom query, mutation or subscription:
///
/// ```
/// use amplify_backend::data::a;
///
/// let echo = a::query()
///     .arguments([("content", a::string().required())])
///     .returns(a::string())
///     .handler(a::handler::function("echo"))
///     .authorization(|allow| [allow.authenticated()]);
/// # let _ = echo;
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct CustomOperation {
    pub(crate) op_type: OperationType,
    pub(crate) arguments: Vec<(String, Field)>,
    pub(crate) returns: Option<Field>,
    pub(crate) handlers: Vec<Handler>,
    pub(crate) rules: Vec<AuthRule>,
    pub(crate) sources: Vec<SubscriptionSource>,
}

impl CustomOperation {
    pub(crate) fn new(op_type: OperationType) -> Self {
        CustomOperation {
            op_type,
            arguments: Vec::new(),
            returns: None,
            handlers: Vec::new(),
            rules: Vec::new(),
            sources: Vec::new(),
        }
    }

    /// The arguments, in order.
    pub fn arguments<N: Into<String>>(mut self, arguments: impl IntoIterator<Item = (N, Field)>) -> Self {
        self.arguments = arguments.into_iter().map(|(n, f)| (n.into(), f)).collect();
        self
    }

    /// The return type: a scalar, `a::ref_(...)` to a model, enum or custom type, or
    /// an inline custom type (named `<Operation>ReturnType`).
    pub fn returns(mut self, field: Field) -> Self {
        self.returns = Some(field);
        self
    }

    /// What runs the operation.
    pub fn handler(mut self, handlers: impl IntoHandlers) -> Self {
        self.handlers = handlers.into_handlers();
        self
    }

    /// Custom subscriptions: what they listen to. Call it again to add sources.
    pub fn for_(mut self, source: impl Into<SubscriptionSource>) -> Self {
        self.sources.push(source.into());
        self
    }

    /// Query, mutation or subscription.
    pub fn operation_type(&self) -> OperationType {
        self.op_type
    }
}
