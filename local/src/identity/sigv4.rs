//! Verifying AWS Signature Version 4: the `Authorization` header form that
//! SDKs and Amplify send, and the query-string form of presigned URLs.
//!
//! The verifier rebuilds the canonical request from exactly what the client
//! says it signed (its `SignedHeaders`), derives the signing key from the
//! secret of the credentials named, and compares signatures in constant time.
//! A signing library cannot do this for us: it decides itself which headers
//! to sign, while a verifier must follow the client's choice.

use aws_lc_rs::{constant_time, digest, hmac};

/// The only algorithm SigV4 clients use (SigV4A is not emulated).
pub const ALGORITHM: &str = "AWS4-HMAC-SHA256";
/// How far a signed request's time may be from now (AWS allows 15 minutes).
pub const MAX_SKEW_SECONDS: i64 = 15 * 60;
/// The longest a presigned URL may be valid (seven days).
pub const MAX_PRESIGN_SECONDS: i64 = 7 * 24 * 3600;
/// The payload hash of requests that do not sign their body.
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";

/// One HTTP request as received.
pub struct SignedRequest<'a> {
    /// `GET`, `POST`, ...
    pub method: &'a str,
    /// The path as sent on the wire (still percent-encoded).
    pub path: &'a str,
    /// The raw query string, without `?` (empty when none).
    pub query: &'a str,
    /// Looks a header up case-insensitively (several values joined with `,`).
    pub header: &'a dyn Fn(&str) -> Option<String>,
    /// The body, when the caller has it (a streamed upload may not).
    pub body: Option<&'a [u8]>,
}

/// How the canonical URI is made from the path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathEncoding {
    /// Every service but S3: the (already encoded) path is encoded again.
    Double,
    /// S3: the path is used as sent.
    Single,
}

/// Why a signature is refused, with the error code AWS services use.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {message}")]
pub struct SigV4Error {
    /// `SignatureDoesNotMatch`, `IncompleteSignature`, `InvalidClientTokenId`,
    /// `ExpiredToken`, `RequestExpired`, `XAmzContentSHA256Mismatch`.
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
}

fn error(code: &'static str, message: impl Into<String>) -> SigV4Error {
    SigV4Error { code, message: message.into() }
}

fn incomplete(message: impl Into<String>) -> SigV4Error {
    error("IncompleteSignature", message)
}

/// What a request's signature claims: who signed, when, for which scope.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signature {
    /// The access key id of `Credential=`.
    pub access_key_id: String,
    /// The scope's date (`YYYYMMDD`).
    pub scope_date: String,
    /// The scope's region.
    pub region: String,
    /// The scope's service (`appsync`, `s3`).
    pub service: String,
    /// The headers signed, lowercase, in the client's order.
    pub signed_headers: Vec<String>,
    /// The signature (lowercase hex).
    pub signature: String,
    /// `X-Amz-Date` (`YYYYMMDDTHHMMSSZ`).
    pub amz_date: String,
    /// `X-Amz-Date` in Unix seconds.
    pub timestamp: i64,
    /// `X-Amz-Security-Token`, if sent.
    pub session_token: Option<String>,
    /// `X-Amz-Expires` of a presigned URL; `None` for the header form.
    pub expires_in: Option<i64>,
}

impl Signature {
    /// Whether the request is signed at all (an `Authorization` header that
    /// starts with the algorithm, or `X-Amz-Algorithm` in the query).
    pub fn present(request: &SignedRequest<'_>) -> bool {
        let header = (request.header)("authorization").is_some_and(|a| a.trim_start().starts_with(ALGORITHM));
        header || query_pairs(request.query).iter().any(|(k, _)| k == "X-Amz-Algorithm")
    }

    /// Reads the signature from the `Authorization` header, or from the query
    /// of a presigned URL.
    pub fn parse(request: &SignedRequest<'_>) -> Result<Signature, SigV4Error> {
        match (request.header)("authorization") {
            Some(auth) if !auth.trim().is_empty() => parse_header(request, &auth),
            _ => parse_query(request),
        }
    }
}

fn parse_header(request: &SignedRequest<'_>, auth: &str) -> Result<Signature, SigV4Error> {
    let rest = auth
        .trim()
        .strip_prefix(ALGORITHM)
        .ok_or_else(|| incomplete(format!("the Authorization header must start with {ALGORITHM}")))?;
    let (mut credential, mut signed, mut signature) = (None, None, None);
    for part in rest.split(',') {
        let Some((k, v)) = part.trim().split_once('=') else { continue };
        match k.trim() {
            "Credential" => credential = Some(v.trim().to_string()),
            "SignedHeaders" => signed = Some(v.trim().to_string()),
            "Signature" => signature = Some(v.trim().to_string()),
            _ => {}
        }
    }
    let missing = |what: &str| incomplete(format!("Authorization header requires '{what}' parameter"));
    let credential = credential.ok_or_else(|| missing("Credential"))?;
    let signed = signed.ok_or_else(|| missing("SignedHeaders"))?;
    let signature = signature.ok_or_else(|| missing("Signature"))?;
    let amz_date = (request.header)("x-amz-date").ok_or_else(|| {
        incomplete("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header")
    })?;
    build(credential, &signed, signature, amz_date, (request.header)("x-amz-security-token"), None)
}

fn parse_query(request: &SignedRequest<'_>) -> Result<Signature, SigV4Error> {
    let pairs = query_pairs(request.query);
    let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let algorithm = get("X-Amz-Algorithm").ok_or_else(|| incomplete("the request is not signed"))?;
    if algorithm != ALGORITHM {
        return Err(incomplete(format!("X-Amz-Algorithm must be {ALGORITHM}, not {algorithm}")));
    }
    let missing = |what: &str| incomplete(format!("Query-string authentication requires the {what} parameter"));
    let credential = get("X-Amz-Credential").ok_or_else(|| missing("X-Amz-Credential"))?;
    let signed = get("X-Amz-SignedHeaders").ok_or_else(|| missing("X-Amz-SignedHeaders"))?;
    let signature = get("X-Amz-Signature").ok_or_else(|| missing("X-Amz-Signature"))?;
    let amz_date = get("X-Amz-Date").ok_or_else(|| missing("X-Amz-Date"))?;
    let expires = get("X-Amz-Expires").ok_or_else(|| missing("X-Amz-Expires"))?;
    let expires: i64 = expires.parse().ok().filter(|e| (0..=MAX_PRESIGN_SECONDS).contains(e)).ok_or_else(|| {
        error("AuthorizationQueryParametersError", "X-Amz-Expires must be between 0 and 604800 seconds")
    })?;
    build(credential, &signed, signature, amz_date, get("X-Amz-Security-Token"), Some(expires))
}

fn build(
    credential: String,
    signed: &str,
    signature: String,
    amz_date: String,
    session_token: Option<String>,
    expires_in: Option<i64>,
) -> Result<Signature, SigV4Error> {
    let parts: Vec<&str> = credential.split('/').collect();
    let [key, date, region, service, terminator] = parts.as_slice() else {
        return Err(incomplete(format!(
            "Credential must be <access key id>/<date>/<region>/<service>/aws4_request, not {credential}"
        )));
    };
    if *terminator != "aws4_request" {
        return Err(incomplete(format!("the credential scope must end with aws4_request, not {terminator}")));
    }
    let timestamp = parse_amz_date(&amz_date)?;
    if !amz_date.starts_with(date) || date.len() != 8 {
        return Err(error(
            "SignatureDoesNotMatch",
            format!("the credential scope's date {date} is not the date of X-Amz-Date {amz_date}"),
        ));
    }
    let signed_headers: Vec<String> = signed.split(';').map(|h| h.trim().to_ascii_lowercase()).collect();
    if !signed_headers.iter().any(|h| h == "host") {
        return Err(incomplete("the host header must be signed"));
    }
    Ok(Signature {
        access_key_id: key.to_string(),
        scope_date: date.to_string(),
        region: region.to_string(),
        service: service.to_string(),
        signed_headers,
        signature: signature.to_ascii_lowercase(),
        amz_date,
        timestamp,
        session_token,
        expires_in,
    })
}

fn parse_amz_date(s: &str) -> Result<i64, SigV4Error> {
    let format = time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");
    time::PrimitiveDateTime::parse(s, &format)
        .map(|t| t.assume_utc().unix_timestamp())
        .map_err(|_| incomplete(format!("X-Amz-Date must be YYYYMMDDTHHMMSSZ, not {s}")))
}

/// `X-Amz-Date` for Unix seconds `t`.
pub fn amz_date(t: i64) -> String {
    let format = time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");
    time::OffsetDateTime::from_unix_timestamp(t)
        .ok()
        .and_then(|d| d.format(&format).ok())
        .unwrap_or_else(|| "19700101T000000Z".into())
}

/// The query's pairs, decoded as WHATWG URLs and the SDKs decode them.
fn query_pairs(query: &str) -> Vec<(String, String)> {
    url::form_urlencoded::parse(query.as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

/// SigV4's URI encoding: every byte but `A-Z a-z 0-9 - _ . ~` (and `/` when
/// `keep_slash`) as `%XX`.
pub fn uri_encode(s: &str, keep_slash: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            b'/' if keep_slash => out.push('/'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Lowercase hex SHA-256 of `data`.
pub fn sha256_hex(data: &[u8]) -> String {
    hex(digest::digest(&digest::SHA256, data).as_ref())
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, key), data).as_ref().to_vec()
}

fn canonical_query(query: &str, presigned: bool) -> String {
    let mut pairs: Vec<(String, String)> = query_pairs(query)
        .into_iter()
        .filter(|(k, _)| !(presigned && k == "X-Amz-Signature"))
        .map(|(k, v)| (uri_encode(&k, false), uri_encode(&v, false)))
        .collect();
    pairs.sort();
    pairs.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&")
}

fn canonical_header_value(v: &str) -> String {
    v.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The payload hash the canonical request carries, checked against the body
/// when the client sent a hash and the body is at hand.
fn payload_hash(request: &SignedRequest<'_>, sig: &Signature) -> Result<String, SigV4Error> {
    let sent = match sig.expires_in {
        Some(_) => query_pairs(request.query).into_iter().find(|(k, _)| k == "X-Amz-Content-Sha256").map(|(_, v)| v),
        None => (request.header)("x-amz-content-sha256"),
    };
    match (sent, request.body) {
        (Some(h), Some(body)) if h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()) => {
            let actual = sha256_hex(body);
            if actual != h.to_ascii_lowercase() {
                return Err(error(
                    "XAmzContentSHA256Mismatch",
                    "The provided 'x-amz-content-sha256' header does not match what was computed.",
                ));
            }
            Ok(actual)
        }
        (Some(h), _) => Ok(h),
        (None, _) if sig.expires_in.is_some() => Ok(UNSIGNED_PAYLOAD.to_string()),
        (None, Some(body)) => Ok(sha256_hex(body)),
        (None, None) => Err(incomplete("the body is not at hand and x-amz-content-sha256 was not sent")),
    }
}

/// The canonical request of SigV4 for `request` as `sig` says it was signed.
pub fn canonical_request(
    request: &SignedRequest<'_>,
    sig: &Signature,
    encoding: PathEncoding,
) -> Result<String, SigV4Error> {
    let path = if request.path.is_empty() { "/" } else { request.path };
    let uri = match encoding {
        PathEncoding::Double => uri_encode(path, true),
        PathEncoding::Single => path.to_string(),
    };
    let mut headers = String::new();
    for name in &sig.signed_headers {
        let value = (request.header)(name).ok_or_else(|| {
            error("SignatureDoesNotMatch", format!("SignedHeaders names {name}, which the request does not have"))
        })?;
        headers.push_str(&format!("{name}:{}\n", canonical_header_value(&value)));
    }
    Ok([
        request.method.to_ascii_uppercase(),
        uri,
        canonical_query(request.query, sig.expires_in.is_some()),
        headers,
        sig.signed_headers.join(";"),
        payload_hash(request, sig)?,
    ]
    .join("\n"))
}

/// The signing key for a secret and a scope.
fn signing_key(secret: &str, date: &str, region: &str, service: &str) -> Vec<u8> {
    let k = hmac(format!("AWS4{secret}").as_bytes(), date.as_bytes());
    let k = hmac(&k, region.as_bytes());
    let k = hmac(&k, service.as_bytes());
    hmac(&k, b"aws4_request")
}

/// The signature (hex) of a canonical request.
pub fn signature_of(canonical: &str, secret: &str, amz_date: &str, region: &str, service: &str) -> String {
    let date = &amz_date[..amz_date.len().min(8)];
    let string_to_sign = format!(
        "{ALGORITHM}\n{amz_date}\n{date}/{region}/{service}/aws4_request\n{}",
        sha256_hex(canonical.as_bytes())
    );
    hex(&hmac(&signing_key(secret, date, region, service), string_to_sign.as_bytes()))
}

/// Checks `sig` over `request` with the credentials' `secret` at Unix time
/// `now`: the time window, then the signature itself.
pub fn verify(
    request: &SignedRequest<'_>,
    sig: &Signature,
    secret: &str,
    now: i64,
    encoding: PathEncoding,
) -> Result<(), SigV4Error> {
    match sig.expires_in {
        Some(expires) => {
            if now > sig.timestamp + expires {
                return Err(error("AccessDenied", "Request has expired"));
            }
            if sig.timestamp > now + MAX_SKEW_SECONDS {
                return Err(error("AccessDenied", "Request is not yet valid"));
            }
        }
        None => {
            if (now - sig.timestamp).abs() > MAX_SKEW_SECONDS {
                return Err(error(
                    "InvalidSignatureException",
                    format!(
                        "Signature expired: {} is now earlier or later than {} by more than 15 minutes",
                        sig.amz_date,
                        amz_date(now)
                    ),
                ));
            }
        }
    }
    let canonical = canonical_request(request, sig, encoding)?;
    let expected = signature_of(&canonical, secret, &sig.amz_date, &sig.region, &sig.service);
    constant_time::verify_slices_are_equal(expected.as_bytes(), sig.signature.as_bytes()).map_err(|_| {
        error(
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided. \
             Check your AWS Secret Access Key and signing method.",
        )
    })
}

/// The headers that sign a request in the header form: `x-amz-date`,
/// `x-amz-security-token` (when given) and `authorization`. `headers` are
/// the request's own (lowercase names, `host` among them); all are signed.
#[allow(clippy::too_many_arguments)]
pub fn sign_headers(
    method: &str,
    path: &str,
    query: &str,
    headers: &[(String, String)],
    body: &[u8],
    credentials: (&str, &str, Option<&str>),
    region: &str,
    service: &str,
    now: i64,
) -> Vec<(String, String)> {
    let (key_id, secret, token) = credentials;
    let date = amz_date(now);
    let mut all: Vec<(String, String)> = headers.iter().map(|(k, v)| (k.to_ascii_lowercase(), v.clone())).collect();
    all.push(("x-amz-date".into(), date.clone()));
    if let Some(t) = token {
        all.push(("x-amz-security-token".into(), t.to_string()));
    }
    all.sort();
    let lookup = |name: &str| all.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    let request = SignedRequest { method, path, query, header: &lookup, body: Some(body) };
    let sig = Signature {
        access_key_id: key_id.to_string(),
        scope_date: date[..8].to_string(),
        region: region.to_string(),
        service: service.to_string(),
        signed_headers: all.iter().map(|(k, _)| k.clone()).collect(),
        signature: String::new(),
        amz_date: date.clone(),
        timestamp: now,
        session_token: token.map(str::to_string),
        expires_in: None,
    };
    // Every header is present and no hash header is sent, so this cannot fail.
    let canonical = canonical_request(&request, &sig, PathEncoding::Double).unwrap_or_default();
    let signature = signature_of(&canonical, secret, &date, region, service);
    let mut out: Vec<(String, String)> =
        all.into_iter().filter(|(k, _)| k == "x-amz-date" || k == "x-amz-security-token").collect();
    out.push((
        "authorization".into(),
        format!(
            "{ALGORITHM} Credential={key_id}/{}/{region}/{service}/aws4_request, SignedHeaders={}, Signature={signature}",
            &date[..8],
            sig.signed_headers.join(";")
        ),
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_encoding_keeps_only_unreserved_bytes() {
        assert_eq!(uri_encode("a b/c*~", true), "a%20b/c%2A~");
        assert_eq!(uri_encode("a/b", false), "a%2Fb");
        assert_eq!(uri_encode("é", false), "%C3%A9");
    }

    #[test]
    fn amz_dates_round_trip() {
        assert_eq!(amz_date(0), "19700101T000000Z");
        assert_eq!(parse_amz_date("20150830T123600Z").unwrap(), 1_440_938_160);
        assert!(parse_amz_date("2015-08-30").is_err());
    }
}
