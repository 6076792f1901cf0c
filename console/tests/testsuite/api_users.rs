//! User management through the console: Cognito's admin calls, their
//! errors passed through, and "sign in as".

use crate::support::start;

use serde_json::{json, Value};

fn find<'a>(list: &'a Value, email: &str) -> Option<&'a Value> {
    list["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["Attributes"].as_array().unwrap().iter().any(|a| a["Name"] == "email" && a["Value"] == email))
}

#[tokio::test(flavor = "multi_thread")]
async fn users_are_created_confirmed_disabled_grouped_signed_in_as_and_deleted() {
    let running = start().await;
    let (status, groups) = running.api("GET", "/api/groups", Value::Null).await;
    assert_eq!(status, 200, "{groups}");
    assert_eq!(groups["groups"][0]["GroupName"], "Moderators");

    // Confirmed at once, and with a temporary password.
    let (status, ann) = running
        .api(
            "POST",
            "/api/users",
            json!({"username": "ann@example.com", "password": "Passw0rd!Passw0rd", "confirmed": true}),
        )
        .await;
    assert_eq!(status, 200, "{ann}");
    assert_eq!(ann["UserStatus"], "CONFIRMED");
    let ann_name = ann["Username"].as_str().unwrap().to_string();
    let (status, bob) = running
        .api(
            "POST",
            "/api/users",
            json!({"username": "bob@example.com", "password": "Temp0rary!Pass", "confirmed": false}),
        )
        .await;
    assert_eq!(status, 200, "{bob}");
    assert_eq!(bob["UserStatus"], "FORCE_CHANGE_PASSWORD");
    let bob_name = bob["Username"].as_str().unwrap().to_string();

    // Cognito's own error, with its type.
    let (status, again) = running
        .api(
            "POST",
            "/api/users",
            json!({"username": "ann@example.com", "password": "Passw0rd!Passw0rd", "confirmed": true}),
        )
        .await;
    assert_eq!(status, 400);
    assert_eq!(again["error"]["type"], "UsernameExistsException", "{again}");
    let (status, weak) = running
        .api("POST", "/api/users", json!({"username": "cy@example.com", "password": "short", "confirmed": true}))
        .await;
    assert_eq!(status, 400, "{weak}");
    assert_eq!(weak["error"]["type"], "InvalidPasswordException", "{weak}");

    // A user who signed up and has not confirmed yet.
    let client = running.backend.user_pools().pools()[0].clients[0].client_id.clone();
    running
        .backend
        .user_pools()
        .handle(
            "SignUp",
            &json!({"ClientId": client, "Username": "dee@example.com", "Password": "Passw0rd!Passw0rd",
                "UserAttributes": [{"Name": "email", "Value": "dee@example.com"}]}),
        )
        .unwrap();

    let (_, list) = running.api("GET", "/api/users", Value::Null).await;
    assert_eq!(list["users"].as_array().unwrap().len(), 3, "{list}");
    let dee = find(&list, "dee@example.com").unwrap();
    assert_eq!(dee["UserStatus"], "UNCONFIRMED");
    let dee_name = dee["Username"].as_str().unwrap().to_string();
    let (_, searched) = running.api("GET", "/api/users?filter=bo", Value::Null).await;
    let emails: Vec<&Value> = searched["users"].as_array().unwrap().iter().map(|u| &u["Username"]).collect();
    assert_eq!(emails, [&json!(bob_name)], "searching by email prefix: {searched}");

    let (status, confirmed) = running.api("POST", &format!("/api/users/{dee_name}/confirm"), Value::Null).await;
    assert_eq!(status, 200, "{confirmed}");
    assert_eq!(confirmed["UserStatus"], "CONFIRMED");

    // Bob's temporary password: no tokens until he has his own.
    let (status, refused) = running.api("POST", &format!("/api/users/{bob_name}/sign-in-as"), Value::Null).await;
    assert_eq!(status, 400);
    assert!(refused["error"]["message"].as_str().unwrap().contains("FORCE_CHANGE_PASSWORD"), "{refused}");
    let (status, set) = running
        .api(
            "POST",
            &format!("/api/users/{bob_name}/password"),
            json!({"password": "Perman3nt!Pass", "permanent": true}),
        )
        .await;
    assert_eq!(status, 200, "{set}");
    assert_eq!(set["UserStatus"], "CONFIRMED");
    let (status, _) = running.api("POST", &format!("/api/users/{bob_name}/sign-in-as"), Value::Null).await;
    assert_eq!(status, 200);

    // Groups: in the list, and in the tokens "sign in as" issues.
    let (status, _) =
        running.api("POST", &format!("/api/users/{ann_name}/add-to-group"), json!({"group": "Moderators"})).await;
    assert_eq!(status, 200);
    let (_, list) = running.api("GET", "/api/users", Value::Null).await;
    assert_eq!(find(&list, "ann@example.com").unwrap()["Groups"], json!(["Moderators"]));
    let (_, signed) = running.api("POST", &format!("/api/users/{ann_name}/sign-in-as"), Value::Null).await;
    let access = signed["tokens"]["AccessToken"].as_str().unwrap();
    let claims = running.backend.user_pools().verify(access).expect("the pool issued the token");
    assert_eq!(claims["cognito:groups"], json!(["Moderators"]));
    assert_eq!(claims["username"], json!(ann_name));
    let (status, missing) =
        running.api("POST", &format!("/api/users/{ann_name}/add-to-group"), json!({"group": "Nobody"})).await;
    assert_eq!(status, 400, "{missing}");
    assert_eq!(missing["error"]["type"], "ResourceNotFoundException");
    running.api("POST", &format!("/api/users/{ann_name}/remove-from-group"), json!({"group": "Moderators"})).await;
    let (_, list) = running.api("GET", "/api/users", Value::Null).await;
    assert_eq!(find(&list, "ann@example.com").unwrap()["Groups"], json!([]));

    // Disabled: refused tokens (and the ones issued stop working); enabled again.
    let (_, disabled) = running.api("POST", &format!("/api/users/{ann_name}/disable"), Value::Null).await;
    assert_eq!(disabled["Enabled"], false);
    assert!(running.backend.user_pools().verify(access).is_err(), "a disabled user's token is refused");
    let (status, refused) = running.api("POST", &format!("/api/users/{ann_name}/sign-in-as"), Value::Null).await;
    assert_eq!((status, refused["error"]["message"].as_str()), (400, Some("User is disabled.")));
    let (_, enabled) = running.api("POST", &format!("/api/users/{ann_name}/enable"), Value::Null).await;
    assert_eq!(enabled["Enabled"], true);

    let (status, unknown) = running.api("POST", &format!("/api/users/{ann_name}/promote"), Value::Null).await;
    assert_eq!(status, 404);
    assert!(unknown["error"]["message"].as_str().unwrap().contains("sign-in-as"), "{unknown}");

    let (status, _) = running.api("DELETE", &format!("/api/users/{dee_name}"), Value::Null).await;
    assert_eq!(status, 200);
    let (status, gone) = running.api("DELETE", &format!("/api/users/{dee_name}"), Value::Null).await;
    assert_eq!((status, gone["error"]["type"].as_str()), (400, Some("UserNotFoundException")));
    let (_, list) = running.api("GET", "/api/users", Value::Null).await;
    assert_eq!(list["users"].as_array().unwrap().len(), 2);
}
