//! What to do when a nested stack of the backend goes over one of
//! CloudFormation's quotas per template (500 resources, 200 outputs, 1 MB, ...),
//! in the backend's own terms. Users of `define_*` do not place resources in
//! stacks themselves, so the construct layer's usual advice ("move resources
//! into a nested stack") is not theirs to follow; each stack says which setting
//! spreads its resources instead ([`constructs::Stack::set_quota_fix`]).

use super::Category;

/// The fix for the nested stack `name` of the root stack.
pub(crate) fn fix(name: &str) -> String {
    let function = "give some functions `FunctionProps::resource_group_name` (for example \
                    `Some(\"functions2\".into())`): each name is a nested stack of its own, \
                    so the functions spread over several templates";
    match name {
        n if n == Category::Auth.stack_name() => {
            format!("auth holds only what define_auth makes plus the functions placed with it; {function}")
        }
        n if n == Category::Data.stack_name() => format!(
            "each function of another stack given to `a::handler::function` (or to `allow.resource`) \
             passes its ARN into the data stack as a parameter, up to 200: let one function answer several \
             operations (its event's `fieldName` tells them apart); for functions placed in the data stack, \
             {function}"
        ),
        n if n == Category::Storage.stack_name() => format!(
            "each bucket of define_storage adds a few resources here; define fewer buckets (one bucket \
             can hold many paths), or {function}"
        ),
        _ => format!(
            "{function}; custom constructs can go in more stacks of their own, each made with \
             `Backend::create_stack`"
        ),
    }
}
