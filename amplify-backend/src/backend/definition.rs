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

/// Where each function goes: in the stack of a category it both serves and uses
/// (a trigger that also manages users lives with auth), else in `function`. When
/// two categories both need it, the first wins and synthesis reports any cycle left.
pub(crate) fn place_functions(links: &[FunctionLink]) -> std::collections::HashMap<String, String> {
    let mut out = std::collections::HashMap::new();
    for l in links {
        let both = links.iter().any(|m| m.function == l.function && m.stack == l.stack && m.category_uses_function)
            && links.iter().any(|m| m.function == l.function && m.stack == l.stack && m.function_uses_category);
        if both {
            out.entry(l.function.clone()).or_insert_with(|| l.stack.clone());
        }
    }
    out
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

#[cfg(test)]
mod tests {
    use super::*;

    fn link(f: &str, stack: &str, uses: bool, used: bool) -> FunctionLink {
        FunctionLink {
            function: f.into(),
            stack: stack.into(),
            category_uses_function: uses,
            function_uses_category: used,
        }
    }

    #[test]
    fn a_function_that_serves_and_uses_a_category_goes_with_it() {
        let p = place_functions(&[
            link("trigger", "auth", true, false),
            link("trigger", "auth", false, true),
            link("reader", "data", false, true),
            link("resolver", "data", true, false),
        ]);
        assert_eq!(p.get("trigger").map(String::as_str), Some("auth"));
        assert_eq!(p.get("reader"), None);
        assert_eq!(p.get("resolver"), None);
    }
}
