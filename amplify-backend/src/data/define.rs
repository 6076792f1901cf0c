//! `define_data` and its props: the schema, the authorization modes and any extra
//! data sources, compiled against the rest of the backend.

use super::added::{self, Added, AddedFunction, AddedResolver};
use super::auth_modes::{AuthorizationModes, DataContext};
use super::error::{DataError, DataErrors};
use super::ir::Ir;
use super::logging::DataLogging;
use super::resolvers::{self, ResolverPlan};
use super::schema::custom_operation::{DataSourceRef, JsCode};
use super::schema::Schema;
use super::sources::{self, DataSourceDefinition, HttpDataSourceOptions};
use super::validate::validate_with_resolvers;
use super::{introspection, sdl};

/// The props of `define_data` (Amplify's `defineData`).
#[derive(Clone, Debug, PartialEq)]
pub struct DataProps {
    /// The schema.
    pub schema: Schema,
    /// The API's name (`amplifyData` by default, as in Amplify).
    pub name: String,
    /// How callers authenticate.
    pub authorization_modes: AuthorizationModes,
    /// Data sources custom handlers can name.
    pub data_sources: Vec<DataSourceDefinition>,
    /// CloudWatch logging of the API; off when `None`, as in Amplify.
    /// `Some(DataLogging::default())` is Amplify's `logging: true`.
    pub logging: Option<DataLogging>,
    /// Point-in-time recovery of the model tables. `None` (the default): off in
    /// sandboxes, as in Amplify (their data is for development), and on in branch
    /// deployments, to keep 35 days of restorable history of real data (Amplify
    /// leaves it off there too). `Some(on)` sets it for every deployment.
    pub point_in_time_recovery: Option<bool>,
    /// AppSync functions added over any data source (`add_function`).
    pub appsync_functions: Vec<AddedFunction>,
    /// Resolvers added for fields nothing resolves yet (`add_resolver`).
    pub resolvers: Vec<AddedResolver>,
}

impl Default for DataProps {
    fn default() -> Self {
        DataProps {
            schema: Schema::default(),
            name: "amplifyData".to_string(),
            authorization_modes: AuthorizationModes::default(),
            data_sources: Vec::new(),
            logging: None,
            point_in_time_recovery: None,
            appsync_functions: Vec::new(),
            resolvers: Vec::new(),
        }
    }
}

/// The data resource of a backend, as `define_data` returns it. Nothing is checked
/// until [`DataDefinition::compile`] (which `define_backend` calls with what the
/// backend provides).
#[derive(Clone, Debug, PartialEq)]
pub struct DataDefinition {
    /// The props it was defined with.
    pub props: DataProps,
}

/// Defines the data resource.
pub fn define_data(props: DataProps) -> DataDefinition {
    DataDefinition { props }
}

impl DataDefinition {
    /// Validates the schema against the backend and resolves it; every error at once.
    pub fn compile(&self, context: &DataContext) -> Result<CompiledData, DataErrors> {
        let names: Vec<String> = self.props.data_sources.iter().map(|d| d.name().to_string()).collect();
        let source_errors: Vec<DataError> = sources::problems(&self.props.data_sources)
            .into_iter()
            .map(|(name, message, fix)| DataError {
                path: format!("data source {name}"),
                message,
                fix,
                code: crate::codes::DATA_SCHEMA,
            })
            .collect();
        let targets: Vec<String> = self.props.resolvers.iter().map(AddedResolver::target).collect();
        let validated =
            validate_with_resolvers(&self.props.schema, &self.props.authorization_modes, context, &names, &targets);
        match validated {
            Ok(ir) => {
                let plan = resolvers::plan(&ir);
                match added::check(&ir, &plan, &names, &self.props.appsync_functions, &self.props.resolvers) {
                    Ok(added) if source_errors.is_empty() => Ok(CompiledData { ir, added }),
                    Ok(_) => Err(DataErrors(source_errors)),
                    Err(mut errors) => {
                        errors.extend(source_errors);
                        Err(DataErrors(errors))
                    }
                }
            }
            Err(DataErrors(mut errors)) => {
                errors.extend(source_errors);
                Err(DataErrors(errors))
            }
        }
    }

    /// An AppSync function over any data source, for added pipeline resolvers
    /// (Amplify's `backend.data.addFunction`); `data_source` `None` is `NONE`.
    pub fn add_function(
        mut self,
        name: impl Into<String>,
        data_source: impl Into<Option<DataSourceRef>>,
        code: JsCode,
    ) -> Self {
        self.props.appsync_functions.push(AddedFunction { name: name.into(), data_source: data_source.into(), code });
        self
    }

    /// A resolver for a field nothing resolves yet (Amplify's
    /// `backend.data.addResolver`); see [`AddedResolver`].
    pub fn add_resolver(mut self, resolver: AddedResolver) -> Self {
        self.props.resolvers.push(resolver);
        self
    }

    fn with_source(mut self, source: DataSourceDefinition) -> Self {
        self.props.data_sources.push(source);
        self
    }

    /// An existing DynamoDB table, by name (Amplify's `addDynamoDbDataSource`).
    pub fn add_dynamo_db_data_source(self, name: impl Into<String>, table_name: impl Into<String>) -> Self {
        self.with_source(DataSourceDefinition::DynamoDb { name: name.into(), table_name: table_name.into() })
    }

    /// An HTTP endpoint, signed with SigV4 when `options` say so (Amplify's `addHttpDataSource`).
    pub fn add_http_data_source(
        self,
        name: impl Into<String>,
        endpoint: impl Into<String>,
        options: HttpDataSourceOptions,
    ) -> Self {
        self.with_source(DataSourceDefinition::Http { name: name.into(), endpoint: endpoint.into(), options })
    }

    /// An existing Lambda function, by ARN (Amplify's `addLambdaDataSource`).
    pub fn add_lambda_data_source(self, name: impl Into<String>, function_arn: impl Into<String>) -> Self {
        self.with_source(DataSourceDefinition::Lambda { name: name.into(), function_arn: function_arn.into() })
    }

    /// An existing EventBridge bus, by ARN (Amplify's `addEventBridgeDataSource`).
    pub fn add_event_bridge_data_source(self, name: impl Into<String>, event_bus_arn: impl Into<String>) -> Self {
        self.with_source(DataSourceDefinition::EventBridge { name: name.into(), event_bus_arn: event_bus_arn.into() })
    }

    /// An existing OpenSearch Service domain (Amplify's `addOpenSearchDataSource`).
    pub fn add_open_search_data_source(
        self,
        name: impl Into<String>,
        endpoint: impl Into<String>,
        domain_arn: impl Into<String>,
    ) -> Self {
        self.with_source(DataSourceDefinition::OpenSearch {
            name: name.into(),
            endpoint: endpoint.into(),
            domain_arn: domain_arn.into(),
        })
    }
}

/// A validated schema, ready to generate from.
#[derive(Clone, Debug, PartialEq)]
pub struct CompiledData {
    /// The resolved schema.
    pub ir: Ir,
    /// Functions and resolvers added with `add_function` / `add_resolver`.
    added: Added,
}

impl CompiledData {
    /// The AppSync schema (SDL).
    pub fn sdl(&self) -> String {
        sdl::render(&self.ir)
    }

    /// The model schema in Amplify's directive form, which Amplify's tools read
    /// through the root output `amplifyApiModelSchemaS3Uri`.
    pub fn model_schema(&self) -> String {
        sdl::model_schema(&self.ir)
    }

    /// The model introspection schema for `amplify_outputs.json` `data.model_introspection`.
    pub fn model_introspection(&self) -> serde_json::Value {
        introspection::model_introspection(&self.ir)
    }

    /// The pipeline functions and resolvers, with their APPSYNC_JS code.
    pub fn resolvers(&self) -> ResolverPlan {
        let mut plan = resolvers::plan(&self.ir);
        self.added.extend(&mut plan);
        plan
    }
}
