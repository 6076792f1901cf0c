//! Field resolution: the auth check, then the field's resolver (with its data
//! sources) or the source object's property, then the value shaped for the
//! field's type. Mutations are recorded for publishing; subscription fields
//! run their resolver at start (to authorize and set filters); the realtime
//! hub then shapes each matching publish with the subscriber's selection set.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use async_graphql::dynamic::{FieldValue, ResolverContext};
use async_graphql::{Error, Name};
use async_graphql_parser::types::{BaseType, Type};
use futures_util::Stream;
use serde_json::{Map, Value};
use tokio::sync::oneshot;

use super::auth::{FieldAuth, RequestAuth};
use super::datasource::DataSource;
use super::errors::GraphQlError;
use super::nulls::Caught;
use super::realtime::filter::Subscriber;
use super::realtime::hub::{Hub, Started};
use super::runtime::{Info, ResolverCode, ResolverContext as JsContext, ResolverRuntime, SharedJson};
use super::schema::Kind;

/// What every field resolver shares: the runtime, data sources, environment
/// and the subscription hub.
pub(crate) struct Shared {
    pub runtime: Arc<dyn ResolverRuntime>,
    pub data_sources: HashMap<String, DataSource>,
    pub env: SharedJson,
    pub hub: Hub,
    pub kinds: HashMap<String, Kind>,
    /// Input types holding AWSJSON values, with their fields' types.
    pub json_inputs: HashMap<String, Vec<(String, Type)>>,
}

/// One field's plan.
pub(crate) struct FieldPlan {
    pub type_name: String,
    pub field_name: String,
    pub auth: FieldAuth,
    pub resolver: Option<ResolverCode>,
    pub output: Type,
    /// Arguments holding AWSJSON values (directly or in input objects), with
    /// their types: parsed before the resolver sees them.
    pub json_args: Vec<(String, Type)>,
    pub is_mutation: bool,
    /// Field names of the returned object type (for argument filters).
    pub return_fields: Vec<String>,
}

/// Per-request data the field resolvers read.
pub(crate) struct RequestData {
    pub auth: RequestAuth,
    /// `ctx.identity`, made once for all the request's fields.
    pub identity: Option<SharedJson>,
    pub headers: SharedJson,
    pub variables: Value,
    /// Resolving a published payload for a subscriber: nested fields read the
    /// payload and run no resolvers, as AppSync does.
    pub event_mode: bool,
    /// Mutation fields resolved: (field name, response key).
    pub mutations: Mutex<Vec<(String, String)>>,
    /// Told when a subscription field has started (the resolver passed),
    /// with the field and the subscriber's filters.
    pub started: Mutex<Option<oneshot::Sender<Started>>>,
    /// A published payload to shape with this request's selection set: the
    /// subscription field yields it once, with no authorization or resolver
    /// (each subscriber passed those when it started).
    pub replay: Mutex<Option<Value>>,
}

impl RequestData {
    pub fn new(auth: RequestAuth, headers: Value, variables: Value) -> RequestData {
        RequestData {
            identity: auth.identity.clone().map(SharedJson::from),
            auth,
            headers: headers.into(),
            variables,
            event_mode: false,
            mutations: Mutex::default(),
            started: Mutex::default(),
            replay: Mutex::default(),
        }
    }
}

fn request<'a>(ctx: &ResolverContext<'a>) -> Result<&'a Arc<RequestData>, Error> {
    ctx.data::<Arc<RequestData>>()
}

fn arguments(shared: &Shared, plan: &FieldPlan, ctx: &ResolverContext<'_>) -> Value {
    let map: Map<String, Value> = ctx
        .args
        .as_index_map()
        .iter()
        .map(|(k, v)| {
            let json = v.clone().into_json().unwrap_or(Value::Null);
            let json = match plan.json_args.iter().find(|(name, _)| name == k.as_str()) {
                Some((_, ty)) => parse_json_inputs(json, ty, &shared.json_inputs),
                None => json,
            };
            (k.to_string(), json)
        })
        .collect();
    Value::Object(map)
}

/// Parses the AWSJSON strings in an input value of type `ty`, as AppSync
/// hands them to resolvers.
fn parse_json_inputs(value: Value, ty: &Type, inputs: &HashMap<String, Vec<(String, Type)>>) -> Value {
    match (&ty.base, value) {
        (BaseType::List(inner), Value::Array(items)) => {
            Value::Array(items.into_iter().map(|v| parse_json_inputs(v, inner, inputs)).collect())
        }
        (BaseType::Named(n), Value::String(s)) if n == "AWSJSON" => {
            serde_json::from_str(&s).unwrap_or(Value::String(s))
        }
        (BaseType::Named(n), Value::Object(mut fields)) => {
            if let Some(types) = inputs.get(n.as_str()) {
                for (name, field_ty) in types {
                    if let Some(v) = fields.get_mut(name) {
                        *v = parse_json_inputs(v.take(), field_ty, inputs);
                    }
                }
            }
            Value::Object(fields)
        }
        (_, v) => v,
    }
}

fn selection(ctx: &ResolverContext<'_>) -> (Vec<String>, String) {
    fn walk(field: async_graphql::SelectionField<'_>, prefix: &str, list: &mut Vec<String>, text: &mut String) {
        let mut first = true;
        for child in field.selection_set() {
            let name = child.name();
            if name == "__typename" {
                continue;
            }
            let path = if prefix.is_empty() { name.to_string() } else { format!("{prefix}/{name}") };
            list.push(path.clone());
            if !first {
                text.push(' ');
            }
            first = false;
            text.push_str(name);
            if child.selection_set().next().is_some() {
                text.push_str(" { ");
                walk(child, &path, list, text);
                text.push_str(" }");
            }
        }
    }
    let mut list = Vec::new();
    let mut text = String::new();
    walk(ctx.ctx.field(), "", &mut list, &mut text);
    (list, if text.is_empty() { text } else { format!("{{ {text} }}") })
}

/// Runs a field's resolver code with its data sources.
fn run(
    shared: &Shared,
    plan: &FieldPlan,
    code: &ResolverCode,
    ctx: &ResolverContext<'_>,
    req: &RequestData,
) -> Result<super::runtime::ResolverOutcome, GraphQlError> {
    let (selection_set_list, selection_set_graphql) = selection(ctx);
    let js = JsContext {
        arguments: arguments(shared, plan, ctx),
        identity: req.identity.clone(),
        source: ctx.parent_value.downcast_ref::<Value>().cloned(),
        stash: Value::Object(Map::new()),
        info: Info {
            field_name: plan.field_name.clone(),
            parent_type_name: plan.type_name.clone(),
            variables: req.variables.clone(),
            selection_set_list,
            selection_set_graphql,
        },
        request_headers: req.headers.clone(),
        env: shared.env.clone(),
        auth_type: req.auth.mode,
    };
    let mut invoke = |name: &str, request: Value| -> Result<Value, GraphQlError> {
        match shared.data_sources.get(name) {
            Some(ds) => ds.invoke(request),
            None => Err(GraphQlError::new(format!("no data source named {name}"), "NotFound")),
        }
    };
    shared
        .runtime
        .run(code, js, &mut invoke)
        .map_err(|fault| GraphQlError::new(format!("{}.{}: {fault}", plan.type_name, plan.field_name), "Code"))
}

/// Reports `e` at the field being resolved (its path and location), for the
/// response's `errors`.
fn report(ctx: &ResolverContext<'_>, e: GraphQlError) {
    let e = ctx.set_error_path(e.into_server_error().into_server_error(ctx.item.pos));
    match ctx.data_opt::<Arc<Caught>>() {
        Some(caught) => caught.add(e),
        None => ctx.add_error(e),
    }
}

/// Resolves one field of an object type. A field error leaves a nullable
/// field null with the error (path and location included) in the response,
/// as AppSync does; async-graphql's dynamic executor would instead fail the
/// whole parent, so errors are reported here and not returned.
pub(crate) fn resolve<'a>(
    shared: &Shared,
    plan: &FieldPlan,
    ctx: ResolverContext<'a>,
) -> Result<Option<FieldValue<'a>>, Error> {
    match field_value(shared, plan, &ctx) {
        Ok(v) => Ok(v),
        Err(e) if plan.output.nullable => {
            report(&ctx, e);
            Ok(None)
        }
        Err(e) => Err(e.into_server_error()),
    }
}

fn field_value<'a>(
    shared: &Shared,
    plan: &FieldPlan,
    ctx: &ResolverContext<'a>,
) -> Result<Option<FieldValue<'a>>, GraphQlError> {
    let req = request(ctx).map_err(|e| GraphQlError::new(e.message, "InternalFailure"))?;
    if !plan.auth.allows(&req.auth) || !req.auth.policy_allows(&plan.type_name, &plan.field_name) {
        return Err(GraphQlError::unauthorized(&plan.field_name, &plan.type_name));
    }
    let source = ctx.parent_value.downcast_ref::<Value>();
    let value = match (&plan.resolver, req.event_mode) {
        (Some(code), false) => {
            let outcome = run(shared, plan, code, ctx, req)?;
            let mut errors = outcome.errors.into_iter();
            if outcome.result.is_null() {
                if let Some(first) = errors.next() {
                    for e in errors {
                        report(ctx, e);
                    }
                    return Err(first);
                }
            }
            for e in errors {
                report(ctx, e);
            }
            outcome.result
        }
        _ => source.and_then(|s| s.get(&plan.field_name)).cloned().unwrap_or(Value::Null),
    };
    if plan.is_mutation && !value.is_null() {
        let key = ctx.item.node.response_key().node.to_string();
        if let Ok(mut m) = req.mutations.lock() {
            m.push((plan.field_name.clone(), key));
        }
    }
    Ok(shape(value, &plan.output, &shared.kinds))
}

/// A JSON value as the field value of type `ty`.
pub(crate) fn shape(value: Value, ty: &Type, kinds: &HashMap<String, Kind>) -> Option<FieldValue<'static>> {
    if value.is_null() {
        return None;
    }
    Some(match &ty.base {
        BaseType::List(inner) => {
            let items = match value {
                Value::Array(items) => items,
                single => vec![single],
            };
            FieldValue::list(items.into_iter().map(|v| shape(v, inner, kinds).unwrap_or(FieldValue::NULL)))
        }
        BaseType::Named(name) => match kinds.get(name.as_str()).copied().unwrap_or(Kind::Leaf) {
            Kind::Leaf => FieldValue::value(leaf(value, name)),
            Kind::Object | Kind::Input => FieldValue::owned_any(value),
            Kind::Abstract => {
                let type_name = value.get("__typename").and_then(Value::as_str).map(str::to_string);
                let v = FieldValue::owned_any(value);
                match type_name {
                    Some(t) => v.with_type(t),
                    None => v,
                }
            }
        },
    })
}

fn leaf(value: Value, type_name: &Name) -> async_graphql::Value {
    match (type_name.as_str(), value) {
        // AppSync serializes whatever an AWSJSON field holds.
        ("AWSJSON", Value::String(s)) => async_graphql::Value::String(s),
        ("AWSJSON", other) => async_graphql::Value::String(other.to_string()),
        ("ID" | "String", Value::Number(n)) => async_graphql::Value::String(n.to_string()),
        (_, v) => async_graphql::Value::from_json(v).unwrap_or(async_graphql::Value::Null),
    }
}

/// Starts a subscription field: authorizes, runs its resolver (which may set
/// an enhanced filter) and hands the filters to whoever started it (the
/// realtime connection registers them with the hub). A request carrying a
/// published payload (`replay`) instead yields that payload once, for its
/// selection set to shape.
pub(crate) fn subscribe<'a>(
    shared: Arc<Shared>,
    plan: Arc<FieldPlan>,
    ctx: ResolverContext<'a>,
) -> Result<impl Stream<Item = Result<FieldValue<'a>, Error>> + Send + 'a, Error> {
    let req = request(&ctx)?.clone();
    if let Some(payload) = req.replay.lock().ok().and_then(|mut r| r.take()) {
        let value = shape(payload, &plan.output, &shared.kinds).unwrap_or(FieldValue::NULL);
        return Ok(futures_util::stream::iter(Some(Ok(value))));
    }
    if !plan.auth.allows(&req.auth) || !req.auth.policy_allows(&plan.type_name, &plan.field_name) {
        return Err(GraphQlError::unauthorized(&plan.field_name, &plan.type_name).into_server_error());
    }
    let args = arguments(&shared, &plan, &ctx);
    let mut enhanced = None;
    if let Some(code) = &plan.resolver {
        let outcome = run(&shared, &plan, code, &ctx, &req).map_err(GraphQlError::into_server_error)?;
        if let Some(first) = outcome.errors.into_iter().next() {
            return Err(first.into_server_error());
        }
        enhanced = outcome.subscription_filter;
    }
    let filter = Subscriber::new(&args, &plan.return_fields, enhanced.as_ref())
        .map_err(|e| GraphQlError::new(e, "BadRequest").into_server_error())?;
    if !shared.hub.has_topic(&plan.field_name) {
        let message = format!("{} is not a subscription field", plan.field_name);
        return Err(GraphQlError::new(message, "BadRequest").into_server_error());
    }
    if let Some(tx) = req.started.lock().ok().and_then(|mut s| s.take()) {
        let _ = tx.send(Started { field: plan.field_name.clone(), filter });
    }
    Ok(futures_util::stream::iter(None))
}
