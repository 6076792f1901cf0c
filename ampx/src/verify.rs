//! After a deployment, what is there: every stack of the assembly and each of its
//! nested stacks exists and is complete. A success reported by CloudFormation
//! (or by an emulator that skipped part of the work) is not taken on trust.

use serde_json::Value as Json;

use crate::assembly::{self, Assembly, Stack};
use crate::aws::Aws;
use crate::deployed;
use crate::errors::{Error, Result};

/// Statuses of a stack whose last operation finished well.
fn is_complete(status: &str) -> bool {
    matches!(status, "CREATE_COMPLETE" | "UPDATE_COMPLETE" | "IMPORT_COMPLETE")
}

/// Checks `stack` (deployed as `stack_id`) and its nested stacks, as the
/// assembly declares them (a nested stack under a `Condition` may rightly be
/// absent and is not asked for).
pub async fn deployment(aws: &Aws, assembly: &Assembly, stack: &Stack, stack_id: &str) -> Result<()> {
    let name = &stack.stack_name;
    let incomplete = |status: String, problems: Vec<String>| Error::Incomplete {
        stack: name.clone(),
        status,
        problems: problems.join("\n"),
    };
    let Some(root) = deployed::describe(aws, stack_id).await? else {
        return Err(incomplete("gone".into(), vec![format!("  {name}: the stack does not exist")]));
    };
    if !is_complete(&root.status) {
        return Err(incomplete(root.status.clone(), vec![format!("  {name}: {}", root.status)]));
    }
    let mut problems = Vec::new();
    let mut queue: Vec<(String, Json, Vec<String>)> = vec![(root.id.clone(), stack.template.clone(), Vec::new())];
    while let Some((stack_id, template, path)) = queue.pop() {
        let nested: Vec<(String, Json)> = assembly::resources(&template)
            .filter(|(_, r)| assembly::resource_type(r) == "AWS::CloudFormation::Stack" && r.get("Condition").is_none())
            .map(|(id, r)| (id.clone(), r.clone()))
            .collect();
        if nested.is_empty() {
            continue;
        }
        let physical = deployed::physical_ids(aws, &stack_id).await.map_err(|e| Error::Incomplete {
            stack: name.clone(),
            status: root.status.clone(),
            problems: format!("  its resources cannot be listed: {e}"),
        })?;
        for (logical_id, resource) in nested {
            let mut label = path.clone();
            label.push(logical_id.clone());
            let shown = label.join("/");
            let Some(child_id) = physical.get(&logical_id).filter(|p| !p.is_empty()) else {
                problems.push(format!("  {shown}: the nested stack was not created"));
                continue;
            };
            match deployed::describe(aws, child_id).await? {
                None => problems.push(format!("  {shown}: the nested stack {child_id} does not exist")),
                Some(child) if !is_complete(&child.status) => {
                    problems.push(format!("  {shown}: the nested stack is {}", child.status))
                }
                Some(_) => {
                    if let Some(child_template) = assembly.nested_template(&resource) {
                        queue.push((child_id.clone(), child_template.clone(), label));
                    }
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        problems.sort();
        Err(incomplete(root.status, problems))
    }
}
