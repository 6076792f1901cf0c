//! The GraphQL API itself: `AWS::AppSync::GraphQLApi` with its authorization modes,
//! the schema, the API key, the `NONE` data source and the shared auth function.

use cfn_types::appsync::data_source::{CfnDataSourceProps, Type as DataSourceType};
use cfn_types::appsync::graph_ql_api::{
    AdditionalAuthenticationProviderProperty, AuthenticationType, CognitoUserPoolConfigProperty, DefaultAction,
    LambdaAuthorizerConfigProperty, OpenIdConnectConfigProperty, UserPoolConfigProperty,
};
use cfn_types::appsync::{
    CfnApiKey, CfnApiKeyProps, CfnDataSource, CfnFunctionConfiguration, CfnGraphQlApi, CfnGraphQlApiProps,
    CfnGraphQlSchema, CfnGraphQlSchemaProps,
};
use cfn_types::lambda::CfnPermission;
use cfn_types::Val;
use constructs::{Aws, Construct, Value};
use indexmap::IndexMap;

use super::appsync;
use super::backend_link::AuthLink;
use super::text_asset;
use crate::data::auth_modes::{AuthMode, AuthorizationModes};
use crate::data::define::DataProps;
use crate::data::ir::Ir;
use crate::data::logging::{self, ApiLogging};
use crate::data::resolvers::{self, ResolverPlan, AUTH_FUNCTION};
use crate::iam;
use crate::Backend;

/// The name of the `NONE` data source.
pub const NONE_DATA_SOURCE: &str = "NONE_DS";

/// The environment variable holding the identity pool id (read by the auth function).
pub const IDENTITY_POOL_ENV: &str = "AMPLIFY_IDENTITY_POOL_ID";

/// The API-level resources.
#[derive(Clone, Debug)]
pub struct ApiResources {
    /// `AWS::AppSync::GraphQLApi`.
    pub graphql_api: CfnGraphQlApi,
    /// `AWS::AppSync::GraphQLSchema` (inline SDL, or an S3 asset for large schemas).
    pub graphql_schema: CfnGraphQlSchema,
    /// `AWS::AppSync::ApiKey`, when API keys are enabled.
    pub api_key: Option<CfnApiKey>,
    /// The `NONE` data source (the auth function and subscriptions run on it).
    pub none_data_source: CfnDataSource,
    /// The auth function every pipeline starts with.
    pub auth_function: CfnFunctionConfiguration,
    /// Lets AppSync invoke the Lambda authorizer, when there is one.
    pub authorizer_permission: Option<CfnPermission>,
    /// The log group and role, when `logging` is on.
    pub logging: Option<ApiLogging>,
}

fn authentication_type(mode: AuthMode) -> AuthenticationType {
    match mode {
        AuthMode::UserPool => AuthenticationType::AmazonCognitoUserPools,
        AuthMode::Iam => AuthenticationType::AwsIam,
        AuthMode::ApiKey => AuthenticationType::ApiKey,
        AuthMode::Oidc => AuthenticationType::OpenidConnect,
        AuthMode::Lambda => AuthenticationType::AwsLambda,
    }
}

fn oidc_config(modes: &AuthorizationModes) -> Option<Val<OpenIdConnectConfigProperty>> {
    modes.oidc_authorization_mode.as_ref().map(|o| {
        // AppSync counts these in milliseconds; Amplify's settings are in seconds.
        OpenIdConnectConfigProperty {
            issuer: Some(o.oidc_issuer_url.as_str().into()),
            client_id: o.client_id.as_deref().map(Into::into),
            auth_ttl: Some((f64::from(o.token_expiry_from_auth_in_seconds) * 1000.0).into()),
            iat_ttl: Some((f64::from(o.token_expire_from_issue_in_seconds) * 1000.0).into()),
        }
        .into()
    })
}

fn lambda_config(backend: &Backend, modes: &AuthorizationModes) -> Option<Val<LambdaAuthorizerConfigProperty>> {
    let l = modes.lambda_authorization_mode.as_ref()?;
    let f = super::backend_link::lambda(backend, &l.function)?;
    Some(
        LambdaAuthorizerConfigProperty {
            authorizer_uri: Some(f.arn().into()),
            authorizer_result_ttl_in_seconds: Some(i64::from(l.time_to_live_in_seconds).into()),
            ..Default::default()
        }
        .into(),
    )
}

/// When an API key expires: `days` after the start of the current UTC day, so that
/// synthesizing twice in a day gives the same template (`SOURCE_DATE_EPOCH` fixes
/// the clock for reproducible builds). Each deployment on a later day renews it.
pub fn api_key_expiry(days: u32) -> f64 {
    let now = std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|s| s.parse::<u64>().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
    });
    let day = now - now % 86_400;
    (day + u64::from(days) * 86_400) as f64
}

/// Builds the API resources under `scope` (`data/amplifyData`).
pub fn build(
    scope: &Construct,
    backend: &Backend,
    props: &DataProps,
    ir: &Ir,
    auth: &AuthLink,
    sdl: &str,
    plan: &ResolverPlan,
) -> ApiResources {
    let (name, modes) = (props.name.as_str(), &props.authorization_modes);
    let api_scope = Construct::new(scope, "GraphQLAPI");
    let user_pool = || auth.user_pool_id.clone().unwrap_or(Value::Null);
    let default = ir.modes.default;
    let additional: Vec<Val<AdditionalAuthenticationProviderProperty>> = ir
        .modes
        .additional
        .iter()
        .map(|m| {
            AdditionalAuthenticationProviderProperty {
                authentication_type: authentication_type(*m).into(),
                user_pool_config: (*m == AuthMode::UserPool).then(|| {
                    CognitoUserPoolConfigProperty {
                        user_pool_id: Some(user_pool().into()),
                        aws_region: Some(Aws::region().into()),
                        ..Default::default()
                    }
                    .into()
                }),
                open_id_connect_config: if *m == AuthMode::Oidc { oidc_config(modes) } else { None },
                lambda_authorizer_config: if *m == AuthMode::Lambda { lambda_config(backend, modes) } else { None },
            }
            .into()
        })
        .collect();
    let mut env: IndexMap<String, Val<String>> = IndexMap::new();
    if let Some(pool) = &auth.identity_pool_id {
        env.insert(IDENTITY_POOL_ENV.to_string(), pool.clone().into());
    }
    let graphql_api = CfnGraphQlApi::new(
        &api_scope,
        "Resource",
        CfnGraphQlApiProps {
            name: name.into(),
            authentication_type: authentication_type(default).into(),
            additional_authentication_providers: (!additional.is_empty()).then(|| additional.into()),
            user_pool_config: (default == AuthMode::UserPool).then(|| {
                UserPoolConfigProperty {
                    user_pool_id: Some(user_pool().into()),
                    aws_region: Some(Aws::region().into()),
                    default_action: Some(DefaultAction::Allow.into()),
                    ..Default::default()
                }
                .into()
            }),
            open_id_connect_config: if default == AuthMode::Oidc { oidc_config(modes) } else { None },
            lambda_authorizer_config: if default == AuthMode::Lambda { lambda_config(backend, modes) } else { None },
            environment_variables: (!env.is_empty()).then(|| env.into()),
            ..Default::default()
        },
    );
    let api_id = graphql_api.attr_api_id();
    let logging = props.logging.as_ref().map(|l| logging::enable(&api_scope, &graphql_api, l));

    let graphql_schema = CfnGraphQlSchema::new(
        &api_scope,
        "TransformerSchema",
        if sdl.len() <= text_asset::INLINE_LIMIT {
            CfnGraphQlSchemaProps { api_id: api_id.clone().into(), definition: Some(sdl.into()), ..Default::default() }
        } else {
            let asset = text_asset::stage(&api_scope, "SchemaAsset", "schema.graphql", sdl);
            CfnGraphQlSchemaProps {
                api_id: api_id.clone().into(),
                definition_s3_location: Some(asset.s3_object_url().into()),
                ..Default::default()
            }
        },
    );

    let api_key = ir.modes.has(AuthMode::ApiKey).then(|| {
        let settings = modes.api_key_authorization_mode.clone().unwrap_or_default();
        CfnApiKey::new(
            &api_scope,
            "DefaultApiKey",
            CfnApiKeyProps {
                api_id: api_id.clone().into(),
                description: settings.description.as_deref().map(Into::into),
                expires: Some(api_key_expiry(settings.expires_in_days).into()),
            },
        )
    });

    let none_data_source = CfnDataSource::new(
        &Construct::new(&api_scope, NONE_DATA_SOURCE),
        "Resource",
        CfnDataSourceProps {
            api_id: api_id.clone().into(),
            name: NONE_DATA_SOURCE.into(),
            r#type: DataSourceType::None.into(),
            ..Default::default()
        },
    );
    let auth_spec = plan.function(AUTH_FUNCTION).cloned().unwrap_or_else(resolvers::auth_function);
    let auth_function = appsync::function(scope, api_id.clone(), &auth_spec, none_data_source.get_att("Name"));

    let authorizer_permission = modes.lambda_authorization_mode.as_ref().and_then(|l| {
        let f = super::backend_link::lambda(backend, &l.function)?;
        Some(iam::allow_invoke(
            &api_scope,
            "AuthorizerPermission",
            f.arn(),
            iam::Service::AppSync,
            iam::InvokeSource::Arn(graphql_api.attr_arn()),
        ))
    });

    ApiResources {
        graphql_api,
        graphql_schema,
        api_key,
        none_data_source,
        auth_function,
        authorizer_permission,
        logging,
    }
}
