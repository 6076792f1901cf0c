//! Where the pinned registry schemas are on this machine.

use std::path::{Path, PathBuf};

/// The registry schemas of the pinned cfn-lint: `CFN_SCHEMAS_DIR` if set, else
/// `CFN_LINT_SCHEMAS` from the environment or from `<workspace>/.tools/env`, which
/// `scripts/install-tools` writes for whatever Python the machine has.
pub fn schemas_dir(workspace: &Path) -> Result<PathBuf, String> {
    let from_env = ["CFN_SCHEMAS_DIR", "CFN_LINT_SCHEMAS"].iter().find_map(std::env::var_os);
    let dir = match from_env {
        Some(dir) => PathBuf::from(dir),
        None => {
            let env_file = workspace.join(".tools/env");
            let text = std::fs::read_to_string(&env_file)
                .map_err(|e| format!("{}: {e}; run scripts/install-tools", env_file.display()))?;
            let value = text
                .lines()
                .find_map(|l| l.strip_prefix("export CFN_LINT_SCHEMAS="))
                .ok_or_else(|| format!("{} has no CFN_LINT_SCHEMAS; run scripts/install-tools", env_file.display()))?;
            PathBuf::from(value.trim_matches('"'))
        }
    };
    if dir.join("providers/us-east-1.json").is_file() {
        Ok(dir)
    } else {
        Err(format!(
            "the CloudFormation registry schemas are not at {}: run scripts/install-tools \
             (or set CFN_SCHEMAS_DIR to cfn-lint's cfnlint/data/schemas)",
            dir.display()
        ))
    }
}
