//! What is deployed: a stack's status, tags, parameters, outputs, template and
//! resources, as CloudFormation reports them.

use std::collections::{BTreeMap, HashMap};

use aws_sdk_cloudformation::error::ProvideErrorMetadata;
use aws_sdk_cloudformation::types::TemplateStage;
use serde_json::Value as Json;

use crate::aws::{has_code, Aws, OpResult};
use crate::errors::Result;

/// A deployed stack.
#[derive(Clone, Debug, Default)]
pub struct DeployedStack {
    /// Its name.
    pub name: String,
    /// Its id (an ARN).
    pub id: String,
    /// `CREATE_COMPLETE`, ...
    pub status: String,
    /// Why it is in that status.
    pub reason: Option<String>,
    /// Stack tags.
    pub tags: BTreeMap<String, String>,
    /// Parameter names.
    pub parameters: Vec<String>,
    /// Outputs by key.
    pub outputs: BTreeMap<String, String>,
}

impl DeployedStack {
    /// Whether a cloud assembly put it there: CDK templates (ours included) declare
    /// the `BootstrapVersion` parameter, hand-made and foreign stacks do not.
    pub fn is_from_cloud_assembly(&self) -> bool {
        self.parameters.iter().any(|p| p == "BootstrapVersion")
    }
}

/// The stack, or `None` when there is none of that name.
pub async fn describe(aws: &Aws, name: &str) -> Result<Option<DeployedStack>> {
    let out = match aws.cfn.describe_stacks().stack_name(name).send().await {
        Ok(out) => out,
        Err(e) if has_code(&e, "ValidationError") && e.message().is_some_and(|m| m.contains("does not exist")) => {
            return Ok(None)
        }
        Err(e) => return Err(crate::aws::aws_error("CloudFormation.DescribeStacks", &e)),
    };
    let Some(s) = out.stacks.unwrap_or_default().into_iter().next() else { return Ok(None) };
    let status = s.stack_status().map(|s| s.as_str().to_string()).unwrap_or_default();
    if status == "DELETE_COMPLETE" {
        return Ok(None);
    }
    Ok(Some(DeployedStack {
        name: s.stack_name.clone().unwrap_or_else(|| name.into()),
        id: s.stack_id.clone().unwrap_or_else(|| name.into()),
        status,
        reason: s.stack_status_reason.clone(),
        tags: s.tags().iter().filter_map(|t| Some((t.key.clone()?, t.value.clone()?))).collect(),
        parameters: s.parameters().iter().filter_map(|p| p.parameter_key.clone()).collect(),
        outputs: s.outputs().iter().filter_map(|o| Some((o.output_key.clone()?, o.output_value.clone()?))).collect(),
    }))
}

/// The template CloudFormation has for the stack (as submitted).
pub async fn template(aws: &Aws, stack: &str) -> Result<Json> {
    let out = aws
        .cfn
        .get_template()
        .stack_name(stack)
        .template_stage(TemplateStage::Original)
        .send()
        .await
        .op("CloudFormation.GetTemplate")?;
    // A YAML template (not one of ours) reads as `null`: it differs from any
    // assembly template, which is all that matters here.
    Ok(out.template_body.and_then(|b| serde_json::from_str(&b).ok()).unwrap_or(Json::Null))
}

/// Physical ids by logical id.
pub async fn physical_ids(aws: &Aws, stack: &str) -> Result<HashMap<String, String>> {
    let mut ids = HashMap::new();
    let mut token = None;
    loop {
        let page = aws
            .cfn
            .list_stack_resources()
            .stack_name(stack)
            .set_next_token(token)
            .send()
            .await
            .op("CloudFormation.ListStackResources")?;
        for r in page.stack_resource_summaries() {
            if let (Some(l), Some(p)) = (r.logical_resource_id(), r.physical_resource_id()) {
                ids.insert(l.to_string(), p.to_string());
            }
        }
        token = page.next_token;
        if token.is_none() {
            return Ok(ids);
        }
    }
}
