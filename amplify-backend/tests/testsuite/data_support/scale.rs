//! A schema of `n` models with relationships and varied rules, for scale tests and
//! the benchmark: model `i` has scalars, an enum, a custom type, a has_many to model
//! `i + 1` (which belongs to it), and one of four rule sets; every fifth model has a
//! secondary index.

use amplify_backend::data::*;

/// The schema of `n` models (`Model0` ...).
pub fn scale_schema(n: usize) -> Schema {
    use amplify_backend::data::Operation::*;
    let mut schema = Schema::new();
    for i in 0..n {
        let mut fields = vec![
            ("title".to_string(), a::string().required()),
            ("body".to_string(), a::string()),
            ("count".to_string(), a::integer().default(0)),
            ("score".to_string(), a::float()),
            ("status".to_string(), a::ref_("Status")),
            ("place".to_string(), a::ref_("Place")),
            ("group".to_string(), a::string()),
        ];
        if i + 1 < n {
            fields.push(("children".to_string(), a::has_many(&format!("Model{}", i + 1), "parentId")));
        }
        if i > 0 {
            fields.push(("parentId".to_string(), a::id()));
            fields.push(("parent".to_string(), a::belongs_to(&format!("Model{}", i - 1), "parentId")));
        }
        let mut model = a::model(fields).authorization(move |allow| match i % 4 {
            0 => vec![allow.owner()],
            1 => vec![allow.owner(), allow.groups(["Admin"])],
            2 => vec![allow.public_api_key().to([Read]), allow.authenticated()],
            _ => vec![allow.group_defined_in("group"), allow.authenticated().to([Read])],
        });
        if i % 5 == 0 {
            model = model.secondary_indexes(|index| [index("status").sort_keys(["title"])]);
        }
        schema = schema.add(format!("Model{i}"), model);
    }
    schema
        .add("Status", a::enum_type(["DRAFT", "LIVE", "ARCHIVED"]))
        .add("Place", a::custom_type([("lat", a::float()), ("lng", a::float())]))
}

/// The modes the scale schema needs.
pub fn scale_modes() -> AuthorizationModes {
    AuthorizationModes {
        api_key_authorization_mode: Some(ApiKeyAuthorizationMode::default()),
        ..AuthorizationModes::user_pool()
    }
}
