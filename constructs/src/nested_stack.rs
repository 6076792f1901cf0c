//! `NestedStack`: a stack deployed as an `AWS::CloudFormation::Stack` resource of
//! its parent, with its template published as an asset.

use std::cell::RefCell;

use indexmap::IndexMap;

use crate::element::stack_of;
use crate::fns;
use crate::fns::Aws;
use crate::node::{Construct, IConstruct};
use crate::resource::{CfnResource, RemovalPolicy};
use crate::stack::{NestedData, Stack};
use crate::tags::TagFormat;
use crate::value::Value;

/// A stack within a stack. References between it and other stacks become
/// parameters and outputs automatically.
///
/// ```
/// use constructs::{App, CfnResource, NestedStack, Stack};
/// let app = App::new();
/// let parent = Stack::new(&app, "Parent");
/// let child = NestedStack::new(&parent, "Child");
/// let topic = CfnResource::new(&child, "Topic", "AWS::SNS::Topic");
/// let queue = CfnResource::new(&parent, "Queue", "AWS::SQS::Queue");
/// topic.set_property("DisplayName", queue.get_att("QueueName"));
/// let out = app.synth_in_memory().unwrap();
/// assert_eq!(out.stacks.len(), 2);
/// ```
pub struct NestedStack;

impl NestedStack {
    /// Adds a nested stack under `scope`, which must be inside a stack.
    #[allow(clippy::new_ret_no_self)]
    pub fn new(scope: &impl IConstruct, id: &str) -> Stack {
        let scope = scope.node();
        let holder = Construct::new(scope, &format!("{id}.NestedStack"));
        let resource = CfnResource::new(&holder, &format!("{id}.NestedStackResource"), "AWS::CloudFormation::Stack");
        resource.apply_removal_policy(RemovalPolicy::Destroy);
        resource.enable_tags(TagFormat::Standard, "Tags");
        let nested = NestedData {
            resource: resource.clone(),
            parameters: RefCell::new(IndexMap::new()),
            template_hash: RefCell::new(None),
            template_file: RefCell::new(String::new()),
        };
        let stack = Stack::new_nested(scope, id, nested);
        if stack_of(scope).is_none() {
            stack.node.add_error(
                crate::codes::STACK_PLACEMENT,
                "a NestedStack must be created inside a Stack",
                "create it in the scope of a Stack or of a construct inside one",
            );
        }
        let data = std::rc::Rc::downgrade(&stack.data);
        resource.data_mut().renderer = Some(std::rc::Rc::new(move || {
            let mut props = IndexMap::new();
            if let Some(d) = data.upgrade() {
                if let Some(n) = &d.nested {
                    let params = n.parameters.borrow().clone();
                    if !params.is_empty() {
                        props.insert("Parameters".to_string(), Value::Object(params));
                    }
                    let hash = n.template_hash.borrow().clone().unwrap_or_default();
                    let bucket = d.synthesizer.settings().file_assets_bucket_name;
                    props.insert("TemplateURL".to_string(), template_url(&bucket, &hash));
                }
            }
            props
        }));
        stack
    }
}

/// The S3 URL of a template published to the bootstrap bucket, as the CDK writes it.
fn template_url(bucket: &str, hash: &str) -> Value {
    fns::join(
        "",
        [
            "https://s3.".into(),
            Aws::region(),
            ".".into(),
            Aws::url_suffix(),
            "/".into(),
            fns::sub(bucket),
            format!("/{hash}.json").into(),
        ],
    )
}
