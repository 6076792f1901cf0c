//! `API.ts`: the TypeScript types of the API for the typed statements: its enums,
//! input and object types, and for every operation its variables
//! (`GetChatQueryVariables`) and result (`GetChatQuery`, shaped by the selection
//! set), named as Amplify's types generator names them.

use std::fmt::Write;

use graphql_parser::schema::{Definition, Type, TypeDefinition};

use super::sdl::Sdl;
use super::statements::{named, Options, Selected, Statement};

/// The file name.
pub const FILE_NAME: &str = "API.ts";

/// The whole file, for `statements` (each operation kind's, in order).
pub fn render(sdl: &Sdl, statements: &[Statement], options: &Options) -> String {
    let mut out = String::from(
        "/* tslint:disable */\n/* eslint-disable */\n//  This file was automatically generated and should not be edited.\n\n",
    );
    for d in &sdl.document().definitions {
        let Definition::TypeDefinition(t) = d else { continue };
        match t {
            TypeDefinition::Enum(e) => {
                writeln!(out, "export enum {} {{", e.name).unwrap();
                for v in &e.values {
                    writeln!(out, "  {0} = \"{0}\",", v.name).unwrap();
                }
                out.push_str("}\n\n\n");
            }
            TypeDefinition::InputObject(i) => {
                writeln!(out, "export type {} = {{", i.name).unwrap();
                for f in &i.fields {
                    writeln!(out, "  {},", member(&f.name, &f.value_type, &type_name)).unwrap();
                }
                out.push_str("};\n\n");
            }
            TypeDefinition::Object(o) if !matches!(o.name.as_str(), "Query" | "Mutation" | "Subscription") => {
                writeln!(out, "export type {} = {{", o.name).unwrap();
                writeln!(out, "  __typename: \"{}\",", o.name).unwrap();
                for f in &o.fields {
                    writeln!(out, "  {},", member(&f.name, &f.field_type, &type_name)).unwrap();
                }
                out.push_str("};\n\n");
            }
            _ => {}
        }
    }
    for s in statements {
        let root = match s.kind {
            "query" => "Query",
            "mutation" => "Mutation",
            _ => "Subscription",
        };
        let Some(field) = sdl.object(root).and_then(|o| o.fields.iter().find(|f| f.name == s.field)) else { continue };
        writeln!(out, "export type {} = {{", variables_name(s)).unwrap();
        for a in &field.arguments {
            writeln!(out, "  {},", member(&a.name, &a.value_type, &type_name)).unwrap();
        }
        out.push_str("};\n\n");
        writeln!(out, "export type {} = {{", result_name(s)).unwrap();
        let selection = super::statements::selection(sdl, &field.field_type, options.max_depth, options);

        let shape = |t: &str| match &selection {
            Some(sub) => object_shape(sdl, t, sub, 2),
            None => type_name(t),
        };
        writeln!(out, "  {},", member(&field.name, &field.field_type, &shape)).unwrap();
        out.push_str("};\n\n");
    }
    out
}

/// `GetChatQueryVariables`.
pub fn variables_name(s: &Statement) -> String {
    format!("{}Variables", result_name(s))
}

/// `GetChatQuery`.
pub fn result_name(s: &Statement) -> String {
    let kind = match s.kind {
        "query" => "Query",
        "mutation" => "Mutation",
        _ => "Subscription",
    };
    format!("{}{kind}", s.name)
}

/// `name?: T | null` for a nullable type, `name: T` for a required one.
fn member(name: &str, ty: &Type<'static, String>, named_type: &dyn Fn(&str) -> String) -> String {
    match ty {
        Type::NonNullType(inner) => format!("{name}: {}", ts_type(inner, named_type)),
        other => format!("{name}?: {} | null", ts_type(other, named_type)),
    }
}

/// The TypeScript of a GraphQL type, without its own nullability.
fn ts_type(ty: &Type<'static, String>, named_type: &dyn Fn(&str) -> String) -> String {
    match ty {
        Type::NamedType(n) => named_type(n),
        Type::NonNullType(inner) => ts_type(inner, named_type),
        Type::ListType(inner) => match inner.as_ref() {
            Type::NonNullType(i) => format!("Array< {} >", ts_type(i, named_type)),
            other => format!("Array< {} | null >", ts_type(other, named_type)),
        },
    }
}

/// A scalar's TypeScript type, or the name of an enum, input or object type.
fn type_name(name: &str) -> String {
    match name {
        "Int" | "Float" | "AWSTimestamp" => "number".into(),
        "Boolean" => "boolean".into(),
        "ID" | "String" | "AWSDate" | "AWSTime" | "AWSDateTime" | "AWSEmail" | "AWSJSON" | "AWSPhone" | "AWSURL"
        | "AWSIPAddress" => "string".into(),
        other => other.to_string(),
    }
}

/// The selected fields of object type `name`, as an inline object type.
fn object_shape(sdl: &Sdl, name: &str, selected: &[Selected], indent: usize) -> String {
    let pad = " ".repeat(indent + 2);
    let mut s = String::from(" {\n");
    let Some(object) = sdl.object(name) else { return name.to_string() };
    // Amplify lists `__typename` first.
    if selected.iter().any(|sel| sel.name == "__typename") {
        writeln!(s, "{pad}__typename: \"{name}\",").unwrap();
    }
    for sel in selected.iter().filter(|sel| sel.name != "__typename") {
        let Some(f) = object.fields.iter().find(|f| f.name == sel.name) else { continue };
        let shape = |t: &str| match &sel.fields {
            Some(sub) => object_shape(sdl, named(&f.field_type).to_string().as_str(), sub, indent + 2),
            None => type_name(t),
        };
        writeln!(s, "{pad}{},", member(&f.name, &f.field_type, &shape)).unwrap();
    }
    write!(s, "{}}}", " ".repeat(indent)).unwrap();
    s
}
