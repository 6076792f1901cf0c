//! Resource references through SSM Parameter Store: how a category hands a value
//! to a function that must not refer to the category's stack (a trigger that
//! also reads data, see `backend::placement`). The category publishes the value
//! as a `String` parameter at [`BackendIdentifier::resource_reference_path`]; the
//! function lists that path in `AMPLIFY_SSM_ENV_CONFIG`, as it does a secret, and
//! its generated loader sets the variable before the handler is imported.

use cfn_types::ssm::parameter::{CfnParameter, CfnParameterProps, Type};
use constructs::{Construct, IConstruct, Value};

use super::secret::SsmEntry;
use crate::BackendIdentifier;

/// The variable `getAmplifyDataClientConfig` reads the GraphQL endpoint from.
pub const DATA_GRAPHQL_ENDPOINT: &str = "AMPLIFY_DATA_GRAPHQL_ENDPOINT";

/// Where the function finds `variable`: one path (a reference has no value
/// shared between branches, so the shared path is the same one, which the
/// loader then asks for at most once more).
pub(crate) fn ssm_entry(identifier: &BackendIdentifier, variable: &str) -> SsmEntry {
    let path = identifier.resource_reference_path(variable);
    SsmEntry { path: path.clone(), shared_path: path }
}

/// Publishes `value` for the functions that read `variable` through SSM: an
/// `AWS::SSM::Parameter` (`String`) at `<scope>/<variable>Parameter/Resource`,
/// Amplify's construct path.
pub fn publish(scope: &impl IConstruct, identifier: &BackendIdentifier, variable: &str, value: Value) -> CfnParameter {
    let holder = Construct::new(scope, &format!("{variable}Parameter"));
    CfnParameter::new(
        &holder,
        "Resource",
        CfnParameterProps {
            name: Some(identifier.resource_reference_path(variable).into()),
            r#type: Type::String.into(),
            value: value.into(),
            ..Default::default()
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_entry_names_the_reference_path_once() {
        let e = ssm_entry(&BackendIdentifier::branch("d1abcdefghij", "main"), DATA_GRAPHQL_ENDPOINT);
        assert_eq!(
            e.path,
            "/amplify/resource_reference/d1abcdefghij/main-branch-f18f4af6ac/AMPLIFY_DATA_GRAPHQL_ENDPOINT"
        );
        assert_eq!(e.shared_path, e.path);
    }
}
