//! An embedded, persistent store with DynamoDB's semantics, spoken to in
//! DynamoDB's own JSON request and response shapes.

// DynamoError's public shape (two optional JSON bodies) is the contract the
// other services code against; errors are rare, so its size does not matter.
#![allow(clippy::result_large_err)]

pub mod error;
pub mod expr;
pub mod keycode;
pub mod number;
pub mod ops;
pub mod storage;
pub mod store;
pub mod table;
pub mod value;

pub use error::{DynamoError, StoreError};
pub use store::Store;
pub use table::TableDefinition;
