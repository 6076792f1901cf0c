//! The generated APPSYNC_JS resolvers, run in Node against a fake AppSync runtime and
//! an in-memory DynamoDB (tests/js/appsync_harness.js): owner, group, public, guest
//! and field rules, each allowed and denied.

mod data_support;

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
            p.functions.iter().filter(|f| !f.name.contains("Step")).map(|f| (f.name.clone(), f.code.clone()));
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
