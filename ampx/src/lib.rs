//! `ampx`, the Amplify Gen 2 command line for Rust backends.
//!
//! It runs a backend program with the CDK app protocol to get a cloud assembly,
//! and deploys any cloud assembly with CloudFormation: assets to the bootstrap
//! bucket, a change set per changed stack, events followed until done.
//!
//! | module | concept |
//! |---|---|
//! | [`cli`], [`commands`] | the command line and what runs each command |
//! | [`synth`], [`project`] | running the backend program; finding it with Cargo |
//! | [`assembly`] | reading `manifest.json`, templates and asset manifests |
//! | [`aws`], [`bootstrap`] | clients, credentials, region, endpoint; the CDK bootstrap |
//! | [`publish`] | uploading file assets |
//! | [`deployed`] | what CloudFormation has |
//! | [`changeset`], [`deploy`] | change sets, and deploying stack by stack |
//! | [`events`], [`progress`], [`interrupt`] | following a deployment; Ctrl-C |
//! | [`destructive`] | stateful resources that a change would replace or delete |
//! | [`hotswap`], [`intrinsics`] | code-only changes applied in place |
//! | [`sandbox`], [`watch`], [`pipeline`] | the deployment commands |
//! | [`secrets`], [`prompt`] | secrets in SSM, read without echo |
//! | [`outputs`] | `amplify_outputs.json` |
//! | [`codegen`] | frontend types and GraphQL statements from the assembly |
//! | [`errors`] | what can go wrong, and what to do |

pub mod assembly;
pub mod aws;
pub mod bootstrap;
pub mod changeset;
pub mod cli;
pub mod codegen;
pub mod commands;
pub mod deploy;
pub mod deployed;
pub mod destructive;
pub mod errors;
pub mod events;
#[cfg(test)]
mod fake_aws;
pub mod hotswap;
pub mod interrupt;
pub mod intrinsics;
pub mod outputs;
pub mod pipeline;
pub mod progress;
pub mod project;
pub mod prompt;
pub mod publish;
pub mod sandbox;
pub mod secrets;
pub mod synth;
pub mod watch;

pub use errors::{Error, Result};
