//! Administrator calls: users, ListUsers filters and pages, groups.

use crate::cognito_support;

use cognito_support::{chat_pool, claims, Harness, PASSWORD, POOL_ID};
use local::cognito::{DeliveryMedium, MessagePurpose};
use serde_json::json;

fn harness() -> Harness {
    let groups = vec![
        json!({"GroupName": "admins", "Precedence": 0, "Description": "Can do anything"}),
        json!({"GroupName": "readers"}),
    ];
    Harness::new(vec![chat_pool(vec![], groups)])
}

#[test]
fn admin_create_user_sends_a_temporary_password_unless_suppressed() {
    let h = harness();
    let out = h.ok(
        "AdminCreateUser",
        json!({"UserPoolId": POOL_ID, "Username": "cy@example.com",
               "UserAttributes": [{"Name": "email_verified", "Value": "true"}]}),
    );
    let user = &out["User"];
    assert_eq!(user["UserStatus"], "FORCE_CHANGE_PASSWORD");
    assert_eq!(user["Enabled"], true);
    assert!(user["UserCreateDate"].as_f64().unwrap() > 1.7e9);
    let sent = h.sent();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].purpose, MessagePurpose::Invitation);
    assert_eq!(sent[0].medium, DeliveryMedium::Email);
    let temporary = sent[0].code.clone();
    assert!(temporary.len() >= 12);
    let challenge = h.srp_sign_in(cognito_support::CLIENT_ID, "cy@example.com", &temporary).unwrap();
    assert_eq!(challenge["ChallengeName"], "NEW_PASSWORD_REQUIRED");

    // RESEND makes a new temporary password; the old one stops working.
    h.ok("AdminCreateUser", json!({"UserPoolId": POOL_ID, "Username": "cy@example.com", "MessageAction": "RESEND"}));
    let resent = h.code(MessagePurpose::Invitation);
    assert!(h.srp_sign_in(cognito_support::CLIENT_ID, "cy@example.com", &resent).is_ok());

    h.ok(
        "AdminCreateUser",
        json!({"UserPoolId": POOL_ID, "Username": "quiet@example.com", "MessageAction": "SUPPRESS", "TemporaryPassword": "Temp-Passw0rd"}),
    );
    assert!(h.sent().is_empty());
    let (kind, _) = h.err(
        "AdminCreateUser",
        json!({"UserPoolId": POOL_ID, "Username": "quiet@example.com", "MessageAction": "SUPPRESS"}),
    );
    assert_eq!(kind, "UsernameExistsException");
    let (kind, _) = h.err(
        "AdminCreateUser",
        json!({"UserPoolId": POOL_ID, "Username": "w@example.com", "TemporaryPassword": "weak"}),
    );
    assert_eq!(kind, "InvalidPasswordException");
    let (kind, message) =
        h.err("AdminCreateUser", json!({"UserPoolId": "us-east-1_nope", "Username": "x@example.com"}));
    assert_eq!(
        (kind.as_str(), message.as_str()),
        ("ResourceNotFoundException", "User pool us-east-1_nope does not exist.")
    );
}

#[test]
fn resend_needs_a_user_still_on_its_temporary_password() {
    let h = harness();
    h.confirmed_user("ada@example.com");
    let (kind, message) = h.err(
        "AdminCreateUser",
        json!({"UserPoolId": POOL_ID, "Username": "ada@example.com", "MessageAction": "RESEND"}),
    );
    assert_eq!(kind, "UnsupportedUserStateException");
    assert!(message.contains("status is not FORCE_CHANGE_PASSWORD"), "{message}");
}

#[test]
fn admin_confirm_set_password_and_delete() {
    let h = harness();
    h.ok(
        "SignUp",
        json!({"ClientId": cognito_support::CLIENT_ID, "Username": "new@example.com", "Password": PASSWORD}),
    );
    h.ok("AdminConfirmSignUp", json!({"UserPoolId": POOL_ID, "Username": "new@example.com"}));
    let (_, message) = h.err("AdminConfirmSignUp", json!({"UserPoolId": POOL_ID, "Username": "new@example.com"}));
    assert_eq!(message, "User cannot be confirmed. Current status is CONFIRMED");
    h.tokens("new@example.com", PASSWORD);

    h.ok(
        "AdminSetUserPassword",
        json!({"UserPoolId": POOL_ID, "Username": "new@example.com", "Password": "Admin-Passw0rd", "Permanent": true}),
    );
    h.tokens("new@example.com", "Admin-Passw0rd");
    h.ok(
        "AdminSetUserPassword",
        json!({"UserPoolId": POOL_ID, "Username": "new@example.com", "Password": "Temp-Passw0rd2"}),
    );
    let out = h.srp_sign_in(cognito_support::CLIENT_ID, "new@example.com", "Temp-Passw0rd2").unwrap();
    assert_eq!(out["ChallengeName"], "NEW_PASSWORD_REQUIRED");

    h.ok(
        "AdminUpdateUserAttributes",
        json!({"UserPoolId": POOL_ID, "Username": "new@example.com", "UserAttributes": [{"Name": "name", "Value": "Newt"}]}),
    );
    let user = h.ok("AdminGetUser", json!({"UserPoolId": POOL_ID, "Username": "new@example.com"}));
    assert!(user["UserAttributes"].as_array().unwrap().contains(&json!({"Name": "name", "Value": "Newt"})));
    assert_eq!(user["UserStatus"], "FORCE_CHANGE_PASSWORD");

    h.ok("AdminDeleteUser", json!({"UserPoolId": POOL_ID, "Username": "new@example.com"}));
    let (kind, message) = h.err("AdminDeleteUser", json!({"UserPoolId": POOL_ID, "Username": "new@example.com"}));
    assert_eq!((kind.as_str(), message.as_str()), ("UserNotFoundException", "User does not exist."));
}

#[test]
fn list_users_filters_and_pages() {
    let h = harness();
    for name in ["amy", "anna", "bert", "alex", "carl"] {
        h.ok(
            "AdminCreateUser",
            json!({"UserPoolId": POOL_ID, "Username": format!("{name}@example.com"), "MessageAction": "SUPPRESS"}),
        );
    }
    let emails = |out: &serde_json::Value| -> Vec<String> {
        let mut v: Vec<String> = out["Users"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| {
                u["Attributes"].as_array().unwrap().iter().find(|a| a["Name"] == "email").unwrap()["Value"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect();
        v.sort();
        v
    };
    let all = h.ok("ListUsers", json!({"UserPoolId": POOL_ID}));
    assert_eq!(all["Users"].as_array().unwrap().len(), 5);
    assert!(all.get("PaginationToken").is_none());
    let a = h.ok("ListUsers", json!({"UserPoolId": POOL_ID, "Filter": "email ^= \"a\""}));
    assert_eq!(emails(&a), ["alex@example.com", "amy@example.com", "anna@example.com"]);
    let exact = h.ok("ListUsers", json!({"UserPoolId": POOL_ID, "Filter": "email = \"bert@example.com\""}));
    assert_eq!(emails(&exact), ["bert@example.com"]);
    let status =
        h.ok("ListUsers", json!({"UserPoolId": POOL_ID, "Filter": "cognito:user_status = \"FORCE_CHANGE_PASSWORD\""}));
    assert_eq!(status["Users"].as_array().unwrap().len(), 5);

    // Pages of two cover everyone exactly once.
    let mut seen = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut req = json!({"UserPoolId": POOL_ID, "Limit": 2});
        if let Some(t) = &token {
            req["PaginationToken"] = json!(t);
        }
        let page = h.ok("ListUsers", req);
        assert!(page["Users"].as_array().unwrap().len() <= 2);
        seen.extend(emails(&page));
        match page.get("PaginationToken") {
            Some(t) => token = Some(t.as_str().unwrap().to_string()),
            None => break,
        }
    }
    seen.sort();
    assert_eq!(seen, emails(&all));

    let only = h.ok("ListUsers", json!({"UserPoolId": POOL_ID, "AttributesToGet": ["email"], "Limit": 1}));
    assert_eq!(only["Users"][0]["Attributes"].as_array().unwrap().len(), 1);
    let (kind, message) = h.err("ListUsers", json!({"UserPoolId": POOL_ID, "Filter": "email ^= a"}));
    assert_eq!((kind.as_str(), message.as_str()), ("InvalidParameterException", "Error while parsing filter."));
    let (kind, _) = h.err("ListUsers", json!({"UserPoolId": POOL_ID, "Limit": 61}));
    assert_eq!(kind, "InvalidParameterException");
}

#[test]
fn groups_come_from_the_template_and_show_in_tokens() {
    let h = harness();
    let sub = h.confirmed_user("ada@example.com");
    let groups = h.ok("ListGroups", json!({"UserPoolId": POOL_ID}));
    let names: Vec<&str> =
        groups["Groups"].as_array().unwrap().iter().map(|g| g["GroupName"].as_str().unwrap()).collect();
    assert_eq!(names, ["admins", "readers"]);
    assert_eq!(groups["Groups"][0]["Description"], "Can do anything");
    assert_eq!(groups["Groups"][0]["Precedence"], 0);
    let page = h.ok("ListGroups", json!({"UserPoolId": POOL_ID, "Limit": 1}));
    assert_eq!(page["Groups"].as_array().unwrap().len(), 1);
    let rest = h.ok("ListGroups", json!({"UserPoolId": POOL_ID, "NextToken": page["NextToken"]}));
    assert_eq!(rest["Groups"][0]["GroupName"], "readers");
    assert_eq!(
        h.ok("GetGroup", json!({"UserPoolId": POOL_ID, "GroupName": "readers"}))["Group"]["GroupName"],
        "readers"
    );

    h.ok("AdminAddUserToGroup", json!({"UserPoolId": POOL_ID, "Username": "ada@example.com", "GroupName": "readers"}));
    h.ok("AdminAddUserToGroup", json!({"UserPoolId": POOL_ID, "Username": "ada@example.com", "GroupName": "readers"}));
    let (kind, message) = h
        .err("AdminAddUserToGroup", json!({"UserPoolId": POOL_ID, "Username": "ada@example.com", "GroupName": "nope"}));
    assert_eq!((kind.as_str(), message.as_str()), ("ResourceNotFoundException", "Group not found."));
    let mine = h.ok("AdminListGroupsForUser", json!({"UserPoolId": POOL_ID, "Username": sub}));
    assert_eq!(mine["Groups"].as_array().unwrap().len(), 1, "adding twice is one membership");
    let members = h.ok("ListUsersInGroup", json!({"UserPoolId": POOL_ID, "GroupName": "readers"}));
    assert_eq!(members["Users"][0]["Username"], sub);
    let id = claims(h.tokens("ada@example.com", PASSWORD)["IdToken"].as_str().unwrap());
    assert_eq!(id["cognito:groups"], json!(["readers"]));

    h.ok(
        "AdminRemoveUserFromGroup",
        json!({"UserPoolId": POOL_ID, "Username": "ada@example.com", "GroupName": "readers"}),
    );
    let id = claims(h.tokens("ada@example.com", PASSWORD)["IdToken"].as_str().unwrap());
    assert!(id.get("cognito:groups").is_none());
    assert_eq!(h.ok("AdminListGroupsForUser", json!({"UserPoolId": POOL_ID, "Username": sub}))["Groups"], json!([]));
}

#[test]
fn unknown_operations_and_bad_bodies_are_reported() {
    let h = harness();
    let (kind, _) = h.err("CreateUserPool", json!({}));
    assert_eq!(kind, "UnknownOperationException");
    let err = h.pools.handle("ListUsers", &json!([1])).unwrap_err();
    assert_eq!(err.type_name(), "SerializationException");
    let (kind, _) = h.err("ListUsers", json!({"UserPoolId": 7}));
    assert_eq!(kind, "SerializationException");
    assert!(local::cognito::operation_names().count() >= 30);
}
