//! Shared by the cognito tests: a pool configured like examples/chat's, a
//! harness that calls operations and captures the codes the pools "send",
//! and an SRP sign-in done the way Amplify does it.
#![allow(dead_code)]

use std::sync::mpsc::Receiver;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use local::cognito::{srp, CognitoError, EventSink, MessagePurpose, MessageSent, PoolConfig, UserPools};
use serde_json::{json, Value};

pub const POOL_ID: &str = "us-east-1_chatPool1";
pub const CLIENT_ID: &str = "chatclient0000000000000001";
pub const PASSWORD: &str = "Passw0rd!";

/// The chat example's UserPool and UserPoolClient properties.
pub fn chat_fixture() -> (Value, Value) {
    let text = include_str!("../cognito_chat_pool.json");
    let v: Value = serde_json::from_str(text).expect("fixture is JSON");
    (v["UserPool"].clone(), v["UserPoolClient"].clone())
}

/// The chat pool, with extra clients `(id, props)` and groups.
pub fn chat_pool(extra_clients: Vec<(String, Value)>, groups: Vec<Value>) -> PoolConfig {
    let (pool, client) = chat_fixture();
    let mut clients = vec![(CLIENT_ID.to_string(), client)];
    clients.extend(extra_clients);
    PoolConfig::from_cloudformation(POOL_ID, &pool, clients, groups).expect("chat pool config")
}

/// Pools over a temporary store, with the messages they send.
pub struct Harness {
    pub pools: UserPools,
    pub messages: Receiver<MessageSent>,
    pub dir: tempfile::TempDir,
}

impl Harness {
    pub fn new(pools: Vec<PoolConfig>) -> Harness {
        let dir = tempfile::tempdir().expect("temp dir");
        let (sink, messages) = EventSink::channel();
        let pools = UserPools::open(dir.path(), pools, sink).expect("open pools");
        Harness { pools, messages, dir }
    }

    /// The chat pool alone.
    pub fn chat() -> Harness {
        Harness::new(vec![chat_pool(Vec::new(), Vec::new())])
    }

    pub fn call(&self, target: &str, body: Value) -> Result<Value, CognitoError> {
        self.pools.handle(target, &body)
    }

    /// The response of a call that must succeed.
    pub fn ok(&self, target: &str, body: Value) -> Value {
        match self.call(target, body) {
            Ok(v) => v,
            Err(e) => panic!("{target} failed: {e}"),
        }
    }

    /// `(__type, message)` of a call that must fail.
    pub fn err(&self, target: &str, body: Value) -> (String, String) {
        match self.call(target, body) {
            Ok(v) => panic!("{target} succeeded unexpectedly: {v}"),
            Err(e) => (e.type_name().to_string(), e.message()),
        }
    }

    /// Every message sent since the last call.
    pub fn sent(&self) -> Vec<MessageSent> {
        self.messages.try_iter().collect()
    }

    /// The code of the last message for `purpose`, failing if none was sent.
    pub fn code(&self, purpose: MessagePurpose) -> String {
        self.sent()
            .into_iter()
            .rev()
            .find(|m| m.purpose == purpose)
            .unwrap_or_else(|| panic!("no {purpose:?} message was sent"))
            .code
    }

    /// Signs up and confirms `email` with [`PASSWORD`]; returns the user's sub.
    pub fn confirmed_user(&self, email: &str) -> String {
        let out = self.ok(
            "SignUp",
            json!({"ClientId": CLIENT_ID, "Username": email, "Password": PASSWORD,
                   "UserAttributes": [{"Name": "email", "Value": email}]}),
        );
        let code = self.code(MessagePurpose::SignUp);
        self.ok("ConfirmSignUp", json!({"ClientId": CLIENT_ID, "Username": email, "ConfirmationCode": code}));
        out["UserSub"].as_str().expect("UserSub").to_string()
    }

    /// USER_SRP_AUTH as Amplify runs it; returns RespondToAuthChallenge's answer.
    pub fn srp_sign_in(&self, client_id: &str, username: &str, password: &str) -> Result<Value, CognitoError> {
        srp_sign_in(&self.pools, POOL_ID, client_id, username, password, None)
    }

    /// A successful SRP sign-in's AuthenticationResult.
    pub fn tokens(&self, username: &str, password: &str) -> Value {
        match self.srp_sign_in(CLIENT_ID, username, password) {
            Ok(v) => v["AuthenticationResult"].clone(),
            Err(e) => panic!("sign-in failed: {e}"),
        }
    }
}

/// Runs InitiateAuth(USER_SRP_AUTH) and the PASSWORD_VERIFIER answer,
/// computing the claim like Amplify's client. With a client `secret`, each
/// call carries the SECRET_HASH of the username it sends.
pub fn srp_sign_in(
    pools: &UserPools,
    pool_id: &str,
    client_id: &str,
    username: &str,
    password: &str,
    secret: Option<&str>,
) -> Result<Value, CognitoError> {
    let hash = |name: &str| secret.map(|s| local::cognito::secret_hash(s, name, client_id));
    let client = srp::Client::new();
    let mut params = json!({"USERNAME": username, "SRP_A": srp::to_hex(&client.public)});
    if let Some(h) = hash(username) {
        params["SECRET_HASH"] = json!(h);
    }
    let challenge = pools.handle(
        "InitiateAuth",
        &json!({"ClientId": client_id, "AuthFlow": "USER_SRP_AUTH", "AuthParameters": params}),
    )?;
    assert_eq!(challenge["ChallengeName"], "PASSWORD_VERIFIER");
    let p = &challenge["ChallengeParameters"];
    let user_id = p["USER_ID_FOR_SRP"].as_str().expect("USER_ID_FOR_SRP");
    let salt = srp::from_hex(p["SALT"].as_str().expect("SALT")).expect("hex salt");
    let b = srp::from_hex(p["SRP_B"].as_str().expect("SRP_B")).expect("hex B");
    let pool_name = pool_id.split_once('_').expect("pool id").1;
    let key = client.session_key(pool_name, user_id, password, &salt, &b).expect("usable B");
    let block = p["SECRET_BLOCK"].as_str().expect("SECRET_BLOCK");
    let timestamp = srp::format_timestamp(
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64,
    );
    let signature =
        srp::claim_signature(&key, pool_name, user_id, &STANDARD.decode(block).expect("base64 block"), &timestamp);
    let mut responses = json!({
        "USERNAME": user_id,
        "PASSWORD_CLAIM_SECRET_BLOCK": block,
        "TIMESTAMP": timestamp,
        "PASSWORD_CLAIM_SIGNATURE": STANDARD.encode(signature),
    });
    if let Some(h) = hash(user_id) {
        responses["SECRET_HASH"] = json!(h);
    }
    pools.handle(
        "RespondToAuthChallenge",
        &json!({"ClientId": client_id, "ChallengeName": "PASSWORD_VERIFIER", "ChallengeResponses": responses}),
    )
}

/// The payload of a JWT, without checking it.
pub fn claims(token: &str) -> Value {
    let payload = token.split('.').nth(1).expect("a JWT");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload).expect("base64url payload");
    serde_json::from_slice(&bytes).expect("JSON claims")
}
