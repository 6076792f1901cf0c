//! Insta snapshots of every template of every example, next to the meaning tests.

use crate::support;

#[test]
fn every_template_of_every_example_matches_its_snapshot() {
    for example in support::examples() {
        let dir = tempfile::tempdir().unwrap();
        let assembly = support::synth_into(&example, dir.path());
        for stack in &assembly.stacks {
            let name = format!("templates__{}__{}", example.name, stack.construct_path.replace('/', "_"));
            // The snapshots keep the names and the folder they had when this
            // file was a test binary of its own.
            insta::with_settings!({snapshot_path => "../snapshots", prepend_module_to_snapshot => false}, {
                insta::assert_json_snapshot!(name, stack.template);
            });
        }
    }
}
