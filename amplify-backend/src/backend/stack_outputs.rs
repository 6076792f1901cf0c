//! The root stack's outputs and the `AWS::Amplify::*` metadata groups that list
//! them: what `ampx generate outputs` turns into `amplify_outputs.json`.

use std::cell::RefCell;

use constructs::{cfn, CfnOutput, CfnOutputProps, IConstruct, Stack, Value};
use indexmap::IndexMap;

/// The outputs of the root stack, by metadata group.
#[derive(Default)]
pub(crate) struct StackOutputs {
    groups: RefCell<IndexMap<String, Vec<String>>>,
}

impl StackOutputs {
    /// Adds outputs under a group (`AWS::Amplify::Auth`, ...); an output already
    /// there is replaced.
    pub(crate) fn add(&self, root: &Stack, group: &str, outputs: Vec<(String, Value)>) {
        let mut groups = self.groups.borrow_mut();
        let names = groups.entry(group.to_string()).or_default();
        for (name, value) in outputs {
            match root.node().try_find_child(&name).and_then(|n| CfnOutput::of(&n)) {
                Some(existing) => existing.set_value(value),
                None => {
                    CfnOutput::new(root, &name, CfnOutputProps { value, ..Default::default() });
                }
            }
            if !names.contains(&name) {
                names.push(name);
            }
        }
        let metadata = cfn!({"version": "1", "stackOutputs": (names.clone())});
        root.add_template_metadata(group, metadata);
    }
}
