//! One CloudFormation template, as read from the assembly: its parameters,
//! conditions, mappings, resources and outputs, without resolving anything.

use std::path::Path;

use serde_json::{Map, Value};

use super::manifest::read_json;
use super::AssemblyError;

/// A parsed template. Sections keep the file's order.
#[derive(Clone, Debug, Default)]
pub struct Template {
    /// `Parameters`: name to declaration (`Type`, `Default`, ...).
    pub parameters: Map<String, Value>,
    /// `Conditions`: name to condition expression.
    pub conditions: Map<String, Value>,
    /// `Mappings`: map name to first-level key to second-level key to value.
    pub mappings: Map<String, Value>,
    /// `Resources`: logical id to declaration.
    pub resources: Map<String, Value>,
    /// `Outputs`: name to declaration (`Value`, `Export`, `Condition`).
    pub outputs: Map<String, Value>,
}

impl Template {
    /// Reads a template file, checking that each section is an object.
    pub fn read(path: &Path) -> Result<Template, AssemblyError> {
        let value: Value = read_json(path)?;
        let Value::Object(mut top) = value else {
            return Err(AssemblyError::Invalid {
                file: path.to_path_buf(),
                message: "a template is a JSON object".into(),
            });
        };
        let mut section = |name: &str| -> Result<Map<String, Value>, AssemblyError> {
            match top.remove(name) {
                None => Ok(Map::new()),
                Some(Value::Object(m)) => Ok(m),
                Some(_) => Err(AssemblyError::Invalid {
                    file: path.to_path_buf(),
                    message: format!("the `{name}` section is not an object"),
                }),
            }
        };
        Ok(Template {
            parameters: section("Parameters")?,
            conditions: section("Conditions")?,
            mappings: section("Mappings")?,
            resources: section("Resources")?,
            outputs: section("Outputs")?,
        })
    }

    /// A resource's `Type`, if it has one.
    pub fn resource_type(&self, logical_id: &str) -> Option<&str> {
        self.resources.get(logical_id)?.get("Type")?.as_str()
    }
}
