//! The page's files, embedded at build time: the console's own (plain HTML,
//! CSS, JavaScript) and the vendored GraphiQL with the React it runs on
//! (see `console/scripts/vendor`). Nothing is fetched at run time.

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

/// (path, content type, bytes).
const FILES: &[(&str, &str, &[u8])] = &[
    ("index.html", "text/html; charset=utf-8", include_bytes!("../assets/index.html")),
    ("style.css", "text/css; charset=utf-8", include_bytes!("../assets/style.css")),
    ("app.js", "text/javascript; charset=utf-8", include_bytes!("../assets/app.js")),
    ("data.js", "text/javascript; charset=utf-8", include_bytes!("../assets/data.js")),
    ("admin.js", "text/javascript; charset=utf-8", include_bytes!("../assets/admin.js")),
    ("playground.html", "text/html; charset=utf-8", include_bytes!("../assets/playground.html")),
    ("playground.js", "text/javascript; charset=utf-8", include_bytes!("../assets/playground.js")),
    ("vendor/graphiql.min.js", "text/javascript; charset=utf-8", include_bytes!("../assets/vendor/graphiql.min.js")),
    ("vendor/graphiql.min.css", "text/css; charset=utf-8", include_bytes!("../assets/vendor/graphiql.min.css")),
    (
        "vendor/react.production.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/vendor/react.production.min.js"),
    ),
    (
        "vendor/react-dom.production.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/vendor/react-dom.production.min.js"),
    ),
];

/// The page may load only its own files and talk only to its own origin;
/// it may be framed only by itself (the playground's frame).
const POLICY: &str = "default-src 'self'; connect-src 'self'; img-src 'self' data: blob:; \
    style-src 'self' 'unsafe-inline'; font-src 'self' data:; frame-ancestors 'self'";

fn serve(name: &str) -> Response {
    match FILES.iter().find(|(path, _, _)| *path == name) {
        Some((_, kind, bytes)) => (
            [
                (header::CONTENT_TYPE, *kind),
                (header::CACHE_CONTROL, "no-cache"),
                (header::CONTENT_SECURITY_POLICY, POLICY),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            ],
            *bytes,
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, format!("the console has no file {name}")).into_response(),
    }
}

/// `/` and the files by name.
pub fn router<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new()
        .route("/", get(|| async { serve("index.html") }))
        .route("/{*path}", get(|Path(path): Path<String>| async move { serve(&path) }))
}

#[cfg(test)]
mod tests {
    use super::FILES;

    #[test]
    fn every_file_the_pages_name_is_embedded() {
        let names: Vec<&str> = FILES.iter().map(|(p, _, _)| *p).collect();
        for (page, _, bytes) in FILES.iter().filter(|(p, _, _)| p.ends_with(".html")) {
            let text = std::str::from_utf8(bytes).unwrap();
            for part in text.split(['"', '\'']).filter(|s| s.ends_with(".js") || s.ends_with(".css")) {
                assert!(names.contains(&part), "{page} names {part}, which is not embedded");
            }
        }
    }
}
