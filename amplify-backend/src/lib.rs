//! Amplify Gen 2 backends in Rust.

pub mod auth;
pub mod backend;
pub mod data;
pub mod function;
pub mod iam;
mod identifier;
pub mod outputs;

pub use backend::{define_backend, Backend, Definition, IntoDefinitions};
pub use identifier::{BackendIdentifier, DeploymentType};
