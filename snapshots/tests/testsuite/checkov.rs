//! checkov, the security judge: every finding on every example assembly is either
//! fixed or accepted with a reason in `snapshots/checkov-accepted.json`, and every
//! accepted finding still fires, so the list (and the README table made from it)
//! never outlives its reasons.

use crate::support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use constructs::CloudAssembly;
use serde_json::Value;

/// One finding: the check and the resource it failed on, as
/// `<example> <Type>.<LogicalId>` (stack paths are left out: they move when
/// resources are regrouped, which is no new finding).
type Finding = (String, String);

/// What checkov reported on one assembly.
struct Report {
    /// `(check ID, Type.LogicalId)` of each failed check.
    failed: Vec<(String, String)>,
    /// The same for each passed check.
    passed: Vec<(String, String)>,
    summary: Value,
}

/// Runs the pinned checkov on the templates in `dir` (the brief's command, less
/// `--quiet`, so that passed checks are listed too).
fn checkov(dir: &Path) -> Report {
    let checkov = support::tool("CHECKOV", ".tools/checkov/bin/checkov");
    let out = Command::new(checkov)
        .args(["--framework", "cloudformation", "--skip-download", "-o", "json", "--compact", "-d"])
        .arg(dir)
        .output()
        .expect("checkov runs");
    let report: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("checkov output is not JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)));
    let checks = |kind: &str| -> Vec<(String, String)> {
        report["results"][kind]
            .as_array()
            .into_iter()
            .flatten()
            .map(|c| (c["check_id"].as_str().unwrap().to_string(), c["resource"].as_str().unwrap().to_string()))
            .collect()
    };
    Report { failed: checks("failed_checks"), passed: checks("passed_checks"), summary: report["summary"].clone() }
}

/// The findings of every example, each checked to have been scanned whole.
fn findings_of_examples() -> BTreeSet<Finding> {
    let mut found = BTreeSet::new();
    for example in support::examples() {
        let dir = tempfile::tempdir().unwrap();
        let assembly = support::synth_into(&example, dir.path());
        let report = checkov(dir.path());
        assert_scanned_whole(&report, &assembly, example.name);
        for (check, resource) in report.failed {
            found.insert((check, format!("{} {resource}", example.name)));
        }
    }
    found
}

/// A run that parsed nothing would find nothing: make sure it read every resource.
fn assert_scanned_whole(report: &Report, assembly: &CloudAssembly, name: &str) {
    let resources: usize =
        assembly.stacks.iter().map(|s| s.template["Resources"].as_object().map_or(0, |r| r.len())).sum();
    let summary = &report.summary;
    assert_eq!(summary["parsing_errors"], 0, "{name}: checkov could not parse a template: {summary}");
    assert_eq!(summary["resource_count"], resources, "{name}: checkov did not scan every resource");
}

/// The committed allow-list: check ID -> reason and resources.
fn accepted() -> BTreeMap<String, Value> {
    let path = support::workspace().join("snapshots/checkov-accepted.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not a JSON object: {e}", path.display()))
}

fn accepted_findings(accepted: &BTreeMap<String, Value>) -> BTreeSet<Finding> {
    let mut out = BTreeSet::new();
    for (check, entry) in accepted {
        let reason = entry["reason"].as_str().unwrap_or_default();
        assert!(!reason.trim().is_empty(), "{check}: give the reason it is accepted");
        let resources = entry["resources"].as_array().unwrap_or_else(|| panic!("{check}: list its resources"));
        for r in resources {
            out.insert((check.clone(), r.as_str().expect("a resource string").to_string()));
        }
    }
    out
}

fn listing(findings: &BTreeSet<Finding>) -> String {
    findings.iter().map(|(check, resource)| format!("  {check} on {resource}")).collect::<Vec<_>>().join("\n")
}

#[test]
fn every_checkov_finding_is_accepted_and_every_acceptance_still_fires() {
    let found = findings_of_examples();
    let accepted = accepted_findings(&accepted());
    let new: BTreeSet<_> = found.difference(&accepted).cloned().collect();
    let stale: BTreeSet<_> = accepted.difference(&found).cloned().collect();
    assert!(
        new.is_empty(),
        "checkov findings that are neither fixed nor in snapshots/checkov-accepted.json \
         (fix them, or add them with a reason and to the README's security table):\n{}",
        listing(&new)
    );
    assert!(
        stale.is_empty(),
        "snapshots/checkov-accepted.json accepts findings checkov no longer reports \
         (remove them, and their README rows):\n{}",
        listing(&stale)
    );
}

#[test]
fn the_readme_names_the_pinned_checkov_and_every_accepted_check() {
    let readme = std::fs::read_to_string(support::workspace().join("README.md")).unwrap();
    let section = readme.split("## Security (checkov)").nth(1).expect("README has a 'Security (checkov)' section");
    let section = section.split("\n## ").next().unwrap_or(section);
    let version = Command::new(support::tool("CHECKOV", ".tools/checkov/bin/checkov"))
        .arg("--version")
        .output()
        .expect("checkov runs");
    let version = String::from_utf8_lossy(&version.stdout).trim().to_string();
    assert!(
        section.contains(&format!("checkov {version}")),
        "the README's security section must name checkov {version}"
    );
    for check in accepted().keys() {
        assert!(section.contains(&format!("| `{check}` |")), "the README's security table has no row for {check}");
    }
}

/// The opt-ins the README names clear their findings: with them on, the checks
/// that fail on the examples pass on the same resources.
#[test]
fn the_named_opt_ins_clear_their_findings() {
    use amplify_backend::auth::{define_auth, AuthProps, LoginWith};
    use amplify_backend::data::{a, define_data, DataLogging, DataProps, FieldLogLevel};
    use amplify_backend::storage::{access, define_storage, AccessLogs, StorageAction::*, StorageProps};

    let dir = tempfile::tempdir().unwrap();
    let auth =
        define_auth(AuthProps { login_with: LoginWith::email(), disable_guest_access: true, ..Default::default() });
    // The chat's data opens announcements to guests, which this auth turns
    // off: an owner-only schema stands in (the API's checks are the same).
    let schema = a::schema! { Note: a::model([("text", a::string())]).authorization(|allow| [allow.owner()]) };
    let mut data = define_data(DataProps { schema, ..Default::default() });
    data.props.logging = Some(DataLogging { field_log_level: FieldLogLevel::Error, ..Default::default() });
    let media = define_storage(StorageProps {
        name: "media".into(),
        access: access(|allow| [("photos/*", vec![allow.authenticated.to([Read, Write])])]),
        versioned: true,
        access_logs: Some(AccessLogs::to_bucket("org-access-logs")),
        ..Default::default()
    });
    let backend = amplify_backend::Backend::build(support::sandbox_app(dir.path()), (auth, data, media));
    let assembly = backend.app().synth().unwrap_or_else(|e| panic!("{e}"));
    let report = checkov(dir.path());
    assert_scanned_whole(&report, &assembly, "opt-ins");

    let cleared = [
        ("CKV_AWS_366", "AWS::Cognito::IdentityPool.amplifyAuthIdentityPool3FDE84CC"),
        ("CKV_AWS_18", "AWS::S3::Bucket.mediaBucket9F5DE49B"),
        ("CKV_AWS_21", "AWS::S3::Bucket.mediaBucket9F5DE49B"),
        ("CKV_AWS_193", "AWS::AppSync::GraphQLApi.amplifyDataGraphQLAPI42A6FA33"),
        ("CKV_AWS_194", "AWS::AppSync::GraphQLApi.amplifyDataGraphQLAPI42A6FA33"),
    ];
    for (check, resource) in cleared {
        let finding = (check.to_string(), resource.to_string());
        assert!(report.passed.contains(&finding), "{check} does not pass on {resource}: {:?}", report.failed);
    }
}
