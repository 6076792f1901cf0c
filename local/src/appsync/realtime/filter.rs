//! Which published payloads a subscriber receives: its arguments that name
//! fields of the returned type must equal the payload's (AppSync's argument
//! filters), and the enhanced filter its resolver set
//! (`extensions.setSubscriptionFilter`: groups OR'ed, filters in a group
//! AND'ed) must match.

use serde_json::Value;

/// One subscriber's filters.
#[derive(Clone, Debug, Default)]
pub struct Subscriber {
    equals: Vec<(String, Value)>,
    groups: Option<Vec<Vec<Condition>>>,
}

#[derive(Clone, Debug)]
struct Condition {
    path: Vec<String>,
    operator: String,
    value: Value,
}

const OPERATORS: [&str; 14] = [
    "eq",
    "ne",
    "le",
    "lt",
    "ge",
    "gt",
    "contains",
    "notContains",
    "beginsWith",
    "in",
    "notIn",
    "between",
    "containsAny",
    "attributeExists",
];

impl Subscriber {
    /// Filters from the subscription's arguments (those naming a field of
    /// `return_fields`, when not null) and an enhanced filter
    /// (`{filterGroup: [{filters: [{fieldName, operator, value}]}]}`).
    pub fn new(arguments: &Value, return_fields: &[String], enhanced: Option<&Value>) -> Result<Subscriber, String> {
        let mut equals = Vec::new();
        if let Value::Object(args) = arguments {
            for (name, v) in args {
                if !v.is_null() && return_fields.iter().any(|f| f == name) {
                    equals.push((name.clone(), v.clone()));
                }
            }
        }
        let groups = match enhanced {
            None | Some(Value::Null) => None,
            Some(f) => Some(parse(f)?),
        };
        Ok(Subscriber { equals, groups })
    }

    /// Whether `payload` passes every filter.
    pub fn matches(&self, payload: &Value) -> bool {
        if !self.equals.iter().all(|(k, v)| payload.get(k) == Some(v)) {
            return false;
        }
        match &self.groups {
            None => true,
            Some(groups) => groups.iter().any(|g| g.iter().all(|c| c.matches(payload))),
        }
    }
}

fn parse(filter: &Value) -> Result<Vec<Vec<Condition>>, String> {
    let groups = filter
        .get("filterGroup")
        .and_then(Value::as_array)
        .ok_or("a subscription filter is {filterGroup: [...]}, as util.transform.toSubscriptionFilter makes it")?;
    groups
        .iter()
        .map(|g| {
            let filters = g.get("filters").and_then(Value::as_array).ok_or("each filterGroup entry has `filters`")?;
            filters
                .iter()
                .map(|f| {
                    let field = f.get("fieldName").and_then(Value::as_str).ok_or("a filter has no fieldName")?;
                    let operator = f.get("operator").and_then(Value::as_str).ok_or("a filter has no operator")?;
                    if !OPERATORS.contains(&operator) {
                        return Err(format!("unknown subscription filter operator `{operator}`"));
                    }
                    Ok(Condition {
                        path: field.split('.').map(str::to_string).collect(),
                        operator: operator.to_string(),
                        value: f.get("value").cloned().unwrap_or(Value::Null),
                    })
                })
                .collect()
        })
        .collect()
}

fn lookup<'a>(payload: &'a Value, path: &[String]) -> Option<&'a Value> {
    path.iter().try_fold(payload, |v, k| v.get(k))
}

fn compare(a: &Value, b: &Value) -> Option<std::cmp::Ordering> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64()?.partial_cmp(&y.as_f64()?),
        (Value::String(x), Value::String(y)) => Some(x.cmp(y)),
        _ => None,
    }
}

fn contains(hay: &Value, needle: &Value) -> bool {
    match (hay, needle) {
        (Value::String(h), Value::String(n)) => h.contains(n.as_str()),
        (Value::Array(items), n) => items.contains(n),
        _ => false,
    }
}

impl Condition {
    fn matches(&self, payload: &Value) -> bool {
        use std::cmp::Ordering::*;
        let actual = lookup(payload, &self.path);
        let v = &self.value;
        let Some(a) = actual else {
            return match self.operator.as_str() {
                "attributeExists" => v == &Value::Bool(false),
                "ne" | "notContains" | "notIn" => true,
                _ => false,
            };
        };
        let list = || v.as_array().map(Vec::as_slice).unwrap_or(&[]);
        match self.operator.as_str() {
            "eq" => a == v,
            "ne" => a != v,
            "lt" => compare(a, v) == Some(Less),
            "le" => matches!(compare(a, v), Some(Less | Equal)),
            "gt" => compare(a, v) == Some(Greater),
            "ge" => matches!(compare(a, v), Some(Greater | Equal)),
            "contains" => contains(a, v),
            "notContains" => !contains(a, v),
            "beginsWith" => matches!((a, v), (Value::String(x), Value::String(p)) if x.starts_with(p.as_str())),
            "in" => list().contains(a),
            "notIn" => !list().contains(a),
            "between" => {
                let l = list();
                l.len() == 2
                    && matches!(compare(a, &l[0]), Some(Greater | Equal))
                    && matches!(compare(a, &l[1]), Some(Less | Equal))
            }
            "containsAny" => list().iter().any(|n| contains(a, n)),
            "attributeExists" => v != &Value::Bool(false) && !a.is_null(),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Subscriber;
    use serde_json::json;

    #[test]
    fn argument_filters_compare_fields_of_the_returned_type_only() {
        let fields = vec!["owner".to_string(), "text".to_string()];
        let s = Subscriber::new(&json!({"owner": "ann", "filter": {"x": 1}, "text": null}), &fields, None).unwrap();
        assert!(s.matches(&json!({"owner": "ann", "text": "hi"})));
        assert!(!s.matches(&json!({"owner": "bob"})));
    }

    #[test]
    fn enhanced_filters_or_groups_and_filters() {
        let f = json!({"filterGroup": [
            {"filters": [{"fieldName": "priority", "operator": "ge", "value": 3}, {"fieldName": "tags", "operator": "containsAny", "value": ["a", "b"]}]},
            {"filters": [{"fieldName": "author.name", "operator": "beginsWith", "value": "Zo"}]}
        ]});
        let s = Subscriber::new(&json!({}), &[], Some(&f)).unwrap();
        assert!(s.matches(&json!({"priority": 5, "tags": ["b"]})));
        assert!(!s.matches(&json!({"priority": 2, "tags": ["b"]})));
        assert!(!s.matches(&json!({"priority": 5, "tags": ["c"]})));
        assert!(s.matches(&json!({"priority": 0, "author": {"name": "Zoe"}})));
        let owner = json!({"filterGroup": [{"filters": [{"fieldName": "owner", "operator": "in", "value": ["u1::ann", "u1"]}]}]});
        let s = Subscriber::new(&json!({}), &[], Some(&owner)).unwrap();
        assert!(s.matches(&json!({"owner": "u1"})) && !s.matches(&json!({"owner": "u2"})));
        let err = Subscriber::new(
            &json!({}),
            &[],
            Some(&json!({"filterGroup": [{"filters": [{"fieldName": "a", "operator": "like", "value": 1}]}]})),
        )
        .unwrap_err();
        assert!(err.contains("`like`"), "{err}");
    }
}
