//! Amplify Gen 2 backends in Rust.

mod identifier;

pub use identifier::{BackendIdentifier, DeploymentType};
