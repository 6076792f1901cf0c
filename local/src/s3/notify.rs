//! Object change notifications: after each write or delete the service tells
//! its [`ObjectEvents`] listener (the backend's bucket triggers), as S3 sends
//! its event notifications once a change is stored.

use std::sync::Arc;

use super::principal::Principal;
use super::store::ObjectMeta;
use super::Shared;
use crate::lambda::{ObjectEvent, ObjectEvents};

/// S3's event names, without the `s3:` prefix.
pub(crate) const PUT: &str = "ObjectCreated:Put";
pub(crate) const COPY: &str = "ObjectCreated:Copy";
pub(crate) const MULTIPART: &str = "ObjectCreated:CompleteMultipartUpload";
pub(crate) const DELETE: &str = "ObjectRemoved:Delete";

impl Shared {
    /// Sets who hears of object changes (`None`: nobody).
    pub(crate) fn set_events(&self, events: Option<Arc<dyn ObjectEvents>>) {
        *self.events.write().unwrap_or_else(|e| e.into_inner()) = events;
    }

    /// Reports `event_name` on `bucket`/`key`; `meta` is the new object of a
    /// creation. Returns at once: listeners run asynchronously.
    pub(crate) fn notify(
        &self,
        bucket: &str,
        key: &str,
        event_name: &str,
        meta: Option<&ObjectMeta>,
        caller: Option<&Principal>,
    ) {
        let Some(events) = self.events.read().unwrap_or_else(|e| e.into_inner()).clone() else { return };
        // S3 names the requester `AWS:<role id>:<session>`; locally the role
        // name and the identity (or `local`) stand in for them.
        let principal =
            caller.map(|p| format!("AWS:{}:{}", p.role_name(), p.identity_id.as_deref().unwrap_or("local")));
        events.object_changed(&ObjectEvent {
            bucket: bucket.to_string(),
            key: key.to_string(),
            event_name: event_name.to_string(),
            size: meta.map(|m| m.size),
            etag: meta.map(|m| m.etag.clone()),
            principal,
        });
    }
}
