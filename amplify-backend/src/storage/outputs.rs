//! The root stack's storage outputs (`AWS::Amplify::Storage`), which
//! `ampx generate outputs` turns into the `storage` of `amplify_outputs.json`.

use constructs::{fns, Value};

use super::resources::Bucket;
use crate::backend::Backend;

/// The metadata group of the storage outputs.
pub const GROUP: &str = "AWS::Amplify::Storage";

/// Sets the outputs from every bucket built so far (each `define_storage` calls it
/// again, replacing the values): `buckets`, and the default bucket's
/// `storageRegion` and `bucketName`, in Amplify's order.
pub(crate) fn update(backend: &Backend) {
    let storage = backend.storage();
    let buckets: Vec<Value> = storage.buckets().map(|b| fns::to_json_string(&entry(b))).collect();
    let mut outputs = vec![("buckets".to_string(), fns::to_json_string(&Value::Array(buckets)))];
    if let Some(default) = storage.default_bucket() {
        outputs.push(("storageRegion".to_string(), default.region()));
        outputs.push(("bucketName".to_string(), default.bucket_name()));
    }
    backend.add_stack_outputs(GROUP, outputs);
}

/// One element of `buckets`: a JSON object that is itself written as a string,
/// as Amplify writes it.
fn entry(bucket: &Bucket) -> Value {
    let mut pairs = vec![
        ("name", Value::from(bucket.name())),
        ("bucketName", bucket.bucket_name()),
        ("storageRegion", bucket.region()),
    ];
    if let Some(paths) = bucket.paths() {
        let paths = paths.into_iter().map(|(prefix, who)| {
            let who = who.into_iter().map(|(key, actions)| (key, Value::from(actions)));
            (prefix, Value::object(who))
        });
        pairs.push(("paths", Value::object(paths)));
    }
    Value::object(pairs)
}
