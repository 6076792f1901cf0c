//! The chat schema: a chat has many messages; each user sees only their own.

use amplify_backend::data::{a, define_data, AuthorizationModes, DataDefinition, DataProps};

pub fn data() -> DataDefinition {
    let schema = a::schema! {
        Chat: a::model([("name", a::string()), ("messages", a::has_many("Message", "chatId"))])
            .authorization(|allow| [allow.owner()]),
        Message: a::model([("text", a::string()), ("chatId", a::id()), ("chat", a::belongs_to("Chat", "chatId"))])
            .authorization(|allow| [allow.owner()]),
    };
    define_data(DataProps { schema, authorization_modes: AuthorizationModes::user_pool(), ..Default::default() })
}
