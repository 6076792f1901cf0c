//! The chat schema: a chat has many messages; each user sees only their own.
//! `sayHello` is answered by the say-hello function, `fibonacci` by a Rust
//! function, and `startChat` by start-chat, which the schema lets create chats
//! through the API (`allow.resource`).

use amplify_backend::data::{a, define_data, AuthorizationModes, DataDefinition, DataProps, ResourceOperation};
use amplify_backend::function::FunctionDefinition;

pub fn data(
    say_hello: &FunctionDefinition,
    start_chat: &FunctionDefinition,
    fibonacci: &FunctionDefinition,
) -> DataDefinition {
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
        fibonacci: a::query()
            .arguments([("n", a::integer().required())])
            .returns(a::integer())
            .handler(a::handler::function(fibonacci))
            .authorization(|allow| [allow.authenticated()]),
        startChat: a::mutation()
            .arguments([("name", a::string())])
            .returns(a::id())
            .handler(a::handler::function(start_chat))
            .authorization(|allow| [allow.authenticated()]),
    }
    .authorization(|allow| [allow.resource(start_chat).to([ResourceOperation::Mutate])]);
    define_data(DataProps { schema, authorization_modes: AuthorizationModes::user_pool(), ..Default::default() })
}
