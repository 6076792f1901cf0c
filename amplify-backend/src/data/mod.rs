//! `define_data`: the data schema (built with [`a`]), validated into an AppSync
//! GraphQL API with DynamoDB tables, APPSYNC_JS resolvers that enforce the
//! authorization rules, and the model introspection the JS client reads.
//!
//! The chat schema of Amplify's getting-started guide, in Rust:
//!
//! ```
//! use amplify_backend::data::{a, define_data, AuthorizationModes, DataContext, DataProps};
//!
//! let schema = a::schema([
//!     ("Chat", a::model([("name", a::string()), ("messages", a::has_many("Message", "chatId"))])
//!         .authorization(|allow| [allow.owner()])),
//!     ("Message", a::model([
//!         ("text", a::string()),
//!         ("chatId", a::id()),
//!         ("chat", a::belongs_to("Chat", "chatId")),
//!     ])
//!     .authorization(|allow| [allow.owner()])),
//! ]);
//! let data = define_data(DataProps {
//!     schema,
//!     authorization_modes: AuthorizationModes::user_pool(),
//!     ..Default::default()
//! });
//! let api = data.compile(&DataContext::with_auth()).unwrap();
//! assert!(api.sdl().contains("listChats(filter: ModelChatFilterInput"));
//! assert_eq!(api.model_introspection()["models"]["Chat"]["pluralName"], "Chats");
//! ```
//!
//! The pipeline: [`validate()`] turns a [`Schema`] into an [`ir::Ir`] (or every error at
//! once); [`sdl`], [`introspection`] and [`resolvers`] generate from the IR, with no
//! CloudFormation involved; [`stack`] builds the resources in a backend
//! (`define_backend((auth, data))`), handed back by `backend.parts()`.
//!
//! Where it differs from Amplify:
//!
//! - No DataStore sync queries and no OpenSearch (`searchable`): a rule that lists
//!   `Operation::Sync` or `Operation::Search` is a validation error naming the rule
//!   (`Operation::Read` stays valid and covers every read).
//! - DynamoDB creates or deletes one global secondary index per table update. Amplify
//!   applies index changes one at a time through a custom resource; here ampx
//!   compares the deployed template with the new one before every update and
//!   names each table whose indexes change more than that (add or remove one
//!   secondary index or has_many/has_one field per deployment).
//! - No `stackMappings`: each resource's stack follows from its own name (see
//!   `stack::shards`), so templates stay within CloudFormation's limits without
//!   hand placement, and no schema change moves a table to another stack (which
//!   CloudFormation would do by deleting it).
//! - The model introspection schema is a root stack output, or, above 64 KB, an S3
//!   object whose `s3://` URI is the output; `ampx generate outputs` (and the sandbox)
//!   download it, so `amplify_outputs.json` always holds the schema itself.

pub mod a;
mod added;
/// The APPSYNC_JS check custom handlers' code goes through (the `appsync-js` crate).
pub use appsync_js;
pub mod auth_modes;
mod define;
pub mod error;
pub mod introspection;
pub mod ir;
pub mod logging;
pub mod naming;
pub mod resolvers;
pub mod schema;
pub mod sdl;
mod sources;
pub mod stack;
pub mod validate;

pub use added::{AddedFunction, AddedResolver, AddedResolverKind};
pub use auth_modes::{
    ApiKeyAuthorizationMode, AuthMode, AuthorizationModes, DataContext, EnabledModes, LambdaAuthorizationMode,
    OidcAuthorizationMode,
};
pub use define::{define_data, CompiledData, DataDefinition, DataProps};
pub use error::{DataError, DataErrors};
pub use logging::{DataLogging, FieldLogLevel};
pub use schema::auth_rule::{Allow, AuthRule, Operation, Provider, ResourceOperation};
pub use schema::custom_operation::{
    CustomOperation, DataSourceRef, Handler, JsCode, ModelMutation, OperationType, SubscriptionSource,
};
pub use schema::custom_type::CustomType;
pub use schema::enum_type::EnumType;
pub use schema::field::{DefaultValue, Field, FieldKind, Scalar};
pub use schema::index::{Projection, SecondaryIndex};
pub use schema::model::{Model, ModelOperation};
pub use schema::relationship::{Relationship, RelationshipKind};
pub use schema::validation::{ValidationKind, ValidationRule, Validations};
pub use schema::{Schema, SchemaItem};
pub use sources::{DataSourceDefinition, HttpDataSourceOptions, SigV4Signing};
pub use stack::{Data, DataResources};
pub use validate::validate;
