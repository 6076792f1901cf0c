//! The integration tests of amplify-function-runtime: one binary.

mod moto;
mod secrets_moto;
