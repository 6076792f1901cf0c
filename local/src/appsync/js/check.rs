//! The APPSYNC_JS restrictions, checked when code is loaded: the same check
//! synthesis makes of custom handlers (the `appsync-js` crate),
//! so code that loads here also deploys.

pub use appsync_js::{check, MODULES};
