//! AppSync functions and pipeline resolvers from the resolver plan, with the
//! APPSYNC_JS runtime.

use cfn_types::appsync::function_configuration::{self as fc, CfnFunctionConfigurationProps};
use cfn_types::appsync::resolver::{self as rs, CfnResolverProps, Kind, PipelineConfigProperty};
use cfn_types::appsync::{CfnFunctionConfiguration, CfnResolver};
use constructs::{IConstruct, Value};

use crate::data::resolvers::{PipelineFunction, ResolverSpec};

/// The APPSYNC_JS runtime version.
pub const RUNTIME_VERSION: &str = "1.0.0";

/// An AppSync function with its code inline.
pub fn function(
    scope: &impl IConstruct,
    api_id: Value,
    spec: &PipelineFunction,
    data_source_name: Value,
) -> CfnFunctionConfiguration {
    function_with_code(scope, api_id, spec, data_source_name, None)
}

/// An AppSync function whose code is at `code_s3_location` (an asset's `s3://`
/// URL) when given, inline otherwise.
pub fn function_with_code(
    scope: &impl IConstruct,
    api_id: Value,
    spec: &PipelineFunction,
    data_source_name: Value,
    code_s3_location: Option<Value>,
) -> CfnFunctionConfiguration {
    let (code, code_s3_location) = match code_s3_location {
        Some(url) => (None, Some(url.into())),
        None => (Some(spec.code.as_ref().into()), None),
    };
    CfnFunctionConfiguration::new(
        scope,
        &spec.name,
        CfnFunctionConfigurationProps {
            api_id: api_id.into(),
            name: spec.name.as_str().into(),
            data_source_name: data_source_name.into(),
            code,
            code_s3_location,
            runtime: Some(
                fc::AppSyncRuntimeProperty {
                    name: fc::Name::AppsyncJs.into(),
                    runtime_version: RUNTIME_VERSION.into(),
                }
                .into(),
            ),
            ..Default::default()
        },
    )
}

/// The logical-ID-friendly name of a resolver: `QuerygetChatResolver`.
pub fn resolver_id(spec: &ResolverSpec) -> String {
    format!("{}{}Resolver", spec.type_name, spec.field_name)
}

/// A UNIT resolver on the data source named `data_source_name`.
pub fn unit_resolver(
    scope: &impl IConstruct,
    api_id: Value,
    spec: &ResolverSpec,
    data_source_name: Value,
) -> CfnResolver {
    CfnResolver::new(
        scope,
        &resolver_id(spec),
        CfnResolverProps {
            api_id: api_id.into(),
            type_name: spec.type_name.as_str().into(),
            field_name: spec.field_name.as_str().into(),
            kind: Some(Kind::Unit.into()),
            data_source_name: Some(data_source_name.into()),
            code: Some(spec.code.as_str().into()),
            runtime: Some(js_runtime()),
            ..Default::default()
        },
    )
}

fn js_runtime() -> cfn_types::Val<rs::AppSyncRuntimeProperty> {
    rs::AppSyncRuntimeProperty { name: rs::Name::AppsyncJs.into(), runtime_version: RUNTIME_VERSION.into() }.into()
}

/// A pipeline resolver running `functions` (their `FunctionId`s).
pub fn resolver(scope: &impl IConstruct, api_id: Value, spec: &ResolverSpec, functions: Vec<Value>) -> CfnResolver {
    CfnResolver::new(
        scope,
        &resolver_id(spec),
        CfnResolverProps {
            api_id: api_id.into(),
            type_name: spec.type_name.as_str().into(),
            field_name: spec.field_name.as_str().into(),
            kind: Some(Kind::Pipeline.into()),
            pipeline_config: Some(PipelineConfigProperty { functions: Some(functions.into()) }.into()),
            code: Some(spec.code.as_str().into()),
            runtime: Some(js_runtime()),
            ..Default::default()
        },
    )
}
