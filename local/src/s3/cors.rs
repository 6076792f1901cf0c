//! CORS as S3 applies a bucket's `CorsConfiguration`: a preflight (`OPTIONS`)
//! is answered from the first rule that allows its origin, method and
//! headers, or refused with 403; an actual request from an allowed origin
//! gets the `Access-Control-*` headers of the rule that matches it.

use axum::body::Body;
use http::header::{self, HeaderMap, HeaderValue};
use http::{Method, Response, StatusCode};

use super::bucket::CorsRule;

/// Whether `value` matches `pattern`, which may hold one `*`.
fn wildcard(pattern: &str, value: &str) -> bool {
    match pattern.split_once('*') {
        Some((head, tail)) => {
            value.len() >= head.len() + tail.len() && value.starts_with(head) && value.ends_with(tail)
        }
        None => pattern == value,
    }
}

fn allows_origin(rule: &CorsRule, origin: &str) -> bool {
    rule.allowed_origins.iter().any(|p| wildcard(p, origin))
}

fn allows_header(rule: &CorsRule, header: &str) -> bool {
    let header = header.trim().to_ascii_lowercase();
    rule.allowed_headers.iter().any(|p| wildcard(&p.to_ascii_lowercase(), &header))
}

/// The first rule that allows `origin` and `method` (and `headers`, for a preflight).
fn matching<'a>(rules: &'a [CorsRule], origin: &str, method: &str, headers: &[String]) -> Option<&'a CorsRule> {
    rules.iter().find(|r| {
        allows_origin(r, origin)
            && r.allowed_methods.iter().any(|m| m == method)
            && headers.iter().all(|h| h.is_empty() || allows_header(r, h))
    })
}

fn allow_origin_value(rule: &CorsRule, origin: &str) -> String {
    // S3 answers `*` for a rule that allows every origin, else the origin.
    if rule.allowed_origins.iter().any(|o| o == "*") {
        "*".to_string()
    } else {
        origin.to_string()
    }
}

fn set(headers: &mut HeaderMap, name: header::HeaderName, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        headers.insert(name, v);
    }
}

fn refuse(message: &str) -> Response<Body> {
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessForbidden</Code><Message>{message}</Message></Error>"
    );
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = StatusCode::FORBIDDEN;
    set(response.headers_mut(), header::CONTENT_TYPE, "application/xml");
    response
}

/// The answer to a preflight request on a bucket with `rules`.
pub fn preflight(rules: &[CorsRule], request: &HeaderMap) -> Response<Body> {
    let get = |name: &header::HeaderName| request.get(name).and_then(|v| v.to_str().ok());
    let (Some(origin), Some(method)) = (get(&header::ORIGIN), get(&header::ACCESS_CONTROL_REQUEST_METHOD)) else {
        return refuse("Insufficient information. Origin request header needed.");
    };
    if rules.is_empty() {
        return refuse("CORSResponse: CORS is not enabled for this bucket.");
    }
    let asked: Vec<String> = get(&header::ACCESS_CONTROL_REQUEST_HEADERS)
        .map(|h| h.split(',').map(|s| s.trim().to_string()).collect())
        .unwrap_or_default();
    let Some(rule) = matching(rules, origin, method, &asked) else {
        return refuse("CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.");
    };
    let mut response = Response::new(Body::empty());
    let headers = response.headers_mut();
    set(headers, header::ACCESS_CONTROL_ALLOW_ORIGIN, &allow_origin_value(rule, origin));
    set(headers, header::ACCESS_CONTROL_ALLOW_METHODS, &rule.allowed_methods.join(", "));
    let asked = asked.into_iter().filter(|h| !h.is_empty()).collect::<Vec<_>>();
    if !asked.is_empty() {
        set(headers, header::ACCESS_CONTROL_ALLOW_HEADERS, &asked.join(", ").to_ascii_lowercase());
    }
    if !rule.exposed_headers.is_empty() {
        set(headers, header::ACCESS_CONTROL_EXPOSE_HEADERS, &rule.exposed_headers.join(", "));
    }
    if let Some(age) = rule.max_age {
        set(headers, header::ACCESS_CONTROL_MAX_AGE, &age.to_string());
    }
    headers.insert(
        header::VARY,
        HeaderValue::from_static("Origin, Access-Control-Request-Headers, Access-Control-Request-Method"),
    );
    response
}

/// Adds the CORS headers an actual request from `origin` gets.
pub fn decorate(rules: &[CorsRule], method: &Method, origin: Option<&str>, response: &mut HeaderMap) {
    let Some(origin) = origin else { return };
    let Some(rule) = matching(rules, origin, method.as_str(), &[]) else { return };
    set(response, header::ACCESS_CONTROL_ALLOW_ORIGIN, &allow_origin_value(rule, origin));
    set(response, header::ACCESS_CONTROL_ALLOW_METHODS, &rule.allowed_methods.join(", "));
    if !rule.exposed_headers.is_empty() {
        set(response, header::ACCESS_CONTROL_EXPOSE_HEADERS, &rule.exposed_headers.join(", "));
    }
    if let Some(age) = rule.max_age {
        set(response, header::ACCESS_CONTROL_MAX_AGE, &age.to_string());
    }
    response.insert(
        header::VARY,
        HeaderValue::from_static("Origin, Access-Control-Request-Headers, Access-Control-Request-Method"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule() -> CorsRule {
        CorsRule {
            allowed_origins: vec!["https://*.example.com".into()],
            allowed_methods: vec!["GET".into(), "PUT".into()],
            allowed_headers: vec!["x-amz-*".into(), "content-type".into()],
            exposed_headers: vec!["ETag".into()],
            max_age: Some(3000),
        }
    }

    fn request(origin: &str, method: &str, headers: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::ORIGIN, origin.parse().unwrap());
        h.insert(header::ACCESS_CONTROL_REQUEST_METHOD, method.parse().unwrap());
        if !headers.is_empty() {
            h.insert(header::ACCESS_CONTROL_REQUEST_HEADERS, headers.parse().unwrap());
        }
        h
    }

    #[test]
    fn preflight_follows_the_first_matching_rule() {
        let ok = preflight(&[rule()], &request("https://app.example.com", "PUT", "X-Amz-Date, Content-Type"));
        assert_eq!(ok.status(), StatusCode::OK);
        let h = ok.headers();
        assert_eq!(h[header::ACCESS_CONTROL_ALLOW_ORIGIN], "https://app.example.com");
        assert_eq!(h[header::ACCESS_CONTROL_ALLOW_METHODS], "GET, PUT");
        assert_eq!(h[header::ACCESS_CONTROL_ALLOW_HEADERS], "x-amz-date, content-type");
        assert_eq!(h[header::ACCESS_CONTROL_EXPOSE_HEADERS], "ETag");
        assert_eq!(h[header::ACCESS_CONTROL_MAX_AGE], "3000");
        for refused in [
            request("https://evil.test", "PUT", ""),
            request("https://app.example.com", "DELETE", ""),
            request("https://app.example.com", "PUT", "authorization-extra"),
        ] {
            assert_eq!(preflight(&[rule()], &refused).status(), StatusCode::FORBIDDEN);
        }
        assert_eq!(preflight(&[], &request("https://app.example.com", "GET", "")).status(), StatusCode::FORBIDDEN);
    }

    #[test]
    fn a_rule_for_every_origin_answers_star() {
        let any = CorsRule { allowed_origins: vec!["*".into()], ..rule() };
        let mut h = HeaderMap::new();
        decorate(&[any], &Method::GET, Some("http://localhost:5173"), &mut h);
        assert_eq!(h[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
        let mut none = HeaderMap::new();
        decorate(&[rule()], &Method::GET, Some("http://localhost:5173"), &mut none);
        assert!(none.is_empty(), "an origin no rule allows gets no CORS headers");
    }
}
