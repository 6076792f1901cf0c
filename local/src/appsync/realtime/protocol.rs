//! The messages of AppSync's realtime protocol and the handshake's auth
//! header: aws-amplify 6 sends it as the subprotocol `header-<base64url of
//! the JSON>` next to `graphql-ws`; older clients send `header` (and
//! `payload`) as base64 query parameters.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use serde::Deserialize;
use serde_json::{json, Value};

/// How long a client may go without a `ka` before it drops the connection.
pub const CONNECTION_TIMEOUT_MS: u64 = 300_000;

/// The subprotocol the server selects.
pub const SUBPROTOCOL: &str = "graphql-ws";

/// A message from the client.
#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientMessage {
    /// Opens the session.
    ConnectionInit,
    /// Starts a subscription.
    Start {
        /// The client's subscription id.
        id: String,
        /// `{data: "<JSON of {query, variables}>", extensions: {authorization}}`.
        payload: StartPayload,
    },
    /// Stops a subscription.
    Stop {
        /// Its id.
        id: String,
    },
}

/// A `start` message's payload.
#[derive(Debug, Deserialize)]
pub struct StartPayload {
    /// The GraphQL request, as a JSON string.
    pub data: String,
    /// `authorization`: the headers that sign this subscription.
    #[serde(default)]
    pub extensions: Option<Value>,
}

/// `connection_ack`.
pub fn connection_ack() -> Value {
    json!({"type": "connection_ack", "payload": {"connectionTimeoutMs": CONNECTION_TIMEOUT_MS}})
}

/// `ka`.
pub fn keep_alive() -> Value {
    json!({"type": "ka"})
}

/// `start_ack`.
pub fn start_ack(id: &str) -> Value {
    json!({"type": "start_ack", "id": id})
}

/// The start of a `data` message for subscription `id`, up to its payload.
pub fn data_prefix(id: &str) -> String {
    format!(r#"{{"type":"data","id":{},"payload":"#, Value::from(id))
}

/// A `data` message from its [`data_prefix`] and the payload's JSON text
/// (shaped once for every subscriber of the same shape).
pub fn data_frame(prefix: &str, payload: &str) -> String {
    let mut frame = String::with_capacity(prefix.len() + payload.len() + 1);
    frame.push_str(prefix);
    frame.push_str(payload);
    frame.push('}');
    frame
}

/// `error` for one subscription.
pub fn error(id: &str, errors: Value) -> Value {
    json!({"type": "error", "id": id, "payload": {"errors": errors}})
}

/// `complete`.
pub fn complete(id: &str) -> Value {
    json!({"type": "complete", "id": id})
}

/// `connection_error` (the client treats 400, 401 and 403 as not worth retrying).
pub fn connection_error(error_type: &str, message: &str, code: u16) -> Value {
    json!({"type": "connection_error", "payload": {"errors": [{"errorType": error_type, "message": message, "errorCode": code}]}})
}

/// The auth headers of a handshake: from a `header-...` subprotocol, else the
/// `header` query parameter. `None` when neither is there or they do not decode.
pub fn handshake_headers(subprotocols: &[&str], header_query: Option<&str>) -> Option<Value> {
    let encoded = subprotocols.iter().find_map(|p| p.trim().strip_prefix("header-"));
    let bytes = match (encoded, header_query) {
        (Some(e), _) => URL_SAFE_NO_PAD.decode(e.trim_end_matches('=')).ok()?,
        (None, Some(q)) => {
            // An unescaped `+` in the query string arrives as a space.
            let q = q.replace(' ', "+");
            STANDARD.decode(&q).or_else(|_| URL_SAFE_NO_PAD.decode(q.trim_end_matches('='))).ok()?
        }
        (None, None) => return None,
    };
    serde_json::from_slice::<Value>(&bytes).ok().filter(Value::is_object)
}

/// A case-insensitive lookup in a JSON object of headers.
pub fn header_in(headers: &Value, name: &str) -> Option<String> {
    headers
        .as_object()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .and_then(|(_, v)| v.as_str().map(str::to_string))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handshake_headers_from_subprotocol_or_query() {
        let json = r#"{"host":"127.0.0.1:1","x-api-key":"da2-k"}"#;
        let sub = format!("header-{}", URL_SAFE_NO_PAD.encode(json));
        let h = handshake_headers(&["graphql-ws", &sub], None).unwrap();
        assert_eq!(header_in(&h, "X-API-KEY").as_deref(), Some("da2-k"));
        let h = handshake_headers(&[], Some(&STANDARD.encode(json))).unwrap();
        assert_eq!(header_in(&h, "host").as_deref(), Some("127.0.0.1:1"));
        // `+` decoded to a space by a query string that did not escape it.
        let plus = STANDARD.encode(r#"{"k":">>>"}"#);
        assert!(plus.contains('+'), "{plus}");
        let h = handshake_headers(&[], Some(&plus.replace('+', " "))).unwrap();
        assert_eq!(header_in(&h, "k").as_deref(), Some(">>>"));
        assert!(handshake_headers(&["graphql-ws"], None).is_none());
        assert!(handshake_headers(&["header-!!"], None).is_none());
    }

    #[test]
    fn data_frames_are_json_with_the_id_escaped() {
        let frame = data_frame(&data_prefix("a\"b"), r#"{"data":{"x":1}}"#);
        let v: Value = serde_json::from_str(&frame).unwrap();
        assert_eq!(v, json!({"type": "data", "id": "a\"b", "payload": {"data": {"x": 1}}}));
    }

    #[test]
    fn client_messages_parse() {
        let m: ClientMessage = serde_json::from_str(r#"{"type":"connection_init"}"#).unwrap();
        assert!(matches!(m, ClientMessage::ConnectionInit));
        let m: ClientMessage = serde_json::from_str(
            r#"{"id":"1","type":"start","payload":{"data":"{}","extensions":{"authorization":{}}}}"#,
        )
        .unwrap();
        assert!(matches!(m, ClientMessage::Start { ref id, .. } if id == "1"));
        let m: ClientMessage = serde_json::from_str(r#"{"type":"stop","id":"1"}"#).unwrap();
        assert!(matches!(m, ClientMessage::Stop { ref id } if id == "1"));
    }
}
