//! Names: valid GraphQL identifiers, not reserved by GraphQL, AppSync or the
//! generated API, and declared once.

use std::collections::HashSet;

use super::Diagnostics;
use crate::data::schema::{Schema, SchemaItem};

/// Type names GraphQL, AppSync or the generated schema already use.
const RESERVED_TYPES: &[&str] = &[
    "Query",
    "Mutation",
    "Subscription",
    "String",
    "Int",
    "Float",
    "Boolean",
    "ID",
    "AWSDate",
    "AWSTime",
    "AWSDateTime",
    "AWSTimestamp",
    "AWSEmail",
    "AWSJSON",
    "AWSPhone",
    "AWSURL",
    "AWSIPAddress",
    "ModelSortDirection",
    "ModelAttributeTypes",
    "ModelSizeInput",
    "ModelStringInput",
    "ModelIntInput",
    "ModelFloatInput",
    "ModelBooleanInput",
    "ModelIDInput",
    "ModelSubscriptionStringInput",
    "ModelSubscriptionIntInput",
    "ModelSubscriptionFloatInput",
    "ModelSubscriptionBooleanInput",
    "ModelSubscriptionIDInput",
    "ModelStringKeyConditionInput",
    "ModelIDKeyConditionInput",
    "ModelIntKeyConditionInput",
    "ModelFloatKeyConditionInput",
];

/// Field names the DataStore sync protocol reserves on models.
const RESERVED_FIELDS: &[&str] = &["_version", "_deleted", "_lastChangedAt"];

/// Field names the generated filter and condition inputs use to combine conditions:
/// a model field of that name would be declared twice in them.
const FILTER_OPERATORS: &[&str] = &["and", "or", "not"];

/// Whether `name` is a GraphQL name: `[_A-Za-z][_0-9A-Za-z]*`.
pub(crate) fn is_graphql_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
}

/// A suggestion: `my-field` -> `myField`.
pub(crate) fn suggest_name(name: &str, upper_first: bool) -> String {
    let mut out = String::new();
    let mut upper_next = upper_first;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            if out.is_empty() && c.is_ascii_digit() {
                out.push('_');
            }
            if upper_next {
                out.extend(c.to_uppercase());
            } else if out.is_empty() {
                out.extend(c.to_lowercase());
            } else {
                out.push(c);
            }
            upper_next = false;
        } else {
            upper_next = !out.is_empty();
        }
    }
    if out.is_empty() {
        "validName".to_string()
    } else {
        out
    }
}

/// Checks a type-level name (model, enum, custom type).
pub(crate) fn check_type_name(diag: &mut Diagnostics, name: &str, what: &str) {
    if !is_graphql_name(name) {
        diag.error(
            name,
            format!(
                "`{name}` is not a valid GraphQL name for {what} (letters, digits and `_`, not starting with a digit)."
            ),
            format!("rename it, for example to `{}`.", suggest_name(name, true)),
        );
    } else if name.starts_with("__") {
        diag.error(name, format!("names starting with `__` are reserved by GraphQL ({what} `{name}`)."), "rename it.");
    } else if RESERVED_TYPES.contains(&name) {
        diag.error(
            name,
            format!("`{name}` is reserved: GraphQL, AppSync or the generated API already defines a type of that name."),
            format!("rename {what}, for example to `App{name}`."),
        );
    }
}

/// Checks a field or argument name.
pub(crate) fn check_field_name(diag: &mut Diagnostics, path: &str, name: &str, on_model: bool) {
    if !is_graphql_name(name) {
        diag.error(
            path,
            format!("`{name}` is not a valid GraphQL field name (letters, digits and `_`, not starting with a digit)."),
            format!("rename the field, for example to `{}`.", suggest_name(name, false)),
        );
    } else if name.starts_with("__") {
        diag.error(
            path,
            format!("field names starting with `__` are reserved by GraphQL (`{name}`)."),
            "rename the field.",
        );
    } else if on_model && RESERVED_FIELDS.contains(&name) {
        diag.error(
            path,
            format!("`{name}` is reserved for conflict resolution (DataStore sync)."),
            "rename the field.",
        );
    } else if on_model && FILTER_OPERATORS.contains(&name) {
        diag.error(
            path,
            format!("`{name}` is reserved: the model's filter and condition inputs combine conditions with `and`, `or` and `not`."),
            format!("rename the field, for example to `{name}Value`."),
        );
    }
}

/// Item names: valid, not reserved, declared once; model names start upper-case
/// because operation names are built from them (`listChats`).
pub(super) fn check_items(schema: &Schema, diag: &mut Diagnostics) {
    let mut seen = HashSet::new();
    for (name, item) in &schema.items {
        let what = match item {
            SchemaItem::Model(_) => "a model",
            SchemaItem::Enum(_) => "an enum",
            SchemaItem::CustomType(_) => "a custom type",
            SchemaItem::Operation(_) => "a custom operation",
        };
        if !seen.insert(name.as_str()) {
            diag.error(
                name.as_str(),
                format!("`{name}` is declared more than once in the schema."),
                "give each model, enum, custom type and custom operation its own name.",
            );
            continue;
        }
        match item {
            SchemaItem::Operation(_) => check_field_name(diag, name, name, false),
            SchemaItem::Model(_) => {
                check_type_name(diag, name, what);
                if name.len() > MAX_MODEL_NAME {
                    diag.error(
                        name.as_str(),
                        format!(
                            "the model name is {} characters long: it names the model's table, nested stack and \
                             template file, which would be over their limits (a file name has 255 bytes).",
                            name.len()
                        ),
                        format!("use a model name of at most {MAX_MODEL_NAME} characters."),
                    );
                }
                if name.starts_with(|c: char| c.is_ascii_lowercase()) {
                    diag.error(
                        name.as_str(),
                        format!(
                            "model names are PascalCase: operation and type names are built from them (`list{}s`).",
                            name
                        ),
                        format!("rename the model to `{}`.", crate::data::naming::capitalize(name)),
                    );
                }
            }
            _ => check_type_name(diag, name, what),
        }
    }
}

/// The longest model name: its nested stack's template file name also holds
/// the backend's stack name (up to about 70 characters here) and the path of
/// the model's stack, within 255 bytes; its table name (`<model>-<api id>-NONE`)
/// stays far below DynamoDB's 255.
const MAX_MODEL_NAME: usize = 100;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graphql_names() {
        assert!(is_graphql_name("chatId") && is_graphql_name("_x1"));
        assert!(!is_graphql_name("1x") && !is_graphql_name("my-field") && !is_graphql_name(""));
        assert_eq!(suggest_name("my-field", false), "myField");
        assert_eq!(suggest_name("blog post", true), "BlogPost");
    }
}
