//! The AppSync schema (SDL) generated from a validated schema, with Amplify's
//! conventions: model and connection types; filter, condition, create, update, delete
//! and subscription-filter inputs; get, list and index queries; create, update and
//! delete mutations; onCreate/onUpdate/onDelete subscriptions; auth directives.
//!
//! AppSync's own scalars (`AWSDateTime`, ...) and directives (`@aws_iam`, ...) are
//! not declared: AppSync provides them.

mod custom;
mod directives;
mod model_inputs;
mod model_schema;
mod model_types;
mod root;
mod shared;
mod writer;

use super::ir::Ir;

pub use model_schema::model_schema;
pub use root::owner_arguments;

/// The SDL of `ir`.
pub fn render(ir: &Ir) -> String {
    let mut out = String::with_capacity(4096 + ir.models.len() * 6000);
    for m in &ir.models {
        model_types::write(&mut out, ir, m);
    }
    custom::write_types(&mut out, ir);
    shared::write(&mut out);
    for m in &ir.models {
        model_inputs::write(&mut out, ir, m);
    }
    custom::write_inputs(&mut out, ir);
    root::write(&mut out, ir);
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}
