//! The behaviour of the generated L1s through their public API: rendering, tokens,
//! enums, changing props after creation, tags, escape hatches and the check of
//! required properties.

use cfn_types::dynamodb::table::{AttributeDefinitionProperty, AttributeType, BillingMode, KeySchemaProperty};
use cfn_types::dynamodb::{CfnTable, CfnTableProps};
use cfn_types::location::map::MapConfigurationProperty;
use cfn_types::location::{CfnMap, CfnMapProps};
use cfn_types::s3::bucket::{VersioningConfigurationProperty, VersioningConfigurationStatus};
use cfn_types::s3::{CfnBucket, CfnBucketProps};
use cfn_types::{missing_required, render, CfnTag, List, Val};
use constructs::{App, AppProps, Aws, RemovalPolicy, Stack, StackProps, Tags, Value};
use serde_json::json;

fn stack() -> (App, Stack) {
    let app = App::with_props(AppProps { path_metadata: false, ..Default::default() });
    let stack = Stack::with_props(&app, "S", StackProps { skip_bootstrap_version_rule: true, ..Default::default() });
    (app, stack)
}

fn template(app: &App) -> serde_json::Value {
    app.synth_in_memory().expect("synthesis").template("S").expect("template").clone()
}

fn table_props() -> CfnTableProps {
    CfnTableProps {
        key_schema: vec![KeySchemaProperty { attribute_name: "id".into(), key_type: "HASH".into() }].into(),
        attribute_definitions: Some(
            vec![AttributeDefinitionProperty { attribute_name: "id".into(), attribute_type: AttributeType::S.into() }]
                .into(),
        ),
        billing_mode: Some(BillingMode::PayPerRequest.into()),
        ..Default::default()
    }
}

#[test]
fn props_render_under_their_cloudformation_names() {
    let (app, stack) = stack();
    let table = CfnTable::new(&stack, "Table", table_props());
    assert_eq!(CfnTable::CFN_RESOURCE_TYPE_NAME, "AWS::DynamoDB::Table");
    assert_eq!(table.resource_type(), "AWS::DynamoDB::Table");
    let t = template(&app);
    assert_eq!(
        t["Resources"]["Table"],
        json!({
            "Type": "AWS::DynamoDB::Table",
            "Properties": {
                "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
                "BillingMode": "PAY_PER_REQUEST",
                "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]
            }
        })
    );
}

#[test]
fn tokens_go_where_literals_do_and_attributes_render_get_att() {
    let (app, stack) = stack();
    let map = CfnMap::new(
        &stack,
        "Map",
        CfnMapProps {
            map_name: Value::concat(["chat-".into(), Aws::region()]).into(),
            configuration: MapConfigurationProperty {
                style: "VectorEsriNavigation".into(),
                custom_layers: Some(Value::from(vec!["POI"]).into()),
                ..Default::default()
            }
            .into(),
            ..Default::default()
        },
    );
    let bucket = CfnBucket::new(&stack, "Bucket", CfnBucketProps::default());
    let names: List<String> = vec![Val::from(map.attr_arn()), "literal".into()].into();
    bucket.props_mut().tags =
        Some(vec![CfnTag::new("map", map.ref_()), CfnTag::new("arns", map.attr_map_arn())].into());
    let _ = names;
    let t = template(&app);
    let p = &t["Resources"]["Map"]["Properties"];
    assert_eq!(p["MapName"], json!({"Fn::Join": ["", ["chat-", {"Ref": "AWS::Region"}]]}));
    assert_eq!(p["Configuration"], json!({"CustomLayers": ["POI"], "Style": "VectorEsriNavigation"}));
    assert_eq!(
        t["Resources"]["Bucket"]["Properties"]["Tags"],
        json!([{"Key": "map", "Value": {"Ref": "Map"}}, {"Key": "arns", "Value": {"Fn::GetAtt": ["Map", "MapArn"]}}])
    );
}

#[test]
fn enums_take_values_newer_than_the_schema() {
    assert_eq!(BillingMode::PayPerRequest.as_str(), "PAY_PER_REQUEST");
    let v: Val<BillingMode> = BillingMode::Other("ON_DEMAND_V2".into()).into();
    assert_eq!(v.to_value().to_json(), Some(json!("ON_DEMAND_V2")));
    let token: Val<BillingMode> = Value::from("FROM_A_PARAMETER").into();
    assert!(token.is_token());
}

#[test]
fn props_change_after_creation() {
    let (app, stack) = stack();
    let bucket = CfnBucket::new(&stack, "Bucket", CfnBucketProps::default());
    bucket.props_mut().versioning_configuration =
        Some(VersioningConfigurationProperty { status: VersioningConfigurationStatus::Enabled.into() }.into());
    assert!(bucket.props().bucket_name.is_none());
    let t = template(&app);
    assert_eq!(t["Resources"]["Bucket"]["Properties"]["VersioningConfiguration"], json!({"Status": "Enabled"}));
}

#[test]
fn tags_of_reaches_standard_and_map_tag_properties() {
    let (app, stack) = stack();
    let table = table_props();
    CfnTable::new(&stack, "Table", CfnTableProps { tags: Some(vec![CfnTag::new("own", "kept")].into()), ..table });
    let pool = cfn_types::cognito::CfnUserPool::new(&stack, "Pool", Default::default());
    let param = cfn_types::ssm::CfnParameter::new(
        &stack,
        "Param",
        cfn_types::ssm::CfnParameterProps {
            r#type: cfn_types::ssm::parameter::Type::String.into(),
            value: "v".into(),
            ..Default::default()
        },
    );
    assert!(pool.is_taggable() && param.is_taggable());
    Tags::of(&stack).add("app", "chat");
    let t = template(&app);
    assert_eq!(
        t["Resources"]["Table"]["Properties"]["Tags"],
        json!([{"Key": "own", "Value": "kept"}, {"Key": "app", "Value": "chat"}])
    );
    assert_eq!(t["Resources"]["Pool"]["Properties"]["UserPoolTags"], json!({"app": "chat"}));
    assert_eq!(t["Resources"]["Param"]["Properties"]["Tags"], json!({"app": "chat"}));
}

#[test]
fn escape_hatches_of_cfn_resource_apply() {
    let (app, stack) = stack();
    let table = CfnTable::new(&stack, "Table", table_props());
    table.apply_removal_policy(RemovalPolicy::Retain);
    table.add_property_override("SSESpecification.SSEEnabled", true);
    let t = template(&app);
    assert_eq!(t["Resources"]["Table"]["DeletionPolicy"], "Retain");
    assert_eq!(t["Resources"]["Table"]["Properties"]["SSESpecification"], json!({"SSEEnabled": true}));
}

#[test]
fn unset_required_properties_fail_synthesis_with_their_path() {
    let (app, stack) = stack();
    CfnMap::new(
        &stack,
        "Map",
        CfnMapProps { configuration: MapConfigurationProperty::default().into(), ..Default::default() },
    );
    let err = app.synth_in_memory().expect_err("required properties are missing");
    let text = err.to_string();
    assert!(text.contains("S/Map"), "{text}");
    assert!(text.contains("required property MapName is not set"), "{text}");
    assert!(text.contains("required property Configuration.Style is not set"), "{text}");
}

#[test]
fn render_and_missing_required_work_on_any_props() {
    let props = CfnMapProps { map_name: "m".into(), ..Default::default() };
    assert_eq!(missing_required(&props), vec!["Configuration".to_string()]);
    assert_eq!(render(&props).to_json(), Some(json!({"MapName": "m"})));
    assert_eq!(format!("{props:?}"), r#"CfnMapProps {"MapName": "m"}"#);
}

#[test]
fn acronym_properties_have_natural_names_and_render_under_their_cloudformation_names() {
    use cfn_types::cognito::user_pool_client::AllowedOauthFlows;
    use cfn_types::cognito::{CfnUserPoolClient, CfnUserPoolClientProps};
    let (app, stack) = stack();
    CfnUserPoolClient::new(
        &stack,
        "Client",
        CfnUserPoolClientProps {
            user_pool_id: "us-east-1_pool".into(),
            allowed_oauth_flows: Some(vec![AllowedOauthFlows::Code].into()),
            allowed_oauth_flows_user_pool_client: Some(true.into()),
            allowed_oauth_scopes: Some(vec!["openid".to_string()].into()),
            callback_urls: Some(vec!["https://example.com/".to_string()].into()),
            logout_urls: Some(vec!["https://example.com/bye".to_string()].into()),
            ..Default::default()
        },
    );
    let t = template(&app);
    assert_eq!(
        t["Resources"]["Client"]["Properties"],
        json!({
            "UserPoolId": "us-east-1_pool",
            "AllowedOAuthFlows": ["code"],
            "AllowedOAuthFlowsUserPoolClient": true,
            "AllowedOAuthScopes": ["openid"],
            "CallbackURLs": ["https://example.com/"],
            "LogoutURLs": ["https://example.com/bye"]
        })
    );
}

#[test]
fn documented_return_values_that_are_writable_properties_have_accessors() {
    use cfn_types::appsync::{CfnDataSource, CfnDataSourceProps};
    let (app, stack) = stack();
    let props = CfnDataSourceProps {
        api_id: "api".into(),
        name: "Table".into(),
        r#type: cfn_types::appsync::data_source::Type::None.into(),
        ..Default::default()
    };
    let source = CfnDataSource::new(&stack, "Source", props);
    let probe = constructs::CfnResource::new(&stack, "Probe", "Custom::Probe");
    probe.set_property("Name", source.attr_name());
    probe.set_property("Arn", source.attr_data_source_arn());
    let t = template(&app);
    assert_eq!(
        t["Resources"]["Probe"]["Properties"],
        json!({"Name": {"Fn::GetAtt": ["Source", "Name"]}, "Arn": {"Fn::GetAtt": ["Source", "DataSourceArn"]}})
    );
}
