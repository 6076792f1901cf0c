//! The stable codes of the diagnostics amplify-backend reports (the construct
//! layer's are in [`constructs::codes`], the L1 property constraints' in
//! `cfn_types::codes`). Tests match codes, not message text.
//!
//! | range | what |
//! |---|---|
//! | `AMP1xx` | auth |
//! | `AMP2xx` | data |
//! | `AMP3xx` | storage |
//! | `AMP4xx` | functions |
//! | `AMP5xx` | the backend as a whole |

use constructs::Diagnostic;

/// `define_auth` props that Cognito would refuse or that contradict each other.
pub const AUTH_PROPS: &str = "AMP101";
/// An auth trigger or access grant names a function that is not in the backend.
pub const AUTH_FUNCTION: &str = "AMP102";

/// The data schema or its authorization is invalid.
pub const DATA_SCHEMA: &str = "AMP201";
/// A custom handler's APPSYNC_JS code would be refused by AppSync (a syntax
/// error, or a feature the runtime does not support).
pub const DATA_RESOLVER_CODE: &str = "AMP204";
/// Data's logging settings are invalid.
pub const DATA_LOGGING: &str = "AMP203";

/// A bucket's name, access rules or default flag is invalid.
pub const STORAGE_PROPS: &str = "AMP301";

/// A function's props, entry or build is invalid.
pub const FUNCTION_PROPS: &str = "AMP401";

/// Two categories need each other, or a function cannot be placed.
pub const BACKEND_PLACEMENT: &str = "AMP501";
/// The backend identifier (context) is invalid.
pub const BACKEND_IDENTIFIER: &str = "AMP502";
/// `add_output` or `create_stack` was misused.
pub const BACKEND_CUSTOM: &str = "AMP503";
/// `amplify_outputs.json` cannot be built from the root stack.
pub const OUTPUTS: &str = "AMP504";
/// Auth or data is defined twice in one backend.
pub const DEFINED_TWICE: &str = "AMP505";

/// Diagnostics for messages written as `what is wrong; how to fix it`: the
/// text after the last `; ` is the fix.
pub(crate) fn from_messages(code: &'static str, messages: Vec<String>) -> Vec<Diagnostic> {
    messages
        .into_iter()
        .map(|m| match m.rsplit_once("; ") {
            Some((what, fix)) => Diagnostic::error(code, what, fix),
            None => Diagnostic::error(code, m, ""),
        })
        .collect()
}
