//! Who calls functions locally, and with what event:
//!
//! - AppSync's `AWS_LAMBDA` data sources ([`LambdaApi`]): the resolver's
//!   payload, synchronously (asynchronously for the `Event` invocation type);
//! - user pool triggers ([`TriggerInvoker`]): Cognito's trigger events;
//! - storage notifications ([`ObjectEvents`]): the local S3 reports each
//!   object change, and each matching `NotificationConfiguration` of the
//!   bucket gets S3's event record, asynchronously;
//! - schedules ([`Schedule`]): an `AWS::Events::Rule` or an EventBridge
//!   Scheduler `AWS::Scheduler::Schedule` (zoned schedules) targeting a
//!   function runs on demand (`ampx dev invoke`), with the event its service sends.

use serde_json::{json, Value};

use super::service::Lambda;
use crate::appsync::datasource::LambdaApi;
use crate::assembly::Assembly;
use crate::cognito::TriggerInvoker;

impl LambdaApi for Lambda {
    fn invoke(&self, function: &str, event: &Value) -> Result<Value, (String, String)> {
        self.invoke_blocking(function, event).map_err(|e| e.parts())
    }

    fn invoke_event(&self, function: &str, event: &Value) -> Result<(), (String, String)> {
        Lambda::invoke_event(self, function, event);
        Ok(())
    }
}

impl TriggerInvoker for Lambda {
    fn invoke(&self, function: &str, event: &Value) -> Result<Value, (String, String)> {
        self.invoke_blocking(function, event).map_err(|e| e.parts())
    }
}

/// One change to an object, as the local S3 reports it.
#[derive(Clone, Debug, PartialEq)]
pub struct ObjectEvent {
    /// The bucket's (local) name.
    pub bucket: String,
    /// The object's key (not URL-encoded).
    pub key: String,
    /// S3's event name without the `s3:` prefix: `ObjectCreated:Put`,
    /// `ObjectCreated:Copy`, `ObjectCreated:CompleteMultipartUpload`,
    /// `ObjectRemoved:Delete`.
    pub event_name: String,
    /// The object's size (created objects).
    pub size: Option<u64>,
    /// The object's ETag, without quotes (created objects).
    pub etag: Option<String>,
    /// Who made the change (an identity id, a role), if known.
    pub principal: Option<String>,
}

/// What the local S3 calls after each object change. The backend hands the
/// S3 service one (the Lambda service, through [`StorageTriggers`]).
pub trait ObjectEvents: Send + Sync {
    /// Reports `event`; it returns at once (notifications are asynchronous).
    fn object_changed(&self, event: &ObjectEvent);
}

/// One `LambdaConfigurations` entry of a bucket's notifications.
#[derive(Clone, Debug, PartialEq)]
pub struct BucketTrigger {
    /// The bucket's (local) name.
    pub bucket: String,
    /// `s3:ObjectCreated:*`, `s3:ObjectRemoved:Delete`, ...
    pub event: String,
    /// The function's ARN.
    pub function: String,
    /// `Filter.S3Key.Rules` `prefix` and `suffix`.
    pub prefix: String,
    /// See `prefix`.
    pub suffix: String,
}

impl BucketTrigger {
    /// Whether an `event_name` (`ObjectCreated:Put`) on `key` matches.
    pub fn matches(&self, event_name: &str, key: &str) -> bool {
        let pattern = self.event.strip_prefix("s3:").unwrap_or(&self.event);
        let event_ok = match pattern.strip_suffix('*') {
            Some(prefix) => event_name.starts_with(prefix),
            None => event_name == pattern,
        };
        event_ok && key.starts_with(&self.prefix) && key.ends_with(&self.suffix)
    }
}

/// Every bucket notification to a function in the assembly.
pub fn bucket_triggers(assembly: &Assembly) -> Vec<BucketTrigger> {
    let mut out = Vec::new();
    for bucket in assembly.of_type("AWS::S3::Bucket") {
        let configs = bucket
            .properties
            .get("NotificationConfiguration")
            .and_then(|n| n.get("LambdaConfigurations"))
            .and_then(Value::as_array);
        for c in configs.into_iter().flatten() {
            let (Some(event), Some(function)) =
                (c.get("Event").and_then(Value::as_str), c.get("Function").and_then(Value::as_str))
            else {
                continue;
            };
            let rules = c.get("Filter").and_then(|f| f.get("S3Key")).and_then(|k| k.get("Rules"));
            let rule = |name: &str| {
                rules
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .find(|r| r.get("Name").and_then(Value::as_str).is_some_and(|n| n.eq_ignore_ascii_case(name)))
                    .and_then(|r| r.get("Value").and_then(Value::as_str))
                    .unwrap_or_default()
                    .to_string()
            };
            out.push(BucketTrigger {
                bucket: bucket.physical_id.clone(),
                event: event.to_string(),
                function: function.to_string(),
                prefix: rule("prefix"),
                suffix: rule("suffix"),
            });
        }
    }
    out
}

/// The S3 event record for `e`, as a notification carries it.
pub fn s3_event(e: &ObjectEvent, region: &str) -> Value {
    // S3 form-encodes each segment of the key and keeps the slashes.
    let key = e
        .key
        .split('/')
        .map(|segment| url::form_urlencoded::byte_serialize(segment.as_bytes()).collect::<String>())
        .collect::<Vec<_>>()
        .join("/");
    let mut object = json!({"key": key, "sequencer": format!("{:016X}", now_ms())});
    if let Some(size) = e.size {
        object["size"] = json!(size);
    }
    if let Some(etag) = &e.etag {
        object["eTag"] = json!(etag);
    }
    let principal = e.principal.clone().unwrap_or_else(|| "AWS:LOCAL".into());
    json!({"Records": [{
        "eventVersion": "2.1",
        "eventSource": "aws:s3",
        "awsRegion": region,
        "eventTime": now_iso(),
        "eventName": e.event_name,
        "userIdentity": {"principalId": principal},
        "requestParameters": {"sourceIPAddress": "127.0.0.1"},
        "responseElements": {"x-amz-request-id": uuid::Uuid::new_v4().simple().to_string()},
        "s3": {
            "s3SchemaVersion": "1.0",
            "configurationId": "local",
            "bucket": {"name": e.bucket, "ownerIdentity": {"principalId": "LOCAL"}, "arn": format!("arn:aws:s3:::{}", e.bucket)},
            "object": object,
        },
    }]})
}

/// The Lambda service with the assembly's bucket notifications: what the
/// local S3 is given as its [`ObjectEvents`].
pub struct StorageTriggers {
    /// The service.
    pub lambda: Lambda,
    /// The notifications.
    pub triggers: std::sync::RwLock<Vec<BucketTrigger>>,
    /// `awsRegion` in the records.
    pub region: String,
}

impl ObjectEvents for StorageTriggers {
    fn object_changed(&self, event: &ObjectEvent) {
        let triggers = self.triggers.read().unwrap_or_else(|e| e.into_inner());
        for t in triggers.iter().filter(|t| t.bucket == event.bucket && t.matches(&event.event_name, &event.key)) {
            self.lambda.invoke_event(&t.function, &s3_event(event, &self.region));
        }
    }
}

/// A rule or a schedule that runs a function.
#[derive(Clone, Debug, PartialEq)]
pub struct Schedule {
    /// The rule's (or schedule's) local ARN.
    pub rule_arn: String,
    /// `ScheduleExpression` (`rate(5 minutes)`, `cron(...)`).
    pub expression: String,
    /// The target function's ARN.
    pub function: String,
    /// The target's `Input`, if it gives one (sent instead of the event).
    pub input: Option<Value>,
    /// The time zone of an EventBridge Scheduler schedule
    /// (`ScheduleExpressionTimezone`); `None` for an EventBridge rule, which
    /// runs in UTC.
    pub time_zone: Option<String>,
    /// Whether EventBridge Scheduler runs it (an `AWS::Scheduler::Schedule`)
    /// rather than an EventBridge rule.
    pub scheduler: bool,
}

/// Every scheduled rule and EventBridge Scheduler schedule of the assembly
/// that targets a function, rules first.
pub fn schedules_of(assembly: &Assembly) -> Vec<Schedule> {
    let mut out = Vec::new();
    for rule in assembly.of_type("AWS::Events::Rule") {
        let Some(expression) = rule.str_property("ScheduleExpression") else { continue };
        let targets = rule.properties.get("Targets").and_then(Value::as_array);
        for t in targets.into_iter().flatten() {
            let Some(arn) = t.get("Arn").and_then(Value::as_str).filter(|a| a.contains(":function:")) else {
                continue;
            };
            out.push(Schedule {
                rule_arn: rule.str_attribute("Arn").unwrap_or_default().to_string(),
                expression: expression.to_string(),
                function: arn.to_string(),
                input: t.get("Input").and_then(Value::as_str).and_then(|s| serde_json::from_str(s).ok()),
                time_zone: None,
                scheduler: false,
            });
        }
    }
    for schedule in assembly.of_type("AWS::Scheduler::Schedule") {
        let Some(expression) = schedule.str_property("ScheduleExpression") else { continue };
        if schedule.str_property("State") == Some("DISABLED") {
            continue;
        }
        let target = schedule.properties.get("Target");
        let Some(arn) = target.and_then(|t| t.get("Arn")).and_then(Value::as_str).filter(|a| a.contains(":function:"))
        else {
            continue;
        };
        out.push(Schedule {
            rule_arn: schedule.str_attribute("Arn").unwrap_or_default().to_string(),
            expression: expression.to_string(),
            function: arn.to_string(),
            input: target
                .and_then(|t| t.get("Input"))
                .and_then(Value::as_str)
                .and_then(|s| serde_json::from_str(s).ok()),
            time_zone: schedule.str_property("ScheduleExpressionTimezone").map(str::to_string),
            scheduler: true,
        });
    }
    out
}

impl Schedule {
    /// What the function receives: the target's `Input` if it gives one, else
    /// EventBridge's `Scheduled Event` for a rule, or an empty object from
    /// EventBridge Scheduler (a templated Lambda target with no input).
    pub fn event(&self, region: &str, account: &str) -> Value {
        if let Some(input) = &self.input {
            return input.clone();
        }
        if self.scheduler {
            return json!({});
        }
        json!({
            "version": "0",
            "id": uuid::Uuid::new_v4().to_string(),
            "detail-type": "Scheduled Event",
            "source": "aws.events",
            "account": account,
            "time": now_iso_seconds(),
            "region": region,
            "resources": [self.rule_arn],
            "detail": {},
        })
    }
}

fn now_ms() -> u128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis())
}

fn now_iso() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

fn now_iso_seconds() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_triggers_match_event_patterns_and_key_filters() {
        let t = BucketTrigger {
            bucket: "b".into(),
            event: "s3:ObjectCreated:*".into(),
            function: "f".into(),
            prefix: "photos/".into(),
            suffix: ".jpg".into(),
        };
        assert!(t.matches("ObjectCreated:Put", "photos/a.jpg"));
        assert!(t.matches("ObjectCreated:CompleteMultipartUpload", "photos/b.jpg"));
        assert!(!t.matches("ObjectRemoved:Delete", "photos/a.jpg"));
        assert!(!t.matches("ObjectCreated:Put", "other/a.jpg"));
        assert!(!t.matches("ObjectCreated:Put", "photos/a.png"));
        let exact =
            BucketTrigger { event: "s3:ObjectRemoved:Delete".into(), prefix: "".into(), suffix: "".into(), ..t };
        assert!(exact.matches("ObjectRemoved:Delete", "x"));
        assert!(!exact.matches("ObjectRemoved:DeleteMarkerCreated", "x"));
    }

    #[test]
    fn s3_records_encode_keys_as_s3_does() {
        let e = ObjectEvent {
            bucket: "media".into(),
            key: "photos/a b+c.jpg".into(),
            event_name: "ObjectCreated:Put".into(),
            size: Some(3),
            etag: Some("abc".into()),
            principal: None,
        };
        let v = s3_event(&e, "us-east-1");
        let r = &v["Records"][0];
        assert_eq!(r["s3"]["object"]["key"], "photos/a+b%2Bc.jpg");
        assert_eq!(r["s3"]["bucket"]["arn"], "arn:aws:s3:::media");
        assert_eq!(r["eventName"], "ObjectCreated:Put");
        assert_eq!(r["s3"]["object"]["size"], 3);
    }
}
