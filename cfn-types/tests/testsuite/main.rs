//! The integration tests of cfn-types, in one binary (as cargo's own `tests/testsuite`).
//! The generated samples stay in `tests/samples`, where `cfn-types/codegen` writes them.

#[rustfmt::skip]
#[path = "../samples/mod.rs"]
mod samples;

mod api;
mod bad_l1;
mod schemas;
