//! Issue 11, 5: names that carry across commands, and names that match nothing.

use super::*;
use common::backend::{self, Options};

/// A plain constructs app names its own stack; `sandbox delete` finds it from
/// what the sandbox deployed.
#[tokio::test]
async fn sandbox_delete_finds_a_plain_constructs_apps_stack() {
    let (moto, tmp, dir, _) = sandbox_setup().await;
    let raw = backend::synth(tmp.path(), "raw", &Options::new("HelloConstructs"));
    moto.ampx(&dir, &["sandbox", "--once", "--identifier", "dev", "--app", raw.to_str().unwrap()]).ok();
    assert!(stack_exists(&moto, "HelloConstructs").await);
    let other = moto.ampx(&dir, &["sandbox", "delete", "--identifier", "other", "--yes"]).ok();
    assert!(other.stderr.contains("nothing to delete"), "another sandbox has nothing: {}", other.stderr);
    let deleted = moto.ampx(&dir, &["sandbox", "delete", "--identifier", "dev", "--yes"]).ok();
    assert!(deleted.stdout.contains("Deleted HelloConstructs"), "{}", deleted.stdout);
    assert!(!stack_exists(&moto, "HelloConstructs").await);
    let again = moto.ampx(&dir, &["sandbox", "delete", "--identifier", "dev", "--yes"]).ok();
    assert!(again.stderr.contains("nothing to delete"), "{}", again.stderr);
}

/// An Amplify backend's assembly made for one sandbox is not deployed as another.
#[tokio::test]
async fn an_assembly_for_another_sandbox_is_refused() {
    let (moto, tmp, dir, stack) = sandbox_setup().await;
    let made_for_dev = backend::synth(tmp.path(), "dev", &Options { amplify_metadata: true, ..Options::new(&stack) });
    let run = moto
        .ampx(&dir, &["sandbox", "--once", "--identifier", "alice", "--app", made_for_dev.to_str().unwrap()])
        .failed();
    let alice = sandbox_stack("todoapp", "alice");
    assert!(
        run.stderr
            .contains(&format!("is an Amplify backend for the stack {stack}, not for sandbox alice (stack {alice})")),
        "{}",
        run.stderr
    );
    assert!(!stack_exists(&moto, &stack).await && !stack_exists(&moto, &alice).await, "nothing deployed");
}

/// `--allow-destructive` with a name that matches no resource is an error.
#[tokio::test]
async fn allow_destructive_names_must_match_a_resource() {
    let moto = Moto::start();
    moto.bootstrap().await;
    let (tmp, dir) = project("ci");
    let stack = BackendIdentifier::branch("d1abc", "main").stack_name();
    let v1 = backend::synth(tmp.path(), "v1", &Options::new(&stack));
    let branch = ["pipeline-deploy", "--branch", "main", "--app-id", "d1abc", "--app", v1.to_str().unwrap()];
    let typo = moto.ampx(&dir, &[&branch[..], &["--allow-destructive", "Todso"]].concat()).failed();
    assert!(typo.stderr.contains("--allow-destructive 'Todso' is invalid: it names no resource"), "{}", typo.stderr);
    assert!(!stack_exists(&moto, &stack).await, "nothing deployed");
    moto.ampx(&dir, &branch).ok();
    let table = logical_ids(&moto, &stack).await.into_iter().find(|i| i.starts_with("Todos")).unwrap();
    moto.ampx(&dir, &[&branch[..], &["--allow-destructive", &table]].concat()).ok();
    let typo = moto.ampx(&dir, &[&branch[..], &["--allow-destructive", "Todso"]].concat()).failed();
    assert!(typo.stderr.contains("'Todso' is invalid"), "also when nothing changes: {}", typo.stderr);
}
