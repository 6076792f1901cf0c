//! `CfnCondition`: an entry of the template's `Conditions`.

use std::rc::Rc;

use crate::element::{logical_id, new_element, Body, Element};
use crate::fns::ConditionName;
use crate::node::{IConstruct, Node};
use crate::value::{Intrinsic, Value};

/// A named condition, usable in `fns::if_`, resources and outputs.
///
/// ```
/// use constructs::{fns, App, Aws, CfnCondition, CfnResource, Stack};
/// let app = App::new();
/// let stack = Stack::new(&app, "S");
/// let in_us = CfnCondition::new(&stack, "InUsEast1", fns::equals(Aws::region(), "us-east-1"));
/// let topic = CfnResource::new(&stack, "Topic", "AWS::SNS::Topic");
/// topic.set_condition(&in_us);
/// topic.set_property("DisplayName", fns::if_(&in_us, "us", "other"));
/// ```
#[derive(Clone)]
pub struct CfnCondition {
    node: Node,
    element: Rc<Element>,
}

impl CfnCondition {
    /// Adds a condition with its expression (`fns::equals`, `fns::and`, ...).
    pub fn new(scope: &impl IConstruct, id: &str, expression: Value) -> Self {
        let (node, element) = new_element(scope.node(), id, Body::Condition(expression.into()));
        CfnCondition { node, element }
    }

    /// Changes the expression.
    pub fn set_expression(&self, expression: Value) {
        if let Body::Condition(e) = &self.element.body {
            *e.borrow_mut() = expression;
        }
    }

    /// A value that renders as this condition's logical ID.
    pub fn name(&self) -> Value {
        Value::token(Intrinsic::LogicalId(self.node.target()))
    }

    /// The logical ID.
    pub fn logical_id(&self) -> String {
        logical_id(&self.node)
    }

    /// Replaces the computed logical ID.
    pub fn override_logical_id(&self, id: &str) {
        *self.element.logical_id_override.borrow_mut() = Some(id.to_string());
    }
}

impl ConditionName for &CfnCondition {
    fn condition_name(&self) -> Value {
        self.name()
    }
}

impl std::fmt::Debug for CfnCondition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CfnCondition({})", self.node.path())
    }
}

impl IConstruct for CfnCondition {
    fn node(&self) -> &Node {
        &self.node
    }
}
