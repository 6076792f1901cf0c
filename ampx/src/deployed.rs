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

    /// Why ampx must not deploy over (or delete) the stack, if it must not: it
    /// was not deployed from a cloud assembly, or the new deployment is an
    /// Amplify backend's (its `tags` have the Amplify tag) and the stack lacks
    /// the tag any Amplify deployment of that name would have left.
    pub fn foreign_because(&self, tags: &BTreeMap<String, String>) -> Option<String> {
        if !self.is_from_cloud_assembly() {
            return Some("was not deployed from a CDK app (it has no BootstrapVersion parameter)".into());
        }
        (tags.contains_key(AMPLIFY_TAG) && !self.tags.contains_key(AMPLIFY_TAG)).then(|| {
            format!("was deployed by another CDK app (it has no {AMPLIFY_TAG} tag, which every Amplify backend's has)")
        })
    }
}

/// The tag every Amplify backend's root stack carries.
const AMPLIFY_TAG: &str = "amplify:deployment-type";

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

#[cfg(test)]
mod tests {
    use super::*;

    fn stack(parameters: &[&str], tags: &[(&str, &str)]) -> DeployedStack {
        DeployedStack {
            parameters: parameters.iter().map(|p| p.to_string()).collect(),
            tags: tags.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            ..DeployedStack::default()
        }
    }

    #[test]
    fn stacks_that_are_not_ours_are_recognized() {
        let amplify: BTreeMap<String, String> = [(AMPLIFY_TAG.to_string(), "sandbox".to_string())].into();
        let none = BTreeMap::new();
        let hand_made = stack(&[], &[]);
        assert!(hand_made.foreign_because(&none).unwrap().contains("no BootstrapVersion parameter"));
        let other_cdk_app = stack(&["BootstrapVersion"], &[("team", "billing")]);
        assert!(other_cdk_app.foreign_because(&amplify).unwrap().contains("no amplify:deployment-type tag"));
        assert_eq!(other_cdk_app.foreign_because(&none), None, "a plain CDK app's assembly may deploy over it");
        let ours = stack(&["BootstrapVersion"], &[(AMPLIFY_TAG, "sandbox")]);
        assert_eq!(ours.foreign_because(&amplify), None);
    }
}
