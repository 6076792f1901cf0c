//! Relationships between models: has_many, has_one and belongs_to, joined by
//! reference fields (Amplify Gen 2's `references` style).

/// The kind of relationship.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RelationshipKind {
    /// One parent, many children; the children hold the reference fields.
    HasMany,
    /// One parent, one child; the child holds the reference fields.
    HasOne,
    /// The child side of `HasMany` or `HasOne`; this model holds the reference fields.
    BelongsTo,
}

impl RelationshipKind {
    /// The builder that makes it, for messages.
    pub fn builder_name(self) -> &'static str {
        match self {
            RelationshipKind::HasMany => "a::has_many",
            RelationshipKind::HasOne => "a::has_one",
            RelationshipKind::BelongsTo => "a::belongs_to",
        }
    }
}

/// A relationship field: the related model and the reference fields that join them.
///
/// For `has_many` and `has_one` the references are fields of the related model that
/// hold this model's identifier; for `belongs_to` they are fields of this model that
/// hold the related model's identifier. Either way they line up, in order, with the
/// parent's identifier fields.
#[derive(Clone, Debug, PartialEq)]
pub struct Relationship {
    pub(crate) kind: RelationshipKind,
    pub(crate) related_model: String,
    pub(crate) references: Vec<String>,
}

impl Relationship {
    /// The kind of relationship.
    pub fn kind(&self) -> RelationshipKind {
        self.kind
    }

    /// The related model's name.
    pub fn related_model(&self) -> &str {
        &self.related_model
    }

    /// The reference fields.
    pub fn references(&self) -> &[String] {
        &self.references
    }
}
