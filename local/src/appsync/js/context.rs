//! The `ctx` a handler sees, and what a handler's run leaves behind.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::errors::GraphQlError;
use super::shared_json::SharedJson;

/// Which handler of a resolver or function to run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    Request,
    Response,
}

impl Phase {
    /// The exported function's name.
    pub fn handler(self) -> &'static str {
        match self {
            Phase::Request => "request",
            Phase::Response => "response",
        }
    }
}

/// How the caller signed the request, as `util.authType()` names it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum AuthType {
    #[default]
    ApiKey,
    Iam,
    UserPools,
    Oidc,
    Lambda,
}

impl AuthType {
    /// `util.authType()`'s answer.
    pub fn name(self) -> &'static str {
        match self {
            AuthType::ApiKey => "API Key Authorization",
            AuthType::Iam => "IAM Authorization",
            AuthType::UserPools => "User Pool Authorization",
            AuthType::Oidc => "Open ID Connect Authorization",
            AuthType::Lambda => "Lambda Authorization",
        }
    }
}

/// `ctx.info`: the field being resolved.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Info {
    pub field_name: String,
    pub parent_type_name: String,
    /// The operation's variables.
    pub variables: Value,
    /// The selected fields below this one, as paths (`items/id`); fragments are
    /// flattened.
    pub selection_set_list: Vec<String>,
    /// The selection set in GraphQL syntax (inline fragments kept).
    #[serde(rename = "selectionSetGraphQL")]
    pub selection_set_graphql: String,
}

/// Everything a handler's `ctx` holds. `identity` is `None` for API keys; its
/// shape for other modes is AppSync's (Cognito user pools: `sub`, `issuer`,
/// `username`, `claims`, `sourceIp`, `defaultAuthStrategy`, `groups`; IAM:
/// `accountId`, `cognitoIdentityPoolId`, `cognitoIdentityId`, `sourceIp`,
/// `username`, `userArn`, `cognitoIdentityAuthType`,
/// `cognitoIdentityAuthProvider`; Lambda: `resolverContext`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Context {
    /// `ctx.arguments` (also `ctx.args`).
    pub arguments: Value,
    pub identity: Option<SharedJson>,
    /// The parent object, for a field of a type.
    pub source: Option<Value>,
    /// `ctx.stash`: an object shared by every step of a pipeline.
    pub stash: Value,
    /// `ctx.prev.result`: what the previous step returned.
    pub prev_result: Option<Value>,
    /// `ctx.result`: the data source's answer, in a response handler.
    pub result: Option<Value>,
    /// `ctx.error` (`{message, type}`): the data source's error, in a response handler.
    pub error: Option<Value>,
    pub info: Info,
    /// `ctx.request.headers`.
    pub request_headers: SharedJson,
    /// `ctx.env`: the API's environment variables.
    pub env: SharedJson,
    pub auth_type: AuthType,
}

static EMPTY: std::sync::LazyLock<Value> = std::sync::LazyLock::new(|| Value::Object(Default::default()));

/// `v`, or `{}` when it is null (arguments, stash, headers and env are objects).
fn object(v: &Value) -> &Value {
    if v.is_null() {
        &EMPTY
    } else {
        v
    }
}

fn text<T: Serialize + ?Sized>(v: &T) -> String {
    // Values and plain structs always serialize.
    serde_json::to_string(v).unwrap_or_default()
}

impl Context {
    /// The parts of `ctx` as JSON text, the way a run hands them to the engine
    /// (`None`: absent, so `undefined` in JavaScript).
    pub(crate) fn parts(&self) -> [(&'static str, Option<Cow<'_, str>>); 10] {
        // Shared parts are objects; null reads as {} in JavaScript.
        fn shared(s: &SharedJson) -> Cow<'_, str> {
            Cow::Borrowed(if s.value().is_null() { "{}" } else { s.text() })
        }
        let text = |v| Cow::Owned(text(v));
        [
            ("arguments", Some(text(object(&self.arguments)))),
            ("identity", self.identity.as_ref().map(|i| Cow::Borrowed(i.text()))),
            ("source", self.source.as_ref().map(text)),
            ("stash", Some(text(object(&self.stash)))),
            ("prev", self.prev_result.as_ref().map(text)),
            ("result", self.result.as_ref().map(text)),
            ("error", self.error.as_ref().map(text)),
            ("info", Some(Cow::Owned(super::context::text(&self.info)))),
            ("headers", Some(shared(&self.request_headers))),
            ("env", Some(shared(&self.env))),
        ]
    }
}

/// What one handler run produced.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Evaluation {
    /// The handler's return value (or `runtime.earlyReturn`'s argument).
    #[serde(default)]
    pub value: Value,
    /// `ctx.stash` after the run.
    #[serde(default)]
    pub stash: Value,
    /// `util.appendError` calls, in order.
    #[serde(default)]
    pub errors: Vec<GraphQlError>,
    /// Whether the handler called `runtime.earlyReturn`.
    #[serde(default)]
    pub early_return: bool,
    /// `runtime.earlyReturn(obj, { skipTo: 'END' })`: skip the rest of the pipeline.
    #[serde(default)]
    pub skip_to_end: bool,
    /// `util.error` or `util.unauthorized`: the handler stopped with this error.
    #[serde(default)]
    pub raised: Option<GraphQlError>,
    /// `extensions.setSubscriptionFilter`'s filter.
    #[serde(default)]
    pub subscription_filter: Option<Value>,
    /// `extensions.setSubscriptionInvalidationFilter`'s filter.
    #[serde(default)]
    pub invalidation_filter: Option<Value>,
    /// `extensions.invalidateSubscriptions`'s argument (`{subscriptionField, payload}`).
    #[serde(default)]
    pub invalidation: Option<Value>,
}
