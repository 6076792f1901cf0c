//! Rust types for every section of `amplify_outputs.json`, one file per section.
//!
//! Enum variants carry plain comments rather than doc comments: schemars turns
//! documented variants into a `oneOf` list, where the reference schema has a
//! plain `enum`.

mod analytics;
mod auth;
pub(crate) mod common;
mod data;
mod geo;
mod notifications;
mod root;
mod storage;
mod version;

pub use analytics::{AmazonPinpoint, Analytics};
pub use auth::{
    Auth, IdentityProvider, MfaConfiguration, MfaMethod, OAuth, OAuthResponseType, PasswordPolicy, Passwordless,
    PreferredChallenge, StandardAttribute, UserGroupConfig, UsernameAttribute, VerificationType, WebAuthn,
    WebAuthnUserVerification,
};
pub use data::{AuthorizationType, Data};
pub use geo::{Geo, GeoCollection, GeoMaps, LocationMapConfig};
pub use notifications::{AmazonConnect, Notifications, PinpointChannel};
pub use root::AmplifyOutputs;
pub use storage::{Storage, StorageAccessAction, StorageAccessRule, StorageBucket};
pub use version::OutputsVersion;
