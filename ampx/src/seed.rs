//! `ampx sandbox seed` and `ampx dev seed`: run the project's seed program,
//! `amplify/seed/seed.ts`, as Amplify's `ampx sandbox seed` runs it: with `tsx`,
//! from the project directory, with `AMPLIFY_BACKEND_IDENTIFIER` naming the
//! sandbox as JSON (`{"namespace", "name", "type": "sandbox"}`), which
//! `@aws-amplify/seed` reads.
//!
//! The program reaches the backend as a frontend does, through
//! `amplify_outputs.json`. Under `ampx dev` that file points at the local
//! services, and Node is told to trust their certificate.

use std::path::{Path, PathBuf};
use std::process::Command;

use amplify_backend::BackendIdentifier;
use serde_json::json;

use crate::aws::Aws;
use crate::deployed;
use crate::errors::{Error, Result};

/// Where the seed program may be, in the order looked for. Amplify knows only
/// the first; plain JavaScript needs no `tsx`.
const SCRIPTS: [&str; 4] =
    ["amplify/seed/seed.ts", "amplify/seed/seed.mts", "amplify/seed/seed.mjs", "amplify/seed/seed.js"];

/// What the seed program runs against.
#[derive(Debug)]
pub enum Target {
    /// A deployed sandbox (AWS credentials come from the environment).
    Sandbox(BackendIdentifier),
    /// The running `ampx dev`, as this sandbox, whose certificate Node must trust.
    Dev { id: BackendIdentifier, ca_cert: PathBuf },
}

/// Runs the seed program of the project in `cwd` against `target`.
pub fn run(cwd: &Path, target: &Target) -> Result<()> {
    let script = find_script(cwd)?;
    let mut cmd = runner(cwd, &script)?;
    let id = match target {
        Target::Sandbox(id) => id,
        Target::Dev { id, ca_cert } => {
            cmd.env("NODE_EXTRA_CA_CERTS", ca_cert);
            id
        }
    };
    cmd.current_dir(cwd).env("AMPLIFY_BACKEND_IDENTIFIER", identifier_json(id));
    let shown = script.strip_prefix(cwd).unwrap_or(&script).display().to_string();
    eprintln!("[seed] running {shown} against {}", describe(target));
    let status = cmd.status().map_err(|e| Error::Seed(format!("cannot start the seed program {shown}: {e}")))?;
    if !status.success() {
        let how = status.code().map(|c| format!("exit code {c}")).unwrap_or_else(|| "killed by a signal".into());
        return Err(Error::Seed(format!("{shown} failed ({how}); fix it and run the seed again")));
    }
    eprintln!("[seed] done");
    Ok(())
}

/// The sandbox identifier as Amplify's tools read it from the environment.
pub fn identifier_json(id: &BackendIdentifier) -> String {
    json!({ "namespace": id.namespace, "name": id.name, "type": "sandbox" }).to_string()
}

/// `ampx sandbox seed generate-policy`: the IAM policy a seed program needs
/// against the deployed sandbox `id`, as Amplify's command writes it: creating
/// users and adding them to groups in its user pool, and reading and writing
/// its secrets and the app's shared ones.
pub async fn policy(aws: &Aws, id: &BackendIdentifier) -> Result<serde_json::Value> {
    let stack = id.stack_name();
    let Some(deployed) = deployed::describe(aws, &stack).await? else {
        return Err(Error::StackNotFound {
            stack,
            region: aws.region.clone(),
            hint: format!("deploy it with `ampx sandbox --identifier {}`", id.name),
        });
    };
    let (Some(pool), Some(region)) = (deployed.outputs.get("userPoolId"), deployed.outputs.get("authRegion")) else {
        return Err(Error::Seed(format!(
            "the sandbox {} has no auth (define_auth), so a seed program has no users to create; add auth and deploy",
            id.name
        )));
    };
    let account = aws.account().await?;
    let partition = aws.partition();
    let secrets = id.secret_prefix();
    let shared = id.shared_secret_path("");
    Ok(json!({
        "Statement": [
            {
                "Action": ["cognito-idp:AdminCreateUser", "cognito-idp:AdminAddUserToGroup"],
                "Effect": "Allow",
                "Resource": format!("arn:{partition}:cognito-idp:{region}:{account}:userpool/{pool}"),
            },
            {
                "Action": ["ssm:PutParameter", "ssm:GetParameter"],
                "Effect": "Allow",
                "Resource": [
                    format!("arn:{partition}:ssm:*:*:parameter{secrets}*"),
                    format!("arn:{partition}:ssm:*:*:parameter{shared}*"),
                ],
            },
        ],
        "Version": "2012-10-17",
    }))
}

fn describe(target: &Target) -> String {
    match target {
        Target::Sandbox(id) => format!("sandbox {} ({})", id.name, id.stack_name()),
        Target::Dev { id, .. } => format!("ampx dev (sandbox {})", id.name),
    }
}

fn find_script(cwd: &Path) -> Result<PathBuf> {
    SCRIPTS.iter().map(|s| cwd.join(s)).find(|p| p.is_file()).ok_or_else(|| {
        Error::Seed(format!(
            "there is no seed program: write one at {} (it runs with tsx, as Amplify's `ampx sandbox seed` runs it; \
             .mjs and .js run with node)",
            cwd.join(SCRIPTS[0]).display()
        ))
    })
}

/// `tsx` for TypeScript (the project's, else one on PATH), `node` for JavaScript.
fn runner(cwd: &Path, script: &Path) -> Result<Command> {
    let typescript = script.extension().is_some_and(|e| e == "ts" || e == "mts");
    if !typescript {
        let mut cmd = Command::new("node");
        cmd.arg(script);
        return Ok(cmd);
    }
    let local = cwd.ancestors().map(|d| d.join("node_modules/.bin/tsx")).find(|p| p.is_file());
    let tsx = match local {
        Some(path) => path,
        None if on_path("tsx") => PathBuf::from("tsx"),
        None => {
            return Err(Error::Seed(format!(
                "{} is TypeScript and needs tsx to run: `npm install --save-dev tsx` in {}",
                script.display(),
                cwd.display()
            )))
        }
    };
    let mut cmd = Command::new(tsx);
    cmd.arg(script);
    Ok(cmd)
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|paths| std::env::split_paths(&paths).any(|d| d.join(program).is_file()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_identifier_reads_as_amplifys() {
        let id = BackendIdentifier::sandbox("chatapp", "dev");
        let v: serde_json::Value = serde_json::from_str(&identifier_json(&id)).unwrap();
        assert_eq!(v, json!({"namespace": "chatapp", "name": "dev", "type": "sandbox"}));
    }

    #[test]
    fn a_missing_program_names_where_to_write_it() {
        let dir = tempfile::tempdir().unwrap();
        let e = find_script(dir.path()).unwrap_err().to_string();
        assert!(e.contains("amplify/seed/seed.ts") && e.contains("tsx"), "{e}");
        std::fs::create_dir_all(dir.path().join("amplify/seed")).unwrap();
        std::fs::write(dir.path().join("amplify/seed/seed.mjs"), "").unwrap();
        assert!(find_script(dir.path()).unwrap().ends_with("seed.mjs"));
        std::fs::write(dir.path().join("amplify/seed/seed.ts"), "").unwrap();
        assert!(find_script(dir.path()).unwrap().ends_with("seed.ts"), "TypeScript first, as Amplify");
    }
}
