//! An embedded, persistent store with DynamoDB's semantics, spoken to in
//! DynamoDB's own JSON request and response shapes.
