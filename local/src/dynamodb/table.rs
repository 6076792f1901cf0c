//! Table definitions: key schema, key attribute types and secondary indexes,
//! read from an `AWS::DynamoDB::Table`'s CloudFormation properties.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::error::{DynamoError, StoreError};
use super::value::{AttributeValue, Item};

/// The scalar types a key attribute can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ScalarType {
    S,
    N,
    B,
}

impl ScalarType {
    /// DynamoDB's name for the type.
    pub fn name(self) -> &'static str {
        match self {
            ScalarType::S => "S",
            ScalarType::N => "N",
            ScalarType::B => "B",
        }
    }

    fn parse(text: &str) -> Option<ScalarType> {
        match text {
            "S" => Some(ScalarType::S),
            "N" => Some(ScalarType::N),
            "B" => Some(ScalarType::B),
            _ => None,
        }
    }

    /// Whether `value` is of this type.
    pub fn matches(self, value: &AttributeValue) -> bool {
        matches!(
            (self, value),
            (ScalarType::S, AttributeValue::S(_))
                | (ScalarType::N, AttributeValue::N(_))
                | (ScalarType::B, AttributeValue::B(_))
        )
    }
}

/// One key attribute: its name and type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyAttribute {
    pub name: String,
    pub kind: ScalarType,
}

/// A partition key and an optional sort key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeySchema {
    pub partition: KeyAttribute,
    pub sort: Option<KeyAttribute>,
}

impl KeySchema {
    /// The key attributes, partition first.
    pub fn attributes(&self) -> impl Iterator<Item = &KeyAttribute> {
        std::iter::once(&self.partition).chain(self.sort.as_ref())
    }

    /// Whether `name` is one of the key attributes.
    pub fn contains(&self, name: &str) -> bool {
        self.attributes().any(|a| a.name == name)
    }

    /// The item's values for this key, if it has both (of the right types).
    pub fn values_in<'a>(&self, item: &'a Item) -> Option<(&'a AttributeValue, Option<&'a AttributeValue>)> {
        let partition = item.get(&self.partition.name).filter(|v| self.partition.kind.matches(v))?;
        let sort = match &self.sort {
            Some(sort) => Some(item.get(&sort.name).filter(|v| sort.kind.matches(v))?),
            None => None,
        };
        Some((partition, sort))
    }
}

/// Which attributes an index holds besides the keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Projection {
    All,
    KeysOnly,
    Include(Vec<String>),
}

/// A global or local secondary index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexDefinition {
    pub name: String,
    pub key: KeySchema,
    pub projection: Projection,
    /// Local indexes share the table's partition and allow consistent reads.
    pub local: bool,
}

/// A table as its template defines it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableDefinition {
    pub name: String,
    pub key: KeySchema,
    pub indexes: Vec<IndexDefinition>,
}

impl TableDefinition {
    /// Reads an `AWS::DynamoDB::Table`'s `Properties`. `table_name` is the
    /// table's name as resolved by the caller (the template often computes it).
    /// Only the properties that shape the data are read; the rest are ignored.
    pub fn from_cloudformation(table_name: &str, properties: &Value) -> Result<Self, StoreError> {
        let fail = |message: String| StoreError::Definition { table: table_name.to_string(), message };
        check_name(table_name, "table name").map_err(fail)?;
        let types = attribute_types(properties).map_err(fail)?;
        let key = key_schema(properties.get("KeySchema"), &types, "KeySchema").map_err(fail)?;
        let mut indexes = Vec::new();
        for (field, local) in [("GlobalSecondaryIndexes", false), ("LocalSecondaryIndexes", true)] {
            let Some(list) = properties.get(field) else { continue };
            let list = list.as_array().ok_or_else(|| fail(format!("{field} must be a list of indexes")))?;
            for (at, index) in list.iter().enumerate() {
                let index = read_index(index, &types, local, &format!("{field}[{at}]")).map_err(fail)?;
                if local && index.key.partition != key.partition {
                    return Err(fail(format!(
                        "local index {} must use the table's partition key {}",
                        index.name, key.partition.name
                    )));
                }
                if local && index.key.sort.is_none() {
                    return Err(fail(format!("local index {} needs a RANGE key", index.name)));
                }
                if indexes.iter().any(|i: &IndexDefinition| i.name == index.name) {
                    return Err(fail(format!(
                        "index {} is defined twice; give each index its own IndexName",
                        index.name
                    )));
                }
                indexes.push(index);
            }
        }
        Ok(TableDefinition { name: table_name.to_string(), key, indexes })
    }

    /// The index called `name`.
    pub fn index(&self, name: &str) -> Option<&IndexDefinition> {
        self.indexes.iter().find(|i| i.name == name)
    }

    /// The type of key attribute `name` in the table or any index.
    pub fn key_type(&self, name: &str) -> Option<ScalarType> {
        std::iter::once(&self.key)
            .chain(self.indexes.iter().map(|i| &i.key))
            .flat_map(KeySchema::attributes)
            .find(|a| a.name == name)
            .map(|a| a.kind)
    }

    /// Checks an item's secondary index keys: where present they must have
    /// their declared type and, for S and B, not be empty.
    pub fn check_index_keys(&self, item: &Item) -> Result<(), DynamoError> {
        for index in &self.indexes {
            for attribute in index.key.attributes() {
                let Some(value) = item.get(&attribute.name) else { continue };
                if !attribute.kind.matches(value) {
                    return Err(DynamoError::validation(format!(
                        "One or more parameter values were invalid: Type mismatch for Index Key {} Expected: {} Actual: {} IndexName: {}",
                        attribute.name,
                        attribute.kind.name(),
                        value.type_name(),
                        index.name
                    )));
                }
                if is_empty_key(value) {
                    return Err(DynamoError::validation(format!(
                        "One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty string value. IndexName: {}, IndexKey: {}",
                        index.name, attribute.name
                    )));
                }
            }
        }
        Ok(())
    }
}

/// An empty S or B, which keys may not hold.
pub fn is_empty_key(value: &AttributeValue) -> bool {
    matches!(value, AttributeValue::S(s) if s.is_empty()) || matches!(value, AttributeValue::B(b) if b.is_empty())
}

fn check_name(name: &str, what: &str) -> Result<(), String> {
    let ok = (3..=255).contains(&name.len()) && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b));
    if ok {
        Ok(())
    } else {
        Err(format!("{what} {name:?} must be 3-255 characters of a-z, A-Z, 0-9, '_', '-' and '.'"))
    }
}

fn attribute_types(properties: &Value) -> Result<Vec<(String, ScalarType)>, String> {
    let list = properties
        .get("AttributeDefinitions")
        .and_then(Value::as_array)
        .ok_or("AttributeDefinitions must list the key attributes with their AttributeType")?;
    list.iter()
        .enumerate()
        .map(|(at, definition)| {
            let name = definition.get("AttributeName").and_then(Value::as_str);
            let kind = definition.get("AttributeType").and_then(Value::as_str).and_then(ScalarType::parse);
            match (name, kind) {
                (Some(name), Some(kind)) => Ok((name.to_string(), kind)),
                _ => {
                    Err(format!("AttributeDefinitions[{at}] needs an AttributeName and an AttributeType of S, N or B"))
                }
            }
        })
        .collect()
}

fn key_schema(schema: Option<&Value>, types: &[(String, ScalarType)], at: &str) -> Result<KeySchema, String> {
    let list = schema
        .and_then(Value::as_array)
        .ok_or_else(|| format!("{at} must list a HASH key and optionally a RANGE key"))?;
    let (mut partition, mut sort) = (None, None);
    for element in list {
        let name = element
            .get("AttributeName")
            .and_then(Value::as_str)
            .ok_or_else(|| format!("{at}: each key needs an AttributeName"))?;
        let kind = types.iter().find(|(n, _)| n == name).map(|(_, kind)| *kind).ok_or_else(|| {
            format!("{at}: key attribute {name} is missing from AttributeDefinitions; add it with its AttributeType")
        })?;
        let slot = match element.get("KeyType").and_then(Value::as_str) {
            Some("HASH") => &mut partition,
            Some("RANGE") => &mut sort,
            _ => return Err(format!("{at}: key {name} needs a KeyType of HASH or RANGE")),
        };
        if slot.is_some() {
            return Err(format!("{at} has more than one key of the same KeyType"));
        }
        *slot = Some(KeyAttribute { name: name.to_string(), kind });
    }
    let partition = partition.ok_or_else(|| format!("{at} needs a HASH key"))?;
    if sort.as_ref().is_some_and(|s: &KeyAttribute| s.name == partition.name) {
        return Err(format!("{at}: the HASH and RANGE keys must be different attributes"));
    }
    Ok(KeySchema { partition, sort })
}

fn read_index(index: &Value, types: &[(String, ScalarType)], local: bool, at: &str) -> Result<IndexDefinition, String> {
    let name = index.get("IndexName").and_then(Value::as_str).ok_or_else(|| format!("{at} needs an IndexName"))?;
    check_name(name, "index name")?;
    let key = key_schema(index.get("KeySchema"), types, &format!("{at}.KeySchema"))?;
    let projection = index.get("Projection").ok_or_else(|| format!("{at} ({name}) needs a Projection"))?;
    let projection = match projection.get("ProjectionType").and_then(Value::as_str).unwrap_or("INCLUDE") {
        "ALL" => Projection::All,
        "KEYS_ONLY" => Projection::KeysOnly,
        "INCLUDE" => {
            let attributes = projection
                .get("NonKeyAttributes")
                .and_then(Value::as_array)
                .ok_or_else(|| format!("{at} ({name}): an INCLUDE projection needs NonKeyAttributes"))?;
            Projection::Include(
                attributes
                    .iter()
                    .map(|a| {
                        a.as_str()
                            .map(str::to_string)
                            .ok_or_else(|| format!("{at} ({name}): NonKeyAttributes are names"))
                    })
                    .collect::<Result<_, _>>()?,
            )
        }
        other => return Err(format!("{at} ({name}): ProjectionType {other} is not ALL, KEYS_ONLY or INCLUDE")),
    };
    Ok(IndexDefinition { name: name.to_string(), key, projection, local })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn todo_properties() -> Value {
        json!({
            "TableName": {"Fn::Join": ["", ["Todo-", {"Ref": "Api"}]]},
            "BillingMode": "PAY_PER_REQUEST",
            "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
            "AttributeDefinitions": [
                {"AttributeName": "id", "AttributeType": "S"},
                {"AttributeName": "owner", "AttributeType": "S"},
                {"AttributeName": "createdAt", "AttributeType": "S"},
                {"AttributeName": "rank", "AttributeType": "N"}
            ],
            "GlobalSecondaryIndexes": [{
                "IndexName": "byOwner",
                "KeySchema": [{"AttributeName": "owner", "KeyType": "HASH"}, {"AttributeName": "createdAt", "KeyType": "RANGE"}],
                "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["title"]}
            }],
            "StreamSpecification": {"StreamViewType": "NEW_AND_OLD_IMAGES"}
        })
    }

    #[test]
    fn reads_keys_and_indexes_from_the_template() {
        let table = TableDefinition::from_cloudformation("Todo-abc-NONE", &todo_properties()).unwrap();
        assert_eq!(table.name, "Todo-abc-NONE");
        assert_eq!(table.key.partition, KeyAttribute { name: "id".into(), kind: ScalarType::S });
        assert!(table.key.sort.is_none());
        let index = table.index("byOwner").unwrap();
        assert_eq!(index.key.sort.as_ref().unwrap().name, "createdAt");
        assert_eq!(index.projection, Projection::Include(vec!["title".into()]));
        assert!(!index.local);
        assert_eq!(table.key_type("createdAt"), Some(ScalarType::S));
        assert_eq!(table.key_type("rank"), None);
    }

    #[test]
    fn names_what_is_wrong_with_a_definition() {
        let mut properties = todo_properties();
        properties["KeySchema"] = json!([{"AttributeName": "pk", "KeyType": "HASH"}]);
        let err = TableDefinition::from_cloudformation("Todo", &properties).unwrap_err().to_string();
        assert!(err.contains("pk is missing from AttributeDefinitions"), "{err}");

        let mut properties = todo_properties();
        properties["GlobalSecondaryIndexes"][0]["Projection"] = json!({"ProjectionType": "SOME"});
        let err = TableDefinition::from_cloudformation("Todo", &properties).unwrap_err().to_string();
        assert!(err.contains("GlobalSecondaryIndexes[0] (byOwner): ProjectionType SOME"), "{err}");

        let err = TableDefinition::from_cloudformation("a", &todo_properties()).unwrap_err().to_string();
        assert!(err.contains("3-255 characters"), "{err}");
    }

    #[test]
    fn local_indexes_share_the_partition_key() {
        let mut properties = todo_properties();
        properties["LocalSecondaryIndexes"] = json!([{
            "IndexName": "byRank",
            "KeySchema": [{"AttributeName": "owner", "KeyType": "HASH"}, {"AttributeName": "rank", "KeyType": "RANGE"}],
            "Projection": {"ProjectionType": "ALL"}
        }]);
        let err = TableDefinition::from_cloudformation("Todo", &properties).unwrap_err().to_string();
        assert!(err.contains("must use the table's partition key id"), "{err}");
    }
}
