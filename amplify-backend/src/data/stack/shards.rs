//! Where resources go. A model's resources live in a nested stack of its own, inside
//! one of 16 shard stacks chosen by a hash of its name; custom operations are
//! sharded the same way, and so are the data sources of Lambda handlers (with
//! their roles and invoking functions).
//!
//! Operations shards refer to Lambda data source shards, never the other way
//! round, so two shards never need each other (which CloudFormation would
//! refuse as a circular dependency between the nested stacks).
//!
//! Placement depends only on a resource's own name, never on the rest of the
//! schema, so adding or removing models never moves a table to another stack (which
//! CloudFormation would do by deleting it and creating an empty one). Sixteen
//! shards of nested stacks keep every template far below CloudFormation's limits
//! (500 resources, 200 parameters and outputs, 1 MB) for thousands of models.

use std::cell::RefCell;

use constructs::{CfnResource, NestedStack, Stack};
use indexmap::IndexMap;
use sha2::{Digest, Sha256};

/// The shard of `name`: the first hex digit of its SHA-256 (`0`-`F`).
pub fn shard_of(name: &str) -> char {
    let digest = Sha256::digest(name.as_bytes());
    let nibble = digest[0] >> 4;
    char::from_digit(u32::from(nibble), 16).map(|c| c.to_ascii_uppercase()).unwrap_or('0')
}

/// The families of shard stacks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Family {
    /// `Models<X>`: a nested stack per model.
    Models,
    /// `Operations<X>`: custom operations.
    Operations,
    /// `LambdaSources<X>`: the data source of each Lambda handler, its role and
    /// the AppSync function that invokes it (shared by the operations it answers).
    LambdaSources,
}

impl Family {
    fn prefix(self) -> &'static str {
        match self {
            Family::Models => "Models",
            Family::Operations => "Operations",
            Family::LambdaSources => "LambdaSources",
        }
    }
}

/// Creates shard stacks on first use, each waiting for the GraphQL schema (their
/// resolvers need its types).
pub struct Shards {
    scope: constructs::Construct,
    schema: CfnResource,
    stacks: RefCell<IndexMap<String, Stack>>,
}

impl Shards {
    pub(crate) fn new(scope: &constructs::Construct, schema: CfnResource) -> Self {
        Shards { scope: scope.clone(), schema, stacks: RefCell::default() }
    }

    /// The shard stack of `family` that `name` goes in.
    pub fn stack(&self, family: Family, name: &str) -> Stack {
        let id = format!("{}{}", family.prefix(), shard_of(name));
        if let Some(s) = self.stacks.borrow().get(&id) {
            return s.clone();
        }
        let stack = NestedStack::new(&self.scope, &id);
        if let Some(resource) = stack.nested_stack_resource() {
            resource.add_depends_on(&self.schema);
        }
        self.stacks.borrow_mut().insert(id, stack.clone());
        stack
    }

    /// Every shard stack made, by id (`Models3`, ...).
    pub fn all(&self) -> IndexMap<String, Stack> {
        self.stacks.borrow().clone()
    }
}

/// The nested stack of one model, inside its shard.
pub fn model_stack(shards: &Shards, model: &str) -> Stack {
    NestedStack::new(&shards.stack(Family::Models, model), model)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_are_stable_hex_digits() {
        assert_eq!(shard_of("Chat"), shard_of("Chat"));
        let all: std::collections::HashSet<char> = (0..400).map(|i| shard_of(&format!("Model{i}"))).collect();
        assert_eq!(all.len(), 16, "names spread over the 16 shards");
        assert!(all.iter().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_lowercase()));
    }
}
