//! A Rust function: the crate next to this file, built into a `bootstrap`
//! (for `provided.al2023` when deployed, for the host under `ampx dev`).

use amplify_backend::entry;
use amplify_backend::function::{define_function, FunctionDefinition, FunctionProps};

pub fn fibonacci() -> FunctionDefinition {
    define_function(FunctionProps { name: "fibonacci".into(), entry: entry!("."), ..Default::default() })
}
