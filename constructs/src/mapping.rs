//! `CfnMapping`: an entry of the template's `Mappings`.

use std::rc::Rc;

use indexmap::IndexMap;

use crate::element::{logical_id, new_element, Body, Element};
use crate::fns::ConditionName;
use crate::node::{IConstruct, Node};
use crate::value::{Intrinsic, Value};

/// A two-level lookup table read with `Fn::FindInMap`.
///
/// ```
/// use constructs::{App, Aws, CfnMapping, Stack};
/// let app = App::new();
/// let stack = Stack::new(&app, "S");
/// let sizes = CfnMapping::new(&stack, "Sizes");
/// sizes.set_value("us-east-1", "Instance", "t3.micro");
/// let size = sizes.find_in_map(Aws::region(), "Instance");
/// assert!(size.is_token());
/// ```
#[derive(Clone)]
pub struct CfnMapping {
    node: Node,
    element: Rc<Element>,
}

impl CfnMapping {
    /// Adds an empty mapping.
    pub fn new(scope: &impl IConstruct, id: &str) -> Self {
        let (node, element) = new_element(scope.node(), id, Body::Mapping(IndexMap::new().into()));
        CfnMapping { node, element }
    }

    /// Sets `mapping[key1][key2] = value`.
    pub fn set_value(&self, key1: &str, key2: &str, value: impl Into<Value>) {
        if let Body::Mapping(m) = &self.element.body {
            m.borrow_mut().entry(key1.to_string()).or_default().insert(key2.to_string(), value.into());
        }
    }

    /// `Fn::FindInMap` on this mapping.
    pub fn find_in_map(&self, key1: impl Into<Value>, key2: impl Into<Value>) -> Value {
        crate::fns::find_in_map(self, key1, key2)
    }

    /// The logical ID.
    pub fn logical_id(&self) -> String {
        logical_id(&self.node)
    }
}

impl ConditionName for &CfnMapping {
    fn condition_name(&self) -> Value {
        Value::token(Intrinsic::LogicalId(self.node.target()))
    }
}

impl IConstruct for CfnMapping {
    fn node(&self) -> &Node {
        &self.node
    }
}
