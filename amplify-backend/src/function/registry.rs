//! `Functions`: the backend's built functions, by name, for the categories that
//! trigger them or grant them access.

use indexmap::IndexMap;

use super::function::Function;

/// The functions of a backend, in the order they were built
/// ([`Backend::functions`](crate::Backend::functions)).
#[derive(Default, Debug)]
pub struct Functions {
    by_name: IndexMap<String, Function>,
}

impl Functions {
    /// A function by its name in the backend.
    pub fn get(&self, name: &str) -> Option<&Function> {
        self.by_name.get(name)
    }

    /// Every function.
    pub fn iter(&self) -> impl Iterator<Item = &Function> {
        self.by_name.values()
    }

    /// How many functions there are.
    pub fn len(&self) -> usize {
        self.by_name.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.by_name.is_empty()
    }

    /// Adds a function; `false` (and nothing added) if the name is taken.
    pub(crate) fn insert(&mut self, function: Function) -> bool {
        if self.by_name.contains_key(function.name()) {
            return false;
        }
        self.by_name.insert(function.name().to_string(), function);
        true
    }
}
