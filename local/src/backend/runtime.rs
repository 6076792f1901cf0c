//! The data API's resolver seam ([`ResolverRuntime`]) over the APPSYNC_JS
//! runtime ([`js::Runtime`]).

use std::sync::Arc;

use crate::appsync::auth::AuthMode;
use crate::appsync::js;
use crate::appsync::runtime::{
    CompiledCode, DataSourceRef, Invoke, ResolverCode, ResolverContext, ResolverOutcome, ResolverRuntime,
};

/// [`js::Runtime`] as the data API's [`ResolverRuntime`].
#[derive(Clone, Debug, Default)]
pub struct JsRuntime(pub js::Runtime);

fn code(compiled: &CompiledCode) -> Result<js::Code, String> {
    compiled.downcast_ref::<js::Code>().cloned().ok_or_else(|| "resolver code was compiled by another runtime".into())
}

fn source(r: &DataSourceRef) -> js::DataSource {
    match r {
        DataSourceRef::None => js::DataSource::None,
        DataSourceRef::Named(n) => js::DataSource::Named(n.clone()),
    }
}

fn auth_type(mode: AuthMode) -> js::AuthType {
    match mode {
        AuthMode::ApiKey => js::AuthType::ApiKey,
        AuthMode::UserPools => js::AuthType::UserPools,
        AuthMode::Iam => js::AuthType::Iam,
        AuthMode::Oidc => js::AuthType::Oidc,
        AuthMode::Lambda => js::AuthType::Lambda,
    }
}

impl ResolverRuntime for JsRuntime {
    fn compile(&self, name: &str, code: &str) -> Result<CompiledCode, String> {
        self.0.compile(name, code).map(|c| Arc::new(c) as CompiledCode).map_err(|e| e.to_string())
    }

    fn run(
        &self,
        resolver: &ResolverCode,
        ctx: ResolverContext,
        invoke: &mut Invoke<'_>,
    ) -> Result<ResolverOutcome, String> {
        let resolver = match resolver {
            ResolverCode::Unit { code: c, data_source } => {
                js::ResolverCode::Unit { code: code(c)?, data_source: source(data_source) }
            }
            ResolverCode::Pipeline { code: c, functions } => js::ResolverCode::Pipeline {
                code: code(c)?,
                functions: functions
                    .iter()
                    .map(|(f, ds)| Ok(js::PipelineFunction { code: code(f)?, data_source: source(ds) }))
                    .collect::<Result<_, String>>()?,
            },
        };
        let info = js::Info {
            field_name: ctx.info.field_name,
            parent_type_name: ctx.info.parent_type_name,
            variables: ctx.info.variables,
            selection_set_list: ctx.info.selection_set_list,
            selection_set_graphql: ctx.info.selection_set_graphql,
        };
        let context = js::Context {
            arguments: ctx.arguments,
            identity: ctx.identity,
            source: ctx.source,
            stash: ctx.stash,
            info,
            request_headers: ctx.request_headers,
            env: ctx.env,
            auth_type: auth_type(ctx.auth_type),
            ..js::Context::default()
        };
        let out = js::run_resolver(&self.0, &resolver, context, invoke).map_err(|e| e.to_string())?;
        Ok(ResolverOutcome { result: out.result, errors: out.errors, subscription_filter: out.subscription_filter })
    }
}
