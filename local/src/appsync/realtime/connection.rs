//! One realtime WebSocket connection: the handshake's auth, then
//! `connection_init`/`connection_ack`, keep-alives, and each subscription's
//! `start` (authorized with its own headers, its resolver run at once) to
//! `start_ack` and a place in the hub, `data` for each matching publish, and
//! `stop` to `complete`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_graphql::{Request, Variables};
use axum::extract::ws::{Message, WebSocket};
use futures_util::stream::SplitSink;
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

use super::protocol::{self, header_in, ClientMessage};
use super::shape::Shape;
use crate::appsync::api::{response_body, DataApi, GraphQlRequest};
use crate::appsync::executor::RequestData;
use crate::appsync::nulls::Caught;

/// How often the server sends `ka` once the connection is acknowledged.
const KEEP_ALIVE: Duration = Duration::from_secs(60);

/// The connection's outgoing queue; one writer task drains it to the socket.
#[derive(Clone)]
struct Outbox(mpsc::UnboundedSender<Message>);

impl Outbox {
    fn send(&self, v: Value) {
        self.text(v.to_string());
    }

    fn text(&self, text: String) {
        let _ = self.0.send(Message::Text(text.into()));
    }

    /// Closes the socket once what is queued is written.
    fn close(&self) {
        let _ = self.0.send(Message::Close(None));
    }
}

/// Writes queued messages, each batch of what is already waiting with one
/// flush (a fan-out queues many `data` messages at once).
async fn write(mut sink: SplitSink<WebSocket, Message>, mut queue: mpsc::UnboundedReceiver<Message>) {
    while let Some(first) = queue.recv().await {
        let mut next = Some(first);
        while let Some(message) = next {
            let close = matches!(message, Message::Close(_));
            if sink.feed(message).await.is_err() {
                return;
            }
            if close {
                let _ = sink.flush().await;
                return;
            }
            next = queue.try_recv().ok();
        }
        if sink.flush().await.is_err() {
            return;
        }
    }
}

/// Serves one upgraded socket. `handshake` holds the auth headers the client
/// sent with the upgrade (subprotocol or query string), if any.
pub async fn serve(api: DataApi, socket: WebSocket, handshake: Option<Value>) {
    let (sink, mut incoming) = socket.split();
    let (tx, rx) = mpsc::unbounded_channel();
    let writer = tokio::spawn(write(sink, rx));
    let out = Outbox(tx);
    let send = |v: Value| out.send(v);
    let mut subscriptions: HashMap<String, Running> = HashMap::new();
    let mut keep_alive: Option<JoinHandle<()>> = None;
    let mut retired = api.inner.retired.subscribe();
    loop {
        let next = tokio::select! {
            next = incoming.next() => next,
            // Replaced by a reload: close, and the client reconnects to the new API.
            _ = retired.wait_for(|r| *r) => break,
        };
        let Some(Ok(message)) = next else { break };
        let text = match message {
            Message::Text(t) => t.to_string(),
            Message::Close(_) => break,
            _ => continue,
        };
        let parsed: Result<ClientMessage, _> = serde_json::from_str(&text);
        match parsed {
            Ok(ClientMessage::ConnectionInit) => {
                let headers = handshake.clone().unwrap_or_else(|| json!({}));
                let lookup = |name: &str| header_in(&headers, name);
                if let Err(f) = api.inner.auth.authenticate(&lookup, b"{}") {
                    send(protocol::connection_error(f.error_type, &f.message, 401));
                    break;
                }
                send(protocol::connection_ack());
                send(protocol::keep_alive());
                if keep_alive.is_none() {
                    let out = out.clone();
                    keep_alive = Some(tokio::spawn(async move {
                        let mut tick = tokio::time::interval(KEEP_ALIVE);
                        tick.tick().await;
                        loop {
                            tick.tick().await;
                            out.send(protocol::keep_alive());
                        }
                    }));
                }
            }
            Ok(ClientMessage::Start { id, payload }) => {
                if let Some(old) = subscriptions.remove(&id) {
                    old.end();
                }
                if let Some(running) = start(&api, &id, payload, handshake.as_ref(), out.clone()) {
                    subscriptions.insert(id, running);
                }
            }
            Ok(ClientMessage::Stop { id }) => {
                if let Some(running) = subscriptions.remove(&id) {
                    running.end();
                }
                send(protocol::complete(&id));
            }
            Err(e) => send(json!({"type": "error", "payload": {"errors": [{
                "errorType": "UnsupportedOperation",
                "message": format!("Operation not supported through the realtime channel: {e}"),
            }]}})),
        }
    }
    for (_, running) in subscriptions {
        running.end();
    }
    if let Some(k) = keep_alive {
        k.abort();
    }
    out.close();
    let _ = writer.await;
}

/// A started subscription: the task that holds its place in the hub, and
/// whether it may still send (cleared, under its lock, before `complete`).
struct Running {
    task: JoinHandle<()>,
    open: Arc<Mutex<bool>>,
}

impl Running {
    /// Stops sending at once and leaves the hub.
    fn end(self) {
        *self.open.lock().unwrap_or_else(|e| e.into_inner()) = false;
        self.task.abort();
    }
}

/// Sends `text` while the subscription is open; the lock keeps a `data`
/// message from following the `complete` of a `stop`.
fn send_open(open: &Mutex<bool>, out: &Outbox, text: impl FnOnce() -> String) {
    let open = open.lock().unwrap_or_else(|e| e.into_inner());
    if *open {
        out.text(text());
    }
}

/// Starts one subscription: authorizes it and runs its resolver; once that
/// passes, joins the hub and acknowledges.
fn start(
    api: &DataApi,
    id: &str,
    payload: protocol::StartPayload,
    handshake: Option<&Value>,
    out: Outbox,
) -> Option<Running> {
    let request: GraphQlRequest = match serde_json::from_str(&payload.data) {
        Ok(r) => r,
        Err(_) => {
            out.send(protocol::error(
                id,
                json!([{"errorType": "MalformedRequest", "message": "The start message's data is not a GraphQL request."}]),
            ));
            return None;
        }
    };
    let headers = payload
        .extensions
        .as_ref()
        .and_then(|e| e.get("authorization"))
        .filter(|a| a.is_object())
        .cloned()
        .or_else(|| handshake.cloned())
        .unwrap_or_else(|| json!({}));
    let lookup = |name: &str| header_in(&headers, name);
    let auth = match api.inner.auth.authenticate(&lookup, payload.data.as_bytes()) {
        Ok(a) => a,
        Err(f) => {
            out.send(protocol::error(id, json!([{"errorType": f.error_type, "message": f.message}])));
            return None;
        }
    };
    let variables = request.variables.clone().unwrap_or_else(|| json!({}));
    let shape = Shape {
        query: request.query.clone(),
        operation_name: request.operation_name.clone(),
        variables: variables.clone(),
        auth: auth.clone(),
    };
    let (started_tx, mut started_rx) = oneshot::channel();
    let mut data = RequestData::new(auth, headers.clone(), variables.clone());
    data.started = Mutex::new(Some(started_tx));
    let mut req = Request::new(request.query)
        .variables(Variables::from_json(variables))
        .data(Arc::new(data))
        .data(Arc::new(Caught::default()));
    if let Some(op) = request.operation_name {
        req = req.operation_name(op);
    }
    let api = api.clone();
    let id = id.to_string();
    let open = Arc::new(Mutex::new(true));
    let still_open = open.clone();
    let task = tokio::spawn(async move {
        let open = still_open;
        // A started subscription yields nothing here: its events come from
        // the hub. Anything else answers at once (an error, or a query).
        let answer = api.inner.schema.execute_stream(req).next().await;
        let Ok(started) = started_rx.try_recv() else {
            let Some(response) = answer else { return };
            let body = response_body(&response);
            let errors = body.get("errors").cloned().unwrap_or_else(|| {
                json!([{"errorType": "UnsupportedOperation",
                        "message": "Only subscriptions can be started through the realtime channel."}])
            });
            send_open(&open, &out, || protocol::error(&id, errors).to_string());
            return;
        };
        let prefix = protocol::data_prefix(&id);
        let deliver = {
            let (out, open) = (out.clone(), open.clone());
            Arc::new(move |body: &str| send_open(&open, &out, || protocol::data_frame(&prefix, body)))
        };
        let joined = api.inner.shared.hub.join(
            &started.field,
            shape.key(),
            started.filter,
            deliver,
            || shape.evaluator(api.clone()),
            || send_open(&open, &out, || protocol::start_ack(&id).to_string()),
        );
        if let Some(_membership) = joined {
            std::future::pending::<()>().await;
        }
    });
    Some(Running { task, open })
}
