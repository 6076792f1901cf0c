//! `storage` from the `AWS::Amplify::Storage` outputs.

use indexmap::IndexMap;
use serde::Deserialize;
use serde_json::Value;

use crate::outputs::model::{Storage, StorageAccessRule, StorageBucket};
use crate::outputs::source::{from_json_value, parse_json, Group, OutputValue};
use crate::outputs::OutputsError;

const BUCKETS: &str = "buckets";

pub(crate) fn storage(group: &Group) -> Result<Storage, OutputsError> {
    Ok(Storage {
        aws_region: group.required("storageRegion")?,
        bucket_name: group.required("bucketName")?,
        buckets: buckets(group)?,
    })
}

/// How the storage category describes one bucket inside the `buckets` output.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct BucketOutput {
    name: String,
    bucket_name: String,
    storage_region: String,
    #[serde(default)]
    paths: Option<IndexMap<String, StorageAccessRule>>,
}

/// `buckets` is a JSON list whose items are JSON-encoded bucket objects (plain
/// objects are accepted too). Absent means no buckets, as in Amplify; a value
/// that only deployment will tell leaves the list out.
fn buckets(group: &Group) -> Result<Option<Vec<StorageBucket>>, OutputsError> {
    let text = match group.value(BUCKETS) {
        None => return Ok(Some(Vec::new())),
        Some(OutputValue::Deferred) => return Ok(None),
        Some(OutputValue::Known(text) | OutputValue::Partial(text)) => text,
    };
    let items: Vec<Value> = parse_json(BUCKETS, text)?;
    let mut buckets = Vec::with_capacity(items.len());
    for item in items {
        let bucket: BucketOutput = match item {
            Value::String(encoded) => parse_json(BUCKETS, &encoded)?,
            other => from_json_value(BUCKETS, other)?,
        };
        buckets.push(StorageBucket {
            name: bucket.name,
            bucket_name: bucket.bucket_name,
            aws_region: bucket.storage_region,
            paths: bucket.paths,
        });
    }
    Ok(Some(buckets))
}
