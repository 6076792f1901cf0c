//! A custom stack beside the Amplify categories: an Amazon Location map, told to
//! the frontend in `amplify_outputs.json` (`custom.mapName`, and the `geo`
//! section that Amplify's Geo client reads).

use amplify_backend::Backend;
use cfn_types::location::map::{CfnMap, CfnMapProps, MapConfigurationProperty, PricingPlan};
use constructs::{cfn, Aws, CfnOutput, CfnOutputProps, Value};

/// The map's name (a literal, so that `amplify_outputs.json` names it before deployment).
pub const MAP_NAME: &str = "chat-map";
/// The map's style.
pub const MAP_STYLE: &str = "VectorEsriStreets";

pub fn add_location_map<P>(backend: &Backend<P>) -> CfnMap {
    let stack = backend.create_stack("LocationMapStack");
    let map = CfnMap::new(
        &stack,
        "Map",
        CfnMapProps {
            map_name: MAP_NAME.into(),
            configuration: MapConfigurationProperty { style: MAP_STYLE.into(), ..Default::default() }.into(),
            pricing_plan: Some(PricingPlan::RequestBasedUsage.into()),
            ..Default::default()
        },
    );
    CfnOutput::new(&stack, "MapArn", CfnOutputProps { value: map.attr_map_arn(), ..Default::default() });
    // The map's name is a key: `cfn!` takes literal keys, so the map is built by hand.
    let items = Value::object([(MAP_NAME, cfn!({"style": MAP_STYLE}))]);
    backend.add_output(cfn!({
        "custom": {"mapName": (map.ref_())},
        "geo": {"aws_region": (Aws::region()), "maps": {"items": items, "default": MAP_NAME}}
    }));
    map
}
