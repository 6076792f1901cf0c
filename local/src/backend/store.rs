//! The data API's DynamoDB seam ([`DynamoApi`]) over the local [`Store`], and
//! the assembly's tables created in it.

use std::sync::Arc;

use serde_json::Value;

use crate::appsync::datasource::DynamoApi;
use crate::assembly::Assembly;
use crate::dynamodb::{Store, StoreError, TableDefinition};

/// The [`Store`] as the data API's [`DynamoApi`].
#[derive(Clone)]
pub struct StoreApi(pub Arc<Store>);

impl DynamoApi for StoreApi {
    fn execute(&self, operation: &str, request: &Value) -> Result<Value, (String, String)> {
        let mut request = request.clone();
        numbers_as_strings(&mut request);
        self.0.execute(operation, &request).map_err(|e| (e.kind, e.message))
    }
}

/// APPSYNC_JS's `util.dynamodb` writes numbers as JSON numbers (`{"N": 12}`);
/// DynamoDB's wire format has them as strings (`{"N": "12"}`), which is what
/// the store parses. Only one-key `N`/`NS` attribute values are touched.
pub fn numbers_as_strings(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if map.len() == 1 {
                if let Some(n @ Value::Number(_)) = map.get_mut("N") {
                    *n = Value::String(n.to_string());
                    return;
                }
                if let Some(Value::Array(set)) = map.get_mut("NS") {
                    for n in set.iter_mut().filter(|n| n.is_number()) {
                        *n = Value::String(n.to_string());
                    }
                    return;
                }
            }
            map.values_mut().for_each(numbers_as_strings);
        }
        Value::Array(list) => list.iter_mut().for_each(numbers_as_strings),
        _ => {}
    }
}

/// Creates (or brings up to date, keeping items) every `AWS::DynamoDB::Table`
/// of the assembly; answers the tables' names.
pub fn create_tables(store: &Store, assembly: &Assembly) -> Result<Vec<String>, StoreError> {
    let mut names = Vec::new();
    for table in assembly.of_type("AWS::DynamoDB::Table") {
        let props = Value::Object(table.properties.clone());
        store.create_table(&TableDefinition::from_cloudformation(&table.reference, &props)?)?;
        names.push(table.reference.clone());
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn json_numbers_become_dynamodb_strings_and_nothing_else_changes() {
        let mut v = json!({"Item": {"n": {"N": 12}, "f": {"N": 1.5}, "s": {"S": "12"}, "set": {"NS": [1, "2"]},
            "m": {"M": {"N": {"N": 3}}}, "kept": {"N": "7"}}, "Limit": 5});
        numbers_as_strings(&mut v);
        assert_eq!(
            v,
            json!({"Item": {"n": {"N": "12"}, "f": {"N": "1.5"}, "s": {"S": "12"}, "set": {"NS": ["1", "2"]},
                "m": {"M": {"N": {"N": "3"}}}, "kept": {"N": "7"}}, "Limit": 5})
        );
    }
}
