//! The APPSYNC_JS restrictions, checked when code is loaded: the same check
//! synthesis makes of custom handlers (`amplify_backend::data::appsync_js`),
//! so code that loads here also deploys.

pub use amplify_backend::data::appsync_js::{check, MODULES};
