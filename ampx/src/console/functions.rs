//! A deployed backend's functions: every `AWS::Lambda::Function` of the root
//! stack and its nested stacks, except custom resource providers (a
//! `ServiceToken` names them: deployment machinery, not the app's), with
//! the name the app gave each (`amplify:friendly-name`).

use serde_json::Value;

use crate::aws::{Aws, OpResult};
use crate::deployed;
use crate::errors::Result;

/// A deployed function.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeployedFunction {
    /// The app's name for it (`say-hello`), else its logical id.
    pub display_name: String,
    /// Lambda's name for it.
    pub function_name: String,
    /// `Runtime`, `Handler`, `Timeout` and `MemorySize` from the template.
    pub properties: Value,
}

/// The functions of `stack` and every stack nested in it.
pub async fn functions(aws: &Aws, stack: &str) -> Result<Vec<DeployedFunction>> {
    let mut found = Vec::new();
    let mut stacks = vec![stack.to_string()];
    while let Some(stack) = stacks.pop() {
        let template = deployed::template(aws, &stack).await?;
        let mut token = None;
        loop {
            let page = aws
                .cfn
                .list_stack_resources()
                .stack_name(&stack)
                .set_next_token(token)
                .send()
                .await
                .op("CloudFormation.ListStackResources")?;
            for r in page.stack_resource_summaries() {
                let (Some(logical), Some(physical)) = (r.logical_resource_id(), r.physical_resource_id()) else {
                    continue;
                };
                match r.resource_type() {
                    Some("AWS::CloudFormation::Stack") => stacks.push(physical.to_string()),
                    Some("AWS::Lambda::Function") => {
                        if let Some(f) = function_of(&template, logical, physical) {
                            found.push(f);
                        }
                    }
                    _ => {}
                }
            }
            token = page.next_token;
            if token.is_none() {
                break;
            }
        }
    }
    found.sort_by(|a, b| a.display_name.cmp(&b.display_name));
    Ok(found)
}

/// The function `logical` of `template`, unless it provides custom resources.
pub fn function_of(template: &Value, logical: &str, physical: &str) -> Option<DeployedFunction> {
    let resources = template.get("Resources")?;
    let provider = resources.as_object()?.values().any(|r| {
        let token = &r["Properties"]["ServiceToken"];
        token["Fn::GetAtt"][0].as_str() == Some(logical) || token["Ref"].as_str() == Some(logical)
    });
    if provider {
        return None;
    }
    let properties = &resources[logical]["Properties"];
    let display_name = properties["Tags"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|t| t["Key"] == "amplify:friendly-name")
        .and_then(|t| t["Value"].as_str())
        .unwrap_or(logical)
        .to_string();
    let keep = ["Runtime", "Handler", "Timeout", "MemorySize"];
    let properties = keep.iter().filter_map(|k| Some((k.to_string(), properties.get(*k)?.clone()))).collect();
    Some(DeployedFunction { display_name, function_name: physical.to_string(), properties: Value::Object(properties) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn providers_are_left_out_and_functions_go_by_their_friendly_names() {
        let template = json!({"Resources": {
            "SayHello": {"Type": "AWS::Lambda::Function", "Properties": {"Runtime": "nodejs20.x", "Handler": "index.handler",
                "Tags": [{"Key": "amplify:friendly-name", "Value": "say-hello"}]}},
            "Provider": {"Type": "AWS::Lambda::Function", "Properties": {}},
            "Custom": {"Type": "Custom::Thing", "Properties": {"ServiceToken": {"Fn::GetAtt": ["Provider", "Arn"]}}},
            "Plain": {"Type": "AWS::Lambda::Function", "Properties": {"MemorySize": 256}},
        }});
        let f = function_of(&template, "SayHello", "app-SayHello-1").unwrap();
        assert_eq!((f.display_name.as_str(), f.function_name.as_str()), ("say-hello", "app-SayHello-1"));
        assert_eq!(f.properties, json!({"Runtime": "nodejs20.x", "Handler": "index.handler"}));
        assert_eq!(function_of(&template, "Provider", "p"), None);
        assert_eq!(function_of(&template, "Plain", "x").unwrap().display_name, "Plain");
    }
}
