//! A subscriber's selection set applied to a published payload, and the key
//! that says when two subscribers get the same result from it.
//!
//! A payload is shaped in the executor's event mode: nested fields read the
//! payload and run no resolvers, and each field checks only its auth rule
//! (`FieldAuth::allows`: the request's mode and user pool groups) and, for
//! IAM, the caller's policy on top-level types. So the result depends on the
//! document, the operation, the variables (`@include`, `@skip`), the mode, the
//! groups and the IAM policy, never on who the caller is beyond that. Identity
//! based rules (owner filters) are each subscriber's own filters, applied
//! before shaping.

use std::sync::{Arc, Mutex};

use async_graphql::{Request, Variables};
use futures_util::StreamExt;
use serde_json::{json, Value};

use super::hub::Evaluate;
use crate::appsync::api::{response_body, DataApi};
use crate::appsync::auth::{AuthMode, RequestAuth};
use crate::appsync::executor::RequestData;
use crate::appsync::nulls::Caught;

/// Everything that can change what a selection set makes of a payload.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct ShapeKey {
    query: String,
    operation_name: Option<String>,
    /// The variables' JSON text (equal values in another key order only
    /// cost a second group).
    variables: String,
    mode: AuthMode,
    /// Sorted, without repeats.
    groups: Vec<String>,
    /// The address of an IAM caller's policy: equal only for the same
    /// policy object, which the group keeps alive with its evaluator.
    policy: Option<usize>,
}

impl ShapeKey {
    /// The key of a subscriber's request.
    pub fn new(query: &str, operation_name: Option<&str>, variables: &Value, auth: &RequestAuth) -> ShapeKey {
        let mut groups = auth.groups.clone();
        groups.sort();
        groups.dedup();
        ShapeKey {
            query: query.to_string(),
            operation_name: operation_name.map(str::to_string),
            variables: variables.to_string(),
            mode: auth.mode,
            groups,
            policy: auth.policy.as_ref().map(|p| Arc::as_ptr(p) as *const () as usize),
        }
    }
}

/// One subscriber's request, kept to shape payloads for its group.
pub(crate) struct Shape {
    /// The document.
    pub query: String,
    /// The operation to run.
    pub operation_name: Option<String>,
    /// The variables.
    pub variables: Value,
    /// Who started it (only its mode, groups and policy are read).
    pub auth: RequestAuth,
}

impl Shape {
    /// The group key.
    pub fn key(&self) -> ShapeKey {
        ShapeKey::new(&self.query, self.operation_name.as_deref(), &self.variables, &self.auth)
    }

    /// Shapes `payload`: the `{data, errors}` body as JSON text.
    pub async fn render(&self, api: &DataApi, payload: Value) -> Option<String> {
        let mut data = RequestData::new(self.auth.clone(), json!({}), self.variables.clone());
        data.event_mode = true;
        data.replay = Mutex::new(Some(payload));
        let caught = Arc::new(Caught::default());
        let mut req = Request::new(self.query.clone())
            .variables(Variables::from_json(self.variables.clone()))
            .data(Arc::new(data))
            .data(caught.clone());
        if let Some(op) = &self.operation_name {
            req = req.operation_name(op.clone());
        }
        let mut response = api.inner.schema.execute_stream(req).next().await?;
        response.errors.extend(caught.take());
        if caught.data_is_null() {
            response.data = async_graphql::Value::Null;
        }
        serde_json::to_string(&response_body(&response)).ok()
    }

    /// The shaper a group runs with.
    pub fn evaluator(self, api: DataApi) -> Evaluate {
        let shape = Arc::new(self);
        Arc::new(move |payload: Arc<Value>| {
            let (shape, api) = (shape.clone(), api.clone());
            Box::pin(async move { shape.render(&api, Arc::unwrap_or_clone(payload)).await })
        })
    }
}
