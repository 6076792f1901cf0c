//! Typed L1 constructs for every CloudFormation resource type, generated from the
//! CloudFormation resource provider schemas that cfn-lint 1.58.0 ships (us-east-1).
//!
//! Each service namespace is a module behind the cargo feature of the same name
//! (`AWS::S3::Bucket` is [`s3::CfnBucket`](crate::s3) with feature `s3`); `full`
//! enables all of them, and the default features cover what `amplify-backend` uses.
//! Per resource type there is:
//!
//! - `CfnX`, the construct: `CfnX::new(scope, id, props)` adds the resource to the
//!   tree. It dereferences to [`Resource`] (`props()`, `props_mut()`) and to
//!   [`constructs::CfnResource`] (`ref_()`, `get_att()`, overrides, removal policy,
//!   dependencies). `attr_*()` reads each attribute the schema lists as read-only.
//! - `CfnXProps`, the properties: snake_case fields rendered under their
//!   CloudFormation names. Required properties are [`Val`]s, optional ones are
//!   `Option<Val<..>>`; property types are structs (`XxxProperty`) and string enums
//!   are enums with an `Other(String)` variant for values newer than the schema.
//!   Untyped JSON properties are [`constructs::Value`]s.
//! - Types whose schema declares tagging take part in [`constructs::Tags::of`].
//!
//! Every field takes a literal or a token (`into()` converts both):
//!
//! ```
//! use cfn_types::location::map::{MapConfigurationProperty, PricingPlan};
//! use cfn_types::location::{CfnMap, CfnMapProps};
//! use cfn_types::s3::{CfnBucket, CfnBucketProps};
//! use constructs::{App, Stack, Tags};
//!
//! let app = App::new();
//! let stack = Stack::new(&app, "Geo");
//! let map = CfnMap::new(&stack, "Map", CfnMapProps {
//!     map_name: "chat-map".into(),
//!     configuration: MapConfigurationProperty { style: "VectorEsriNavigation".into(), ..Default::default() }.into(),
//!     pricing_plan: Some(PricingPlan::RequestBasedUsage.into()),
//!     ..Default::default()
//! });
//! let bucket = CfnBucket::new(&stack, "Bucket", CfnBucketProps::default());
//! // Props stay editable until synthesis; tokens go where literals do.
//! bucket.props_mut().bucket_name = Some(map.ref_().into());
//! Tags::of(&stack).add("app", "chat");
//!
//! let assembly = app.synth_in_memory().unwrap();
//! let template = assembly.template("Geo").unwrap();
//! assert_eq!(template["Resources"]["Map"]["Properties"]["MapName"], "chat-map");
//! assert_eq!(template["Resources"]["Bucket"]["Properties"]["BucketName"], serde_json::json!({"Ref": "Map"}));
//! assert_eq!(template["Resources"]["Map"]["Properties"]["Tags"], serde_json::json!([{"Key": "app", "Value": "chat"}]));
//! ```
//!
//! A required property left unset (props implement `Default`) is an error at
//! synthesis, reported with the construct's path.

#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod codes;
pub mod limits;
mod render;
mod resource;
mod schema_check;
mod schema_table;
#[rustfmt::skip]
mod services;
mod tag;
mod val;

pub use render::{missing_required, render, ObjectRenderer, Renderer, ToCfn};
pub use resource::Resource;
pub use schema_check::{check_properties, check_template, enable_schema_checks, schema_check};
pub use services::*;
pub use tag::CfnTag;
pub use val::{List, Literal, Map, Val};
