//! Validation: every error case of issue 5, each reported with its model or type and
//! field and a fix, all at once.

use crate::data_support;

use amplify_backend::data::*;
use data_support::*;

fn errors_of(schema: Schema) -> DataErrors {
    errors(schema, AuthorizationModes::user_pool(), DataContext::with_auth())
}

/// The one error at `path`, with the message and fix containing the given parts.
#[track_caller]
fn assert_error(errors: &DataErrors, path: &str, message: &str, fix: &str) {
    let at: Vec<_> = errors.at(path).collect();
    assert!(
        at.iter().any(|e| e.message.contains(message) && e.fix.contains(fix)),
        "no error at `{path}` with message containing {message:?} and fix containing {fix:?}; got:\n{errors}"
    );
}

fn owner_model(fields: Vec<(&str, Field)>) -> Model {
    a::model(fields).authorization(|allow| [allow.owner()])
}

#[test]
fn a_relationship_to_a_missing_model_names_the_field_and_the_model() {
    let e = errors_of(a::schema([("Chat", owner_model(vec![("messages", a::has_many("Mesage", "chatId"))]))]));
    assert_error(
        &e,
        "Chat.messages",
        "relates to `Mesage`, which the schema does not declare",
        "declare the model `Mesage`",
    );
}

#[test]
fn a_relationship_to_an_enum_says_it_needs_a_model() {
    let e = errors_of(
        a::schema([(
            "Chat",
            owner_model(vec![("status", a::belongs_to("Status", "statusId")), ("statusId", a::id())]),
        )])
        .add("Status", a::enum_type(["OPEN"])),
    );
    assert_error(&e, "Chat.status", "needs a model, but `Status` is an enum", "point the relationship at a model");
}

#[test]
fn a_missing_reference_field_suggests_the_field_to_add() {
    let e = errors_of(a::schema([
        ("Chat", owner_model(vec![("messages", a::has_many("Message", "chatId"))])),
        ("Message", owner_model(vec![("chat", a::belongs_to("Chat", "chatId"))])),
    ]));
    assert_error(
        &e,
        "Chat.messages",
        "the reference field `chatId` is missing",
        "add `(\"chatId\", a::id())` to the fields of `Message`",
    );
    assert_error(&e, "Message.chat", "the reference field `chatId` is missing", "add `(\"chatId\", a::id())`");
}

#[test]
fn a_reference_field_of_the_wrong_type_names_both_types() {
    let e = errors_of(a::schema([
        ("Chat", owner_model(vec![("messages", a::has_many("Message", "chatId"))])),
        ("Message", owner_model(vec![("chatId", a::integer()), ("chat", a::belongs_to("Chat", "chatId"))])),
    ]));
    assert_error(
        &e,
        "Message.chat",
        "`Message.chatId` is `Int`, but it holds `Chat.id`, which is `ID`",
        "declare `Message.chatId` as `a::id()`",
    );
}

#[test]
fn reference_counts_must_match_the_parent_identifier() {
    let e = errors_of(a::schema([
        (
            "Org",
            owner_model(vec![
                ("region", a::string().required()),
                ("name", a::string().required()),
                ("teams", a::has_many("Team", "orgName")),
            ])
            .identifier(["region", "name"]),
        ),
        ("Team", owner_model(vec![("orgName", a::string()), ("org", a::belongs_to("Org", "orgName"))])),
    ]));
    assert_error(
        &e,
        "Org.teams",
        "lists 1 reference field(s), but `Org`'s identifier has 2 (region, name)",
        "one field of `Team` per identifier field of `Org`",
    );
}

#[test]
fn a_belongs_to_without_its_has_many_says_what_to_add() {
    let e = errors_of(a::schema([
        ("Chat", owner_model(vec![("name", a::string())])),
        ("Message", owner_model(vec![("chatId", a::id()), ("chat", a::belongs_to("Chat", "chatId"))])),
    ]));
    assert_error(
        &e,
        "Message.chat",
        "has no matching `a::has_many` or `a::has_one` on `Chat`",
        "add `(\"messages\", a::has_many(\"Message\", \"chatId\"))`",
    );
}

#[test]
fn a_has_many_without_its_belongs_to_says_what_to_add() {
    let e = errors_of(a::schema([
        ("Chat", owner_model(vec![("messages", a::has_many("Message", "chatId"))])),
        ("Message", owner_model(vec![("chatId", a::id())])),
    ]));
    assert_error(
        &e,
        "Chat.messages",
        "has no matching `a::belongs_to(\"Chat\", ...)` on `Message`",
        "add `(\"chat\", a::belongs_to(\"Chat\", \"chatId\"))` to `Message`",
    );
}

#[test]
fn duplicate_names_are_reported_where_they_clash() {
    let e = errors_of(
        a::schema([
            ("Chat", owner_model(vec![("name", a::string()), ("name", a::integer())])),
            ("Chat", owner_model(vec![("title", a::string())])),
        ])
        .add("ModelChatConnection", a::custom_type([("x", a::string())]))
        .add(
            "listChats",
            a::query()
                .returns(a::string())
                .handler(a::handler::function("f"))
                .authorization(|allow| [allow.authenticated()]),
        ),
    );
    assert_error(&e, "Chat", "`Chat` is declared more than once", "give each model");
    assert_error(&e, "Chat.name", "the field `name` is declared twice", "give each field its own name");
    assert_error(
        &e,
        "ModelChatConnection",
        "comes from the custom type `ModelChatConnection` and also from the model `Chat`",
        "rename one",
    );
    assert_error(
        &e,
        "Query.listChats",
        "the query `listChats` comes from the model `Chat` and also from the custom query `listChats`",
        "rename one",
    );
}

#[test]
fn inline_types_are_named_after_their_field_and_may_clash() {
    let e = errors_of(
        a::schema([("Post", owner_model(vec![("status", a::inline_enum(["DRAFT", "LIVE"]))]))])
            .add("PostStatus", a::enum_type(["X"])),
    );
    assert_error(
        &e,
        "PostStatus",
        "comes from the enum `PostStatus` and also from the enum `PostStatus`",
        "rename one",
    );
}

#[test]
fn reserved_names_are_refused_with_an_alternative() {
    let e = errors_of(a::schema([
        ("Query", owner_model(vec![("x", a::string())])),
        ("AWSDateTime", owner_model(vec![("x", a::string())])),
        ("Note", owner_model(vec![("__secret", a::string()), ("_version", a::integer())])),
    ]));
    assert_error(&e, "Query", "`Query` is reserved", "for example to `AppQuery`");
    assert_error(&e, "AWSDateTime", "`AWSDateTime` is reserved", "rename a model");
    assert_error(&e, "Note.__secret", "starting with `__` are reserved by GraphQL", "rename the field");
    assert_error(&e, "Note._version", "reserved for conflict resolution", "rename the field");
}

#[test]
fn invalid_identifiers_get_a_suggested_name() {
    let e = errors_of(
        a::schema([
            ("blog post", owner_model(vec![("x", a::string())])),
            ("note", owner_model(vec![("my-field", a::string()), ("1st", a::string())])),
        ])
        .add("Mood", a::enum_type(["happy face", "true"])),
    );
    assert_error(&e, "blog post", "not a valid GraphQL name", "`BlogPost`");
    assert_error(&e, "note", "model names are PascalCase", "rename the model to `Note`");
    assert_error(&e, "note.my-field", "not a valid GraphQL field name", "`myField`");
    assert_error(&e, "note.1st", "not a valid GraphQL field name", "`_1st`");
    assert_error(&e, "Mood", "`happy face` is not a valid enum value", "IN_PROGRESS");
    assert_error(&e, "Mood", "`true` is not a valid enum value", "IN_PROGRESS");
}

#[test]
fn rules_the_auth_modes_cannot_satisfy_say_which_mode_to_enable() {
    let schema = a::schema([
        ("Post", a::model([("t", a::string())]).authorization(|allow| [allow.public_api_key()])),
        ("Doc", a::model([("t", a::string())]).authorization(|allow| [allow.custom()])),
        ("Page", a::model([("t", a::string())]).authorization(|allow| [allow.owner().provider(Provider::Oidc)])),
        ("Note", a::model([("t", a::string())]).authorization(|allow| [allow.guest()])),
    ]);
    let e = errors(
        schema,
        AuthorizationModes::user_pool(),
        DataContext { guest_access: false, ..DataContext::with_auth() },
    );
    assert_error(&e, "Post", "`allow.public_api_key()` needs API key authorization", "api_key_authorization_mode");
    assert_error(&e, "Doc", "`allow.custom()` needs Lambda authorization", "lambda_authorization_mode");
    assert_error(&e, "Page", "`allow.owner()` needs OIDC authorization", "oidc_authorization_mode");
    assert_error(
        &e,
        "Note",
        "`allow.guest()` needs identity pool (IAM) authorization",
        "keep guest (unauthenticated) access on",
    );
}

#[test]
fn user_pool_rules_without_auth_say_to_add_define_auth() {
    let schema = a::schema([("Chat", a::model([("t", a::string())]).authorization(|allow| [allow.owner()]))]);
    let e = errors(schema, AuthorizationModes::default(), DataContext::default());
    assert_error(&e, "Chat", "`allow.owner()` needs user pool authorization", "add `define_auth(...)` to the backend");
}

#[test]
fn a_default_mode_without_its_configuration_is_an_error() {
    let modes = AuthorizationModes { default_authorization_mode: Some(AuthMode::Oidc), ..Default::default() };
    let schema = a::schema([("Chat", a::model([("t", a::string())]).authorization(|allow| [allow.authenticated()]))]);
    let e = errors(schema, modes, DataContext::with_auth());
    assert_error(&e, "authorization_modes", "the default authorization mode is OIDC", "set `oidc_authorization_mode`");
}

#[test]
fn rules_in_the_wrong_place_or_with_the_wrong_provider_are_explained() {
    use amplify_backend::data::Operation::*;
    let e = errors_of(
        a::schema([
            (
                "Post",
                a::model([("t", a::string().authorization(|allow| [allow.owner().to([Delete])]))]).authorization(
                    |allow| {
                        [
                            allow.resource("fn"),
                            allow.groups(Vec::<String>::new()),
                            allow.public_api_key().provider(Provider::UserPools),
                        ]
                    },
                ),
            ),
            ("Untouched", a::model([("t", a::string())])),
        ])
        .add(
            "mine",
            a::query().returns(a::string()).handler(a::handler::function("f")).authorization(|allow| [allow.owner()]),
        ),
    );
    assert_error(&e, "Post", "gives a function access to the whole API", "move it to `a::schema(...).authorization");
    assert_error(&e, "Post", "lists no groups", "name at least one group");
    assert_error(&e, "Post", "`allow.public_api_key()` cannot use Provider::UserPools", "Provider::ApiKey");
    assert_error(&e, "Post.t", "allows `Operation::Delete` on a field", "remove `Operation::Delete`");
    assert_error(&e, "Untouched", "has no authorization rules", "add `.authorization(|allow| [...])` to `Untouched`");
    assert_error(&e, "Query.mine", "needs an item to read the owner or group from", "use `allow.authenticated()`");
}

#[test]
fn keys_and_indexes_must_name_single_stored_fields() {
    let e = errors_of(a::schema([(
        "Todo",
        owner_model(vec![("done", a::boolean()), ("tags", a::string().array())])
            .identifier(["tenant", "done"])
            .secondary_indexes(|index| [index("tags"), index("tags").name("x"), index("missing").name("x")]),
    )]));
    assert_error(&e, "Todo.tenant", "the identifier uses `tenant`, which `Todo` does not declare", "add the field");
    assert_error(&e, "Todo.done", "a DynamoDB key is one string, number or enum value", "use a single ID");
    assert_error(&e, "Todo.tags", "a secondary index uses `tags` of type `[String]`", "use a single ID");
    assert_error(&e, "Todo", "two secondary indexes are named `x`", "another `.name(...)`");
}

#[test]
fn modifiers_and_defaults_that_do_not_fit_the_field() {
    let e = errors_of(a::schema([
        (
            "Chat",
            owner_model(vec![
                ("messages", a::has_many("Message", "chatId").required()),
                ("count", a::integer().default("ten")),
                ("big", a::integer().default(5_000_000_000_i64)),
                ("mood", a::inline_enum(["UP", "DOWN"]).default("SIDEWAYS")),
                ("meta", a::json().default("{not json")),
                ("createdAt", a::string()),
                ("owner", a::integer()),
            ]),
        ),
        ("Message", owner_model(vec![("chatId", a::id()), ("chat", a::belongs_to("Chat", "chatId"))])),
    ]));
    assert_error(&e, "Chat.messages", "takes no `.required()`", "use `.value_required()`");
    assert_error(
        &e,
        "Chat.count",
        "the default \"ten\" does not fit the field's type `Int`",
        "give a default of the field's type",
    );
    assert_error(&e, "Chat.big", "the default 5000000000 does not fit", "give a default");
    assert_error(
        &e,
        "Chat.mood",
        "the default \"SIDEWAYS\" does not fit the field's type `ChatMood`",
        "one of its values",
    );
    assert_error(&e, "Chat.meta", "does not fit the field's type `AWSJSON`", "must parse");
    assert_error(
        &e,
        "Chat.createdAt",
        "`createdAt` is set by the API to an `AWSDateTime`",
        "declare `(\"createdAt\", a::datetime())`",
    );
    assert_error(
        &e,
        "Chat.owner",
        "authorization rules read `owner` as a string, but it is declared as `Int`",
        "declare `(\"owner\", a::string())`",
    );
}

#[test]
fn references_to_undeclared_or_model_types_are_errors() {
    let e = errors_of(
        a::schema([("Post", owner_model(vec![("loc", a::ref_("Location")), ("author", a::ref_("Author"))]))])
            .add("Author", owner_model(vec![("name", a::string())])),
    );
    assert_error(&e, "Post.loc", "refers to `Location`, which the schema does not declare", "declare it");
    assert_error(
        &e,
        "Post.author",
        "points at a model; fields link models with relationships",
        "a::belongs_to(\"Author\"",
    );
}

#[test]
fn custom_operations_need_a_return_type_a_handler_and_rules() {
    let e = errors_of(
        chat_schema()
            .add("bare", a::query())
            .add("listen", a::subscription().authorization(|allow| [allow.authenticated()]))
            .add(
                "badSource",
                a::mutation()
                    .returns(a::string())
                    .handler(a::handler::custom_inline("x").data_source("Nope"))
                    .authorization(|allow| [allow.authenticated()]),
            )
            .add(
                "missingFile",
                a::mutation()
                    .returns(a::string())
                    .handler(a::handler::custom("/no/such/handler.js"))
                    .authorization(|allow| [allow.authenticated()]),
            ),
    );
    assert_error(&e, "Query.bare", "has no return type", "add `.returns(...)`");
    assert_error(&e, "Query.bare", "has no handler", "add `.handler(");
    assert_error(&e, "Query.bare", "has no authorization rules", "add `.authorization(");
    assert_error(&e, "Subscription.listen", "the subscription listens to nothing", "add `.for_(");
    assert_error(
        &e,
        "Mutation.badSource",
        "the handler's data source `Nope` has not been added",
        "DataProps::data_sources",
    );
    assert_error(&e, "Mutation.missingFile", "cannot read the handler file `/no/such/handler.js`", "fix the path");
}

#[test]
fn unknown_functions_are_reported_when_the_backend_lists_its_functions() {
    let schema = chat_schema()
        .add(
            "echo",
            a::query()
                .returns(a::string())
                .handler(a::handler::function("ecko"))
                .authorization(|allow| [allow.authenticated()]),
        )
        .authorization(|allow| [allow.resource("sayHelo")]);
    let context = DataContext { functions: Some(vec!["echo".into(), "sayHello".into()]), ..DataContext::with_auth() };
    let e = errors(schema, AuthorizationModes::user_pool(), context);
    assert_error(&e, "Query.echo", "the handler function `ecko` is not a function of this backend", "define_function");
    assert_error(&e, "schema", "`allow.resource(\"sayHelo\")` names no function of this backend", "define_function");
}

#[test]
fn every_error_is_reported_at_once_in_schema_order() {
    let e = errors(
        a::schema([
            (
                "Chat",
                a::model([("messages", a::has_many("Msg", "chatId"))]).authorization(|allow| [allow.public_api_key()]),
            ),
            ("bad name", owner_model(vec![("x", a::string())])),
            ("Message", owner_model(vec![("chat", a::belongs_to("Chat", "chatId"))])),
        ]),
        AuthorizationModes::user_pool(),
        DataContext::with_auth(),
    );
    let paths: Vec<&str> = e.0.iter().map(|e| e.path.as_str()).collect();
    for expected in ["bad name", "Chat", "Chat.messages", "Message.chat"] {
        assert!(paths.contains(&expected), "missing an error at {expected}: {paths:?}");
    }
    assert!(e.0.len() >= 5, "{e}");
    let text = e.to_string();
    assert!(text.starts_with(&format!("the data schema has {} errors:", e.0.len())), "{text}");
    assert!(text.lines().skip(1).all(|l| l.starts_with("  - ") && l.contains(" Fix: ")), "{text}");
}

#[test]
fn odd_input_is_reported_without_panicking() {
    let e = errors_of(
        a::schema([
            ("", a::model(Vec::<(&str, Field)>::new())),
            ("É", owner_model(vec![("", a::string())]).identifier(Vec::<String>::new())),
        ])
        .add("Empty", a::enum_type(Vec::<String>::new()))
        .add("Shape", a::custom_type(Vec::<(&str, Field)>::new())),
    );
    assert!(!e.0.is_empty());
    assert_error(&e, "Empty", "has no values", "list at least one value");
    assert_error(&e, "Shape", "has no fields", "give it at least one field");
    assert_error(&e, "É", "`.identifier([])` names no fields", "name the partition key field");
}

#[test]
fn an_api_without_queries_is_an_error() {
    let e = errors_of(a::schema([(
        "Log",
        owner_model(vec![("t", a::string())]).disable_operations([ModelOperation::Queries]),
    )]));
    assert_error(&e, "schema", "the API would have no queries", "add a model");
}

#[test]
fn tables_keep_within_dynamodb_index_limits_and_relationships_take_no_rules() {
    let indexes: Vec<(String, Field)> = (0..21).map(|i| (format!("f{i}"), a::string())).collect();
    let e = errors_of(a::schema([
        (
            "Wide",
            a::model(indexes.clone())
                .secondary_indexes(|index| (0..21).map(|i| index(&format!("f{i}"))).collect::<Vec<_>>())
                .authorization(|allow| [allow.owner()]),
        ),
        (
            "Chat",
            owner_model(vec![("messages", a::has_many("Message", "chatId").authorization(|allow| [allow.owner()]))]),
        ),
        ("Message", owner_model(vec![("chatId", a::id()), ("chat", a::belongs_to("Chat", "chatId"))])),
    ]));
    assert_error(&e, "Wide", "needs 21 global secondary indexes (21 declared", "remove secondary indexes");
    assert_error(&e, "Chat.messages", "takes its rules from the related model", "remove `.authorization(...)`");
}

#[test]
fn sync_and_search_are_refused_because_the_api_has_no_such_queries() {
    use amplify_backend::data::Operation::*;
    let e = errors_of(a::schema([(
        "Post",
        a::model([("t", a::string().authorization(|allow| [allow.owner().to([Search])]))])
            .authorization(|allow| [allow.owner().to([Create, Sync]), allow.authenticated().to([Read, Search])]),
    )]));
    assert_error(
        &e,
        "Post",
        "`allow.owner()` allows `Operation::Sync`, but the generated API has no sync queries",
        "remove `Operation::Sync`",
    );
    assert_error(
        &e,
        "Post",
        "`allow.authenticated()` allows `Operation::Search`",
        "`Operation::Read` (or `Get` and `List`) allows reads",
    );
    assert_error(
        &e,
        "Post.t",
        "allows `Operation::Search`, but the generated API has no search queries",
        "remove `Operation::Search`",
    );
    // `Read` stands for every read, sync and search included, and stays valid.
    let read =
        a::schema([("Post", a::model([("t", a::string())]).authorization(|allow| [allow.owner().to([Read, Listen])]))]);
    assert_eq!(compile(read).ir.models[0].rules[0].operations, [Read, Listen]);
}

#[test]
fn model_fields_may_not_take_the_names_filters_combine_with() {
    let e = errors_of(a::schema([(
        "Query1",
        owner_model(vec![("and", a::string()), ("or", a::integer()), ("not", a::boolean()), ("andMore", a::string())]),
    )]));
    for name in ["and", "or", "not"] {
        assert_error(
            &e,
            &format!("Query1.{name}"),
            "filter and condition inputs combine conditions",
            &format!("`{name}Value`"),
        );
    }
    assert_eq!(e.0.len(), 3, "{e}");
    // Custom types have no filter inputs, so the names are fine there.
    let ok = a::schema([("T", owner_model(vec![("range", a::ref_("Range"))]))])
        .add("Range", a::custom_type([("and", a::integer()), ("or", a::integer())]));
    assert!(describe_sdl(&compile(ok).sdl())["Range"]["fields"]["and"].is_object());
}

#[test]
fn a_subscription_listens_only_to_mutations_of_its_own_return_type() {
    let send = a::mutation()
        .arguments([("text", a::string())])
        .returns(a::string())
        .handler(a::handler::function("send"))
        .authorization(|allow| [allow.authenticated()]);
    let e = errors_of(
        a::schema([("Post", owner_model(vec![("t", a::string())]))])
            .add("send", send)
            .add(
                "onAnything",
                a::subscription()
                    .for_(SubscriptionSource::model("Post", [ModelMutation::Create]))
                    .for_(a::ref_("send"))
                    .authorization(|allow| [allow.authenticated()]),
            )
            .add(
                "onSend",
                a::subscription()
                    .for_(a::ref_("send"))
                    .returns(a::integer())
                    .authorization(|allow| [allow.authenticated()]),
            ),
    );
    assert_error(
        &e,
        "Subscription.onAnything",
        "listens to `Post`, which returns `Post`, and to `send`, which returns `String`",
        "return the same type",
    );
    assert_error(&e, "Subscription.onSend", "returns `Int`, but `send` returns `String`", "remove `.returns(...)`");
    assert_eq!(e.0.len(), 2, "{e}");
}

#[test]
fn api_key_expiry_and_authorizer_caching_stay_within_appsync_limits() {
    let schema = a::schema([("Note", a::model([("t", a::string())]).authorization(|allow| [allow.public_api_key()]))]);
    let modes = |days: u32, ttl: u32| AuthorizationModes {
        api_key_authorization_mode: Some(ApiKeyAuthorizationMode { expires_in_days: days, description: None }),
        lambda_authorization_mode: Some(LambdaAuthorizationMode {
            function: "authorizer".into(),
            time_to_live_in_seconds: ttl,
        }),
        ..AuthorizationModes::user_pool()
    };
    let context = || DataContext { functions: Some(vec!["authorizer".into()]), ..DataContext::with_auth() };
    let e = errors(schema.clone(), modes(0, 3601), context());
    assert_error(&e, "authorization_modes", "an API key must expire in 1 to 365 days, not 0", "between 1 and 365");
    assert_error(&e, "authorization_modes", "cached at most 3600 s, not 3601", "time_to_live_in_seconds");
    assert_error(
        &errors(schema.clone(), modes(366, 0), context()),
        "authorization_modes",
        "not 366",
        "between 1 and 365",
    );
    for (days, ttl) in [(1, 0), (365, 3600)] {
        let data = define_data(DataProps {
            schema: schema.clone(),
            authorization_modes: modes(days, ttl),
            ..Default::default()
        });
        assert!(data.compile(&context()).is_ok(), "{days} days, {ttl} s");
    }
}
