//! Persistence and configuration: users, keys and sessions survive a restart;
//! a damaged store or a bad template is a clear error.

use crate::cognito_support;

use cognito_support::{chat_fixture, chat_pool, Harness, CLIENT_ID, PASSWORD, POOL_ID};
use local::cognito::{EventSink, PoolConfig, UserPools, STORE_FILE};
use serde_json::json;

#[test]
fn users_keys_and_sessions_survive_a_restart() {
    let h = Harness::chat();
    h.confirmed_user("ada@example.com");
    let tokens = h.tokens("ada@example.com", PASSWORD);
    let jwks = h.pools.jwks(POOL_ID).unwrap();
    let dir = h.dir;
    drop(h.pools);

    let reopened = UserPools::open(dir.path(), vec![chat_pool(vec![], vec![])], EventSink::discard()).unwrap();
    assert_eq!(reopened.jwks(POOL_ID).unwrap(), jwks, "the signing key is kept");
    let claims = reopened.verify(tokens["AccessToken"].as_str().unwrap()).unwrap();
    assert_eq!(claims["token_use"], "access");
    let refreshed = reopened
        .handle(
            "InitiateAuth",
            &json!({"ClientId": CLIENT_ID, "AuthFlow": "REFRESH_TOKEN_AUTH",
                    "AuthParameters": {"REFRESH_TOKEN": tokens["RefreshToken"]}}),
        )
        .unwrap();
    assert!(refreshed["AuthenticationResult"]["AccessToken"].is_string());
    cognito_support::srp_sign_in(&reopened, POOL_ID, CLIENT_ID, "ada@example.com", PASSWORD, None).unwrap();
}

#[test]
fn no_password_is_stored_in_the_clear() {
    let h = Harness::chat();
    h.ok("SignUp", json!({"ClientId": CLIENT_ID, "Username": "ada@example.com", "Password": "Unmistakable-Passw0rd"}));
    let dir = h.dir;
    drop(h.pools);
    let bytes = std::fs::read(dir.path().join(STORE_FILE)).unwrap();
    let needle = b"Unmistakable-Passw0rd";
    assert!(!bytes.windows(needle.len()).any(|w| w == needle));
}

#[test]
fn a_damaged_store_names_the_file_and_the_reset() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(STORE_FILE), vec![0x5a; 8192]).unwrap();
    let err = UserPools::open(dir.path(), vec![chat_pool(vec![], vec![])], EventSink::discard())
        .err()
        .expect("a damaged store must not open");
    let text = err.to_string();
    assert!(text.contains(&dir.path().join(STORE_FILE).display().to_string()), "{text}");
    assert!(text.contains("ampx dev --reset"), "{text}");
}

#[test]
fn a_store_in_use_is_reported() {
    let h = Harness::chat();
    let err = UserPools::open(h.dir.path(), vec![chat_pool(vec![], vec![])], EventSink::discard())
        .err()
        .expect("second open must fail");
    assert!(err.to_string().contains("in use by another process"), "{err}");
}

#[test]
fn the_chat_template_reads_as_cognito_would() {
    let cfg = chat_pool(vec![], vec![]);
    assert_eq!(cfg.username_attributes, ["email"]);
    assert!(!cfg.case_sensitive);
    assert_eq!(cfg.auto_verified_attributes, ["email"]);
    assert_eq!(cfg.verify_before_update, ["email"]);
    assert!(cfg.password_policy.require_symbols);
    assert_eq!(cfg.password_policy.minimum_length, 8);
    assert!(cfg.attribute("email").unwrap().required);
    assert_eq!(cfg.pool_name(), "chatPool1");
    assert_eq!(cfg.region(), "us-east-1");
    let client = &cfg.clients[0];
    assert!(client.allows("ALLOW_USER_SRP_AUTH"));
    assert!(client.allows("ALLOW_REFRESH_TOKEN_AUTH"));
    assert!(!client.allows("ALLOW_USER_PASSWORD_AUTH"));
    assert!(client.prevent_user_existence_errors);
    assert!(!client.generate_secret);
    assert_eq!(client.refresh_token_validity.as_secs(), 30 * 86_400);
}

#[test]
fn bad_templates_are_config_errors_naming_the_property() {
    let (pool, client) = chat_fixture();
    let cases = [
        ("us-east-1", pool.clone(), client.clone(), "must look like `<region>_<name>`"),
        (POOL_ID, json!({"UsernameAttributes": ["nickname"]}), client.clone(), "UsernameAttributes"),
        (
            POOL_ID,
            json!({"Policies": {"PasswordPolicy": {"MinimumLength": 3}}}),
            client.clone(),
            "MinimumLength must be between 6 and 99",
        ),
        (POOL_ID, json!({"AutoVerifiedAttributes": {"Ref": "x"}}), client.clone(), "AutoVerifiedAttributes"),
        (
            POOL_ID,
            pool.clone(),
            json!({"AccessTokenValidity": 2, "TokenValidityUnits": {"AccessToken": "days"}}),
            "AccessTokenValidity is 2 days",
        ),
        (POOL_ID, pool.clone(), json!({"ExplicitAuthFlows": ["ALLOW_MAGIC"]}), "unknown flow `ALLOW_MAGIC`"),
        (POOL_ID, pool.clone(), json!({"ExplicitAuthFlows": ["MAGIC"]}), "unknown flow `MAGIC`"),
        (POOL_ID, pool.clone(), json!({"PreventUserExistenceErrors": "MAYBE"}), "PreventUserExistenceErrors"),
    ];
    for (id, pool, client, expected) in cases {
        let result = PoolConfig::from_cloudformation(id, &pool, vec![("c".into(), client)], vec![]);
        let err = result.err().unwrap_or_else(|| panic!("{expected}: accepted"));
        assert!(err.to_string().contains(expected), "{err} lacks {expected}");
    }
    let err = PoolConfig::from_cloudformation(POOL_ID, &pool, vec![], vec![json!({"Precedence": 1})]).unwrap_err();
    assert!(err.to_string().contains("GroupName is required"), "{err}");
    let twice = vec![chat_pool(vec![], vec![]), chat_pool(vec![], vec![])];
    let err = UserPools::open(tempfile::tempdir().unwrap().path(), twice, EventSink::discard()).err().unwrap();
    assert!(err.to_string().contains("configured twice"), "{err}");
}
