//! Backend identifiers and the names Amplify derives from them: the root stack
//! name and the SSM path of secrets.

use sha2::{Digest, Sha512};

/// What kind of deployment a backend is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DeploymentType {
    /// A developer's own cloud sandbox.
    Sandbox,
    /// A Git branch deployment.
    Branch,
}

impl DeploymentType {
    /// `sandbox` or `branch`, as in stack names and context.
    pub fn as_str(self) -> &'static str {
        match self {
            DeploymentType::Sandbox => "sandbox",
            DeploymentType::Branch => "branch",
        }
    }

    /// Parses `sandbox` or `branch`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "sandbox" => Some(DeploymentType::Sandbox),
            "branch" => Some(DeploymentType::Branch),
            _ => None,
        }
    }
}

/// Identifies one deployment of a backend: for a sandbox the namespace is the
/// project and the name the developer; for a branch, the app id and the branch.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct BackendIdentifier {
    /// The project (sandbox) or Amplify app id (branch).
    pub namespace: String,
    /// The developer (sandbox) or branch name (branch).
    pub name: String,
    /// Sandbox or branch.
    pub deployment_type: DeploymentType,
}

/// Most characters a stack name may have.
const MAX_STACK_NAME: usize = 128;
/// Most characters kept from the name.
const MAX_NAME: usize = 50;

impl BackendIdentifier {
    /// A sandbox identifier.
    pub fn sandbox(namespace: &str, name: &str) -> Self {
        BackendIdentifier { namespace: namespace.into(), name: name.into(), deployment_type: DeploymentType::Sandbox }
    }

    /// A branch identifier.
    pub fn branch(app_id: &str, branch: &str) -> Self {
        BackendIdentifier { namespace: app_id.into(), name: branch.into(), deployment_type: DeploymentType::Branch }
    }

    /// The first 10 hex digits of the SHA-512 of namespace and name.
    pub fn hash(&self) -> String {
        let digest = Sha512::digest(format!("{}{}", self.namespace, self.name).as_bytes());
        constructs::names::hex(&digest[..5])
    }

    /// The root stack name, with Amplify's algorithm.
    ///
    /// ```
    /// use amplify_backend::BackendIdentifier;
    /// assert_eq!(BackendIdentifier::sandbox("chatapp", "dev").stack_name(), "amplify-chatapp-dev-sandbox-de98f094bc");
    /// assert_eq!(BackendIdentifier::branch("d1abcdefghij", "main").stack_name(), "amplify-d1abcdefghij-main-branch-f18f4af6ac");
    /// ```
    pub fn stack_name(&self) -> String {
        let name: String = alphanumeric(&self.name).chars().take(MAX_NAME).collect();
        let kind = self.deployment_type.as_str();
        let hash = self.hash();
        // amplify-<ns>-<name>-<kind>-<hash>: the namespace gets what is left.
        let fixed = "amplify-".len() + 1 + name.len() + 1 + kind.len() + 1 + hash.len();
        let namespace: String =
            alphanumeric(&self.namespace).chars().take(MAX_STACK_NAME.saturating_sub(fixed)).collect();
        format!("amplify-{namespace}-{name}-{kind}-{hash}")
    }

    /// The SSM parameter path of a secret of this backend.
    ///
    /// ```
    /// use amplify_backend::BackendIdentifier;
    /// let id = BackendIdentifier::sandbox("chatapp", "dev");
    /// assert_eq!(id.secret_path("API_KEY"), "/amplify/chatapp/dev-sandbox-de98f094bc/API_KEY");
    /// ```
    pub fn secret_path(&self, secret: &str) -> String {
        format!("{}{secret}", self.secret_prefix())
    }

    /// The SSM path under which all of this backend's secrets live (ends with `/`).
    pub fn secret_prefix(&self) -> String {
        format!("/amplify/{}/{}-{}-{}/", self.namespace, self.name, self.deployment_type.as_str(), self.hash())
    }

    /// The SSM path where a category publishes a value for this backend's
    /// functions to read at run time (Amplify's resource references), e.g. data's
    /// GraphQL endpoint for a trigger that cannot refer to the data stack. It is
    /// Amplify's layout: `resource_reference` stands where secrets have the
    /// namespace, with one segment more, so a secret name (no `/`) never lands on it.
    ///
    /// ```
    /// use amplify_backend::BackendIdentifier;
    /// let id = BackendIdentifier::sandbox("chatapp", "dev");
    /// assert_eq!(
    ///     id.resource_reference_path("AMPLIFY_DATA_GRAPHQL_ENDPOINT"),
    ///     "/amplify/resource_reference/chatapp/dev-sandbox-de98f094bc/AMPLIFY_DATA_GRAPHQL_ENDPOINT"
    /// );
    /// ```
    pub fn resource_reference_path(&self, variable: &str) -> String {
        format!(
            "/amplify/resource_reference/{}/{}-{}-{}/{variable}",
            self.namespace,
            self.name,
            self.deployment_type.as_str(),
            self.hash()
        )
    }

    /// The SSM path of a secret shared by every branch of an app.
    pub fn shared_secret_path(&self, secret: &str) -> String {
        format!("/amplify/shared/{}/{secret}", self.namespace)
    }
}

fn alphanumeric(s: &str) -> String {
    s.chars().filter(char::is_ascii_alphanumeric).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_examples() {
        assert_eq!(BackendIdentifier::sandbox("chatapp", "dev").stack_name(), "amplify-chatapp-dev-sandbox-de98f094bc");
        assert_eq!(
            BackendIdentifier::branch("d1abcdefghij", "main").stack_name(),
            "amplify-d1abcdefghij-main-branch-f18f4af6ac"
        );
    }

    #[test]
    fn long_and_odd_names_are_cut_to_128() {
        let id = BackendIdentifier::branch(&"n".repeat(200), &format!("feature/{}", "x".repeat(80)));
        let name = id.stack_name();
        assert_eq!(name.len(), 128);
        assert!(name.contains(&format!("-feature{}-branch-", "x".repeat(43))));
        assert!(name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
    }
}
