//! Insta snapshots of every template of every example, next to the meaning tests.

mod support;

#[test]
fn every_template_of_every_example_matches_its_snapshot() {
    for example in support::examples() {
        let dir = tempfile::tempdir().unwrap();
        let assembly = support::synth_into(&example, dir.path());
        for stack in &assembly.stacks {
            let name = format!("{}__{}", example.name, stack.construct_path.replace('/', "_"));
            insta::assert_json_snapshot!(name, stack.template);
        }
    }
}
