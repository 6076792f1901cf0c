//! `Resource<P>`: what every generated L1 wraps — a [`CfnResource`] whose
//! properties are rendered from typed props at synthesis.

use std::cell::{Ref, RefCell, RefMut};
use std::fmt;
use std::ops::Deref;
use std::rc::Rc;

use constructs::{CfnResource, IConstruct, Node, TagFormat, Value};

use crate::render::{missing_required, render, ToCfn};

/// A CloudFormation resource with typed props `P`.
///
/// Every generated L1 (`CfnBucket`, `CfnMap`, ...) dereferences to one, and it
/// dereferences to the underlying [`CfnResource`], so the escape hatches
/// (`add_property_override`, `apply_removal_policy`, `add_depends_on`, `ref_`,
/// `get_att`, ...) are methods of every L1.
///
/// The props live in a cell and render at synthesis: change them after creation
/// with [`props_mut`](Resource::props_mut). Required properties left unset are
/// reported by synthesis with the path of the resource.
pub struct Resource<P> {
    resource: CfnResource,
    props: Rc<RefCell<P>>,
}

impl<P: ToCfn + 'static> Resource<P> {
    /// Adds a resource of `resource_type` under `scope`; generated constructors call
    /// this. `tags` names the tag property and its shape for types that take part
    /// in [`Tags::of`](constructs::Tags::of).
    pub fn new(
        scope: &impl IConstruct,
        id: &str,
        resource_type: &str,
        props: P,
        tags: Option<(TagFormat, &str)>,
    ) -> Self {
        let props = Rc::new(RefCell::new(props));
        let for_render = props.clone();
        let resource =
            CfnResource::with_renderer(scope, id, resource_type, move || match render(&*for_render.borrow()) {
                Value::Object(properties) => properties,
                _ => Default::default(),
            });
        if let Some((format, property)) = tags {
            resource.enable_tags(format, property);
        }
        let for_check = props.clone();
        let type_name = resource_type.to_string();
        resource.node().add_check(move || {
            missing_required(&*for_check.borrow())
                .into_iter()
                .map(|path| {
                    constructs::Diagnostic::error(
                        crate::codes::REQUIRED,
                        format!("{type_name}: required property {path} is not set"),
                        format!("set {path} in the props"),
                    )
                })
                .collect()
        });
        crate::enable_schema_checks(&resource);
        Resource { resource, props }
    }
}

impl<P> Resource<P> {
    /// The props.
    pub fn props(&self) -> Ref<'_, P> {
        self.props.borrow()
    }

    /// The props, to change them; the change shows in the synthesized template.
    ///
    /// Panics if the props are already borrowed (hold no `props()` guard across it).
    pub fn props_mut(&self) -> RefMut<'_, P> {
        self.props.borrow_mut()
    }

    /// The underlying [`CfnResource`] (also reachable through `Deref`).
    pub fn resource(&self) -> &CfnResource {
        &self.resource
    }
}

impl<P> Clone for Resource<P> {
    fn clone(&self) -> Self {
        Resource { resource: self.resource.clone(), props: self.props.clone() }
    }
}

impl<P> Deref for Resource<P> {
    type Target = CfnResource;

    fn deref(&self) -> &CfnResource {
        &self.resource
    }
}

impl<P> IConstruct for Resource<P> {
    fn node(&self) -> &Node {
        self.resource.node()
    }
}

impl<P> fmt::Debug for Resource<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.resource.fmt(f)
    }
}
