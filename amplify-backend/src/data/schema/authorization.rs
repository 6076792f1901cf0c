//! `.authorization(|allow| [...])`, as Amplify writes it, for everything that
//! carries rules: the schema, models, fields and custom operations. One macro
//! writes the method for each, as an inherent method, so that users need no
//! trait in scope.

use super::auth_rule::{Allow, AuthRule};
use super::{custom_operation::CustomOperation, field::Field, model::Model, Schema};

macro_rules! authorization_method {
    ($($t:ty),+) => {$(
        impl $t {
            /// Replaces the element's rules with those `rules` builds from [`Allow`].
            /// The rules of the narrower element win: a field's replace its model's
            /// for that field, a model's or a custom operation's replace the
            /// schema's (which is also where `allow.resource(...)` gives functions
            /// access to the API).
            ///
            /// ```
            /// use amplify_backend::data::{a, Operation};
            ///
            /// let ssn = a::string().authorization(|allow| [allow.owner().to([Operation::Read])]);
            /// let person = a::model([("ssn", ssn)]).authorization(|allow| [allow.authenticated()]);
            /// # let _ = person;
            /// ```
            pub fn authorization<I>(mut self, rules: impl FnOnce(Allow) -> I) -> Self
            where
                I: IntoIterator<Item = AuthRule>,
            {
                self.rules = rules(Allow).into_iter().collect();
                self
            }
        }
    )+};
}

authorization_method!(Schema, Model, Field, CustomOperation);
