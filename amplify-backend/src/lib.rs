//! Amplify Gen 2 backends in Rust.

pub mod backend;
mod identifier;

pub use backend::{define_backend, Backend, Definition, IntoDefinitions};
pub use identifier::{BackendIdentifier, DeploymentType};
