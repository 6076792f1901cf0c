//! Triggers: an event of a category (a user pool's sign-up, a bucket's upload)
//! that runs a function of the backend. Auth and storage wire theirs through here.

use super::define::FunctionDefinition;
use super::function::Function;
use crate::Backend;

/// A trigger whose function the backend built.
pub(crate) struct Trigger<'a> {
    /// The category's name for the event (`PostConfirmation`, `s3:ObjectCreated:*`).
    pub(crate) event: &'static str,
    /// The function it runs.
    pub(crate) function: &'a Function,
}

/// The built function of each `(event, function)`, in order. A function that is
/// not in `define_backend` is a problem (one per trigger, all of them), left out.
pub(crate) fn resolve<'a>(
    backend: &'a Backend,
    triggers: Vec<(&'static str, &FunctionDefinition)>,
) -> (Vec<Trigger<'a>>, Vec<String>) {
    let mut found = Vec::new();
    let mut problems = Vec::new();
    for (event, definition) in triggers {
        match backend.functions().get(definition.name()) {
            Some(function) => found.push(Trigger { event, function }),
            None => problems.push(format!(
                "the {event} trigger runs function '{}', which is not in define_backend; add it there",
                definition.name()
            )),
        }
    }
    (found, problems)
}
