//! DynamoDB's expression language: conditions and filters, key conditions,
//! update expressions and projections, with their name and value substitutions.

pub mod ast;
pub mod eval;
pub mod key_condition;
pub mod lexer;
pub mod names;
pub mod parser;
pub mod projection;
pub mod update;
