//! A `media` bucket: signed-in users read and write photos.

use amplify_backend::storage::{access, define_storage, StorageAction::*, StorageDefinition, StorageProps};

pub fn storage() -> StorageDefinition {
    define_storage(StorageProps {
        name: "media".into(),
        access: access(|allow| [("photos/*", vec![allow.authenticated.to([Read, Write])])]),
        ..Default::default()
    })
}
