//! Model object types and their connection types.

use super::directives::{field_directives, model_modes, render};
use super::writer::{arg, block, field_line};
use crate::data::ir::{Ir, IrModel};
use crate::data::schema::relationship::RelationshipKind;

/// `type Chat @aws_iam @aws_cognito_user_pools { ... }` and `ModelChatConnection`.
pub(crate) fn write(out: &mut String, ir: &Ir, model: &IrModel) {
    let dirs = render(&model_modes(model));
    let lines = model.fields.iter().map(|f| {
        let fd = field_directives(f);
        match &f.relation {
            Some(rel) if rel.kind == RelationshipKind::HasMany => {
                let related = ir.model(&rel.related).map(|m| &m.names);
                let (filter, connection) = match related {
                    Some(n) => (n.filter_input.clone(), n.connection.clone()),
                    None => (format!("Model{}FilterInput", rel.related), format!("Model{}Connection", rel.related)),
                };
                let args = [
                    arg("filter", filter),
                    arg("sortDirection", "ModelSortDirection"),
                    arg("limit", "Int"),
                    arg("nextToken", "String"),
                ];
                field_line(&f.name, &args, &connection, &fd)
            }
            _ => field_line(&f.name, &[], &f.graphql_type(), &fd),
        }
    });
    block(out, "type", &model.name, &dirs, lines);
    block(
        out,
        "type",
        &model.names.connection,
        &dirs,
        [format!("items: [{}]!", model.name), "nextToken: String".to_string()],
    );
}
