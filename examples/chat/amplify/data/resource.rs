//! The chat schema: a chat has many messages; each user sees only their own.
//! Announcements are for everyone to read, guests included, and are posted
//! through `announce`, whose function the schema lets create them
//! (`allow.resource`). `sayHello` is answered by the say-hello function,
//! `fibonacci` by a Rust function.

use amplify_backend::data::{
    a, define_data, AuthorizationModes, DataDefinition, DataProps, Operation, ResourceOperation,
};
use amplify_backend::function::FunctionDefinition;

pub fn data(
    say_hello: &FunctionDefinition,
    announce: &FunctionDefinition,
    fibonacci: &FunctionDefinition,
) -> DataDefinition {
    let schema = a::schema! {
        Chat: a::model([("name", a::string()), ("messages", a::has_many("Message", "chatId"))])
            .authorization(|allow| [allow.owner()]),
        Message: a::model([("text", a::string()), ("chatId", a::id()), ("chat", a::belongs_to("Chat", "chatId"))])
            .authorization(|allow| [allow.owner()]),
        Announcement: a::model([("text", a::string().required()), ("author", a::string())])
            .authorization(|allow| [allow.guest().to([Operation::Read]), allow.authenticated().to([Operation::Read])]),
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
        announce: a::mutation()
            .arguments([("text", a::string().required())])
            .returns(a::id())
            .handler(a::handler::function(announce))
            .authorization(|allow| [allow.authenticated()]),
    }
    .authorization(|allow| [allow.resource(announce).to([ResourceOperation::Mutate])]);
    define_data(DataProps { schema, authorization_modes: AuthorizationModes::user_pool(), ..Default::default() })
}
