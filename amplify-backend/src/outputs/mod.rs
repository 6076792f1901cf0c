//! `amplify_outputs.json`: the file that tells a frontend how to reach its
//! Amplify backend.
//!
//! - [`AmplifyOutputs`] and the types under it model format version 1.5, field
//!   for field. [`AmplifyOutputs::json_schema`] derives the JSON Schema from
//!   them; it matches the schema Amplify publishes for its client libraries.
//! - [`from_stack_outputs`] builds the file from a deployed root stack's outputs
//!   and template metadata (what `ampx generate outputs` does).
//! - [`from_template`] builds it from a synthesized template, with placeholders
//!   for values that only deployment will tell.
//! - [`AmplifyOutputs::to_json_pretty`] writes it, and
//!   [`AmplifyOutputs::to_json_pretty_as`] writes an older [`FormatVersion`].
//!
//! ```
//! use amplify_backend::outputs::AmplifyOutputs;
//!
//! let empty = AmplifyOutputs::default();
//! assert_eq!(empty.to_json_pretty(), "{\n  \"version\": \"1.5\"\n}\n");
//! ```

mod build;
mod error;
mod from_stack;
mod from_template;
mod metadata;
mod model;
mod schema;
mod source;
mod versions;

pub use build::{MODEL_INTROSPECTION_OUTPUT, MODEL_INTROSPECTION_S3_URI_OUTPUT, MODEL_SCHEMA_S3_URI_OUTPUT};
pub use error::OutputsError;
pub use from_stack::from_stack_outputs;
pub use from_template::from_template;
pub use model::{
    AmazonConnect, AmazonPinpoint, AmplifyOutputs, Analytics, Auth, AuthorizationType, Data, Geo, GeoCollection,
    GeoMaps, IdentityProvider, LocationMapConfig, MfaConfiguration, MfaMethod, Notifications, OAuth, OAuthResponseType,
    OutputsVersion, PasswordPolicy, Passwordless, PinpointChannel, PreferredChallenge, StandardAttribute, Storage,
    StorageAccessAction, StorageAccessRule, StorageBucket, UserGroupConfig, UsernameAttribute, VerificationType,
    WebAuthn, WebAuthnUserVerification,
};
pub use versions::{FormatVersion, UnknownFormatVersion};

impl AmplifyOutputs {
    /// The file's text: JSON indented by two spaces, fields in schema order,
    /// absent fields left out, ending with a newline.
    pub fn to_json_pretty(&self) -> String {
        let mut text = serde_json::to_string_pretty(self)
            .expect("AmplifyOutputs serializes infallibly: every map key is a string");
        text.push('\n');
        text
    }
}
