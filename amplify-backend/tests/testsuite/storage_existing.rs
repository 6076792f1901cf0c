//! Storage over an existing bucket: no bucket (nor its policy, nor what empties
//! it) is created; access rules become policies on the bucket's ARN, functions
//! get its name, and the outputs list it with its region.

use crate::lint_support::cfn_lint_findings;
use crate::storage_support::{app, app_with, auth_with_groups, function, problems, scratch_dir};

use std::path::PathBuf;

use amplify_backend::storage::StorageTriggers;
use amplify_backend::storage::{access, define_storage, ExistingBucket, StorageAction::*, StorageProps};
use amplify_backend::{Backend, Category};
use constructs::assertions::{Match, Template};
use serde_json::json;

fn archive(
    reader: Option<&amplify_backend::function::FunctionDefinition>,
) -> amplify_backend::storage::StorageDefinition {
    define_storage(StorageProps {
        name: "archive".into(),
        existing_bucket: Some(ExistingBucket::named("acme-archive").in_region("eu-west-1")),
        access: access(|allow| {
            let mut rules = vec![
                ("public/*", vec![allow.guest.to([Read]), allow.authenticated.to([Read, Write])]),
                ("admin/*", vec![allow.groups(["ADMINS"]).to([Read, Write, Delete])]),
            ];
            if let Some(f) = reader {
                rules.push(("reports/*", vec![allow.resource(f).to([Read])]));
            }
            rules
        }),
        ..Default::default()
    })
}

#[test]
fn no_bucket_is_created_and_grants_name_the_existing_one() {
    let reader = function("report-reader");
    let backend = Backend::build(app("sandbox"), (auth_with_groups(&["ADMINS"]), archive(Some(&reader)), reader));
    let t = Template::from_stack(&backend.stack(Category::Storage));
    for ty in ["AWS::S3::Bucket", "AWS::S3::BucketPolicy", "Custom::S3AutoDeleteObjects", "AWS::Lambda::Function"] {
        t.resource_count_is(ty, 0);
    }
    let arn = json!({"Fn::Sub": ["arn:${AWS::Partition}:s3:::${bucket}", {"bucket": "acme-archive"}]});
    let object = |prefix: &str| json!({"Fn::Join": ["", [arn.clone(), format!("/{prefix}")]]});
    t.has_resource_properties(
        "AWS::IAM::Policy",
        Match::object_like([(
            "PolicyDocument",
            Match::object_like([(
                "Statement",
                Match::array_with([
                    json!({"Action": "s3:GetObject", "Effect": "Allow", "Resource": object("public/*")}),
                ]),
            )]),
        )]),
    );
    let policies = t.find_resources("AWS::IAM::Policy", Match::any_value());
    assert_eq!(policies.len(), 3, "guest, authenticated, ADMINS: {:?}", policies.keys());
    let admins = policies.values().find(|p| p.to_string().contains("admin/*")).unwrap();
    assert!(admins.to_string().contains("s3:DeleteObject") && !admins.to_string().contains("public/*"));

    let f = Template::from_stack(&backend.function_stack("report-reader"));
    f.has_resource_properties(
        "AWS::Lambda::Function",
        json!({"Environment": {"Variables": {"ARCHIVE_BUCKET_NAME": "acme-archive"}}}),
    );
    f.has_resource_properties(
        "AWS::IAM::Policy",
        Match::object_like([(
            "PolicyDocument",
            Match::object_like([(
                "Statement",
                Match::array_with([
                    json!({"Action": "s3:GetObject", "Effect": "Allow", "Resource": object("reports/*")}),
                ]),
            )]),
        )]),
    );
    let bucket = backend.storage().bucket("archive").unwrap();
    assert!(bucket.resources().is_none());
    assert_eq!(bucket.existing().unwrap().name, "acme-archive");
    let keys: Vec<&String> = bucket.access_policies().keys().collect();
    assert_eq!(keys, ["guest", "authenticated", "group:ADMINS", "function:report-reader"]);
}

#[test]
fn the_outputs_list_the_existing_bucket_in_its_region() {
    let backend = Backend::build(app("sandbox"), (auth_with_groups(&["ADMINS"]), archive(None)));
    let root = Template::from_stack(backend.root_stack());
    root.has_output("bucketName", json!({"Value": "acme-archive"}));
    root.has_output("storageRegion", json!({"Value": "eu-west-1"}));
    // A JSON list of JSON strings, as Amplify writes it.
    let buckets: Vec<String> =
        serde_json::from_str(root.to_json()["Outputs"]["buckets"]["Value"].as_str().unwrap()).unwrap();
    let archive: serde_json::Value = serde_json::from_str(&buckets[0]).unwrap();
    assert_eq!(archive["name"], "archive");
    assert_eq!(archive["bucketName"], "acme-archive");
    assert_eq!(archive["storageRegion"], "eu-west-1");
    assert_eq!(archive["paths"]["admin/*"]["groupsADMINS"], json!(["get", "list", "write", "delete"]));
}

#[test]
fn settings_of_the_bucket_itself_and_bad_names_are_refused() {
    let handler = function("on-upload");
    let storage = define_storage(StorageProps {
        name: "archive".into(),
        existing_bucket: Some(ExistingBucket::named("arn:aws:s3:::acme-archive").in_region("Europe")),
        versioned: true,
        triggers: StorageTriggers { on_upload: Some(handler.clone()), on_delete: None },
        ..Default::default()
    });
    let found = problems(&Backend::build(app("sandbox"), (storage, handler)));
    let all = found.join("\n");
    assert_eq!(found.len(), 4, "{all}");
    assert!(all.contains("existing_bucket \"arn:aws:s3:::acme-archive\" is not an S3 bucket name"), "{all}");
    assert!(all.contains("not its ARN or URL"), "{all}");
    assert!(all.contains("region \"Europe\" is not a region"), "{all}");
    assert!(all.contains("versioned configures the bucket") && all.contains("triggers configures the bucket"), "{all}");
    assert!(found.iter().all(|p| p.contains("storage \"archive\"")), "{all}");
}

#[test]
fn cfn_lint_finds_nothing_in_storage_over_an_existing_bucket() {
    let dir = scratch_dir("existing-bucket-lint");
    let reader = function("lint-reader");
    let backend = Backend::build(
        app_with("sandbox", Some(dir.clone())),
        (auth_with_groups(&["ADMINS"]), archive(Some(&reader)), reader),
    );
    let assembly = backend.synth().unwrap_or_else(|e| panic!("{e}"));
    let files: Vec<PathBuf> = assembly.stacks.iter().map(|s| dir.join(&s.template_file)).collect();
    let findings = cfn_lint_findings(&files);
    assert!(findings.is_empty(), "{findings:#?}");
}
