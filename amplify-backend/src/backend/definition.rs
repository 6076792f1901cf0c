//! What `define_backend` accepts: category definitions, as a tuple.

use super::Backend;

/// A category definition (`define_auth(..)`, `define_function(..)`, ...) that the
/// backend builds into constructs.
pub trait Definition {
    /// Categories are built in this order, so that later ones can use earlier
    /// ones (functions, then auth, data, storage).
    fn order(&self) -> u32;
    /// Adds the category's constructs to the backend.
    fn build(self: Box<Self>, backend: &mut Backend);

    /// How this category and functions refer to each other (triggers, resolvers,
    /// access grants), so that each function lands in a stack without a cycle.
    fn function_links(&self) -> Vec<FunctionLink> {
        Vec::new()
    }

    /// The nested stacks this category's stack refers to, whatever functions do
    /// (data and storage refer to auth's user pool and roles), as
    /// `(this stack, the stack it refers to)`. Function placement avoids cycles
    /// through them.
    fn stack_dependencies(&self) -> Vec<(String, String)> {
        Vec::new()
    }

    /// The functions of this definition whose code loads `AMPLIFY_SSM_ENV_CONFIG`
    /// before the handler runs (single-file Node.js and Python handlers, which get
    /// the generated loader). When no placement avoids a cycle, data hands them
    /// its endpoint through SSM Parameter Store instead of a reference.
    fn ssm_environment_loaders(&self) -> Vec<String> {
        Vec::new()
    }
}

/// A reference between a category's nested stack and a function.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FunctionLink {
    /// The function's name.
    pub function: String,
    /// The category's nested stack (`auth`, `data`, `storage`).
    pub stack: String,
    /// The category refers to the function (a trigger, a resolver).
    pub category_uses_function: bool,
    /// The function refers to the category (an access grant, an environment value).
    pub function_uses_category: bool,
}

/// A tuple of definitions, as `define_backend((auth, data, storage, say_hello))`.
pub trait IntoDefinitions {
    /// The definitions, boxed.
    fn into_definitions(self) -> Vec<Box<dyn Definition>>;
}

impl IntoDefinitions for () {
    fn into_definitions(self) -> Vec<Box<dyn Definition>> {
        Vec::new()
    }
}

impl IntoDefinitions for Vec<Box<dyn Definition>> {
    fn into_definitions(self) -> Vec<Box<dyn Definition>> {
        self
    }
}

macro_rules! tuple_definitions {
    ($($name:ident),+) => {
        impl<$($name: Definition + 'static),+> IntoDefinitions for ($($name,)+) {
            #[allow(non_snake_case)]
            fn into_definitions(self) -> Vec<Box<dyn Definition>> {
                let ($($name,)+) = self;
                vec![$(Box::new($name) as Box<dyn Definition>),+]
            }
        }
    };
}

tuple_definitions!(A);
tuple_definitions!(A, B);
tuple_definitions!(A, B, C);
tuple_definitions!(A, B, C, D);
tuple_definitions!(A, B, C, D, E);
tuple_definitions!(A, B, C, D, E, F);
tuple_definitions!(A, B, C, D, E, F, G);
tuple_definitions!(A, B, C, D, E, F, G, H);
tuple_definitions!(A, B, C, D, E, F, G, H, I);
tuple_definitions!(A, B, C, D, E, F, G, H, I, J);
