//! Puts each role's statements on the role: the identity pool's roles and the
//! group roles of auth, and the execution roles of functions.

use cfn_types::iam::managed_policy::{CfnManagedPolicy, CfnManagedPolicyProps};
use cfn_types::iam::policy::{CfnPolicy, CfnPolicyProps};
use constructs::{Construct, IConstruct, Stack, Value};
use indexmap::{IndexMap, IndexSet};

use super::policies::{self, Acceptor, AccessPlan};
use super::policy_size::{self, INLINE_SHARE, MANAGED_SHARE};
use crate::backend::Backend;
use crate::function::resource_references;
use crate::iam;

/// The policies made, by role key, and what could not be granted.
pub(crate) struct Granted {
    pub(crate) policies: IndexMap<String, CfnPolicy>,
    /// The managed policies a role's statements spilled into, by role key.
    pub(crate) managed: IndexMap<String, Vec<CfnManagedPolicy>>,
    pub(crate) problems: Vec<String>,
}

/// Attaches a policy per role of the plan. Auth roles get theirs in the storage
/// stack (`scope`), as Amplify does; a function gets its in the function's own
/// stack, next to the environment variable that also points at the bucket, so
/// that the storage stack does not depend on the function's.
///
/// `triggered_by` are the functions this bucket triggers: they get no
/// `<NAME>_BUCKET_NAME` variable, since the bucket already points at them (a
/// cycle); their events carry the bucket name.
pub(crate) fn attach(
    backend: &Backend,
    scope: &Construct,
    storage_name: &str,
    bucket_name: &Value,
    bucket_arn: &Value,
    plan: &AccessPlan,
    triggered_by: &[String],
) -> Granted {
    let mut granted = Granted { policies: IndexMap::new(), managed: IndexMap::new(), problems: Vec::new() };
    // Amplify publishes the bucket's name in SSM for any bucket with access rules.
    let reference = (!plan.grants.is_empty()).then(|| {
        let (id, variable, value) = (backend.identifier(), env_name(storage_name), bucket_name.clone());
        match Stack::of(scope) {
            Some(stack) => resource_references::publish(&stack, id, &variable, value),
            None => resource_references::publish(scope, id, &variable, value),
        }
    });
    for (acceptor, by_action) in &plan.grants {
        let statements = policies::statements(bucket_arn, by_action);
        if statements.is_empty() {
            continue;
        }
        let where_ = || {
            let prefixes: IndexSet<&str> =
                by_action.values().flat_map(|p| p.allow.iter().map(String::as_str)).collect();
            prefixes.iter().map(|p| format!("\"{p}\"")).collect::<Vec<_>>().join(", ")
        };
        match acceptor {
            Acceptor::Function(name) => {
                let Some(function) = backend.functions().get(name) else {
                    granted.problems.push(format!(
                        "access to {} is given to function \"{name}\", which is not in define_backend; add it there",
                        where_()
                    ));
                    continue;
                };
                let role = &function.resources().role;
                // `.` cannot be in either name, so no two (bucket, function) pairs share an id.
                let id = format!("{storage_name}.{name}.StorageAccess");
                let home = Stack::of(role).map(|s| Construct::new(&s, &id));
                let home = home.unwrap_or_else(|| Construct::new(scope, &format!("{name}Access")));
                let (policy, managed) = role_policy(&home, "Resource", &role.ref_(), statements);
                granted.policies.insert(format!("function:{name}"), policy);
                if !managed.is_empty() {
                    granted.managed.insert(format!("function:{name}"), managed);
                }
                if let Some(reference) = &reference {
                    // A function the bucket triggers must not refer to it (a cycle):
                    // it reads the name from SSM only.
                    let direct = (!triggered_by.contains(name)).then(|| bucket_name.clone());
                    resource_references::accept(function, reference, direct);
                }
            }
            _ => {
                let Some(auth) = backend.built_auth() else {
                    granted.problems.push(format!(
                        "access to {} is given to {}, which needs auth; add define_auth(..) to define_backend",
                        where_(),
                        who(acceptor)
                    ));
                    continue;
                };
                let (role, id) = match acceptor {
                    Acceptor::Authenticated => (&auth.authenticated_role, "authenticatedAccess".to_string()),
                    Acceptor::Guest => (&auth.unauthenticated_role, "guestAccess".to_string()),
                    Acceptor::Group(g) => match auth.group_roles.get(g) {
                        Some(role) => (role, format!("group{}Access", constructs::names::remove_non_alphanumeric(g))),
                        None => {
                            let known: Vec<String> = auth.group_roles.keys().map(|k| format!("\"{k}\"")).collect();
                            granted.problems.push(format!(
                                "access to {} is given to group \"{g}\", which auth does not define \
                                 (its groups: {}); add the group to auth's groups, or name one of those",
                                where_(),
                                if known.is_empty() { "none".to_string() } else { known.join(", ") }
                            ));
                            continue;
                        }
                    },
                    Acceptor::Function(_) => continue,
                };
                let (policy, managed) = role_policy(scope, &id, role, statements);
                granted.policies.insert(key(acceptor), policy);
                if !managed.is_empty() {
                    granted.managed.insert(key(acceptor), managed);
                }
            }
        }
    }
    granted
}

/// The variable a function reads the bucket name from: Amplify's
/// `<NAME>_BUCKET_NAME`, in its screaming snake case (`media` -> `MEDIA_BUCKET_NAME`,
/// `userFiles` -> `USER_FILES_BUCKET_NAME`).
pub(crate) fn env_name(storage_name: &str) -> String {
    resource_references::variable_name(&format!("{storage_name}_BUCKET_NAME"))
}

/// An inline policy on one role, and the managed policies (`<id>Managed<n>`)
/// holding what does not fit its share of the role's inline quota (see
/// [`policy_size`]). The inline policy's name is unique in the account (several
/// buckets put policies on the same role): the id and a hash of the path.
fn role_policy(
    scope: &impl IConstruct,
    id: &str,
    role_name: &Value,
    statements: Vec<Value>,
) -> (CfnPolicy, Vec<CfnManagedPolicy>) {
    let (inline, spilled) = policy_size::split(statements, INLINE_SHARE, MANAGED_SHARE);
    let managed = spilled
        .into_iter()
        .enumerate()
        .map(|(i, statements)| {
            CfnManagedPolicy::new(
                scope,
                &format!("{id}Managed{}", i + 1),
                CfnManagedPolicyProps {
                    policy_document: iam::document(statements),
                    roles: Some(vec![role_name.clone()].into()),
                    ..Default::default()
                },
            )
        })
        .collect();
    (inline_policy(scope, id, role_name, inline), managed)
}

fn inline_policy(scope: &impl IConstruct, id: &str, role_name: &Value, statements: Vec<Value>) -> CfnPolicy {
    let policy_document = iam::document(statements);
    let path = format!("{}/{id}", scope.node().path());
    let unique = constructs::names::make_unique_id(&["StorageAccess", &path]).unwrap_or_default();
    let hash = &unique[unique.len().saturating_sub(8)..];
    let base: String = constructs::names::remove_non_alphanumeric(&path).chars().rev().take(100).collect();
    let base: String = base.chars().rev().collect();
    CfnPolicy::new(
        scope,
        id,
        CfnPolicyProps {
            policy_document,
            policy_name: format!("{base}{hash}").into(),
            roles: Some(vec![role_name.clone()].into()),
            ..Default::default()
        },
    )
}

fn key(acceptor: &Acceptor) -> String {
    match acceptor {
        Acceptor::Authenticated => "authenticated".into(),
        Acceptor::Guest => "guest".into(),
        Acceptor::Group(g) => format!("group:{g}"),
        Acceptor::Function(f) => format!("function:{f}"),
    }
}

fn who(acceptor: &Acceptor) -> String {
    match acceptor {
        Acceptor::Authenticated => "authenticated users (or owners)".into(),
        Acceptor::Guest => "guests".into(),
        Acceptor::Group(g) => format!("group \"{g}\""),
        Acceptor::Function(f) => format!("function \"{f}\""),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn env_names_are_screaming_snake_case() {
        assert_eq!(super::env_name("media"), "MEDIA_BUCKET_NAME");
        assert_eq!(super::env_name("userFiles"), "USER_FILES_BUCKET_NAME");
        assert_eq!(super::env_name("my-drive2"), "MY_DRIVE_2_BUCKET_NAME");
    }
}
