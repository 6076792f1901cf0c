//! The local Cognito Identity service: guests and signed-in users get
//! identities and credentials for the roles the pool's attachment names (group
//! roles and rules included), identities persist, and bad logins are refused
//! as Cognito refuses them.

use std::sync::Arc;

use crate::assembly_support;

use local::backend::{LocalBackend, Options};
use local::identity::config::{IdentityPoolConfig, MappingKind, MappingRule, MatchType, Provider, RoleMapping};
use local::identity::roles::{role_for_guest, role_for_login};
use local::identity::{sigv4, Caller, Credentials, IdentityPools, PathEncoding, Principal, SignedRequest};
use serde_json::{json, Map, Value};

const PASSWORD: &str = "Correct-horse-42";

/// Who the identity pools say `c` belongs to, through a request it signs.
fn caller(pools: &IdentityPools, c: &Credentials) -> Caller {
    let own = vec![("host".to_string(), "127.0.0.1:1".to_string())];
    let keys = (c.access_key_id.as_str(), c.secret_access_key.as_str(), Some(c.session_token.as_str()));
    let headers: Vec<(String, String)> = own
        .iter()
        .cloned()
        .chain(sigv4::sign_headers("GET", "/", "", &own, b"", keys, "us-east-1", "s3", pools.now()))
        .collect();
    let lookup = |n: &str| headers.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
    let request = SignedRequest { method: "GET", path: "/", query: "", header: &lookup, body: Some(b"") };
    pools.who(&request, "s3", PathEncoding::Double).unwrap()
}

fn error_type(e: &local::identity::IdentityError) -> &'static str {
    e.type_name()
}

#[tokio::test(flavor = "multi_thread")]
async fn guests_and_users_get_their_roles_and_identities_persist() {
    let assembly = assembly_support::chat_assembly();
    let data = tempfile::tempdir().unwrap();
    let options = || Options::new(assembly.path(), data.path());
    let backend = LocalBackend::start(options()).await.unwrap();
    let pools = backend.identity_pools().clone();
    let config = pools.pools()[0].clone();
    assert!(config.allow_unauthenticated);
    let (unauth, auth) = (config.unauthenticated_role.clone().unwrap(), config.authenticated_role.clone().unwrap());
    assert_ne!(unauth, auth);

    let (guest_id, guest) = backend.guest_credentials().unwrap();
    let who = caller(&pools, &guest);
    assert_eq!(who.role_arn, unauth);
    assert_eq!(
        who.principal,
        Principal::Identity {
            pool_id: config.pool_id.clone(),
            identity_id: guest_id.clone(),
            authenticated: false,
            login: None
        }
    );
    assert_eq!(who.policy_context()["cognito-identity.amazonaws.com:amr"], ["unauthenticated"]);

    let tokens = backend.sign_up_and_sign_in("carol@example.com", PASSWORD).unwrap();
    let (user_id, creds) = backend.user_credentials(&tokens).unwrap();
    assert_ne!(user_id, guest_id);
    let who = caller(&pools, &creds);
    assert_eq!(who.role_arn, auth);
    let sub = tokens_sub(&tokens.id_token);
    match &who.principal {
        Principal::Identity { identity_id, authenticated: true, login: Some((provider, s)), .. } => {
            assert_eq!(identity_id, &user_id);
            assert_eq!(s, &sub);
            assert_eq!(provider, &config.providers[0].provider_name);
        }
        other => panic!("{other:?}"),
    }
    let identity = who.appsync_identity("127.0.0.1");
    assert_eq!(identity["cognitoIdentityAuthType"], "authenticated");
    assert_eq!(identity["cognitoIdentityPoolId"], json!(config.pool_id));
    assert!(identity["userArn"].as_str().unwrap().contains(":assumed-role/"), "{identity}");

    // Without its login, a signed-in identity gets nothing.
    let err = pools.handle("GetCredentialsForIdentity", &json!({"IdentityId": user_id})).unwrap_err();
    assert_eq!(error_type(&err), "NotAuthorizedException");
    assert!(err.message().contains("Logins don't match"), "{}", err.message());

    // The OpenID token names the identity and the pool.
    let logins = json!({ config.providers[0].provider_name.clone(): tokens.id_token });
    let token = pools.handle("GetOpenIdToken", &json!({"IdentityId": user_id, "Logins": logins})).unwrap();
    let claims = jwt_claims(token["Token"].as_str().unwrap());
    assert_eq!(claims["sub"], json!(user_id));
    assert_eq!(claims["aud"], json!(config.pool_id));
    drop(pools);
    backend.stop().await;

    let backend = LocalBackend::start(options()).await.unwrap();
    let again = backend.sign_in("carol@example.com", PASSWORD).unwrap();
    assert_eq!(backend.user_credentials(&again).unwrap().0, user_id, "the identity survives a restart");
    // Credentials issued before the restart still verify.
    assert_eq!(caller(backend.identity_pools(), &creds).role_arn, auth);
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_logins_and_unknown_ids_are_refused() {
    let assembly = assembly_support::chat_assembly();
    let data = tempfile::tempdir().unwrap();
    let backend = LocalBackend::start(Options::new(assembly.path(), data.path())).await.unwrap();
    let pools = backend.identity_pools();
    let config = &pools.pools()[0];
    let provider = config.providers[0].provider_name.clone();
    let tokens = backend.sign_up_and_sign_in("dan@example.com", PASSWORD).unwrap();

    let call = |op: &str, body: Value| pools.handle(op, &body).unwrap_err();
    let e = call("GetId", json!({"IdentityPoolId": config.pool_id, "Logins": {provider.clone(): "not.a.token"}}));
    assert_eq!((error_type(&e), e.message().starts_with("Invalid login token.")), ("NotAuthorizedException", true));
    let e = call("GetId", json!({"IdentityPoolId": config.pool_id, "Logins": {provider.clone(): tokens.access_token}}));
    assert!(e.message().contains("Not an ID token"), "{}", e.message());
    let e =
        call("GetId", json!({"IdentityPoolId": config.pool_id, "Logins": {"accounts.google.com": tokens.id_token}}));
    assert_eq!(error_type(&e), "NotAuthorizedException");
    let e = call("GetId", json!({"IdentityPoolId": "us-east-1:00000000-0000-0000-0000-000000000000"}));
    assert_eq!(error_type(&e), "ResourceNotFoundException");
    let e = call("GetCredentialsForIdentity", json!({"IdentityId": "us-east-1:00000000-0000-0000-0000-000000000000"}));
    assert_eq!(error_type(&e), "ResourceNotFoundException");
    let e = call("GetId", json!({}));
    assert_eq!(error_type(&e), "InvalidParameterException");
    let e = call("ListIdentities", json!({}));
    assert_eq!(error_type(&e), "UnknownOperationException");

    // An expired ID token is refused too.
    backend.user_pools().advance_clock(2 * 3600);
    let e = call("GetId", json!({"IdentityPoolId": config.pool_id, "Logins": {provider: tokens.id_token}}));
    assert!(e.message().contains("expired"), "{}", e.message());
}

#[test]
fn a_pool_without_guests_refuses_them() {
    let dir = tempfile::tempdir().unwrap();
    let config = pool(vec![]);
    let pools = IdentityPools::open(
        dir.path(),
        vec![IdentityPoolConfig { allow_unauthenticated: false, ..config.clone() }],
        None,
        "us-east-1",
        "000000000000",
    )
    .unwrap();
    let e = pools.handle("GetId", &json!({"IdentityPoolId": config.pool_id})).unwrap_err();
    assert_eq!(error_type(&e), "NotAuthorizedException");
    assert_eq!(e.message(), "Unauthenticated access is not supported for this identity pool.");
    drop(pools);
    let pools =
        Arc::new(IdentityPools::open(dir.path(), vec![config.clone()], None, "us-east-1", "000000000000").unwrap());
    let id = pools.handle("GetId", &json!({"IdentityPoolId": config.pool_id})).unwrap();
    let out = pools.handle("GetCredentialsForIdentity", &json!({"IdentityId": id["IdentityId"]})).unwrap();
    assert!(out["Credentials"]["AccessKeyId"].as_str().unwrap().starts_with("ASIA"), "{out}");
    assert!(out["Credentials"]["Expiration"].as_i64().unwrap() > pools.now() + 3000, "{out}");
}

const CLIENT: &str = "client1";
const PROVIDER: &str = "cognito-idp.us-east-1.amazonaws.com/us-east-1_abc";

fn pool(mappings: Vec<RoleMapping>) -> IdentityPoolConfig {
    IdentityPoolConfig {
        pool_id: "us-east-1:11111111-2222-3333-4444-555555555555".into(),
        logical_id: "Pool".into(),
        allow_unauthenticated: true,
        providers: vec![Provider { provider_name: PROVIDER.into(), client_id: CLIENT.into() }],
        authenticated_role: Some("arn:aws:iam::000000000000:role/auth".into()),
        unauthenticated_role: Some("arn:aws:iam::000000000000:role/unauth".into()),
        role_mappings: mappings,
    }
}

fn claims(v: Value) -> Map<String, Value> {
    v.as_object().unwrap().clone()
}

#[test]
fn token_mappings_use_the_preferred_group_role() {
    let mapping = |fallback| RoleMapping {
        identity_provider: format!("{PROVIDER}:{CLIENT}"),
        kind: MappingKind::Token,
        fall_back_to_authenticated: fallback,
    };
    let p = pool(vec![mapping(true)]);
    let provider = &p.providers[0];
    let admin =
        claims(json!({"cognito:roles": ["arn:r/admins", "arn:r/editors"], "cognito:preferred_role": "arn:r/admins"}));
    assert_eq!(role_for_login(&p, provider, &admin, None).unwrap(), "arn:r/admins");
    assert_eq!(role_for_login(&p, provider, &admin, Some("arn:r/editors")).unwrap(), "arn:r/editors");
    let e = role_for_login(&p, provider, &admin, Some("arn:r/other")).unwrap_err();
    assert_eq!(e.type_name(), "NotAuthorizedException");
    let plain = claims(json!({"sub": "u"}));
    assert_eq!(role_for_login(&p, provider, &plain, None).unwrap(), "arn:aws:iam::000000000000:role/auth");
    let strict = pool(vec![mapping(false)]);
    let e = role_for_login(&strict, &strict.providers[0], &plain, None).unwrap_err();
    assert_eq!(e.type_name(), "InvalidParameterException");
    assert_eq!(role_for_guest(&strict).unwrap(), "arn:aws:iam::000000000000:role/unauth");
}

#[test]
fn rules_mappings_pick_the_first_matching_rule() {
    let rule = |claim: &str, match_type, value: &str, role: &str| MappingRule {
        claim: claim.into(),
        match_type,
        value: value.into(),
        role_arn: role.into(),
    };
    let p = pool(vec![RoleMapping {
        identity_provider: format!("{PROVIDER}:{CLIENT}"),
        kind: MappingKind::Rules(vec![
            rule("cognito:groups", MatchType::Contains, "admins", "arn:r/admins"),
            rule("email", MatchType::StartsWith, "ops-", "arn:r/ops"),
            rule("custom:tier", MatchType::Equals, "gold", "arn:r/gold"),
            rule("custom:tier", MatchType::NotEqual, "gold", "arn:r/basic"),
        ]),
        fall_back_to_authenticated: false,
    }]);
    let provider = &p.providers[0];
    let role = |c: Value| role_for_login(&p, provider, &claims(c), None);
    assert_eq!(role(json!({"cognito:groups": ["users", "admins"], "custom:tier": "gold"})).unwrap(), "arn:r/admins");
    assert_eq!(role(json!({"email": "ops-1@example.com", "custom:tier": "gold"})).unwrap(), "arn:r/ops");
    assert_eq!(role(json!({"custom:tier": "gold"})).unwrap(), "arn:r/gold");
    assert_eq!(role(json!({"custom:tier": "silver"})).unwrap(), "arn:r/basic");
    // No rule matches (a missing claim matches none, NotEqual included) and the mapping denies.
    assert_eq!(role(json!({"email": "x@example.com"})).unwrap_err().type_name(), "InvalidParameterException");
}

fn jwt_claims(token: &str) -> Value {
    use base64::Engine;
    let payload = token.split('.').nth(1).unwrap();
    serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

fn tokens_sub(id_token: &str) -> String {
    jwt_claims(id_token)["sub"].as_str().unwrap().to_string()
}
