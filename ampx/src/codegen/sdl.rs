//! The API's GraphQL schema (the SDL AppSync serves), parsed once for what the
//! model introspection leaves out: the shapes of implicit owner and group fields,
//! what each custom subscription listens to, and every operation, argument and
//! input type for the GraphQL statements.

use graphql_parser::schema::{Definition, Document, Type, TypeDefinition, Value};

/// A parsed schema.
pub struct Sdl {
    text: String,
    doc: Document<'static, String>,
}

impl Sdl {
    /// Parses `text`.
    ///
    /// # Errors
    ///
    /// The parser's message, with the line and column.
    pub fn parse(text: &str) -> Result<Sdl, String> {
        let doc = graphql_parser::parse_schema::<String>(text).map_err(|e| e.to_string())?.into_static();
        Ok(Sdl { text: text.to_string(), doc })
    }

    /// The schema as written.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The parsed document.
    pub fn document(&self) -> &Document<'static, String> {
        &self.doc
    }

    /// The object type called `name`.
    pub fn object(&self, name: &str) -> Option<&graphql_parser::schema::ObjectType<'static, String>> {
        self.doc.definitions.iter().find_map(|d| match d {
            Definition::TypeDefinition(TypeDefinition::Object(o)) if o.name == name => Some(o),
            _ => None,
        })
    }

    /// Whether `type_name.field` is a list, if the type has the field.
    pub fn field_is_list(&self, type_name: &str, field: &str) -> Option<bool> {
        let f = self.object(type_name)?.fields.iter().find(|f| f.name == field)?;
        Some(is_list(&f.field_type))
    }

    /// The mutations a subscription field listens to (`@aws_subscribe(mutations: [...])`).
    pub fn subscription_sources(&self, field: &str) -> Vec<String> {
        let Some(sub) = self.object("Subscription") else { return Vec::new() };
        let Some(f) = sub.fields.iter().find(|f| f.name == field) else { return Vec::new() };
        f.directives
            .iter()
            .filter(|d| d.name == "aws_subscribe")
            .flat_map(|d| d.arguments.iter().filter(|(name, _)| name == "mutations"))
            .flat_map(|(_, v)| match v {
                Value::List(items) => items
                    .iter()
                    .filter_map(|i| match i {
                        Value::String(s) => Some(s.clone()),
                        _ => None,
                    })
                    .collect(),
                _ => Vec::new(),
            })
            .collect()
    }
}

/// Whether a type is a list (under any `!`).
pub fn is_list(ty: &Type<'static, String>) -> bool {
    match ty {
        Type::NonNullType(inner) => is_list(inner),
        Type::ListType(_) => true,
        Type::NamedType(_) => false,
    }
}
