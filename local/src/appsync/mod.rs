//! The data API: AppSync's GraphQL endpoint and realtime protocol over the
//! assembly's schema and resolvers.

pub mod js;
