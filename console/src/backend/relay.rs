//! The page's realtime WebSocket relayed to a data API's own realtime
//! endpoint (a deployed AppSync API's): the backend opens the upstream
//! socket with the identity's handshake, and each message the page sends
//! passes through an [`Amend`] first, so that the backend can add what the
//! page must not hold (a `start` message's `authorization`).

use std::future::Future;
use std::pin::Pin;

use axum::extract::ws::{Message as PageMessage, WebSocket, WebSocketUpgrade};
use axum::extract::{FromRequest, Request};
use axum::response::{IntoResponse, Response};
use futures_util::{SinkExt as _, StreamExt as _};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio_tungstenite::tungstenite::Message as UpstreamMessage;
use tokio_tungstenite::WebSocketStream;

use crate::error::{ApiError, ApiResult};

/// AppSync's realtime subprotocol.
pub const GRAPHQL_WS: &str = "graphql-ws";

/// What becomes of one text message from the page before it goes upstream:
/// the text to send instead, or why it is refused (answered to the page as
/// an `error` message, the socket kept open).
pub type Amend = Box<dyn Fn(String) -> Pin<Box<dyn Future<Output = Result<String, String>> + Send>> + Send + Sync>;

/// Accepts the page's upgrade (`graphql-ws`) and pumps messages both ways
/// between it and `upstream` until either side closes.
pub async fn relay<S>(upgrade: Request, upstream: WebSocketStream<S>, amend: Amend) -> ApiResult<Response>
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let upgrade = WebSocketUpgrade::from_request(upgrade, &())
        .await
        .map_err(|e| ApiError::bad_request("NotAWebSocket", format!("/api/realtime takes a WebSocket upgrade: {e}")))?;
    Ok(upgrade.protocols([GRAPHQL_WS]).on_upgrade(move |page| pump(page, upstream, amend)).into_response())
}

async fn pump<S>(page: WebSocket, upstream: WebSocketStream<S>, amend: Amend)
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let (mut to_page, mut from_page) = page.split();
    let (mut to_upstream, mut from_upstream) = upstream.split();
    let (refusals, mut refused) = tokio::sync::mpsc::unbounded_channel::<String>();
    let outbound = async {
        while let Some(Ok(message)) = from_page.next().await {
            let forwarded = match message {
                PageMessage::Text(text) => match amend(text.to_string()).await {
                    Ok(text) => UpstreamMessage::Text(text.into()),
                    Err(why) => {
                        let _ = refusals.send(why);
                        continue;
                    }
                },
                PageMessage::Binary(bytes) => UpstreamMessage::Binary(bytes),
                PageMessage::Close(_) => break,
                // Each side answers its own pings.
                PageMessage::Ping(_) | PageMessage::Pong(_) => continue,
            };
            if to_upstream.send(forwarded).await.is_err() {
                break;
            }
        }
        let _ = to_upstream.close().await;
    };
    let inbound = async {
        loop {
            let message = tokio::select! {
                m = from_upstream.next() => match m {
                    Some(Ok(UpstreamMessage::Text(text))) => PageMessage::Text(text.as_str().into()),
                    Some(Ok(UpstreamMessage::Binary(bytes))) => PageMessage::Binary(bytes),
                    Some(Ok(UpstreamMessage::Close(_))) | Some(Err(_)) | None => break,
                    Some(Ok(_)) => continue,
                },
                Some(why) = refused.recv() => {
                    let error = serde_json::json!({"type": "error", "payload": {"errors": [
                        {"errorType": "ConsoleRefused", "message": why}]}});
                    PageMessage::Text(error.to_string().into())
                }
            };
            if to_page.send(message).await.is_err() {
                break;
            }
        }
        let _ = to_page.close().await;
    };
    // Either side closing ends the relay.
    tokio::select! {
        () = outbound => {}
        () = inbound => {}
    }
}
