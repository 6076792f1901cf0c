//! A `media` bucket: signed-in users read and write photos, which the say-hello
//! function may read; everyone sees profile pictures, and only their owner
//! changes them.

use amplify_backend::function::FunctionDefinition;
use amplify_backend::storage::{access, define_storage, StorageAction::*, StorageDefinition, StorageProps};

pub fn storage(say_hello: &FunctionDefinition) -> StorageDefinition {
    define_storage(StorageProps {
        name: "media".into(),
        access: access(|allow| {
            [
                ("photos/*", vec![allow.authenticated.to([Read, Write]), allow.resource(say_hello).to([Read])]),
                (
                    "profile-pictures/{entity_id}/*",
                    vec![allow.guest.to([Read]), allow.entity("identity").to([Read, Write, Delete])],
                ),
            ]
        }),
        ..Default::default()
    })
}
