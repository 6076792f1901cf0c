//! The stacks table: every stack of the tree with its template elements and
//! assets, found once when synthesis starts. Steps refer to stacks by [`StackId`]
//! and to elements by [`ElementId`]; the elements synthesis adds itself (reference
//! parameters, outputs, exports) join the table through [`Stacks::add_element`].

use std::ops::Index;
use std::rc::Rc;

use crate::asset::Asset;
use crate::codes;
use crate::element::{logical_id, Body, Element, ElementHandle};
use crate::error::Diagnostic;
use crate::node::{IConstruct, Node, NodeKey};
use crate::ptr_hash::PtrMap;
use crate::stack::Stack;

/// A stack of the table. Ids follow tree order (parents before children).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct StackId(usize);

impl StackId {
    /// The position in tree order (artifacts are listed in it).
    pub(crate) fn index(self) -> usize {
        self.0
    }
}

/// A template element of the table, in the order elements were found or added.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct ElementId(usize);

/// A stack and what its template holds.
pub(crate) struct StackEntry {
    pub(crate) stack: Stack,
    /// Where a nested stack sits in its parent.
    pub(crate) nested: Option<NestedIn>,
    /// The elements of its template, in tree order, then those synthesis added.
    pub(crate) elements: Vec<ElementId>,
    /// The assets staged for it (published with its top-level stack).
    pub(crate) assets: Vec<Asset>,
    /// The top-level stack whose deployment deploys this one (itself when top-level).
    pub(crate) top: StackId,
    /// Nesting levels below `top`.
    pub(crate) depth: usize,
}

/// A nested stack's place: its parent stack and its
/// `AWS::CloudFormation::Stack` resource there.
pub(crate) struct NestedIn {
    pub(crate) parent: StackId,
    pub(crate) resource: ElementId,
}

/// A template element: its construct, its typed body and its logical ID.
pub(crate) struct ElementEntry {
    pub(crate) node: Node,
    pub(crate) element: Rc<Element>,
    pub(crate) stack: StackId,
    pub(crate) logical_id: String,
    /// For a nested stack's resource: the nested stack it deploys.
    pub(crate) deploys: Option<StackId>,
}

impl ElementEntry {
    /// The element's body (resource, output, parameter, ...).
    pub(crate) fn body(&self) -> &Body {
        &self.element.body
    }

    pub(crate) fn is_resource(&self) -> bool {
        matches!(self.element.body, Body::Resource(_))
    }
}

#[derive(Clone, Copy)]
enum Place {
    Stack(StackId),
    Element(ElementId),
}

/// Every stack and element of the tree, by id, and the way from a construct
/// (as a token holds it) to its place.
pub(crate) struct Stacks {
    stacks: Vec<StackEntry>,
    elements: Vec<ElementEntry>,
    places: PtrMap<NodeKey, Place>,
}

impl Index<StackId> for Stacks {
    type Output = StackEntry;
    fn index(&self, id: StackId) -> &StackEntry {
        &self.stacks[id.0]
    }
}

impl Index<ElementId> for Stacks {
    type Output = ElementEntry;
    fn index(&self, id: ElementId) -> &ElementEntry {
        &self.elements[id.0]
    }
}

impl Stacks {
    /// Finds the stacks under `root` and, for each, its elements and assets (not
    /// descending into nested stacks, which are entries of their own). An element
    /// outside every stack is a problem.
    pub(crate) fn index(root: &Node, problems: &mut Vec<Diagnostic>) -> Self {
        let mut s = Stacks { stacks: Vec::new(), elements: Vec::new(), places: PtrMap::default() };
        // Depth first, parents before children, without recursion.
        let mut pending = vec![(root.clone(), None)];
        while let Some((node, current)) = pending.pop() {
            let current = s.visit(&node, current, problems);
            pending.extend(node.children().into_iter().rev().map(|c| (c, current)));
        }
        s
    }

    /// Places one construct; returns the stack its children are in.
    fn visit(&mut self, node: &Node, current: Option<StackId>, problems: &mut Vec<Diagnostic>) -> Option<StackId> {
        let mut current = current;
        if let Some(stack) = Stack::from_node(node) {
            let id = StackId(self.stacks.len());
            // A nested stack's resource is in the stack around it, indexed already
            // (its holder is an earlier sibling of the nested stack).
            let nested = match (current, stack.nested_stack_resource()) {
                (Some(parent), Some(resource)) => {
                    self.element_of(resource.node()).map(|resource| NestedIn { parent, resource })
                }
                _ => None,
            };
            let (top, depth) = match &nested {
                Some(n) => (self[n.parent].top, self[n.parent].depth + 1),
                None => (id, 0),
            };
            if let Some(n) = &nested {
                self.elements[n.resource.0].deploys = Some(id);
            }
            self.stacks.push(StackEntry { stack, nested, elements: Vec::new(), assets: Vec::new(), top, depth });
            self.places.insert(node.key(), Place::Stack(id));
            current = Some(id);
        } else if let Some(element) = node.element() {
            match current {
                Some(stack) => {
                    self.push_element(stack, node, element);
                }
                None => problems.push(
                    Diagnostic::error(
                        codes::OUTSIDE_STACK,
                        "this template element is not inside a Stack",
                        "create it in the scope of a Stack",
                    )
                    .at(node.display_path()),
                ),
            }
        } else if let (Some(stack), Some(asset)) = (current, Asset::from_node(node)) {
            self.stacks[stack.0].assets.push(asset);
        }
        current
    }

    fn push_element(&mut self, stack: StackId, node: &Node, element: Rc<Element>) -> ElementId {
        let id = ElementId(self.elements.len());
        let logical_id = logical_id(node);
        self.elements.push(ElementEntry { node: node.clone(), element, stack, logical_id, deploys: None });
        self.stacks[stack.0].elements.push(id);
        self.places.insert(node.key(), Place::Element(id));
        id
    }

    /// Adds an element that synthesis created in `stack`.
    pub(crate) fn add_element(&mut self, stack: StackId, handle: &impl ElementHandle) -> ElementId {
        self.push_element(stack, handle.node(), handle.element().clone())
    }

    /// Every stack id, in tree order.
    pub(crate) fn ids(&self) -> impl Iterator<Item = StackId> {
        (0..self.stacks.len()).map(StackId)
    }

    /// Every stack, in tree order.
    pub(crate) fn entries(&self) -> impl Iterator<Item = (StackId, &StackEntry)> {
        self.stacks.iter().enumerate().map(|(i, s)| (StackId(i), s))
    }

    /// The stacks deployed with top-level stack `top` (itself included), in tree order.
    pub(crate) fn deployed_with(&self, top: StackId) -> impl Iterator<Item = (StackId, &StackEntry)> {
        self.entries().filter(move |(_, s)| s.top == top)
    }

    /// The elements of a stack.
    pub(crate) fn elements_of(&self, stack: StackId) -> impl Iterator<Item = &ElementEntry> {
        self[stack].elements.iter().map(|e| &self[*e])
    }

    /// The stack a construct is, when it is one of the table.
    pub(crate) fn as_stack(&self, node: &Node) -> Option<StackId> {
        match self.places.get(&node.key()) {
            Some(Place::Stack(s)) => Some(*s),
            _ => None,
        }
    }

    /// The element a construct is, when it is one of the table.
    pub(crate) fn element_of(&self, node: &Node) -> Option<ElementId> {
        match self.places.get(&node.key()) {
            Some(Place::Element(e)) => Some(*e),
            _ => None,
        }
    }

    /// The stack a construct belongs to: its own entry, or the nearest stack above it.
    /// An element the table does not hold (outside every stack, or under a
    /// construct kept off the tree) is in no stack.
    pub(crate) fn stack_of(&self, node: &Node) -> Option<StackId> {
        match self.places.get(&node.key()) {
            Some(Place::Element(e)) => return Some(self[*e].stack),
            None if node.element().is_some() => return None,
            _ => {}
        }
        let mut n = Some(node.clone());
        while let Some(cur) = n {
            if let Some(Place::Stack(s)) = self.places.get(&cur.key()) {
                return Some(*s);
            }
            n = cur.scope();
        }
        None
    }

    /// The logical ID of an element (computed for a construct outside the table).
    pub(crate) fn logical_id_of(&self, node: &Node) -> String {
        match self.element_of(node) {
            Some(e) => self[e].logical_id.clone(),
            None => logical_id(node),
        }
    }

    /// The construct path of the element of `stack` with this logical ID.
    pub(crate) fn path_of_logical_id(&self, stack: StackId, lid: &str) -> Option<String> {
        self.elements_of(stack).find(|e| e.logical_id == lid).map(|e| e.node.path().to_string())
    }

    /// The parent of a nested stack.
    pub(crate) fn parent(&self, stack: StackId) -> Option<StackId> {
        self[stack].nested.as_ref().map(|n| n.parent)
    }

    /// The stack and its ancestors, nearest first.
    pub(crate) fn ancestors(&self, stack: StackId) -> Vec<StackId> {
        let mut out = vec![stack];
        let mut cur = self.parent(stack);
        while let Some(p) = cur {
            out.push(p);
            cur = self.parent(p);
        }
        out
    }

    /// Whether `stack` is nested, at any depth, in `ancestor`.
    pub(crate) fn is_nested_in(&self, stack: StackId, ancestor: StackId) -> bool {
        self.ancestors(stack).into_iter().skip(1).any(|s| s == ancestor)
    }

    /// The element that stands for `element` in `stack`, one of its ancestors:
    /// itself when it is there, else the resource of the nested stack it is in,
    /// climbing until `stack`.
    pub(crate) fn representative_in(&self, element: ElementId, stack: StackId) -> Option<ElementId> {
        let mut e = element;
        while self[e].stack != stack {
            e = self[self[e].stack].nested.as_ref()?.resource;
        }
        Some(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{App, CfnResource, Construct, NestedStack};

    #[test]
    fn the_table_places_every_stack_and_element() {
        let app = App::new();
        let a = Stack::new(&app, "A");
        let r = CfnResource::new(&a, "R", "AWS::SNS::Topic");
        let n = NestedStack::new(&a, "N");
        let group = Construct::new(&n, "Group");
        let m = NestedStack::new(&group, "M");
        let q = CfnResource::new(&m, "Q", "AWS::SQS::Queue");
        let b = Stack::new(&app, "B");
        CfnResource::new(&app, "Loose", "AWS::SQS::Queue");

        let mut problems = Vec::new();
        let t = Stacks::index(app.node(), &mut problems);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].path, "Loose");

        let id = |s: &Stack| t.as_stack(s.node()).unwrap();
        let (ia, in_, im, ib) = (id(&a), id(&n), id(&m), id(&b));
        assert_eq!(t.ids().collect::<Vec<_>>(), vec![ia, in_, im, ib], "tree order");
        assert_eq!((t.parent(in_), t.parent(im), t.parent(ib)), (Some(ia), Some(in_), None));
        assert_eq!((t[im].top, t[im].depth, t[ib].top, t[ib].depth), (ia, 2, ib, 0));
        assert!(t.is_nested_in(im, ia) && !t.is_nested_in(ia, im));
        assert_eq!(t.ancestors(im), vec![im, in_, ia]);

        let eq = t.element_of(q.node()).unwrap();
        assert_eq!(t[eq].stack, im);
        assert_eq!(t.stack_of(group.node()), Some(in_));
        assert_eq!(t.stack_of(q.node()), Some(im));
        // Q stands in A for the resource of N, the nested stack it is in there.
        let n_resource = t.element_of(n.nested_stack_resource().unwrap().node()).unwrap();
        assert_eq!(t.representative_in(eq, ia), Some(n_resource));
        assert_eq!(t[n_resource].deploys, Some(in_));
        assert_eq!(t.representative_in(eq, ib), None);
        assert_eq!(t.logical_id_of(r.node()), "R");
        assert_eq!(t.path_of_logical_id(im, "Q").as_deref(), Some("A/N/Group/M/Q"));
    }
}
