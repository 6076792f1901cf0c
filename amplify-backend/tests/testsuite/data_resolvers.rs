//! The generated APPSYNC_JS resolvers, run in Node against a fake AppSync runtime and
//! an in-memory DynamoDB (tests/js/appsync_harness.js): owner, group, public, guest
//! and field rules, each allowed and denied.

use crate::data_support;

use amplify_backend::data::*;
use data_support::*;
use serde_json::{json, Value};

fn chat_harness() -> Harness {
    Harness::new(&compile(chat_schema()).resolvers())
}

fn error_type(result: &Value) -> Option<&str> {
    result["error"]["type"].as_str()
}

#[test]
fn owner_rules_stamp_the_creator_and_limit_every_operation_to_the_owner() {
    let alice = user("alice", &[]);
    let bob = user("bob", &[]);
    let (r, tables) = chat_harness().run(vec![
        call(&alice, "Mutation.createChat", json!({"input": {"id": "c1", "name": "alice's"}})),
        call(&bob, "Mutation.createChat", json!({"input": {"id": "c2", "name": "bob's"}})),
        call(&alice, "Query.getChat", json!({"id": "c1"})),
        call(&bob, "Query.getChat", json!({"id": "c1"})),
        call(&bob, "Query.listChats", json!({})),
        call(&bob, "Mutation.updateChat", json!({"input": {"id": "c1", "name": "mine now"}})),
        call(&alice, "Mutation.updateChat", json!({"input": {"id": "c1", "name": "renamed"}})),
        call(&bob, "Mutation.deleteChat", json!({"input": {"id": "c1"}})),
        call(&bob, "Mutation.createChat", json!({"input": {"id": "c3", "owner": "sub-alice::alice"}})),
        call(&alice, "Mutation.updateChat", json!({"input": {"id": "c1", "owner": "sub-bob::bob"}})),
        call(&alice, "Mutation.deleteChat", json!({"input": {"id": "c1"}})),
    ]);
    // Create stamps `sub::username`, as Amplify does.
    assert_eq!(r[0]["data"]["owner"], "sub-alice::alice");
    assert!(r[0]["data"]["createdAt"].is_string() && r[0]["data"]["updatedAt"].is_string());
    assert_eq!(r[0]["data"]["__typename"], "Chat");
    // Reads: the owner gets the item; another user is refused, and lists only theirs.
    assert_eq!(r[2]["data"]["name"], "alice's");
    assert_eq!(error_type(&r[3]), Some("Unauthorized"));
    let listed: Vec<&str> =
        r[4]["data"]["items"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(listed, ["c2"]);
    // Writes by someone else fail and change nothing.
    assert_eq!(error_type(&r[5]), Some("Unauthorized"));
    assert_eq!(r[6]["data"]["name"], "renamed");
    assert_eq!(error_type(&r[7]), Some("Unauthorized"));
    // Nobody creates items for someone else, or gives theirs away.
    assert_eq!(error_type(&r[8]), Some("Unauthorized"));
    assert_eq!(error_type(&r[9]), Some("Unauthorized"));
    assert_eq!(r[10]["data"]["id"], "c1");
    let chats = tables["Chat"].as_array().unwrap();
    assert_eq!(chats.len(), 1, "only bob's chat is left: {chats:?}");
    assert_eq!(chats[0]["id"], "c2");
}

#[test]
fn owner_rules_need_a_user_pool_caller() {
    let (r, _) = chat_harness().run(vec![
        call(&api_key(), "Query.listChats", json!({})),
        call(&identity_pool("authenticated"), "Query.listChats", json!({})),
        call(&user("alice", &[]), "Query.listChats", json!({})),
    ]);
    assert_eq!(error_type(&r[0]), Some("Unauthorized"));
    assert_eq!(error_type(&r[1]), Some("Unauthorized"));
    assert!(r[2]["error"].is_null());
}

#[test]
fn owner_subscriptions_only_deliver_the_callers_items() {
    let alice = user("alice", &[]);
    let mine = json!({"id": "1", "owner": "sub-alice::alice"});
    let theirs = json!({"id": "2", "owner": "sub-bob::bob"});
    let mut sub = call(&alice, "Subscription.onCreateChat", json!({}));
    sub["deliver"] = json!([mine, theirs]);
    let mut asking_for_bob = call(&alice, "Subscription.onCreateChat", json!({"owner": "sub-bob::bob"}));
    asking_for_bob["deliver"] = json!([theirs]);
    let mut filtered = call(&alice, "Subscription.onCreateChat", json!({"filter": {"name": {"eq": "x"}}}));
    filtered["deliver"] = json!([{"id": "3", "owner": "sub-alice::alice", "name": "x"}, {"id": "4", "owner": "sub-alice::alice", "name": "y"}]);
    let (r, _) = chat_harness().run(vec![sub, asking_for_bob, filtered]);
    assert_eq!(r[0]["delivered"], json!([true, false]));
    assert_eq!(error_type(&r[1]), Some("Unauthorized"));
    assert_eq!(r[2]["delivered"], json!([true, false]));
}

#[test]
fn relationship_fields_resolve_through_the_index_and_keep_owner_rules() {
    let alice = user("alice", &[]);
    let bob = user("bob", &[]);
    let (r, _) = chat_harness().run(vec![
        call(&alice, "Mutation.createChat", json!({"input": {"id": "c1", "name": "general"}})),
        call(&alice, "Mutation.createMessage", json!({"input": {"id": "m1", "chatId": "c1", "text": "hi"}})),
        call(&alice, "Mutation.createMessage", json!({"input": {"id": "m2", "chatId": "c1", "text": "again"}})),
        call(&bob, "Mutation.createMessage", json!({"input": {"id": "m3", "chatId": "c1", "text": "bob was here"}})),
        call(&alice, "Mutation.createMessage", json!({"input": {"id": "m4", "chatId": "other", "text": "elsewhere"}})),
        {
            let mut s = call(&alice, "Chat.messages", json!({}));
            s["source"] = json!({"id": "c1"});
            s
        },
        {
            let mut s = call(&alice, "Message.chat", json!({}));
            s["source"] = json!({"id": "m1", "chatId": "c1"});
            s
        },
        {
            let mut s = call(&bob, "Message.chat", json!({}));
            s["source"] = json!({"id": "m3", "chatId": "c1"});
            s
        },
        {
            let mut s = call(&alice, "Message.chat", json!({}));
            s["source"] = json!({"id": "m9", "chatId": null});
            s
        },
    ]);
    let mut ids: Vec<&str> =
        r[5]["data"]["items"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap()).collect();
    ids.sort();
    assert_eq!(ids, ["m1", "m2"], "alice sees her messages of c1 only");
    let query = &r[5]["requests"][0];
    assert_eq!(query["operation"], "Query");
    assert_eq!(query["index"], "gsi-Chat.messages");
    assert_eq!(r[6]["data"]["name"], "general");
    assert_eq!(error_type(&r[7]), Some("Unauthorized"), "bob may not read alice's chat through his message");
    assert!(r[8]["data"].is_null() && r[8]["error"].is_null() && r[8]["requests"].as_array().unwrap().is_empty());
}

/// Posts: owners, an Admin group, editors listed in a field, public (API key) and
/// guest reads, and an owner-only field.
fn blog() -> Harness {
    use amplify_backend::data::Operation::*;
    let schema = a::schema([(
        "Post",
        a::model([
            ("title", a::string().required()),
            ("editors", a::string().array()),
            ("secret", a::string().authorization(|allow| [allow.owner()])),
            ("views", a::integer().default(0)),
        ])
        .authorization(|allow| {
            [
                allow.owner(),
                allow.groups(["Admin"]),
                allow.owners_defined_in("editors").to([Update, Read]),
                allow.public_api_key().to([Read]),
                allow.guest().to([Read]),
            ]
        }),
    )]);
    let modes = AuthorizationModes {
        api_key_authorization_mode: Some(ApiKeyAuthorizationMode::default()),
        ..AuthorizationModes::user_pool()
    };
    Harness::new(&compile_with(schema, modes).resolvers())
}

fn post(id: &str, owner: &str) -> Value {
    json!({"seed": {"table": "Post", "item": {"id": id, "title": id, "owner": owner, "editors": ["sub-bob::bob"], "secret": "s"}}})
}

#[test]
fn group_rules_let_members_act_on_every_item_and_nobody_else() {
    let carol = user("carol", &["Admin"]);
    let dave = user("dave", &["Users"]);
    let (r, tables) = blog().run(vec![
        post("p1", "sub-alice::alice"),
        call(&carol, "Query.getPost", json!({"id": "p1"})),
        call(&carol, "Mutation.updatePost", json!({"input": {"id": "p1", "title": "edited by admin"}})),
        call(&dave, "Query.getPost", json!({"id": "p1"})),
        call(&dave, "Mutation.deletePost", json!({"input": {"id": "p1"}})),
        call(&dave, "Query.listPosts", json!({})),
    ]);
    assert_eq!(r[1]["data"]["id"], "p1");
    assert_eq!(r[2]["data"]["title"], "edited by admin");
    assert_eq!(error_type(&r[3]), Some("Unauthorized"));
    assert_eq!(error_type(&r[4]), Some("Unauthorized"));
    assert_eq!(r[5]["data"]["items"], json!([]), "dave owns nothing and edits nothing");
    assert_eq!(tables["Post"].as_array().unwrap().len(), 1);
}

#[test]
fn owners_listed_in_a_field_get_only_the_operations_their_rule_names() {
    let bob = user("bob", &[]);
    let (r, _) = blog().run(vec![
        post("p1", "sub-alice::alice"),
        call(&bob, "Mutation.updatePost", json!({"input": {"id": "p1", "title": "bob edits"}})),
        call(&bob, "Mutation.deletePost", json!({"input": {"id": "p1"}})),
        call(&bob, "Query.listPosts", json!({})),
    ]);
    assert_eq!(r[1]["data"]["title"], "bob edits");
    assert_eq!(error_type(&r[2]), Some("Unauthorized"), "the editors rule does not allow deletes");
    assert_eq!(r[3]["data"]["items"].as_array().unwrap().len(), 1);
}

#[test]
fn public_and_guest_rules_allow_reads_only() {
    let (r, _) = blog().run(vec![
        post("p1", "sub-alice::alice"),
        call(&api_key(), "Query.getPost", json!({"id": "p1"})),
        call(&api_key(), "Query.listPosts", json!({})),
        call(&api_key(), "Mutation.createPost", json!({"input": {"title": "spam"}})),
        call(&identity_pool("unauthenticated"), "Query.listPosts", json!({})),
        call(&identity_pool("unauthenticated"), "Mutation.deletePost", json!({"input": {"id": "p1"}})),
        // Signed in through the identity pool, but no rule names authenticated users.
        call(&identity_pool("authenticated"), "Query.listPosts", json!({})),
        // A function given IAM access (allow.resource) is authorized by IAM itself.
        call(&backend_iam(), "Mutation.createPost", json!({"input": {"title": "from a function"}})),
    ]);
    assert_eq!(r[1]["data"]["id"], "p1");
    assert_eq!(r[2]["data"]["items"].as_array().unwrap().len(), 1);
    assert_eq!(error_type(&r[3]), Some("Unauthorized"));
    assert_eq!(r[4]["data"]["items"].as_array().unwrap().len(), 1);
    assert_eq!(error_type(&r[5]), Some("Unauthorized"));
    assert_eq!(error_type(&r[6]), Some("Unauthorized"));
    assert_eq!(r[7]["data"]["title"], "from a function");
}

#[test]
fn field_rules_guard_reads_and_writes_of_the_field() {
    let alice = user("alice", &[]);
    let bob = user("bob", &[]);
    let source = json!({"id": "p1", "owner": "sub-alice::alice", "secret": "s"});
    let read = |caller: &Value| {
        let mut s = call(caller, "Post.secret", json!({}));
        s["source"] = source.clone();
        s
    };
    let (r, _) = blog().run(vec![
        post("p1", "sub-alice::alice"),
        read(&alice),
        read(&bob),
        read(&api_key()),
        // bob may edit the post (editors) but not its owner-only field.
        call(&bob, "Mutation.updatePost", json!({"input": {"id": "p1", "secret": "leaked"}})),
        call(&alice, "Mutation.updatePost", json!({"input": {"id": "p1", "secret": "new"}})),
        call(&alice, "Mutation.createPost", json!({"input": {"id": "p2", "title": "t", "secret": "mine"}})),
    ]);
    assert_eq!(r[1]["data"], "s");
    assert_eq!(error_type(&r[2]), Some("Unauthorized"));
    assert_eq!(error_type(&r[3]), Some("Unauthorized"));
    assert_eq!(error_type(&r[4]), Some("Unauthorized"));
    assert_eq!(r[5]["data"]["secret"], "new");
    assert_eq!(r[6]["data"]["secret"], "mine");
    assert_eq!(r[6]["data"]["views"], 0, "the default applies on create");
}

#[test]
fn group_fields_admit_members_of_the_group_named_in_the_item() {
    use amplify_backend::data::Operation::*;
    let schema = a::schema([(
        "Team",
        a::model([("name", a::string())])
            .authorization(|allow| [allow.group_defined_in("group"), allow.authenticated().to([Read])]),
    )]);
    let h = Harness::new(&compile(schema).resolvers());
    let blue = user("bea", &["Blue"]);
    let red = user("rob", &["Red"]);
    let (r, _) = h.run(vec![
        call(&blue, "Mutation.createTeam", json!({"input": {"id": "t1", "name": "blue team", "group": "Blue"}})),
        call(&red, "Mutation.createTeam", json!({"input": {"id": "t2", "name": "fake", "group": "Blue"}})),
        call(&red, "Mutation.updateTeam", json!({"input": {"id": "t1", "name": "taken"}})),
        call(&blue, "Mutation.updateTeam", json!({"input": {"id": "t1", "name": "renamed"}})),
        call(&red, "Query.getTeam", json!({"id": "t1"})),
    ]);
    assert_eq!(r[0]["data"]["group"], "Blue");
    assert_eq!(error_type(&r[1]), Some("Unauthorized"), "rob cannot create a team for a group he is not in");
    assert_eq!(error_type(&r[2]), Some("Unauthorized"));
    assert_eq!(r[3]["data"]["name"], "renamed");
    assert_eq!(r[4]["data"]["name"], "renamed", "every signed-in user may read");
}

#[test]
fn custom_identifiers_and_secondary_indexes_query_by_key() {
    let schema = a::schema([(
        "Todo",
        a::model([
            ("tenantId", a::id().required()),
            ("name", a::string().required()),
            ("status", a::string().required()),
            ("due", a::date()),
        ])
        .identifier(["tenantId", "name"])
        .secondary_indexes(|index| [index("status").sort_keys(["due"])])
        .authorization(|allow| [allow.authenticated()]),
    )]);
    let h = Harness::new(&compile(schema).resolvers());
    let u = user("u", &[]);
    let todo = |t: &str, n: &str, s: &str, d: &str| {
        call(&u, "Mutation.createTodo", json!({"input": {"tenantId": t, "name": n, "status": s, "due": d}}))
    };
    let (r, tables) = h.run(vec![
        todo("t1", "alpha", "open", "2024-01-03"),
        todo("t1", "beta", "done", "2024-01-01"),
        todo("t1", "apple", "open", "2024-01-02"),
        todo("t2", "alpha", "open", "2024-01-04"),
        todo("t1", "alpha", "open", "2024-01-05"),
        call(&u, "Query.getTodo", json!({"tenantId": "t1", "name": "beta"})),
        call(&u, "Query.listTodos", json!({"tenantId": "t1", "name": {"beginsWith": "a"}})),
        call(
            &u,
            "Query.listTodoByStatusAndDue",
            json!({"status": "open", "due": {"ge": "2024-01-03"}, "sortDirection": "DESC"}),
        ),
    ]);
    assert_eq!(error_type(&r[4]), Some("DynamoDB:ConditionalCheckFailedException"), "the key is taken");
    assert_eq!(r[5]["data"]["status"], "done");
    let names: Vec<&str> =
        r[6]["data"]["items"].as_array().unwrap().iter().map(|i| i["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["alpha", "apple"]);
    let dues: Vec<&str> =
        r[7]["data"]["items"].as_array().unwrap().iter().map(|i| i["due"].as_str().unwrap()).collect();
    assert_eq!(dues, ["2024-01-04", "2024-01-03"]);
    assert_eq!(r[7]["requests"][0]["index"], "todosByStatusAndDue");
    assert_eq!(tables["Todo"].as_array().unwrap().len(), 4);
}

#[test]
fn custom_operations_run_their_function_for_allowed_callers() {
    let schema = chat_schema().add(
        "echo",
        a::query()
            .arguments([("content", a::string().required())])
            .returns(a::string())
            .handler(a::handler::function("say-hello"))
            .authorization(|allow| [allow.authenticated()]),
    );
    let h = Harness::new(&compile(schema).resolvers());
    let (r, _) = h.run(vec![
        call(&user("alice", &[]), "Query.echo", json!({"content": "hi"})),
        call(&api_key(), "Query.echo", json!({"content": "hi"})),
    ]);
    assert_eq!(r[0]["data"], json!({"function": "say-hello", "fieldName": "echo", "arguments": {"content": "hi"}}));
    assert_eq!(r[0]["requests"][0]["operation"], "Invoke");
    assert_eq!(error_type(&r[1]), Some("Unauthorized"));
}

/// Constructs the APPSYNC_JS runtime rejects (it has no `try`, `while`, `++`, classic
/// `for`, `in` operator, ...): the generated code must not use them.
#[test]
fn generated_code_stays_within_the_appsync_js_runtime() {
    let forbidden = regex_lite_forbidden();
    let chat = compile(chat_schema()).resolvers();
    let rich = compile_with(rich_schema(), rich_modes()).resolvers();
    let generated = |p: &amplify_backend::data::resolvers::ResolverPlan| {
        // Custom handler steps are the user's code, not ours.
        let functions =
            p.functions.iter().filter(|f| !f.name.contains("Step")).map(|f| (f.name.clone(), f.code.to_string()));
        let resolvers = p.resolvers.iter().map(|r| (format!("{}.{}", r.type_name, r.field_name), r.code.clone()));
        functions.chain(resolvers).collect::<Vec<_>>()
    };
    for (name, code) in generated(&chat).into_iter().chain(generated(&rich)) {
        let stripped: String = code.lines().map(|l| l.split("//").next().unwrap_or("")).collect::<Vec<_>>().join("\n");
        for (pattern, what) in &forbidden {
            assert!(!pattern(&stripped), "{name} uses {what}, which APPSYNC_JS does not support");
        }
        assert!(code.starts_with("// Generated by amplify-backend"), "{name} is not marked as generated");
    }
}

type Check = (Box<dyn Fn(&str) -> bool>, &'static str);

fn regex_lite_forbidden() -> Vec<Check> {
    fn word(w: &'static str) -> Box<dyn Fn(&str) -> bool> {
        Box::new(move |code: &str| {
            code.match_indices(w).any(|(i, _)| {
                let before = code[..i].chars().last().is_none_or(|c| !c.is_alphanumeric() && c != '_' && c != '.');
                let after = code[i + w.len()..].chars().next().is_none_or(|c| !c.is_alphanumeric() && c != '_');
                before && after
            })
        })
    }
    vec![
        (Box::new(|c: &str| c.contains("++") || c.contains("--")), "`++`/`--`"),
        (word("while"), "`while`"),
        (word("try"), "`try`"),
        (word("catch"), "`catch`"),
        (word("throw"), "`throw`"),
        (word("continue"), "`continue`"),
        (word("finally"), "`finally`"),
        (word("new"), "`new`"),
        (word("class"), "`class`"),
        (word("async"), "`async`"),
        (
            Box::new(move |c: &str| {
                // `in:` is a property name (subscription filters), not the operator.
                let without_keys = c.replace("in:", "");
                word("in")(&without_keys)
            }),
            "the `in` operator",
        ),
        (
            Box::new(|c: &str| c.contains("for (let i") || c.contains("for (var") || c.contains("; i <")),
            "a classic `for` loop",
        ),
    ]
}

/// A caller of `auth_type` (`Lambda Authorization`, `Open ID Connect Authorization`)
/// with these claims.
fn caller(auth_type: &str, identity: Value) -> Value {
    json!({"authType": auth_type, "identity": identity})
}

fn harness_with(schema: Schema, modes: AuthorizationModes) -> Harness {
    Harness::new(&compile_with(schema, modes).resolvers())
}

#[test]
fn custom_rules_admit_what_the_lambda_authorizer_admitted_and_nobody_else() {
    let schema = a::schema([("Doc", a::model([("t", a::string())]).authorization(|allow| [allow.custom()]))]);
    let h = harness_with(schema, every_mode());
    let lambda = caller("Lambda Authorization", json!({"resolverContext": {"user": "x"}}));
    let (r, tables) = h.run(vec![
        call(&lambda, "Mutation.createDoc", json!({"input": {"id": "d1", "t": "by lambda"}})),
        call(&lambda, "Query.getDoc", json!({"id": "d1"})),
        call(&user("alice", &[]), "Query.getDoc", json!({"id": "d1"})),
        call(&api_key(), "Mutation.deleteDoc", json!({"input": {"id": "d1"}})),
    ]);
    assert_eq!(r[0]["data"]["t"], "by lambda");
    assert_eq!(r[1]["data"]["id"], "d1");
    assert_eq!(error_type(&r[2]), Some("Unauthorized"));
    assert_eq!(error_type(&r[3]), Some("Unauthorized"));
    assert_eq!(tables["Doc"].as_array().unwrap().len(), 1);
}

#[test]
fn identity_pool_and_oidc_providers_admit_their_own_callers_only() {
    use amplify_backend::data::Operation::*;
    let schema = a::schema([
        (
            "Note",
            a::model([("t", a::string())]).authorization(|allow| {
                [allow.authenticated().provider(Provider::IdentityPool), allow.guest().to([Read])]
            }),
        ),
        (
            "Ticket",
            a::model([("t", a::string())]).authorization(|allow| {
                [
                    allow.owner().provider(Provider::Oidc),
                    allow.groups(["Support"]).provider(Provider::Oidc).with_claim_in("roles"),
                ]
            }),
        ),
    ]);
    let h = harness_with(schema, every_mode());
    let oidc = |sub: &str, roles: &[&str]| {
        caller(
            "Open ID Connect Authorization",
            json!({"sub": sub, "claims": {"sub": sub, "username": sub, "roles": roles}}),
        )
    };
    let (r, _) = h.run(vec![
        call(&identity_pool("authenticated"), "Mutation.createNote", json!({"input": {"id": "n1", "t": "x"}})),
        call(&identity_pool("unauthenticated"), "Query.getNote", json!({"id": "n1"})),
        call(&identity_pool("unauthenticated"), "Mutation.updateNote", json!({"input": {"id": "n1", "t": "y"}})),
        call(&user("alice", &[]), "Query.getNote", json!({"id": "n1"})),
        call(&oidc("o-1", &[]), "Mutation.createTicket", json!({"input": {"id": "t1", "t": "help"}})),
        call(&oidc("o-2", &[]), "Query.getTicket", json!({"id": "t1"})),
        call(&oidc("o-3", &["Support"]), "Query.getTicket", json!({"id": "t1"})),
        call(&user("o-1", &["Support"]), "Query.getTicket", json!({"id": "t1"})),
    ]);
    assert_eq!(r[0]["data"]["t"], "x");
    assert_eq!(r[1]["data"]["id"], "n1", "guests may read");
    assert_eq!(error_type(&r[2]), Some("Unauthorized"), "guests may not write");
    assert_eq!(error_type(&r[3]), Some("Unauthorized"), "user pool tokens are not identity-pool credentials");
    assert_eq!(r[4]["data"]["owner"], "o-1::o-1", "the OIDC subject owns what it creates");
    assert_eq!(error_type(&r[5]), Some("Unauthorized"));
    assert_eq!(r[6]["data"]["id"], "t1", "the group comes from the rule's claim");
    assert_eq!(error_type(&r[7]), Some("Unauthorized"), "an OIDC rule ignores user pool tokens");
}

#[test]
fn listen_only_rules_allow_subscribing_and_nothing_else() {
    use amplify_backend::data::Operation::*;
    let schema = a::schema([(
        "Alert",
        a::model([("t", a::string())]).authorization(|allow| [allow.owner(), allow.authenticated().to([Listen])]),
    )]);
    let h = harness_with(schema, every_mode());
    let bob = user("bob", &[]);
    let mut sub = call(&bob, "Subscription.onCreateAlert", json!({}));
    sub["deliver"] = json!([{"id": "a1", "owner": "sub-alice::alice"}]);
    let (r, _) = h.run(vec![
        call(&user("alice", &[]), "Mutation.createAlert", json!({"input": {"id": "a1", "t": "fire"}})),
        sub,
        call(&bob, "Query.getAlert", json!({"id": "a1"})),
        call(&bob, "Query.listAlerts", json!({})),
    ]);
    assert_eq!(r[1]["delivered"], json!([true]), "listen lets bob hear about every alert");
    assert_eq!(error_type(&r[2]), Some("Unauthorized"));
    assert_eq!(r[3]["data"]["items"], json!([]), "but not read them");
}

#[test]
fn owners_listed_in_a_field_can_narrow_subscriptions_to_themselves() {
    let bob = user("bob", &[]);
    let shared = json!({"id": "p1", "owner": "sub-alice::alice", "editors": ["sub-carol::carol", "sub-bob::bob"]});
    let other = json!({"id": "p2", "owner": "sub-alice::alice", "editors": ["sub-carol::carol"]});
    let mut mine = call(&bob, "Subscription.onUpdatePost", json!({"editors": "sub-bob::bob"}));
    mine["deliver"] = json!([shared, other]);
    let mut not_mine = call(&bob, "Subscription.onUpdatePost", json!({"editors": "sub-carol::carol"}));
    not_mine["deliver"] = json!([shared]);
    let (r, _) = blog().run(vec![mine, not_mine]);
    assert_eq!(r[0]["delivered"], json!([true, false]));
    assert_eq!(error_type(&r[1]), Some("Unauthorized"), "bob cannot listen as carol");
}

#[test]
fn composite_index_keys_follow_updates_and_partial_updates_are_refused() {
    let schema = a::schema([(
        "Task",
        a::model([
            ("project", a::string().required()),
            ("status", a::string()),
            ("due", a::date()),
            ("note", a::string()),
        ])
        .secondary_indexes(|index| [index("project").sort_keys(["status", "due"]).query_field("tasksByProject")]),
    )])
    .authorization(|allow| [allow.authenticated()]);
    let h = Harness::new(&compile(schema).resolvers());
    let u = user("u", &[]);
    let by_status =
        |s: &str| call(&u, "Query.tasksByProject", json!({"project": "p", "statusDue": {"beginsWith": {"status": s}}}));
    let ids = |r: &Value| -> Vec<String> {
        r["data"]["items"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap().to_string()).collect()
    };
    let (r, tables) = h.run(vec![
        call(
            &u,
            "Mutation.createTask",
            json!({"input": {"id": "t1", "project": "p", "status": "open", "due": "2024-05-01"}}),
        ),
        call(
            &u,
            "Mutation.createTask",
            json!({"input": {"id": "t2", "project": "p", "status": null, "due": "2024-05-02"}}),
        ),
        call(&u, "Mutation.updateTask", json!({"input": {"id": "t1", "status": "done"}})),
        call(&u, "Mutation.updateTask", json!({"input": {"id": "t1", "status": "done", "due": "2024-06-01"}})),
        by_status("open"),
        by_status("done"),
        call(&u, "Mutation.updateTask", json!({"input": {"id": "t1", "note": "unrelated"}})),
        call(&u, "Mutation.updateTask", json!({"input": {"id": "t1", "status": null, "due": null}})),
        by_status("done"),
    ]);
    assert_eq!(error_type(&r[2]), Some("InvalidArgumentsError"), "{}", r[2]);
    assert!(r[2]["error"]["message"].as_str().unwrap().contains("Missing: due"), "{}", r[2]);
    assert_eq!(r[3]["data"]["status#due"], "done#2024-06-01");
    assert_eq!(ids(&r[4]), Vec::<String>::new());
    assert_eq!(ids(&r[5]), ["t1"]);
    assert!(r[6]["error"].is_null(), "updates that leave the index alone need no key parts");
    assert_eq!(ids(&r[8]), Vec::<String>::new(), "clearing a part takes the item out of the index");
    let t2 = tables["Task"].as_array().unwrap().iter().find(|t| t["id"] == "t2").unwrap().clone();
    assert!(t2.get("status").is_none() && t2.get("status#due").is_none(), "nulls are not stored: {t2}");
}

#[test]
fn many_to_many_links_resolve_from_both_sides() {
    let schema = post_tags();
    let h = Harness::new(&compile(schema).resolvers());
    let alice = user("alice", &[]);
    let with_source = |field: &str, source: Value| {
        let mut s = call(&alice, field, json!({}));
        s["source"] = source;
        s
    };
    let (r, _) = h.run(vec![
        call(&alice, "Mutation.createPost", json!({"input": {"id": "p1", "title": "hello"}})),
        call(&alice, "Mutation.createTag", json!({"input": {"id": "rust", "label": "Rust"}})),
        call(&alice, "Mutation.createTag", json!({"input": {"id": "aws", "label": "AWS"}})),
        call(&alice, "Mutation.createPostTag", json!({"input": {"id": "l1", "postId": "p1", "tagId": "rust"}})),
        call(&alice, "Mutation.createPostTag", json!({"input": {"id": "l2", "postId": "p1", "tagId": "aws"}})),
        with_source("Post.tags", json!({"id": "p1"})),
        with_source("Tag.posts", json!({"id": "rust"})),
        with_source("PostTag.tag", json!({"id": "l2", "tagId": "aws"})),
        with_source("PostTag.post", json!({"id": "l1", "postId": "p1"})),
    ]);
    let mut tags: Vec<&str> =
        r[5]["data"]["items"].as_array().unwrap().iter().map(|l| l["tagId"].as_str().unwrap()).collect();
    tags.sort();
    assert_eq!(tags, ["aws", "rust"]);
    assert_eq!(r[5]["requests"][0]["index"], "gsi-Post.tags");
    assert_eq!(r[6]["data"]["items"][0]["postId"], "p1");
    assert_eq!(r[6]["requests"][0]["index"], "gsi-Tag.posts");
    assert_eq!(r[7]["data"]["label"], "AWS");
    assert_eq!(r[8]["data"]["title"], "hello");
}

#[test]
fn custom_handlers_run_their_code_on_the_data_source_they_name() {
    let handler = "export function request(ctx) { return { operation: 'GetItem', key: util.dynamodb.toMapValues({ id: ctx.args.id }) }; }\n\
                   export function response(ctx) { return ctx.result ? ctx.result.name : null; }";
    let schema = chat_schema().add(
        "chatName",
        a::query()
            .arguments([("id", a::id().required())])
            .returns(a::string())
            .handler(a::handler::custom_inline(handler).data_source(a::ref_("Chat")))
            .authorization(|allow| [allow.groups(["Admin"])]),
    );
    let h = Harness::new(&compile(schema).resolvers());
    let (r, _) = h.run(vec![
        json!({"seed": {"table": "Chat", "item": {"id": "c1", "name": "general", "owner": "sub-x::x"}}}),
        call(&user("root", &["Admin"]), "Query.chatName", json!({"id": "c1"})),
        call(&user("alice", &[]), "Query.chatName", json!({"id": "c1"})),
    ]);
    assert_eq!(r[1]["data"], "general");
    assert_eq!(r[1]["requests"][0]["operation"], "GetItem");
    assert_eq!(error_type(&r[2]), Some("Unauthorized"));
}

#[test]
fn has_one_fields_and_js_file_handlers_read_through_the_relationship_index() {
    let file = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/js/fixtures/profile_bio.js");
    let schema = rich_schema().add(
        "authorBio",
        a::query()
            .arguments([("authorId", a::id().required())])
            .returns(a::string())
            .handler(a::handler::custom(file).data_source(a::ref_("Profile")))
            .authorization(|allow| [allow.authenticated()]),
    );
    let h = Harness::new(&compile_with(schema, rich_modes()).resolvers());
    let alice = user("alice", &[]);
    let profile_of = |id: &str| {
        let mut s = call(&alice, "Author.profile", json!({}));
        s["source"] = json!({"id": id});
        s
    };
    let (r, _) = h.run(vec![
        call(&alice, "Mutation.createAuthor", json!({"input": {"id": "a1", "name": "Alice"}})),
        call(&alice, "Mutation.createProfile", json!({"input": {"id": "p1", "bio": "writes Rust", "authorId": "a1"}})),
        profile_of("a1"),
        profile_of("a2"),
        call(&alice, "Query.authorBio", json!({"authorId": "a1"})),
        call(&api_key(), "Query.authorBio", json!({"authorId": "a1"})),
    ]);
    assert_eq!(r[2]["data"]["bio"], "writes Rust", "has_one resolves to the one child");
    assert_eq!(r[2]["requests"][0]["index"], "gsi-Author.profile");
    assert!(r[3]["data"].is_null() && r[3]["error"].is_null(), "no child is null: {}", r[3]);
    assert_eq!(r[4]["data"], "writes Rust", "the file's code ran on the Profile table");
    assert_eq!(error_type(&r[5]), Some("Unauthorized"));
}

#[test]
fn number_and_date_keys_store_and_query_by_their_parts() {
    let h = Harness::new(&compile_with(rich_schema(), rich_modes()).resolvers());
    let u = user("u", &[]);
    let event = |day: &str, room: &str, slot: i64| {
        call(&u, "Mutation.createEvent", json!({"input": {"day": day, "room": room, "slot": slot}}))
    };
    let (r, tables) = h.run(vec![
        event("2024-05-01", "A", 1),
        event("2024-05-01", "A", 2),
        event("2024-05-01", "B", 1),
        event("2024-05-02", "A", 1),
        call(&u, "Query.getEvent", json!({"day": "2024-05-01", "room": "A", "slot": 2})),
        call(&u, "Query.listEvents", json!({"day": "2024-05-01", "roomSlot": {"beginsWith": {"room": "A"}}})),
        call(&u, "Mutation.updateEvent", json!({"input": {"day": "2024-05-01", "room": "B", "slot": 1}})),
    ]);
    assert_eq!(r[4]["data"]["slot"], 2);
    let slots: Vec<i64> =
        r[5]["data"]["items"].as_array().unwrap().iter().map(|i| i["slot"].as_i64().unwrap()).collect();
    assert_eq!(slots, [1, 2]);
    assert!(r[6]["error"].is_null(), "{}", r[6]);
    let stored = &tables["Event"].as_array().unwrap()[0];
    assert_eq!(stored["room#slot"], "A#1", "the composite sort key joins its parts");
    assert_eq!(stored["slot"], 1, "the parts stay as typed");
}

#[test]
fn fields_with_other_rules_than_their_model_answer_null_under_a_mutation_result() {
    use amplify_backend::data::Operation::*;
    // Every signed-in user reads posts (and hears of them); comments are their owners'.
    let schema = a::schema([
        (
            "Post",
            a::model([("title", a::string()), ("comments", a::has_many("Comment", "postId"))])
                .authorization(|allow| [allow.owner(), allow.authenticated().to([Read])]),
        ),
        (
            "Comment",
            a::model([("text", a::string()), ("postId", a::id()), ("post", a::belongs_to("Post", "postId"))])
                .authorization(|allow| [allow.owner()]),
        ),
    ]);
    let h = Harness::new(&compile(schema).resolvers());
    let alice = user("alice", &[]);
    let field = |caller: &Value, name: &str, source: Value| {
        let mut s = call(caller, name, json!({}));
        s["source"] = source;
        s
    };
    let (r, _) = h.run(vec![
        call(&alice, "Mutation.createPost", json!({"input": {"id": "p1", "title": "hi"}})),
        call(&alice, "Mutation.createComment", json!({"input": {"id": "c1", "postId": "p1", "text": "mine"}})),
        field(&alice, "Post.comments", json!({"id": "p1", "__operation": "Mutation"})),
        field(&alice, "Post.comments", json!({"id": "p1"})),
        field(&alice, "Comment.post", json!({"id": "c1", "postId": "p1", "__operation": "Mutation"})),
    ]);
    assert_eq!(r[0]["data"]["__operation"], "Mutation", "mutation results are marked");
    assert_eq!(r[2]["data"], json!({"items": [], "nextToken": null}), "a post's subscribers must not see comments");
    assert!(r[2]["requests"].as_array().unwrap().is_empty(), "nothing is read for a redacted field");
    assert_eq!(r[3]["data"]["items"][0]["id"], "c1", "a query reads the comments as usual");
    assert!(r[4]["data"].is_null() && r[4]["error"].is_null(), "{}", r[4]);

    // Same rules on both sides (the chat): nothing to redact.
    let (r, _) = chat_harness().run(vec![
        call(&alice, "Mutation.createMessage", json!({"input": {"id": "m1", "chatId": "c1", "text": "hi"}})),
        field(&alice, "Chat.messages", json!({"id": "c1", "__operation": "Mutation"})),
    ]);
    assert_eq!(r[1]["data"]["items"][0]["id"], "m1");

    // A field with its own rules: null under a mutation, its value under a query.
    let source = json!({"id": "p1", "owner": "sub-alice::alice", "secret": "s"});
    let mut marked = source.clone();
    marked["__operation"] = json!("Mutation");
    let (r, _) = blog().run(vec![field(&alice, "Post.secret", marked), field(&alice, "Post.secret", source)]);
    assert!(r[0]["data"].is_null() && r[0]["error"].is_null(), "{}", r[0]);
    assert_eq!(r[1]["data"], "s");
    // A required field keeps its value: GraphQL would drop the whole result for a null.
    let schema = a::schema([(
        "Card",
        a::model([("pin", a::string().required().authorization(|allow| [allow.owner()]))])
            .authorization(|allow| [allow.owner(), allow.authenticated().to([Read])]),
    )]);
    let plan = compile(schema).resolvers();
    assert!(!plan.resolver("Card", "pin").unwrap().code.contains("__operation"));
}
