//! A model's DynamoDB table: on demand, encrypted, point-in-time recovery when
//! asked for, a stream of new and old images, the key from the identifier and a global secondary index
//! per secondary index and relationship.

use cfn_types::dynamodb::table::{
    AttributeDefinitionProperty, AttributeType, BillingMode, GlobalSecondaryIndexProperty, KeySchemaProperty,
    PointInTimeRecoverySpecificationProperty, ProjectionProperty, ProjectionType, SseSpecificationProperty,
    StreamSpecificationProperty, StreamViewType,
};
use cfn_types::dynamodb::{CfnTable, CfnTableProps};
use cfn_types::Val;
use constructs::IConstruct;

use crate::data::ir::{IrModel, TypeRef};
use crate::data::schema::index::Projection;

/// The DynamoDB type of an attribute: numbers for numeric scalars, strings for
/// the rest (composite keys are joined strings).
fn attribute_type(model: &IrModel, attribute: &str) -> AttributeType {
    match model.field(attribute).map(|f| &f.ty) {
        Some(TypeRef::Scalar(s)) if s.is_numeric() => AttributeType::N,
        _ => AttributeType::S,
    }
}

fn key(attribute: &str, key_type: &str) -> Val<KeySchemaProperty> {
    KeySchemaProperty { attribute_name: attribute.into(), key_type: key_type.into() }.into()
}

/// An index's projection; `INCLUDE` lists its fields.
fn projection(p: &Projection) -> ProjectionProperty {
    let (projection_type, fields) = match p {
        Projection::All => (ProjectionType::All, None),
        Projection::KeysOnly => (ProjectionType::KeysOnly, None),
        Projection::Include(fields) => (ProjectionType::Include, Some(fields)),
    };
    ProjectionProperty {
        projection_type: Some(projection_type.into()),
        non_key_attributes: fields
            .map(|f| f.iter().map(|n| Val::from(n.as_str())).collect::<Vec<Val<String>>>().into()),
    }
}

/// The table props of `model`; `point_in_time_recovery` turns continuous backups on.
pub fn table_props(model: &IrModel, point_in_time_recovery: bool) -> CfnTableProps {
    let mut attributes: Vec<String> = Vec::new();
    let mut add = |a: &str| {
        if !attributes.iter().any(|x| x == a) {
            attributes.push(a.to_string());
        }
    };
    add(&model.key.partition_key);
    let mut key_schema = vec![key(&model.key.partition_key, "HASH")];
    if let Some(sk) = model.key.sort_attribute() {
        add(&sk);
        key_schema.push(key(&sk, "RANGE"));
    }
    let mut indexes: Vec<Val<GlobalSecondaryIndexProperty>> = Vec::new();
    for ix in &model.indexes {
        add(&ix.partition_key);
        let mut schema = vec![key(&ix.partition_key, "HASH")];
        if let Some(sk) = ix.sort_attribute() {
            add(&sk);
            schema.push(key(&sk, "RANGE"));
        }
        indexes.push(
            GlobalSecondaryIndexProperty {
                index_name: ix.name.as_str().into(),
                key_schema: schema.into(),
                projection: projection(&ix.projection).into(),
                ..Default::default()
            }
            .into(),
        );
    }
    let definitions: Vec<Val<AttributeDefinitionProperty>> = attributes
        .iter()
        .map(|a| {
            AttributeDefinitionProperty {
                attribute_name: a.as_str().into(),
                attribute_type: attribute_type(model, a).into(),
            }
            .into()
        })
        .collect();
    CfnTableProps {
        key_schema: key_schema.into(),
        attribute_definitions: Some(definitions.into()),
        global_secondary_indexes: (!indexes.is_empty()).then(|| indexes.into()),
        billing_mode: Some(BillingMode::PayPerRequest.into()),
        sse_specification: Some(SseSpecificationProperty { sse_enabled: true.into(), ..Default::default() }.into()),
        point_in_time_recovery_specification: Some(
            PointInTimeRecoverySpecificationProperty {
                point_in_time_recovery_enabled: Some(point_in_time_recovery.into()),
                ..Default::default()
            }
            .into(),
        ),
        stream_specification: Some(
            StreamSpecificationProperty {
                stream_view_type: StreamViewType::NewAndOldImages.into(),
                ..Default::default()
            }
            .into(),
        ),
        ..Default::default()
    }
}

/// Adds `model`'s table under `scope`.
pub fn table(scope: &impl IConstruct, model: &IrModel, point_in_time_recovery: bool) -> CfnTable {
    CfnTable::new(scope, &format!("{}Table", model.name), table_props(model, point_in_time_recovery))
}
