//! Secondary indexes: a DynamoDB global secondary index plus a query field to use it.

use super::names::IntoNames;

/// A secondary index on a model, made inside `.secondary_indexes(|index| ...)`:
///
/// ```
/// use amplify_backend::data::a;
///
/// let message = a::model([("chatId", a::id().required()), ("sentAt", a::datetime().required())])
///     .secondary_indexes(|index| [index("chatId").sort_keys(["sentAt"]).query_field("listMessagesByChat")]);
/// # let _ = message;
/// ```
///
/// Without `.name(...)` the index is called `<models>By<Pk>And<Sk>` (for example
/// `messagesByChatIdAndSentAt`); without `.query_field(...)` the query is
/// `list<Model>By<Pk>And<Sk>`, as in Amplify.
#[derive(Clone, Debug, PartialEq)]
pub struct SecondaryIndex {
    pub(crate) partition_key: String,
    pub(crate) sort_keys: Vec<String>,
    pub(crate) name: Option<String>,
    pub(crate) query_field: Option<String>,
    pub(crate) projection: Projection,
}

/// Which attributes a secondary index copies from the table (Amplify's
/// `.projection('KEYS_ONLY' | 'INCLUDE' | 'ALL', [...])`); queries through the
/// index read only those.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Projection {
    /// Every attribute (the default, as in Amplify).
    #[default]
    All,
    /// The table's and the index's key attributes only.
    KeysOnly,
    /// The keys and these fields.
    Include(Vec<String>),
}

impl Projection {
    /// The keys and `fields`.
    pub fn include(fields: impl IntoNames) -> Self {
        Projection::Include(fields.into_names())
    }

    /// DynamoDB's name of the projection type.
    pub fn type_name(&self) -> &'static str {
        match self {
            Projection::All => "ALL",
            Projection::KeysOnly => "KEYS_ONLY",
            Projection::Include(_) => "INCLUDE",
        }
    }
}

impl SecondaryIndex {
    /// An index whose partition key is `field`.
    pub fn new(partition_key: &str) -> Self {
        SecondaryIndex {
            partition_key: partition_key.to_string(),
            sort_keys: Vec::new(),
            name: None,
            query_field: None,
            projection: Projection::All,
        }
    }

    /// The sort key fields, in order (several make a composite sort key).
    pub fn sort_keys(mut self, fields: impl IntoNames) -> Self {
        self.sort_keys = fields.into_names();
        self
    }

    /// The DynamoDB index name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Which attributes the index copies: `Projection::KeysOnly`,
    /// `Projection::include(["name"])` or `Projection::All` (the default).
    pub fn projection(mut self, projection: Projection) -> Self {
        self.projection = projection;
        self
    }

    /// The GraphQL query field that queries the index.
    pub fn query_field(mut self, field: impl Into<String>) -> Self {
        self.query_field = Some(field.into());
        self
    }
}

/// The argument of `.secondary_indexes(|index| ...)`: `index("field")` starts an index.
pub type IndexFn = fn(&str) -> SecondaryIndex;
