//! GetItem, Query and Scan.

use std::ops::Bound;
use std::sync::Arc;

use serde_json::{json, Value};

use super::request::{self, boolean, string};
use crate::dynamodb::error::DynamoError;
use crate::dynamodb::expr::ast::{Comparator, Condition, Path};
use crate::dynamodb::expr::eval::evaluate;
use crate::dynamodb::expr::key_condition::{parse_key_condition, KeyCondition, SortCondition};
use crate::dynamodb::expr::names::Substitutions;
use crate::dynamodb::expr::parser::{parse_condition, parse_projection, ExpressionKind};
use crate::dynamodb::expr::projection::project;
use crate::dynamodb::keycode::{encode, prefix_end};
use crate::dynamodb::storage::{partition_prefix, Reader};
use crate::dynamodb::store::Store;
use crate::dynamodb::table::{IndexDefinition, Projection, TableDefinition};
use crate::dynamodb::value::{item_from_json, item_size, item_to_json, Item};

/// Query and Scan stop once they have read this much.
const PAGE_BYTES: usize = 1024 * 1024;

/// GetItem.
pub fn get_item(store: &Store, request: &Value) -> Result<Value, DynamoError> {
    let table = request::table(store, request)?;
    let mut subs = Substitutions::from_request(request)?;
    let projection = string(request, "ProjectionExpression")?.map(|p| parse_projection(p, &mut subs)).transpose()?;
    subs.check_all_used(projection.is_some())?;
    let (key, _) = request::key(&table, request.get("Key"))?;
    boolean(request, "ConsistentRead")?;
    let reader = store.storage().read()?;
    Ok(match reader.get(&table, &key)? {
        Some(item) => json!({ "Item": item_to_json(&apply_projection(&item, projection.as_deref())) }),
        None => json!({}),
    })
}

/// Applies an optional ProjectionExpression.
pub fn apply_projection(item: &Item, paths: Option<&[Path]>) -> Item {
    match paths {
        Some(paths) => project(item, paths),
        None => item.clone(),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Select {
    AllAttributes,
    AllProjected,
    Specific,
    Count,
}

/// What Query and Scan share: where to read, what to keep and return.
struct Read {
    table: Arc<TableDefinition>,
    index: Option<IndexDefinition>,
    filter: Option<Condition>,
    projection: Option<Vec<Path>>,
    select: Select,
    limit: Option<usize>,
    start: Option<Vec<u8>>,
}

impl Read {
    fn parse(
        store: &Store,
        request: &Value,
        subs: &mut Substitutions,
        any_expression: &mut bool,
    ) -> Result<Read, DynamoError> {
        let table = request::table(store, request)?;
        let index = match string(request, "IndexName")? {
            Some(name) => Some(table.index(name).cloned().ok_or_else(|| {
                DynamoError::validation(format!("The table does not have the specified index: {name}"))
            })?),
            None => None,
        };
        if boolean(request, "ConsistentRead")? == Some(true) && index.as_ref().is_some_and(|i| !i.local) {
            return Err(DynamoError::validation("Consistent reads are not supported on global secondary indexes"));
        }
        let filter = match string(request, "FilterExpression")? {
            Some(source) => {
                *any_expression = true;
                Some(parse_condition(source, ExpressionKind::Filter, subs)?)
            }
            None => None,
        };
        let projection = match string(request, "ProjectionExpression")? {
            Some(source) => {
                *any_expression = true;
                Some(parse_projection(source, subs)?)
            }
            None => None,
        };
        let select = match string(request, "Select")? {
            None if projection.is_some() => Select::Specific,
            None if index.is_some() => Select::AllProjected,
            None => Select::AllAttributes,
            Some("ALL_ATTRIBUTES") => Select::AllAttributes,
            Some("ALL_PROJECTED_ATTRIBUTES") => Select::AllProjected,
            Some("SPECIFIC_ATTRIBUTES") => Select::Specific,
            Some("COUNT") => Select::Count,
            Some(other) => {
                return Err(DynamoError::validation(format!(
                    "1 validation error detected: Value '{other}' at 'select' failed to satisfy constraint: Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]"
                )))
            }
        };
        if projection.is_some() && select != Select::Specific {
            let name = string(request, "Select")?.unwrap_or_default();
            return Err(DynamoError::validation(format!(
                "Cannot specify the ProjectionExpression when choosing to get {name}"
            )));
        }
        if projection.is_none() && select == Select::Specific {
            return Err(DynamoError::validation(
                "SPECIFIC_ATTRIBUTES requires a ProjectionExpression listing the attributes to return",
            ));
        }
        if select == Select::AllProjected && index.is_none() {
            return Err(DynamoError::validation(
                "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName",
            ));
        }
        if let (Select::AllAttributes, Some(index)) = (select, &index) {
            if !index.local && index.projection != Projection::All {
                return Err(DynamoError::validation(format!(
                    "One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index {} because its projection type is not ALL",
                    index.name
                )));
            }
        }
        let limit = match request.get("Limit") {
            None | Some(Value::Null) => None,
            Some(value) => match value.as_i64() {
                Some(n) if n >= 1 => Some(n as usize),
                Some(n) => {
                    return Err(DynamoError::validation(format!(
                        "1 validation error detected: Value '{n}' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"
                    )))
                }
                None => return Err(DynamoError::new("SerializationException", "Limit must be an integer")),
            },
        };
        let start = match request.get("ExclusiveStartKey") {
            None | Some(Value::Null) => None,
            Some(json) => Some(start_position(&table, index.as_ref(), &item_from_json(json)?)?),
        };
        Ok(Read { table, index, filter, projection, select, limit, start })
    }

    /// Reads entries in `lower..upper` (only those `keep` accepts) and builds the page.
    fn run(
        &self,
        reader: &Reader,
        mut lower: Bound<Vec<u8>>,
        mut upper: Bound<Vec<u8>>,
        forward: bool,
        keep: impl Fn(&Item) -> bool,
    ) -> Result<Value, DynamoError> {
        if let Some(start) = &self.start {
            if forward {
                lower = Bound::Excluded(start.clone());
            } else {
                upper = Bound::Excluded(start.clone());
            }
        }
        let mut items = Vec::new();
        let (mut scanned, mut count, mut bytes) = (0usize, 0usize, 0usize);
        let mut last: Option<Item> = None;
        let mut more = false;
        reader.range(&self.table, self.index.as_ref(), lower, upper, forward, |entry| {
            let Some(item) = reader.get(&self.table, entry.table_key)? else { return Ok(true) };
            if !keep(&item) {
                return Ok(true);
            }
            if self.limit.is_some_and(|limit| scanned >= limit) {
                more = true;
                return Ok(false);
            }
            let size = item_size(&item);
            if scanned > 0 && bytes + size > PAGE_BYTES {
                more = true;
                return Ok(false);
            }
            bytes += size;
            scanned += 1;
            let visible = self.visible(&item);
            if self.filter.as_ref().is_none_or(|f| evaluate(f, &visible)) {
                count += 1;
                if self.select != Select::Count {
                    items.push(item_to_json(&apply_projection(&visible, self.projection.as_deref())));
                }
            }
            last = Some(item);
            Ok(true)
        })?;
        let mut response = json!({ "Count": count, "ScannedCount": scanned });
        if self.select != Select::Count {
            response["Items"] = Value::Array(items);
        }
        // DynamoDB gives a LastEvaluatedKey whenever a page stops early, even
        // if nothing follows when the limit is met exactly.
        let stopped_by_limit = self.limit.is_some_and(|limit| scanned >= limit);
        if more || stopped_by_limit {
            if let Some(last) = last {
                response["LastEvaluatedKey"] = item_to_json(&self.key_of(&last));
            }
        }
        Ok(response)
    }

    /// The attributes of `item` that the index (if any) holds.
    fn visible(&self, item: &Item) -> Item {
        let Some(index) = &self.index else { return item.clone() };
        let fetch_all = index.local && self.select == Select::AllAttributes;
        let names: Vec<&str> = match &index.projection {
            _ if fetch_all => return item.clone(),
            Projection::All => return item.clone(),
            Projection::KeysOnly => Vec::new(),
            Projection::Include(names) => names.iter().map(String::as_str).collect(),
        };
        item.iter()
            .filter(|(name, _)| {
                self.table.key.contains(name) || index.key.contains(name) || names.contains(&name.as_str())
            })
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    /// The LastEvaluatedKey for `item`: the table's key, and the index's.
    fn key_of(&self, item: &Item) -> Item {
        let mut key = request::key_of(&self.table, item);
        if let Some(index) = &self.index {
            for attribute in index.key.attributes() {
                if let Some(value) = item.get(&attribute.name) {
                    key.insert(attribute.name.clone(), value.clone());
                }
            }
        }
        key
    }
}

/// Where an ExclusiveStartKey points in the table or index.
fn start_position(
    table: &TableDefinition,
    index: Option<&IndexDefinition>,
    start: &Item,
) -> Result<Vec<u8>, DynamoError> {
    let invalid = || {
        DynamoError::validation(
            "The provided starting key is invalid: The provided key element does not match the schema",
        )
    };
    let (partition, sort) = table.key.values_in(start).ok_or_else(invalid)?;
    let table_key = crate::dynamodb::keycode::encode_key(partition, sort);
    match index {
        None => Ok(table_key),
        Some(index) => {
            let (partition, sort) = index.key.values_in(start).ok_or_else(invalid)?;
            let mut key = crate::dynamodb::keycode::encode_key(partition, sort);
            key.extend(table_key);
            Ok(key)
        }
    }
}

/// Query.
pub fn query(store: &Store, request: &Value) -> Result<Value, DynamoError> {
    let mut subs = Substitutions::from_request(request)?;
    let mut any_expression = true;
    let table = request::table(store, request)?;
    let source = string(request, "KeyConditionExpression")?.ok_or_else(|| {
        DynamoError::validation(
            "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.",
        )
    })?;
    let schema = match string(request, "IndexName")? {
        Some(name) => match table.index(name) {
            Some(index) => index.key.clone(),
            None => {
                return Err(DynamoError::validation(format!("The table does not have the specified index: {name}")))
            }
        },
        None => table.key.clone(),
    };
    let key_condition = parse_key_condition(source, &schema, &mut subs)?;
    let read = Read::parse(store, request, &mut subs, &mut any_expression)?;
    subs.check_all_used(any_expression)?;
    if let Some(filter) = &read.filter {
        if let Some(path) = filter.paths().into_iter().find(|p| schema.contains(p.root())) {
            return Err(DynamoError::validation(format!(
                "Filter Expression can only contain non-primary key attributes: Primary key attribute: {}",
                path.root()
            )));
        }
    }
    let forward = boolean(request, "ScanIndexForward")?.unwrap_or(true);
    let (lower, upper) = query_bounds(&key_condition);
    if let Some(start) = &read.start {
        if !start.starts_with(&partition_prefix(&key_condition.partition)) {
            return Err(DynamoError::validation(
                "The provided starting key is outside query boundaries based on provided conditions",
            ));
        }
    }
    let sort_name = schema.sort.as_ref().map(|s| s.name.clone());
    let reader = store.storage().read()?;
    read.run(&reader, lower, upper, forward, |item| match (&key_condition.sort, &sort_name) {
        (Some(condition), Some(name)) => item.get(name).is_some_and(|v| condition.matches(v)),
        _ => true,
    })
}

/// The key range a key condition reads: its partition, narrowed by the sort condition.
fn query_bounds(condition: &KeyCondition) -> (Bound<Vec<u8>>, Bound<Vec<u8>>) {
    let prefix = partition_prefix(&condition.partition);
    let with = |value: &crate::dynamodb::value::AttributeValue| {
        let mut key = prefix.clone();
        encode(value, &mut key);
        key
    };
    let after = |key: Vec<u8>| prefix_end(&key).map_or(Bound::Unbounded, Bound::Excluded);
    let whole = (Bound::Included(prefix.clone()), prefix_end(&prefix).map_or(Bound::Unbounded, Bound::Excluded));
    match &condition.sort {
        None | Some(SortCondition::BeginsWith(_)) | Some(SortCondition::Compare(Comparator::Ne, _)) => whole,
        Some(SortCondition::Compare(comparator, value)) => match comparator {
            Comparator::Eq => (Bound::Included(with(value)), after(with(value))),
            Comparator::Lt | Comparator::Le => (whole.0, after(with(value))),
            _ => (Bound::Included(with(value)), whole.1),
        },
        Some(SortCondition::Between(low, high)) => (Bound::Included(with(low)), after(with(high))),
    }
}

/// Scan.
pub fn scan(store: &Store, request: &Value) -> Result<Value, DynamoError> {
    let mut subs = Substitutions::from_request(request)?;
    let mut any_expression = false;
    let read = Read::parse(store, request, &mut subs, &mut any_expression)?;
    subs.check_all_used(any_expression)?;
    let segment = request.get("Segment").map(|v| v.as_u64());
    let total = request.get("TotalSegments").map(|v| v.as_u64());
    let segments = match (segment, total) {
        (None, None) => None,
        (Some(Some(segment)), Some(Some(total))) => {
            if !(1..=1_000_000).contains(&total) {
                return Err(DynamoError::validation(format!(
                    "1 validation error detected: Value '{total}' at 'totalSegments' failed to satisfy constraint: Member must have value between 1 and 1000000"
                )));
            }
            if segment >= total {
                return Err(DynamoError::validation(format!(
                    "The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: {segment} is not less than TotalSegments: {total}"
                )));
            }
            Some((segment, total))
        }
        (Some(None), _) | (_, Some(None)) => {
            return Err(DynamoError::validation("Segment and TotalSegments must be non-negative integers"))
        }
        (Some(_), None) => return Err(DynamoError::validation("The TotalSegments parameter is required but was not present in the request when Segment parameter is present")),
        (None, Some(_)) => return Err(DynamoError::validation("The Segment parameter is required but was not present in the request when parameter TotalSegments is present")),
    };
    let partition = read.index.as_ref().map_or(&read.table.key, |i| &i.key).partition.name.clone();
    let reader = store.storage().read()?;
    read.run(&reader, Bound::Unbounded, Bound::Unbounded, true, |item| match segments {
        None => true,
        Some((segment, total)) => item.get(&partition).is_some_and(|v| fnv1a(&partition_prefix(v)) % total == segment),
    })
}

/// A stable hash that spreads partitions over scan segments.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, b| (hash ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3))
}
