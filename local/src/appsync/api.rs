//! [`DataApi`]: one AppSync GraphQL API of the assembly, ready to serve: its
//! schema, resolvers, data sources, keys and auth modes.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dynamic::Schema;
use async_graphql::{Request, Variables};
use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::auth::{ApiKey, AuthConfig, AuthMode, IamVerifier, RequestAuth, TokenVerifier};
use super::datasource::{DataSource, DynamoApi, LambdaApi};
use super::documents::Documents;
use super::errors::{appsync_error, request_error};
use super::executor::{RequestData, Shared};
use super::nulls::Caught;
use super::realtime::hub::Hub;
use super::runtime::{CompiledCode, DataSourceRef, ResolverCode, ResolverRuntime};
use super::schema::{self, SchemaError};
use crate::assembly::{Assembly, AssemblyError, Resource};

/// Why the data API could not be set up from the assembly.
#[derive(Debug, thiserror::Error)]
pub enum DataApiError {
    /// Reading an asset failed.
    #[error(transparent)]
    Assembly(#[from] AssemblyError),
    /// The schema does not build.
    #[error(transparent)]
    Schema(#[from] SchemaError),
    /// A resource is missing or malformed.
    #[error("{element}: {message}")]
    Config {
        /// The resource (`Resolver Query.getTodo`, `DataSource TodoTable`).
        element: String,
        /// What is wrong and how to fix it.
        message: String,
    },
}

fn config(element: impl Into<String>, message: impl Into<String>) -> DataApiError {
    DataApiError::Config { element: element.into(), message: message.into() }
}

/// A GraphQL request body.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GraphQlRequest {
    /// The document.
    pub query: String,
    /// The operation to run.
    #[serde(default)]
    pub operation_name: Option<String>,
    /// Variables.
    #[serde(default)]
    pub variables: Option<Value>,
}

/// An HTTP answer: status and JSON body.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiResponse {
    /// The HTTP status.
    pub status: u16,
    /// The body.
    pub body: Value,
}

pub(crate) struct Inner {
    pub schema: Schema,
    pub auth: AuthConfig,
    pub shared: Arc<Shared>,
    pub api_id: String,
    /// Set once a newer API replaced this one: its realtime connections close.
    pub retired: tokio::sync::watch::Sender<bool>,
    /// The documents requests sent, parsed.
    pub documents: Documents,
}

/// One AppSync API, ready to execute requests. Cheap to clone.
#[derive(Clone)]
pub struct DataApi {
    pub(crate) inner: Arc<Inner>,
}

/// What the data API runs on: the store for DynamoDB data sources, the user
/// pool token verifier, and the resolver runtime.
#[derive(Clone)]
pub struct Services {
    /// The DynamoDB store.
    pub store: Arc<dyn DynamoApi>,
    /// Verifies Cognito tokens (`None`: user pool requests are refused).
    pub tokens: Option<Arc<dyn TokenVerifier>>,
    /// Compiles and runs APPSYNC_JS code.
    pub runtime: Arc<dyn ResolverRuntime>,
    /// Verifies SigV4-signed requests (`None`: IAM requests are refused).
    pub iam: Option<Arc<dyn IamVerifier>>,
    /// Runs Lambda data sources (`None`: requests to them fail by name).
    pub lambda: Option<Arc<dyn LambdaApi>>,
}

fn of_api<'a>(
    assembly: &'a Assembly,
    resource_type: &'a str,
    api_id: &'a str,
) -> impl Iterator<Item = &'a Resource> + 'a {
    assembly.of_type(resource_type).filter(move |r| r.str_property("ApiId") == Some(api_id))
}

/// A resolver's or function's code: inline `Code` or the `CodeS3Location`
/// asset; VTL templates are refused by name.
fn code_of(assembly: &Assembly, r: &Resource, element: &str) -> Result<String, DataApiError> {
    let runtime = r.properties.get("Runtime").and_then(|v| v.get("Name")).and_then(Value::as_str);
    let vtl = r.properties.contains_key("RequestMappingTemplate")
        || r.properties.contains_key("RequestMappingTemplateS3Location")
        || r.properties.contains_key("ResponseMappingTemplate");
    if vtl || runtime.is_some_and(|n| n != "APPSYNC_JS") {
        return Err(config(
            element,
            "uses VTL mapping templates, which are not emulated locally; write it in APPSYNC_JS",
        ));
    }
    if let Some(code) = r.str_property("Code") {
        return Ok(code.to_string());
    }
    if let Some(location) = r.str_property("CodeS3Location") {
        return Ok(assembly.read_asset(location, &format!("{element} CodeS3Location"))?);
    }
    Err(config(element, "has no Code or CodeS3Location"))
}

impl DataApi {
    /// The assembly's one GraphQL API (an error names them when there are
    /// several; use [`DataApi::for_api`]).
    pub fn from_assembly(assembly: &Assembly, services: Services) -> Result<DataApi, DataApiError> {
        let apis: Vec<&Resource> = assembly.of_type("AWS::AppSync::GraphQLApi").collect();
        match apis.as_slice() {
            [one] => DataApi::for_api(assembly, one, services),
            [] => Err(config("AWS::AppSync::GraphQLApi", "the assembly has no GraphQL API")),
            many => Err(config(
                "AWS::AppSync::GraphQLApi",
                format!(
                    "the assembly has {} GraphQL APIs ({}); pick one with DataApi::for_api",
                    many.len(),
                    many.iter().map(|r| r.logical_id.as_str()).collect::<Vec<_>>().join(", ")
                ),
            )),
        }
    }

    /// The API `api` (an `AWS::AppSync::GraphQLApi` resource of `assembly`).
    pub fn for_api(assembly: &Assembly, api: &Resource, services: Services) -> Result<DataApi, DataApiError> {
        let api_id = api.str_attribute("ApiId").unwrap_or_default().to_string();
        let element = format!("GraphQLApi {}", api.logical_id);
        let mode = |v: Option<&str>, el: &str| -> Result<AuthMode, DataApiError> {
            let v = v.ok_or_else(|| config(el, "has no AuthenticationType"))?;
            AuthMode::from_template(v)
                .ok_or_else(|| config(el, format!("AuthenticationType {v} is not an AppSync mode")))
        };
        let default_mode = mode(api.str_property("AuthenticationType"), &element)?;
        let mut additional = Vec::new();
        if let Some(Value::Array(list)) = api.properties.get("AdditionalAuthenticationProviders") {
            for p in list {
                additional.push(mode(p.get("AuthenticationType").and_then(Value::as_str), &element)?);
            }
        }
        let env = api.properties.get("EnvironmentVariables").cloned().unwrap_or_else(|| json!({}));

        let schema_resource = of_api(assembly, "AWS::AppSync::GraphQLSchema", &api_id)
            .next()
            .ok_or_else(|| config(&element, "has no AWS::AppSync::GraphQLSchema"))?;
        let sdl =
            match (schema_resource.str_property("Definition"), schema_resource.str_property("DefinitionS3Location")) {
                (Some(d), _) => d.to_string(),
                (None, Some(loc)) => assembly.read_asset(loc, "GraphQLSchema DefinitionS3Location")?,
                (None, None) => return Err(config("GraphQLSchema", "has no Definition or DefinitionS3Location")),
            };

        let api_keys = of_api(assembly, "AWS::AppSync::ApiKey", &api_id)
            .map(|k| ApiKey {
                key: k.str_attribute("ApiKey").unwrap_or_default().to_string(),
                expires: k.properties.get("Expires").and_then(|e| e.as_i64().or_else(|| e.as_str()?.parse().ok())),
            })
            .collect();

        let mut data_sources = HashMap::new();
        for ds in of_api(assembly, "AWS::AppSync::DataSource", &api_id) {
            let name = ds.str_property("Name").unwrap_or(&ds.logical_id).to_string();
            let kind = ds.str_property("Type").unwrap_or_default();
            let source = match (kind, &services.lambda) {
                ("NONE", _) => DataSource::None,
                ("AMAZON_DYNAMODB", _) => {
                    let table = ds
                        .properties
                        .get("DynamoDBConfig")
                        .and_then(|c| c.get("TableName"))
                        .and_then(Value::as_str)
                        .ok_or_else(|| config(format!("DataSource {name}"), "has no DynamoDBConfig.TableName"))?;
                    DataSource::DynamoDb { table: table.to_string(), store: services.store.clone() }
                }
                ("AWS_LAMBDA", Some(runner)) => {
                    let function = ds
                        .properties
                        .get("LambdaConfig")
                        .and_then(|c| c.get("LambdaFunctionArn"))
                        .and_then(Value::as_str)
                        .ok_or_else(|| config(format!("DataSource {name}"), "has no LambdaConfig.LambdaFunctionArn"))?;
                    DataSource::Lambda { function: function.to_string(), runner: runner.clone() }
                }
                (other, _) => DataSource::Unsupported { name: name.clone(), kind: other.to_string() },
            };
            data_sources.insert(name, source);
        }
        let reference = |name: Option<&str>, element: &str| -> Result<DataSourceRef, DataApiError> {
            match name {
                None => Ok(DataSourceRef::None),
                Some(n) => match data_sources.get(n) {
                    Some(DataSource::None) => Ok(DataSourceRef::None),
                    Some(_) => Ok(DataSourceRef::Named(n.to_string())),
                    None => Err(config(element, format!("names data source {n}, which this API does not have"))),
                },
            }
        };

        let runtime = services.runtime.clone();
        let compile = |name: &str, code: &str| -> Result<CompiledCode, DataApiError> {
            runtime.compile(name, code).map_err(|e| config(name, e))
        };
        let mut functions: HashMap<String, (CompiledCode, DataSourceRef)> = HashMap::new();
        for f in of_api(assembly, "AWS::AppSync::FunctionConfiguration", &api_id) {
            let fname = f.str_property("Name").unwrap_or(&f.logical_id);
            let element = format!("function {fname}");
            let code = compile(&element, &code_of(assembly, f, &element)?)?;
            let ds = reference(f.str_property("DataSourceName"), &element)?;
            functions.insert(f.str_attribute("FunctionId").unwrap_or_default().to_string(), (code, ds));
        }
        let mut resolvers = HashMap::new();
        for r in of_api(assembly, "AWS::AppSync::Resolver", &api_id) {
            let (t, f) =
                (r.str_property("TypeName").unwrap_or_default(), r.str_property("FieldName").unwrap_or_default());
            let element = format!("resolver {t}.{f}");
            let code = compile(&element, &code_of(assembly, r, &element)?)?;
            let resolver = match r.str_property("Kind").unwrap_or("UNIT") {
                "PIPELINE" => {
                    let ids = r
                        .properties
                        .get("PipelineConfig")
                        .and_then(|p| p.get("Functions"))
                        .and_then(Value::as_array)
                        .cloned()
                        .unwrap_or_default();
                    let mut steps = Vec::new();
                    for id in ids {
                        let id = id.as_str().unwrap_or_default();
                        let step = functions.get(id).cloned().ok_or_else(|| {
                            config(&element, format!("lists function {id}, which this API does not have"))
                        })?;
                        steps.push(step);
                    }
                    ResolverCode::Pipeline { code, functions: steps }
                }
                _ => ResolverCode::Unit { code, data_source: reference(r.str_property("DataSourceName"), &element)? },
            };
            resolvers.insert((t.to_string(), f.to_string()), resolver);
        }

        let parsed = schema::parse(&sdl)?;
        let shared = Arc::new(Shared {
            runtime: services.runtime.clone(),
            data_sources,
            env: env.into(),
            hub: Hub::new(parsed.info.subscription_fields.clone(), parsed.info.subscriptions_of.clone()),
            kinds: parsed.info.kinds.clone(),
            json_inputs: parsed.info.json_inputs.clone(),
        });
        let schema = schema::build(&parsed, default_mode, &resolvers, shared.clone())?;
        let auth = AuthConfig {
            default_mode,
            additional,
            api_keys,
            tokens: services.tokens.clone(),
            iam: services.iam.clone(),
        };
        let retired = tokio::sync::watch::Sender::new(false);
        Ok(DataApi {
            inner: Arc::new(Inner { schema, auth, shared, api_id, retired, documents: Documents::default() }),
        })
    }

    /// The HTTP router serving this API (see [`super::http::router`]).
    pub fn router(&self) -> axum::Router {
        super::http::router(self.clone())
    }

    /// Marks the API as replaced (by a reload): its realtime connections are
    /// closed, so clients reconnect to the API now served.
    pub fn retire(&self) {
        self.inner.retired.send_replace(true);
    }

    /// The API's local id.
    pub fn api_id(&self) -> &str {
        &self.inner.api_id
    }

    /// The SDL async-graphql serves (for checks and debugging).
    pub fn sdl(&self) -> String {
        self.inner.schema.sdl()
    }

    /// The auth settings (to add an IAM verifier, for instance).
    pub fn auth(&self) -> &AuthConfig {
        &self.inner.auth
    }

    /// Handles one HTTP request: `header` looks headers up case-insensitively;
    /// `headers` is every header as a JSON object (for `ctx.request.headers`).
    pub async fn handle(
        &self,
        header: &(dyn Fn(&str) -> Option<String> + Sync),
        headers: Value,
        body: &[u8],
    ) -> ApiResponse {
        let request: GraphQlRequest = match serde_json::from_slice(body) {
            Ok(r) => r,
            Err(_) => {
                return ApiResponse {
                    status: 400,
                    body: request_error("MalformedHttpRequestException", "Unable to parse GraphQL query."),
                }
            }
        };
        let auth = match self.inner.auth.authenticate(header, body) {
            Ok(a) => a,
            Err(f) => return ApiResponse { status: 401, body: request_error(f.error_type, &f.message) },
        };
        ApiResponse { status: 200, body: self.execute(request, auth, headers).await }
    }

    /// Executes an authenticated request; answers AppSync's `{data, errors}`
    /// body and publishes mutation results to subscribers.
    pub async fn execute(&self, request: GraphQlRequest, auth: RequestAuth, headers: Value) -> Value {
        let variables = request.variables.clone().unwrap_or_else(|| json!({}));
        let data = Arc::new(RequestData::new(auth, headers, variables.clone()));
        let caught = Arc::new(Caught::default());
        let document = self.inner.documents.get(&request.query);
        let mut req = Request::new(request.query)
            .variables(Variables::from_json(variables))
            .data(data.clone())
            .data(caught.clone());
        if let Some(op) = request.operation_name {
            req = req.operation_name(op);
        }
        if let Some(document) = document {
            req.set_parsed_query(document);
        }
        let mut response = self.inner.schema.execute(req).await;
        response.errors.extend(caught.take());
        if caught.data_is_null() {
            response.data = async_graphql::Value::Null;
        }
        let body = response_body(&response);
        let published = std::mem::take(&mut *data.mutations.lock().unwrap_or_else(|e| e.into_inner()));
        for (field, key) in published {
            if let Some(value) = body.get("data").and_then(|d| d.get(&key)).filter(|v| !v.is_null()) {
                self.inner.shared.hub.publish(&field, value.clone());
            }
        }
        body
    }
}

/// AppSync's response body for an async-graphql response.
pub(crate) fn response_body(response: &async_graphql::Response) -> Value {
    let data = response.data.clone().into_json().unwrap_or(Value::Null);
    let mut body = Map::new();
    body.insert("data".into(), data);
    if !response.errors.is_empty() {
        body.insert("errors".into(), Value::Array(response.errors.iter().map(appsync_error).collect()));
    }
    Value::Object(body)
}
