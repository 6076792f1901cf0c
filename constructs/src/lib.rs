//! The construct tree and raw CloudFormation, synthesized to a cloud assembly that
//! the AWS CDK CLI reads.
//!
//! A program builds a tree (an [`App`], [`Stack`]s, [`NestedStack`]s, and template
//! elements such as [`CfnResource`]) and calls [`App::synth`]. References between
//! constructs are typed tokens ([`Value`]) that resolve in the stack that uses them;
//! references across stacks become parameters, outputs and exports by themselves.
//!
//! ```
//! use constructs::{App, AppProps, CfnOutput, CfnOutputProps, CfnResource, NestedStack, Stack};
//!
//! let app = App::with_props(AppProps::default());
//! let stack = Stack::new(&app, "MinStack");
//! let bucket = CfnResource::new(&stack, "Bucket", "AWS::S3::Bucket");
//! let child = NestedStack::new(&stack, "Child");
//! let topic = CfnResource::new(&child, "Topic", "AWS::SNS::Topic");
//! topic.set_property("DisplayName", bucket.ref_());
//! CfnOutput::new(&stack, "TopicArn", CfnOutputProps { value: topic.ref_(), ..Default::default() });
//!
//! let assembly = app.synth_in_memory().unwrap();
//! let child_template = assembly.template("MinStack/Child").unwrap();
//! assert_eq!(
//!     child_template["Resources"]["Topic"]["Properties"]["DisplayName"],
//!     serde_json::json!({"Ref": "referencetoMinStackBucket7E0DFEB8Ref"})
//! );
//! ```

mod app;
mod aspect;
mod assembly;
mod asset;
pub mod checks;
pub mod codes;
mod condition;
mod element;
mod error;
pub mod fns;
mod mapping;
pub mod names;
mod nested_stack;
mod node;
mod output;
mod parameter;
mod ptr_hash;
mod resolve;
mod resource;
mod rule;
mod stack;
mod synth;
pub mod synthesizer;
mod tags;
mod value;

#[cfg(feature = "assertions")]
pub mod assertions;

pub use app::{strict_from_env, App, AppProps, STRICT_ENV};
pub use aspect::{Aspect, Aspects};
pub use assembly::{CloudAssembly, StackArtifact, MANIFEST_VERSION};
pub use asset::{Asset, Packaging};
pub use condition::CfnCondition;
pub use error::{Diagnostic, Problem, Severity, SynthError};
pub use fns::Aws;
pub use mapping::CfnMapping;
pub use nested_stack::NestedStack;
pub use node::{Construct, IConstruct, MetadataEntry, Node, Target};
pub use output::{CfnOutput, CfnOutputProps};
pub use parameter::{CfnParameter, CfnParameterProps};
pub use resource::{CfnResource, RemovalPolicy};
pub use rule::CfnRule;
pub use stack::{Stack, StackProps};
pub use synth::MAX_TREE_DEPTH;
pub use synthesizer::{BootstrapSettings, DefaultStackSynthesizer};
pub use tags::{TagFormat, TagManager, TagProps, Tags};
pub use value::{Intrinsic, Lazy, Pseudo, Value};

#[doc(hidden)]
pub use indexmap;
