//! SigV4 verification, judged by AWS's own signer (the `aws-sigv4` crate):
//! what it signs with credentials the local identity pools issued verifies,
//! in the header form and as a presigned URL; a wrong secret, a changed body
//! or path, expired credentials, a stale date and an unknown key are refused
//! with the codes AWS uses.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::assembly_support;

use aws_credential_types::Credentials as AwsCredentials;
use aws_sigv4::http_request::{
    sign, PercentEncodingMode, SignableBody, SignableRequest, SignatureLocation, SigningSettings,
};
use aws_sigv4::sign::v4;
use local::backend::{LocalBackend, Options};
use local::identity::{sigv4, Credentials, PathEncoding, Principal, SignedRequest};

/// A request as AWS's signer leaves it: headers and the final URL.
struct Signed {
    headers: Vec<(String, String)>,
    path_and_query: String,
}

fn aws_sign(
    c: &Credentials,
    secret: &str,
    service: &str,
    url: &str,
    body: &[u8],
    at: SystemTime,
    presign: bool,
) -> Signed {
    let identity = AwsCredentials::new(&c.access_key_id, secret, Some(c.session_token.clone()), None, "test").into();
    let mut settings = SigningSettings::default();
    if presign {
        settings.signature_location = SignatureLocation::QueryParams;
        settings.expires_in = Some(Duration::from_secs(60));
        settings.percent_encoding_mode = PercentEncodingMode::Single;
    }
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region("us-east-1")
        .name(service)
        .time(at)
        .settings(settings)
        .build()
        .unwrap()
        .into();
    let host = url::Url::parse(url).unwrap();
    let host = format!("{}:{}", host.host_str().unwrap(), host.port().unwrap());
    let mut headers = vec![("host".to_string(), host), ("content-type".to_string(), "application/json".to_string())];
    let body = if presign { SignableBody::UnsignedPayload } else { SignableBody::Bytes(body) };
    let signable =
        SignableRequest::new("POST", url, headers.iter().map(|(k, v)| (k.as_str(), v.as_str())), body).unwrap();
    let (instructions, _) = sign(signable, &params).unwrap().into_parts();
    let mut url = url::Url::parse(url).unwrap();
    for (k, v) in instructions.headers() {
        headers.push((k.to_string(), v.to_string()));
    }
    for (k, v) in instructions.params() {
        url.query_pairs_mut().append_pair(k, v);
    }
    let path_and_query = match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_string(),
    };
    Signed { headers, path_and_query }
}

fn check(
    backend: &LocalBackend,
    s: &Signed,
    body: &[u8],
    service: &str,
    encoding: PathEncoding,
) -> Result<Principal, String> {
    let lookup = |name: &str| s.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.clone());
    let (path, query) = s.path_and_query.split_once('?').unwrap_or((&s.path_and_query, ""));
    let request = SignedRequest { method: "POST", path, query, header: &lookup, body: Some(body) };
    backend.identity_pools().who(&request, service, encoding).map(|c| c.principal).map_err(|e| e.code.to_string())
}

async fn backend() -> (tempfile::TempDir, tempfile::TempDir, LocalBackend) {
    let assembly = assembly_support::chat_assembly();
    let data = tempfile::tempdir().unwrap();
    let backend = LocalBackend::start(Options::new(assembly.path(), data.path())).await.unwrap();
    (assembly, data, backend)
}

const BODY: &[u8] = br#"{"query":"{ listChats { items { id } } }"}"#;

#[tokio::test(flavor = "multi_thread")]
async fn what_aws_signs_verifies_and_every_change_is_refused() {
    let (_a, _d, backend) = backend().await;
    let (identity_id, c) = backend.guest_credentials().unwrap();
    let url = format!("{}/graphql", backend.origin());
    let now = SystemTime::now();
    let signed = aws_sign(&c, &c.secret_access_key, "appsync", &url, BODY, now, false);
    match check(&backend, &signed, BODY, "appsync", PathEncoding::Double) {
        Ok(Principal::Identity { identity_id: id, authenticated: false, .. }) => assert_eq!(id, identity_id),
        other => panic!("the guest was not recognized: {other:?}"),
    }

    let wrong = aws_sign(&c, "wrong-secret", "appsync", &url, BODY, now, false);
    assert_eq!(check(&backend, &wrong, BODY, "appsync", PathEncoding::Double).unwrap_err(), "SignatureDoesNotMatch");

    let tampered = br#"{"query":"{ listChats { items { id name } } }"}"#;
    assert_eq!(
        check(&backend, &signed, tampered, "appsync", PathEncoding::Double).unwrap_err(),
        "SignatureDoesNotMatch"
    );
    let moved = Signed { path_and_query: "/graphql2".into(), headers: signed.headers.clone() };
    assert_eq!(check(&backend, &moved, BODY, "appsync", PathEncoding::Double).unwrap_err(), "SignatureDoesNotMatch");
    assert_eq!(
        check(&backend, &signed, BODY, "s3", PathEncoding::Double).unwrap_err(),
        "SignatureDoesNotMatch",
        "a signature is for one service"
    );

    let stale = aws_sign(&c, &c.secret_access_key, "appsync", &url, BODY, now - Duration::from_secs(20 * 60), false);
    assert_eq!(
        check(&backend, &stale, BODY, "appsync", PathEncoding::Double).unwrap_err(),
        "InvalidSignatureException"
    );

    let unknown = Credentials { access_key_id: "ASIAAAAAAAAAAAAAAAAA".into(), ..c.clone() };
    let signed_unknown = aws_sign(&unknown, &c.secret_access_key, "appsync", &url, BODY, now, false);
    assert_eq!(
        check(&backend, &signed_unknown, BODY, "appsync", PathEncoding::Double).unwrap_err(),
        "UnrecognizedClientException"
    );
    let other_token = Credentials { session_token: "another".into(), ..c.clone() };
    let signed_other = aws_sign(&other_token, &c.secret_access_key, "appsync", &url, BODY, now, false);
    assert_eq!(
        check(&backend, &signed_other, BODY, "appsync", PathEncoding::Double).unwrap_err(),
        "UnrecognizedClientException"
    );

    backend.identity_pools().advance_clock(3600);
    let later = now + Duration::from_secs(3600);
    let expired = aws_sign(&c, &c.secret_access_key, "appsync", &url, BODY, later, false);
    assert_eq!(check(&backend, &expired, BODY, "appsync", PathEncoding::Double).unwrap_err(), "ExpiredTokenException");
}

#[tokio::test(flavor = "multi_thread")]
async fn presigned_urls_verify_until_they_expire() {
    let (_a, _d, backend) = backend().await;
    let role = backend.assembly().of_type("AWS::IAM::Role").next().unwrap().str_attribute("Arn").unwrap().to_string();
    let c = backend.identity_pools().credentials_for_role(&role, "uploader").unwrap();
    let url = format!("{}/bucket/photos/a%20b.png?x-id=PutObject", backend.origin());
    let now = SystemTime::now();
    let signed = aws_sign(&c, &c.secret_access_key, "s3", &url, b"", now, true);
    assert!(signed.path_and_query.contains("X-Amz-Signature="), "{}", signed.path_and_query);
    let principal = check(&backend, &signed, b"any body", "s3", PathEncoding::Single).unwrap();
    assert_eq!(principal, Principal::Role { session_name: "uploader".into() });

    let mut tampered = Signed { headers: signed.headers.clone(), path_and_query: signed.path_and_query.clone() };
    tampered.path_and_query = tampered.path_and_query.replace("photos", "videos");
    assert_eq!(check(&backend, &tampered, b"", "s3", PathEncoding::Single).unwrap_err(), "SignatureDoesNotMatch");

    let old = aws_sign(&c, &c.secret_access_key, "s3", &url, b"", now - Duration::from_secs(120), true);
    assert_eq!(check(&backend, &old, b"", "s3", PathEncoding::Single).unwrap_err(), "AccessDenied");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_local_signer_signs_as_aws_verifies() {
    let (_a, _d, backend) = backend().await;
    let (_, c) = backend.guest_credentials().unwrap();
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64;
    let host = backend.addr().to_string();
    let own = vec![("host".to_string(), host), ("content-type".to_string(), "application/json".to_string())];
    let keys = (c.access_key_id.as_str(), c.secret_access_key.as_str(), Some(c.session_token.as_str()));
    let added = sigv4::sign_headers("POST", "/graphql", "", &own, BODY, keys, "us-east-1", "appsync", now);
    let headers: Vec<(String, String)> = own.into_iter().chain(added).collect();
    let signed = Signed { headers, path_and_query: "/graphql".into() };
    assert!(check(&backend, &signed, BODY, "appsync", PathEncoding::Double).is_ok());
}
