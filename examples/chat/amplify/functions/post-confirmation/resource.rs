//! The auth trigger that greets each new user once they confirm their account.

use amplify_backend::function::{define_function, FunctionDefinition, FunctionProps};

pub fn post_confirmation() -> FunctionDefinition {
    define_function(FunctionProps {
        name: "post-confirmation".into(),
        entry: concat!(env!("CARGO_MANIFEST_DIR"), "/amplify/functions/post-confirmation/handler.mjs").into(),
        ..Default::default()
    })
}
