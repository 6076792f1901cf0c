//! DynamoDB creates or deletes at most one global secondary index per table update,
//! and CloudFormation applies a table's new definition in one update. So a
//! deployment that adds two secondary indexes (or two `has_many`/`has_one` fields
//! pointing at one model), or removes one and adds another, fails half-way and rolls
//! back. Amplify works around it with a custom resource that applies index changes
//! one at a time; ampx finds such a change before deploying instead, comparing
//! the deployed template with the new one, and says how to split it.
//!
//! ```
//! use ampx::index_updates::index_update_problems;
//! use serde_json::json;
//!
//! let table = |indexes: &[&str]| json!({"Resources": {"TodoTable": {
//!     "Type": "AWS::DynamoDB::Table",
//!     "Properties": {
//!         "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
//!         "GlobalSecondaryIndexes": indexes.iter().map(|i| json!({
//!             "IndexName": i,
//!             "KeySchema": [{"AttributeName": i, "KeyType": "HASH"}],
//!             "Projection": {"ProjectionType": "ALL"},
//!         })).collect::<Vec<_>>(),
//!     },
//! }}});
//! assert!(index_update_problems(&table(&["byA"]), &table(&["byA", "byB"])).is_empty());
//! let problems = index_update_problems(&table(&[]), &table(&["byA", "byB"]));
//! assert_eq!(problems[0].created, ["byA", "byB"]);
//! ```

use std::collections::BTreeMap;
use std::fmt;

use serde_json::Value;

/// A table whose secondary indexes change more than one DynamoDB update allows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndexUpdateProblem {
    /// The table's logical ID.
    pub table: String,
    /// Its construct path, when the template records it.
    pub path: Option<String>,
    /// Indexes the deployment would create.
    pub created: Vec<String>,
    /// Indexes it would delete.
    pub deleted: Vec<String>,
    /// Indexes whose keys or projection would change under the same name, which
    /// DynamoDB cannot do in place.
    pub changed: Vec<String>,
}

impl fmt::Display for IndexUpdateProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.table)?;
        if let Some(path) = &self.path {
            write!(f, " [{path}]")?;
        }
        if !self.changed.is_empty() {
            return write!(
                f,
                ": the deployment would change the keys or projection of the secondary index(es) {} in place, \
                 which DynamoDB cannot do. Fix: give the changed index a new name (`.name(...)`); the old one is \
                 then deleted and the new one created, in two deployments as below.",
                self.changed.join(", ")
            );
        }
        let list = |names: &[String]| if names.is_empty() { "none".to_string() } else { names.join(", ") };
        write!(
            f,
            ": the deployment would create {} and delete {} global secondary indexes (created: {}; deleted: {}), \
             but DynamoDB creates or deletes one per table update. Fix: deploy the index changes one at a time: \
             add or remove one secondary index (or one has_many/has_one field pointing at this model) per \
             deployment.",
            self.created.len(),
            self.deleted.len(),
            list(&self.created),
            list(&self.deleted)
        )
    }
}

/// The global secondary indexes of a table resource, by name: (keys, projection).
fn indexes(table: &Value) -> BTreeMap<&str, (&Value, &Value)> {
    let list = table.pointer("/Properties/GlobalSecondaryIndexes").and_then(Value::as_array);
    list.into_iter()
        .flatten()
        .filter_map(|ix| {
            let name = ix.get("IndexName")?.as_str()?;
            Some((name, (ix.get("KeySchema").unwrap_or(&Value::Null), ix.get("Projection").unwrap_or(&Value::Null))))
        })
        .collect()
}

/// Whether the new definition replaces the table (a new key or name): a new table
/// gets all its indexes at once.
fn replaced(old: &Value, new: &Value) -> bool {
    ["KeySchema", "TableName"]
        .iter()
        .any(|p| old.pointer(&format!("/Properties/{p}")) != new.pointer(&format!("/Properties/{p}")))
}

/// Compares the DynamoDB tables of a deployed template with the new template of the
/// same stack (tables matched by logical ID) and returns each table whose index
/// changes one update cannot apply. New, removed and replaced tables are fine.
pub fn index_update_problems(deployed: &Value, new: &Value) -> Vec<IndexUpdateProblem> {
    let resources = |t: &'_ Value| t.get("Resources").and_then(Value::as_object).cloned().unwrap_or_default();
    let (old_resources, new_resources) = (resources(deployed), resources(new));
    let mut out = Vec::new();
    for (id, old) in &old_resources {
        let Some(new) = new_resources.get(id) else { continue };
        let is_table = |r: &Value| r.get("Type").and_then(Value::as_str) == Some("AWS::DynamoDB::Table");
        if !is_table(old) || !is_table(new) || replaced(old, new) {
            continue;
        }
        let (before, after) = (indexes(old), indexes(new));
        let created: Vec<String> = after.keys().filter(|n| !before.contains_key(*n)).map(|n| n.to_string()).collect();
        let deleted: Vec<String> = before.keys().filter(|n| !after.contains_key(*n)).map(|n| n.to_string()).collect();
        let changed: Vec<String> =
            before.iter().filter(|(n, v)| after.get(*n).is_some_and(|w| w != *v)).map(|(n, _)| n.to_string()).collect();
        if created.len() + deleted.len() > 1 || !changed.is_empty() {
            out.push(IndexUpdateProblem {
                table: id.clone(),
                path: old.pointer("/Metadata/aws:cdk:path").and_then(Value::as_str).map(str::to_string),
                created,
                deleted,
                changed,
            });
        }
    }
    out
}
