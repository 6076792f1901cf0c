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
