//! What the data category reads from the rest of the backend: the auth resources
//! (user pool, identity pool, guest access; defined or referenced) and the functions. Kept in one place so
//! the category depends on the backend core through a narrow seam.

use constructs::Value;

use crate::backend::Category;
use crate::data::auth_modes::DataContext;
use crate::function::Function;
use crate::iam::PolicyStatement;
use crate::Backend;

/// The auth resources the API uses.
#[derive(Clone, Debug, Default)]
pub struct AuthLink {
    /// The user pool's id.
    pub user_pool_id: Option<Value>,
    /// The identity pool's id.
    pub identity_pool_id: Option<Value>,
    /// Whether the identity pool admits guests.
    pub guest_access: bool,
}

/// Reads the auth category, if the backend has one.
pub fn auth(backend: &Backend) -> AuthLink {
    let Some(auth) = backend.built_auth() else { return AuthLink::default() };
    AuthLink {
        user_pool_id: Some(auth.user_pool_id.clone()),
        identity_pool_id: Some(auth.identity_pool_id.clone()),
        guest_access: auth.guest_access,
    }
}

/// The validation context the backend gives the schema.
pub fn context(backend: &Backend, auth: &AuthLink) -> DataContext {
    let functions = backend.functions().iter().map(|f| f.name().to_string()).collect();
    DataContext {
        user_pool: auth.user_pool_id.is_some(),
        identity_pool: auth.identity_pool_id.is_some(),
        guest_access: auth.guest_access,
        functions: Some(functions),
    }
}

/// A function of the backend by name (validation made sure it exists).
pub fn lambda<'a>(backend: &'a Backend, name: &str) -> Option<&'a Function> {
    backend.functions().get(name)
}

/// Whether the function reads the GraphQL endpoint from SSM (placement found no
/// stack where a direct reference would not close a cycle).
pub fn endpoint_through_ssm(backend: &Backend, name: &str) -> bool {
    backend.data_through_ssm(name)
}

/// Grants a function access with a policy in the data stack, attached to its
/// role by name, so that the function's stack never refers to data's.
pub fn grant_from_data_stack(backend: &Backend, function: &Function, statement: PolicyStatement) {
    function.add_to_role_policy_in(&backend.stack(Category::Data), statement);
}
