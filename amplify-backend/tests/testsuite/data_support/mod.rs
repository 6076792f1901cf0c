//! Shared helpers of the data tests: the chat schema, compiling, and running Node
//! (graphql-js for SDL, the APPSYNC_JS harness for resolvers).
//!
//! Tests that need Node fail (they do not skip) when the tools are missing: the
//! message says to run `scripts/install-tools`.
#![allow(dead_code)]

pub mod scale;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use amplify_backend::data::resolvers::{DataSourceKind, ResolverPlan};
use amplify_backend::data::*;
use serde_json::{json, Value};

/// An app deploying as the sandbox `chatapp`/`dev` (the reference's identifier).
pub fn sandbox_app() -> constructs::App {
    constructs::App::with_props(constructs::AppProps {
        context: [
            ("amplify-backend-type".to_string(), json!("sandbox")),
            ("amplify-backend-namespace".to_string(), json!("chatapp")),
            ("amplify-backend-name".to_string(), json!("dev")),
        ]
        .into_iter()
        .collect(),
        ..Default::default()
    })
}

/// The workspace root.
pub fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root").to_path_buf()
}

/// The pinned Node modules (graphql-js), or a failure telling how to install them.
pub fn node_modules() -> PathBuf {
    let dir = std::env::var_os("TOOLS_NODE_MODULES")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join(".tools/node/node_modules"));
    let node_ok = Command::new("node").arg("--version").output().is_ok_and(|o| o.status.success());
    assert!(node_ok, "`node` is not on PATH: install Node 20+, then run scripts/install-tools");
    assert!(
        dir.join("graphql/package.json").exists(),
        "graphql-js is missing from {}: run scripts/install-tools",
        dir.display()
    );
    dir
}

/// Runs `tests/js/<script>` with `args` and `stdin`; returns stdout, or panics with
/// stderr.
pub fn node(script: &str, args: &[&str], stdin: &str) -> String {
    let modules = node_modules();
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/js").join(script);
    let mut child = Command::new("node")
        .arg(&script)
        .args(args)
        .env("NODE_PATH", &modules)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start node");
    child.stdin.take().expect("stdin").write_all(stdin.as_bytes()).expect("write stdin");
    let out = child.wait_with_output().expect("node output");
    assert!(out.status.success(), "{} failed:\n{}", script.display(), String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8")
}

/// The seed's chat schema, as in the reference `input/data/resource.ts`.
pub fn chat_schema() -> Schema {
    a::schema([
        (
            "Chat",
            a::model([("name", a::string()), ("messages", a::has_many("Message", "chatId"))])
                .authorization(|allow| [allow.owner()]),
        ),
        (
            "Message",
            a::model([("text", a::string()), ("chatId", a::id()), ("chat", a::belongs_to("Chat", "chatId"))])
                .authorization(|allow| [allow.owner()]),
        ),
    ])
}

/// Compiles `schema` with the user pool by default and Amplify's default auth.
pub fn compile(schema: Schema) -> CompiledData {
    compile_with(schema, AuthorizationModes::user_pool())
}

/// Compiles `schema` with `modes` and Amplify's default auth.
pub fn compile_with(schema: Schema, modes: AuthorizationModes) -> CompiledData {
    let data = define_data(DataProps { schema, authorization_modes: modes, ..Default::default() });
    match data.compile(&DataContext::with_auth()) {
        Ok(c) => c,
        Err(e) => panic!("{e}"),
    }
}

/// The errors of compiling `schema` (panics when it compiles).
pub fn errors(schema: Schema, modes: AuthorizationModes, context: DataContext) -> DataErrors {
    let data = define_data(DataProps { schema, authorization_modes: modes, ..Default::default() });
    match data.compile(&context) {
        Ok(_) => panic!("the schema compiled, but errors were expected"),
        Err(e) => e,
    }
}

/// The identity pool id the harness's environment names.
pub const IDENTITY_POOL: &str = "us-east-1:pool";

/// Runs resolver steps in the APPSYNC_JS harness; one result per step.
pub struct Harness {
    plan: Value,
}

impl Harness {
    pub fn new(plan: &ResolverPlan) -> Self {
        let functions: serde_json::Map<String, Value> = plan
            .functions
            .iter()
            .map(|f| {
                let ds = match &f.data_source {
                    DataSourceKind::None => json!({"kind": "none"}),
                    DataSourceKind::Table(t) => json!({"kind": "table", "table": t}),
                    DataSourceKind::Lambda(l) => json!({"kind": "lambda", "function": l}),
                    DataSourceKind::Named(n) => json!({"kind": "named", "name": n}),
                };
                (f.name.clone(), json!({"code": f.code, "dataSource": ds}))
            })
            .collect();
        let resolvers: serde_json::Map<String, Value> = plan
            .resolvers
            .iter()
            .map(|r| {
                let spec = json!({"code": r.code, "pipeline": r.pipeline, "unit": r.data_source.is_some()});
                (format!("{}.{}", r.type_name, r.field_name), spec)
            })
            .collect();
        Harness { plan: json!({"functions": functions, "resolvers": resolvers}) }
    }

    /// Runs `steps`; the last element of the output (the tables) is returned apart.
    pub fn run(&self, steps: Vec<Value>) -> (Vec<Value>, Value) {
        let input = json!({"plan": self.plan, "env": {"AMPLIFY_IDENTITY_POOL_ID": IDENTITY_POOL}, "steps": steps});
        let out = node("appsync_harness.js", &[], &input.to_string());
        let mut results: Vec<Value> = serde_json::from_str(&out).expect("harness output");
        let tables = results.pop().expect("tables")["tables"].clone();
        (results, tables)
    }
}

/// A user-pool caller.
pub fn user(name: &str, groups: &[&str]) -> Value {
    let sub = format!("sub-{name}");
    json!({
        "authType": "User Pool Authorization",
        "identity": {"sub": sub, "username": name, "claims": {"sub": sub, "cognito:username": name, "cognito:groups": groups}},
    })
}

/// An API-key caller.
pub fn api_key() -> Value {
    json!({"authType": "API Key Authorization", "identity": null})
}

/// An identity-pool caller (`authenticated` or `unauthenticated`).
pub fn identity_pool(auth_type: &str) -> Value {
    json!({
        "authType": "IAM Authorization",
        "identity": {"cognitoIdentityPoolId": IDENTITY_POOL, "cognitoIdentityAuthType": auth_type, "cognitoIdentityId": "us-east-1:someone"},
    })
}

/// An IAM principal outside any identity pool (a function with `allow.resource`).
pub fn backend_iam() -> Value {
    json!({"authType": "IAM Authorization", "identity": {"userArn": "arn:aws:sts::123456789012:assumed-role/fn/fn"}})
}

/// A step calling `field` (`Type.field`) as `caller` with `args`.
pub fn call(caller: &Value, field: &str, args: Value) -> Value {
    let mut step = caller.clone();
    step["field"] = json!(field);
    step["args"] = args;
    step
}

/// A schema using most of the language: enums (named and inline), custom types
/// (named and inline), composite identifiers, secondary indexes, has_one, field
/// rules, groups, API key and guest rules, and custom operations of every kind.
pub fn rich_schema() -> Schema {
    use amplify_backend::data::Operation::*;
    a::schema([
        (
            "Author",
            a::model([
                ("name", a::string().required()),
                ("email", a::email()),
                ("profile", a::has_one("Profile", "authorId")),
                ("posts", a::has_many("Post", ["authorId"])),
            ])
            .authorization(|allow| [allow.owner(), allow.authenticated().to([Read])]),
        ),
        (
            "Profile",
            a::model([("bio", a::string()), ("authorId", a::id()), ("author", a::belongs_to("Author", "authorId"))])
                .authorization(|allow| [allow.owner(), allow.guest().to([Read])]),
        ),
        (
            "Post",
            a::model([
                ("blogId", a::id().required()),
                ("slug", a::string().required()),
                ("title", a::string().required()),
                ("tags", a::string().required().array().required()),
                ("status", a::ref_("Status")),
                ("visibility", a::inline_enum(["PUBLIC", "MEMBERS"]).default("PUBLIC")),
                ("location", a::ref_("Location")),
                ("stats", a::inline_custom_type([("views", a::integer()), ("likes", a::integer())])),
                ("rating", a::float()),
                ("publishedAt", a::timestamp()),
                ("notes", a::string().authorization(|allow| [allow.owner()])),
                ("authorId", a::id()),
                ("author", a::belongs_to("Author", "authorId")),
            ])
            .identifier(["blogId", "slug"])
            .secondary_indexes(|index| {
                [index("status").sort_keys(["publishedAt"]).query_field("postsByStatus"), index("authorId")]
            })
            .authorization(|allow| {
                [allow.owner(), allow.groups(["Editors"]), allow.public_api_key().to([Read])]
            }),
        ),
        (
            "Event",
            a::model([("day", a::date().required()), ("room", a::string().required()), ("slot", a::integer().required())])
                .identifier(["day", "room", "slot"])
                .disable_operations([ModelOperation::Subscriptions, ModelOperation::Delete])
                .authorization(|allow| [allow.authenticated()]),
        ),
    ])
    .add("Status", a::enum_type(["DRAFT", "PUBLISHED", "ARCHIVED"]))
    .add("Location", a::custom_type([("lat", a::float().required()), ("lng", a::float().required()), ("label", a::string())]))
    .add(
        "echo",
        a::query()
            .arguments([("content", a::string().required()), ("times", a::integer())])
            .returns(a::inline_custom_type([("text", a::string()), ("at", a::datetime())]))
            .handler(a::handler::function("echo"))
            .authorization(|allow| [allow.authenticated(), allow.public_api_key()]),
    )
    .add(
        "moderate",
        a::mutation()
            .arguments([("postSlug", a::string().required()), ("place", a::ref_("Location"))])
            .returns(a::ref_("Post"))
            .handler(a::handler::custom_inline(
                "export function request(ctx) { return {}; }\nexport function response(ctx) { return ctx.prev.result; }",
            ))
            .authorization(|allow| [allow.groups(["Editors", "Admins"])]),
    )
    .add(
        "onModerated",
        a::subscription()
            .for_(a::ref_("moderate"))
            .authorization(|allow| [allow.groups(["Editors"])]),
    )
    .add(
        "onPostChange",
        a::subscription()
            .for_(SubscriptionSource::model("Post", [ModelMutation::Create, ModelMutation::Update]))
            .authorization(|allow| [allow.public_api_key()]),
    )
}

/// Posts and tags, many to many through the join model `PostTag`; owners only.
pub fn post_tags() -> Schema {
    a::schema([
        ("Post", a::model([("title", a::string()), ("tags", a::has_many("PostTag", "postId"))])),
        ("Tag", a::model([("label", a::string()), ("posts", a::has_many("PostTag", "tagId"))])),
        (
            "PostTag",
            a::model([
                ("postId", a::id().required()),
                ("tagId", a::id().required()),
                ("post", a::belongs_to("Post", "postId")),
                ("tag", a::belongs_to("Tag", "tagId")),
            ]),
        ),
    ])
    .authorization(|allow| [allow.owner()])
}

/// Every authorization mode: the user pool by default, an API key, a Lambda
/// authorizer (`authorizer`) and an OIDC provider.
pub fn every_mode() -> AuthorizationModes {
    AuthorizationModes {
        api_key_authorization_mode: Some(ApiKeyAuthorizationMode::default()),
        lambda_authorization_mode: Some(LambdaAuthorizationMode {
            function: "authorizer".into(),
            time_to_live_in_seconds: 0,
        }),
        oidc_authorization_mode: Some(OidcAuthorizationMode {
            oidc_provider_name: "Auth0".into(),
            oidc_issuer_url: "https://example.auth0.com".into(),
            client_id: None,
            token_expiry_from_auth_in_seconds: 300,
            token_expire_from_issue_in_seconds: 300,
        }),
        ..AuthorizationModes::user_pool()
    }
}

/// The modes `rich_schema` needs: the user pool, plus an API key.
pub fn rich_modes() -> AuthorizationModes {
    AuthorizationModes {
        api_key_authorization_mode: Some(ApiKeyAuthorizationMode { expires_in_days: 30, description: None }),
        ..AuthorizationModes::user_pool()
    }
}

/// The schema description `tests/js/sdl_check.js` prints (types, fields, arguments,
/// directives), after graphql-js parsed and validated the SDL.
pub fn describe_sdl(sdl: &str) -> Value {
    let dir = std::env::temp_dir().join(format!("amplify-data-sdl-{}-{}", std::process::id(), unique()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("schema.graphql");
    std::fs::write(&path, sdl).expect("write SDL");
    let out = node("sdl_check.js", &[path.to_str().expect("utf-8 path")], "");
    let _ = std::fs::remove_dir_all(&dir);
    serde_json::from_str(&out).expect("description")
}

fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

/// The reference output of real Amplify for the chat app.
pub fn reference(file: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../reference/amplify-gen2-chat/output").join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Synthesizes `data` with email sign-in auth and `functions` into a scratch
/// directory: every stack's resources as one template (ids prefixed with the
/// stack's position, `3/PostTable`), and what cfn-lint (errors and warnings) and
/// AWS's AppSync linter (over every inline APPSYNC_JS code) report.
pub fn synth_and_lint(
    name: &str,
    data: DataDefinition,
    functions: Vec<amplify_backend::function::FunctionDefinition>,
) -> (constructs::assertions::Template, Vec<String>) {
    use amplify_backend::auth::{define_auth, AuthProps, LoginWith};
    let dir = crate::storage_support::scratch_dir(&format!("data-options-{name}"));
    let app = sandbox_app();
    app.set_outdir(&dir);
    let auth = define_auth(AuthProps { login_with: LoginWith::email(), ..Default::default() });
    let backend = amplify_backend::Backend::build(app, (auth, data, functions));
    let assembly = backend.synth().unwrap_or_else(|e| panic!("{e}"));
    let files: Vec<PathBuf> = assembly.stacks.iter().map(|s| dir.join(&s.template_file)).collect();
    let mut findings = crate::lint_support::cfn_lint_findings(&files);
    let mut codes = Vec::new();
    let mut resources = serde_json::Map::new();
    for (i, s) in assembly.stacks.iter().enumerate() {
        for (id, r) in s.template["Resources"].as_object().into_iter().flatten() {
            let p = &r["Properties"];
            if let Some(code) = p["Code"].as_str() {
                codes.push((format!("s{i}_{id}"), code.to_string()));
            } else if p.get("CodeS3Location").is_some() {
                // Staged as an asset: found in the assembly by its hash.
                let location = p["CodeS3Location"].to_string();
                let hash = location.split(|c: char| !c.is_ascii_hexdigit()).find(|w| w.len() == 64);
                let file = hash.and_then(|h| {
                    std::fs::read_dir(&dir).ok()?.flatten().find(|e| e.file_name().to_string_lossy().contains(h))
                });
                let file = file.unwrap_or_else(|| panic!("{id}: no staged asset for {location}"));
                codes.push((format!("s{i}_{id}"), std::fs::read_to_string(file.path()).expect("asset code")));
            }
            resources.insert(format!("{i}/{id}"), r.clone());
        }
    }
    assert!(!codes.is_empty(), "no inline APPSYNC_JS code in the assembly");
    findings.extend(crate::lint_support::appsync_lint_findings(&codes));
    (constructs::assertions::Template::from_json(json!({"Resources": resources})), findings)
}
