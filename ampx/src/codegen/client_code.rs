//! The files of `ampx generate graphql-client-code`: one statements file per
//! operation kind (`queries.ts`, `mutations.ts`, `subscriptions.ts`, or `.js` or
//! `.graphql`), and for TypeScript `API.ts`, laid out as Amplify writes them.

use std::fmt::Write;

use super::api_types;
use super::sdl::Sdl;
use super::statements::{self, Options, Statement, StatementTarget, ROOTS};

const WARNING: &str = "this is an auto generated file. This will be overwritten";
const WIDTH: usize = 80;

/// The files, as (name, text).
pub fn files(sdl: &Sdl, options: &Options) -> Vec<(String, String)> {
    let mut files = Vec::new();
    let mut all = Vec::new();
    for (root, kind, file) in ROOTS {
        let ops = statements::statements(sdl, root, kind, options);
        if ops.is_empty() {
            continue;
        }
        let (ext, text) = match options.target {
            StatementTarget::Graphql => ("graphql", graphql_file(&ops)),
            StatementTarget::Javascript => ("js", script_file(&ops, None)),
            StatementTarget::Typescript => ("ts", script_file(&ops, Some(root))),
        };
        files.push((format!("{file}.{ext}"), text));
        all.extend(ops);
    }
    if options.target == StatementTarget::Typescript {
        files.push((api_types::FILE_NAME.to_string(), api_types::render(sdl, &all, options)));
    }
    files
}

fn graphql_file(ops: &[Statement]) -> String {
    let mut out = format!("# {WARNING}\n");
    for op in ops {
        out.push('\n');
        out.push_str(&op.graphql);
    }
    out
}

/// `queries.ts` (with `root`: typed by `API.ts`) or `queries.js`.
fn script_file(ops: &[Statement], root: Option<&str>) -> String {
    let mut out = String::new();
    if root.is_some() {
        out.push_str("/* tslint:disable */\n");
    }
    writeln!(out, "/* eslint-disable */\n// {WARNING}\n").unwrap();
    if let Some(root) = root {
        writeln!(
            out,
            "import * as APITypes from \"./API\";\ntype Generated{root}<InputType, OutputType> = string & {{\n  \
             __generated{root}Input: InputType;\n  __generated{root}Output: OutputType;\n}};\n"
        )
        .unwrap();
    }
    for op in ops {
        // Amplify never breaks this line, however long (its formatter keeps a
        // tagged template on the assignment's line).
        write!(out, "export const {} = /* GraphQL */ `", op.field).unwrap();
        out.push_str(&op.graphql);
        out.push('`');
        match root {
            Some(root) => {
                let vars = format!("APITypes.{}", api_types::variables_name(op));
                let result = format!("APITypes.{}", api_types::result_name(op));
                let tag = format!(" as Generated{root}<{vars}, {result}>;");
                if tag.len() < WIDTH {
                    out.push_str(&tag);
                } else {
                    write!(out, " as Generated{root}<\n  {vars},\n  {result}\n>;").unwrap();
                }
            }
            None => out.push(';'),
        }
        out.push('\n');
    }
    out
}
