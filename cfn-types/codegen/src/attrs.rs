//! The attributes `Fn::GetAtt` can read from a resource type, and their accessors.

use std::collections::BTreeSet;

use serde_json::Value as Json;

use crate::model::{str_list, Attr};
use crate::names::{snake, Names};

/// Properties that `Fn::GetAtt` reads although the registry schema does not list
/// them in `readOnlyProperties`: the return values CloudFormation documents for
/// these older types, as cfn-lint 1.58.0 records them (`_exceptions` in
/// `cfnlint/schema/_getatts.py`). Only the entries that name a property of the
/// pinned us-east-1 schema are used.
const DOCUMENTED: &[(&str, &[&str])] = &[
    ("AWS::AppMesh::GatewayRoute", &["GatewayRouteName", "MeshName", "MeshOwner", "VirtualGatewayName"]),
    ("AWS::AppMesh::Mesh", &["MeshName"]),
    ("AWS::AppMesh::Route", &["MeshName", "MeshOwner", "RouteName", "VirtualRouterName"]),
    ("AWS::AppMesh::VirtualGateway", &["MeshName", "MeshOwner", "VirtualGatewayName"]),
    ("AWS::AppMesh::VirtualNode", &["MeshName", "MeshOwner", "VirtualNodeName"]),
    ("AWS::AppMesh::VirtualRouter", &["MeshName", "MeshOwner", "VirtualRouterName"]),
    ("AWS::AppMesh::VirtualService", &["MeshName", "MeshOwner", "VirtualServiceName"]),
    ("AWS::AppSync::DataSource", &["Name"]),
    ("AWS::Cloud9::EnvironmentEC2", &["Name"]),
    ("AWS::CloudWatch::InsightRule", &["RuleName"]),
    ("AWS::DocDB::DBCluster", &["Port"]),
    ("AWS::Greengrass::ConnectorDefinition", &["Name"]),
    ("AWS::Greengrass::CoreDefinition", &["Name"]),
    ("AWS::Greengrass::DeviceDefinition", &["Name"]),
    ("AWS::Greengrass::FunctionDefinition", &["Name"]),
    ("AWS::Greengrass::Group", &["Name", "RoleArn"]),
    ("AWS::Greengrass::LoggerDefinition", &["Name"]),
    ("AWS::Greengrass::ResourceDefinition", &["Name"]),
    ("AWS::Greengrass::SubscriptionDefinition", &["Name"]),
    ("AWS::IoT1Click::Device", &["Enabled"]),
    ("AWS::IoT1Click::Placement", &["PlacementName", "ProjectName"]),
    ("AWS::IoT1Click::Project", &["ProjectName"]),
    ("AWS::Kinesis::StreamConsumer", &["ConsumerName", "StreamARN"]),
    ("AWS::ManagedBlockchain::Member", &["NetworkId"]),
    ("AWS::MediaConvert::JobTemplate", &["Name"]),
    ("AWS::MediaConvert::Preset", &["Name"]),
    ("AWS::MediaConvert::Queue", &["Name"]),
    ("AWS::MediaLive::Input", &["Destinations", "Sources"]),
    ("AWS::OpsWorks::Instance", &["AvailabilityZone"]),
    ("AWS::OpsWorks::UserProfile", &["SshUsername"]),
    ("AWS::Route53Resolver::ResolverEndpoint", &["Direction", "Name"]),
    ("AWS::SageMaker::CodeRepository", &["CodeRepositoryName"]),
    ("AWS::SageMaker::Endpoint", &["EndpointName"]),
    ("AWS::SageMaker::EndpointConfig", &["EndpointConfigName"]),
    ("AWS::SageMaker::Model", &["ModelName"]),
    ("AWS::SageMaker::NotebookInstance", &["NotebookInstanceName"]),
    ("AWS::SageMaker::NotebookInstanceLifecycleConfig", &["NotebookInstanceLifecycleConfigName"]),
    ("AWS::SageMaker::Workteam", &["WorkteamName"]),
    ("AWS::ServiceDiscovery::Service", &["Name"]),
    ("AWS::Transfer::User", &["ServerId", "UserName"]),
];

/// The attributes of `type_name`, sorted by name: every read-only property not
/// under a list (`Fn::GetAtt` cannot index a list), nested ones joined with `.`
/// (`Endpoint.Address`), and the documented (`DOCUMENTED`) writable properties.
pub fn attributes(type_name: &str, schema: &Json) -> Vec<Attr> {
    let mut names = Names::with_reserved(&[]);
    let mut seen = BTreeSet::new();
    let mut attrs = Vec::new();
    let mut add = |path: &[&str], read_only: bool| {
        if seen.insert(path.join(".")) {
            let method = format!("attr_{}", path.iter().map(|s| snake(s)).collect::<Vec<_>>().join("_"));
            attrs.push(Attr { name: path.join("."), method: names.take_sep(&[method], "_"), read_only });
        }
    };
    for p in str_list(schema.get("readOnlyProperties")) {
        let Some(rest) = p.strip_prefix("/properties/") else { continue };
        let path: Vec<&str> = rest.split('/').collect();
        if path.iter().all(|s| *s != "*" && !s.is_empty()) {
            add(&path, true);
        }
    }
    let documented = DOCUMENTED.iter().filter(|(t, _)| *t == type_name).flat_map(|(_, names)| names.iter());
    for name in documented {
        if schema.get("properties").and_then(|p| p.get(*name)).is_some() {
            add(&[name], false);
        }
    }
    attrs.sort_by(|a, b| a.name.cmp(&b.name));
    attrs
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn read_only_properties_and_documented_return_values() {
        let schema = json!({
            "properties": {"Name": {"type": "string"}, "DataSourceArn": {"type": "string"}},
            "readOnlyProperties": ["/properties/DataSourceArn", "/properties/Endpoint/Address", "/properties/Rules/*/Arn"],
        });
        let attrs = attributes("AWS::AppSync::DataSource", &schema);
        let got: Vec<(&str, &str, bool)> =
            attrs.iter().map(|a| (a.name.as_str(), a.method.as_str(), a.read_only)).collect();
        assert_eq!(
            got,
            [
                ("DataSourceArn", "attr_data_source_arn", true),
                ("Endpoint.Address", "attr_endpoint_address", true),
                ("Name", "attr_name", false),
            ]
        );
        // The supplement applies to its own type only, and only to properties the
        // schema has.
        assert_eq!(attributes("AWS::AppSync::Resolver", &schema).len(), 2);
        assert_eq!(attributes("AWS::AppSync::DataSource", &json!({"properties": {}})).len(), 0);
    }
}
