//! The chat schema: a chat has many messages; each user sees only their own.
//! `sayHello` is answered by the say-hello function.

use amplify_backend::data::{a, define_data, AuthorizationModes, DataDefinition, DataProps};
use amplify_backend::function::FunctionDefinition;

pub fn data(say_hello: &FunctionDefinition) -> DataDefinition {
    let schema = a::schema! {
        Chat: a::model([("name", a::string()), ("messages", a::has_many("Message", "chatId"))])
            .authorization(|allow| [allow.owner()]),
        Message: a::model([("text", a::string()), ("chatId", a::id()), ("chat", a::belongs_to("Chat", "chatId"))])
            .authorization(|allow| [allow.owner()]),
        sayHello: a::query()
            .arguments([("name", a::string())])
            .returns(a::string())
            .handler(a::handler::function(say_hello))
            .authorization(|allow| [allow.authenticated()]),
    };
    define_data(DataProps { schema, authorization_modes: AuthorizationModes::user_pool(), ..Default::default() })
}
