//! The integration tests of constructs, in one binary (as cargo's own `tests/testsuite`).

mod bad_programs;
mod diagnostics;
mod logical_id_vectors;
mod reference_cdk;
mod synthesis;
mod tree;
