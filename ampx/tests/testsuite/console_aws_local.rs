//! `ampx console`'s AWS implementation judged over real protocols: the
//! sandbox console is pointed (endpoint overrides and the CA to trust) at a
//! local backend, which speaks Cognito's user pool protocol with SRP, the
//! identity pool protocol, AppSync's HTTP and realtime protocols, and
//! verifies SigV4 against the credentials it issued. Nothing is served by
//! the console's own local code: every call goes over HTTPS as it would to
//! AWS.

use std::sync::Arc;
use std::time::Duration;

use amplify_backend::auth::{define_auth, AuthProps, LoginWith};
use amplify_backend::data::{a, define_data, AuthorizationModes, DataProps, Operation, Provider};
use amplify_backend::{Backend, BackendIdentifier};
use ampx::aws::Aws;
use ampx::console::{Reach, SandboxConsole};
use ampx_console::Console;
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_credential_types::Credentials;
use aws_smithy_types::base64;
use futures_util::{SinkExt as _, StreamExt as _};
use local::backend::{LocalBackend, Options};
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;
use tokio_tungstenite::tungstenite::Message;

const PASSWORD: &str = "Passw0rd!Passw0rd";
const CREATE_NOTE: &str = "mutation C($input: CreateNoteInput!) { createNote(input: $input) { id text owner } }";
const LIST_NOTES: &str = "query { listNotes { items { text owner } } }";
const CREATE_NOTICE: &str = "mutation C($input: CreateNoticeInput!) { createNotice(input: $input) { id text } }";
const CREATE_BULLETIN: &str = "mutation C($input: CreateBulletinInput!) { createBulletin(input: $input) { id text } }";
const LIST_NOTICES: &str = "query { listNotices { items { text } } }";

/// A local backend (notes: owner and `Moderators` rules; notices: guests
/// read, identity pool users write; bulletins: the API key reads) and the
/// sandbox console pointed at it.
struct Sandbox {
    _backend: Arc<LocalBackend>,
    outputs: Value,
    reach: Reach,
    aws: Aws,
    console: Console,
    _dirs: (tempfile::TempDir, tempfile::TempDir),
}

/// Synthesizes the backend into `dir`: email sign-in, a `Moderators` group,
/// and the data API with user pool, IAM and API key modes.
fn synth(dir: &std::path::Path) {
    let schema = a::schema([
        ("Note", a::model([("text", a::string())]).authorization(|allow| [allow.owner(), allow.group("Moderators")])),
        (
            "Notice",
            a::model([("text", a::string())]).authorization(|allow| {
                [allow.guest().to([Operation::Read]), allow.authenticated().provider(Provider::IdentityPool)]
            }),
        ),
        (
            "Bulletin",
            a::model([("text", a::string())])
                .authorization(|allow| [allow.public_api_key().to([Operation::Read]), allow.owner()]),
        ),
    ]);
    let context = json!({"amplify-backend-type": "sandbox", "amplify-backend-namespace": "console",
        "amplify-backend-name": "test"});
    let app = constructs::App::with_props(constructs::AppProps {
        outdir: Some(dir.to_path_buf()),
        context: serde_json::from_value(context).unwrap(),
        ..Default::default()
    });
    let modes =
        AuthorizationModes { api_key_authorization_mode: Some(Default::default()), ..AuthorizationModes::user_pool() };
    let auth = define_auth(AuthProps {
        login_with: LoginWith { email: Some(Default::default()), ..Default::default() },
        groups: vec!["Moderators".into()],
        ..Default::default()
    });
    let data = define_data(DataProps { schema, authorization_modes: modes, ..Default::default() });
    if let Err(e) = Backend::build(app, (auth, data)).synth() {
        panic!("the test backend does not synthesize: {e}");
    }
}

async fn sandbox(renew_before: Duration) -> Sandbox {
    let project = tempfile::tempdir().unwrap();
    let assembly = project.path().join("cdk.out");
    synth(&assembly);
    let data = tempfile::tempdir().unwrap();
    let backend = Arc::new(LocalBackend::start(Options::new(&assembly, data.path())).await.unwrap());
    let outputs =
        ampx::dev::local_outputs(&backend, &BackendIdentifier::sandbox("console", "test"), &assembly).unwrap();
    // The developer's own credentials: the local backend's administrator.
    let admin = backend.identity_pools().admin_credentials("developer").unwrap();
    let credentials =
        Credentials::new(admin.access_key_id, admin.secret_access_key, Some(admin.session_token), None, "local");
    let config = aws_config::SdkConfig::builder()
        .region(aws_config::Region::new("us-east-1"))
        .credentials_provider(SharedCredentialsProvider::new(credentials))
        .behavior_version(aws_config::BehaviorVersion::latest())
        .build();
    let aws = Aws::from_config(&config).unwrap();
    let reach = Reach {
        cognito_idp: Some(backend.user_pool_endpoint()),
        cognito_identity: Some(backend.identity_pool_endpoint()),
        extra_ca_pem: Some(std::fs::read(backend.ca_cert_path()).unwrap()),
    };
    let console = serve(&aws, &outputs, &reach, renew_before).await;
    Sandbox { _backend: backend, outputs, reach, aws, console, _dirs: (project, data) }
}

async fn serve(aws: &Aws, outputs: &Value, reach: &Reach, renew_before: Duration) -> Console {
    let backend =
        SandboxConsole::with_reach(aws.clone(), outputs.clone(), vec![], reach.clone(), renew_before).unwrap();
    let console = Console::serve(Arc::new(backend), 0).await.unwrap();
    console.set_outputs(outputs.clone());
    console
}

/// `method path` on `console` with its token and a JSON body (`Null`: none).
async fn api(console: &Console, method: &'static str, path: &str, body: Value) -> (u16, Value) {
    let url = format!("{}{path}", console.origin());
    let token = console.token().to_string();
    tokio::task::spawn_blocking(move || {
        let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
        let response = match (method, body.is_null()) {
            ("GET", _) => agent.get(&url).header("x-console-token", &token).call(),
            ("POST", true) => agent.post(&url).header("x-console-token", &token).send_empty(),
            ("POST", false) => agent
                .post(&url)
                .header("x-console-token", &token)
                .header("content-type", "application/json")
                .send(body.to_string().as_bytes()),
            (other, _) => panic!("no method {other}"),
        };
        let mut response = response.unwrap_or_else(|e| panic!("{url}: {e}"));
        let bytes = response.body_mut().read_to_vec().unwrap();
        (response.status().as_u16(), serde_json::from_slice(&bytes).unwrap_or(Value::Null))
    })
    .await
    .unwrap()
}

async fn graphql(console: &Console, query: &str, variables: Value, identity: &Value) -> Value {
    let body = json!({"query": query, "variables": variables, "identity": identity});
    let (status, answer) = api(console, "POST", "/api/graphql", body).await;
    assert_eq!(status, 200, "{answer}");
    answer
}

/// Creates a user through the console; answers the pool's username.
async fn create_user(console: &Console, email: &str, confirmed: bool) -> String {
    let body = json!({"username": email, "password": PASSWORD, "confirmed": confirmed});
    let (status, made) = api(console, "POST", "/api/users", body).await;
    assert_eq!(status, 200, "{made}");
    made["Username"].as_str().unwrap().to_string()
}

async fn sign_in(console: &Console, username: &str, body: Value) -> (u16, Value) {
    api(console, "POST", &format!("/api/users/{username}/sign-in-as"), body).await
}

/// A JWT's claims.
fn claims(token: &str) -> Value {
    let payload = token.split('.').nth(1).unwrap();
    let mut padded = payload.replace('-', "+").replace('_', "/");
    while !padded.len().is_multiple_of(4) {
        padded.push('=');
    }
    serde_json::from_slice(&base64::decode(&padded).unwrap()).unwrap()
}

fn texts(answer: &Value, list: &str) -> Vec<String> {
    let mut texts: Vec<String> = answer["data"][list]["items"]
        .as_array()
        .unwrap_or_else(|| panic!("{answer}"))
        .iter()
        .map(|i| i["text"].as_str().unwrap_or_default().to_string())
        .collect();
    texts.sort();
    texts
}

fn refused(answer: &Value) -> bool {
    answer["errors"][0]["errorType"].as_str().unwrap_or_default().starts_with("Unauthorized")
}

#[tokio::test(flavor = "multi_thread")]
async fn sign_in_as_is_a_real_srp_sign_in_and_the_users_tokens_carry_their_rules() {
    let s = sandbox(Duration::from_secs(300)).await;
    let (_, config) = api(&s.console, "GET", "/api/config", Value::Null).await;
    assert_eq!((config["signInAs"].as_bool(), config["signInNeedsPassword"].as_bool()), (Some(true), Some(true)));

    let ann = create_user(&s.console, "ann@example.com", true).await;
    let bob = create_user(&s.console, "bob@example.com", true).await;
    let (status, _) =
        api(&s.console, "POST", &format!("/api/users/{bob}/add-to-group"), json!({"group": "Moderators"})).await;
    assert_eq!(status, 200);

    // The console set their passwords, so it signs in with them unasked.
    let (status, ann_in) = sign_in(&s.console, &ann, Value::Null).await;
    assert_eq!(status, 200, "{ann_in}");
    let (status, bob_in) = sign_in(&s.console, &bob, Value::Null).await;
    assert_eq!(status, 200, "{bob_in}");
    let ann_claims = claims(ann_in["tokens"]["IdToken"].as_str().unwrap());
    assert_eq!(ann_claims["email"], "ann@example.com");
    assert_eq!(ann_claims["aud"], s.outputs["auth"]["user_pool_client_id"], "the outputs' app client signed in");
    assert_eq!(claims(bob_in["tokens"]["AccessToken"].as_str().unwrap())["cognito:groups"], json!(["Moderators"]));
    assert!(ann_in["tokens"]["RefreshToken"].is_string());

    // The user pool checks the password: SRP with a wrong one is refused.
    let (status, wrong) = sign_in(&s.console, &ann, json!({"password": "Wrong!Passw0rd1"})).await;
    assert_eq!((status, wrong["error"]["type"].as_str()), (400, Some("NotAuthorizedException")), "{wrong}");

    // The owner rule sees each user's own notes; the group's member sees all.
    let as_ann = json!({"type": "userPool", "token": ann_in["tokens"]["AccessToken"]});
    let as_bob = json!({"type": "userPool", "token": bob_in["tokens"]["AccessToken"]});
    let made = graphql(&s.console, CREATE_NOTE, json!({"input": {"text": "ann's"}}), &as_ann).await;
    assert!(made["data"]["createNote"]["owner"].as_str().unwrap_or_default().contains(&ann), "{made}");
    let carl = create_user(&s.console, "carl@example.com", true).await;
    let (_, carl_in) = sign_in(&s.console, &carl, Value::Null).await;
    let as_carl = json!({"type": "userPool", "token": carl_in["tokens"]["AccessToken"]});
    graphql(&s.console, CREATE_NOTE, json!({"input": {"text": "carl's"}}), &as_carl).await;
    assert_eq!(texts(&graphql(&s.console, LIST_NOTES, json!({}), &as_ann).await, "listNotes"), ["ann's"]);
    assert_eq!(texts(&graphql(&s.console, LIST_NOTES, json!({}), &as_carl).await, "listNotes"), ["carl's"]);
    assert_eq!(texts(&graphql(&s.console, LIST_NOTES, json!({}), &as_bob).await, "listNotes"), ["ann's", "carl's"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_password_the_console_did_not_set_is_asked_for_and_a_temporary_one_needs_a_new_one() {
    let s = sandbox(Duration::from_secs(300)).await;
    let dan = create_user(&s.console, "dan@example.com", true).await;
    let eve = create_user(&s.console, "eve@example.com", false).await;

    // Another console (a new run) knows no password.
    let fresh = serve(&s.aws, &s.outputs, &s.reach, Duration::from_secs(300)).await;
    let (status, asked) = sign_in(&fresh, &dan, Value::Null).await;
    assert_eq!((status, asked["error"]["type"].as_str()), (400, Some("PasswordNeeded")), "{asked}");
    let (status, signed) = sign_in(&fresh, &dan, json!({"password": PASSWORD})).await;
    assert_eq!(status, 200, "{signed}");

    // Eve's password is temporary: Cognito's NEW_PASSWORD_REQUIRED.
    let (status, challenged) = sign_in(&s.console, &eve, Value::Null).await;
    assert_eq!((status, challenged["error"]["type"].as_str()), (409, Some("NewPasswordRequired")), "{challenged}");
    let new = "N3w!Passw0rd!Passw0rd";
    let (status, signed) = sign_in(&s.console, &eve, json!({"newPassword": new})).await;
    assert_eq!(status, 200, "{signed}");
    let (_, listed) = api(&s.console, "GET", "/api/users?filter=eve", Value::Null).await;
    assert_eq!(listed["users"][0]["UserStatus"], "CONFIRMED", "{listed}");
    // The new password is hers now: it signs in where the temporary one cannot.
    let (status, _) = sign_in(&fresh, &eve, json!({"password": PASSWORD})).await;
    assert_eq!(status, 400);
    let (status, again) = sign_in(&fresh, &eve, json!({"password": new})).await;
    assert_eq!(status, 200, "{again}");
}

#[tokio::test(flavor = "multi_thread")]
async fn expiring_tokens_are_renewed_with_the_refresh_token() {
    // Renewing whenever less than a day is left: every request renews.
    let s = sandbox(Duration::from_secs(86_400)).await;
    let ann = create_user(&s.console, "ann@example.com", true).await;
    let (_, ann_in) = sign_in(&s.console, &ann, Value::Null).await;
    let as_ann = json!({"type": "userPool", "token": ann_in["tokens"]["AccessToken"]});
    let made = graphql(&s.console, CREATE_NOTE, json!({"input": {"text": "renewed"}}), &as_ann).await;
    assert!(made.get("errors").is_none(), "{made}");
    assert_eq!(texts(&graphql(&s.console, LIST_NOTES, json!({}), &as_ann).await, "listNotes"), ["renewed"]);

    // Signed out everywhere, the refresh token is revoked: renewal fails, and says so.
    let (status, _) = api(&s.console, "POST", &format!("/api/users/{ann}/sign-out"), Value::Null).await;
    assert_eq!(status, 200);
    let body = json!({"query": LIST_NOTES, "variables": {}, "identity": as_ann});
    let (status, answer) = api(&s.console, "POST", "/api/graphql", body).await;
    assert_eq!((status, answer["error"]["type"].as_str()), (400, Some("NotAuthorizedException")), "{answer}");
    assert!(answer["error"]["message"].as_str().unwrap_or_default().contains("could not be renewed"), "{answer}");
}

#[tokio::test(flavor = "multi_thread")]
async fn guests_and_users_act_with_identity_pool_credentials_signed_with_sigv4() {
    let s = sandbox(Duration::from_secs(300)).await;
    let guest = json!({"type": "iam"});
    let ann = create_user(&s.console, "ann@example.com", true).await;
    let (_, ann_in) = sign_in(&s.console, &ann, Value::Null).await;
    let ann_iam = json!({"type": "iam", "idToken": ann_in["tokens"]["IdToken"]});

    // A guest may read notices, not write them; a signed-in identity may.
    let by_guest = graphql(&s.console, CREATE_NOTICE, json!({"input": {"text": "by a guest"}}), &guest).await;
    assert!(refused(&by_guest), "{by_guest}");
    let by_ann = graphql(&s.console, CREATE_NOTICE, json!({"input": {"text": "by ann"}}), &ann_iam).await;
    assert!(by_ann.get("errors").is_none(), "{by_ann}");
    assert_eq!(texts(&graphql(&s.console, LIST_NOTICES, json!({}), &guest).await, "listNotices"), ["by ann"]);
    let notes = graphql(&s.console, LIST_NOTES, json!({}), &guest).await;
    assert!(refused(&notes), "guests have no rule on notes: {notes}");
    // The developer's own credentials are the admin's: every rule yields.
    let admin = json!({"type": "admin"});
    let by_admin = graphql(&s.console, CREATE_NOTICE, json!({"input": {"text": "by the admin"}}), &admin).await;
    assert!(by_admin.get("errors").is_none(), "{by_admin}");
}

/// The console's realtime socket as `identity`, acknowledged.
async fn realtime(console: &Console, identity: &Value) -> Socket {
    let encoded: String = url::form_urlencoded::byte_serialize(identity.to_string().as_bytes()).collect();
    let url = format!("ws://{}/api/realtime?identity={encoded}", console.addr());
    let mut request = url.into_client_request().unwrap();
    request.headers_mut().insert("sec-websocket-protocol", "graphql-ws".parse().unwrap());
    request.headers_mut().insert("x-console-token", console.token().parse().unwrap());
    let tcp = tokio::net::TcpStream::connect(console.addr()).await.unwrap();
    let (mut socket, _) = tokio_tungstenite::client_async(request, tcp).await.expect("the console upgrades");
    socket.send(Message::Text(json!({"type": "connection_init"}).to_string().into())).await.unwrap();
    let ack = read(&mut socket).await;
    assert_eq!(ack["type"], "connection_ack", "{ack}");
    socket
}

type Socket = tokio_tungstenite::WebSocketStream<tokio::net::TcpStream>;

/// The next message other than a keep-alive, or `None` within `wait`.
async fn next(socket: &mut Socket, wait: Duration) -> Option<Value> {
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        let m = tokio::time::timeout_at(deadline, socket.next()).await.ok()?.expect("open").expect("a message");
        if let Message::Text(t) = m {
            let v: Value = serde_json::from_str(&t).unwrap();
            if v["type"] != "ka" {
                return Some(v);
            }
        }
    }
}

async fn read(socket: &mut Socket) -> Value {
    next(socket, Duration::from_secs(10)).await.expect("a message within 10 s")
}

/// A `start` as the page sends it for a user pool or guest: no
/// `authorization`, which the console adds for the chosen identity.
async fn subscribe(socket: &mut Socket, query: &str) -> Value {
    let data = json!({"query": query, "variables": {}}).to_string();
    let start = json!({"id": "1", "type": "start", "payload": {"data": data}});
    socket.send(Message::Text(start.to_string().into())).await.unwrap();
    read(socket).await
}

#[tokio::test(flavor = "multi_thread")]
async fn subscriptions_are_relayed_to_the_realtime_endpoint_as_the_chosen_identity() {
    let s = sandbox(Duration::from_secs(300)).await;
    let ann = create_user(&s.console, "ann@example.com", true).await;
    let carl = create_user(&s.console, "carl@example.com", true).await;
    let (_, ann_in) = sign_in(&s.console, &ann, Value::Null).await;
    let (_, carl_in) = sign_in(&s.console, &carl, Value::Null).await;
    let as_ann = json!({"type": "userPool", "token": ann_in["tokens"]["AccessToken"]});
    let as_carl = json!({"type": "userPool", "token": carl_in["tokens"]["AccessToken"]});
    let guest = json!({"type": "iam"});

    // Ann's subscription, owner-filtered: her notes reach her, Carl's do not.
    let mut ann_socket = realtime(&s.console, &as_ann).await;
    let started = subscribe(&mut ann_socket, "subscription { onCreateNote { text } }").await;
    assert_eq!(started["type"], "start_ack", "{started}");
    graphql(&s.console, CREATE_NOTE, json!({"input": {"text": "carl's"}}), &as_carl).await;
    graphql(&s.console, CREATE_NOTE, json!({"input": {"text": "ann's"}}), &as_ann).await;
    let got = read(&mut ann_socket).await;
    assert_eq!(got["payload"]["data"]["onCreateNote"]["text"], "ann's", "only her own: {got}");

    // A guest's (IAM: the handshake and the start signed by the console).
    let mut guest_socket = realtime(&s.console, &guest).await;
    let started = subscribe(&mut guest_socket, "subscription { onCreateNotice { text } }").await;
    assert_eq!(started["type"], "start_ack", "{started}");
    let ann_iam = json!({"type": "iam", "idToken": ann_in["tokens"]["IdToken"]});
    graphql(&s.console, CREATE_NOTICE, json!({"input": {"text": "live"}}), &ann_iam).await;
    let got = read(&mut guest_socket).await;
    assert_eq!(got["payload"]["data"]["onCreateNotice"]["text"], "live", "{got}");

    // The API key's (its `x-api-key` on the handshake and on the start).
    let api_key = json!({"type": "apiKey"});
    let mut key_socket = realtime(&s.console, &api_key).await;
    let started = subscribe(&mut key_socket, "subscription { onCreateBulletin { text } }").await;
    assert_eq!(started["type"], "start_ack", "{started}");
    let refused_write = graphql(&s.console, CREATE_BULLETIN, json!({"input": {"text": "by key"}}), &api_key).await;
    assert!(refused(&refused_write), "the key only reads: {refused_write}");
    graphql(&s.console, CREATE_BULLETIN, json!({"input": {"text": "posted"}}), &as_ann).await;
    let got = read(&mut key_socket).await;
    assert_eq!(got["payload"]["data"]["onCreateBulletin"]["text"], "posted", "{got}");
    let listed = graphql(&s.console, "query { listBulletins { items { text } } }", json!({}), &api_key).await;
    assert_eq!(texts(&listed, "listBulletins"), ["posted"]);

    // A guest may not subscribe to notes: the API's refusal reaches the page.
    let mut refused_socket = realtime(&s.console, &guest).await;
    let refusal = subscribe(&mut refused_socket, "subscription { onCreateNote { text } }").await;
    assert_eq!(refusal["type"], "error", "{refusal}");

    // Carl's socket never saw Ann's note.
    let mut carl_socket = realtime(&s.console, &as_carl).await;
    let started = subscribe(&mut carl_socket, "subscription { onCreateNote { text } }").await;
    assert_eq!(started["type"], "start_ack", "{started}");
    graphql(&s.console, CREATE_NOTE, json!({"input": {"text": "ann's second"}}), &as_ann).await;
    assert_eq!(next(&mut carl_socket, Duration::from_secs(2)).await, None, "Carl gets none of Ann's notes");
}
