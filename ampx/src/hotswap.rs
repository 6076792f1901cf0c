//! Hotswap for sandboxes: when only function code or resolver code changed,
//! update it in place through the Lambda and AppSync APIs, in seconds, instead
//! of a stack update. Anything else changed means a full deployment, and the
//! reason is given.
//!
//! The stack's template then lags behind the code until the next full
//! deployment, which is why hotswap is for sandboxes only, never for branches.

use std::collections::{BTreeMap, HashMap};
use std::io::Write as _;

use aws_sdk_lambda::primitives::Blob;
use serde_json::Value as Json;

use crate::assembly::{self, Assembly};
use crate::aws::{Aws, OpResult};
use crate::bootstrap::Environment;
use crate::deployed;
use crate::errors::{Error, Result};
use crate::intrinsics::Scope;

/// Properties of AppSync resolvers and functions that hold code.
const APPSYNC_CODE: &[&str] = &[
    "Code",
    "CodeS3Location",
    "RequestMappingTemplate",
    "ResponseMappingTemplate",
    "RequestMappingTemplateS3Location",
    "ResponseMappingTemplateS3Location",
];

/// A code change found in a template.
#[derive(Clone, Debug, PartialEq)]
pub struct CodeChange {
    /// The logical ids of the nested stacks it is in, outermost first.
    pub nested_in: Vec<String>,
    /// The resource's logical id.
    pub logical_id: String,
    /// `AWS::Lambda::Function`, `AWS::AppSync::Resolver` or
    /// `AWS::AppSync::FunctionConfiguration`.
    pub resource_type: String,
    /// The resource's new properties.
    pub properties: Json,
}

impl CodeChange {
    fn label(&self) -> String {
        let mut parts = self.nested_in.clone();
        parts.push(self.logical_id.clone());
        parts.join("/")
    }
}

/// What the sandbox will do.
#[derive(Clone, Debug, PartialEq)]
pub enum Plan {
    /// Update these in place.
    Hotswap(Vec<CodeChange>),
    /// Deploy the stack, for this reason.
    Full(String),
}

/// Compares the deployed root template with the new one, following nested
/// stacks through `nested` (deployed nested templates by logical-id path).
pub fn plan(old: &Json, new: &Json, assembly: &Assembly, nested: &HashMap<Vec<String>, Json>) -> Plan {
    let mut changes = Vec::new();
    match compare(old, new, assembly, nested, &[], &mut changes) {
        Err(reason) => Plan::Full(reason),
        Ok(()) if changes.is_empty() => Plan::Full("only template details changed".into()),
        Ok(()) => Plan::Hotswap(changes),
    }
}

/// The nested stacks whose templates changed, as logical-id paths: what `plan`
/// needs deployed templates for. Stops at the first level that is not only code.
pub fn changed_nested(old: &Json, new: &Json) -> Vec<String> {
    let old_resources: BTreeMap<&String, &Json> = assembly::resources(old).collect();
    assembly::resources(new)
        .filter(|(id, r)| {
            assembly::resource_type(r) == "AWS::CloudFormation::Stack"
                && old_resources
                    .get(id)
                    .is_some_and(|o| assembly::nested_template_key(o) != assembly::nested_template_key(r))
        })
        .map(|(id, _)| id.clone())
        .collect()
}

fn compare(
    old: &Json,
    new: &Json,
    assembly: &Assembly,
    nested: &HashMap<Vec<String>, Json>,
    nested_in: &[String],
    out: &mut Vec<CodeChange>,
) -> std::result::Result<(), String> {
    let where_ = if nested_in.is_empty() { String::new() } else { format!(" in {}", nested_in.join("/")) };
    for key in ["Parameters", "Outputs", "Conditions", "Mappings", "Rules", "Transform"] {
        if old.get(key) != new.get(key) {
            return Err(format!("the {key}{where_} changed"));
        }
    }
    let old_resources: BTreeMap<&String, &Json> = assembly::resources(old).collect();
    let new_resources: BTreeMap<&String, &Json> = assembly::resources(new).collect();
    if old_resources.keys().ne(new_resources.keys()) {
        let place = if nested_in.is_empty() { String::new() } else { format!(" {}", nested_in.join("/")) };
        return Err(format!("resources were added to or removed from the stack{place}"));
    }
    for (id, new_r) in new_resources {
        let old_r = old_resources[id];
        if old_r == new_r {
            continue;
        }
        let kind = assembly::resource_type(new_r);
        if kind != assembly::resource_type(old_r) {
            return Err(format!("{id}{where_} changed type"));
        }
        let changed =
            changed_properties(old_r, new_r).map_err(|what| format!("{id} ({kind}){where_}: {what} changed"))?;
        let only = |allowed: &[&str]| changed.iter().all(|p| allowed.contains(&p.as_str()));
        match kind {
            "AWS::CloudFormation::Stack" if only(&["TemplateURL"]) => {
                let mut path = nested_in.to_vec();
                path.push(id.clone());
                let old_child = nested
                    .get(&path)
                    .ok_or_else(|| format!("the deployed template of {} is unknown", path.join("/")))?;
                let new_child = assembly
                    .nested_template(new_r)
                    .ok_or_else(|| format!("{id}: the nested template is not in the assembly"))?;
                compare(old_child, new_child, assembly, nested, &path, out)?;
            }
            "AWS::Lambda::Function" if only(&["Code"]) => out.push(code_change(nested_in, id, kind, new_r)),
            "AWS::AppSync::Resolver" | "AWS::AppSync::FunctionConfiguration" if only(APPSYNC_CODE) => {
                out.push(code_change(nested_in, id, kind, new_r))
            }
            _ => return Err(format!("{id} ({kind}){where_}: {} changed", changed.join(", "))),
        }
    }
    Ok(())
}

fn code_change(nested_in: &[String], id: &str, kind: &str, resource: &Json) -> CodeChange {
    CodeChange {
        nested_in: nested_in.to_vec(),
        logical_id: id.into(),
        resource_type: kind.into(),
        properties: resource.get("Properties").cloned().unwrap_or(Json::Null),
    }
}

/// The properties that differ; `Err` when something besides properties and
/// metadata differs (policies, dependencies, conditions).
fn changed_properties(old: &Json, new: &Json) -> std::result::Result<Vec<String>, String> {
    for key in ["DependsOn", "Condition", "DeletionPolicy", "UpdateReplacePolicy", "UpdatePolicy", "CreationPolicy"] {
        if old.get(key) != new.get(key) {
            return Err(key.into());
        }
    }
    let empty = serde_json::Map::new();
    let props = |r: &Json| r.get("Properties").and_then(Json::as_object).cloned().unwrap_or_else(|| empty.clone());
    let (old_p, new_p) = (props(old), props(new));
    let mut names: Vec<String> = old_p.keys().chain(new_p.keys()).cloned().collect();
    names.sort();
    names.dedup();
    Ok(names.into_iter().filter(|n| old_p.get(n) != new_p.get(n)).collect())
}

/// Deployed nested templates for every changed nested stack, by logical-id path
/// (those in `swapped`, whose code a hotswap replaced, as swapped), and the
/// stacks' ids.
pub async fn fetch_nested(
    aws: &Aws,
    stack_id: &str,
    old: &Json,
    new: &Json,
    assembly: &Assembly,
    swapped: &HashMap<Vec<String>, Json>,
) -> Result<(HashMap<Vec<String>, Json>, HashMap<Vec<String>, String>)> {
    let mut templates = HashMap::new();
    let mut stack_ids = HashMap::from([(Vec::new(), stack_id.to_string())]);
    let mut queue = vec![(Vec::<String>::new(), stack_id.to_string(), old.clone(), new.clone())];
    while let Some((path, id, old, new)) = queue.pop() {
        let changed = changed_nested(&old, &new);
        if changed.is_empty() {
            continue;
        }
        let ids = deployed::physical_ids(aws, &id).await?;
        for logical_id in changed {
            let (Some(child_id), Some(new_child)) = (
                ids.get(&logical_id),
                new.pointer(&format!("/Resources/{logical_id}")).and_then(|r| assembly.nested_template(r)),
            ) else {
                continue;
            };
            let mut child_path = path.clone();
            child_path.push(logical_id);
            let old_child = match swapped.get(&child_path) {
                Some(template) => template.clone(),
                None => deployed::template(aws, child_id).await?,
            };
            templates.insert(child_path.clone(), old_child.clone());
            stack_ids.insert(child_path.clone(), child_id.clone());
            queue.push((child_path, child_id.clone(), old_child, new_child.clone()));
        }
    }
    Ok((templates, stack_ids))
}

/// The new nested templates at these logical-id paths under the root template.
pub fn new_nested<'a>(
    root: &Json,
    assembly: &Assembly,
    paths: impl IntoIterator<Item = &'a Vec<String>>,
) -> HashMap<Vec<String>, Json> {
    let at = |path: &[String]| {
        path.iter().try_fold(root, |template, id| {
            template.pointer(&format!("/Resources/{id}")).and_then(|r| assembly.nested_template(r))
        })
    };
    paths.into_iter().filter_map(|p| Some((p.clone(), at(p)?.clone()))).collect()
}

/// Applies the code changes; returns one line per resource updated.
pub async fn apply(
    aws: &Aws,
    env: &Environment,
    changes: &[CodeChange],
    stack_ids: &HashMap<Vec<String>, String>,
) -> Result<Vec<String>> {
    let mut done = Vec::new();
    let mut scopes: HashMap<Vec<String>, Scope> = HashMap::new();
    for change in changes {
        let stack_id = stack_ids.get(&change.nested_in).ok_or_else(|| hotswap_error(change, "its stack is unknown"))?;
        if !scopes.contains_key(&change.nested_in) {
            let physical = deployed::physical_ids(aws, stack_id).await?;
            let parameters = deployed_parameters(aws, stack_id).await?;
            scopes.insert(change.nested_in.clone(), Scope { env: env.clone(), physical, parameters });
        }
        let scope = &scopes[&change.nested_in];
        let physical =
            scope.physical.get(&change.logical_id).ok_or_else(|| hotswap_error(change, "it is not deployed yet"))?;
        match change.resource_type.as_str() {
            "AWS::Lambda::Function" => update_lambda(aws, scope, change, physical).await?,
            "AWS::AppSync::Resolver" => update_resolver(aws, scope, change).await?,
            _ => update_appsync_function(aws, scope, change, physical).await?,
        }
        done.push(format!("{} ({})", change.label(), change.resource_type));
    }
    Ok(done)
}

fn hotswap_error(change: &CodeChange, why: &str) -> Error {
    Error::Synth(format!("cannot hotswap {}: {why}; run `ampx sandbox` with --no-hotswap", change.label()))
}

async fn deployed_parameters(aws: &Aws, stack_id: &str) -> Result<HashMap<String, String>> {
    let out = aws.cfn.describe_stacks().stack_name(stack_id).send().await.op("CloudFormation.DescribeStacks")?;
    Ok(out
        .stacks()
        .iter()
        .flat_map(|s| s.parameters())
        .filter_map(|p| Some((p.parameter_key.clone()?, p.resolved_value.clone().or(p.parameter_value.clone())?)))
        .collect())
}

async fn update_lambda(aws: &Aws, scope: &Scope, change: &CodeChange, function: &str) -> Result<()> {
    let code = change.properties.get("Code").cloned().unwrap_or(Json::Null);
    let mut request = aws.lambda.update_function_code().function_name(function);
    if let Some(source) = code.get("ZipFile") {
        // Inline code: CloudFormation zips it as index.<ext> for the runtime.
        let source = scope.eval(source).ok_or_else(|| hotswap_error(change, "its inline code cannot be resolved"))?;
        let runtime = change.properties.get("Runtime").and_then(Json::as_str).unwrap_or_default();
        let file = if runtime.starts_with("python") { "index.py" } else { "index.js" };
        request = request.zip_file(Blob::new(zip_one(file, source.as_bytes())?));
    } else {
        let bucket = code.get("S3Bucket").and_then(|v| scope.eval(v));
        let key = code.get("S3Key").and_then(|v| scope.eval(v));
        let (Some(bucket), Some(key)) = (bucket, key) else {
            return Err(hotswap_error(change, "its code location cannot be resolved"));
        };
        request = request.s3_bucket(bucket).s3_key(key);
    }
    request.send().await.op("Lambda.UpdateFunctionCode")?;
    Ok(())
}

/// AppSync's update calls replace the whole resolver or function, so the current
/// one is read and only its code is changed.
async fn update_resolver(aws: &Aws, scope: &Scope, change: &CodeChange) -> Result<()> {
    let p = &change.properties;
    let field = |name: &str| p.get(name).and_then(|v| scope.eval(v));
    let (Some(api_id), Some(type_name), Some(field_name)) = (field("ApiId"), field("TypeName"), field("FieldName"))
    else {
        return Err(hotswap_error(change, "its API, type or field cannot be resolved"));
    };
    let current = aws
        .appsync
        .get_resolver()
        .api_id(&api_id)
        .type_name(&type_name)
        .field_name(&field_name)
        .send()
        .await
        .op("AppSync.GetResolver")?
        .resolver
        .ok_or_else(|| hotswap_error(change, "AppSync returned no resolver"))?;
    let code = code_of(aws, scope, p, change).await?;
    aws.appsync
        .update_resolver()
        .api_id(api_id)
        .type_name(type_name)
        .field_name(field_name)
        .set_data_source_name(current.data_source_name)
        .set_kind(current.kind)
        .set_pipeline_config(current.pipeline_config)
        .set_sync_config(current.sync_config)
        .set_caching_config(current.caching_config)
        .set_max_batch_size(Some(current.max_batch_size))
        .set_runtime(current.runtime)
        .set_code(code.code.or(current.code))
        .set_request_mapping_template(code.request.or(current.request_mapping_template))
        .set_response_mapping_template(code.response.or(current.response_mapping_template))
        .send()
        .await
        .op("AppSync.UpdateResolver")?;
    Ok(())
}

async fn update_appsync_function(aws: &Aws, scope: &Scope, change: &CodeChange, physical: &str) -> Result<()> {
    let p = &change.properties;
    let api_id = p
        .get("ApiId")
        .and_then(|v| scope.eval(v))
        .ok_or_else(|| hotswap_error(change, "its API cannot be resolved"))?;
    // The physical id is the function's ARN, `.../functions/<id>`.
    let function_id = physical.rsplit('/').next().unwrap_or(physical).to_string();
    let current = aws
        .appsync
        .get_function()
        .api_id(&api_id)
        .function_id(&function_id)
        .send()
        .await
        .op("AppSync.GetFunction")?
        .function_configuration
        .ok_or_else(|| hotswap_error(change, "AppSync returned no function"))?;
    let code = code_of(aws, scope, p, change).await?;
    aws.appsync
        .update_function()
        .api_id(api_id)
        .function_id(function_id)
        .set_name(current.name)
        .set_description(current.description)
        .set_data_source_name(current.data_source_name)
        .set_function_version(current.function_version)
        .set_sync_config(current.sync_config)
        .set_max_batch_size(Some(current.max_batch_size))
        .set_runtime(current.runtime)
        .set_code(code.code.or(current.code))
        .set_request_mapping_template(code.request.or(current.request_mapping_template))
        .set_response_mapping_template(code.response.or(current.response_mapping_template))
        .send()
        .await
        .op("AppSync.UpdateFunction")?;
    Ok(())
}

#[derive(Default)]
struct AppSyncCode {
    code: Option<String>,
    request: Option<String>,
    response: Option<String>,
}

/// The code of a resolver or function, inline or from its S3 location.
async fn code_of(aws: &Aws, scope: &Scope, p: &Json, change: &CodeChange) -> Result<AppSyncCode> {
    let read = |inline: &str, s3: &str| {
        let inline = p.get(inline).and_then(|v| scope.eval(v));
        let location =
            p.get(s3).map(|v| scope.eval(v).ok_or_else(|| hotswap_error(change, "an S3 location cannot be resolved")));
        (inline, location.transpose())
    };
    let mut out = AppSyncCode::default();
    for (slot, inline, s3) in [
        (&mut out.code, "Code", "CodeS3Location"),
        (&mut out.request, "RequestMappingTemplate", "RequestMappingTemplateS3Location"),
        (&mut out.response, "ResponseMappingTemplate", "ResponseMappingTemplateS3Location"),
    ] {
        let (inline, location) = read(inline, s3);
        *slot = match (inline, location?) {
            (Some(code), _) => Some(code),
            (None, Some(url)) => Some(read_s3(aws, &url).await?),
            (None, None) => None,
        };
    }
    Ok(out)
}

/// The text of the object at `s3://bucket/key`.
pub(crate) async fn read_s3(aws: &Aws, url: &str) -> Result<String> {
    let (bucket, key) = url
        .strip_prefix("s3://")
        .and_then(|u| u.split_once('/'))
        .ok_or_else(|| Error::Synth(format!("'{url}' is not an s3:// URL")))?;
    let out = aws.s3.get_object().bucket(bucket).key(key).send().await.op("S3.GetObject")?;
    let bytes = out.body.collect().await.map_err(|e| Error::Aws {
        operation: "S3.GetObject".into(),
        message: e.to_string(),
        advice: String::new(),
    })?;
    String::from_utf8(bytes.to_vec()).map_err(|_| Error::Synth(format!("{url} is not UTF-8 text")))
}

fn zip_one(name: &str, bytes: &[u8]) -> Result<Vec<u8>> {
    let err = |e: String| Error::Synth(format!("cannot zip inline code: {e}"));
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().last_modified_time(zip::DateTime::default());
    zip.start_file(name, options).map_err(|e| err(e.to_string()))?;
    zip.write_all(bytes).map_err(|e| err(e.to_string()))?;
    Ok(zip.finish().map_err(|e| err(e.to_string()))?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn empty_assembly() -> Assembly {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("manifest.json"), r#"{"version":"55.0.0","artifacts":{}}"#).unwrap();
        Assembly::read(dir.path()).unwrap()
    }

    fn function(key: &str, memory: u32) -> Json {
        json!({"Type": "AWS::Lambda::Function", "Properties": {
            "Code": {"S3Bucket": {"Fn::Sub": "cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}"}, "S3Key": key},
            "Handler": "index.handler", "Runtime": "nodejs20.x", "MemorySize": memory}})
    }

    #[test]
    fn code_only_changes_are_hotswapped() {
        let old = json!({"Resources": {"Fn": function("a.zip", 128), "Table": {"Type": "AWS::DynamoDB::Table"}}});
        let new = json!({"Resources": {"Fn": function("b.zip", 128), "Table": {"Type": "AWS::DynamoDB::Table"}}});
        match plan(&old, &new, &empty_assembly(), &HashMap::new()) {
            Plan::Hotswap(changes) => {
                assert_eq!(changes.len(), 1);
                assert_eq!(changes[0].logical_id, "Fn");
                assert_eq!(changes[0].properties["Code"]["S3Key"], "b.zip");
            }
            other => panic!("expected a hotswap, got {other:?}"),
        }
    }

    #[test]
    fn anything_else_is_a_full_deployment_with_a_reason() {
        let old = json!({"Resources": {"Fn": function("a.zip", 128)}});
        let bigger = json!({"Resources": {"Fn": function("b.zip", 256)}});
        assert_eq!(
            plan(&old, &bigger, &empty_assembly(), &HashMap::new()),
            Plan::Full("Fn (AWS::Lambda::Function): Code, MemorySize changed".into())
        );
        let added = json!({"Resources": {"Fn": function("a.zip", 128), "B": {"Type": "AWS::S3::Bucket"}}});
        assert!(
            matches!(plan(&old, &added, &empty_assembly(), &HashMap::new()), Plan::Full(r) if r == "resources were added to or removed from the stack")
        );
        let output = json!({"Resources": {"Fn": function("b.zip", 128)}, "Outputs": {"X": {"Value": "1"}}});
        assert!(
            matches!(plan(&old, &output, &empty_assembly(), &HashMap::new()), Plan::Full(r) if r.contains("Outputs"))
        );
    }
}

#[cfg(test)]
#[path = "hotswap_appsync_tests.rs"]
mod appsync_tests;
