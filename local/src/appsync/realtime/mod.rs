//! AppSync's realtime WebSocket protocol for GraphQL subscriptions, as the
//! Amplify client speaks it.

pub mod connection;
pub mod filter;
pub mod hub;
pub mod protocol;
pub(crate) mod shape;
