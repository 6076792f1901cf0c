//! Test-only crate: see `tests/`. Snapshots of every example's templates, meaning
//! tests with the assertions API, and the outside judges (cfn-lint, the CDK CLI).
