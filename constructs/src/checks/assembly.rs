//! Checks across the whole assembly, before anything is written: stack names and
//! export names are unique (CloudFormation's namespaces are the account and
//! region), and every file name fits the file systems' 255 bytes.

use std::collections::HashMap;

use serde_json::Value as Json;

use crate::assembly::StackArtifact;
use crate::codes;
use crate::error::Diagnostic;
use crate::synth::Stacks;

/// The longest file name most file systems take, in bytes.
pub const MAX_FILE_NAME_BYTES: usize = 255;
/// The longest export name CloudFormation takes.
pub const MAX_EXPORT_NAME: usize = 255;

/// Duplicate stack and export names and over-long file names, each at the
/// construct that causes it.
pub(crate) fn assembly_checks(stacks: &Stacks, artifacts: &[StackArtifact]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut names: HashMap<&str, &str> = HashMap::new();
    for a in artifacts.iter().filter(|a| !a.nested) {
        if let Some(first) = names.insert(&a.stack_name, &a.construct_path) {
            out.push(
                Diagnostic::error(
                    codes::DUPLICATE_STACK_NAME,
                    format!("stack name '{}' is already used by stack '{first}'", a.stack_name),
                    "give one of the stacks another id or StackProps::stack_name",
                )
                .at(&a.construct_path),
            );
        }
    }
    for a in artifacts {
        let mut files = vec![a.template_file.clone()];
        if !a.nested {
            files.push(format!("{}.assets.json", a.artifact_id));
        }
        for f in files {
            if f.len() > MAX_FILE_NAME_BYTES {
                out.push(
                    Diagnostic::error(
                        codes::FILE_NAME_TOO_LONG,
                        format!(
                            "the assembly file '{f}' would be {} bytes long, over the {MAX_FILE_NAME_BYTES} bytes a file name can have",
                            f.len()
                        ),
                        "shorten the ids of this stack and the constructs around it",
                    )
                    .at(&a.construct_path),
                );
            }
        }
    }
    let mut exports: HashMap<String, String> = HashMap::new();
    for (si, a) in stacks.ids().zip(artifacts) {
        let outputs = a.template.get("Outputs").and_then(Json::as_object);
        for (lid, o) in outputs.into_iter().flatten() {
            let Some(name) = o.get("Export").and_then(|e| e.get("Name")).and_then(Json::as_str) else { continue };
            let path = stacks.path_of_logical_id(si, lid).unwrap_or_else(|| format!("{}/{lid}", a.construct_path));
            if name.len() > MAX_EXPORT_NAME
                || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b':' || b == b'-')
            {
                out.push(
                    Diagnostic::error(
                        codes::INVALID_EXPORT_NAME,
                        format!("export name '{name}' is invalid"),
                        "use 1 to 255 letters, digits, ':' and '-'",
                    )
                    .at(&path),
                );
            }
            if let Some(first) = exports.insert(name.to_string(), path.clone()) {
                out.push(
                    Diagnostic::error(
                        codes::DUPLICATE_EXPORT,
                        format!("export name '{name}' is already exported by '{first}'"),
                        "export names are unique in an account and region: give one of the outputs another export name",
                    )
                    .at(&path),
                );
            }
        }
    }
    out
}
