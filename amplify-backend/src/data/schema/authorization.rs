//! `.authorization(|allow| [...])`, as Amplify writes it, for everything that
//! carries rules: the schema, models, fields and custom operations.

use super::auth_rule::{Allow, AuthRule};

/// Sets who may do what with a schema element. The rules of the narrower
/// element win: a field's replace its model's for that field, a model's or a
/// custom operation's replace the schema's (which is also where
/// `allow.resource(...)` gives functions access to the API).
///
/// ```
/// use amplify_backend::data::{a, Authorization, Operation};
///
/// let ssn = a::string().authorization(|allow| [allow.owner().to([Operation::Read])]);
/// let person = a::model([("ssn", ssn)]).authorization(|allow| [allow.authenticated()]);
/// # let _ = person;
/// ```
pub trait Authorization: sealed::Rules + Sized {
    /// Replaces the element's rules with those `rules` builds from [`Allow`].
    fn authorization<I>(mut self, rules: impl FnOnce(Allow) -> I) -> Self
    where
        I: IntoIterator<Item = AuthRule>,
    {
        *self.rules_mut() = rules(Allow).into_iter().collect();
        self
    }
}

impl<T: sealed::Rules> Authorization for T {}

/// Where each element keeps its rules; private, so that only schema elements
/// take `.authorization`.
pub(crate) mod sealed {
    use super::super::{custom_operation::CustomOperation, field::Field, model::Model, Schema};
    use super::AuthRule;

    /// The element's rules.
    pub trait Rules {
        /// The rules, to replace.
        fn rules_mut(&mut self) -> &mut Vec<AuthRule>;
    }

    macro_rules! rules_in_field {
        ($($t:ty),+) => {$(
            impl Rules for $t {
                fn rules_mut(&mut self) -> &mut Vec<AuthRule> {
                    &mut self.rules
                }
            }
        )+};
    }

    rules_in_field!(Schema, Model, Field, CustomOperation);
}
