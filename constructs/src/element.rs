//! Template elements: the constructs that become an entry of a template section
//! (resources, outputs, parameters, conditions, mappings, rules), and their logical
//! IDs.

use std::cell::RefCell;

use indexmap::IndexMap;

use crate::names::make_unique_id;
use crate::node::{Kind, Node};
use crate::output::OutputData;
use crate::parameter::ParameterData;
use crate::resource::ResourceData;
use crate::rule::RuleData;
use crate::value::Value;

pub(crate) struct Element {
    pub(crate) logical_id_override: RefCell<Option<String>>,
    pub(crate) body: Body,
}

pub(crate) enum Body {
    // Boxed: resources carry much more than the other elements.
    Resource(Box<RefCell<ResourceData>>),
    Output(RefCell<OutputData>),
    Parameter(RefCell<ParameterData>),
    Condition(RefCell<Value>),
    Mapping(RefCell<IndexMap<String, IndexMap<String, Value>>>),
    Rule(RefCell<RuleData>),
}

impl Body {
    /// The template section this element goes in.
    pub(crate) fn section(&self) -> &'static str {
        match self {
            Body::Resource(_) => "Resources",
            Body::Output(_) => "Outputs",
            Body::Parameter(_) => "Parameters",
            Body::Condition(_) => "Conditions",
            Body::Mapping(_) => "Mappings",
            Body::Rule(_) => "Rules",
        }
    }
}

impl Element {
    pub(crate) fn new(body: Body) -> Self {
        Element { logical_id_override: RefCell::new(None), body }
    }
}

/// A typed handle on a template element (synthesis registers the elements it adds).
pub(crate) trait ElementHandle: crate::node::IConstruct {
    /// The element's body and logical ID override.
    fn element(&self) -> &std::rc::Rc<Element>;
}

/// Creates an element node under `scope`.
pub(crate) fn new_element(scope: &Node, id: &str, body: Body) -> (Node, std::rc::Rc<Element>) {
    let element = std::rc::Rc::new(Element::new(body));
    let node = Node::new_child(scope, id, Kind::Element(element.clone()));
    (node, element)
}

/// The stack an element (or any construct) belongs to: its nearest stack ancestor.
pub(crate) fn stack_of(node: &Node) -> Option<Node> {
    let mut n = Some(node.clone());
    while let Some(cur) = n {
        if cur.is_stack() {
            return Some(cur);
        }
        n = cur.scope();
    }
    None
}

/// The ids from below the element's stack down to the element.
pub(crate) fn stack_relative_ids(node: &Node) -> Vec<String> {
    let mut ids = Vec::new();
    let mut n = node.clone();
    loop {
        if n.is_stack() {
            break;
        }
        ids.push(n.id().to_string());
        match n.scope() {
            Some(p) => n = p,
            None => break,
        }
    }
    ids.reverse();
    ids
}

/// The logical ID: the override, or CDK's unique id of the stack-relative path.
pub(crate) fn logical_id(node: &Node) -> String {
    if let Some(e) = node.element() {
        if let Some(id) = e.logical_id_override.borrow().as_ref() {
            return id.clone();
        }
    }
    make_unique_id(&stack_relative_ids(node)).unwrap_or_else(|_| "Default".to_string())
}
