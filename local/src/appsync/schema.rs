//! The executable schema: AppSync's SDL (with its scalars and directives)
//! parsed with async-graphql's parser and built as an async-graphql dynamic
//! schema, so validation, execution and introspection are async-graphql's.
//! Each field gets a plan (its auth rule, resolver, output type) that the
//! executor follows.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dynamic::{
    Enum, Field, FieldFuture, InputObject, InputValue, Interface, InterfaceField, Object, Scalar, Schema, Subscription,
    SubscriptionField, SubscriptionFieldFuture, TypeRef, Union,
};
use async_graphql_parser::types::{BaseType, FieldDefinition, Type, TypeDefinition, TypeKind, TypeSystemDefinition};

use super::auth::{AuthMode, FieldAuth};
use super::executor::{self, FieldPlan, Shared};
use super::runtime::ResolverCode;
use super::scalars::{self, AWS_SCALARS};

/// Why the schema could not be built.
#[derive(Debug, thiserror::Error)]
#[error("the GraphQL schema: {0}")]
pub struct SchemaError(pub String);

/// The kind of each named type, for shaping values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Leaf,
    Object,
    Abstract,
    Input,
}

/// What the executor needs to know about the schema's types.
#[derive(Default)]
pub(crate) struct TypeInfo {
    pub kinds: HashMap<String, Kind>,
    /// Field names of each object type (argument filters compare these).
    pub fields: HashMap<String, Vec<String>>,
    /// Mutation field name to the subscription fields it publishes to.
    pub subscriptions_of: HashMap<String, Vec<String>>,
    /// Every subscription field.
    pub subscription_fields: Vec<String>,
    /// Input object types that hold an AWSJSON value somewhere, with their
    /// fields' types (AppSync hands resolvers AWSJSON inputs parsed).
    pub json_inputs: HashMap<String, Vec<(String, Type)>>,
    pub query: String,
    pub mutation: Option<String>,
    pub subscription: Option<String>,
}

/// The parsed SDL, merged (`extend type` folded into its type).
pub(crate) struct Parsed {
    pub types: Vec<TypeDefinition>,
    pub info: TypeInfo,
}

/// Parses the SDL and gathers what the executor needs.
pub(crate) fn parse(sdl: &str) -> Result<Parsed, SchemaError> {
    let doc = async_graphql_parser::parse_schema(sdl).map_err(|e| SchemaError(e.to_string()))?;
    let mut info = TypeInfo { query: "Query".into(), ..TypeInfo::default() };
    let mut roots = (None, None, None);
    let mut types: Vec<TypeDefinition> = Vec::new();
    for def in doc.definitions {
        match def {
            TypeSystemDefinition::Schema(s) => {
                roots = (
                    s.node.query.map(|n| n.node.to_string()),
                    s.node.mutation.map(|n| n.node.to_string()),
                    s.node.subscription.map(|n| n.node.to_string()),
                );
            }
            TypeSystemDefinition::Type(t) => {
                let t = t.node;
                match types.iter_mut().find(|x| x.name.node == t.name.node) {
                    Some(existing) => merge(existing, t),
                    None => types.push(t),
                }
            }
            TypeSystemDefinition::Directive(_) => {}
        }
    }
    let has = |n: &str| types.iter().any(|t| t.name.node == n);
    info.query = roots.0.unwrap_or_else(|| "Query".into());
    info.mutation = roots.1.or_else(|| has("Mutation").then(|| "Mutation".into()));
    info.subscription = roots.2.or_else(|| has("Subscription").then(|| "Subscription".into()));
    if !has(&info.query) {
        return Err(SchemaError(format!("there is no `{}` type; a schema needs a query type", info.query)));
    }
    for name in ["Int", "Float", "String", "Boolean", "ID"].into_iter().chain(AWS_SCALARS) {
        info.kinds.insert(name.to_string(), Kind::Leaf);
    }
    for t in &types {
        let kind = match &t.kind {
            TypeKind::Scalar | TypeKind::Enum(_) => Kind::Leaf,
            TypeKind::Object(o) => {
                info.fields
                    .insert(t.name.node.to_string(), o.fields.iter().map(|f| f.node.name.node.to_string()).collect());
                Kind::Object
            }
            TypeKind::Interface(_) | TypeKind::Union(_) => Kind::Abstract,
            TypeKind::InputObject(_) => Kind::Input,
        };
        info.kinds.insert(t.name.node.to_string(), kind);
    }
    let mut inputs: HashMap<String, Vec<(String, Type)>> = HashMap::new();
    for t in &types {
        if let TypeKind::InputObject(o) = &t.kind {
            let fields = o.fields.iter().map(|f| (f.node.name.node.to_string(), f.node.ty.node.clone())).collect();
            inputs.insert(t.name.node.to_string(), fields);
        }
    }
    // Input types reaching AWSJSON, to a fixpoint (inputs may nest and recurse).
    let mut json: std::collections::HashSet<String> = std::collections::HashSet::new();
    loop {
        let before = json.len();
        for (name, fields) in &inputs {
            if fields.iter().any(|(_, ty)| named(ty).is_some_and(|n| n == "AWSJSON" || json.contains(n))) {
                json.insert(name.clone());
            }
        }
        if json.len() == before {
            break;
        }
    }
    info.json_inputs = inputs.into_iter().filter(|(n, _)| json.contains(n)).collect();
    if let Some(sub) = &info.subscription {
        let def = types.iter().find(|t| t.name.node == sub.as_str());
        if let Some(TypeKind::Object(o)) = def.map(|d| &d.kind) {
            for f in &o.fields {
                info.subscription_fields.push(f.node.name.node.to_string());
                for d in &f.node.directives {
                    if d.node.name.node != "aws_subscribe" {
                        continue;
                    }
                    if let Some(async_graphql::Value::List(ms)) = d.node.get_argument("mutations").map(|v| &v.node) {
                        for m in ms {
                            if let async_graphql::Value::String(m) = m {
                                info.subscriptions_of.entry(m.clone()).or_default().push(f.node.name.node.to_string());
                            }
                        }
                    }
                }
            }
        }
    }
    Ok(Parsed { types, info })
}

fn merge(into: &mut TypeDefinition, ext: TypeDefinition) {
    into.directives.extend(ext.directives);
    match (&mut into.kind, ext.kind) {
        (TypeKind::Object(a), TypeKind::Object(b)) => {
            a.fields.extend(b.fields);
            a.implements.extend(b.implements);
        }
        (TypeKind::Interface(a), TypeKind::Interface(b)) => a.fields.extend(b.fields),
        (TypeKind::InputObject(a), TypeKind::InputObject(b)) => a.fields.extend(b.fields),
        (TypeKind::Enum(a), TypeKind::Enum(b)) => a.values.extend(b.values),
        (TypeKind::Union(a), TypeKind::Union(b)) => a.members.extend(b.members),
        _ => {}
    }
}

pub(crate) fn type_ref(t: &Type) -> TypeRef {
    let inner = match &t.base {
        BaseType::Named(n) => TypeRef::Named(n.to_string().into()),
        BaseType::List(i) => TypeRef::List(Box::new(type_ref(i))),
    };
    if t.nullable {
        inner
    } else {
        TypeRef::NonNull(Box::new(inner))
    }
}

fn arguments(def: &FieldDefinition) -> Vec<InputValue> {
    def.arguments
        .iter()
        .map(|a| {
            let mut v = InputValue::new(a.node.name.node.to_string(), type_ref(&a.node.ty.node));
            if let Some(d) = &a.node.default_value {
                v = v.default_value(d.node.clone());
            }
            if let Some(desc) = &a.node.description {
                v = v.description(desc.node.clone());
            }
            v
        })
        .collect()
}

/// Builds the executable schema. `resolvers` maps `(type, field)` to code.
pub(crate) fn build(
    parsed: &Parsed,
    default_mode: AuthMode,
    resolvers: &HashMap<(String, String), ResolverCode>,
    shared: Arc<Shared>,
) -> Result<Schema, SchemaError> {
    let info = &parsed.info;
    let mut builder = Schema::build(&info.query, info.mutation.as_deref(), info.subscription.as_deref());
    builder = builder.extension(super::nulls::NullPropagation);
    for name in AWS_SCALARS {
        builder = builder
            .register(Scalar::new(name).description(scalars::description(name)).validator(scalars::validator(name)));
    }
    for t in &parsed.types {
        let name = t.name.node.to_string();
        let description = t.description.as_ref().map(|d| d.node.clone());
        match &t.kind {
            TypeKind::Scalar => {
                if AWS_SCALARS.contains(&name.as_str()) {
                    return Err(SchemaError(format!(
                        "`scalar {name}` redeclares an AppSync scalar; remove the declaration"
                    )));
                }
                builder = builder.register(Scalar::new(name));
            }
            TypeKind::Enum(e) => {
                let mut en = Enum::new(&name).items(e.values.iter().map(|v| v.node.value.node.to_string()));
                if let Some(d) = description {
                    en = en.description(d);
                }
                builder = builder.register(en);
            }
            TypeKind::InputObject(o) => {
                let mut input = InputObject::new(&name);
                for f in &o.fields {
                    let mut v = InputValue::new(f.node.name.node.to_string(), type_ref(&f.node.ty.node));
                    if let Some(d) = &f.node.default_value {
                        v = v.default_value(d.node.clone());
                    }
                    input = input.field(v);
                }
                builder = builder.register(input);
            }
            TypeKind::Union(u) => {
                let mut un = Union::new(&name);
                for m in &u.members {
                    un = un.possible_type(m.node.to_string());
                }
                builder = builder.register(un);
            }
            TypeKind::Interface(i) => {
                let mut it = Interface::new(&name);
                for f in &i.fields {
                    let mut field = InterfaceField::new(f.node.name.node.to_string(), type_ref(&f.node.ty.node));
                    for a in arguments(&f.node) {
                        field = field.argument(a);
                    }
                    it = it.field(field);
                }
                builder = builder.register(it);
            }
            TypeKind::Object(o) if Some(&name) == info.subscription.as_ref() => {
                let mut sub = Subscription::new(&name);
                for f in &o.fields {
                    let plan = plan(t, &f.node, default_mode, resolvers, info);
                    let shared = shared.clone();
                    let mut field =
                        SubscriptionField::new(plan.field_name.clone(), type_ref(&f.node.ty.node), move |ctx| {
                            let (plan, shared) = (plan.clone(), shared.clone());
                            SubscriptionFieldFuture::new(async move { executor::subscribe(shared, plan, ctx) })
                        });
                    for a in arguments(&f.node) {
                        field = field.argument(a);
                    }
                    sub = sub.field(field);
                }
                builder = builder.register(sub);
            }
            TypeKind::Object(o) => {
                let mut obj = Object::new(&name);
                if let Some(d) = description {
                    obj = obj.description(d);
                }
                for i in &o.implements {
                    obj = obj.implement(i.node.to_string());
                }
                for f in &o.fields {
                    let plan = plan(t, &f.node, default_mode, resolvers, info);
                    let shared = shared.clone();
                    let mut field = Field::new(plan.field_name.clone(), type_ref(&f.node.ty.node), move |ctx| {
                        let (plan, shared) = (plan.clone(), shared.clone());
                        FieldFuture::new(async move { executor::resolve(&shared, &plan, ctx) })
                    });
                    if let Some(d) = &f.node.description {
                        field = field.description(d.node.clone());
                    }
                    for a in arguments(&f.node) {
                        field = field.argument(a);
                    }
                    obj = obj.field(field);
                }
                builder = builder.register(obj);
            }
        }
    }
    builder.finish().map_err(|e| SchemaError(e.0))
}

fn plan(
    t: &TypeDefinition,
    f: &FieldDefinition,
    default_mode: AuthMode,
    resolvers: &HashMap<(String, String), ResolverCode>,
    info: &TypeInfo,
) -> Arc<FieldPlan> {
    let type_name = t.name.node.to_string();
    let field_name = f.name.node.to_string();
    let json_args = f
        .arguments
        .iter()
        .filter(|a| named(&a.node.ty.node).is_some_and(|n| n == "AWSJSON" || info.json_inputs.contains_key(n)))
        .map(|a| (a.node.name.node.to_string(), a.node.ty.node.clone()))
        .collect();
    let is_mutation = info.mutation.as_deref() == Some(type_name.as_str());
    Arc::new(FieldPlan {
        auth: FieldAuth::resolve(&t.directives, &f.directives, default_mode),
        resolver: resolvers.get(&(type_name.clone(), field_name.clone())).cloned(),
        output: f.ty.node.clone(),
        json_args,
        is_mutation,
        return_fields: named(&f.ty.node).and_then(|n| info.fields.get(n)).cloned().unwrap_or_default(),
        type_name,
        field_name,
    })
}

/// The named type at the bottom of `t`.
pub(crate) fn named(t: &Type) -> Option<&str> {
    match &t.base {
        BaseType::Named(n) => Some(n.as_str()),
        BaseType::List(i) => named(i),
    }
}
