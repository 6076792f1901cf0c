//! DynamoDB's one-index-per-table-update rule, checked on templates an Amplify
//! backend really synthesizes (`ampx::index_updates`).

use amplify_backend::auth::{define_auth, AuthProps, LoginWith};
use amplify_backend::data::{a, define_data, DataProps};
use amplify_backend::Backend;
use ampx::index_updates::index_update_problems;
use constructs::{App, AppProps};
use serde_json::{json, Value};

fn app() -> App {
    App::with_props(AppProps {
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

/// The synthesized template of the `Message` model's stack, for a chat schema whose
/// `Message` has these secondary indexes.
fn message_template(indexes: &'static [(&'static str, &'static str)]) -> Value {
    let schema = a::schema([
        (
            "Chat",
            a::model([("name", a::string()), ("messages", a::has_many("Message", "chatId"))])
                .authorization(|allow| [allow.owner()]),
        ),
        (
            "Message",
            a::model([
                ("text", a::string()),
                ("kind", a::string()),
                ("sentAt", a::datetime()),
                ("chatId", a::id()),
                ("chat", a::belongs_to("Chat", "chatId")),
            ])
            .secondary_indexes(move |index| indexes.iter().map(|(name, pk)| index(pk).name(*name)).collect::<Vec<_>>())
            .authorization(|allow| [allow.owner()]),
        ),
    ]);
    let auth = define_auth(AuthProps { login_with: LoginWith::email(), ..Default::default() });
    let data = define_data(DataProps { schema, ..Default::default() });
    let backend = Backend::build(app(), (auth, data));
    let out = backend.app().synth_in_memory().unwrap_or_else(|e| panic!("{e}"));
    out.stacks.iter().find(|s| s.construct_path.ends_with("/Message")).expect("the Message stack").template.clone()
}

#[test]
fn index_changes_beyond_one_per_table_update_are_found_before_deploying() {
    let deployed = message_template(&[("byKind", "kind")]);
    // One index more (or fewer) per deployment is what DynamoDB allows.
    assert!(index_update_problems(&deployed, &message_template(&[("byKind", "kind"), ("bySent", "sentAt")])).is_empty());
    assert!(index_update_problems(&deployed, &message_template(&[])).is_empty());
    assert!(index_update_problems(&deployed, &deployed).is_empty());
    // Two at once, or a swap, is not.
    let two = index_update_problems(
        &deployed,
        &message_template(&[("byKind", "kind"), ("bySent", "sentAt"), ("byText", "text")]),
    );
    assert_eq!(two.len(), 1, "{two:?}");
    assert_eq!(two[0].created, ["bySent", "byText"]);
    assert!(two[0].path.as_deref().is_some_and(|p| p.contains("Message")), "{two:?}");
    let text = two[0].to_string();
    assert!(text.contains("create 2 and delete 0") && text.contains("one at a time"), "{text}");
    let swap = index_update_problems(&deployed, &message_template(&[("bySent", "sentAt")]));
    assert_eq!(
        (swap[0].created.clone(), swap[0].deleted.clone()),
        (vec!["bySent".to_string()], vec!["byKind".to_string()])
    );
    // Changing an index's key under the same name cannot be done in place at all.
    let rekeyed = index_update_problems(&deployed, &message_template(&[("byKind", "sentAt")]));
    assert_eq!(rekeyed[0].changed, ["byKind"]);
    assert!(rekeyed[0].to_string().contains("give the changed index a new name"), "{}", rekeyed[0]);
}
