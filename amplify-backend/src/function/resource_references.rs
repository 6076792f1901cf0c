//! Amplify's resource references: SSM parameters through which a category tells
//! functions (and any other tool that knows the naming) where its resources are.
//!
//! As Amplify Gen 2 writes them:
//! - **where**: a `String` parameter at
//!   `/amplify/resource_reference/<namespace>/<name>-<type>-<hash>/<VARIABLE>`
//!   ([`BackendIdentifier::resource_reference_path`]), construct
//!   `<category stack>/<VARIABLE>Parameter/Resource`;
//! - **which**: data always publishes `<D>_GRAPHQL_ENDPOINT`,
//!   `<D>_MODEL_INTROSPECTION_SCHEMA_BUCKET_NAME`, `<D>_MODEL_INTROSPECTION_SCHEMA_KEY`
//!   and `AMPLIFY_DATA_DEFAULT_NAME` (see [`data_references`]); storage with access
//!   rules publishes `<NAME>_BUCKET_NAME`; auth with access grants
//!   `<NAME>_USERPOOL_ID`. Variable names are Amplify's screaming snake case
//!   ([`variable_name`]);
//! - **a function granted access** lists each reference in
//!   `AMPLIFY_SSM_ENV_CONFIG` as `{"path": ...}` (no `sharedPath`: references are
//!   never shared between branches) and may `ssm:GetParameters` on exactly those
//!   parameters, so Amplify's loader (or ours, or a handler's own) fills the
//!   variable at start-up.
//!
//! One deliberate difference: where a direct reference closes no cycle, the
//! variable also holds the value itself instead of Amplify's placeholder, so
//! handlers without a loader (Rust, directories) read it too; a loader replaces
//! it with the same value from SSM.

use cfn_types::ssm::parameter::{CfnParameter, CfnParameterProps, Type};
use constructs::{Construct, IConstruct, Value};

use super::secret::{SsmEntry, SECRET_PLACEHOLDER};
use super::Function;
use crate::BackendIdentifier;

/// The variable `getAmplifyDataClientConfig` reads the GraphQL endpoint from
/// (data with Amplify's default name).
pub const DATA_GRAPHQL_ENDPOINT: &str = "AMPLIFY_DATA_GRAPHQL_ENDPOINT";

/// The variable naming the data resource whose `<NAME>_*` variables a function
/// reads (`getAmplifyDataClientConfig` upper-snakes it).
pub const DATA_DEFAULT_NAME: &str = "AMPLIFY_DATA_DEFAULT_NAME";

/// Amplify's default name for data.
const DATA_DEFAULT: &str = "amplifyData";

/// A value published in SSM for the backend's functions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceReference {
    /// The environment variable a function reads it from.
    pub variable: String,
    /// The SSM parameter's name.
    pub path: String,
}

/// Amplify's screaming snake case for reference names (lodash's `snakeCase`,
/// upper-cased): words split at `_`, `-` and other non-alphanumerics, between a
/// lower-case letter and a capital, before the capital that starts a word after
/// an acronym, and around digits. `myAuth2_USERPOOL_ID` -> `MY_AUTH_2_USERPOOL_ID`,
/// `HTTPServer` -> `HTTP_SERVER`.
pub fn variable_name(raw: &str) -> String {
    let chars: Vec<char> = raw.chars().collect();
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            continue;
        }
        // Compare with the character as written (the word holds it upper-cased).
        if let Some(prev) = (!word.is_empty()).then(|| chars[i - 1]) {
            let next_lower = chars.get(i + 1).is_some_and(char::is_ascii_lowercase);
            let breaks = prev.is_ascii_digit() != c.is_ascii_digit()
                || (prev.is_ascii_lowercase() && c.is_ascii_uppercase())
                || (prev.is_ascii_uppercase() && c.is_ascii_uppercase() && next_lower);
            if breaks {
                words.push(std::mem::take(&mut word));
            }
        }
        word.push(c.to_ascii_uppercase());
    }
    if !word.is_empty() {
        words.push(word);
    }
    words.join("_")
}

/// The reference to `variable` of this backend.
pub fn reference(identifier: &BackendIdentifier, variable: &str) -> ResourceReference {
    ResourceReference { variable: variable.to_string(), path: identifier.resource_reference_path(variable) }
}

/// The `AMPLIFY_SSM_ENV_CONFIG` entry of a reference: its one path.
pub(crate) fn ssm_entry(identifier: &BackendIdentifier, variable: &str) -> SsmEntry {
    SsmEntry { path: identifier.resource_reference_path(variable), shared_path: None }
}

/// Publishes `value` as the `String` parameter of `variable`, at
/// `<scope>/<variable>Parameter/Resource` (Amplify's construct path). Publishing
/// the same variable in the same scope again keeps the first parameter.
pub fn publish(
    scope: &impl IConstruct,
    identifier: &BackendIdentifier,
    variable: &str,
    value: Value,
) -> ResourceReference {
    let id = format!("{variable}Parameter");
    if scope.node().try_find_child(&id).is_none() {
        let holder = Construct::new(scope, &id);
        CfnParameter::new(
            &holder,
            "Resource",
            CfnParameterProps {
                name: Some(identifier.resource_reference_path(variable).into()),
                r#type: Type::String.into(),
                value: value.into(),
                ..Default::default()
            },
        );
    }
    reference(identifier, variable)
}

/// Publishes each `(variable, value)` in `scope` and returns the references.
pub fn publish_all(
    scope: &impl IConstruct,
    identifier: &BackendIdentifier,
    values: Vec<(String, Value)>,
) -> Vec<(ResourceReference, Value)> {
    values.into_iter().map(|(variable, value)| (publish(scope, identifier, &variable, value.clone()), value)).collect()
}

/// The references data named `data_name` publishes, with their values, as
/// Amplify's data does: for its default name `amplifyData`, the `AMPLIFY_DATA_*`
/// variables; for another name, `AMPLIFY_DATA<NAME>_*` (so that
/// `getAmplifyDataClientConfig`, which upper-snakes `AMPLIFY_DATA_DEFAULT_NAME`,
/// finds them) and the older `<NAME>_GRAPHQL_ENDPOINT`.
pub fn data_references(
    data_name: &str,
    graphql_url: Value,
    introspection_bucket: Value,
    introspection_key: Value,
) -> Vec<(String, Value)> {
    let full = if data_name == DATA_DEFAULT { data_name.to_string() } else { format!("{DATA_DEFAULT}{data_name}") };
    let mut out = vec![
        (variable_name(&format!("{full}_GRAPHQL_ENDPOINT")), graphql_url.clone()),
        (variable_name(&format!("{full}_MODEL_INTROSPECTION_SCHEMA_BUCKET_NAME")), introspection_bucket),
        (variable_name(&format!("{full}_MODEL_INTROSPECTION_SCHEMA_KEY")), introspection_key),
        (DATA_DEFAULT_NAME.to_string(), Value::from(full.as_str())),
    ];
    let legacy = variable_name(&format!("{data_name}_GRAPHQL_ENDPOINT"));
    if legacy != out[0].0 {
        out.push((legacy, graphql_url));
    }
    out
}

/// Gives `function` a published reference: the path in its
/// `AMPLIFY_SSM_ENV_CONFIG` and `ssm:GetParameters` on it. The variable holds
/// `direct` when the function may refer to the value's stack; when it may not
/// (`None`: the category already refers to the function), it holds Amplify's
/// placeholder if the code carries a loader, and is left unset otherwise (the
/// handler can still read the path from `AMPLIFY_SSM_ENV_CONFIG`).
pub fn accept(function: &Function, reference: &ResourceReference, direct: Option<Value>) {
    let entry = SsmEntry { path: reference.path.clone(), shared_path: None };
    let value = match direct {
        Some(v) => Some(v),
        None if function.has_loader() => Some(SECRET_PLACEHOLDER.into()),
        None => None,
    };
    function.read_at_start_up(&reference.variable, entry, value);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_amplifys_screaming_snake_case() {
        // Each pair as lodash.snakecase(x).toUpperCase() gave it (Amplify's NamingConverter).
        for (raw, expected) in [
            ("myAuth2_USERPOOL_ID", "MY_AUTH_2_USERPOOL_ID"),
            ("my-drive2_BUCKET_NAME", "MY_DRIVE_2_BUCKET_NAME"),
            ("userFiles_BUCKET_NAME", "USER_FILES_BUCKET_NAME"),
            ("amplifyDatachat_GRAPHQL_ENDPOINT", "AMPLIFY_DATACHAT_GRAPHQL_ENDPOINT"),
            ("amplifyData_GRAPHQL_ENDPOINT", "AMPLIFY_DATA_GRAPHQL_ENDPOINT"),
            ("media_BUCKET_NAME", "MEDIA_BUCKET_NAME"),
            ("AMPLIFY_DATA_DEFAULT_NAME", "AMPLIFY_DATA_DEFAULT_NAME"),
            ("amplifyDataMyAPI_GRAPHQL_ENDPOINT", "AMPLIFY_DATA_MY_API_GRAPHQL_ENDPOINT"),
            ("s3Bucket_BUCKET_NAME", "S_3_BUCKET_BUCKET_NAME"),
            ("HTTPServer_X", "HTTP_SERVER_X"),
        ] {
            assert_eq!(variable_name(raw), expected, "{raw}");
        }
    }

    #[test]
    fn data_with_another_name_is_prefixed_and_keeps_the_old_endpoint_name() {
        let names = |n: &str| -> Vec<String> {
            data_references(n, "u".into(), "b".into(), "k".into()).into_iter().map(|(v, _)| v).collect()
        };
        assert_eq!(
            names("amplifyData"),
            [
                "AMPLIFY_DATA_GRAPHQL_ENDPOINT",
                "AMPLIFY_DATA_MODEL_INTROSPECTION_SCHEMA_BUCKET_NAME",
                "AMPLIFY_DATA_MODEL_INTROSPECTION_SCHEMA_KEY",
                "AMPLIFY_DATA_DEFAULT_NAME"
            ]
        );
        assert_eq!(
            names("chat"),
            [
                "AMPLIFY_DATACHAT_GRAPHQL_ENDPOINT",
                "AMPLIFY_DATACHAT_MODEL_INTROSPECTION_SCHEMA_BUCKET_NAME",
                "AMPLIFY_DATACHAT_MODEL_INTROSPECTION_SCHEMA_KEY",
                "AMPLIFY_DATA_DEFAULT_NAME",
                "CHAT_GRAPHQL_ENDPOINT"
            ]
        );
    }

    #[test]
    fn the_entry_names_the_reference_path_once() {
        let e = ssm_entry(&BackendIdentifier::branch("d1abcdefghij", "main"), DATA_GRAPHQL_ENDPOINT);
        assert_eq!(
            e.path,
            "/amplify/resource_reference/d1abcdefghij/main-branch-f18f4af6ac/AMPLIFY_DATA_GRAPHQL_ENDPOINT"
        );
        assert_eq!(e.shared_path, None);
    }
}
