//! The APPSYNC_JS resolver runtime, in an embedded JavaScript engine.
