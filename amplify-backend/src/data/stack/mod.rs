//! The data category in the backend: `define_data` builds, in the `data` nested
//! stack, the AppSync API, a DynamoDB table per model (each model in its own nested
//! stack, sharded so that no template nears CloudFormation's limits), the data
//! sources with least-privilege roles, the APPSYNC_JS functions and resolvers, and
//! the root outputs for `amplify_outputs.json`.
//!
//! A model's stack holds everything that reads its table, relationship resolvers
//! included (`Chat.messages` lives with `Message`). So model stacks never refer to
//! each other (no cycles between two models that point at each other), and the
//! data stack passes them only the API's id and ARN and the auth function.
//!
//! Every L1 it made is reachable from [`Data::resources`], so any property can be
//! overridden:
//!
//! ```no_run
//! # use amplify_backend::data::*;
//! # use amplify_backend::define_backend;
//! # let data = define_data(DataProps::default());
//! let backend = define_backend((data,));
//! if let (Ok(data),) = backend.parts() {
//!     let chat = &data.resources().models["Chat"];
//!     chat.table.add_property_override("TableClass", "STANDARD_INFREQUENT_ACCESS");
//! }
//! ```

pub mod api;
mod appsync;
mod backend_link;
pub mod model;
mod named_sources;
pub mod operations;
pub mod outputs;
mod roles;
pub mod shards;
pub mod table;
mod text_asset;

use constructs::{Asset, Construct, IConstruct, Stack, Tags, Value};
use indexmap::IndexMap;
use std::collections::HashMap;

use self::api::ApiResources;
use self::model::ModelResources;
use self::operations::OperationResources;
use self::shards::Shards;
use super::define::{CompiledData, DataDefinition};
use super::error::DataErrors;
use super::ir::{IrDataSource, IrHandler};
use super::resolvers::{PipelineFunction, Placement, ResolverSpec};
use super::schema::auth_rule::ResourceOperation;
use crate::backend::{Category, Definition, FunctionLink};
use crate::function::resource_references;
use crate::iam::PolicyStatement;
use crate::Backend;

/// Every L1 the data category made.
#[derive(Clone)]
pub struct DataResources {
    /// The API, schema, API key, `NONE` data source and auth function.
    pub api: ApiResources,
    /// Each model's table, data source, role, function and resolvers, by model.
    pub models: IndexMap<String, ModelResources>,
    /// Custom operations' resolvers, functions and data sources.
    pub operations: OperationResources,
    /// The shard stacks, by id (`Models3`, `Operations3`).
    pub shards: IndexMap<String, Stack>,
    /// The model introspection schema, published to S3 for functions with access.
    pub model_introspection_asset: Asset,
    /// The model function's code (the same for every table), published to S3 once.
    pub model_function_code: Option<Asset>,
}

impl std::fmt::Debug for DataResources {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DataResources")
            .field("api", &self.api)
            .field("models", &self.models)
            .field("operations", &self.operations)
            .field("shards", &self.shards.keys().collect::<Vec<_>>())
            .field("model_introspection_asset", &self.model_introspection_asset.hash())
            .field("model_function_code", &self.model_function_code.as_ref().map(Asset::hash))
            .finish()
    }
}

/// The built data category, as the backend hands it back ([`Backend::parts`]):
/// `Err` with every schema problem when the schema does not validate.
#[derive(Clone, Debug)]
pub struct Data {
    resources: DataResources,
    compiled: CompiledData,
}

impl Data {
    /// Every L1 the category made.
    pub fn resources(&self) -> &DataResources {
        &self.resources
    }

    /// The validated schema and what was generated from it.
    pub fn compiled(&self) -> &CompiledData {
        &self.compiled
    }

    /// The GraphQL endpoint URL (a token).
    pub fn graphql_url(&self) -> Value {
        self.resources.api.graphql_api.attr_graph_ql_url()
    }
}

impl Definition for DataDefinition {
    type Built = Result<Data, DataErrors>;

    fn category(&self) -> Category {
        Category::Data
    }

    /// The API uses auth's pools; resolvers and access grants name functions.
    fn needs(&self) -> &'static [Category] {
        &[Category::Auth, Category::Function]
    }

    fn function_links(&self) -> Vec<FunctionLink> {
        let uses = |f: &str| FunctionLink::called_by(f, Category::Data);
        let mut links = Vec::new();
        for (_, item) in self.props.schema.items() {
            if let super::schema::SchemaItem::Operation(op) = item {
                for h in &op.handlers {
                    if let Some(f) = h.function_name() {
                        links.push(uses(f));
                    }
                }
            }
        }
        for rule in self.props.schema.rules() {
            if let super::schema::auth_rule::Strategy::Resource(f) = rule.strategy() {
                links.push(FunctionLink::uses(f, Category::Data));
            }
        }
        if let Some(l) = &self.props.authorization_modes.lambda_authorization_mode {
            links.push(uses(&l.function));
        }
        links
    }

    /// The API refers to auth's user pool and identity pool whenever there is auth.
    fn stack_dependencies(&self) -> Vec<Category> {
        vec![Category::Auth]
    }

    fn build(self, backend: &mut Backend) -> Result<Data, DataErrors> {
        let stack = backend.stack(Category::Data);
        let scope = Construct::new(&stack, "amplifyData");
        // Amplify names each category's resources in the console with this tag.
        Tags::of(&scope).add("amplify:friendly-name", "amplifyData");
        let auth = backend_link::auth(backend);
        let context = backend_link::context(backend, &auth);
        let compiled = match self.compile(&context) {
            Ok(c) => c,
            Err(errors) => {
                // Reported by synthesis, before any template is written.
                let problems: Vec<constructs::Diagnostic> = errors
                    .0
                    .iter()
                    .map(|e| {
                        let message = format!("data schema: {}: {}", e.path, e.message);
                        constructs::Diagnostic::error(
                            e.code,
                            message.trim_end_matches('.'),
                            e.fix.trim_end_matches('.'),
                        )
                    })
                    .collect();
                scope.node().add_check(move || problems.clone());
                return Err(errors);
            }
        };
        let resources = build_resources(&scope, backend, &self, &compiled, &auth);
        Ok(Data { resources, compiled })
    }
}

fn build_resources(
    scope: &Construct,
    backend: &Backend,
    definition: &DataDefinition,
    compiled: &CompiledData,
    auth: &backend_link::AuthLink,
) -> DataResources {
    let props = &definition.props;
    let ir = &compiled.ir;
    let sdl = compiled.sdl();
    let plan = compiled.resolvers();
    let introspection = compiled.model_introspection();
    let introspection_text = serde_json::to_string(&introspection).unwrap_or_default();

    let api = api::build(scope, backend, props, ir, auth, &sdl, &plan);
    let shards = Shards::new(scope, api.graphql_schema.resource().clone());

    // Tables that custom handlers use get their actions too.
    let custom_tables: Vec<&str> = ir
        .operations
        .iter()
        .flat_map(|o| &o.handlers)
        .filter_map(|h| match h {
            IrHandler::Custom { data_source: IrDataSource::Model(m), .. } => Some(m.as_str()),
            _ => None,
        })
        .collect();
    // Index the plan once: looking things up per model would be quadratic.
    let functions: HashMap<&str, &PipelineFunction> = plan.functions.iter().map(|f| (f.name.as_str(), f)).collect();
    let mut by_model: HashMap<&str, Vec<&ResolverSpec>> = HashMap::new();
    for r in &plan.resolvers {
        if let Placement::Model(m) = &r.placement {
            by_model.entry(m.as_str()).or_default().push(r);
        }
    }
    let model_code = plan
        .functions
        .iter()
        .find(|f| matches!(f.data_source, super::resolvers::DataSourceKind::Table(_)))
        .map(|f| text_asset::stage(scope, "ModelFunctionCode", "model-function.js", &f.code));
    let sandbox = backend.identifier().deployment_type == crate::identifier::DeploymentType::Sandbox;
    let point_in_time_recovery = props.point_in_time_recovery.unwrap_or(!sandbox);
    let mut models = IndexMap::new();
    for m in &ir.models {
        let Some(code) = &model_code else { break };
        let Some(spec) = functions.get(super::resolvers::model_function_name(&m.name).as_str()) else { continue };
        let resolvers = by_model.get(m.name.as_str()).map(Vec::as_slice).unwrap_or_default();
        let url = code.s3_object_url();
        let settings =
            model::TableSettings { custom_access: custom_tables.contains(&m.name.as_str()), point_in_time_recovery };
        let built = model::build(&shards, &api, m, spec, resolvers, &url, settings);
        models.insert(m.name.clone(), built);
    }
    let operations = operations::build(scope, backend, &shards, &api, &plan, &models, &props.data_sources);

    let model_introspection_asset =
        text_asset::stage(scope, "ModelIntrospectionSchema", "modelIntrospectionSchema.json", &introspection_text);
    grant_function_access(backend, &props.name, ir, &api, &model_introspection_asset);
    if let serde_json::Value::Object(map) = introspection {
        backend.set_model_introspection(map);
    }
    let model_schema_asset = text_asset::stage(scope, "ModelSchema", "model-schema.graphql", &compiled.model_schema());
    outputs::publish(backend, outputs::outputs(ir, &api, &model_schema_asset, &model_introspection_asset));

    DataResources {
        api,
        models,
        operations,
        shards: shards.all(),
        model_introspection_asset,
        model_function_code: model_code,
    }
}

/// Publishes Amplify's resource references of data (always, as Amplify does), and
/// for `allow.resource(fn)`: the function may call the API over IAM (the
/// operations it was given) and read the model introspection, and gets the
/// references `getAmplifyDataClientConfig` reads (see
/// [`resource_references`](crate::function::resource_references)).
fn grant_function_access(backend: &Backend, name: &str, ir: &super::ir::Ir, api: &ApiResources, asset: &Asset) {
    let url = api.graphql_api.attr_graph_ql_url();
    let values = resource_references::data_references(name, url, asset.bucket_name(), asset.object_key());
    let references = resource_references::publish_all(&backend.stack(Category::Data), backend.identifier(), values);
    // A trigger that also reads data would close a cycle between stacks: it gets
    // the endpoint from SSM only, and its policy lives here (see `backend::placement`).
    let through_ssm = |f: &str| backend_link::endpoint_through_ssm(backend, f);
    for access in &ir.function_access {
        let Some(f) = backend_link::lambda(backend, &access.function) else { continue };
        let arn = api.graphql_api.attr_arn();
        let types: Vec<Value> = access
            .operations
            .iter()
            .map(|o| {
                let t = match o {
                    ResourceOperation::Query => "Query",
                    ResourceOperation::Mutate => "Mutation",
                    ResourceOperation::Listen => "Subscription",
                };
                Value::concat([arn.clone(), format!("/types/{t}/*").into()])
            })
            .collect();
        let statement = PolicyStatement::allow(["appsync:GraphQL"], types);
        let ssm_only = through_ssm(&access.function);
        if ssm_only {
            backend_link::grant_from_data_stack(backend, f, statement);
        } else {
            f.add_to_role_policy(statement);
        }
        let object = Value::concat([
            "arn:".into(),
            constructs::Aws::partition(),
            ":s3:::".into(),
            asset.bucket_name(),
            "/".into(),
            asset.object_key(),
        ]);
        f.add_to_role_policy(PolicyStatement::allow(["s3:GetObject"], [object]));
        for (reference, value) in &references {
            // Only the endpoint refers to the data stack; the rest are the
            // bootstrap bucket, the asset's key and the name.
            let is_endpoint = reference.variable.ends_with("_GRAPHQL_ENDPOINT");
            let direct = (!(ssm_only && is_endpoint)).then(|| value.clone());
            resource_references::accept(f, reference, direct);
        }
    }
}
