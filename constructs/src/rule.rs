//! `CfnRule`: an entry of the template's `Rules` (checks on parameter values).

use std::rc::Rc;

use crate::element::{new_element, Body, Element};
use crate::node::{IConstruct, Node};
use crate::value::Value;

pub(crate) struct RuleData {
    pub(crate) condition: Option<Value>,
    pub(crate) assertions: Vec<(Value, Option<String>)>,
}

/// A template rule: assertions on parameter values, checked before any change.
///
/// ```
/// use constructs::{fns, App, CfnParameter, CfnParameterProps, CfnRule, Stack};
/// let app = App::new();
/// let stack = Stack::new(&app, "S");
/// let env = CfnParameter::new(&stack, "Env", CfnParameterProps::default());
/// let rule = CfnRule::new(&stack, "ProdOnly");
/// rule.add_assertion(fns::equals(env.value_as_string(), "prod"), "Env must be prod");
/// ```
#[derive(Clone)]
pub struct CfnRule {
    node: Node,
    element: Rc<Element>,
}

impl CfnRule {
    /// Adds a rule with no assertions yet.
    pub fn new(scope: &impl IConstruct, id: &str) -> Self {
        let data = RuleData { condition: None, assertions: Vec::new() };
        let (node, element) = new_element(scope.node(), id, Body::Rule(data.into()));
        CfnRule { node, element }
    }

    fn with<R>(&self, f: impl FnOnce(&mut RuleData) -> R) -> R {
        match &self.element.body {
            Body::Rule(d) => f(&mut d.borrow_mut()),
            _ => unreachable!("a CfnRule always holds rule data"),
        }
    }

    /// Applies the assertions only when `condition` holds (`RuleCondition`).
    pub fn set_rule_condition(&self, condition: Value) {
        self.with(|d| d.condition = Some(condition));
    }

    /// Adds an assertion with the message shown when it fails.
    pub fn add_assertion(&self, assertion: Value, description: &str) {
        self.with(|d| d.assertions.push((assertion, Some(description.to_string()))));
    }
}

impl IConstruct for CfnRule {
    fn node(&self) -> &Node {
        &self.node
    }
}
