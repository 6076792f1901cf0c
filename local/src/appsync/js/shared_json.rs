//! [`SharedJson`]: a part of `ctx` that every resolver run of a request
//! shares (`identity`, `request.headers`, `env`): cloned by reference and
//! turned into JSON text once, however many fields the request resolves.

use std::sync::{Arc, OnceLock};

use serde_json::Value;

/// A JSON value with its text made on first use.
///
/// ```
/// use local::appsync::js::SharedJson;
/// use serde_json::json;
///
/// let env = SharedJson::from(json!({"STAGE": "dev"}));
/// assert_eq!(env.text(), r#"{"STAGE":"dev"}"#);
/// assert_eq!(env.value()["STAGE"], "dev");
/// ```
#[derive(Clone, Debug, Default)]
pub struct SharedJson(Arc<Inner>);

#[derive(Debug, Default)]
struct Inner {
    value: Value,
    text: OnceLock<String>,
}

impl SharedJson {
    /// The value.
    pub fn value(&self) -> &Value {
        &self.0.value
    }

    /// The value as JSON text (made once).
    pub fn text(&self) -> &str {
        // A Value always serializes.
        self.0.text.get_or_init(|| serde_json::to_string(&self.0.value).unwrap_or_default())
    }
}

impl From<Value> for SharedJson {
    fn from(value: Value) -> SharedJson {
        SharedJson(Arc::new(Inner { value, text: OnceLock::new() }))
    }
}

impl PartialEq for SharedJson {
    fn eq(&self, other: &SharedJson) -> bool {
        Arc::ptr_eq(&self.0, &other.0) || self.0.value == other.0.value
    }
}
