//! The buckets' access rules, read from the assembly: the IAM policies
//! attached to each role (`AWS::IAM::Policy`, `AWS::IAM::ManagedPolicy`, a
//! role's inline `Policies`) and each bucket's `AWS::S3::BucketPolicy`. Only
//! statements that can concern S3 are kept.

use std::collections::HashMap;

use serde_json::Value;

use super::error::StorageError;
use super::policy::{evaluate, Decision, PolicyDocument, RequestContext};
use super::principal::Principal;
use crate::assembly::{Assembly, Resource};

/// Every role's S3 policies and every bucket's policy.
#[derive(Debug, Default)]
pub struct AccessRules {
    account_id: String,
    /// Role name → its policy documents.
    role_policies: HashMap<String, Vec<PolicyDocument>>,
    /// Bucket name → its bucket policies.
    bucket_policies: HashMap<String, Vec<PolicyDocument>>,
}

/// The statements of `doc` whose actions can name an S3 action; `None` if none can.
fn s3_statements(doc: &Value) -> Option<Value> {
    let list = match doc.get("Statement")? {
        Value::Array(l) => l.clone(),
        one => vec![one.clone()],
    };
    let could_be_s3 = |p: &str| {
        let p = p.to_ascii_lowercase();
        p.starts_with("s3:") || p == "*" || "s3:".starts_with(p.trim_end_matches('*'))
    };
    let kept: Vec<Value> = list
        .into_iter()
        .filter(|s| match (s.get("Action"), s.get("NotAction")) {
            (Some(Value::String(a)), _) => could_be_s3(a),
            (Some(Value::Array(a)), _) => a.iter().filter_map(Value::as_str).any(could_be_s3),
            (None, Some(_)) => true,
            // Malformed: kept, so that parsing reports it.
            _ => true,
        })
        .collect();
    (!kept.is_empty()).then(|| serde_json::json!({"Statement": kept}))
}

fn names(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).map(str::to_string).collect(),
        Some(Value::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    }
}

fn parse(resource: &Resource, element: &str, doc: &Value) -> Result<Option<PolicyDocument>, StorageError> {
    let Some(doc) = s3_statements(doc) else { return Ok(None) };
    PolicyDocument::parse(&doc).map(Some).map_err(|e| StorageError::Policy {
        resource: format!("{} ({})", resource.logical_id, resource.stack_path),
        element: format!("{element}.{}", e.element),
        message: e.message,
    })
}

impl AccessRules {
    /// Reads the rules of every role and bucket in `assembly`.
    pub fn from_assembly(assembly: &Assembly, account_id: &str) -> Result<AccessRules, StorageError> {
        let mut rules = AccessRules { account_id: account_id.to_string(), ..AccessRules::default() };
        // Managed policies are attached by ARN (their `Ref`) as well as by role.
        let mut managed: HashMap<String, PolicyDocument> = HashMap::new();
        for policy_type in ["AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"] {
            for r in assembly.of_type(policy_type) {
                let Some(doc) = r.properties.get("PolicyDocument") else { continue };
                let Some(doc) = parse(r, "Properties.PolicyDocument", doc)? else { continue };
                for role in names(r.properties.get("Roles")) {
                    rules.role_policies.entry(role).or_default().push(doc.clone());
                }
                if policy_type == "AWS::IAM::ManagedPolicy" {
                    managed.insert(r.reference.clone(), doc);
                }
            }
        }
        for role in assembly.of_type("AWS::IAM::Role") {
            let mut docs = Vec::new();
            if let Some(Value::Array(inline)) = role.properties.get("Policies") {
                for (i, p) in inline.iter().enumerate() {
                    if let Some(doc) = p.get("PolicyDocument") {
                        docs.extend(parse(role, &format!("Properties.Policies[{i}].PolicyDocument"), doc)?);
                    }
                }
            }
            for arn in names(role.properties.get("ManagedPolicyArns")) {
                docs.extend(managed.get(&arn).cloned());
            }
            rules.role_policies.entry(role.physical_id.clone()).or_default().extend(docs);
        }
        for r in assembly.of_type("AWS::S3::BucketPolicy") {
            let (Some(bucket), Some(doc)) = (r.str_property("Bucket"), r.properties.get("PolicyDocument")) else {
                continue;
            };
            if let Some(doc) = parse(r, "Properties.PolicyDocument", doc)? {
                rules.bucket_policies.entry(bucket.to_string()).or_default().push(doc);
            }
        }
        Ok(rules)
    }

    /// The account the rules live in.
    pub fn account_id(&self) -> &str {
        &self.account_id
    }

    /// Decides `action` on `resource` in `bucket` for `principal` (`None`:
    /// an unsigned request), with `keys` as extra condition keys.
    pub fn decide(
        &self,
        principal: Option<&Principal>,
        bucket: &str,
        action: &str,
        resource: &str,
        keys: &[(&str, String)],
        secure_transport: bool,
    ) -> Decision {
        let mut request = RequestContext {
            action: action.to_string(),
            resource: resource.to_string(),
            principal_arn: principal.map(|p| p.role_arn.clone()),
            account_id: self.account_id.clone(),
            keys: Default::default(),
        };
        request.set("aws:SecureTransport", secure_transport.to_string());
        if let Some(p) = principal {
            request.set("aws:PrincipalArn", p.role_arn.clone());
            if let Some(id) = &p.identity_id {
                request.set("cognito-identity.amazonaws.com:sub", id.clone());
            }
        }
        for (k, v) in keys {
            request.set(k, v.clone());
        }
        let identity = principal.and_then(|p| self.role_policies.get(p.role_name())).into_iter().flatten();
        let resource_policies = self.bucket_policies.get(bucket).into_iter().flatten();
        evaluate(identity.chain(resource_policies), &request)
    }
}
