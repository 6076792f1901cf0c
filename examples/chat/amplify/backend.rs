//! The chat app's backend, as Amplify Gen 2 declares it in `amplify/backend.ts`.

#[path = "functions/announce/resource.rs"]
pub mod announce;
#[path = "auth/resource.rs"]
pub mod auth;
#[path = "data/resource.rs"]
pub mod data;
#[path = "functions/fibonacci/resource.rs"]
pub mod fibonacci;
#[path = "custom/location_map.rs"]
pub mod location_map;
#[path = "functions/post-confirmation/resource.rs"]
pub mod post_confirmation;
#[path = "functions/say-hello/resource.rs"]
pub mod say_hello;
#[path = "storage/resource.rs"]
pub mod storage;

use amplify_backend::auth::{Auth, AuthDefinition};
use amplify_backend::data::{Data, DataErrors};
use amplify_backend::function::{Function, FunctionDefinition};
use amplify_backend::storage::Bucket;
use amplify_backend::Backend;
use constructs::App;

/// What the backend built, as `backend(..).parts()` hands it back: auth, data,
/// the `media` bucket, the say-hello function, the post-confirmation trigger,
/// and the announce (data access) and fibonacci (Rust) functions.
pub type Parts = (Auth, Result<Data, DataErrors>, Bucket, Function, Function, Function, Function);

/// Builds the backend in `app` (the binary passes `App::new()`, which follows the
/// app protocol; tests pass an app with explicit context).
pub fn backend(app: App) -> Backend<Parts> {
    backend_with_auth(app, auth::auth)
}

/// [`backend`] with another auth, made from the post-confirmation trigger
/// (tests give it user pool groups, for example).
pub fn backend_with_auth(app: App, auth: impl FnOnce(&FunctionDefinition) -> AuthDefinition) -> Backend<Parts> {
    let say_hello = say_hello::say_hello();
    let post_confirmation = post_confirmation::post_confirmation();
    let announce = announce::announce();
    let fibonacci = fibonacci::fibonacci();
    let backend = Backend::build(
        app,
        (
            auth(&post_confirmation),
            data::data(&say_hello, &announce, &fibonacci),
            storage::storage(&say_hello),
            say_hello,
            post_confirmation,
            announce,
            fibonacci,
        ),
    );
    location_map::add_location_map(&backend);
    backend
}
