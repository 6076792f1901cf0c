//! What `define_backend` accepts (category definitions, as a tuple) and what it
//! hands back: the built part of each definition, in the same shape.

use super::{Backend, Category};

/// A category definition (`define_auth(..)`, `define_function(..)`, ...) that the
/// backend builds into constructs.
pub trait Definition {
    /// What the backend hands back once it is built (`Auth`, `Function`, ...).
    type Built;

    /// The category it builds.
    fn category(&self) -> Category;

    /// The categories whose built parts it reads while it builds (functions to
    /// wire, auth's roles): every definition of those is built first.
    fn needs(&self) -> &'static [Category] {
        &[]
    }

    /// Adds the category's constructs to the backend.
    fn build(self, backend: &mut Backend) -> Self::Built;

    /// How this category and functions refer to each other (triggers, resolvers,
    /// access grants), so that each function lands in a stack without a cycle.
    fn function_links(&self) -> Vec<FunctionLink> {
        Vec::new()
    }

    /// The categories whose nested stacks this category's stack refers to,
    /// whatever functions do (data and storage refer to auth's user pool and
    /// roles). Function placement avoids cycles through them.
    fn stack_dependencies(&self) -> Vec<Category> {
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

/// A reference between a nested stack and a function.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FunctionLink {
    /// The function's name.
    pub function: String,
    /// The nested stack (a category's, or a function's `resource_group_name`).
    pub stack: String,
    /// The stack refers to the function (a trigger, a resolver).
    pub category_uses_function: bool,
    /// The function refers to the stack (an access grant, an environment value).
    pub function_uses_category: bool,
}

impl FunctionLink {
    /// `category` calls the function (a trigger, a resolver).
    pub fn called_by(function: &str, category: Category) -> FunctionLink {
        FunctionLink {
            function: function.to_string(),
            stack: category.stack_name().to_string(),
            category_uses_function: true,
            function_uses_category: false,
        }
    }

    /// The function uses `category` (an access grant, an environment value).
    pub fn uses(function: &str, category: Category) -> FunctionLink {
        FunctionLink {
            function: function.to_string(),
            stack: category.stack_name().to_string(),
            category_uses_function: false,
            function_uses_category: true,
        }
    }
}

/// What `define_backend` takes: a definition, or a tuple (or `Vec`) of them,
/// nested as you like. [`Backend::parts`] hands back the built parts in the same
/// shape: `define_backend((auth, data))` gives `(Auth, Result<Data, DataErrors>)`.
pub trait IntoDefinitions {
    /// The built parts, in the shape of the definitions.
    type Built;
    #[doc(hidden)]
    type Slots: slots::Slots<Built = Self::Built>;
    #[doc(hidden)]
    fn into_slots(self) -> Self::Slots;
}

/// The machinery between definitions and their built parts: each definition
/// waits in a slot until its turn in the build order, then its part waits there
/// until every definition is built.
#[doc(hidden)]
pub mod slots {
    use super::{Backend, Category, Definition, FunctionLink};

    /// Definitions in their slots.
    pub trait Slots {
        /// The built parts.
        type Built;
        /// Each definition not built yet, in the order given.
        fn pending(&mut self) -> Vec<&mut dyn Pending>;
        /// The built parts, once every pending definition is built.
        fn finish(self) -> Self::Built;
    }

    /// One definition, type erased, for the backend to order and build.
    pub trait Pending {
        /// [`Definition::category`].
        fn category(&self) -> Category;
        /// [`Definition::needs`].
        fn needs(&self) -> &'static [Category];
        /// [`Definition::function_links`].
        fn function_links(&self) -> Vec<FunctionLink>;
        /// [`Definition::stack_dependencies`].
        fn stack_dependencies(&self) -> Vec<Category>;
        /// [`Definition::ssm_environment_loaders`].
        fn ssm_environment_loaders(&self) -> Vec<String>;
        /// Builds the definition into its slot.
        fn build(&mut self, backend: &mut Backend);
    }

    /// A definition, then its built part.
    pub enum Slot<D: Definition> {
        /// Not built yet.
        Defined(D),
        /// Built.
        Built(D::Built),
        /// Only while it builds.
        Building,
    }

    impl<D: Definition> Slot<D> {
        fn definition(&self) -> &D {
            match self {
                Slot::Defined(d) => d,
                _ => unreachable!("a definition is read only before it is built"),
            }
        }
    }

    impl<D: Definition> Pending for Slot<D> {
        fn category(&self) -> Category {
            self.definition().category()
        }
        fn needs(&self) -> &'static [Category] {
            self.definition().needs()
        }
        fn function_links(&self) -> Vec<FunctionLink> {
            self.definition().function_links()
        }
        fn stack_dependencies(&self) -> Vec<Category> {
            self.definition().stack_dependencies()
        }
        fn ssm_environment_loaders(&self) -> Vec<String> {
            self.definition().ssm_environment_loaders()
        }
        fn build(&mut self, backend: &mut Backend) {
            if let Slot::Defined(d) = std::mem::replace(self, Slot::Building) {
                *self = Slot::Built(d.build(backend));
            }
        }
    }

    impl<D: Definition> Slots for Slot<D> {
        type Built = D::Built;
        fn pending(&mut self) -> Vec<&mut dyn Pending> {
            vec![self]
        }
        fn finish(self) -> D::Built {
            match self {
                Slot::Built(b) => b,
                _ => unreachable!("the backend builds every definition"),
            }
        }
    }

    impl Slots for () {
        type Built = ();
        fn pending(&mut self) -> Vec<&mut dyn Pending> {
            Vec::new()
        }
        fn finish(self) {}
    }

    impl<S: Slots> Slots for Vec<S> {
        type Built = Vec<S::Built>;
        fn pending(&mut self) -> Vec<&mut dyn Pending> {
            self.iter_mut().flat_map(Slots::pending).collect()
        }
        fn finish(self) -> Self::Built {
            self.into_iter().map(Slots::finish).collect()
        }
    }
}

impl<D: Definition> IntoDefinitions for D {
    type Built = D::Built;
    type Slots = slots::Slot<D>;
    fn into_slots(self) -> Self::Slots {
        slots::Slot::Defined(self)
    }
}

impl IntoDefinitions for () {
    type Built = ();
    type Slots = ();
    fn into_slots(self) {}
}

impl<D: IntoDefinitions> IntoDefinitions for Vec<D> {
    type Built = Vec<D::Built>;
    type Slots = Vec<D::Slots>;
    fn into_slots(self) -> Self::Slots {
        self.into_iter().map(IntoDefinitions::into_slots).collect()
    }
}

/// A tuple of definitions builds into the tuple of their parts.
macro_rules! tuple_definitions {
    ($($name:ident),+) => {
        impl<$($name: IntoDefinitions),+> IntoDefinitions for ($($name,)+) {
            type Built = ($($name::Built,)+);
            type Slots = ($($name::Slots,)+);
            #[allow(non_snake_case)]
            fn into_slots(self) -> Self::Slots {
                let ($($name,)+) = self;
                ($($name.into_slots(),)+)
            }
        }

        impl<$($name: slots::Slots),+> slots::Slots for ($($name,)+) {
            type Built = ($($name::Built,)+);
            #[allow(non_snake_case)]
            fn pending(&mut self) -> Vec<&mut dyn slots::Pending> {
                let ($($name,)+) = self;
                let mut all = Vec::new();
                $(all.extend($name.pending());)+
                all
            }
            #[allow(non_snake_case)]
            fn finish(self) -> Self::Built {
                let ($($name,)+) = self;
                ($($name.finish(),)+)
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
