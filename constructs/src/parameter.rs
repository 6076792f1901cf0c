//! `CfnParameter`: an entry of the template's `Parameters`.

use std::rc::Rc;

use crate::element::{logical_id, new_element, Body, Element};
use crate::fns;
use crate::node::{IConstruct, Node};
use crate::value::{Intrinsic, Value};

/// Every attribute CloudFormation allows on a parameter.
#[derive(Clone, Debug, Default)]
pub struct CfnParameterProps {
    /// `String` when not set.
    pub parameter_type: Option<String>,
    /// Default value.
    pub default: Option<Value>,
    /// Allowed values.
    pub allowed_values: Option<Vec<String>>,
    /// A regular expression the value must match.
    pub allowed_pattern: Option<String>,
    /// Shown when the value breaks a constraint.
    pub constraint_description: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Maximum string length.
    pub max_length: Option<u64>,
    /// Minimum string length.
    pub min_length: Option<u64>,
    /// Maximum number value.
    pub max_value: Option<f64>,
    /// Minimum number value.
    pub min_value: Option<f64>,
    /// Mask the value in the console and API.
    pub no_echo: bool,
}

pub(crate) type ParameterData = CfnParameterProps;

/// A template parameter, with typed accessors for its value.
///
/// ```
/// use constructs::{App, CfnParameter, CfnParameterProps, Stack};
/// let app = App::new();
/// let stack = Stack::new(&app, "S");
/// let size = CfnParameter::new(&stack, "Size", CfnParameterProps {
///     parameter_type: Some("Number".into()),
///     default: Some(3.into()),
///     min_value: Some(1.0),
///     ..Default::default()
/// });
/// let _count = size.value_as_number();
/// ```
#[derive(Clone)]
pub struct CfnParameter {
    node: Node,
    element: Rc<Element>,
}

impl CfnParameter {
    /// Adds a parameter.
    pub fn new(scope: &impl IConstruct, id: &str, props: CfnParameterProps) -> Self {
        let (node, element) = new_element(scope.node(), id, Body::Parameter(props.into()));
        CfnParameter { node, element }
    }

    /// Changes the attributes.
    pub fn update(&self, f: impl FnOnce(&mut CfnParameterProps)) {
        if let Body::Parameter(d) = &self.element.body {
            f(&mut d.borrow_mut());
        }
    }

    /// The parameter type (`String` by default).
    pub fn parameter_type(&self) -> String {
        match &self.element.body {
            Body::Parameter(d) => d.borrow().parameter_type.clone().unwrap_or_else(|| "String".into()),
            _ => unreachable!("a CfnParameter always holds parameter data"),
        }
    }

    /// `{"Ref": <parameter>}`.
    pub fn ref_(&self) -> Value {
        Value::token(Intrinsic::Ref(self.node.target()))
    }

    /// The value, for `String` parameters.
    pub fn value_as_string(&self) -> Value {
        self.ref_()
    }

    /// The value, for `Number` parameters.
    pub fn value_as_number(&self) -> Value {
        self.ref_()
    }

    /// The value, for list parameters (`CommaDelimitedList`, `List<...>`).
    pub fn value_as_list(&self) -> Value {
        self.ref_()
    }

    /// One element of a list parameter.
    pub fn value_at(&self, index: usize) -> Value {
        fns::select(index, self.ref_())
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

impl IConstruct for CfnParameter {
    fn node(&self) -> &Node {
        &self.node
    }
}

impl crate::element::ElementHandle for CfnParameter {
    fn element(&self) -> &Rc<Element> {
        &self.element
    }
}
