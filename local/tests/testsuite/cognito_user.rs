//! The signed-in user's calls (GetUser, attributes and their verification,
//! passwords, sign-out, deletion) and token verification.

use crate::cognito_support;

use cognito_support::{claims, Harness, CLIENT_ID, PASSWORD, POOL_ID};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use local::cognito::MessagePurpose;
use serde_json::{json, Value};

fn signed_in(h: &Harness, email: &str) -> (String, Value) {
    let sub = h.confirmed_user(email);
    (sub, h.tokens(email, PASSWORD))
}

fn access(tokens: &Value) -> String {
    tokens["AccessToken"].as_str().unwrap().to_string()
}

#[test]
fn get_user_returns_the_users_attributes() {
    let h = Harness::chat();
    let (sub, tokens) = signed_in(&h, "ada@example.com");
    let out = h.ok("GetUser", json!({"AccessToken": access(&tokens)}));
    assert_eq!(out["Username"], sub);
    let attrs = out["UserAttributes"].as_array().unwrap();
    assert!(attrs.contains(&json!({"Name": "sub", "Value": sub})));
    assert!(attrs.contains(&json!({"Name": "email", "Value": "ada@example.com"})));
    // An ID token is not an access token.
    let (kind, message) = h.err("GetUser", json!({"AccessToken": tokens["IdToken"]}));
    assert_eq!((kind.as_str(), message.as_str()), ("NotAuthorizedException", "Invalid Access Token"));
    let (_, message) = h.err("GetUser", json!({"AccessToken": "not.a.token"}));
    assert_eq!(message, "Invalid Access Token");
}

#[test]
fn access_tokens_expire() {
    let h = Harness::chat();
    let (_, tokens) = signed_in(&h, "ada@example.com");
    h.pools.advance_clock(3601);
    let (_, message) = h.err("GetUser", json!({"AccessToken": access(&tokens)}));
    assert_eq!(message, "Access Token has expired");
    assert_eq!(h.pools.verify(&access(&tokens)).unwrap_err().message(), "Token has expired.");
}

#[test]
fn a_new_email_waits_for_its_code_before_replacing_the_old_one() {
    // The chat pool keeps the old email until the new one is verified.
    let h = Harness::chat();
    let (_, tokens) = signed_in(&h, "ada@example.com");
    let out = h.ok(
        "UpdateUserAttributes",
        json!({"AccessToken": access(&tokens), "UserAttributes": [
            {"Name": "email", "Value": "ada@new.example"}, {"Name": "name", "Value": "Ada"}]}),
    );
    assert_eq!(
        out["CodeDeliveryDetailsList"],
        json!([{"Destination": "a***@n***", "DeliveryMedium": "EMAIL", "AttributeName": "email"}])
    );
    let sent = h.sent();
    assert_eq!(sent.last().unwrap().destination, "ada@new.example");
    assert_eq!(sent.last().unwrap().purpose, MessagePurpose::VerifyAttribute("email".into()));
    let code = sent.last().unwrap().code.clone();
    let user = h.ok("GetUser", json!({"AccessToken": access(&tokens)}));
    let attrs = user["UserAttributes"].as_array().unwrap();
    assert!(attrs.contains(&json!({"Name": "email", "Value": "ada@example.com"})));
    assert!(attrs.contains(&json!({"Name": "name", "Value": "Ada"})));
    let (kind, _) = h.err(
        "VerifyUserAttribute",
        json!({"AccessToken": access(&tokens), "AttributeName": "email", "Code": if code == "000000" {"111111"} else {"000000"}}),
    );
    assert_eq!(kind, "CodeMismatchException");
    h.ok("VerifyUserAttribute", json!({"AccessToken": access(&tokens), "AttributeName": "email", "Code": code}));
    let user = h.ok("GetUser", json!({"AccessToken": access(&tokens)}));
    let attrs = user["UserAttributes"].as_array().unwrap();
    assert!(attrs.contains(&json!({"Name": "email", "Value": "ada@new.example"})));
    assert!(attrs.contains(&json!({"Name": "email_verified", "Value": "true"})));
    // The new address is now the sign-in name.
    h.tokens("ada@new.example", PASSWORD);
}

#[test]
fn an_email_that_another_user_signs_in_with_cannot_be_taken() {
    let h = Harness::chat();
    h.confirmed_user("bob@example.com");
    let (_, tokens) = signed_in(&h, "ada@example.com");
    // The chat pool defers the change, so the clash shows when it would apply.
    h.ok(
        "UpdateUserAttributes",
        json!({"AccessToken": access(&tokens), "UserAttributes": [{"Name": "email", "Value": "bob@example.com"}]}),
    );
    let code = h.code(MessagePurpose::VerifyAttribute("email".into()));
    let (kind, message) =
        h.err("VerifyUserAttribute", json!({"AccessToken": access(&tokens), "AttributeName": "email", "Code": code}));
    assert_eq!(kind, "AliasExistsException");
    assert_eq!(message, "An account with the given email already exists.");
}

#[test]
fn attribute_codes_can_be_requested_again_and_bad_attributes_are_refused() {
    let h = Harness::chat();
    let (_, tokens) = signed_in(&h, "ada@example.com");
    let out =
        h.ok("GetUserAttributeVerificationCode", json!({"AccessToken": access(&tokens), "AttributeName": "email"}));
    assert_eq!(out["CodeDeliveryDetails"]["AttributeName"], "email");
    let code = h.code(MessagePurpose::VerifyAttribute("email".into()));
    h.ok("VerifyUserAttribute", json!({"AccessToken": access(&tokens), "AttributeName": "email", "Code": code}));
    let (kind, _) = h.err(
        "UpdateUserAttributes",
        json!({"AccessToken": access(&tokens), "UserAttributes": [{"Name": "custom:x", "Value": "1"}]}),
    );
    assert_eq!(kind, "InvalidParameterException");
    let (kind, _) = h.err(
        "UpdateUserAttributes",
        json!({"AccessToken": access(&tokens), "UserAttributes": [{"Name": "email", "Value": "not-an-email"}]}),
    );
    assert_eq!(kind, "InvalidParameterException");
    h.ok(
        "UpdateUserAttributes",
        json!({"AccessToken": access(&tokens), "UserAttributes": [{"Name": "nickname", "Value": "ace"}]}),
    );
    h.ok("DeleteUserAttributes", json!({"AccessToken": access(&tokens), "UserAttributeNames": ["nickname"]}));
    let (_, message) =
        h.err("DeleteUserAttributes", json!({"AccessToken": access(&tokens), "UserAttributeNames": ["email"]}));
    assert_eq!(message, "Attributes did not conform to the schema: email: The attribute is required");
    let user = h.ok("GetUser", json!({"AccessToken": access(&tokens)}));
    assert!(!user["UserAttributes"].to_string().contains("nickname"));
}

#[test]
fn change_password_needs_the_old_one() {
    let h = Harness::chat();
    let (_, tokens) = signed_in(&h, "ada@example.com");
    let (kind, message) = h.err(
        "ChangePassword",
        json!({"AccessToken": access(&tokens), "PreviousPassword": "Wrong-Passw0rd", "ProposedPassword": "Next-Passw0rd"}),
    );
    assert_eq!((kind.as_str(), message.as_str()), ("NotAuthorizedException", "Incorrect username or password."));
    let (kind, _) = h.err(
        "ChangePassword",
        json!({"AccessToken": access(&tokens), "PreviousPassword": PASSWORD, "ProposedPassword": "weak"}),
    );
    assert_eq!(kind, "InvalidPasswordException");
    h.ok(
        "ChangePassword",
        json!({"AccessToken": access(&tokens), "PreviousPassword": PASSWORD, "ProposedPassword": "Next-Passw0rd"}),
    );
    assert!(h.srp_sign_in(CLIENT_ID, "ada@example.com", PASSWORD).is_err());
    h.tokens("ada@example.com", "Next-Passw0rd");
}

#[test]
fn forgot_password_sends_a_code_that_sets_a_new_password() {
    let h = Harness::chat();
    h.confirmed_user("ada@example.com");
    let out = h.ok("ForgotPassword", json!({"ClientId": CLIENT_ID, "Username": "ada@example.com"}));
    assert_eq!(out["CodeDeliveryDetails"]["Destination"], "a***@e***");
    let code = h.code(MessagePurpose::ForgotPassword);
    let confirm = |code: &str, password: &str| {
        h.call(
            "ConfirmForgotPassword",
            json!({"ClientId": CLIENT_ID, "Username": "ada@example.com", "ConfirmationCode": code, "Password": password}),
        )
    };
    let wrong = if code == "000000" { "111111" } else { "000000" };
    assert_eq!(confirm(wrong, "Reset-Passw0rd").unwrap_err().type_name(), "CodeMismatchException");
    assert_eq!(confirm(&code, "weak").unwrap_err().type_name(), "InvalidPasswordException");
    confirm(&code, "Reset-Passw0rd").unwrap();
    assert_eq!(
        confirm(&code, "Reset-Passw0rd").unwrap_err().type_name(),
        "CodeMismatchException",
        "codes are single-use"
    );
    h.tokens("ada@example.com", "Reset-Passw0rd");

    // Reset codes live an hour.
    h.ok("ForgotPassword", json!({"ClientId": CLIENT_ID, "Username": "ada@example.com"}));
    let code = h.code(MessagePurpose::ForgotPassword);
    h.pools.advance_clock(3601);
    assert_eq!(confirm(&code, "Later-Passw0rd").unwrap_err().type_name(), "ExpiredCodeException");
}

#[test]
fn forgot_password_needs_a_verified_address() {
    let h = Harness::chat();
    h.ok("SignUp", json!({"ClientId": CLIENT_ID, "Username": "new@example.com", "Password": PASSWORD}));
    let (kind, message) = h.err("ForgotPassword", json!({"ClientId": CLIENT_ID, "Username": "new@example.com"}));
    assert_eq!(kind, "InvalidParameterException");
    assert_eq!(message, "Cannot reset password for the user as there is no registered/verified email or phone_number");
    // Unknown users get a believable answer (PreventUserExistenceErrors).
    let out = h.ok("ForgotPassword", json!({"ClientId": CLIENT_ID, "Username": "ghost@example.com"}));
    assert_eq!(out["CodeDeliveryDetails"]["DeliveryMedium"], "EMAIL");
}

#[test]
fn global_sign_out_revokes_every_session_of_the_user() {
    let h = Harness::chat();
    let (_, first) = signed_in(&h, "ada@example.com");
    let second = h.tokens("ada@example.com", PASSWORD);
    let (_, other) = signed_in(&h, "bob@example.com");
    h.ok("GlobalSignOut", json!({"AccessToken": access(&first)}));
    for tokens in [&first, &second] {
        let (_, message) = h.err("GetUser", json!({"AccessToken": access(tokens)}));
        assert_eq!(message, "Access Token has been revoked");
        assert!(h.pools.verify(tokens["IdToken"].as_str().unwrap()).is_err());
        let (_, message) = h.err(
            "InitiateAuth",
            json!({"ClientId": CLIENT_ID, "AuthFlow": "REFRESH_TOKEN_AUTH", "AuthParameters": {"REFRESH_TOKEN": tokens["RefreshToken"]}}),
        );
        assert_eq!(message, "Invalid Refresh Token");
    }
    h.ok("GetUser", json!({"AccessToken": access(&other)}));
    h.ok("AdminUserGlobalSignOut", json!({"UserPoolId": POOL_ID, "Username": "bob@example.com"}));
    assert!(h.call("GetUser", json!({"AccessToken": access(&other)})).is_err());
}

#[test]
fn revoke_token_ends_one_session_only() {
    let h = Harness::chat();
    let (_, first) = signed_in(&h, "ada@example.com");
    let second = h.tokens("ada@example.com", PASSWORD);
    h.ok("RevokeToken", json!({"ClientId": CLIENT_ID, "Token": first["RefreshToken"]}));
    assert!(h.call("GetUser", json!({"AccessToken": access(&first)})).is_err());
    h.ok("GetUser", json!({"AccessToken": access(&second)}));
    // Revoking again, or an unknown token, is not an error.
    h.ok("RevokeToken", json!({"ClientId": CLIENT_ID, "Token": first["RefreshToken"]}));
    let (kind, _) = h.err("RevokeToken", json!({"ClientId": CLIENT_ID, "Token": access(&second)}));
    assert_eq!(kind, "UnsupportedTokenTypeException");
}

#[test]
fn delete_user_removes_the_user_and_its_sessions() {
    let h = Harness::chat();
    let (_, tokens) = signed_in(&h, "ada@example.com");
    h.ok("DeleteUser", json!({"AccessToken": access(&tokens)}));
    assert!(h.pools.verify(&access(&tokens)).is_err());
    let (kind, _) = h.err("AdminGetUser", json!({"UserPoolId": POOL_ID, "Username": "ada@example.com"}));
    assert_eq!(kind, "UserNotFoundException");
    // The address is free again.
    h.confirmed_user("ada@example.com");
}

#[test]
fn verify_returns_claims_and_the_jwks_verifies_the_signature() {
    let h = Harness::chat();
    h.pools.set_endpoint("http://127.0.0.1:9999");
    let (sub, tokens) = signed_in(&h, "ada@example.com");
    let id = tokens["IdToken"].as_str().unwrap();
    let verified = h.pools.verify(id).unwrap();
    assert_eq!(verified["sub"], sub);
    assert_eq!(verified["token_use"], "id");
    // A tampered token fails.
    let mut parts: Vec<String> = id.split('.').map(String::from).collect();
    let mut payload = claims(id);
    payload["sub"] = json!("someone-else");
    use base64::Engine;
    parts[1] = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(payload.to_string());
    assert_eq!(h.pools.verify(&parts.join(".")).unwrap_err().message(), "Invalid token");
    // Anyone can check the signature with the published JWKS, like a backend would.
    let jwks = h.pools.jwks(POOL_ID).unwrap();
    let key = &jwks["keys"][0];
    assert_eq!(key["alg"], "RS256");
    assert_eq!(key["kty"], "RSA");
    assert_eq!(key["use"], "sig");
    let header = jsonwebtoken::decode_header(id).unwrap();
    assert_eq!(header.kid.as_deref(), key["kid"].as_str());
    let decoding = DecodingKey::from_rsa_components(key["n"].as_str().unwrap(), key["e"].as_str().unwrap()).unwrap();
    let mut validation = Validation::new(Algorithm::RS256);
    validation.set_audience(&[CLIENT_ID]);
    validation.set_issuer(&[format!("http://127.0.0.1:9999/{POOL_ID}")]);
    let data = jsonwebtoken::decode::<Value>(id, &decoding, &validation).unwrap();
    assert_eq!(data.claims["email"], "ada@example.com");
    assert!(h.pools.jwks("us-east-1_other").is_none());
}

#[test]
fn disabling_a_user_revokes_its_tokens() {
    let h = Harness::chat();
    let (_, tokens) = signed_in(&h, "ada@example.com");
    h.ok("AdminDisableUser", json!({"UserPoolId": POOL_ID, "Username": "ada@example.com"}));
    h.ok("AdminEnableUser", json!({"UserPoolId": POOL_ID, "Username": "ada@example.com"}));
    assert_eq!(h.pools.verify(&access(&tokens)).unwrap_err().message(), "Access Token has been revoked");
}

#[test]
fn a_token_verified_before_is_refused_once_revoked_disabled_or_expired() {
    // Each token's signature is checked once and remembered; revocation,
    // the user's state and expiry are still checked on every call.
    let h = Harness::chat();
    let (_, ada) = signed_in(&h, "ada@example.com");
    let (_, bob) = signed_in(&h, "bob@example.com");
    let (_, eve) = signed_in(&h, "eve@example.com");
    for tokens in [&ada, &bob, &eve] {
        h.pools.verify(&access(tokens)).unwrap();
        h.pools.verify(&access(tokens)).unwrap();
    }
    h.ok("GlobalSignOut", json!({"AccessToken": access(&ada)}));
    assert_eq!(h.pools.verify(&access(&ada)).unwrap_err().message(), "Access Token has been revoked");
    h.ok("AdminDisableUser", json!({"UserPoolId": POOL_ID, "Username": "bob@example.com"}));
    // Disabling a user ends its sessions, as Cognito does.
    assert_eq!(h.pools.verify(&access(&bob)).unwrap_err().message(), "Access Token has been revoked");
    h.pools.verify(&access(&eve)).unwrap();
    h.pools.advance_clock(3601);
    assert_eq!(h.pools.verify(&access(&eve)).unwrap_err().message(), "Token has expired.");
}
