//! The backends the generated code is checked against, built and synthesized in
//! the test process: the chat app's schema, the chat schema without a field, notes
//! with a group rule, and a richer schema (enum, custom type, hasOne, custom keys, indexes, disabled
//! operations, custom operations with a function handler).

use std::path::Path;

use amplify_backend::auth::{define_auth, AuthProps, LoginWith};
use amplify_backend::data::{
    a, define_data, AuthorizationModes, DataProps, ModelMutation, ModelOperation, Operation, Schema, SubscriptionSource,
};
use amplify_backend::function::{define_function, FunctionProps};
use amplify_backend::Backend;
use constructs::{App, AppProps};
use serde_json::json;

/// The chat schema of Amplify's guide (the reference's `data/resource.ts`).
pub fn chat() -> Schema {
    chat_with_name(true)
}

/// The chat schema, with or without `Chat.name`.
pub fn chat_with_name(name: bool) -> Schema {
    let mut chat_fields = vec![("messages", a::has_many("Message", "chatId"))];
    if name {
        chat_fields.insert(0, ("name", a::string()));
    }
    a::schema([
        ("Chat", a::model(chat_fields).authorization(|allow| [allow.owner()])),
        (
            "Message",
            a::model([("text", a::string()), ("chatId", a::id()), ("chat", a::belongs_to("Chat", "chatId"))])
                .authorization(|allow| [allow.owner()]),
        ),
    ])
}

/// Notes with an owner rule and a group rule: members of `Admins` may read and
/// change every note (the group rule of issue 12's acceptance).
pub fn notes() -> Schema {
    a::schema([(
        "Note",
        a::model([("text", a::string())]).authorization(|allow| [allow.owner(), allow.groups(["Admins"])]),
    )])
}

/// A blog: every kind of field, keys, indexes, relationships and custom operations.
pub fn blog() -> Schema {
    Schema::new()
        .add("Status", a::enum_type(["DRAFT", "PUBLISHED", "ARCHIVED"]))
        .add("Location", a::custom_type([("lat", a::float().required()), ("lng", a::float().required())]))
        .add(
            "Author",
            a::model([
                ("name", a::string().required()),
                ("email", a::email()),
                ("posts", a::has_many("Post", "authorId")),
                ("profile", a::has_one("Profile", "authorId")),
            ])
            .authorization(|allow| [allow.owner(), allow.authenticated().to([Operation::Read])]),
        )
        .add(
            "Profile",
            a::model([
                ("authorId", a::id().required()),
                ("bio", a::string()),
                ("website", a::url()),
                ("author", a::belongs_to("Author", "authorId")),
            ])
            .identifier(["authorId"])
            .authorization(|allow| [allow.owner()]),
        )
        .add(
            "Post",
            a::model([
                ("title", a::string().required()),
                ("body", a::string()),
                ("status", a::ref_("Status").required()),
                ("tags", a::string().required().array()),
                ("location", a::ref_("Location")),
                ("views", a::integer()),
                ("rating", a::float()),
                ("featured", a::boolean()),
                ("publishedOn", a::date()),
                ("metadata", a::json()),
                ("authorId", a::id().required()),
                ("author", a::belongs_to("Author", "authorId")),
                ("editors", a::string().array()),
            ])
            .secondary_indexes(|index| {
                [index("authorId").sort_keys(["publishedOn"]).query_field("postsByAuthor"), index("status")]
            })
            .authorization(|allow| [allow.owner(), allow.owners_defined_in("editors").to([Operation::Update])]),
        )
        .add(
            "AuditEntry",
            a::model([
                ("scope", a::string().required()),
                ("at", a::datetime().required()),
                ("note", a::string()),
                ("seconds", a::timestamp()),
            ])
            .identifier(["scope", "at"])
            .disable_operations([ModelOperation::Update, ModelOperation::Delete, ModelOperation::Subscriptions])
            .authorization(|allow| [allow.authenticated()]),
        )
        .add(
            "postCount",
            a::query()
                .arguments([("status", a::ref_("Status").required()), ("authorId", a::id())])
                .returns(a::integer().required())
                .handler(a::handler::function("count-posts"))
                .authorization(|allow| [allow.authenticated()]),
        )
        .add(
            "publish",
            a::mutation()
                .arguments([("postId", a::id().required()), ("at", a::datetime())])
                .returns(a::ref_("Post"))
                .handler(a::handler::function("count-posts"))
                .authorization(|allow| [allow.authenticated()]),
        )
        .add(
            "reindex",
            a::mutation()
                .arguments([("postId", a::id().required())])
                .handler(a::handler::function("count-posts").async_())
                .authorization(|allow| [allow.authenticated()]),
        )
        .add("published", a::subscription().for_(a::ref_("publish")).authorization(|allow| [allow.authenticated()]))
        .add(
            "postChanges",
            a::subscription()
                .for_(SubscriptionSource::model("Post", [ModelMutation::Create, ModelMutation::Update]))
                .authorization(|allow| [allow.authenticated()]),
        )
}

/// Synthesizes a backend with email sign-in and `schema` (user pool authorization)
/// into `dir`, with a function `count-posts` for custom handlers.
pub fn synth(dir: &Path, schema: Schema) {
    synth_with_groups(dir, schema, &[]);
}

/// [`synth`], with these user pool groups.
pub fn synth_with_groups(dir: &Path, schema: Schema, groups: &[&str]) {
    let app = App::with_props(AppProps {
        outdir: Some(dir.to_path_buf()),
        context: [
            ("amplify-backend-type".to_string(), json!("sandbox")),
            ("amplify-backend-namespace".to_string(), json!("codegen")),
            ("amplify-backend-name".to_string(), json!("test")),
        ]
        .into_iter()
        .collect(),
        ..Default::default()
    });
    let count_posts = define_function(FunctionProps {
        name: "count-posts".into(),
        entry: concat!(env!("CARGO_MANIFEST_DIR"), "/tests/testsuite/codegen_support/count_posts.mjs").into(),
        ..Default::default()
    });
    let data =
        define_data(DataProps { schema, authorization_modes: AuthorizationModes::user_pool(), ..Default::default() });
    let backend = Backend::build(
        app,
        (
            define_auth(AuthProps {
                login_with: LoginWith { email: Some(Default::default()), ..Default::default() },
                groups: groups.iter().map(|g| g.to_string()).collect(),
                ..Default::default()
            }),
            data,
            count_posts,
        ),
    );
    if let Err(e) = backend.synth() {
        panic!("the test backend does not synthesize: {e}");
    }
}
