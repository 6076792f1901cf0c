//! For Rust Lambda handlers of an `amplify-backend` function: the function's
//! secrets, loaded from SSM Parameter Store as Amplify's generated loader loads
//! them for Node.js.
//!
//! A function given `secret("API_KEY")` gets the variable `API_KEY` holding a
//! placeholder and `AMPLIFY_SSM_ENV_CONFIG` naming two SSM parameters for it:
//! the branch's (or sandbox's) and the app's shared one. A Node.js or Python
//! handler gets a loader generated into its code; a Rust handler is a program of
//! its own, so it calls this crate once at start-up:
//!
//! ```no_run
//! # async fn run() -> Result<(), amplify_function_runtime::Error> {
//! let secrets = amplify_function_runtime::Secrets::load().await?;
//! let api_key = secrets.require("API_KEY")?;
//! # let _ = api_key; Ok(()) }
//! ```
//!
//! Under `ampx dev` the same call reads the local secret store, through the
//! local SSM endpoint the function is given (`AWS_ENDPOINT_URL_SSM`). The
//! function's role may read exactly its parameters; amplify-backend grants it.

mod secrets;

pub use secrets::{Error, Secrets, SSM_ENV_CONFIG};
