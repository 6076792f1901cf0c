//! cfn-lint finds no error in the templates of a backend using every storage
//! feature, as a sandbox (auto-delete) and as a branch.

use crate::lint_support;
use crate::storage_support;

use std::path::PathBuf;

use amplify_backend::storage::{access, define_storage, StorageAction::*, StorageProps, StorageTriggers};
use amplify_backend::Backend;
use lint_support::cfn_lint_errors;
use storage_support::*;

fn everything(deployment_type: &str, outdir: PathBuf) -> Backend<impl Sized> {
    let thumbnails = function("make-thumbnail");
    let reader = function("report-reader");
    let media = define_storage(StorageProps {
        name: "media".into(),
        access: access(|allow| {
            [
                ("photos/*", vec![allow.authenticated.to([Read, Write]), allow.guest.to([Read])]),
                ("photos/private/*", vec![allow.groups(["ADMINS"]).to([Read, Write, Delete])]),
                (
                    "profile/{entity_id}/*",
                    vec![allow.guest.to([Read]), allow.entity("identity").to([Read, Write, Delete])],
                ),
                ("thumbnails/*", vec![allow.resource(&thumbnails).to([Read, Write])]),
                ("reports/*", vec![allow.resource(&reader).to([Read])]),
            ]
        }),
        triggers: StorageTriggers { on_upload: Some(thumbnails.clone()), on_delete: Some(thumbnails.clone()) },
        ..Default::default()
    });
    let archive = define_storage(StorageProps {
        name: "archive".into(),
        is_default: true,
        versioned: true,
        access: access(|allow| [("old/*", vec![allow.groups(["ADMINS"]).to([Read])])]),
        ..Default::default()
    });
    Backend::build(
        app_with(deployment_type, Some(outdir)),
        (auth_with_groups(&["ADMINS"]), media, archive, thumbnails, reader),
    )
}

#[test]
fn cfn_lint_reports_no_errors_for_sandboxes_and_branches() {
    for deployment_type in ["sandbox", "branch"] {
        let dir = scratch_dir(&format!("lint-{deployment_type}"));
        let backend = everything(deployment_type, dir.clone());
        let assembly = backend.synth().unwrap_or_else(|e| panic!("{e}"));
        let files: Vec<PathBuf> = assembly.stacks.iter().map(|s| dir.join(&s.template_file)).collect();
        assert!(files.len() >= 3, "root, auth, storage (and maybe function): {files:?}");
        let errors = cfn_lint_errors(&files);
        assert!(errors.is_empty(), "{deployment_type}: cfn-lint errors:\n{}", errors.join("\n"));
    }
}
