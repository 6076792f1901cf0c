//! Amplify's path rules, and the other mistakes of `define_storage`: each is
//! reported at synthesis, all at once, with the bucket's construct path and a
//! message naming the bucket and the path.

use crate::storage_support;

use amplify_backend::storage::{access, define_storage, StorageAction::*, StorageProps};
use amplify_backend::Backend;
use storage_support::*;

fn errors_of(paths: &[&str]) -> String {
    let storage = define_storage(StorageProps {
        name: "media".into(),
        access: access(|allow| paths.iter().map(|p| (*p, vec![allow.authenticated.to([Read])])).collect::<Vec<_>>()),
        ..Default::default()
    });
    problems(&Backend::build(app("sandbox"), (auth(), storage))).join("\n")
}

#[test]
fn every_path_rule_is_enforced_at_once() {
    let all = errors_of(&[
        "/leading/*",
        "no-wildcard/",
        "double//slash/*",
        "mid/*/wildcard/*",
        "a/*",
        "a/b/*",
        "a/b/c/*",
        "owner/*",
        "owner/{entity_id}/*",
        "twice/{entity_id}/{entity_id}/*",
        "notlast/{entity_id}/x/*",
        "{entity_id}/*",
        "glued/x{entity_id}/*",
    ]);
    let at = format!("[{ROOT}/storage/media] storage \"media\": path");
    for expected in [
        "\"/leading/*\" must not start with \"/\"",
        "\"no-wildcard/\" must end with \"/*\"",
        "\"double//slash/*\" must not contain \"//\"",
        "\"mid/*/wildcard/*\" may have a wildcard only as its last character",
        "\"a/b/c/*\" is inside more than one other path (\"a/*\", \"a/b/*\"); paths may nest only one level deep",
        "\"owner/{entity_id}/*\" holds {entity_id} and so must not be inside another path, but is inside \"owner/*\"",
        "\"twice/{entity_id}/{entity_id}/*\" may hold {entity_id} only once",
        "\"notlast/{entity_id}/x/*\" must have {entity_id} as the last part before \"/*\"",
        "\"{entity_id}/*\" must not start with {entity_id}",
        "\"glued/x{entity_id}/*\" must have {entity_id} alone in its part",
    ] {
        assert!(all.contains(&format!("{at} {expected}")), "missing: {expected}\nin:\n{all}");
    }
    // The good paths among them are not reported.
    for good in ["\"a/*\" ", "\"a/b/*\" ", "\"owner/*\" "] {
        assert!(!all.contains(&format!("path {good}")), "{good} reported:\n{all}");
    }
}

#[test]
fn rule_mistakes_are_reported() {
    let storage = define_storage(StorageProps {
        name: "media".into(),
        access: access(|allow| {
            [
                ("a/*", vec![allow.authenticated.to([Read]), allow.authenticated.to([Write])]),
                ("b/*", vec![allow.entity("identity").to([Read])]),
                ("c/{entity_id}/*", vec![allow.entity("user").to([Read])]),
                ("d/*", vec![allow.guest.to([])]),
                ("e/*", vec![allow.groups(["ADMINS"]).to([Read]), allow.groups(["ADMINS", "X"]).to([Write])]),
            ]
        }),
        ..Default::default()
    });
    let all = problems(&Backend::build(app("sandbox"), (auth_with_groups(&["ADMINS", "X"]), storage))).join("\n");
    for expected in [
        "path \"a/*\" gives access to authenticated users more than once; combine those rules into one",
        "path \"b/*\" allows the entity, but has no {entity_id} part",
        "path \"c/{entity_id}/*\" allows entity \"user\"; the only entity is \"identity\"",
        "path \"d/*\" has a rule with no actions",
        "path \"e/*\" gives access to group \"ADMINS\" more than once",
    ] {
        assert!(all.contains(expected), "missing: {expected}\nin:\n{all}");
    }
}

#[test]
fn names_and_defaults_are_checked() {
    let named = |name: &str, is_default: bool| {
        define_storage(StorageProps { name: name.into(), is_default, ..Default::default() })
    };
    let backend = Backend::build(app("sandbox"), (named("bad name!", false), named("one", true), named("two", true)));
    let all = problems(&backend).join("\n");
    assert!(
        all.contains("storage \"bad name!\": the name \"bad name!\" must be 1 to 63 letters, digits, '-' or '_'"),
        "{all}"
    );
    assert!(
        all.contains(&format!(
            "[{ROOT}/storage/two] storage \"two\": is_default is set, but \"one\" is the default bucket already"
        )),
        "{all}"
    );

    let backend = Backend::build(app("sandbox"), (named("same", false), named("same", false)));
    let all = problems(&backend).join("\n");
    assert!(all.contains("storage \"same\": another define_storage has the same name"), "{all}");
}
