//! Who may use the console: requests that carry the per-run token, sent to
//! 127.0.0.1 or localhost by name (a DNS-rebinding page names its own host),
//! and, when they name an `Origin`, sent from the console's own page.

use std::sync::Arc;

use axum::extract::{Request, State as AxumState};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::State;

/// The cookie the token is kept in once the page is opened with it.
pub const COOKIE: &str = "ampx_console";
/// The header tools send the token in.
pub const HEADER: &str = "x-console-token";

fn refuse(status: StatusCode, message: &str) -> Response {
    (status, axum::Json(serde_json::json!({"error": {"type": "Forbidden", "message": message}}))).into_response()
}

/// Equal without an early exit, so timing tells nothing about the token.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn query_token(request: &Request) -> Option<String> {
    let query = request.uri().query()?;
    url::form_urlencoded::parse(query.as_bytes()).find(|(k, _)| k == "token").map(|(_, v)| v.into_owned())
}

fn cookie_token(headers: &HeaderMap) -> Option<String> {
    headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(|c| {
        let (name, value) = c.trim().split_once('=')?;
        (name == COOKIE).then(|| value.to_string())
    })
}

/// The middleware: refuses what does not pass, and sets the cookie when the
/// token came in the URL.
pub async fn guard(AxumState(state): AxumState<Arc<State>>, request: Request, next: Next) -> Response {
    let hosts = [format!("127.0.0.1:{}", state.port), format!("localhost:{}", state.port)];
    let host = request.headers().get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or_default();
    if !hosts.iter().any(|h| h == host) {
        return refuse(StatusCode::FORBIDDEN, "the console answers only requests to 127.0.0.1 or localhost");
    }
    if let Some(origin) = request.headers().get(header::ORIGIN) {
        let ok = origin.to_str().is_ok_and(|o| hosts.iter().any(|h| o == format!("http://{h}")));
        if !ok {
            return refuse(StatusCode::FORBIDDEN, "requests from another origin are refused");
        }
    }
    let from_url = query_token(&request).filter(|t| same(t, &state.token));
    let carried = from_url.is_some()
        || cookie_token(request.headers()).is_some_and(|t| same(&t, &state.token))
        || request.headers().get(HEADER).and_then(|v| v.to_str().ok()).is_some_and(|t| same(t, &state.token));
    if !carried {
        return refuse(
            StatusCode::UNAUTHORIZED,
            "this console needs its per-run token: open the URL `ampx dev` printed (it ends in ?token=...)",
        );
    }
    let mut response = next.run(request).await;
    if from_url.is_some() {
        let cookie = format!("{COOKIE}={}; Path=/; HttpOnly; SameSite=Strict", state.token);
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_compare_whole() {
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "ab"));
    }

    #[test]
    fn the_cookie_is_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, HeaderValue::from_static("a=1; ampx_console=t0k; b=2"));
        assert_eq!(cookie_token(&headers).as_deref(), Some("t0k"));
        headers.insert(header::COOKIE, HeaderValue::from_static("ampx_consolex=t0k"));
        assert_eq!(cookie_token(&headers), None);
    }
}
