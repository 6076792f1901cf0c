//! Applies a ProjectionExpression: keeps only the listed paths of an item.
//! List elements picked by index come back as a shorter list, in index order.

use std::collections::BTreeMap;

use super::ast::{Path, Step};
use crate::dynamodb::value::{AttributeValue, Item};

/// What to keep below one point of the document.
#[derive(Debug, Default)]
struct Keep {
    whole: bool,
    names: BTreeMap<String, Keep>,
    indexes: BTreeMap<usize, Keep>,
}

impl Keep {
    fn add(&mut self, steps: &[Step]) {
        match steps.split_first() {
            None => self.whole = true,
            Some((Step::Name(name), rest)) => self.names.entry(name.clone()).or_default().add(rest),
            Some((Step::Index(i), rest)) => self.indexes.entry(*i).or_default().add(rest),
        }
    }

    fn apply(&self, value: &AttributeValue) -> Option<AttributeValue> {
        if self.whole {
            return Some(value.clone());
        }
        match value {
            AttributeValue::M(map) if !self.names.is_empty() => {
                let kept: BTreeMap<String, AttributeValue> = self
                    .names
                    .iter()
                    .filter_map(|(name, keep)| Some((name.clone(), keep.apply(map.get(name)?)?)))
                    .collect();
                (!kept.is_empty()).then_some(AttributeValue::M(kept))
            }
            AttributeValue::L(list) if !self.indexes.is_empty() => {
                let kept: Vec<AttributeValue> =
                    self.indexes.iter().filter_map(|(i, keep)| keep.apply(list.get(*i)?)).collect();
                (!kept.is_empty()).then_some(AttributeValue::L(kept))
            }
            _ => None,
        }
    }
}

/// The parts of `item` that `paths` name.
pub fn project(item: &Item, paths: &[Path]) -> Item {
    let mut keep = Keep::default();
    for path in paths {
        keep.add(&path.0);
    }
    keep.names.iter().filter_map(|(name, keep)| Some((name.clone(), keep.apply(item.get(name)?)?))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dynamodb::expr::names::Substitutions;
    use crate::dynamodb::expr::parser::parse_projection;
    use crate::dynamodb::value::{item_from_json, item_to_json};
    use serde_json::json;

    #[test]
    fn keeps_nested_paths_and_list_elements() {
        let item = item_from_json(&json!({
            "id": {"S": "1"}, "other": {"N": "2"},
            "m": {"M": {"a": {"N": "1"}, "b": {"M": {"c": {"S": "x"}, "d": {"S": "y"}}}}},
            "l": {"L": [{"S": "l0"}, {"M": {"k": {"S": "l1k"}, "j": {"S": "l1j"}}}, {"S": "l2"}]}
        }))
        .unwrap();
        let paths =
            parse_projection("id, m.b.c, l[2], l[1].k, l[9], gone, m.zz", &mut Substitutions::default()).unwrap();
        assert_eq!(
            item_to_json(&project(&item, &paths)),
            json!({
                "id": {"S": "1"},
                "m": {"M": {"b": {"M": {"c": {"S": "x"}}}}},
                "l": {"L": [{"M": {"k": {"S": "l1k"}}}, {"S": "l2"}]}
            })
        );
    }
}
