//! SignUp, ConfirmSignUp and ResendConfirmationCode on the chat pool (email
//! as username, email auto-verified, strict password policy).

use crate::cognito_support;

use cognito_support::{chat_pool, Harness, CLIENT_ID, PASSWORD, POOL_ID};
use local::cognito::{DeliveryMedium, MessagePurpose};
use serde_json::json;

fn sign_up(h: &Harness, email: &str, password: &str) -> Result<serde_json::Value, local::cognito::CognitoError> {
    h.call(
        "SignUp",
        json!({"ClientId": CLIENT_ID, "Username": email, "Password": password,
               "UserAttributes": [{"Name": "email", "Value": email}]}),
    )
}

#[test]
fn sign_up_creates_an_unconfirmed_user_and_sends_a_code_to_the_email() {
    let h = Harness::chat();
    let out = sign_up(&h, "ada@example.com", PASSWORD).unwrap();
    assert_eq!(out["UserConfirmed"], false);
    let sub = out["UserSub"].as_str().unwrap();
    assert_eq!(
        out["CodeDeliveryDetails"],
        json!({"Destination": "a***@e***", "DeliveryMedium": "EMAIL", "AttributeName": "email"})
    );
    let sent = h.sent();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].destination, "ada@example.com");
    assert_eq!(sent[0].medium, DeliveryMedium::Email);
    assert_eq!(sent[0].purpose, MessagePurpose::SignUp);
    assert_eq!(sent[0].username, sub);
    let user = h.ok("AdminGetUser", json!({"UserPoolId": POOL_ID, "Username": "ada@example.com"}));
    assert_eq!(user["UserStatus"], "UNCONFIRMED");
    // Email-as-username pools name the user by its sub.
    assert_eq!(user["Username"], sub);
}

#[test]
fn the_email_comes_from_the_username_when_not_given() {
    let h = Harness::chat();
    h.ok("SignUp", json!({"ClientId": CLIENT_ID, "Username": "bo@example.com", "Password": PASSWORD}));
    let user = h.ok("AdminGetUser", json!({"UserPoolId": POOL_ID, "Username": "bo@example.com"}));
    let attrs = user["UserAttributes"].as_array().unwrap();
    assert!(attrs.contains(&json!({"Name": "email", "Value": "bo@example.com"})));
}

#[test]
fn a_second_sign_up_with_the_same_email_is_refused_case_insensitively() {
    let h = Harness::chat();
    sign_up(&h, "ada@example.com", PASSWORD).unwrap();
    let (kind, message) =
        h.err("SignUp", json!({"ClientId": CLIENT_ID, "Username": "ADA@example.com", "Password": PASSWORD}));
    assert_eq!(kind, "UsernameExistsException");
    assert_eq!(message, "An account with the given email already exists.");
}

#[test]
fn passwords_are_checked_against_the_pool_policy() {
    let h = Harness::chat();
    for (password, reason) in [
        ("Sh0rt!", "Password not long enough"),
        ("nouppercase1!", "Password must have uppercase characters"),
        ("NOLOWERCASE1!", "Password must have lowercase characters"),
        ("NoNumbers!!", "Password must have numeric characters"),
        ("NoSymbols123", "Password must have symbol characters"),
    ] {
        let err = sign_up(&h, "p@example.com", password).unwrap_err();
        assert_eq!(err.type_name(), "InvalidPasswordException");
        assert_eq!(err.message(), format!("Password did not conform with policy: {reason}"));
    }
    assert!(h.sent().is_empty(), "no code for a refused sign-up");
}

#[test]
fn usernames_and_attributes_are_validated() {
    let h = Harness::chat();
    let (kind, message) =
        h.err("SignUp", json!({"ClientId": CLIENT_ID, "Username": "not-an-email", "Password": PASSWORD}));
    assert_eq!((kind.as_str(), message.as_str()), ("InvalidParameterException", "Username should be an email."));
    let (kind, message) = h.err(
        "SignUp",
        json!({"ClientId": CLIENT_ID, "Username": "c@example.com", "Password": PASSWORD,
               "UserAttributes": [{"Name": "custom:nope", "Value": "x"}]}),
    );
    assert_eq!(kind, "InvalidParameterException");
    assert_eq!(
        message,
        "Attributes did not conform to the schema: custom:nope: Attribute does not exist in the schema."
    );
    let (kind, _) = h.err(
        "SignUp",
        json!({"ClientId": CLIENT_ID, "Username": "c@example.com", "Password": PASSWORD,
               "UserAttributes": [{"Name": "email_verified", "Value": "true"}]}),
    );
    assert_eq!(kind, "NotAuthorizedException", "clients cannot verify their own email");
    let (kind, message) = h.err("SignUp", json!({"ClientId": CLIENT_ID, "Password": PASSWORD}));
    assert_eq!(kind, "InvalidParameterException");
    assert!(message.contains("Value null at 'username'"), "{message}");
    let (kind, message) = h.err("SignUp", json!({"ClientId": "nope", "Username": "a@b.c", "Password": PASSWORD}));
    assert_eq!(
        (kind.as_str(), message.as_str()),
        ("ResourceNotFoundException", "User pool client nope does not exist.")
    );
}

#[test]
fn required_attributes_must_be_given() {
    let (pool, client) = cognito_support::chat_fixture();
    let mut pool = pool;
    pool["Schema"] = json!([{"Name": "email", "Required": true}, {"Name": "given_name", "Required": true}]);
    let cfg = local::cognito::PoolConfig::from_cloudformation(POOL_ID, &pool, vec![(CLIENT_ID.into(), client)], vec![])
        .unwrap();
    let h = Harness::new(vec![cfg]);
    let err = sign_up(&h, "d@example.com", PASSWORD).unwrap_err();
    assert_eq!(err.type_name(), "InvalidParameterException");
    assert_eq!(err.message(), "Attributes did not conform to the schema: given_name: The attribute is required");
    h.ok(
        "SignUp",
        json!({"ClientId": CLIENT_ID, "Username": "d@example.com", "Password": PASSWORD,
               "UserAttributes": [{"Name": "given_name", "Value": "Dee"}]}),
    );
}

#[test]
fn confirm_sign_up_checks_the_code_and_verifies_the_email() {
    let h = Harness::chat();
    sign_up(&h, "ada@example.com", PASSWORD).unwrap();
    let code = h.code(MessagePurpose::SignUp);
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let (kind, message) = h
        .err("ConfirmSignUp", json!({"ClientId": CLIENT_ID, "Username": "ada@example.com", "ConfirmationCode": wrong}));
    assert_eq!(kind, "CodeMismatchException");
    assert_eq!(message, "Invalid verification code provided, please try again.");
    h.ok("ConfirmSignUp", json!({"ClientId": CLIENT_ID, "Username": "ada@example.com", "ConfirmationCode": code}));
    let user = h.ok("AdminGetUser", json!({"UserPoolId": POOL_ID, "Username": "ada@example.com"}));
    assert_eq!(user["UserStatus"], "CONFIRMED");
    assert!(user["UserAttributes"].as_array().unwrap().contains(&json!({"Name": "email_verified", "Value": "true"})));
    let (kind, message) =
        h.err("ConfirmSignUp", json!({"ClientId": CLIENT_ID, "Username": "ada@example.com", "ConfirmationCode": code}));
    assert_eq!(kind, "NotAuthorizedException");
    assert_eq!(message, "User cannot be confirmed. Current status is CONFIRMED");
}

#[test]
fn codes_expire_after_a_day() {
    let h = Harness::chat();
    sign_up(&h, "ada@example.com", PASSWORD).unwrap();
    let code = h.code(MessagePurpose::SignUp);
    h.pools.advance_clock(24 * 3600 + 1);
    let (kind, _) =
        h.err("ConfirmSignUp", json!({"ClientId": CLIENT_ID, "Username": "ada@example.com", "ConfirmationCode": code}));
    assert_eq!(kind, "ExpiredCodeException");
}

#[test]
fn an_unknown_user_looks_like_a_wrong_code_when_existence_errors_are_prevented() {
    let h = Harness::chat();
    let (kind, _) = h.err(
        "ConfirmSignUp",
        json!({"ClientId": CLIENT_ID, "Username": "ghost@example.com", "ConfirmationCode": "123456"}),
    );
    assert_eq!(kind, "CodeMismatchException");
    // And resending to an unknown address answers like a real delivery.
    let out = h.ok("ResendConfirmationCode", json!({"ClientId": CLIENT_ID, "Username": "ghost@example.com"}));
    assert_eq!(out["CodeDeliveryDetails"]["Destination"], "g***@e***");
    assert!(h.sent().is_empty());
}

#[test]
fn an_unknown_user_is_reported_when_the_client_allows_it() {
    let legacy = ("legacyclient".to_string(), json!({"PreventUserExistenceErrors": "LEGACY"}));
    let h = Harness::new(vec![chat_pool(vec![legacy], vec![])]);
    let (kind, message) = h.err(
        "ConfirmSignUp",
        json!({"ClientId": "legacyclient", "Username": "ghost@example.com", "ConfirmationCode": "123456"}),
    );
    assert_eq!((kind.as_str(), message.as_str()), ("UserNotFoundException", "User does not exist."));
}

#[test]
fn resending_replaces_the_code() {
    let h = Harness::chat();
    sign_up(&h, "ada@example.com", PASSWORD).unwrap();
    let first = h.code(MessagePurpose::SignUp);
    let out = h.ok("ResendConfirmationCode", json!({"ClientId": CLIENT_ID, "Username": "ada@example.com"}));
    assert_eq!(out["CodeDeliveryDetails"]["DeliveryMedium"], "EMAIL");
    let second = h.code(MessagePurpose::SignUp);
    if first != second {
        let (kind, _) = h.err(
            "ConfirmSignUp",
            json!({"ClientId": CLIENT_ID, "Username": "ada@example.com", "ConfirmationCode": first}),
        );
        assert_eq!(kind, "CodeMismatchException");
    }
    h.ok("ConfirmSignUp", json!({"ClientId": CLIENT_ID, "Username": "ada@example.com", "ConfirmationCode": second}));
    let (kind, message) =
        h.err("ResendConfirmationCode", json!({"ClientId": CLIENT_ID, "Username": "ada@example.com"}));
    assert_eq!((kind.as_str(), message.as_str()), ("InvalidParameterException", "User is already confirmed."));
}

#[test]
fn admin_only_pools_refuse_sign_up() {
    let (mut pool, client) = cognito_support::chat_fixture();
    pool["AdminCreateUserConfig"] = json!({"AllowAdminCreateUserOnly": true});
    let cfg = local::cognito::PoolConfig::from_cloudformation(POOL_ID, &pool, vec![(CLIENT_ID.into(), client)], vec![])
        .unwrap();
    let h = Harness::new(vec![cfg]);
    let err = sign_up(&h, "ada@example.com", PASSWORD).unwrap_err();
    assert_eq!(err.type_name(), "NotAuthorizedException");
    assert_eq!(err.message(), "SignUp is not permitted for this user pool");
}

#[test]
fn username_pools_with_email_alias_keep_the_username_and_sign_in_by_verified_email() {
    let pool = json!({"AliasAttributes": ["email"], "AutoVerifiedAttributes": ["email"],
                      "UsernameConfiguration": {"CaseSensitive": false}});
    let client = json!({"ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]});
    let cfg = local::cognito::PoolConfig::from_cloudformation(POOL_ID, &pool, vec![(CLIENT_ID.into(), client)], vec![])
        .unwrap();
    let h = Harness::new(vec![cfg]);
    let (kind, message) =
        h.err("SignUp", json!({"ClientId": CLIENT_ID, "Username": "eve@example.com", "Password": PASSWORD}));
    assert_eq!(kind, "InvalidParameterException");
    assert_eq!(message, "Username cannot be of email format, since user pool is configured for email alias.");
    h.ok(
        "SignUp",
        json!({"ClientId": CLIENT_ID, "Username": "Eve", "Password": PASSWORD,
               "UserAttributes": [{"Name": "email", "Value": "eve@example.com"}]}),
    );
    let login = |name: &str| {
        h.call(
            "InitiateAuth",
            json!({"ClientId": CLIENT_ID, "AuthFlow": "USER_PASSWORD_AUTH",
                   "AuthParameters": {"USERNAME": name, "PASSWORD": PASSWORD}}),
        )
    };
    // Unverified email is no alias yet.
    assert_eq!(login("eve@example.com").unwrap_err().type_name(), "UserNotFoundException");
    let code = h.code(MessagePurpose::SignUp);
    h.ok("ConfirmSignUp", json!({"ClientId": CLIENT_ID, "Username": "eve", "ConfirmationCode": code}));
    let by_alias = login("eve@example.com").unwrap();
    let claims = cognito_support::claims(by_alias["AuthenticationResult"]["AccessToken"].as_str().unwrap());
    assert_eq!(claims["username"], "Eve");
    assert!(login("EVE").is_ok(), "usernames are case-insensitive here");
}
