//! The schema builder and what validation resolves from it: implicit fields, keys,
//! relationship indexes, rule fallbacks, disabled operations, generated names.

use crate::data_support;

use amplify_backend::data::ir::{FieldOrigin, TypeRef};
use amplify_backend::data::*;
use data_support::*;

#[test]
fn the_chat_schema_resolves_like_amplify() {
    let ir = compile(chat_schema()).ir;
    let chat = ir.model("Chat").unwrap();
    let names: Vec<(&str, FieldOrigin)> = chat.fields.iter().map(|f| (f.name.as_str(), f.origin)).collect();
    assert_eq!(
        names,
        [
            ("name", FieldOrigin::Declared),
            ("messages", FieldOrigin::Declared),
            ("id", FieldOrigin::Id),
            ("createdAt", FieldOrigin::Timestamp),
            ("updatedAt", FieldOrigin::Timestamp),
            ("owner", FieldOrigin::AuthField),
        ]
    );
    assert_eq!(chat.key.fields(), ["id"]);
    assert!(!chat.key.custom);
    assert_eq!(chat.names.list, "listChats");
    let message = ir.model("Message").unwrap();
    let index = &message.indexes[0];
    assert_eq!(
        (index.name.as_str(), index.partition_key.as_str(), index.for_relationship),
        ("gsi-Chat.messages", "chatId", true)
    );
    let rel = chat.field("messages").unwrap().relation.as_ref().unwrap();
    assert_eq!((rel.parent_key.clone(), rel.index.clone()), (vec!["id".to_string()], Some("gsi-Chat.messages".into())));
    assert_eq!(ir.modes.default, AuthMode::UserPool);
    assert_eq!(ir.modes.additional, [AuthMode::Iam], "IAM is always on, as in Amplify");
}

#[test]
fn required_before_array_marks_items_and_after_marks_the_list() {
    let ir = compile(a::schema([(
        "T",
        a::model([
            ("a", a::string().array()),
            ("b", a::string().required().array()),
            ("c", a::string().array().required()),
            ("d", a::string().required().array().required()),
        ])
        .authorization(|allow| [allow.authenticated()]),
    )]))
    .ir;
    let t = ir.model("T").unwrap();
    let ty = |n: &str| t.field(n).unwrap().graphql_type();
    assert_eq!([ty("a"), ty("b"), ty("c"), ty("d")], ["[String]", "[String!]", "[String]!", "[String!]!"]);
}

#[test]
fn schema_rules_apply_to_models_without_their_own() {
    let schema = a::schema([
        ("Open", a::model([("t", a::string())])),
        ("Closed", a::model([("t", a::string())]).authorization(|allow| [allow.owner()])),
    ])
    .authorization(|allow| [allow.public_api_key()]);
    let ir = compile_with(schema, AuthorizationModes::api_key()).ir;
    assert_eq!(ir.model("Open").unwrap().rules[0].provider, Provider::ApiKey);
    assert_eq!(ir.model("Closed").unwrap().rules.len(), 1);
    assert_eq!(ir.model("Closed").unwrap().rules[0].provider, Provider::UserPools);
    assert_eq!(ir.modes.default, AuthMode::ApiKey);
    assert_eq!(ir.modes.additional, [AuthMode::UserPool, AuthMode::Iam]);
}

#[test]
fn disabling_operations_removes_them_and_their_subscriptions() {
    let schema = a::schema([(
        "Log",
        a::model([("t", a::string())])
            .disable_operations([ModelOperation::Update, ModelOperation::OnCreate])
            .authorization(|allow| [allow.authenticated()]),
    )]);
    let ops = compile(schema).ir.model("Log").unwrap().ops;
    assert!(ops.get && ops.list && ops.create && ops.delete);
    assert!(!ops.update && !ops.on_update, "no update, so nothing to subscribe to");
    assert!(!ops.on_create && ops.on_delete);
}

#[test]
fn inline_types_are_hoisted_and_named_after_their_owner() {
    let ir = compile_with(rich_schema(), rich_modes()).ir;
    let post = ir.model("Post").unwrap();
    assert_eq!(post.field("visibility").unwrap().ty, TypeRef::Enum("PostVisibility".into()));
    assert_eq!(post.field("stats").unwrap().ty, TypeRef::CustomType("PostStats".into()));
    assert!(ir.custom_type("EchoReturnType").is_some());
    assert!(ir.custom_type("Location").unwrap().used_as_input);
    assert!(!ir.custom_type("EchoReturnType").unwrap().used_as_input);
}

#[test]
fn the_resolver_plan_covers_every_operation_and_relationship() {
    let plan = compile(chat_schema()).resolvers();
    let fields: Vec<String> = plan.resolvers.iter().map(|r| format!("{}.{}", r.type_name, r.field_name)).collect();
    for f in [
        "Query.getChat",
        "Query.listChats",
        "Mutation.createChat",
        "Mutation.updateChat",
        "Mutation.deleteChat",
        "Subscription.onCreateChat",
        "Subscription.onUpdateChat",
        "Subscription.onDeleteChat",
        "Chat.messages",
        "Message.chat",
        "Query.getMessage",
    ] {
        assert!(fields.contains(&f.to_string()), "no resolver for {f}: {fields:?}");
    }
    // 16 operations and relationship fields, and the two owner fields (read as usernames).
    assert_eq!(plan.resolvers.len(), 20);
    assert!(fields.contains(&"Chat.owner".to_string()) && fields.contains(&"Message.owner".to_string()));
    let names: Vec<&str> = plan.functions.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["AuthFunction", "ChatTableFunction", "MessageTableFunction"]);
    let messages = plan.resolver("Chat", "messages").unwrap();
    assert_eq!(messages.pipeline, ["AuthFunction", "MessageTableFunction"], "the related model's table answers");
    assert!(messages.code.contains("\"index\":{\"pk\":\"chatId\""), "{}", messages.code);
}

#[test]
fn without_auth_the_api_defaults_to_iam_and_adds_the_modes_it_is_given() {
    let schema = a::schema([("Note", a::model([("t", a::string())]).authorization(|allow| [allow.public_api_key()]))]);
    let modes = AuthorizationModes {
        api_key_authorization_mode: Some(ApiKeyAuthorizationMode::default()),
        ..Default::default()
    };
    let data = define_data(DataProps { schema, authorization_modes: modes, ..Default::default() });
    let ir = data.compile(&DataContext::default()).unwrap_or_else(|e| panic!("{e}")).ir;
    assert_eq!(ir.modes.default, AuthMode::Iam);
    assert_eq!(ir.modes.additional, [AuthMode::ApiKey]);
}
