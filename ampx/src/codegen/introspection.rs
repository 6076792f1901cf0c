//! The model introspection schema (version 1), as `amplify_outputs.json` carries it
//! under `data.model_introspection`: models, fields, keys, relationships, rules,
//! enums, custom types and custom operations.

use indexmap::IndexMap;
use serde::Deserialize;
use serde_json::Value as Json;

/// The whole document.
#[derive(Clone, Debug, Deserialize)]
pub struct Introspection {
    /// The format version (1).
    pub version: u32,
    /// Models by name, in declaration order.
    #[serde(default)]
    pub models: IndexMap<String, Model>,
    /// Enums by name.
    #[serde(default)]
    pub enums: IndexMap<String, Enum>,
    /// Custom types by name.
    #[serde(default, rename = "nonModels")]
    pub non_models: IndexMap<String, NonModel>,
    /// Custom queries.
    #[serde(default)]
    pub queries: IndexMap<String, Operation>,
    /// Custom mutations.
    #[serde(default)]
    pub mutations: IndexMap<String, Operation>,
    /// Custom subscriptions.
    #[serde(default)]
    pub subscriptions: IndexMap<String, Operation>,
}

/// What a field or return value holds.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum FieldType {
    /// A scalar, by its GraphQL name (`String`, `AWSDateTime`, ...).
    Scalar(String),
    /// An enum.
    Enum {
        /// Its name.
        #[serde(rename = "enum")]
        name: String,
    },
    /// A custom type.
    NonModel {
        /// Its name.
        #[serde(rename = "nonModel")]
        name: String,
    },
    /// A model.
    Model {
        /// Its name.
        #[serde(rename = "model")]
        name: String,
    },
}

/// A field of a model or custom type, an argument, or a return type.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Field {
    /// Its name.
    pub name: String,
    /// A list.
    #[serde(default)]
    pub is_array: bool,
    /// Its type.
    #[serde(rename = "type")]
    pub ty: FieldType,
    /// Values required.
    #[serde(default)]
    pub is_required: bool,
    /// For lists: whether the list itself may be null.
    pub is_array_nullable: Option<bool>,
    /// Set by the API (the timestamps).
    #[serde(default)]
    pub is_read_only: bool,
    /// A relationship.
    pub association: Option<Association>,
}

impl Field {
    /// Whether the list itself is required (`[T]!`).
    pub fn array_required(&self) -> bool {
        self.is_array && self.is_array_nullable == Some(false)
    }
}

/// A relationship field's link.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Association {
    /// `HAS_MANY`, `HAS_ONE` or `BELONGS_TO`.
    pub connection_type: String,
    /// has_many / has_one: the reference fields on the related model.
    #[serde(default)]
    pub associated_with: Vec<String>,
    /// belongs_to: the reference fields on this model.
    #[serde(default)]
    pub target_names: Vec<String>,
}

/// A model.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Model {
    /// Its name.
    pub name: String,
    /// Its fields, in order.
    pub fields: IndexMap<String, Field>,
    /// The plural of its name.
    pub plural_name: String,
    /// `model`, `key` and `auth` attributes.
    #[serde(default)]
    pub attributes: Vec<Attribute>,
    /// Its primary key.
    pub primary_key_info: PrimaryKeyInfo,
}

/// A model attribute (a directive of Amplify's input schema, with its arguments).
#[derive(Clone, Debug, Deserialize)]
pub struct Attribute {
    /// `model`, `key` or `auth`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The directive's arguments.
    #[serde(default)]
    pub properties: Json,
}

/// A model's primary key.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PrimaryKeyInfo {
    /// Whether it is other than the implicit `id`.
    pub is_custom_primary_key: bool,
    /// The partition key field.
    pub primary_key_field_name: String,
    /// The sort key fields.
    #[serde(default)]
    pub sort_key_field_names: Vec<String>,
}

/// An enum.
#[derive(Clone, Debug, Deserialize)]
pub struct Enum {
    /// Its name.
    pub name: String,
    /// Its values.
    pub values: Vec<String>,
}

/// A custom type.
#[derive(Clone, Debug, Deserialize)]
pub struct NonModel {
    /// Its name.
    pub name: String,
    /// Its fields.
    pub fields: IndexMap<String, Field>,
}

/// A custom query, mutation or subscription.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Operation {
    /// Its name.
    pub name: String,
    /// Returns a list.
    #[serde(default)]
    pub is_array: bool,
    /// The return type.
    #[serde(rename = "type")]
    pub ty: FieldType,
    /// The return value is required.
    #[serde(default)]
    pub is_required: bool,
    /// For lists: whether the list itself may be null.
    pub is_array_nullable: Option<bool>,
    /// The arguments, in order.
    #[serde(default)]
    pub arguments: IndexMap<String, Field>,
}

impl Operation {
    /// The return type as a field (named after the operation).
    pub fn returns(&self) -> Field {
        Field {
            name: self.name.clone(),
            is_array: self.is_array,
            ty: self.ty.clone(),
            is_required: self.is_required,
            is_array_nullable: self.is_array_nullable,
            is_read_only: false,
            association: None,
        }
    }
}

/// An authorization rule, as the `auth` attribute lists it.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthRule {
    /// `owner`, `groups`, `public`, `private` or `custom`.
    pub allow: String,
    /// `userPools`, `oidc`, `iam`, `apiKey` or `function` (absent: the strategy's default).
    pub provider: Option<String>,
    /// Owner rules: the field holding the owner(s).
    pub owner_field: Option<String>,
    /// Owner rules: the claim naming the owner.
    pub identity_claim: Option<String>,
    /// Group rules: the static groups.
    pub groups: Option<Vec<String>>,
    /// Group rules: the field holding the group(s).
    pub groups_field: Option<String>,
    /// Group rules: the claim listing the caller's groups.
    pub group_claim: Option<String>,
    /// The operations it allows.
    #[serde(default)]
    pub operations: Vec<String>,
}

impl Model {
    fn attributes_of<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a Json> + 'a {
        self.attributes.iter().filter(move |a| a.kind == kind).map(|a| &a.properties)
    }

    /// The authorization rules (none when the attribute is missing).
    pub fn auth_rules(&self) -> Result<Vec<AuthRule>, String> {
        let mut rules = Vec::new();
        for props in self.attributes_of("auth") {
            let list = props.get("rules").cloned().unwrap_or(Json::Array(Vec::new()));
            let parsed: Vec<AuthRule> =
                serde_json::from_value(list).map_err(|e| format!("model {}: unreadable auth rules: {e}", self.name))?;
            rules.extend(parsed);
        }
        Ok(rules)
    }

    /// Secondary indexes: `key` attributes with a name (the primary key has none).
    pub fn secondary_indexes(&self) -> Vec<Index> {
        self.attributes_of("key")
            .filter_map(|p| {
                let name = p.get("name")?.as_str()?.to_string();
                let fields: Vec<String> =
                    p.get("fields")?.as_array()?.iter().filter_map(|f| f.as_str().map(str::to_string)).collect();
                let (partition_key, sort_keys) = fields.split_first()?;
                Some(Index {
                    name,
                    partition_key: partition_key.clone(),
                    sort_keys: sort_keys.to_vec(),
                    query_field: p.get("queryField").and_then(Json::as_str).map(str::to_string),
                })
            })
            .collect()
    }

    /// The operations removed from the model's API, in data-schema's names
    /// (`queries`, `mutations`, `subscriptions`, or one of `get`, `list`, `create`,
    /// `update`, `delete`, `onCreate`, `onUpdate`, `onDelete`), read from the `model`
    /// attribute: a group set to `null` is gone, and so is an operation set to `null`
    /// inside a group.
    pub fn disabled_operations(&self) -> Vec<String> {
        let mut disabled = Vec::new();
        for props in self.attributes_of("model") {
            for group in ["queries", "mutations", "subscriptions"] {
                match props.get(group) {
                    Some(Json::Null) => disabled.push(group.to_string()),
                    Some(Json::Object(ops)) => {
                        disabled.extend(ops.iter().filter(|(_, v)| v.is_null()).map(|(op, _)| op.clone()))
                    }
                    _ => {}
                }
            }
        }
        disabled
    }
}

/// A secondary index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Index {
    /// The DynamoDB index name.
    pub name: String,
    /// The partition key field.
    pub partition_key: String,
    /// The sort key fields.
    pub sort_keys: Vec<String>,
    /// The query field.
    pub query_field: Option<String>,
}
