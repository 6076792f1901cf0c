//! ampx's tests, in one binary (as cargo's own `tests/testsuite`): each test
//! binary links the AWS SDK, so one link instead of six saves minutes and
//! gigabytes. Shared support modules are declared once.

mod codegen_support;
mod common;

mod codegen_client;
mod codegen_types;
mod console_aws;
mod console_aws_local;
mod console_browser;
mod dev_amplify;
mod dev_functions;
mod dev_functions_chat;
mod dev_identity;
mod dev_storage;
mod errors;
mod index_updates;
mod info;
mod moto;
mod seed;
mod synth;
