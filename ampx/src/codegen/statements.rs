//! GraphQL statements for clients that do not use `generateClient`: every query,
//! mutation and subscription of the API with its arguments as variables and a
//! selection set `max_depth` levels deep, as Amplify's `generate
//! graphql-client-code` writes them (`queries.graphql`, ..., or `queries.ts`
//! with documents typed by `API.ts`).
//!
//! The selection follows Amplify's documents generator: scalars and enums at every
//! level, object fields while depth remains, and `__typename` in each object.

use std::fmt::Write;

use graphql_parser::schema::{Definition, Field, Type, TypeDefinition};

use super::sdl::Sdl;

/// What `--statement-target` selects.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum StatementTarget {
    /// `queries.ts` ... typed by `API.ts`.
    #[default]
    Typescript,
    /// `queries.js` ...
    Javascript,
    /// `queries.graphql` ...
    Graphql,
}

/// Options of the generator.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// The language of the statement files.
    pub target: StatementTarget,
    /// How many levels of object fields the selection sets descend.
    pub max_depth: u32,
    /// Whether selection sets ask for `__typename`.
    pub typename_introspection: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { target: StatementTarget::Typescript, max_depth: 2, typename_introspection: true }
    }
}

/// One generated operation.
#[derive(Clone, Debug)]
pub struct Statement {
    /// The root field (`getChat`): the exported constant's name.
    pub field: String,
    /// The operation's name (`GetChat`).
    pub name: String,
    /// `query`, `mutation` or `subscription`.
    pub kind: &'static str,
    /// The document.
    pub graphql: String,
}

/// The root types, with the file each one's statements go to.
pub const ROOTS: [(&str, &str, &str); 3] = [
    ("Query", "query", "queries"),
    ("Mutation", "mutation", "mutations"),
    ("Subscription", "subscription", "subscriptions"),
];

/// Every operation of the root type `root` (`Query`, ...).
pub fn statements(sdl: &Sdl, root: &str, kind: &'static str, options: &Options) -> Vec<Statement> {
    let Some(object) = sdl.object(root) else { return Vec::new() };
    object
        .fields
        .iter()
        .map(|f| {
            let name = pascal_case(&f.name);
            Statement {
                field: f.name.clone(),
                name: name.clone(),
                kind,
                graphql: operation(sdl, f, kind, &name, options),
            }
        })
        .collect()
}

/// The width Amplify's formatter (Prettier) fits lines into.
const WIDTH: usize = 80;

fn operation(sdl: &Sdl, f: &Field<'static, String>, kind: &str, name: &str, options: &Options) -> String {
    let vars: Vec<String> = f.arguments.iter().map(|a| format!("${}: {}", a.name, a.value_type)).collect();
    let args: Vec<String> = f.arguments.iter().map(|a| format!("{}: ${}", a.name, a.name)).collect();
    let mut out = String::new();
    out.push_str(&call(&format!("{kind} {name}"), &vars, " {", 0));
    out.push('\n');
    let body = selection(sdl, &f.field_type, options.max_depth, options);
    match body {
        Some(fields) => {
            out.push_str(&call(&format!("  {}", f.name), &args, " {", 2));
            out.push('\n');
            render(&mut out, &fields, 4);
            out.push_str("  }\n");
        }
        None => {
            out.push_str(&call(&format!("  {}", f.name), &args, "", 2));
            out.push('\n');
        }
    }
    out.push_str("}\n");
    out
}

/// `head(a, b) tail` on one line when it fits, else one item a line.
fn call(head: &str, items: &[String], tail: &str, indent: usize) -> String {
    if items.is_empty() {
        return format!("{head}{tail}");
    }
    let line = format!("{head}({}){tail}", items.join(", "));
    if line.len() <= WIDTH {
        return line;
    }
    let pad = " ".repeat(indent + 2);
    let mut s = format!("{head}(\n");
    for item in items {
        writeln!(s, "{pad}{item}").unwrap();
    }
    write!(s, "{}){tail}", " ".repeat(indent)).unwrap();
    s
}

/// A selected field and what is selected inside it.
#[derive(Clone, Debug, PartialEq)]
pub struct Selected {
    /// The field's name.
    pub name: String,
    /// Its sub-selection (`None`: a scalar or enum).
    pub fields: Option<Vec<Selected>>,
}

/// The sub-selection of a field of type `ty` with `depth` levels left: `None` for a
/// leaf; for an object, its leaves, objects while depth remains, then `__typename`.
pub fn selection(sdl: &Sdl, ty: &Type<'static, String>, depth: u32, options: &Options) -> Option<Vec<Selected>> {
    let object = sdl.object(named(ty))?;
    let mut fields = Vec::new();
    for f in &object.fields {
        let is_object = sdl.object(named(&f.field_type)).is_some();
        if !is_object {
            fields.push(Selected { name: f.name.clone(), fields: None });
        } else if depth > 1 {
            if let Some(sub) = selection(sdl, &f.field_type, depth - 1, options) {
                fields.push(Selected { name: f.name.clone(), fields: Some(sub) });
            }
        }
    }
    if options.typename_introspection {
        fields.push(Selected { name: "__typename".into(), fields: None });
    }
    (!fields.is_empty()).then_some(fields)
}

fn render(out: &mut String, fields: &[Selected], indent: usize) {
    let pad = " ".repeat(indent);
    for f in fields {
        match &f.fields {
            None => writeln!(out, "{pad}{}", f.name).unwrap(),
            Some(sub) => {
                writeln!(out, "{pad}{} {{", f.name).unwrap();
                render(out, sub, indent + 2);
                writeln!(out, "{pad}}}").unwrap();
            }
        }
    }
}

/// The named type under any list and `!`.
pub fn named<'a>(ty: &'a Type<'static, String>) -> &'a str {
    match ty {
        Type::NamedType(n) => n,
        Type::ListType(inner) | Type::NonNullType(inner) => named(inner),
    }
}

/// `getChat` → `GetChat`, as change-case's `pascalCase` (which Amplify uses) makes
/// it: words split at case changes and non-alphanumerics, each capitalized.
pub fn pascal_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            continue;
        }
        let prev = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1).copied();
        let boundary = c.is_ascii_uppercase()
            && !word.is_empty()
            && (prev.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit())
                || (prev.is_some_and(|p| p.is_ascii_uppercase()) && next.is_some_and(|n| n.is_ascii_lowercase())));
        if boundary {
            words.push(std::mem::take(&mut word));
        }
        word.push(c);
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let mut cs = w.chars();
            let first = cs.next().unwrap_or_default();
            let rest = cs.as_str().to_ascii_lowercase();
            if i > 0 && first.is_ascii_digit() {
                format!("_{first}{rest}")
            } else {
                format!("{}{rest}", first.to_ascii_uppercase())
            }
        })
        .collect()
}

/// Whether the schema defines `name` as an enum.
pub fn is_enum(sdl: &Sdl, name: &str) -> bool {
    sdl.document()
        .definitions
        .iter()
        .any(|d| matches!(d, Definition::TypeDefinition(TypeDefinition::Enum(e)) if e.name == name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_names_follow_change_case() {
        assert_eq!(pascal_case("getChat"), "GetChat");
        assert_eq!(pascal_case("listChats"), "ListChats");
        assert_eq!(pascal_case("onCreateMessage"), "OnCreateMessage");
        assert_eq!(pascal_case("getHTTPStatus"), "GetHttpStatus");
        assert_eq!(pascal_case("list2Items"), "List2Items");
        assert_eq!(pascal_case("snake_case_name"), "SnakeCaseName");
    }

    const SDL: &str = "
        type Query { getChat(id: ID!): Chat listChats(filter: ModelChatFilterInput, limit: Int, nextToken: String): ModelChatConnection ping: String }
        type Chat { id: ID! name: String messages(limit: Int): ModelMessageConnection createdAt: AWSDateTime! }
        type ModelChatConnection { items: [Chat]! nextToken: String }
        type ModelMessageConnection { items: [Message]! nextToken: String }
        type Message { id: ID! text: String chat: Chat }
        input ModelChatFilterInput { id: ModelIDInput }
        input ModelIDInput { eq: ID }
    ";

    fn generated(depth: u32) -> Vec<Statement> {
        let sdl = Sdl::parse(SDL).unwrap();
        statements(&sdl, "Query", "query", &Options { max_depth: depth, ..Default::default() })
    }

    #[test]
    fn selections_descend_to_the_depth_and_ask_for_typename() {
        let s = generated(2);
        assert_eq!(
            s[0].graphql,
            "query GetChat($id: ID!) {\n  getChat(id: $id) {\n    id\n    name\n    messages {\n      nextToken\n      \
             __typename\n    }\n    createdAt\n    __typename\n  }\n}\n"
        );
        // Long variable lists break one a line, without commas.
        assert!(s[1].graphql.starts_with(
            "query ListChats(\n  $filter: ModelChatFilterInput\n  $limit: Int\n  $nextToken: String\n) {\n  \
             listChats(filter: $filter, limit: $limit, nextToken: $nextToken) {\n    items {\n      id\n"
        ));
        assert_eq!(s[2].graphql, "query Ping {\n  ping\n}\n");
        let deeper = generated(3);
        assert!(deeper[0]
            .graphql
            .contains("    messages {\n      items {\n        id\n        text\n        __typename\n      }\n"));
    }
}
