//! `cfn-types-codegen SCHEMAS_DIR [--out CFN_TYPES_DIR] [--check]`
//!
//! Generates `cfn-types` from cfn-lint's `data/schemas` directory. With `--check`,
//! writes nothing and exits non-zero when the committed files differ from what the
//! schemas give.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut schemas = None;
    let mut out = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut check = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--check" => check = true,
            "--out" => match args.next() {
                Some(dir) => out = PathBuf::from(dir),
                None => return usage("--out needs a directory"),
            },
            "-h" | "--help" => return usage(""),
            _ if schemas.is_none() && !a.starts_with('-') => schemas = Some(PathBuf::from(a)),
            _ => return usage(&format!("unexpected argument {a}")),
        }
    }
    let Some(schemas) = schemas else { return usage("missing SCHEMAS_DIR") };
    let output = match cfn_types_codegen::generate(&schemas) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    if check {
        match cfn_types_codegen::check(&out, &output) {
            Ok(problems) if problems.is_empty() => {
                eprintln!("up to date: {} resource types in {} services", output.resource_types, output.services);
                ExitCode::SUCCESS
            }
            Ok(problems) => {
                for p in problems {
                    eprintln!("{p}");
                }
                eprintln!("the generated code is stale: run cfn-types-codegen without --check");
                ExitCode::FAILURE
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        }
    } else {
        match cfn_types_codegen::write(&out, &output) {
            Ok(()) => {
                eprintln!(
                    "generated {} resource types in {} services into {}",
                    output.resource_types,
                    output.services,
                    out.display()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        }
    }
}

fn usage(problem: &str) -> ExitCode {
    if !problem.is_empty() {
        eprintln!("error: {problem}");
    }
    eprintln!("usage: cfn-types-codegen SCHEMAS_DIR [--out CFN_TYPES_DIR] [--check]");
    eprintln!("  SCHEMAS_DIR: cfn-lint's cfnlint/data/schemas (cfn-lint {})", cfn_types_codegen::CFN_LINT_VERSION);
    if problem.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    }
}
