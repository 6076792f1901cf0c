//! Amplify Gen 2 backends in Rust.

pub mod auth;
pub mod backend;
pub mod codes;
pub mod data;
pub mod function;
pub mod iam;
mod identifier;
pub mod outputs;
pub mod storage;

pub use backend::{define_backend, Backend, Category, Definition, IntoDefinitions};
pub use function::{define_function, secret, FunctionProps};
pub use identifier::{BackendIdentifier, DeploymentType};
pub use storage::{define_storage, StorageProps};
