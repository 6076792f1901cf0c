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

/// The whole file, for `statements` (each operation kind's, in order). As
/// Amplify's generator does, it declares only the types the operations use, in
/// the order a walk finds them: per operation its arguments' types, then its
/// result's, each type followed by its fields' types (not their arguments').
pub fn render(sdl: &Sdl, statements: &[Statement], options: &Options) -> String {
    let mut out = String::from(
        "/* tslint:disable */\n/* eslint-disable */\n//  This file was automatically generated and should not be edited.\n\n",
    );
    let types: std::collections::HashMap<&str, &TypeDefinition<'static, String>> = sdl
        .document()
        .definitions
        .iter()
        .filter_map(|d| match d {
            Definition::TypeDefinition(t) => Some((type_definition_name(t), t)),
            _ => None,
        })
        .collect();
    let mut used: Vec<&str> = Vec::new();
    for s in statements {
        let Some(field) = sdl.object(root_of(s)).and_then(|o| o.fields.iter().find(|f| f.name == s.field)) else {
            continue;
        };
        for a in &field.arguments {
            walk(&types, named(&a.value_type), &mut used);
        }
        walk(&types, named(&field.field_type), &mut used);
    }
    let is_object = |t: &str| sdl.object(t).is_some();
    for name in used {
        match types[name] {
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
                    writeln!(out, "  {},", member(&f.name, &f.value_type, false, &type_name)).unwrap();
                }
                out.push_str("};\n\n");
            }
            TypeDefinition::Object(o) => {
                writeln!(out, "export type {} = {{", o.name).unwrap();
                writeln!(out, "  __typename: \"{}\",", o.name).unwrap();
                for f in &o.fields {
                    let object = is_object(named(&f.field_type));
                    writeln!(out, "  {},", member(&f.name, &f.field_type, object, &type_name)).unwrap();
                }
                out.push_str("};\n\n");
            }
            _ => {}
        }
    }
    for s in statements {
        let Some(field) = sdl.object(root_of(s)).and_then(|o| o.fields.iter().find(|f| f.name == s.field)) else {
            continue;
        };
        writeln!(out, "export type {} = {{", variables_name(s)).unwrap();
        for a in &field.arguments {
            writeln!(out, "  {},", member(&a.name, &a.value_type, false, &type_name)).unwrap();
        }
        out.push_str("};\n\n");
        writeln!(out, "export type {} = {{", result_name(s)).unwrap();
        let selection = super::statements::selection(sdl, &field.field_type, options.max_depth, options);

        let shape = |t: &str| match &selection {
            Some(sub) => object_shape(sdl, t, sub, 2),
            None => type_name(t),
        };
        let object = is_object(named(&field.field_type));
        writeln!(out, "  {},", member(&field.name, &field.field_type, object, &shape)).unwrap();
        out.push_str("};\n\n");
    }
    // One newline at the end, as Amplify's.
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

/// The root type of a statement's operation kind.
fn root_of(s: &Statement) -> &'static str {
    match s.kind {
        "query" => "Query",
        "mutation" => "Mutation",
        _ => "Subscription",
    }
}

fn type_definition_name<'a>(t: &'a TypeDefinition<'static, String>) -> &'a str {
    match t {
        TypeDefinition::Scalar(x) => &x.name,
        TypeDefinition::Object(x) => &x.name,
        TypeDefinition::Interface(x) => &x.name,
        TypeDefinition::Union(x) => &x.name,
        TypeDefinition::Enum(x) => &x.name,
        TypeDefinition::InputObject(x) => &x.name,
    }
}

/// Adds `name` and, depth first, the types of its fields to `used`, once each
/// (root operation types and scalars are not declared).
fn walk<'a>(
    types: &std::collections::HashMap<&'a str, &'a TypeDefinition<'static, String>>,
    name: &str,
    used: &mut Vec<&'a str>,
) {
    let Some((&key, &t)) = types.get_key_value(name) else { return };
    if used.contains(&key) || matches!(key, "Query" | "Mutation" | "Subscription") {
        return;
    }
    match t {
        TypeDefinition::Enum(_) => used.push(key),
        TypeDefinition::InputObject(i) => {
            used.push(key);
            for f in &i.fields {
                walk(types, named(&f.value_type), used);
            }
        }
        TypeDefinition::Object(o) => {
            used.push(key);
            for f in &o.fields {
                walk(types, named(&f.field_type), used);
            }
        }
        _ => {}
    }
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

/// `name?: T | null` for a nullable type, `name: T` for a required one. A list
/// of object types is laid out as Amplify's generator writes it:
/// `items:  Array<Message | null >` (other lists: `Array< string | null >`).
fn member(name: &str, ty: &Type<'static, String>, object: bool, named_type: &dyn Fn(&str) -> String) -> String {
    let (optional, inner) = match ty {
        Type::NonNullType(inner) => ("", inner.as_ref()),
        other => ("?", other),
    };
    let object_list = object && matches!(inner, Type::ListType(_));
    let colon = if object_list { ":  " } else { ": " };
    let null = if optional.is_empty() { "" } else { " | null" };
    format!("{name}{optional}{colon}{}{null}", ts_type(inner, object, named_type))
}

/// The TypeScript of a GraphQL type, without its own nullability.
fn ts_type(ty: &Type<'static, String>, object: bool, named_type: &dyn Fn(&str) -> String) -> String {
    let open = if object { "Array<" } else { "Array< " };
    match ty {
        Type::NamedType(n) => named_type(n),
        Type::NonNullType(inner) => ts_type(inner, object, named_type),
        Type::ListType(inner) => match inner.as_ref() {
            Type::NonNullType(i) => format!("{open}{} >", ts_type(i, object, named_type)),
            other => format!("{open}{} | null >", ts_type(other, object, named_type)),
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
        let object = sdl.object(named(&f.field_type)).is_some();
        writeln!(s, "{pad}{},", member(&f.name, &f.field_type, object, &shape)).unwrap();
    }
    write!(s, "{}}}", " ".repeat(indent)).unwrap();
    s
}
