//! The categories of a backend, each with its nested stack.

/// A category of the backend: what a definition builds, and the nested stack
/// its resources go in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    /// `define_function`.
    Function,
    /// `define_auth`.
    Auth,
    /// `define_data`.
    Data,
    /// `define_storage`.
    Storage,
}

impl Category {
    /// The name of the category's nested stack (`auth`, `data`, ...), as Amplify names it.
    pub const fn stack_name(self) -> &'static str {
        match self {
            Category::Function => "function",
            Category::Auth => "auth",
            Category::Data => "data",
            Category::Storage => "storage",
        }
    }
}

impl std::fmt::Display for Category {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.stack_name())
    }
}
