//! From access rules to IAM: which role may do what on which prefixes, with the
//! deny rules that keep a broad grant out of a narrower path.
//!
//! This follows Amplify's `StorageAccessOrchestrator` step by step, so the
//! statements (and the `paths` of `amplify_outputs.json`) are the ones Amplify
//! makes for the same rules:
//! 1. each rule grants its actions (`read` is `get` + `list`) on its path, with the
//!    owner token replaced by the identity id (owners) or `*` (everyone else);
//! 2. when a path is inside another one (`a/b/*` in `a/*`), every role allowed
//!    something on the outer path is denied it on the inner one, unless a rule of
//!    the inner path allows it too;
//! 3. a prefix inside another allowed prefix of the same action is dropped, as
//!    the outer one covers it.

use constructs::{cfn, Value};
use indexmap::{IndexMap, IndexSet};

use super::access::{AccessRule, Grantee, StorageAccess, StorageAction};
use super::paths::{self, IDENTITY_ID_VARIABLE};
use crate::iam::PolicyStatement;

/// The role a rule lands on.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Acceptor {
    /// The identity pool's authenticated role (also the owner of `{entity_id}` paths).
    Authenticated,
    /// The identity pool's unauthenticated role.
    Guest,
    /// A user group's role.
    Group(String),
    /// A function's execution role, by function name.
    Function(String),
}

/// The IAM-level actions (`read` is split into these).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Action {
    Get,
    List,
    Write,
    Delete,
}

impl Action {
    fn of(action: StorageAction) -> &'static [Action] {
        match action {
            StorageAction::Read => &[Action::Get, Action::List],
            StorageAction::Get => &[Action::Get],
            StorageAction::List => &[Action::List],
            StorageAction::Write => &[Action::Write],
            StorageAction::Delete => &[Action::Delete],
        }
    }

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Action::Get => "get",
            Action::List => "list",
            Action::Write => "write",
            Action::Delete => "delete",
        }
    }

    fn iam_action(self) -> &'static str {
        match self {
            Action::Get => "s3:GetObject",
            Action::List => "s3:ListBucket",
            Action::Write => "s3:PutObject",
            Action::Delete => "s3:DeleteObject",
        }
    }
}

/// The prefixes an acceptor is allowed and denied one action on.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Prefixes {
    pub(crate) allow: IndexSet<String>,
    pub(crate) deny: IndexSet<String>,
}

/// What the rules of one bucket come to.
#[derive(Debug, Default)]
pub(crate) struct AccessPlan {
    /// Per role, per action, the prefixes (in the order rules gave them).
    pub(crate) grants: IndexMap<Acceptor, IndexMap<Action, Prefixes>>,
    /// The `paths` of the bucket in `amplify_outputs.json`: prefix -> grantee key
    /// (`authenticated`, `guest`, `groups<name>`, `entity<kind>`) -> actions.
    pub(crate) outputs: IndexMap<String, IndexMap<String, Vec<Action>>>,
    /// Rules that break Amplify's rules, as messages naming the path.
    pub(crate) problems: Vec<String>,
}

/// Plans the policies of a bucket's access rules.
pub(crate) fn plan(access: &StorageAccess) -> AccessPlan {
    let mut plan = AccessPlan::default();
    let all: Vec<&str> = access.paths.iter().map(|(p, _)| p.as_str()).collect();
    for (i, path) in all.iter().enumerate() {
        if all[..i].contains(path) {
            plan.problems.push(format!("path \"{path}\" is given twice; put all its rules in one entry"));
        }
        for problem in paths::problems(path, &all) {
            plan.problems.push(format!("path \"{path}\" {problem}"));
        }
    }
    // Which (role, action) entries were granted on each prefix, for step 2.
    let mut granted_on: IndexMap<String, Vec<(Acceptor, Action)>> = IndexMap::new();
    for (path, rules) in &access.paths {
        let mut keys_seen: Vec<String> = Vec::new();
        for rule in rules {
            plan.problems.extend(rule_problems(path, rule));
            let actions = actions_of(rule);
            let substitution = match &rule.grantee {
                Grantee::Entity(_) => IDENTITY_ID_VARIABLE,
                _ => "*",
            };
            let prefix = paths::substitute(path, substitution);
            let output = plan.outputs.entry(prefix.clone()).or_default();
            for key in output_keys(&rule.grantee) {
                if keys_seen.contains(&key) {
                    plan.problems.push(format!(
                        "path \"{path}\" gives access to {} more than once; combine those rules into one",
                        describe(&rule.grantee, &key)
                    ));
                }
                keys_seen.push(key.clone());
                output.insert(key, actions.clone());
            }
            for acceptor in acceptors(&rule.grantee) {
                let by_action = plan.grants.entry(acceptor.clone()).or_default();
                for action in &actions {
                    by_action.entry(*action).or_default().allow.insert(prefix.clone());
                    granted_on.entry(prefix.clone()).or_default().push((acceptor.clone(), *action));
                }
            }
        }
    }
    deny_inner_paths(&mut plan.grants, &granted_on);
    for by_action in plan.grants.values_mut() {
        for prefixes in by_action.values_mut() {
            drop_covered(&mut prefixes.allow);
        }
    }
    plan
}

/// Step 2: what is granted on an outer path is denied on the inner paths whose
/// rules don't grant it. The owner's folder (`a/<identity id>/*`) under the `a/*`
/// that its own owner path made for other grantees is not an inner path.
fn deny_inner_paths(
    grants: &mut IndexMap<Acceptor, IndexMap<Action, Prefixes>>,
    granted_on: &IndexMap<String, Vec<(Acceptor, Action)>>,
) {
    let all: Vec<&String> = granted_on.keys().collect();
    for path in &all {
        let Some(parent) = paths::parent_of(path, all.iter().copied()) else { continue };
        if *parent == path.replace(&format!("{IDENTITY_ID_VARIABLE}/"), "") {
            continue;
        }
        for (acceptor, action) in &granted_on[parent] {
            if let Some(prefixes) = grants.get_mut(acceptor).and_then(|a| a.get_mut(action)) {
                if !prefixes.allow.contains(*path) {
                    prefixes.deny.insert((*path).clone());
                }
            }
        }
    }
}

/// Step 3: `a/b/*` adds nothing to an allow of `a/*`.
fn drop_covered(allow: &mut IndexSet<String>) {
    let snapshot: Vec<String> = allow.iter().cloned().collect();
    for p in snapshot {
        if paths::parent_of(&p, allow.iter()).is_some() {
            allow.shift_remove(&p);
        }
    }
}

/// The statements of one role's policy on a bucket: for each action, its allow
/// and then its deny, as Amplify orders them.
pub(crate) fn statements(bucket_arn: &Value, by_action: &IndexMap<Action, Prefixes>) -> Vec<Value> {
    let mut out = Vec::new();
    for (action, prefixes) in by_action {
        for (set, effect) in [(&prefixes.allow, "Allow"), (&prefixes.deny, "Deny")] {
            if set.is_empty() {
                continue;
            }
            let statement = match action {
                // Listing is a bucket action; the prefix is a condition on it. Both
                // `a/*` (everything below) and `a/` (the folder itself) are listed.
                Action::List => {
                    let prefixes: Vec<Value> = set
                        .iter()
                        .flat_map(|p| [p.clone(), p.trim_end_matches('*').to_string()])
                        .map(Value::from)
                        .collect();
                    PolicyStatement::allow([action.iam_action()], [bucket_arn.clone()])
                        .with_condition(cfn!({"StringLike": {"s3:prefix": (Value::Array(prefixes))}}))
                }
                _ => PolicyStatement::allow(
                    [action.iam_action()],
                    set.iter().map(|p| Value::concat([bucket_arn.clone(), format!("/{p}").into()])),
                ),
            };
            out.push(with_effect(statement.to_value(), effect));
        }
    }
    out
}

/// `PolicyStatement` only allows; deny statements are the same with another effect.
fn with_effect(mut statement: Value, effect: &str) -> Value {
    if let Value::Object(map) = &mut statement {
        map.insert("Effect".to_string(), effect.into());
    }
    statement
}

/// The actions of a rule, `read` split, without repeats.
fn actions_of(rule: &AccessRule) -> Vec<Action> {
    let mut out: Vec<Action> = Vec::new();
    for a in rule.actions.iter().flat_map(|a| Action::of(*a)) {
        if !out.contains(a) {
            out.push(*a);
        }
    }
    out
}

fn rule_problems(path: &str, rule: &AccessRule) -> Vec<String> {
    let mut out = Vec::new();
    if rule.actions.is_empty() {
        out.push(format!("path \"{path}\" has a rule with no actions; give it read, get, list, write or delete"));
    }
    match &rule.grantee {
        Grantee::Entity(kind) => {
            if kind != "identity" {
                out.push(format!(
                    "path \"{path}\" allows entity \"{kind}\"; \
                     the only entity is \"identity\" (allow.entity(\"identity\"))"
                ));
            }
            // Without the token, the owner rule would grant every signed-in user.
            if !path.contains(paths::ENTITY_ID_TOKEN) {
                out.push(format!(
                    "path \"{path}\" allows the entity, but has no {} part to hold each owner's files",
                    paths::ENTITY_ID_TOKEN
                ));
            }
        }
        Grantee::Groups(groups) if groups.is_empty() => {
            out.push(format!("path \"{path}\" allows groups([]) with no group names"))
        }
        _ => {}
    }
    out
}

/// The keys of the rule in the outputs, which are also what may not repeat on a path.
fn output_keys(grantee: &Grantee) -> Vec<String> {
    match grantee {
        Grantee::Authenticated => vec!["authenticated".into()],
        Grantee::Guest => vec!["guest".into()],
        Grantee::Groups(groups) => groups.iter().map(|g| format!("groups{g}")).collect(),
        Grantee::Entity(kind) => vec![format!("entity{kind}")],
        // Function access is server-side; clients have nothing to do with it.
        Grantee::Resource(_) => Vec::new(),
    }
}

fn acceptors(grantee: &Grantee) -> Vec<Acceptor> {
    match grantee {
        Grantee::Authenticated | Grantee::Entity(_) => vec![Acceptor::Authenticated],
        Grantee::Guest => vec![Acceptor::Guest],
        Grantee::Groups(groups) => groups.iter().map(|g| Acceptor::Group(g.clone())).collect(),
        Grantee::Resource(f) => vec![Acceptor::Function(f.name().to_string())],
    }
}

fn describe(grantee: &Grantee, key: &str) -> String {
    match grantee {
        Grantee::Authenticated => "authenticated users".into(),
        Grantee::Guest => "guests".into(),
        Grantee::Groups(_) => format!("group \"{}\"", key.trim_start_matches("groups")),
        Grantee::Entity(kind) => format!("entity \"{kind}\""),
        Grantee::Resource(f) => format!("function \"{}\"", f.name()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::access::{access, StorageAction::*};

    fn allow_deny(plan: &AccessPlan, acceptor: Acceptor, action: Action) -> (Vec<&str>, Vec<&str>) {
        let p = &plan.grants[&acceptor][&action];
        (p.allow.iter().map(String::as_str).collect(), p.deny.iter().map(String::as_str).collect())
    }

    #[test]
    fn a_broad_grant_is_denied_on_a_narrower_path() {
        let plan = plan(&access(|allow| {
            [
                ("media/*", vec![allow.authenticated.to([Read, Write])]),
                (
                    "media/admin/*",
                    vec![allow.groups(["admin"]).to([Read, Write, Delete]), allow.authenticated.to([Get])],
                ),
            ]
        }));
        assert!(plan.problems.is_empty(), "{:?}", plan.problems);
        // Authenticated users keep get below media/admin (a rule allows it there),
        // lose list and write there.
        assert_eq!(allow_deny(&plan, Acceptor::Authenticated, Action::Get), (vec!["media/*"], vec![]));
        assert_eq!(allow_deny(&plan, Acceptor::Authenticated, Action::List), (vec!["media/*"], vec!["media/admin/*"]));
        assert_eq!(allow_deny(&plan, Acceptor::Authenticated, Action::Write), (vec!["media/*"], vec!["media/admin/*"]));
        assert_eq!(allow_deny(&plan, Acceptor::Group("admin".into()), Action::Delete), (vec!["media/admin/*"], vec![]));
        assert_eq!(
            plan.outputs["media/admin/*"]["groupsadmin"],
            vec![Action::Get, Action::List, Action::Write, Action::Delete]
        );
    }

    #[test]
    fn owner_paths_split_into_the_owner_folder_and_the_rest() {
        let plan = plan(&access(|allow| {
            [(
                "profile/{entity_id}/*",
                vec![
                    allow.guest.to([Read]),
                    allow.entity("identity").to([Read, Write, Delete]),
                    allow.authenticated.to([Read]),
                ],
            )]
        }));
        assert!(plan.problems.is_empty(), "{:?}", plan.problems);
        let owner = "profile/${cognito-identity.amazonaws.com:sub}/*";
        assert_eq!(plan.outputs.keys().collect::<Vec<_>>(), ["profile/*", owner]);
        assert_eq!(
            plan.outputs[owner]["entityidentity"],
            vec![Action::Get, Action::List, Action::Write, Action::Delete]
        );
        // The owner folder is inside "profile/*", which covers it for get and list,
        // and no deny is made for it.
        assert_eq!(allow_deny(&plan, Acceptor::Authenticated, Action::Get), (vec!["profile/*"], vec![]));
        assert_eq!(allow_deny(&plan, Acceptor::Authenticated, Action::Write), (vec![owner], vec![]));
        assert_eq!(allow_deny(&plan, Acceptor::Guest, Action::List), (vec!["profile/*"], vec![]));
    }

    #[test]
    fn rule_mistakes_are_reported_with_their_path() {
        let plan = plan(&access(|allow| {
            [
                ("a/*", vec![allow.authenticated.to([Read]), allow.authenticated.to([Write]), allow.guest.to([])]),
                ("b/*", vec![allow.entity("user").to([Read]), allow.groups(Vec::<String>::new()).to([Read])]),
                ("a/*", vec![]),
            ]
        }));
        let all = plan.problems.join("\n");
        assert!(all.contains("path \"a/*\" gives access to authenticated users more than once"), "{all}");
        assert!(all.contains("path \"a/*\" has a rule with no actions"), "{all}");
        assert!(all.contains("path \"b/*\" allows entity \"user\""), "{all}");
        assert!(all.contains("path \"b/*\" allows the entity, but has no {entity_id} part"), "{all}");
        assert!(all.contains("path \"b/*\" allows groups([]) with no group names"), "{all}");
        assert!(all.contains("path \"a/*\" is given twice"), "{all}");
    }
}
