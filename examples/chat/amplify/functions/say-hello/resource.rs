//! A small TypeScript function, bundled with esbuild as Amplify bundles it.

use amplify_backend::entry;
use amplify_backend::function::{define_function, FunctionDefinition, FunctionProps};

pub fn say_hello() -> FunctionDefinition {
    define_function(FunctionProps {
        name: "say-hello".into(),
        // Next to this file, however the program is started (Amplify's `entry: './handler.ts'`).
        entry: entry!("handler.ts"),
        ..Default::default()
    })
}
