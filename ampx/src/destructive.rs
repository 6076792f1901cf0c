//! Finding the changes that would lose data: a stateful resource (a DynamoDB
//! table, a Cognito user pool, an S3 bucket) replaced or deleted.
//!
//! Two sources agree or add to each other: the change set (its `Remove` actions
//! and `Replacement` flags, nested change sets included), and a comparison of
//! the deployed templates with the new ones, which knows the properties whose
//! change replaces a stateful resource. The second covers emulators that do not
//! fill in `Replacement`, and a resource type's rules that a change set reports
//! only as `Conditional`.

use std::collections::{BTreeMap, HashSet};

use crate::index_updates::index_update_problems;
use serde_json::Value as Json;

use crate::assembly::{self, Assembly, Stack};
use crate::aws::Aws;
use crate::changeset::Change;
use crate::deployed;
use crate::errors::{Error, Result};

/// Stateful types and the properties whose change replaces the resource.
const STATEFUL: &[(&str, &[&str])] = &[
    ("AWS::DynamoDB::Table", &["TableName", "KeySchema", "LocalSecondaryIndexes"]),
    ("AWS::DynamoDB::GlobalTable", &["TableName", "KeySchema", "LocalSecondaryIndexes"]),
    ("AWS::S3::Bucket", &["BucketName"]),
    ("AWS::Cognito::UserPool", &["AliasAttributes", "UsernameAttributes"]),
];

fn immutable_properties(resource_type: &str) -> Option<&'static [&'static str]> {
    STATEFUL.iter().find(|(t, _)| *t == resource_type).map(|(_, p)| *p)
}

/// A stateful resource the deployment would replace or delete.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// `Logical` or `Nested/Logical`.
    pub label: String,
    /// The construct path, when the template records it.
    pub path: Option<String>,
    /// The resource type.
    pub resource_type: String,
    /// `replaced` or `deleted`.
    pub effect: &'static str,
    /// Why.
    pub why: String,
}

impl Finding {
    fn names(&self) -> impl Iterator<Item = &str> {
        let logical = self.label.rsplit('/').next();
        [Some(self.label.as_str()), logical, self.path.as_deref()].into_iter().flatten()
    }
}

/// The stateful changes a change set reports.
pub fn from_changes(changes: &[Change]) -> Vec<Finding> {
    changes
        .iter()
        .filter(|c| immutable_properties(&c.resource_type).is_some())
        .filter_map(|c| {
            let (effect, why) = match (c.action.as_str(), c.replacement.as_deref()) {
                ("Remove", _) => ("deleted", "removed from the backend".to_string()),
                ("Modify", Some(r @ ("True" | "Conditional"))) => {
                    ("replaced", format!("the change set says Replacement: {r}"))
                }
                _ => return None,
            };
            let mut label: Vec<&str> = c.nested_in.iter().map(String::as_str).collect();
            label.push(&c.logical_id);
            Some(Finding { label: label.join("/"), path: None, resource_type: c.resource_type.clone(), effect, why })
        })
        .collect()
}

/// Compares two templates of the same stack; returns the findings and the nested
/// stacks whose templates changed, as `(logical id, new template key)`.
pub fn compare(old: &Json, new: &Json, nested_in: &[String]) -> (Vec<Finding>, Vec<(String, Option<String>)>) {
    let mut findings = Vec::new();
    let mut nested = Vec::new();
    let new_resources: BTreeMap<&String, &Json> = assembly::resources(new).collect();
    for (id, old_r) in assembly::resources(old) {
        let old_type = assembly::resource_type(old_r);
        let new_r = new_resources.get(id);
        if old_type == "AWS::CloudFormation::Stack" {
            let new_key = new_r.and_then(|r| assembly::nested_template_key(r));
            if new_key.is_none() || new_key != assembly::nested_template_key(old_r) {
                nested.push((id.clone(), new_key));
            }
            continue;
        }
        let Some(props) = immutable_properties(old_type) else { continue };
        let finding = |effect, why: String| Finding {
            label: nested_in.iter().chain([id]).cloned().collect::<Vec<_>>().join("/"),
            path: old_r.pointer("/Metadata/aws:cdk:path").and_then(Json::as_str).map(str::to_string),
            resource_type: old_type.to_string(),
            effect,
            why,
        };
        match new_r {
            None => findings.push(finding("deleted", "removed from the backend (or its logical id changed)".into())),
            Some(new_r) if assembly::resource_type(new_r) != old_type => {
                findings.push(finding("replaced", format!("its type changes to {}", assembly::resource_type(new_r))))
            }
            Some(new_r) => {
                let changed: Vec<&str> = props
                    .iter()
                    .copied()
                    .filter(|p| {
                        old_r.pointer(&format!("/Properties/{p}")) != new_r.pointer(&format!("/Properties/{p}"))
                    })
                    .collect();
                if !changed.is_empty() {
                    findings.push(finding(
                        "replaced",
                        format!("{} changed, which requires replacement", changed.join(", ")),
                    ));
                }
            }
        }
    }
    (findings, nested)
}

/// What comparing the deployed templates (nested ones included) with the new ones found.
#[derive(Debug, Default)]
pub struct Review {
    /// Stateful resources the new templates replace or delete.
    pub findings: Vec<Finding>,
    /// Tables whose secondary indexes change more than one DynamoDB update allows,
    /// one a line, labelled with the nested stacks they sit in.
    pub index_problems: Vec<String>,
    /// The resource changes inside each changed nested stack, by its logical-id path.
    pub nested_changes: Vec<(Vec<String>, Vec<Change>)>,
}

/// Walks the deployed template of `stack` and the new one side by side, into every
/// nested stack whose template changed (an unchanged nested template is skipped
/// without reading it).
pub async fn review(
    aws: &Aws,
    assembly: &Assembly,
    stack: &Stack,
    deployed_id: &str,
    deployed_template: &Json,
) -> Result<Review> {
    let mut review = Review::default();
    let mut queue = vec![(deployed_id.to_string(), deployed_template.clone(), stack.template.clone(), Vec::new())];
    while let Some((stack_id, old, new, nested_in)) = queue.pop() {
        let (found, nested) = compare(&old, &new, &nested_in);
        if !nested_in.is_empty() {
            review.nested_changes.push((nested_in.clone(), crate::changeset::template_changes(&old, &new, &nested_in)));
        }
        review.findings.extend(found);
        review.index_problems.extend(index_update_problems(&old, &new).into_iter().map(|p| {
            let prefix: String = nested_in.iter().map(|n| format!("{n}/")).collect();
            format!("  {prefix}{p}")
        }));
        if nested.is_empty() {
            continue;
        }
        let ids = deployed::physical_ids(aws, &stack_id).await?;
        for (logical_id, new_key) in nested {
            let Some(child_id) = ids.get(&logical_id) else { continue };
            let old_child = deployed::template(aws, child_id).await?;
            let new_child = new_key
                .and_then(|_| new.pointer(&format!("/Resources/{logical_id}")))
                .and_then(|r| assembly.nested_template(r))
                .cloned()
                .unwrap_or(Json::Null);
            let mut path = nested_in.clone();
            path.push(logical_id);
            queue.push((child_id.clone(), old_child, new_child, path));
        }
    }
    Ok(review)
}

/// Every stateful resource the deployment would replace or delete: what the change
/// set reports, then what the template review found (each resource once).
pub fn stateful_findings(changes: &[Change], review: &Review) -> Vec<Finding> {
    let mut findings = from_changes(changes);
    findings.extend(review.findings.iter().cloned());
    let mut seen = std::collections::HashSet::new();
    findings.retain(|f| seen.insert(f.label.clone()));
    findings
}

/// Fails when a table's index changes need more than one DynamoDB update.
pub fn refuse_index_problems(stack: &str, review: &Review) -> Result<()> {
    if review.index_problems.is_empty() {
        Ok(())
    } else {
        Err(Error::IndexUpdates { stack: stack.to_string(), list: review.index_problems.join("\n") })
    }
}

/// Every name `--allow-destructive` can give a resource of the assembly: logical
/// ids, `Nested/LogicalId` labels and construct paths, nested stacks included.
pub fn assembly_names(assembly: &Assembly) -> HashSet<String> {
    let mut names = HashSet::new();
    let mut queue: Vec<(Json, Vec<String>)> = Vec::new();
    for stack in &assembly.stacks {
        names.extend(stack.paths.values().cloned());
        queue.push((stack.template.clone(), Vec::new()));
    }
    while let Some((template, nested_in)) = queue.pop() {
        for (id, resource) in assembly::resources(&template) {
            let mut label = nested_in.clone();
            label.push(id.clone());
            names.insert(id.clone());
            names.insert(label.join("/"));
            if let Some(path) = resource.pointer("/Metadata/aws:cdk:path").and_then(Json::as_str) {
                names.insert(path.to_string());
            }
            if let Some(child) = assembly.nested_template(resource) {
                queue.push((child.clone(), label));
            }
        }
    }
    names
}

/// Fails when `allowed` has names that match neither a resource of the
/// assembly (`known`) nor a finding: a typo would otherwise pass unnoticed.
pub fn refuse_unknown_names(allowed: &[String], known: &HashSet<String>, findings: &[Finding]) -> Result<()> {
    let unknown: Vec<&str> = allowed
        .iter()
        .filter(|a| !known.contains(*a) && !findings.iter().any(|f| f.names().any(|n| n == a.as_str())))
        .map(String::as_str)
        .collect();
    if unknown.is_empty() {
        return Ok(());
    }
    Err(Error::InvalidName {
        what: "--allow-destructive",
        value: unknown.join("', '"),
        reason: "it names no resource of the backend, nor one this deployment would replace or delete; give a \
                 logical id, Nested/LogicalId or construct path as pipeline-deploy lists them"
            .into(),
    })
}

/// Fails with the list of findings that `allowed` does not name.
pub fn refuse_unless_allowed(findings: &[Finding], allowed: &[String]) -> Result<()> {
    let refused: Vec<String> = findings
        .iter()
        .filter(|f| !f.names().any(|n| allowed.iter().any(|a| a == n)))
        .map(|f| {
            let path = f.path.as_deref().map(|p| format!(" [{p}]")).unwrap_or_default();
            format!("  {} ({}){path} would be {}: {}", f.label, f.resource_type, f.effect, f.why)
        })
        .collect();
    if refused.is_empty() {
        Ok(())
    } else {
        Err(Error::Destructive { list: refused.join("\n") })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn table(key: &str) -> Json {
        json!({"Type": "AWS::DynamoDB::Table", "Properties": {
            "KeySchema": [{"AttributeName": key, "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": key, "AttributeType": "S"}],
            "BillingMode": "PAY_PER_REQUEST"},
            "Metadata": {"aws:cdk:path": "App/Data/Todo/Table"}})
    }

    #[test]
    fn a_new_key_replaces_a_table() {
        let old = json!({"Resources": {"Todo": table("id")}});
        let new = json!({"Resources": {"Todo": table("todoId")}});
        let (findings, _) = compare(&old, &new, &[]);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].effect, "replaced");
        assert!(findings[0].why.contains("KeySchema"));
        assert!(refuse_unless_allowed(&findings, &[]).unwrap_err().to_string().contains("Todo (AWS::DynamoDB::Table)"));
        assert!(refuse_unless_allowed(&findings, &["Todo".into()]).is_ok());
        assert!(refuse_unless_allowed(&findings, &["App/Data/Todo/Table".into()]).is_ok());
    }

    #[test]
    fn names_that_match_nothing_are_refused() {
        let old = json!({"Resources": {"Media": {"Type": "AWS::S3::Bucket"}}});
        let (findings, _) = compare(&old, &json!({"Resources": {}}), &["Storage".into()]);
        let known: HashSet<String> = ["Todo".to_string(), "App/Data/Todo/Table".to_string()].into();
        let allowed = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<Vec<_>>();
        assert!(refuse_unknown_names(&allowed(&["Todo", "Storage/Media", "Media"]), &known, &findings).is_ok());
        let err = refuse_unknown_names(&allowed(&["Todo", "Tood", "Medai"]), &known, &findings).unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("--allow-destructive 'Tood', 'Medai' is invalid: it names no resource"), "{text}");
    }

    #[test]
    fn billing_changes_and_stateless_removals_are_fine() {
        let mut changed = table("id");
        changed["Properties"]["BillingMode"] = json!("PROVISIONED");
        let old = json!({"Resources": {"Todo": table("id"), "Fn": {"Type": "AWS::Lambda::Function"}}});
        let new = json!({"Resources": {"Todo": changed}});
        assert!(compare(&old, &new, &[]).0.is_empty());
    }

    #[test]
    fn removals_and_change_set_replacements_count() {
        let old = json!({"Resources": {"Media": {"Type": "AWS::S3::Bucket"}}});
        let (findings, _) = compare(&old, &json!({"Resources": {}}), &["Storage".into()]);
        assert_eq!(findings[0].label, "Storage/Media");
        assert_eq!(findings[0].effect, "deleted");

        let changes = vec![Change {
            action: "Modify".into(),
            nested_in: vec!["Auth".into()],
            logical_id: "UserPool".into(),
            resource_type: "AWS::Cognito::UserPool".into(),
            replacement: Some("True".into()),
        }];
        let found = from_changes(&changes);
        assert_eq!(found[0].label, "Auth/UserPool");
        assert_eq!(found[0].effect, "replaced");
    }

    #[test]
    fn changed_nested_templates_are_followed() {
        let nested = |key: &str| json!({"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": format!("https://s3.x/b/{key}.json")}});
        let old = json!({"Resources": {"Data": nested("a"), "Auth": nested("c")}});
        let new = json!({"Resources": {"Data": nested("b"), "Auth": nested("c")}});
        let (_, changed) = compare(&old, &new, &[]);
        assert_eq!(changed, vec![("Data".to_string(), Some("b.json".to_string()))]);
    }
}
