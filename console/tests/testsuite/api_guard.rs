//! Only the page opened with the per-run token may use the console: a
//! request without it, with a wrong one, from another origin or to another
//! host name is refused; the token in the URL becomes a strict cookie.

use crate::support::{start, Call};

use std::io::{Read as _, Write as _};

fn call(path: &str, headers: &[(&str, &str)]) -> Call {
    Call {
        method: "GET",
        path: path.to_string(),
        headers: headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        body: None,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn requests_without_the_token_or_from_elsewhere_are_refused() {
    let running = start().await;
    let token = running.console.token().to_string();
    assert!(running.console.url().ends_with(&format!("/?token={token}")), "{}", running.console.url());
    assert!(running.console.origin().starts_with("http://127.0.0.1:"));

    for path in ["/", "/app.js", "/api/config", "/api/users"] {
        let (status, body) = running.send(call(path, &[])).await;
        assert_eq!(status, 401, "{path} without the token: {}", String::from_utf8_lossy(&body));
        assert!(String::from_utf8_lossy(&body).contains("per-run token"));
        let (status, _) = running.send(call(path, &[("x-console-token", "0000")])).await;
        assert_eq!(status, 401, "{path} with a wrong token");
    }

    // Another origin, even with the token (a page the developer visits).
    let (status, body) =
        running.send(call("/api/config", &[("x-console-token", &token), ("origin", "http://evil.example")])).await;
    assert_eq!(status, 403, "{}", String::from_utf8_lossy(&body));
    let own = running.console.origin();
    let (status, _) = running.send(call("/api/config", &[("x-console-token", &token), ("origin", &own)])).await;
    assert_eq!(status, 200, "the console's own origin is let in");

    // The page: the token in the URL is answered with a strict cookie,
    // which then carries it.
    let (status, html) = running.send(call(&format!("/?token={token}"), &[])).await;
    assert_eq!(status, 200);
    assert!(String::from_utf8_lossy(&html).contains("ampx console"));
    let cookie = format!("ampx_console={token}");
    let (status, _) = running.send(call("/api/config", &[("cookie", &cookie)])).await;
    assert_eq!(status, 200, "the cookie carries the token");

    // A DNS-rebinding page reaches 127.0.0.1 under its own host name.
    let addr = running.console.addr();
    let raw = tokio::task::spawn_blocking(move || {
        let mut stream = std::net::TcpStream::connect(addr).unwrap();
        let request = format!(
            "GET /api/config HTTP/1.1\r\nHost: rebound.example:{}\r\nx-console-token: {token}\r\nConnection: close\r\n\r\n",
            addr.port()
        );
        stream.write_all(request.as_bytes()).unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        answer
    })
    .await
    .unwrap();
    assert!(raw.starts_with("HTTP/1.1 403"), "{raw}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_page_and_its_vendored_graphiql_are_served() {
    let running = start().await;
    let token = running.console.token().to_string();
    for (path, needle) in [
        ("/app.js", "consoleIdentity"),
        ("/playground.html", "vendor/graphiql.min.js"),
        ("/vendor/graphiql.min.js", "GraphiQL"),
        ("/vendor/react.production.min.js", "React"),
    ] {
        let (status, body) = running.send(call(path, &[("x-console-token", &token)])).await;
        assert_eq!(status, 200, "{path}");
        assert!(String::from_utf8_lossy(&body).contains(needle), "{path} holds {needle}");
    }
    let (status, _) = running.send(call("/nothing.js", &[("x-console-token", &token)])).await;
    assert_eq!(status, 404);
}
