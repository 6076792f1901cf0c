//! Deployment-wide policies: Amplify's tags on every resource, and what happens to
//! stateful resources when a deployment is deleted.

use std::rc::Rc;

use constructs::{Aspects, CfnResource, Node, RemovalPolicy, Tags};
use indexmap::IndexMap;

use crate::identifier::{BackendIdentifier, DeploymentType};

/// Resource types that hold users' data: never deleted by a branch deployment
/// unless the user says so.
pub const STATEFUL_TYPES: &[&str] =
    &["AWS::Cognito::UserPool", "AWS::DynamoDB::Table", "AWS::S3::Bucket", "AWS::Cognito::IdentityPool"];

/// Amplify's tags for a deployment.
pub fn stack_tags(id: &BackendIdentifier) -> IndexMap<String, String> {
    let mut tags = IndexMap::new();
    if id.deployment_type == DeploymentType::Branch {
        tags.insert("amplify:app-id".to_string(), id.namespace.clone());
        tags.insert("amplify:branch-name".to_string(), id.name.clone());
    }
    tags.insert("amplify:deployment-type".to_string(), id.deployment_type.as_str().to_string());
    tags.insert("created-by".to_string(), "amplify".to_string());
    tags
}

/// Tags every taggable resource (and, through the manifest, the stack itself).
pub(crate) fn apply_tags(root: &Node, id: &BackendIdentifier) {
    let tags = Tags::of(root);
    for (k, v) in stack_tags(id) {
        tags.add(&k, &v);
    }
}

/// Sandboxes are disposable: everything is deleted with them. Branches keep their
/// stateful resources (a user may still override a single resource afterwards,
/// since user overrides run later).
pub(crate) fn apply_removal_policies(root: &Node, deployment_type: DeploymentType) {
    let policy = match deployment_type {
        DeploymentType::Sandbox => RemovalPolicy::Destroy,
        DeploymentType::Branch => RemovalPolicy::Retain,
    };
    Aspects::of(root).add(Rc::new(move |node: &Node| {
        let Some(r) = CfnResource::of(node) else { return };
        if STATEFUL_TYPES.contains(&r.resource_type().as_str()) && r.deletion_policy().is_none() {
            r.apply_removal_policy(policy);
        }
    }));
}
