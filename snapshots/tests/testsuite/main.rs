//! The snapshot and template-level tests of every example, in one binary (as
//! cargo's own `tests/testsuite`); the shared `support` module is declared once.

mod support;

mod appsync_lint;
mod checkov;
mod judges;
mod meaning;
mod meaning_chat;
mod templates;
