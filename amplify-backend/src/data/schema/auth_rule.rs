//! Authorization rules: `allow.owner()`, `allow.groups(["Admin"])`,
//! `allow.public_api_key()`, ... with the operations they allow and the provider that
//! proves the caller's identity.

use crate::function::FunctionRef;

/// An operation a rule allows. `Read` stands for `Get`, `List`, `Listen`, `Sync` and
/// `Search` together.
///
/// The generated API has no sync (DataStore) or search (OpenSearch) queries, so a
/// rule that lists `Sync` or `Search` itself is a validation error naming the rule;
/// `Read` stays valid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Operation {
    /// Create items.
    Create,
    /// Update items.
    Update,
    /// Delete items.
    Delete,
    /// Every read: get, list, listen, sync and search.
    Read,
    /// Get one item.
    Get,
    /// List and query items.
    List,
    /// Delta sync (DataStore); not generated, so listing it is an error.
    Sync,
    /// Subscribe to changes.
    Listen,
    /// Search (OpenSearch); not generated, so listing it is an error.
    Search,
}

impl Operation {
    /// The name Amplify uses (`create`, `read`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Operation::Create => "create",
            Operation::Update => "update",
            Operation::Delete => "delete",
            Operation::Read => "read",
            Operation::Get => "get",
            Operation::List => "list",
            Operation::Sync => "sync",
            Operation::Listen => "listen",
            Operation::Search => "search",
        }
    }

    /// Whether a rule allowing `self` allows `wanted`.
    pub fn covers(self, wanted: Operation) -> bool {
        self == wanted
            || (self == Operation::Read
                && matches!(
                    wanted,
                    Operation::Get | Operation::List | Operation::Sync | Operation::Listen | Operation::Search
                ))
    }
}

/// What a function granted access with `allow.resource(...)` may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ResourceOperation {
    /// Run queries.
    Query,
    /// Run mutations.
    Mutate,
    /// Subscribe.
    Listen,
}

impl ResourceOperation {
    /// The name Amplify uses.
    pub fn as_str(self) -> &'static str {
        match self {
            ResourceOperation::Query => "query",
            ResourceOperation::Mutate => "mutate",
            ResourceOperation::Listen => "listen",
        }
    }
}

/// Who proves the caller's identity for a rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Provider {
    /// A Cognito user pool (JWT).
    UserPools,
    /// A Cognito identity pool (IAM credentials): `identityPool` in Amplify.
    IdentityPool,
    /// An OpenID Connect provider.
    Oidc,
    /// An AppSync API key.
    ApiKey,
    /// A Lambda authorizer.
    Function,
}

impl Provider {
    /// The name Amplify's model introspection uses (`userPools`, `iam`, ...).
    pub fn introspection_name(self) -> &'static str {
        match self {
            Provider::UserPools => "userPools",
            Provider::IdentityPool => "iam",
            Provider::Oidc => "oidc",
            Provider::ApiKey => "apiKey",
            Provider::Function => "function",
        }
    }

    /// The name used in messages (`Provider::UserPools`).
    pub fn rust_name(self) -> &'static str {
        match self {
            Provider::UserPools => "Provider::UserPools",
            Provider::IdentityPool => "Provider::IdentityPool",
            Provider::Oidc => "Provider::Oidc",
            Provider::ApiKey => "Provider::ApiKey",
            Provider::Function => "Provider::Function",
        }
    }
}

/// What a rule grants access to.
#[derive(Clone, Debug, PartialEq)]
pub enum Strategy {
    /// Anyone with the API key.
    PublicApiKey,
    /// Unauthenticated identity-pool users.
    Guest,
    /// Any signed-in user.
    Authenticated,
    /// The user named in an owner field (`owner` by default); `multi` when the field
    /// is a list of owners.
    Owner {
        /// The owner field.
        field: String,
        /// Whether the field holds a list of owners.
        multi: bool,
    },
    /// Members of the listed groups.
    Groups(Vec<String>),
    /// Members of the group (or one of the groups) named in a field of the item.
    GroupsDefinedIn {
        /// The group field.
        field: String,
        /// Whether the field holds a list of groups.
        multi: bool,
    },
    /// Whatever the Lambda authorizer decides.
    Custom,
    /// A function of this backend, by name (schema-level only): it gets IAM access.
    Resource(String),
}

/// The operations a rule lists with `.to(...)`: model operations, or for
/// `allow.resource(...)` the resource operations.
#[derive(Clone, Debug, PartialEq)]
pub enum RuleOperations {
    /// Model operations.
    Model(Vec<Operation>),
    /// Resource operations.
    Resource(Vec<ResourceOperation>),
}

/// A list of operations for [`AuthRule::to`].
pub trait IntoRuleOperations {
    /// The operations.
    fn into_rule_operations(self) -> RuleOperations;
}

impl<const N: usize> IntoRuleOperations for [Operation; N] {
    fn into_rule_operations(self) -> RuleOperations {
        RuleOperations::Model(self.to_vec())
    }
}
impl IntoRuleOperations for Vec<Operation> {
    fn into_rule_operations(self) -> RuleOperations {
        RuleOperations::Model(self)
    }
}
impl IntoRuleOperations for &[Operation] {
    fn into_rule_operations(self) -> RuleOperations {
        RuleOperations::Model(self.to_vec())
    }
}
impl<const N: usize> IntoRuleOperations for [ResourceOperation; N] {
    fn into_rule_operations(self) -> RuleOperations {
        RuleOperations::Resource(self.to_vec())
    }
}
impl IntoRuleOperations for Vec<ResourceOperation> {
    fn into_rule_operations(self) -> RuleOperations {
        RuleOperations::Resource(self)
    }
}

/// One authorization rule. Made from [`Allow`] inside `.authorization(|allow| ...)`.
#[derive(Clone, Debug, PartialEq)]
pub struct AuthRule {
    pub(crate) strategy: Strategy,
    pub(crate) provider: Option<Provider>,
    pub(crate) operations: Option<RuleOperations>,
    pub(crate) identity_claim: Option<String>,
    pub(crate) group_claim: Option<String>,
}

impl AuthRule {
    fn new(strategy: Strategy) -> Self {
        AuthRule { strategy, provider: None, operations: None, identity_claim: None, group_claim: None }
    }

    /// Limits the rule to these operations (all of create, update, delete and read
    /// by default).
    ///
    /// ```
    /// use amplify_backend::data::{a, Operation};
    ///
    /// let post = a::model([("title", a::string())]).authorization(|allow| {
    ///     [allow.owner(), allow.authenticated().to([Operation::Read])]
    /// });
    /// # let _ = post;
    /// ```
    pub fn to(mut self, operations: impl IntoRuleOperations) -> Self {
        self.operations = Some(operations.into_rule_operations());
        self
    }

    /// Chooses who proves the caller's identity, when the strategy allows several:
    /// `allow.authenticated().provider(Provider::IdentityPool)` is Amplify's
    /// `allow.authenticated('identityPool')`.
    pub fn provider(mut self, provider: Provider) -> Self {
        self.provider = Some(provider);
        self
    }

    /// For owner rules: the token claim that identifies the owner, instead of
    /// `sub::username`.
    pub fn identity_claim(mut self, claim: impl Into<String>) -> Self {
        self.identity_claim = Some(claim.into());
        self
    }

    /// For group rules: the token claim that lists the caller's groups, instead of
    /// `cognito:groups`.
    pub fn with_claim_in(mut self, claim: impl Into<String>) -> Self {
        self.group_claim = Some(claim.into());
        self
    }

    /// What the rule grants access to.
    pub fn strategy(&self) -> &Strategy {
        &self.strategy
    }
}

/// Makes authorization rules; the argument of every `.authorization(|allow| ...)`.
#[derive(Clone, Copy, Debug, Default)]
pub struct Allow;

impl Allow {
    /// Anyone with the API key (needs the API key authorization mode).
    pub fn public_api_key(self) -> AuthRule {
        AuthRule::new(Strategy::PublicApiKey).provider(Provider::ApiKey)
    }

    /// Unauthenticated users of the identity pool (guest access).
    pub fn guest(self) -> AuthRule {
        AuthRule::new(Strategy::Guest).provider(Provider::IdentityPool)
    }

    /// Any signed-in user; the user pool by default, or
    /// `.provider(Provider::IdentityPool)` / `.provider(Provider::Oidc)`.
    pub fn authenticated(self) -> AuthRule {
        AuthRule::new(Strategy::Authenticated)
    }

    /// The item's owner, stored in the `owner` field (added to the model when it does
    /// not declare it) and set on create to the signed-in user.
    pub fn owner(self) -> AuthRule {
        AuthRule::new(Strategy::Owner { field: "owner".into(), multi: false })
    }

    /// The owner named in `field` (a string field).
    pub fn owner_defined_in(self, field: impl Into<String>) -> AuthRule {
        AuthRule::new(Strategy::Owner { field: field.into(), multi: false })
    }

    /// Any of the owners listed in `field` (a list of strings).
    pub fn owners_defined_in(self, field: impl Into<String>) -> AuthRule {
        AuthRule::new(Strategy::Owner { field: field.into(), multi: true })
    }

    /// Members of one group.
    pub fn group(self, group: impl Into<String>) -> AuthRule {
        AuthRule::new(Strategy::Groups(vec![group.into()]))
    }

    /// Members of any of these groups.
    pub fn groups<S: Into<String>>(self, groups: impl IntoIterator<Item = S>) -> AuthRule {
        AuthRule::new(Strategy::Groups(groups.into_iter().map(Into::into).collect()))
    }

    /// Members of the group named in the item's `field`.
    pub fn group_defined_in(self, field: impl Into<String>) -> AuthRule {
        AuthRule::new(Strategy::GroupsDefinedIn { field: field.into(), multi: false })
    }

    /// Members of any of the groups listed in the item's `field`.
    pub fn groups_defined_in(self, field: impl Into<String>) -> AuthRule {
        AuthRule::new(Strategy::GroupsDefinedIn { field: field.into(), multi: true })
    }

    /// Whatever the Lambda authorizer decides (needs the Lambda authorization mode).
    pub fn custom(self) -> AuthRule {
        AuthRule::new(Strategy::Custom).provider(Provider::Function)
    }

    /// Schema level only: gives `function` (its definition, `&say_hello`, or
    /// its `define_function` name) IAM access to the API, for queries, mutations
    /// and subscriptions unless `.to([...ResourceOperation])` says less.
    pub fn resource(self, function: impl FunctionRef) -> AuthRule {
        AuthRule::new(Strategy::Resource(function.function_name()))
    }
}
