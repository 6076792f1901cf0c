//! A function with data access: it posts announcements through the data API
//! with its own IAM credentials (the schema grants it `allow.resource`).

use amplify_backend::entry;
use amplify_backend::function::{define_function, FunctionDefinition, FunctionProps};

pub fn announce() -> FunctionDefinition {
    define_function(FunctionProps { name: "announce".into(), entry: entry!("handler.ts"), ..Default::default() })
}
