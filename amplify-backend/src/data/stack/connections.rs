//! Relationship resolvers (`Chat.messages`, `Message.chat`). Each reads the related
//! model's table, so they live apart from the model stacks, in connection shards
//! that come after every table: two models that point at each other would
//! otherwise make their stacks depend on each other.

use cfn_types::appsync::CfnResolver;
use indexmap::IndexMap;

use super::api::ApiResources;
use super::appsync;
use super::model::ModelResources;
use super::shards::{Family, Shards};
use crate::data::resolvers::{Placement, ResolverPlan, AUTH_FUNCTION};

/// Builds every relationship resolver; returns them by `Type.field`.
pub fn build(
    shards: &Shards,
    api: &ApiResources,
    plan: &ResolverPlan,
    models: &IndexMap<String, ModelResources>,
) -> IndexMap<String, CfnResolver> {
    let by_function: IndexMap<String, &ModelResources> =
        models.values().map(|m| (m.function.props().name.literal().cloned().unwrap_or_default(), m)).collect();
    let mut out = IndexMap::new();
    for r in &plan.resolvers {
        let Placement::Connection(model) = &r.placement else { continue };
        let stack = shards.stack(Family::Connections, model);
        let ids = r
            .pipeline
            .iter()
            .filter_map(|f| {
                if f == AUTH_FUNCTION {
                    Some(api.auth_function.attr_function_id())
                } else {
                    by_function.get(f).map(|m| m.function.attr_function_id())
                }
            })
            .collect();
        out.insert(
            format!("{}.{}", r.type_name, r.field_name),
            appsync::resolver(&stack, api.graphql_api.attr_api_id(), r, ids),
        );
    }
    out
}
