//! Normalized authorization rules.

use crate::data::auth_modes::AuthMode;
use crate::data::schema::auth_rule::{Operation, Provider, ResourceOperation};

/// What a rule grants access to, once its field and provider are settled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RuleKind {
    /// Anyone with the API key (Amplify's `public` with `apiKey`).
    Public,
    /// Unauthenticated identity-pool users (Amplify's `public` with `iam`).
    Guest,
    /// Signed-in users (Amplify's `private`).
    Authenticated,
    /// The owner(s) named in `field`.
    Owner {
        /// The owner field.
        field: String,
        /// Whether it lists several owners.
        multi: bool,
    },
    /// Members of these groups.
    Groups(Vec<String>),
    /// Members of the group(s) named in `field`.
    GroupsDefinedIn {
        /// The group field.
        field: String,
        /// Whether it lists several groups.
        multi: bool,
    },
    /// The Lambda authorizer.
    Custom,
}

/// A rule with its provider and operations settled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rule {
    /// What it grants.
    pub kind: RuleKind,
    /// Who proves the caller's identity.
    pub provider: Provider,
    /// Whether the provider was the strategy's default (introspection then omits it
    /// for `authenticated`, as Amplify does).
    pub default_provider: bool,
    /// The operations it allows (`create, update, delete, read` when not limited).
    pub operations: Vec<Operation>,
    /// The claim that identifies an owner (`None`: `sub::username`).
    pub identity_claim: Option<String>,
    /// The claim that lists the caller's groups (`None`: `cognito:groups`).
    pub group_claim: Option<String>,
}

impl Rule {
    /// Whether the rule allows `operation`.
    pub fn allows(&self, operation: Operation) -> bool {
        self.operations.iter().any(|o| o.covers(operation))
    }

    /// The AppSync mode requests it admits arrive with.
    pub fn mode(&self) -> AuthMode {
        provider_mode(self.provider)
    }

    /// Whether it depends on the item (owner and group-field rules).
    pub fn is_item_level(&self) -> bool {
        matches!(self.kind, RuleKind::Owner { .. } | RuleKind::GroupsDefinedIn { .. })
    }

    /// The owner field of an owner rule whose identity claim joins claims with `::`
    /// (the default, `sub::username`). Such fields are read as the part after the
    /// last `::`, as Amplify's owner field resolver reads them.
    pub fn owner_field_read_as_username(&self) -> Option<&str> {
        match &self.kind {
            RuleKind::Owner { field, .. } if self.identity_claim.as_deref().is_none_or(|c| c.contains("::")) => {
                Some(field)
            }
            _ => None,
        }
    }

    /// The field it reads from items, if any, and whether that field is a list.
    pub fn auth_field(&self) -> Option<(&str, bool)> {
        match &self.kind {
            RuleKind::Owner { field, multi } | RuleKind::GroupsDefinedIn { field, multi } => Some((field, *multi)),
            _ => None,
        }
    }
}

/// The AppSync mode of a provider.
pub fn provider_mode(provider: Provider) -> AuthMode {
    match provider {
        Provider::UserPools => AuthMode::UserPool,
        Provider::IdentityPool => AuthMode::Iam,
        Provider::Oidc => AuthMode::Oidc,
        Provider::ApiKey => AuthMode::ApiKey,
        Provider::Function => AuthMode::Lambda,
    }
}

/// A function given IAM access to the API by `allow.resource(...)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FunctionAccess {
    /// The function's `define_function` name.
    pub function: String,
    /// What it may do.
    pub operations: Vec<ResourceOperation>,
}
