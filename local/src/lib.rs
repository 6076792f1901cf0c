//! `ampx dev`'s local services. They run a synthesized cloud assembly (its
//! templates, GraphQL schema, resolver code, tables and user pools) on 127.0.0.1,
//! so a frontend and the real Amplify client can use the backend with no AWS
//! account. One module per emulated service (`lambda` runs the functions); none of them knows how the assembly
//! was built (this crate reads the assembly format, never amplify-backend's
//! builders).

pub mod appsync;
pub mod assembly;
pub mod backend;
pub mod cognito;
pub mod dynamodb;
pub mod identity;
pub mod lambda;
pub mod s3;
