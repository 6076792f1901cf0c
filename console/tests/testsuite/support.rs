//! A running local backend of the chat example with a `Moderators` group,
//! its console, and blocking HTTP calls to it (run off the async workers).

use std::sync::Arc;

use amplify_backend::auth::{define_auth, AuthProps, LoginWith, Triggers};
use ampx_console::{Console, LogBook};
use constructs::{App, AppProps};
use futures_util::{SinkExt as _, StreamExt as _};
use local::backend::{LocalBackend, Options};
use local::lambda::LogSink;
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;
use tokio_tungstenite::tungstenite::Message;

/// The chat backend with a group, synthesized into a temporary directory.
pub fn chat_with_group() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let context = json!({"amplify-backend-namespace": "console", "amplify-backend-name": "test", "amplify-backend-type": "sandbox"});
    let app = App::with_props(AppProps {
        outdir: Some(dir.path().to_path_buf()),
        context: serde_json::from_value(context).unwrap(),
        ..AppProps::default()
    });
    chat::backend_with_auth(app.clone(), |post_confirmation| {
        define_auth(AuthProps {
            login_with: LoginWith { email: Some(Default::default()), ..Default::default() },
            groups: vec!["Moderators".into()],
            triggers: Triggers { post_confirmation: Some(post_confirmation.clone()), ..Default::default() },
            ..Default::default()
        })
    });
    app.synth().expect("the backend synthesizes");
    dir
}

/// A backend and its console, with the directories they live in.
pub struct Running {
    pub backend: Arc<LocalBackend>,
    pub console: Console,
    _assembly: tempfile::TempDir,
    _data: tempfile::TempDir,
}

pub async fn start() -> Running {
    let assembly = chat_with_group();
    let data = tempfile::tempdir().unwrap();
    let logs = LogBook::default();
    let book = logs.clone();
    let options = Options {
        function_logs: Some(LogSink::new(move |l| {
            eprintln!("{l}");
            book.push(l);
        })),
        ..Options::new(assembly.path(), data.path())
    };
    let backend = Arc::new(LocalBackend::start(options).await.unwrap());
    let console = Console::start(backend.clone(), logs, 0).await.unwrap();
    Running { backend, console, _assembly: assembly, _data: data }
}

/// A request as the page sends it: the token in its header.
pub struct Call {
    pub method: &'static str,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<Vec<u8>>,
}

impl Running {
    /// `method path` with the token and a JSON body (`Value::Null`: none);
    /// answers the status and the JSON answer.
    pub async fn api(&self, method: &'static str, path: &str, body: Value) -> (u16, Value) {
        let headers = vec![("x-console-token".to_string(), self.console.token().to_string())];
        let body = (!body.is_null()).then(|| body.to_string().into_bytes());
        let (status, bytes) = self.send(Call { method, path: path.to_string(), headers, body }).await;
        (status, serde_json::from_slice(&bytes).unwrap_or_else(|_| json!(String::from_utf8_lossy(&bytes))))
    }

    /// Sends `call` as is; answers the status and the body.
    pub async fn send(&self, call: Call) -> (u16, Vec<u8>) {
        let url = format!("{}{}", self.console.origin(), call.path);
        tokio::task::spawn_blocking(move || {
            let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
            let with = |mut r: ureq::RequestBuilder<ureq::typestate::WithBody>| {
                for (k, v) in &call.headers {
                    r = r.header(k, v);
                }
                r
            };
            let without = |mut r: ureq::RequestBuilder<ureq::typestate::WithoutBody>| {
                for (k, v) in &call.headers {
                    r = r.header(k, v);
                }
                r
            };
            let body = call.body.clone().unwrap_or_default();
            let response = match call.method {
                "GET" => without(agent.get(&url)).call(),
                "DELETE" => without(agent.delete(&url)).call(),
                "POST" if call.body.is_none() => with(agent.post(&url)).send_empty(),
                "POST" => with(agent.post(&url)).header("content-type", "application/json").send(&body[..]),
                "PUT" => with(agent.put(&url)).send(&body[..]),
                other => panic!("no such method {other}"),
            };
            let mut response = response.unwrap_or_else(|e| panic!("{url}: {e}"));
            let status = response.status().as_u16();
            let bytes = response.body_mut().read_to_vec().unwrap();
            (status, bytes)
        })
        .await
        .unwrap()
    }

    /// A GraphQL request through the console as `identity`.
    pub async fn graphql(&self, query: &str, variables: Value, identity: Value) -> Value {
        let (status, body) = self
            .api("POST", "/api/graphql", json!({"query": query, "variables": variables, "identity": identity}))
            .await;
        assert_eq!(status, 200, "{body}");
        body
    }

    /// The console's realtime socket as `identity`, acknowledged.
    pub async fn realtime(&self, identity: &Value) -> Socket {
        let url = format!("ws://{}/api/realtime?identity={}", self.console.addr(), url_encode(&identity.to_string()));
        let mut request = url.into_client_request().unwrap();
        request.headers_mut().insert("sec-websocket-protocol", "graphql-ws".parse().unwrap());
        request.headers_mut().insert("x-console-token", self.console.token().parse().unwrap());
        let tcp = tokio::net::TcpStream::connect(self.console.addr()).await.unwrap();
        let (mut socket, _) = tokio_tungstenite::client_async(request, tcp).await.expect("the console upgrades");
        socket.send(Message::Text(json!({"type": "connection_init"}).to_string().into())).await.unwrap();
        let ack = read(&mut socket).await;
        assert_eq!(ack["type"], "connection_ack", "{ack}");
        socket
    }

    /// Creates a confirmed user and signs in as them; answers their access token.
    pub async fn user(&self, email: &str) -> String {
        let (status, made) = self
            .api("POST", "/api/users", json!({"username": email, "password": "Passw0rd!Passw0rd", "confirmed": true}))
            .await;
        assert_eq!(status, 200, "{made}");
        let username = made["Username"].as_str().unwrap().to_string();
        let (status, signed) = self.api("POST", &format!("/api/users/{username}/sign-in-as"), Value::Null).await;
        assert_eq!(status, 200, "{signed}");
        signed["tokens"]["AccessToken"].as_str().unwrap().to_string()
    }
}

pub type Socket = tokio_tungstenite::WebSocketStream<tokio::net::TcpStream>;

/// The next message other than a keep-alive.
pub async fn read(socket: &mut Socket) -> Value {
    loop {
        let m = tokio::time::timeout(std::time::Duration::from_secs(10), socket.next())
            .await
            .expect("a message within 10 s")
            .expect("the socket is open")
            .expect("a message");
        if let Message::Text(t) = m {
            let v: Value = serde_json::from_str(&t).unwrap();
            if v["type"] != "ka" {
                return v;
            }
        }
    }
}

pub fn url_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}
