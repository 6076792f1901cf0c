//! Relationships: the related model exists, the reference fields exist with the
//! parent identifier's types, each side has its counterpart, and the child's table
//! gets the index that finds children by parent.

use super::{Catalog, Diagnostics};
use crate::data::ir::{IrIndex, IrModel, TypeRef};
use crate::data::naming::relationship_index_name;
use crate::data::schema::field::Scalar;
use crate::data::schema::relationship::RelationshipKind;

struct Update {
    model: usize,
    field: usize,
    parent_key: Vec<String>,
    index: Option<String>,
    child_index: Option<(usize, IrIndex)>,
}

/// Completes every relationship field of `models`.
pub(super) fn resolve(catalog: &Catalog<'_>, models: &mut [IrModel], diag: &mut Diagnostics) {
    let mut updates = Vec::new();
    // Position by name, looked up per relationship (the first of same-named models wins).
    let mut positions = std::collections::HashMap::with_capacity(models.len());
    for (i, m) in models.iter().enumerate() {
        positions.entry(m.name.as_str()).or_insert(i);
    }
    for (mi, model) in models.iter().enumerate() {
        for (fi, field) in model.fields.iter().enumerate() {
            let Some(rel) = &field.relation else { continue };
            let path = format!("{}.{}", model.name, field.name);
            let builder = rel.kind.builder_name();
            let Some(&ri) = positions.get(rel.related.as_str()) else {
                match catalog.kind(&rel.related) {
                    Some(kind) => diag.error(
                        &path,
                        format!(
                            "`{builder}(\"{}\", ...)` needs a model, but `{}` is {}.",
                            rel.related,
                            rel.related,
                            kind.describe()
                        ),
                        "point the relationship at a model, or use `a::ref_(...)` for enums and custom types.",
                    ),
                    None => diag.error(
                        &path,
                        format!(
                            "`{builder}(\"{}\", ...)` relates to `{}`, which the schema does not declare.",
                            rel.related, rel.related
                        ),
                        format!("declare the model `{}`, or fix the name.", rel.related),
                    ),
                }
                continue;
            };
            let related = &models[ri];
            let (parent, child) = match rel.kind {
                RelationshipKind::BelongsTo => (related, model),
                _ => (model, related),
            };
            let parent_key = parent.key.fields();
            let refs = &rel.references;
            let mut ok = true;
            if refs.len() != parent_key.len() {
                ok = false;
                diag.error(
                    &path,
                    format!(
                        "`{builder}` lists {} reference field(s), but `{}`'s identifier has {} ({}).",
                        refs.len(),
                        parent.name,
                        parent_key.len(),
                        parent_key.join(", ")
                    ),
                    format!("list one field of `{}` per identifier field of `{}`, in order.", child.name, parent.name),
                );
            }
            for (r, k) in refs.iter().zip(&parent_key) {
                let key_ty = parent.field(k).map(|f| f.ty.clone());
                match child.field(r) {
                    None => {
                        ok = false;
                        let suggestion = key_ty.as_ref().map(builder_for).unwrap_or("a::id()");
                        diag.error(
                            &path,
                            format!("the reference field `{r}` is missing: `{}` does not declare it.", child.name),
                            format!("add `(\"{r}\", {suggestion})` to the fields of `{}`.", child.name),
                        );
                    }
                    Some(f)
                        if f.is_relationship() || f.array || !key_ty.as_ref().is_some_and(|t| compatible(&f.ty, t)) =>
                    {
                        ok = false;
                        let want = key_ty.as_ref().map(|t| t.graphql_name().to_string()).unwrap_or_default();
                        diag.error(
                            &path,
                            format!(
                                "the reference field `{}.{r}` is `{}`, but it holds `{}.{k}`, which is `{want}`.",
                                child.name,
                                f.graphql_type(),
                                parent.name
                            ),
                            format!(
                                "declare `{}.{r}` as `{}`.",
                                child.name,
                                key_ty.as_ref().map(builder_for).unwrap_or("a::id()")
                            ),
                        );
                    }
                    Some(_) => {}
                }
            }
            if !has_counterpart(model, rel.kind, related, refs) {
                ok = false;
                let (msg, fix) = match rel.kind {
                    RelationshipKind::BelongsTo => (
                        format!(
                            "`a::belongs_to(\"{}\", ...)` has no matching `a::has_many` or `a::has_one` on `{}`.",
                            related.name, related.name
                        ),
                        format!(
                            "add `(\"{}\", a::has_many(\"{}\", {}))` (or `a::has_one`) to `{}`.",
                            crate::data::naming::lower_first(&crate::data::naming::pluralize(&model.name)),
                            model.name,
                            refs_literal(refs),
                            related.name
                        ),
                    ),
                    _ => (
                        format!(
                            "`{builder}(\"{}\", ...)` has no matching `a::belongs_to(\"{}\", ...)` on `{}`.",
                            related.name, model.name, related.name
                        ),
                        format!(
                            "add `(\"{}\", a::belongs_to(\"{}\", {}))` to `{}`.",
                            crate::data::naming::lower_first(&model.name),
                            model.name,
                            refs_literal(refs),
                            related.name
                        ),
                    ),
                };
                diag.error(&path, msg, fix);
            }
            let (index, child_index) = if rel.kind == RelationshipKind::BelongsTo || !ok {
                (None, None)
            } else {
                let name = relationship_index_name(&model.name, &field.name);
                let ix = IrIndex {
                    name: name.clone(),
                    partition_key: refs[0].clone(),
                    sort_keys: refs[1..].to_vec(),
                    query_field: None,
                    for_relationship: true,
                    projection: crate::data::schema::index::Projection::All,
                };
                (Some(name), Some((ri, ix)))
            };
            updates.push(Update { model: mi, field: fi, parent_key, index, child_index });
        }
    }
    for u in updates {
        if let Some(rel) = models[u.model].fields[u.field].relation.as_mut() {
            rel.parent_key = u.parent_key;
            rel.index = u.index;
        }
        if let Some((ri, ix)) = u.child_index {
            if !models[ri].indexes.iter().any(|i| i.name == ix.name) {
                models[ri].indexes.push(ix);
            }
        }
    }
}

/// Whether `related` relates back to `model` through the same reference fields.
fn has_counterpart(model: &IrModel, kind: RelationshipKind, related: &IrModel, refs: &[String]) -> bool {
    related.fields.iter().filter_map(|f| f.relation.as_ref()).any(|r| {
        r.related == model.name
            && r.references == refs
            && match kind {
                RelationshipKind::BelongsTo => r.kind != RelationshipKind::BelongsTo,
                _ => r.kind == RelationshipKind::BelongsTo,
            }
    })
}

/// Reference types must match the identifier's, with `ID` and `String` interchangeable.
fn compatible(reference: &TypeRef, key: &TypeRef) -> bool {
    let stringish = |t: &TypeRef| matches!(t, TypeRef::Scalar(Scalar::Id | Scalar::String));
    reference == key || (stringish(reference) && stringish(key))
}

fn builder_for(ty: &TypeRef) -> &'static str {
    match ty {
        TypeRef::Scalar(s) => s.builder_name(),
        _ => "a::string()",
    }
}

fn refs_literal(refs: &[String]) -> String {
    if refs.len() == 1 {
        format!("\"{}\"", refs[0])
    } else {
        format!("[{}]", refs.iter().map(|r| format!("\"{r}\"")).collect::<Vec<_>>().join(", "))
    }
}
