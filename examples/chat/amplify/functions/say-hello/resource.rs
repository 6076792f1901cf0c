//! A small Node.js function, deployed as it is.

use amplify_backend::function::{define_function, FunctionDefinition, FunctionProps};

pub fn say_hello() -> FunctionDefinition {
    define_function(FunctionProps {
        name: "say-hello".into(),
        // Absolute, so the program finds its code however it is started.
        entry: concat!(env!("CARGO_MANIFEST_DIR"), "/amplify/functions/say-hello/handler.mjs").into(),
        ..Default::default()
    })
}
