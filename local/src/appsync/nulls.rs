//! GraphQL's null propagation, which async-graphql's dynamic executor leaves
//! out (it drops a failed field's key from its object and goes on): a failed
//! nullable field is null, and a failed non-null field nulls its nearest
//! nullable ancestor (a list item, a nullable field, else the whole `data`),
//! as AppSync does. An extension wraps each field's resolution to do it.

use std::sync::{Arc, Mutex};

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextResolve, ResolveInfo};
use async_graphql::{PathSegment, QueryPathNode, QueryPathSegment, ServerError, ServerResult, Value};

/// Per request: errors caught at nullable fields (for the response), and
/// the paths of failed non-null fields whose ancestor is still to be nulled.
#[derive(Default)]
pub(crate) struct Caught {
    errors: Mutex<Vec<ServerError>>,
    failed: Mutex<Vec<Vec<PathSegment>>>,
}

impl Caught {
    /// Takes the errors caught so far.
    pub fn take(&self) -> Vec<ServerError> {
        std::mem::take(&mut *self.errors.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// Records an error a nullable field caught itself (its value is null).
    /// Kept here rather than with `ctx.add_error`, which async-graphql's
    /// dynamic subscriptions drop.
    pub fn add(&self, e: ServerError) {
        self.errors.lock().unwrap_or_else(|p| p.into_inner()).push(e);
    }

    /// Whether a failed non-null field is left with no nullable ancestor to
    /// null: the whole `data` is then null. Clears the record.
    pub fn data_is_null(&self) -> bool {
        !std::mem::take(&mut *self.failed.lock().unwrap_or_else(|e| e.into_inner())).is_empty()
    }

    /// Forgets the failures under `here`; answers whether there were any.
    fn absorb_under(&self, here: &[PathSegment]) -> bool {
        let mut failed = self.failed.lock().unwrap_or_else(|e| e.into_inner());
        let before = failed.len();
        failed.retain(|p| !(p.len() > here.len() && p.starts_with(here)));
        failed.len() != before
    }
}

/// The factory the schema registers.
pub(crate) struct NullPropagation;

impl ExtensionFactory for NullPropagation {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(NullPropagation)
    }
}

fn path(node: &QueryPathNode<'_>) -> Vec<PathSegment> {
    let mut out = Vec::new();
    let mut at = Some(node);
    while let Some(n) = at {
        out.push(match n.segment {
            QueryPathSegment::Index(i) => PathSegment::Index(i),
            QueryPathSegment::Name(s) => PathSegment::Field(s.to_string()),
        });
        at = n.parent;
    }
    out.reverse();
    out
}

#[async_graphql::async_trait::async_trait]
impl Extension for NullPropagation {
    async fn resolve(
        &self,
        ctx: &ExtensionContext<'_>,
        info: ResolveInfo<'_>,
        next: NextResolve<'_>,
    ) -> ServerResult<Option<Value>> {
        let nullable = !info.return_type.ends_with('!');
        let here = path(info.path_node);
        let result = next.run(ctx, info).await;
        let Some(caught) = ctx.data_opt::<Arc<Caught>>() else { return result };
        match result {
            Ok(_) if nullable && caught.absorb_under(&here) => Ok(None),
            Ok(v) => Ok(v),
            Err(mut e) => {
                if e.path.is_empty() {
                    e.path = here.clone();
                }
                if nullable {
                    caught.add(e);
                    Ok(None)
                } else {
                    // The object holding this field reports the error; the
                    // nearest nullable ancestor becomes null.
                    caught.failed.lock().unwrap_or_else(|p| p.into_inner()).push(here);
                    Err(e)
                }
            }
        }
    }
}
