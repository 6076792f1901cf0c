//! InitiateAuth / RespondToAuthChallenge: SRP, plain password, refresh,
//! secret hashes, the new-password challenge, and the tokens' claims.

use crate::cognito_support;

use cognito_support::{chat_pool, claims, srp_sign_in, Harness, CLIENT_ID, PASSWORD, POOL_ID};
use local::cognito::{secret_hash, MessagePurpose};
use serde_json::{json, Value};

const PASSWORD_CLIENT: &str = "passwordclient";
const SECRET_CLIENT: &str = "secretclient";

fn harness() -> Harness {
    let password = (
        PASSWORD_CLIENT.to_string(),
        json!({"ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
               "PreventUserExistenceErrors": "LEGACY",
               "AccessTokenValidity": 5, "IdTokenValidity": 10, "RefreshTokenValidity": 2,
               "TokenValidityUnits": {"AccessToken": "minutes", "IdToken": "minutes", "RefreshToken": "hours"}}),
    );
    let secret = (
        SECRET_CLIENT.to_string(),
        json!({"ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
               "GenerateSecret": true}),
    );
    let admins = json!({"GroupName": "admins", "Precedence": 1, "RoleArn": "arn:aws:iam::123456789012:role/admins"});
    let editors = json!({"GroupName": "editors", "Precedence": 5});
    Harness::new(vec![chat_pool(vec![password, secret], vec![editors, admins])])
}

fn password_auth(
    h: &Harness,
    client: &str,
    username: &str,
    password: &str,
) -> Result<Value, local::cognito::CognitoError> {
    h.call(
        "InitiateAuth",
        json!({"ClientId": client, "AuthFlow": "USER_PASSWORD_AUTH",
               "AuthParameters": {"USERNAME": username, "PASSWORD": password}}),
    )
}

#[test]
fn srp_sign_in_issues_tokens_with_cognitos_claims() {
    let h = harness();
    h.pools.set_endpoint("http://127.0.0.1:4001/");
    let sub = h.confirmed_user("ada@example.com");
    h.ok("AdminAddUserToGroup", json!({"UserPoolId": POOL_ID, "Username": sub, "GroupName": "editors"}));
    h.ok("AdminAddUserToGroup", json!({"UserPoolId": POOL_ID, "Username": "ada@example.com", "GroupName": "admins"}));
    let out = h.srp_sign_in(CLIENT_ID, "ada@example.com", PASSWORD).unwrap();
    let result = &out["AuthenticationResult"];
    assert_eq!(result["TokenType"], "Bearer");
    assert_eq!(result["ExpiresIn"], 3600);
    assert!(result["RefreshToken"].as_str().unwrap().len() > 64);
    let id = claims(result["IdToken"].as_str().unwrap());
    let access = claims(result["AccessToken"].as_str().unwrap());
    let iss = format!("http://127.0.0.1:4001/{POOL_ID}");
    assert_eq!(id["sub"], sub);
    assert_eq!(id["iss"], iss);
    assert_eq!(id["aud"], CLIENT_ID);
    assert_eq!(id["token_use"], "id");
    assert_eq!(id["email"], "ada@example.com");
    assert_eq!(id["email_verified"], true);
    assert_eq!(id["cognito:username"], sub);
    assert_eq!(id["cognito:groups"], json!(["admins", "editors"]), "ordered by precedence");
    assert_eq!(id["cognito:roles"], json!(["arn:aws:iam::123456789012:role/admins"]));
    assert_eq!(id["exp"].as_i64().unwrap() - id["iat"].as_i64().unwrap(), 3600);
    for claim in ["origin_jti", "event_id", "auth_time", "jti"] {
        assert!(id.get(claim).is_some(), "id token lacks {claim}");
    }
    assert_eq!(access["sub"], sub);
    assert_eq!(access["iss"], iss);
    assert_eq!(access["client_id"], CLIENT_ID);
    assert_eq!(access["token_use"], "access");
    assert_eq!(access["scope"], "aws.cognito.signin.user.admin");
    assert_eq!(access["username"], sub);
    assert_eq!(access["cognito:groups"], json!(["admins", "editors"]));
    assert_eq!(access["origin_jti"], id["origin_jti"]);
    assert_eq!(access["event_id"], id["event_id"]);
    assert!(access.get("aud").is_none());
    assert_ne!(access["jti"], id["jti"]);
}

#[test]
fn srp_refuses_a_wrong_password() {
    let h = harness();
    h.confirmed_user("ada@example.com");
    let err = h.srp_sign_in(CLIENT_ID, "ada@example.com", "Wrong-Passw0rd").unwrap_err();
    assert_eq!(err.type_name(), "NotAuthorizedException");
    assert_eq!(err.message(), "Incorrect username or password.");
}

#[test]
fn srp_answers_an_unknown_user_with_a_challenge_it_cannot_pass() {
    let h = harness();
    let err = h.srp_sign_in(CLIENT_ID, "ghost@example.com", PASSWORD).unwrap_err();
    assert_eq!(err.message(), "Incorrect username or password.");
    // A client without prevention reports the unknown user at once.
    let err = srp_sign_in(&h.pools, POOL_ID, SECRET_CLIENT, "ghost@example.com", PASSWORD, Some("x")).unwrap_err();
    assert_eq!(err.type_name(), "UserNotFoundException");
}

#[test]
fn an_unknown_secret_block_is_an_invalid_session_and_a_bad_timestamp_a_bad_parameter() {
    let h = harness();
    let (kind, message) = h.err(
        "RespondToAuthChallenge",
        json!({"ClientId": CLIENT_ID, "ChallengeName": "PASSWORD_VERIFIER",
               "ChallengeResponses": {"USERNAME": "u", "PASSWORD_CLAIM_SECRET_BLOCK": "AAAA",
                                      "PASSWORD_CLAIM_SIGNATURE": "AAAA", "TIMESTAMP": "Sun Dec 6 06:36:47 UTC 2026"}}),
    );
    assert_eq!((kind.as_str(), message.as_str()), ("NotAuthorizedException", "Invalid session for the user."));
    let (kind, _) = h.err(
        "RespondToAuthChallenge",
        json!({"ClientId": CLIENT_ID, "ChallengeName": "PASSWORD_VERIFIER",
               "ChallengeResponses": {"USERNAME": "u", "PASSWORD_CLAIM_SECRET_BLOCK": "AAAA",
                                      "PASSWORD_CLAIM_SIGNATURE": "AAAA", "TIMESTAMP": "2026-12-06"}}),
    );
    assert_eq!(kind, "InvalidParameterException");
}

#[test]
fn unconfirmed_and_disabled_users_cannot_sign_in() {
    let h = harness();
    h.ok("SignUp", json!({"ClientId": CLIENT_ID, "Username": "new@example.com", "Password": PASSWORD}));
    let err = h.srp_sign_in(CLIENT_ID, "new@example.com", PASSWORD).unwrap_err();
    assert_eq!((err.type_name(), err.message().as_str()), ("UserNotConfirmedException", "User is not confirmed."));
    h.confirmed_user("ada@example.com");
    h.ok("AdminDisableUser", json!({"UserPoolId": POOL_ID, "Username": "ada@example.com"}));
    let err = h.srp_sign_in(CLIENT_ID, "ada@example.com", PASSWORD).unwrap_err();
    assert_eq!(err.message(), "User is disabled.");
    h.ok("AdminEnableUser", json!({"UserPoolId": POOL_ID, "Username": "ada@example.com"}));
    h.tokens("ada@example.com", PASSWORD);
}

#[test]
fn each_flow_must_be_enabled_on_the_client() {
    let h = harness();
    h.confirmed_user("ada@example.com");
    let err = password_auth(&h, CLIENT_ID, "ada@example.com", PASSWORD).unwrap_err();
    assert_eq!(
        (err.type_name(), err.message().as_str()),
        ("InvalidParameterException", "Auth flow not enabled for this client")
    );
    let err = srp_sign_in(&h.pools, POOL_ID, PASSWORD_CLIENT, "ada@example.com", PASSWORD, None).unwrap_err();
    assert_eq!(err.message(), "Auth flow not enabled for this client");
    let (kind, message) = h.err(
        "InitiateAuth",
        json!({"ClientId": CLIENT_ID, "AuthFlow": "CUSTOM_AUTH", "AuthParameters": {"USERNAME": "ada@example.com"}}),
    );
    assert_eq!(kind, "InvalidParameterException");
    assert_eq!(message, "Custom auth lambda trigger is not configured for the user pool.");
}

#[test]
fn user_password_auth_uses_the_clients_token_lifetimes() {
    let h = harness();
    h.confirmed_user("ada@example.com");
    let err = password_auth(&h, PASSWORD_CLIENT, "ada@example.com", "Wrong-Passw0rd").unwrap_err();
    assert_eq!(err.message(), "Incorrect username or password.");
    let err = password_auth(&h, PASSWORD_CLIENT, "ghost@example.com", PASSWORD).unwrap_err();
    assert_eq!(err.type_name(), "UserNotFoundException", "LEGACY clients reveal unknown users");
    let out = password_auth(&h, PASSWORD_CLIENT, "ada@example.com", PASSWORD).unwrap();
    let result = &out["AuthenticationResult"];
    assert_eq!(result["ExpiresIn"], 300);
    let id = claims(result["IdToken"].as_str().unwrap());
    assert_eq!(id["exp"].as_i64().unwrap() - id["iat"].as_i64().unwrap(), 600);
    assert_eq!(id["aud"], PASSWORD_CLIENT);
}

#[test]
fn refresh_keeps_the_session_until_it_expires_or_is_revoked() {
    let h = harness();
    h.confirmed_user("ada@example.com");
    let first =
        password_auth(&h, PASSWORD_CLIENT, "ada@example.com", PASSWORD).unwrap()["AuthenticationResult"].clone();
    let refresh_token = first["RefreshToken"].as_str().unwrap();
    let refresh = |client: &str, token: &str| {
        h.call(
            "InitiateAuth",
            json!({"ClientId": client, "AuthFlow": "REFRESH_TOKEN_AUTH", "AuthParameters": {"REFRESH_TOKEN": token}}),
        )
    };
    h.pools.advance_clock(60);
    let again = refresh(PASSWORD_CLIENT, refresh_token).unwrap()["AuthenticationResult"].clone();
    assert!(again.get("RefreshToken").is_none());
    let (a, b) = (claims(first["AccessToken"].as_str().unwrap()), claims(again["AccessToken"].as_str().unwrap()));
    assert_eq!(a["origin_jti"], b["origin_jti"]);
    assert_eq!(a["auth_time"], b["auth_time"]);
    assert!(b["iat"].as_i64().unwrap() >= a["iat"].as_i64().unwrap() + 60);
    // The newer call Amplify v6 uses answers the same way.
    let newer = h.ok("GetTokensFromRefreshToken", json!({"ClientId": PASSWORD_CLIENT, "RefreshToken": refresh_token}));
    assert!(newer["AuthenticationResult"]["IdToken"].is_string());

    let err = refresh(CLIENT_ID, refresh_token).unwrap_err();
    assert_eq!(err.message(), "Invalid Refresh Token", "a token belongs to its client");
    let err = refresh(PASSWORD_CLIENT, "garbage").unwrap_err();
    assert_eq!(err.message(), "Invalid Refresh Token");
    h.pools.advance_clock(2 * 3600);
    let err = refresh(PASSWORD_CLIENT, refresh_token).unwrap_err();
    assert_eq!(err.message(), "Refresh Token has expired");

    let second =
        password_auth(&h, PASSWORD_CLIENT, "ada@example.com", PASSWORD).unwrap()["AuthenticationResult"].clone();
    let token = second["RefreshToken"].as_str().unwrap();
    h.ok("RevokeToken", json!({"ClientId": PASSWORD_CLIENT, "Token": token}));
    assert_eq!(refresh(PASSWORD_CLIENT, token).unwrap_err().message(), "Invalid Refresh Token");
}

#[test]
fn clients_with_a_secret_need_the_secret_hash() {
    let h = harness();
    let sub = h.confirmed_user("ada@example.com");
    let secret = h.pools.client_secret(SECRET_CLIENT).expect("a generated secret");
    assert_eq!(secret.len(), 52);
    assert!(h.pools.client_secret(CLIENT_ID).is_none());
    let err = password_auth(&h, SECRET_CLIENT, "ada@example.com", PASSWORD).unwrap_err();
    assert_eq!(err.message(), format!("Client {SECRET_CLIENT} is configured for secret but secret was not received"));
    let bad = h.call(
        "InitiateAuth",
        json!({"ClientId": SECRET_CLIENT, "AuthFlow": "USER_PASSWORD_AUTH",
               "AuthParameters": {"USERNAME": "ada@example.com", "PASSWORD": PASSWORD, "SECRET_HASH": "bm9wZQ=="}}),
    );
    assert_eq!(bad.unwrap_err().message(), format!("Unable to verify secret hash for client {SECRET_CLIENT}"));
    let hash = secret_hash(&secret, "ada@example.com", SECRET_CLIENT);
    let out = h.ok(
        "InitiateAuth",
        json!({"ClientId": SECRET_CLIENT, "AuthFlow": "USER_PASSWORD_AUTH",
               "AuthParameters": {"USERNAME": "ada@example.com", "PASSWORD": PASSWORD, "SECRET_HASH": hash}}),
    );
    let refresh_token = out["AuthenticationResult"]["RefreshToken"].as_str().unwrap();
    // Refreshing hashes the user's username (its sub here).
    let by_sub = secret_hash(&secret, &sub, SECRET_CLIENT);
    h.ok(
        "InitiateAuth",
        json!({"ClientId": SECRET_CLIENT, "AuthFlow": "REFRESH_TOKEN_AUTH",
               "AuthParameters": {"REFRESH_TOKEN": refresh_token, "SECRET_HASH": by_sub}}),
    );
    srp_sign_in(&h.pools, POOL_ID, SECRET_CLIENT, "ada@example.com", PASSWORD, Some(&secret)).unwrap();
    let err = srp_sign_in(&h.pools, POOL_ID, SECRET_CLIENT, "ada@example.com", PASSWORD, Some("wrong")).unwrap_err();
    assert_eq!(err.message(), format!("Unable to verify secret hash for client {SECRET_CLIENT}"));
    // RevokeToken takes the secret itself.
    let (kind, _) = h.err("RevokeToken", json!({"ClientId": SECRET_CLIENT, "Token": refresh_token}));
    assert_eq!(kind, "NotAuthorizedException");
    h.ok("RevokeToken", json!({"ClientId": SECRET_CLIENT, "Token": refresh_token, "ClientSecret": secret}));
}

#[test]
fn admin_created_users_choose_a_new_password_on_first_sign_in() {
    let h = harness();
    h.ok(
        "AdminCreateUser",
        json!({"UserPoolId": POOL_ID, "Username": "temp@example.com", "TemporaryPassword": "Temp-Passw0rd",
               "MessageAction": "SUPPRESS"}),
    );
    let out = h.srp_sign_in(CLIENT_ID, "temp@example.com", "Temp-Passw0rd").unwrap();
    assert_eq!(out["ChallengeName"], "NEW_PASSWORD_REQUIRED");
    let params = &out["ChallengeParameters"];
    assert_eq!(params["requiredAttributes"], "[]");
    let attrs: Value = serde_json::from_str(params["userAttributes"].as_str().unwrap()).unwrap();
    assert_eq!(attrs["email"], "temp@example.com");
    let session = out["Session"].as_str().unwrap();
    let username = params["USER_ID_FOR_SRP"].as_str().unwrap();
    let answer = |password: &str, session: &str| {
        h.call(
            "RespondToAuthChallenge",
            json!({"ClientId": CLIENT_ID, "ChallengeName": "NEW_PASSWORD_REQUIRED", "Session": session,
                   "ChallengeResponses": {"USERNAME": username, "NEW_PASSWORD": password,
                                          "userAttributes.name": "Tempo"}}),
        )
    };
    let weak = answer("weak", session).unwrap_err();
    assert_eq!(weak.type_name(), "InvalidPasswordException");
    // The challenge survives a refused password.
    let done = answer("Chosen-Passw0rd", session).unwrap();
    assert!(done["AuthenticationResult"]["AccessToken"].is_string());
    assert_eq!(claims(done["AuthenticationResult"]["IdToken"].as_str().unwrap())["name"], "Tempo");
    assert_eq!(answer("Chosen-Passw0rd", session).unwrap_err().message(), "Invalid session for the user.");
    let user = h.ok("AdminGetUser", json!({"UserPoolId": POOL_ID, "Username": "temp@example.com"}));
    assert_eq!(user["UserStatus"], "CONFIRMED");
    h.tokens("temp@example.com", "Chosen-Passw0rd");
}

#[test]
fn temporary_passwords_expire() {
    let h = harness();
    h.ok("AdminCreateUser", json!({"UserPoolId": POOL_ID, "Username": "late@example.com"}));
    let temporary = h.code(MessagePurpose::Invitation);
    h.pools.advance_clock(8 * 86_400);
    let err = h.srp_sign_in(CLIENT_ID, "late@example.com", &temporary).unwrap_err();
    assert_eq!(err.message(), "Temporary password has expired and must be reset by an administrator.");
}

#[test]
fn an_expired_new_password_session_is_reported_as_such() {
    let h = harness();
    h.ok(
        "AdminCreateUser",
        json!({"UserPoolId": POOL_ID, "Username": "slow@example.com", "TemporaryPassword": "Temp-Passw0rd", "MessageAction": "SUPPRESS"}),
    );
    let out = h.srp_sign_in(CLIENT_ID, "slow@example.com", "Temp-Passw0rd").unwrap();
    h.pools.advance_clock(181);
    let (_, message) = h.err(
        "RespondToAuthChallenge",
        json!({"ClientId": CLIENT_ID, "ChallengeName": "NEW_PASSWORD_REQUIRED", "Session": out["Session"],
               "ChallengeResponses": {"USERNAME": "slow@example.com", "NEW_PASSWORD": "Chosen-Passw0rd"}}),
    );
    assert_eq!(message, "Invalid session for the user, session is expired.");
}
