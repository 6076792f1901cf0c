//! cfn-lint finds no error in the templates of a backend that uses every
//! function feature: plain, secrets, schedules, logging, layers, arm64, Python,
//! a directory, a cross-stack grant and a resource group.

use crate::function_support;
use crate::lint_support;

use std::path::PathBuf;
use std::process::Command;

use amplify_backend::function::{
    define_function, secret, Architecture, FunctionLogging, FunctionProps, LogFormat, LogLevel, Runtime,
};
use amplify_backend::iam::PolicyStatement;
use amplify_backend::{Backend, Category, Definition};
use constructs::CfnResource;
use function_support::*;
use lint_support::cfn_lint;

/// Grants `worker` access to a bucket in the storage stack, as storage would.
struct Grant;

impl Definition for Grant {
    type Built = ();

    fn category(&self) -> Category {
        Category::Storage
    }

    fn needs(&self) -> &'static [Category] {
        &[Category::Function]
    }

    fn build(self, backend: &mut Backend) {
        let bucket = CfnResource::new(&backend.stack(Category::Storage), "Bucket", "AWS::S3::Bucket");
        let f = backend.functions().get("worker").expect("built").clone();
        f.add_to_role_policy(PolicyStatement::allow(["s3:ListBucket"], [bucket.get_att("Arn")]));
        f.add_environment("BUCKET_NAME", bucket.ref_());
    }
}

#[test]
fn cfn_lint_reports_no_errors() {
    let cfn_lint = cfn_lint();
    let worker = define_function(
        FunctionProps {
            name: "worker".into(),
            entry: fixture("say-hello/handler.ts"),
            architecture: Architecture::Arm64,
            runtime: Some(Runtime::Node24),
            memory_mb: Some(1024),
            timeout_seconds: Some(120),
            schedule: vec!["every 5m".into(), "0 12 * * ? *".into(), "rate(1 hour)".into()],
            logging: FunctionLogging {
                retention_days: Some(30),
                format: Some(LogFormat::Json),
                level: Some(LogLevel::Info),
            },
            layers: vec!["arn:aws:lambda:us-east-1:123456789012:layer:deps:3".into()],
            ..Default::default()
        }
        .env("API_KEY", secret("API_KEY"))
        .env("STAGE", "dev"),
    );
    let python = define_function(
        FunctionProps { name: "py".into(), entry: fixture("python-hello/handler.py"), ..Default::default() }
            .env("API_KEY", secret("API_KEY")),
    );
    let dir = define_function(FunctionProps {
        name: "dir".into(),
        entry: fixture("node-dir"),
        resource_group_name: Some("data".into()),
        ..Default::default()
    });
    let backend = backend((say_hello(), worker, python, dir, Grant));
    let out_dir = scratch("cfn-lint");
    let _ = std::fs::remove_dir_all(&out_dir);
    backend.app().set_outdir(&out_dir);
    let assembly = backend.synth().unwrap_or_else(|e| panic!("{e}"));
    let files: Vec<PathBuf> = assembly.stacks.iter().map(|s| out_dir.join(&s.template_file)).collect();
    assert!(files.len() >= 4, "root, function, data and storage templates");
    let out = Command::new(&cfn_lint).args(["--format", "json", "--"]).args(&files).output().expect("cfn-lint runs");
    let findings: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("cfn-lint output is not JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)));
    let problems: Vec<String> = findings
        .as_array()
        .expect("a list of findings")
        .iter()
        .filter(|f| f["Level"] == "Error" || f["Level"] == "Warning")
        .map(|f| format!("{} {} {} {}", f["Level"], f["Rule"]["Id"], f["Filename"], f["Message"]))
        .collect();
    assert!(problems.is_empty(), "cfn-lint:\n{}", problems.join("\n"));
}
