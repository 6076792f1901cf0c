//! Authorization rules: settles each rule's provider and operations, and checks that
//! the API's authorization modes can satisfy it.

use super::identifiers::check_field_name;
use super::Diagnostics;
use crate::data::auth_modes::{AuthMode, DataContext, EnabledModes};
use crate::data::ir::{FunctionAccess, Rule, RuleKind};
use crate::data::schema::auth_rule::{AuthRule, Operation, Provider, ResourceOperation, RuleOperations, Strategy};

/// What rules are checked against.
pub(crate) struct RuleContext<'a> {
    pub(crate) modes: &'a EnabledModes,
    pub(crate) context: &'a DataContext,
}

/// Where a rule is declared; each level admits different rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RuleLevel {
    Schema,
    Model,
    Field,
    Operation,
}

/// The schema's rules: the fallback for models and operations, and function access.
pub(crate) struct SchemaRules {
    pub(crate) model_rules: Vec<Rule>,
    pub(crate) function_access: Vec<FunctionAccess>,
}

pub(super) fn schema_rules(rules: &[AuthRule], cx: &RuleContext<'_>, diag: &mut Diagnostics) -> SchemaRules {
    let mut function_access = Vec::new();
    for rule in rules {
        if let Strategy::Resource(function) = &rule.strategy {
            let operations = match &rule.operations {
                None => vec![ResourceOperation::Query, ResourceOperation::Mutate, ResourceOperation::Listen],
                Some(RuleOperations::Resource(ops)) => ops.clone(),
                Some(RuleOperations::Model(_)) => {
                    diag.error(
                        "schema",
                        format!("`allow.resource(\"{function}\")` takes resource operations, not model operations."),
                        "use `.to([ResourceOperation::Query, ResourceOperation::Mutate, ResourceOperation::Listen])`.",
                    );
                    Vec::new()
                }
            };
            if let Some(functions) = &cx.context.functions {
                if !functions.contains(function) {
                    diag.error(
                        "schema",
                        format!("`allow.resource(\"{function}\")` names no function of this backend."),
                        "pass the name of a `define_function` resource of the backend.",
                    );
                }
            }
            function_access.push(FunctionAccess { function: function.clone(), operations });
        }
    }
    let model_rules = normalize("schema", rules, RuleLevel::Schema, cx, diag);
    SchemaRules { model_rules, function_access }
}

fn strategy_name(strategy: &Strategy) -> &'static str {
    match strategy {
        Strategy::PublicApiKey => "allow.public_api_key()",
        Strategy::Guest => "allow.guest()",
        Strategy::Authenticated => "allow.authenticated()",
        Strategy::Owner { multi: false, .. } => "allow.owner()",
        Strategy::Owner { multi: true, .. } => "allow.owners_defined_in(...)",
        Strategy::Groups(_) => "allow.groups(...)",
        Strategy::GroupsDefinedIn { .. } => "allow.groups_defined_in(...)",
        Strategy::Custom => "allow.custom()",
        Strategy::Resource(_) => "allow.resource(...)",
    }
}

/// Normalizes `rules` declared at `path`. Invalid rules are reported and dropped.
pub(crate) fn normalize(
    path: &str,
    rules: &[AuthRule],
    level: RuleLevel,
    cx: &RuleContext<'_>,
    diag: &mut Diagnostics,
) -> Vec<Rule> {
    let mut out = Vec::new();
    for rule in rules {
        if let Some(r) = normalize_one(path, rule, level, cx, diag) {
            out.push(r);
        }
    }
    out
}

fn normalize_one(
    path: &str,
    rule: &AuthRule,
    level: RuleLevel,
    cx: &RuleContext<'_>,
    diag: &mut Diagnostics,
) -> Option<Rule> {
    let name = strategy_name(&rule.strategy);
    let (kind, allowed, default) = match &rule.strategy {
        Strategy::Resource(_) => {
            if level != RuleLevel::Schema {
                diag.error(
                    path,
                    format!("`{name}` gives a function access to the whole API, so it belongs on the schema."),
                    "move it to `a::schema(...).authorization(|allow| ...)`.",
                );
            }
            return None;
        }
        Strategy::PublicApiKey => (RuleKind::Public, &[Provider::ApiKey][..], Provider::ApiKey),
        Strategy::Guest => (RuleKind::Guest, &[Provider::IdentityPool][..], Provider::IdentityPool),
        Strategy::Authenticated => (
            RuleKind::Authenticated,
            &[Provider::UserPools, Provider::IdentityPool, Provider::Oidc][..],
            Provider::UserPools,
        ),
        Strategy::Owner { field, multi } => (
            RuleKind::Owner { field: field.clone(), multi: *multi },
            &[Provider::UserPools, Provider::Oidc][..],
            Provider::UserPools,
        ),
        Strategy::Groups(groups) => {
            (RuleKind::Groups(groups.clone()), &[Provider::UserPools, Provider::Oidc][..], Provider::UserPools)
        }
        Strategy::GroupsDefinedIn { field, multi } => (
            RuleKind::GroupsDefinedIn { field: field.clone(), multi: *multi },
            &[Provider::UserPools, Provider::Oidc][..],
            Provider::UserPools,
        ),
        Strategy::Custom => (RuleKind::Custom, &[Provider::Function][..], Provider::Function),
    };
    let provider = rule.provider.unwrap_or(default);
    let mut ok = true;
    if !allowed.contains(&provider) {
        let names: Vec<_> = allowed.iter().map(|p| p.rust_name()).collect();
        diag.error(
            path,
            format!("`{name}` cannot use {}.", provider.rust_name()),
            format!("use one of: {}.", names.join(", ")),
        );
        ok = false;
    }
    match &kind {
        RuleKind::Groups(groups) if groups.is_empty() => {
            diag.error(path, format!("`{name}` lists no groups."), "name at least one group.");
            ok = false;
        }
        RuleKind::Owner { field, .. } | RuleKind::GroupsDefinedIn { field, .. } => {
            if level == RuleLevel::Operation {
                diag.error(
                    path,
                    format!("`{name}` needs an item to read the owner or group from, and a custom operation has none."),
                    "use `allow.authenticated()` or `allow.groups([...])`, and check ownership in the handler.",
                );
                ok = false;
            }
            check_field_name(diag, path, field, true);
        }
        _ => {}
    }
    if rule.identity_claim.is_some() && !matches!(kind, RuleKind::Owner { .. }) {
        diag.error(path, format!("`.identity_claim(...)` applies to owner rules, not `{name}`."), "remove it.");
    }
    if rule.group_claim.is_some() && !matches!(kind, RuleKind::Groups(_) | RuleKind::GroupsDefinedIn { .. }) {
        diag.error(path, format!("`.with_claim_in(...)` applies to group rules, not `{name}`."), "remove it.");
    }
    let operations = match (&rule.operations, level) {
        (Some(_), RuleLevel::Operation) => {
            diag.error(
                path,
                format!("`{name}.to(...)` does not apply to a custom operation: the rule allows calling it."),
                "remove `.to(...)`.",
            );
            vec![Operation::Read]
        }
        (None, RuleLevel::Field) => vec![Operation::Create, Operation::Update, Operation::Read],
        (None, _) => vec![Operation::Create, Operation::Update, Operation::Delete, Operation::Read],
        (Some(RuleOperations::Model(ops)), _) => {
            if ops.is_empty() {
                diag.error(path, format!("`{name}.to([])` allows nothing."), "list operations, or remove the rule.");
                ok = false;
            }
            for op in ops.iter().filter(|o| matches!(o, Operation::Sync | Operation::Search)) {
                let (what, missing) = if *op == Operation::Search {
                    ("Operation::Search", "no search queries (Amplify's `searchable`, backed by OpenSearch)")
                } else {
                    ("Operation::Sync", "no sync queries (DataStore conflict resolution)")
                };
                diag.error(
                    path,
                    format!(
                        "`{name}` allows `{what}`, but the generated API has {missing}, so it would allow nothing."
                    ),
                    format!("remove `{what}`; `Operation::Read` (or `Get` and `List`) allows reads."),
                );
                ok = false;
            }
            if level == RuleLevel::Field && ops.contains(&Operation::Delete) {
                diag.error(
                    path,
                    format!("`{name}` allows `Operation::Delete` on a field; items are deleted whole."),
                    "remove `Operation::Delete` (the model's rules decide deletes).",
                );
            }
            ops.clone()
        }
        (Some(RuleOperations::Resource(_)), _) => {
            diag.error(
                path,
                format!("`{name}` takes model operations (`Operation::Read`, ...), not resource operations."),
                "use `Operation` values in `.to([...])`.",
            );
            return None;
        }
    };
    if !mode_available(path, name, &kind, provider, cx, diag) {
        ok = false;
    }
    ok.then(|| Rule {
        kind,
        provider,
        default_provider: rule.provider.is_none() || rule.provider == Some(default),
        operations,
        identity_claim: rule.identity_claim.clone(),
        group_claim: rule.group_claim.clone(),
    })
}

/// Whether the API's modes (and the backend's auth) can satisfy a rule.
fn mode_available(
    path: &str,
    name: &str,
    kind: &RuleKind,
    provider: Provider,
    cx: &RuleContext<'_>,
    diag: &mut Diagnostics,
) -> bool {
    let (ok, fix) = match provider {
        Provider::ApiKey => (
            cx.modes.has(AuthMode::ApiKey),
            "enable API keys: `api_key_authorization_mode: Some(ApiKeyAuthorizationMode::default())` in `authorization_modes`.",
        ),
        Provider::UserPools => (cx.modes.has(AuthMode::UserPool), "add `define_auth(...)` to the backend (it makes the user pool)."),
        Provider::IdentityPool if matches!(kind, RuleKind::Guest) => (
            cx.context.identity_pool && cx.context.guest_access,
            "add `define_auth(...)` to the backend and keep guest (unauthenticated) access on.",
        ),
        Provider::IdentityPool => (cx.context.identity_pool, "add `define_auth(...)` to the backend (it makes the identity pool)."),
        Provider::Oidc => (cx.modes.has(AuthMode::Oidc), "set `oidc_authorization_mode` in `authorization_modes`."),
        Provider::Function => (cx.modes.has(AuthMode::Lambda), "set `lambda_authorization_mode` in `authorization_modes`."),
    };
    if !ok {
        diag.error(
            path,
            format!("`{name}` needs {} authorization, which the API does not have.", provider_label(provider)),
            fix,
        );
    }
    ok
}

fn provider_label(provider: Provider) -> &'static str {
    match provider {
        Provider::UserPools => "user pool",
        Provider::IdentityPool => "identity pool (IAM)",
        Provider::Oidc => "OIDC",
        Provider::ApiKey => "API key",
        Provider::Function => "Lambda",
    }
}
