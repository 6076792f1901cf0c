//! Functions and resolvers added to the API over any data source (Amplify's
//! `backend.data.addFunction` and `addResolver`): APPSYNC_JS code on a data
//! source added by name, a model's table or `NONE`, for fields the schema
//! declares and nothing resolves yet — a custom query or mutation declared
//! without a handler, or a field of a model or custom type.
//!
//! ```
//! use amplify_backend::data::{a, define_data, AddedResolver, DataProps, DataSourceRef, JsCode};
//!
//! let schema = a::schema([(
//!     "weather",
//!     a::query().arguments([("city", a::string())]).returns(a::json())
//!         .authorization(|allow| [allow.authenticated()]),
//! )]);
//! let code = "export function request(ctx) { return { method: 'GET', resourcePath: '/' + ctx.args.city }; }\n\
//!             export function response(ctx) { return ctx.result.body; }";
//! let data = define_data(DataProps { schema, ..Default::default() })
//!     .add_http_data_source("Weather", "https://api.weather.example", Default::default())
//!     .add_resolver(AddedResolver::unit("Query", "weather", DataSourceRef::from("Weather"), JsCode::Inline(code.into())));
//! assert_eq!(data.props.resolvers.len(), 1);
//! ```
//!
//! An added resolver runs without the generated auth function: AppSync's mode
//! directives (from the operation's rules) admit callers, and the code decides
//! the rest, as with Amplify's `addResolver`.

use std::borrow::Cow;

use super::error::DataError;
use super::ir::Ir;
use super::resolvers::{DataSourceKind, PipelineFunction, Placement, ResolverPlan, ResolverSpec};
use super::schema::custom_operation::{DataSourceRef, JsCode};
use super::validate::handler_code::code_ok;
use super::validate::Diagnostics;

/// An AppSync function for added pipeline resolvers (Amplify's `addFunction`).
#[derive(Clone, Debug, PartialEq)]
pub struct AddedFunction {
    /// Its name, unique in the API (letters, digits and `_`).
    pub name: String,
    /// Its data source; `None` for `NONE`.
    pub data_source: Option<DataSourceRef>,
    /// Its APPSYNC_JS code (exports `request` and `response`).
    pub code: JsCode,
}

/// What an added resolver runs.
#[derive(Clone, Debug, PartialEq)]
pub enum AddedResolverKind {
    /// The code runs on the data source (`None`: `NONE`), as a unit resolver.
    Unit {
        /// The data source.
        data_source: Option<DataSourceRef>,
        /// The code.
        code: JsCode,
    },
    /// The added functions run in order; `code` (if any) runs before and after
    /// them (by default the last function's result is the field's).
    Pipeline {
        /// The names of added functions.
        functions: Vec<String>,
        /// The resolver's own code.
        code: Option<JsCode>,
    },
}

/// A resolver added for `type_name.field_name` (Amplify's `addResolver`).
#[derive(Clone, Debug, PartialEq)]
pub struct AddedResolver {
    /// The type (`Query`, `Post`, ...).
    pub type_name: String,
    /// The field.
    pub field_name: String,
    /// What it runs.
    pub kind: AddedResolverKind,
}

impl AddedResolver {
    /// `code` on `data_source` resolves `type_name.field_name`.
    pub fn unit(
        type_name: impl Into<String>,
        field_name: impl Into<String>,
        data_source: impl Into<Option<DataSourceRef>>,
        code: JsCode,
    ) -> Self {
        AddedResolver {
            type_name: type_name.into(),
            field_name: field_name.into(),
            kind: AddedResolverKind::Unit { data_source: data_source.into(), code },
        }
    }

    /// The added `functions` resolve `type_name.field_name`, in order.
    pub fn pipeline<S: Into<String>>(
        type_name: impl Into<String>,
        field_name: impl Into<String>,
        functions: impl IntoIterator<Item = S>,
        code: Option<JsCode>,
    ) -> Self {
        AddedResolver {
            type_name: type_name.into(),
            field_name: field_name.into(),
            kind: AddedResolverKind::Pipeline { functions: functions.into_iter().map(Into::into).collect(), code },
        }
    }

    /// `Type.field`.
    pub fn target(&self) -> String {
        format!("{}.{}", self.type_name, self.field_name)
    }
}

/// A pipeline resolver's code when none is given: the last function's result.
const PASS_THROUGH: &str = "export function request(ctx) {\n  return {};\n}\n\n\
                            export function response(ctx) {\n  return ctx.prev.result;\n}\n";

/// The added functions and resolvers, checked and with their code read.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Added {
    functions: Vec<PipelineFunction>,
    resolvers: Vec<ResolverSpec>,
}

impl Added {
    /// Adds them to `plan`.
    pub fn extend(&self, plan: &mut ResolverPlan) {
        plan.functions.extend(self.functions.iter().cloned());
        plan.resolvers.extend(self.resolvers.iter().cloned());
    }
}

/// The code of `code`, checked as APPSYNC_JS; `None` (with the errors) when it
/// cannot be read or is not valid.
fn read(diag: &mut Diagnostics, path: &str, code: &JsCode) -> Option<String> {
    let (origin, text) = match code {
        JsCode::Inline(c) => ("the inline code".to_string(), c.clone()),
        JsCode::File(p) => match std::fs::read_to_string(p) {
            Ok(c) => (p.display().to_string(), c),
            Err(e) => {
                diag.error(path, format!("cannot read the code file `{}`: {e}.", p.display()), "fix the path.");
                return None;
            }
        },
    };
    code_ok(diag, path, &origin, &text).then_some(text)
}

fn data_source(
    diag: &mut Diagnostics,
    path: &str,
    ir: &Ir,
    names: &[String],
    source: &Option<DataSourceRef>,
) -> Option<DataSourceKind> {
    match source {
        None => Some(DataSourceKind::None),
        Some(DataSourceRef::Model(m)) if ir.model(m).is_some() => Some(DataSourceKind::Table(m.clone())),
        Some(DataSourceRef::Named(n)) if names.contains(n) => Some(DataSourceKind::Named(n.clone())),
        Some(other) => {
            let what = match other {
                DataSourceRef::Model(m) => format!("`{m}` is not a model of the schema."),
                DataSourceRef::Named(n) => format!("the data source `{n}` has not been added."),
                DataSourceRef::Invalid => "the data source is neither a model nor a named data source.".into(),
            };
            diag.error(
                path,
                what,
                "name a data source added with `add_*_data_source`, or `a::ref_(\"Model\")`, or none for NONE.",
            );
            None
        }
    }
}

/// Whether the schema declares `type_name.field_name`.
fn declared(ir: &Ir, type_name: &str, field_name: &str) -> bool {
    match type_name {
        "Query" | "Mutation" | "Subscription" => {
            ir.operations.iter().any(|o| o.op_type.type_name() == type_name && o.name == field_name)
        }
        _ => {
            let model = ir.model(type_name).map(|m| m.fields.iter().any(|f| f.name == field_name));
            let custom = ir.custom_type(type_name).map(|c| c.fields.iter().any(|f| f.name == field_name));
            model.or(custom).unwrap_or(false)
        }
    }
}

fn valid_name(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Checks the added functions and resolvers against the schema, its generated
/// resolvers and the added data sources (`names`).
pub(crate) fn check(
    ir: &Ir,
    plan: &ResolverPlan,
    names: &[String],
    functions: &[AddedFunction],
    resolvers: &[AddedResolver],
) -> Result<Added, Vec<DataError>> {
    let mut diag = Diagnostics::default();
    let mut out = Added::default();
    for f in functions {
        let path = format!("function {}", f.name);
        if !valid_name(&f.name) {
            diag.error(&path, format!("`{}` is not an AppSync function name.", f.name), "use letters, digits and `_`.");
        }
        if plan.function(&f.name).is_some() || out.functions.iter().any(|x| x.name == f.name) {
            diag.error(&path, format!("a function is already named `{}`.", f.name), "give the function another name.");
        }
        let source = data_source(&mut diag, &path, ir, names, &f.data_source);
        if let (Some(code), Some(data_source)) = (read(&mut diag, &path, &f.code), source) {
            out.functions.push(PipelineFunction { name: f.name.clone(), data_source, code: Cow::Owned(code) });
        }
    }
    for r in resolvers {
        let path = format!("resolver {}", r.target());
        let resolved = plan.resolver(&r.type_name, &r.field_name).is_some()
            || out.resolvers.iter().any(|x| x.type_name == r.type_name && x.field_name == r.field_name);
        if resolved {
            diag.error(
                &path,
                format!("`{}` already has a resolver; AppSync allows one per field.", r.target()),
                "remove the field's handler (or rules), or add the resolver to another field.",
            );
        } else if !declared(ir, &r.type_name, &r.field_name) {
            diag.error(
                &path,
                format!("the schema declares no field `{}`.", r.target()),
                "add the field (a custom query or mutation without a handler, or a model or custom type field), or fix the name.",
            );
        }
        let (pipeline, code) = match &r.kind {
            AddedResolverKind::Unit { data_source: source, code } => {
                // A unit resolver is run as a pipeline of one function: the same
                // request and response, without a second shape for the stacks.
                let name = format!("{}{}AddedFunction", r.type_name, super::naming::capitalize(&r.field_name));
                let source = data_source(&mut diag, &path, ir, names, source);
                if let (Some(code), Some(data_source)) = (read(&mut diag, &path, code), source) {
                    out.functions.push(PipelineFunction { name: name.clone(), data_source, code: Cow::Owned(code) });
                }
                (vec![name], Some(PASS_THROUGH.to_string()))
            }
            AddedResolverKind::Pipeline { functions: names_, code } => {
                for n in names_ {
                    if !functions.iter().any(|f| &f.name == n) {
                        diag.error(
                            &path,
                            format!("the pipeline names `{n}`, which is not an added function."),
                            "add it with `add_function`, or fix the name.",
                        );
                    }
                }
                if names_.is_empty() {
                    diag.error(&path, "the pipeline runs no function.", "list the added functions it runs.");
                }
                let code = match code {
                    Some(c) => read(&mut diag, &path, c),
                    None => Some(PASS_THROUGH.to_string()),
                };
                (names_.clone(), code)
            }
        };
        if let Some(code) = code {
            out.resolvers.push(ResolverSpec {
                type_name: r.type_name.clone(),
                field_name: r.field_name.clone(),
                placement: Placement::Operation(r.target()),
                pipeline,
                data_source: None,
                code,
            });
        }
    }
    let errors = diag.into_errors();
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}
