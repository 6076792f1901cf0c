//! A function with data access: it creates chats through the data API with
//! its own IAM credentials (the schema grants it `allow.resource`).

use amplify_backend::entry;
use amplify_backend::function::{define_function, FunctionDefinition, FunctionProps};

pub fn start_chat() -> FunctionDefinition {
    define_function(FunctionProps { name: "start-chat".into(), entry: entry!("handler.ts"), ..Default::default() })
}
