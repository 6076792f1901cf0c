//! A custom stack beside the Amplify categories: an Amazon Location map.

use amplify_backend::Backend;
use cfn_types::location::map::{CfnMap, CfnMapProps, MapConfigurationProperty};
use constructs::{CfnOutput, CfnOutputProps, Value};

pub fn add_location_map(backend: &Backend) -> CfnMap {
    let stack = backend.create_stack("LocationMapStack");
    let map = CfnMap::new(
        &stack,
        "Map",
        CfnMapProps {
            map_name: "chat-map".into(),
            configuration: MapConfigurationProperty { style: "VectorEsriStreets".into(), ..Default::default() }.into(),
            pricing_plan: Some(Value::from("RequestBasedUsage").into()),
            ..Default::default()
        },
    );
    CfnOutput::new(&stack, "MapArn", CfnOutputProps { value: map.attr_map_arn(), ..Default::default() });
    backend.add_output(Value::object([("custom", Value::object([("mapName", map.ref_())]))]));
    map
}
