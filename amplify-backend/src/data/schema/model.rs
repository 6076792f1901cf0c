//! Models: types stored in their own DynamoDB table, with generated queries,
//! mutations and subscriptions.

use super::auth_rule::AuthRule;
use super::field::Field;
use super::index::{IndexFn, SecondaryIndex};
use super::names::IntoNames;

/// An operation `.disable_operations(...)` can remove from a model's API.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ModelOperation {
    /// `get` and `list` (and index queries).
    Queries,
    /// `create`, `update` and `delete`.
    Mutations,
    /// `onCreate`, `onUpdate` and `onDelete`.
    Subscriptions,
    /// The `get` query.
    Get,
    /// The `list` query.
    List,
    /// The `create` mutation.
    Create,
    /// The `update` mutation.
    Update,
    /// The `delete` mutation.
    Delete,
    /// The `onCreate` subscription.
    OnCreate,
    /// The `onUpdate` subscription.
    OnUpdate,
    /// The `onDelete` subscription.
    OnDelete,
}

/// A model: `a::model([...fields])` plus modifiers.
///
/// ```
/// use amplify_backend::data::{a, ModelOperation};
///
/// let todo = a::model([
///     ("tenantId", a::id().required()),
///     ("title", a::string().required()),
///     ("done", a::boolean().default(false)),
/// ])
/// .identifier(["tenantId", "title"])
/// .disable_operations([ModelOperation::Subscriptions])
/// .authorization(|allow| [allow.owner()]);
/// # let _ = todo;
/// ```
///
/// Every model gets `createdAt` and `updatedAt` (`AWSDateTime`), and `id: ID!` unless
/// `.identifier(...)` names other fields.
#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    pub(crate) fields: Vec<(String, Field)>,
    pub(crate) identifier: Option<Vec<String>>,
    pub(crate) indexes: Vec<SecondaryIndex>,
    pub(crate) disabled: Vec<ModelOperation>,
    pub(crate) rules: Vec<AuthRule>,
}

impl Model {
    pub(crate) fn new(fields: Vec<(String, Field)>) -> Self {
        Model { fields, identifier: None, indexes: Vec::new(), disabled: Vec::new(), rules: Vec::new() }
    }

    /// The fields that identify an item: the first is the partition key, the rest
    /// the sort key. `["id"]` by default.
    pub fn identifier(mut self, fields: impl IntoNames) -> Self {
        self.identifier = Some(fields.into_names());
        self
    }

    /// Secondary indexes, made with the `index` function the closure receives.
    pub fn secondary_indexes<I>(mut self, indexes: impl FnOnce(IndexFn) -> I) -> Self
    where
        I: IntoIterator<Item = SecondaryIndex>,
    {
        self.indexes = indexes(SecondaryIndex::new).into_iter().collect();
        self
    }

    /// Removes operations from the model's API.
    pub fn disable_operations(mut self, operations: impl IntoIterator<Item = ModelOperation>) -> Self {
        self.disabled = operations.into_iter().collect();
        self
    }

    /// The declared fields, in order.
    pub fn fields(&self) -> &[(String, Field)] {
        &self.fields
    }
}
