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
//! | [`aws`], [`credentials`], [`reach`], [`bootstrap`] | clients, credentials, region, endpoint; the CDK bootstrap |
//! | [`failures`] | what a failed call means, and what to do |
//! | [`publish`] | uploading file assets |
//! | [`deployed`] | what CloudFormation has |
//! | [`changeset`], [`deploy`], [`verify`] | change sets, deploying stack by stack, checking what is there |
//! | [`events`], [`progress`], [`interrupt`] | following a deployment; Ctrl-C |
//! | [`destructive`], [`index_updates`] | stateful resources that a change would replace or delete; DynamoDB's one-index-per-update rule |
//! | [`hotswap`], [`intrinsics`], [`swapped`] | code-only changes applied in place, and remembered |
//! | [`sandbox`], [`sandbox_record`], [`watch`], [`sources`], [`pipeline`] | the deployment commands; what counts as a change |
//! | [`secrets`], [`prompt`] | secrets in SSM, read without echo |
//! | [`outputs`] | `amplify_outputs.json` |
//! | [`dev`] | `ampx dev`: the backend served locally by the `local` crate |
//! | [`console`] | `ampx console`: the web console over a deployed sandbox |
//! | [`codegen`] | frontend types and GraphQL statements from the assembly |
//! | [`errors`] | what can go wrong, and what to do |

pub mod assembly;
pub mod aws;
pub mod bootstrap;
pub mod changeset;
pub mod cli;
pub mod codegen;
pub mod commands;
pub mod console;
pub mod credentials;
pub mod deploy;
pub mod deployed;
pub mod destructive;
pub mod dev;
pub mod dev_invoke;
pub mod dev_secret;
pub mod errors;
pub mod events;
pub mod exclude;
pub mod failures;
#[cfg(test)]
mod fake_aws;
pub mod function_logs;
pub mod hotswap;
pub mod index_updates;
pub mod info;
pub mod interrupt;
pub mod intrinsics;
pub mod outputs;
pub mod pipeline;
pub mod progress;
pub mod project;
pub mod prompt;
pub mod publish;
pub mod reach;
pub mod sandbox;
pub mod sandbox_record;
pub mod secrets;
pub mod seed;
pub mod sources;
pub mod swapped;
pub mod synth;
pub mod verify;
pub mod watch;

pub use errors::{Error, Result};
