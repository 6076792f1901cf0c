//! One realtime WebSocket connection: the handshake's auth, then
//! `connection_init`/`connection_ack`, keep-alives, and each subscription's
//! `start` (authorized with its own headers, its resolver run at once) to
//! `start_ack`, `data` for each matching publish, and `stop` to `complete`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_graphql::{Request, Variables};
use axum::extract::ws::{Message, WebSocket};
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

use super::protocol::{self, header_in, ClientMessage};
use crate::appsync::api::{response_body, DataApi, GraphQlRequest};
use crate::appsync::executor::RequestData;
use crate::appsync::nulls::Caught;

/// How often the server sends `ka` once the connection is acknowledged.
const KEEP_ALIVE: Duration = Duration::from_secs(60);

/// Serves one upgraded socket. `handshake` holds the auth headers the client
/// sent with the upgrade (subprotocol or query string), if any.
pub async fn serve(api: DataApi, socket: WebSocket, handshake: Option<Value>) {
    let (mut sink, mut incoming) = socket.split();
    let (tx, mut rx) = mpsc::unbounded_channel::<Option<Value>>();
    let writer = tokio::spawn(async move {
        while let Some(message) = rx.recv().await {
            let Some(message) = message else {
                let _ = sink.send(Message::Close(None)).await;
                break;
            };
            if sink.send(Message::Text(message.to_string().into())).await.is_err() {
                break;
            }
        }
    });
    let closer = tx.clone();
    let send = move |v: Value| {
        let _ = tx.send(Some(v));
    };
    let mut subscriptions: HashMap<String, JoinHandle<()>> = HashMap::new();
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
                    let send = send.clone();
                    keep_alive = Some(tokio::spawn(async move {
                        let mut tick = tokio::time::interval(KEEP_ALIVE);
                        tick.tick().await;
                        loop {
                            tick.tick().await;
                            send(protocol::keep_alive());
                        }
                    }));
                }
            }
            Ok(ClientMessage::Start { id, payload }) => {
                if let Some(old) = subscriptions.remove(&id) {
                    old.abort();
                }
                let handle = start(&api, &id, payload, handshake.as_ref(), send.clone());
                if let Some(h) = handle {
                    subscriptions.insert(id, h);
                }
            }
            Ok(ClientMessage::Stop { id }) => {
                if let Some(h) = subscriptions.remove(&id) {
                    h.abort();
                }
                send(protocol::complete(&id));
            }
            Err(e) => send(json!({"type": "error", "payload": {"errors": [{
                "errorType": "UnsupportedOperation",
                "message": format!("Operation not supported through the realtime channel: {e}"),
            }]}})),
        }
    }
    for (_, h) in subscriptions {
        h.abort();
    }
    if let Some(k) = keep_alive {
        k.abort();
    }
    // Closes the socket once what is queued is written.
    let _ = closer.send(None);
    let _ = writer.await;
}

/// Starts one subscription; answers the task that forwards its events.
fn start(
    api: &DataApi,
    id: &str,
    payload: protocol::StartPayload,
    handshake: Option<&Value>,
    send: impl Fn(Value) + Send + Sync + Clone + 'static,
) -> Option<JoinHandle<()>> {
    let request: GraphQlRequest = match serde_json::from_str(&payload.data) {
        Ok(r) => r,
        Err(_) => {
            send(protocol::error(
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
            send(protocol::error(id, json!([{"errorType": f.error_type, "message": f.message}])));
            return None;
        }
    };
    let variables = request.variables.clone().unwrap_or_else(|| json!({}));
    let (started_tx, mut started_rx) = oneshot::channel();
    let mut data = RequestData::new(auth, headers.clone(), variables.clone());
    data.event_mode = true;
    data.started = Mutex::new(Some(started_tx));
    let caught = Arc::new(Caught::default());
    let mut req = Request::new(request.query)
        .variables(Variables::from_json(variables))
        .data(Arc::new(data))
        .data(caught.clone());
    if let Some(op) = request.operation_name {
        req = req.operation_name(op);
    }
    let mut stream = api.inner.schema.execute_stream(req);
    let id = id.to_string();
    Some(tokio::spawn(async move {
        let (mut acked, mut waiting) = (false, true);
        loop {
            tokio::select! {
                biased;
                ok = &mut started_rx, if waiting => {
                    waiting = false;
                    if ok.is_ok() {
                        acked = true;
                        send(protocol::start_ack(&id));
                    }
                }
                next = stream.next() => match next {
                    Some(mut response) if acked => {
                        response.errors.extend(caught.take());
                        if caught.data_is_null() {
                            response.data = async_graphql::Value::Null;
                        }
                        send(protocol::data(&id, response_body(&response)))
                    }
                    Some(response) => {
                        let body = response_body(&response);
                        // A query or mutation answers without starting anything.
                        let errors = body.get("errors").cloned().unwrap_or_else(|| {
                            json!([{"errorType": "UnsupportedOperation",
                                    "message": "Only subscriptions can be started through the realtime channel."}])
                        });
                        send(protocol::error(&id, errors));
                        break;
                    }
                    None => {
                        if acked {
                            send(protocol::complete(&id));
                        }
                        break;
                    }
                }
            }
        }
    }))
}
