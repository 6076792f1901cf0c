//! The upstream half of the playground's subscriptions: a WebSocket to the
//! data API's realtime endpoint (AppSync's `graphql-ws` protocol), opened
//! with the identity's handshake headers in `?header=` (base64 JSON) and an
//! empty `?payload=`, as Amplify's client opens it. The console relays the
//! page's socket to it (`ampx_console::backend::relay`).

use std::sync::Arc;

use ampx_console::backend::relay::GRAPHQL_WS;
use ampx_console::{ApiError, ApiResult};
use aws_smithy_types::base64;
use rustls_pki_types::ServerName;
use serde_json::Value;
use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;
use tokio_rustls::TlsConnector;
use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;
use tokio_tungstenite::WebSocketStream;

/// A connected realtime socket.
pub type Upstream = WebSocketStream<TlsStream<TcpStream>>;

fn failed(url: &str, e: impl std::fmt::Display) -> ApiError {
    ApiError { status: 502, kind: "RealtimeConnect".into(), message: format!("{url}: {e}") }
}

/// The realtime URL Amplify derives from the data URL (`appsync-api` →
/// `appsync-realtime-api`, else `<url>/realtime`), as `wss://`.
pub fn realtime_url(data_url: &str) -> String {
    local::assembly::realtime_url(data_url)
}

/// Opens the realtime socket at `url` (`wss://`) with the handshake
/// `headers`, trusting what `tls` trusts.
pub async fn connect(url: &str, headers: &Value, tls: Arc<rustls::ClientConfig>) -> ApiResult<Upstream> {
    let parsed = url::Url::parse(url).map_err(|e| failed(url, e))?;
    if parsed.scheme() != "wss" {
        return Err(failed(url, "the realtime endpoint is not wss://"));
    }
    let host = parsed.host_str().ok_or_else(|| failed(url, "no host"))?.trim_matches(['[', ']']).to_string();
    let port = parsed.port().unwrap_or(443);
    let query: String = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("header", &base64::encode(headers.to_string()))
        .append_pair("payload", &base64::encode("{}"))
        .finish();
    let full = format!("{url}?{query}");
    let mut request = full.as_str().into_client_request().map_err(|e| failed(url, e))?;
    request.headers_mut().insert("sec-websocket-protocol", http::HeaderValue::from_static(GRAPHQL_WS));
    let tcp = TcpStream::connect((host.as_str(), port)).await.map_err(|e| failed(url, e))?;
    let name = ServerName::try_from(host.clone()).map_err(|e| failed(url, e))?;
    let stream = TlsConnector::from(tls).connect(name, tcp).await.map_err(|e| failed(url, e))?;
    let (socket, _) = tokio_tungstenite::client_async(request, stream).await.map_err(|e| failed(url, e))?;
    Ok(socket)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appsyncs_realtime_host_is_derived_from_the_data_host() {
        assert_eq!(
            realtime_url("https://abc.appsync-api.us-east-1.amazonaws.com/graphql"),
            "wss://abc.appsync-realtime-api.us-east-1.amazonaws.com/graphql"
        );
        assert_eq!(realtime_url("https://127.0.0.1:4000/graphql"), "wss://127.0.0.1:4000/graphql/realtime");
    }
}
