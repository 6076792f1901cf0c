//! A backend has one auth and one data API. Given a second, the second would
//! land on the first one's constructs and every reference to it would fail on
//! its own; one error says what happened instead, at the category's stack.

use constructs::IConstruct;

use super::{Backend, Category};
use crate::codes;

/// Reports each category of `categories` (those of the definitions given) that
/// appears more than once but can be defined only once.
pub(crate) fn check(backend: &Backend, categories: &[Category]) {
    for (category, define) in [(Category::Auth, "define_auth"), (Category::Data, "define_data")] {
        let n = categories.iter().filter(|c| **c == category).count();
        if n > 1 {
            backend.stack(category).node().add_error(
                codes::DEFINED_TWICE,
                format!("{category} is defined twice: define_backend was given {n} {define}(..) definitions, and a backend has one"),
                format!("pass one {define}(..) to define_backend (merge the two definitions' settings)"),
            );
        }
    }
}
