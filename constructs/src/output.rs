//! `CfnOutput`: an entry of the template's `Outputs`.

use std::rc::Rc;

use crate::condition::CfnCondition;
use crate::element::{logical_id, new_element, Body, Element};
use crate::node::{IConstruct, Node};
use crate::value::Value;

pub(crate) struct OutputData {
    pub(crate) value: Value,
    pub(crate) description: Option<String>,
    pub(crate) export_name: Option<Value>,
    pub(crate) condition: Option<Value>,
}

/// Options of an output.
#[derive(Clone, Debug, Default)]
pub struct CfnOutputProps {
    /// The value; may be a token.
    pub value: Value,
    /// A description shown by CloudFormation.
    pub description: Option<String>,
    /// Exports the value under this name for `Fn::ImportValue`.
    pub export_name: Option<Value>,
    /// Only output when this condition holds.
    pub condition: Option<CfnCondition>,
}

/// A stack output.
///
/// ```
/// use constructs::{App, CfnOutput, CfnOutputProps, Stack};
/// let app = App::new();
/// let stack = Stack::new(&app, "S");
/// CfnOutput::new(&stack, "Url", CfnOutputProps { value: "https://example.com".into(), ..Default::default() });
/// ```
#[derive(Clone)]
pub struct CfnOutput {
    node: Node,
    element: Rc<Element>,
}

impl CfnOutput {
    /// Adds an output under `scope` (its stack is the nearest stack above).
    pub fn new(scope: &impl IConstruct, id: &str, props: CfnOutputProps) -> Self {
        let data = OutputData {
            value: props.value,
            description: props.description,
            export_name: props.export_name,
            condition: props.condition.map(|c| c.name()),
        };
        let (node, element) = new_element(scope.node(), id, Body::Output(data.into()));
        CfnOutput { node, element }
    }

    /// Whether a construct is an output, and if so, its handle.
    pub fn of(construct: &impl IConstruct) -> Option<Self> {
        let node = construct.node();
        let element = node.element()?;
        matches!(element.body, Body::Output(_)).then(|| CfnOutput { node: node.clone(), element })
    }

    fn with<R>(&self, f: impl FnOnce(&mut OutputData) -> R) -> R {
        match &self.element.body {
            Body::Output(d) => f(&mut d.borrow_mut()),
            _ => unreachable!("a CfnOutput always holds output data"),
        }
    }

    /// Changes the value.
    pub fn set_value(&self, value: impl Into<Value>) {
        self.with(|d| d.value = value.into());
    }

    /// The value.
    pub fn value(&self) -> Value {
        self.with(|d| d.value.clone())
    }

    /// Changes the description.
    pub fn set_description(&self, description: &str) {
        self.with(|d| d.description = Some(description.to_string()));
    }

    /// Exports the value under `name`.
    pub fn set_export_name(&self, name: impl Into<Value>) {
        self.with(|d| d.export_name = Some(name.into()));
    }

    /// `Fn::ImportValue` of this output's export name, for use in another stack.
    pub fn import_value(&self) -> Option<Value> {
        self.with(|d| d.export_name.clone()).map(crate::fns::import_value)
    }

    /// The logical ID (the key under `Outputs`).
    pub fn logical_id(&self) -> String {
        logical_id(&self.node)
    }

    /// Replaces the computed logical ID.
    pub fn override_logical_id(&self, id: &str) {
        *self.element.logical_id_override.borrow_mut() = Some(id.to_string());
    }
}

impl IConstruct for CfnOutput {
    fn node(&self) -> &Node {
        &self.node
    }
}

impl crate::element::ElementHandle for CfnOutput {
    fn element(&self) -> &Rc<Element> {
        &self.element
    }
}
