//! In-process calls for Rust tests: sign users up and in, and run GraphQL
//! requests, without HTTP (the same code paths the endpoints use).

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::{json, Value};

use super::{BackendError, LocalBackend};
use crate::cognito::{secret_hash, srp, MessagePurpose};
use crate::identity::{sigv4, Credentials};

/// A signed-in user's tokens.
#[derive(Clone, Debug)]
pub struct Tokens {
    /// The ID token (Amplify's data client sends the access token by default).
    pub id_token: String,
    /// The access token.
    pub access_token: String,
    /// The refresh token.
    pub refresh_token: String,
}

/// How an in-process GraphQL request is signed.
#[derive(Clone, Debug)]
pub enum Auth {
    /// An API key (`x-api-key`).
    ApiKey(String),
    /// A user pool token (`Authorization`).
    UserPool(String),
    /// Credentials from the identity pools or a role: the request is signed
    /// with SigV4, as Amplify signs it.
    Iam(Credentials),
    /// No credentials.
    None,
}

fn cognito(e: crate::cognito::CognitoError) -> BackendError {
    BackendError::Cognito(e)
}

impl LocalBackend {
    /// The first pool's first client and its secret: what a frontend signs in with.
    fn web_client(&self) -> Result<(String, String, Option<String>), BackendError> {
        let pool = self
            .pools
            .pools()
            .into_iter()
            .next()
            .ok_or_else(|| BackendError::Config("the backend has no user pool".into()))?;
        let client = pool
            .clients
            .first()
            .ok_or_else(|| BackendError::Config(format!("user pool {} has no client", pool.pool_id)))?;
        Ok((pool.pool_id.clone(), client.client_id.clone(), self.pools.client_secret(&client.client_id)))
    }

    /// Signs `username` up with `password` (an address with `@` is also given
    /// as the `email` attribute) and confirms it with the code the pool
    /// "sent"; answers the user's `sub`.
    pub fn sign_up(&self, username: &str, password: &str) -> Result<String, BackendError> {
        let (_, client_id, secret) = self.web_client()?;
        let mut body = json!({"ClientId": client_id, "Username": username, "Password": password});
        if username.contains('@') {
            body["UserAttributes"] = json!([{"Name": "email", "Value": username}]);
        }
        if let Some(s) = &secret {
            body["SecretHash"] = json!(secret_hash(s, username, &client_id));
        }
        let out = self.pools.handle("SignUp", &body).map_err(cognito)?;
        let code = self
            .messages()
            .into_iter()
            .rev()
            .find(|m| m.purpose == MessagePurpose::SignUp && (m.destination == username || m.username == username))
            .map(|m| m.code)
            .ok_or_else(|| BackendError::Config(format!("no confirmation code was sent for {username}")))?;
        let mut confirm = json!({"ClientId": client_id, "Username": username, "ConfirmationCode": code});
        if let Some(s) = &secret {
            confirm["SecretHash"] = json!(secret_hash(s, username, &client_id));
        }
        self.pools.handle("ConfirmSignUp", &confirm).map_err(cognito)?;
        Ok(out["UserSub"].as_str().unwrap_or_default().to_string())
    }

    /// [`LocalBackend::sign_up`], then [`LocalBackend::sign_in`].
    pub fn sign_up_and_sign_in(&self, username: &str, password: &str) -> Result<Tokens, BackendError> {
        self.sign_up(username, password)?;
        self.sign_in(username, password)
    }

    /// Signs in with SRP (`USER_SRP_AUTH`), as Amplify's client does.
    pub fn sign_in(&self, username: &str, password: &str) -> Result<Tokens, BackendError> {
        let (pool_id, client_id, secret) = self.web_client()?;
        let hash = |name: &str| secret.as_ref().map(|s| secret_hash(s, name, &client_id));
        let client = srp::Client::new();
        let mut params = json!({"USERNAME": username, "SRP_A": srp::to_hex(&client.public)});
        if let Some(h) = hash(username) {
            params["SECRET_HASH"] = json!(h);
        }
        let challenge = self
            .pools
            .handle(
                "InitiateAuth",
                &json!({"ClientId": client_id, "AuthFlow": "USER_SRP_AUTH", "AuthParameters": params}),
            )
            .map_err(cognito)?;
        let p = &challenge["ChallengeParameters"];
        let field = |k: &str| p[k].as_str().unwrap_or_default().to_string();
        let unexpected = || BackendError::Config(format!("unexpected SRP challenge: {challenge}"));
        let user_id = field("USER_ID_FOR_SRP");
        let salt = srp::from_hex(&field("SALT")).ok_or_else(unexpected)?;
        let b = srp::from_hex(&field("SRP_B")).ok_or_else(unexpected)?;
        let pool_name = pool_id.split_once('_').map_or(pool_id.as_str(), |(_, n)| n);
        let key = client.session_key(pool_name, &user_id, password, &salt, &b).ok_or_else(unexpected)?;
        let block = field("SECRET_BLOCK");
        let block_bytes = STANDARD.decode(&block).map_err(|_| unexpected())?;
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
        let timestamp = srp::format_timestamp(now as i64);
        let signature = srp::claim_signature(&key, pool_name, &user_id, &block_bytes, &timestamp);
        let mut responses = json!({"USERNAME": user_id, "PASSWORD_CLAIM_SECRET_BLOCK": block, "TIMESTAMP": timestamp,
            "PASSWORD_CLAIM_SIGNATURE": STANDARD.encode(signature)});
        if let Some(h) = hash(&user_id) {
            responses["SECRET_HASH"] = json!(h);
        }
        let out = self
            .pools
            .handle(
                "RespondToAuthChallenge",
                &json!({"ClientId": client_id, "ChallengeName": "PASSWORD_VERIFIER", "ChallengeResponses": responses}),
            )
            .map_err(cognito)?;
        let r = &out["AuthenticationResult"];
        let token = |k: &str| r[k].as_str().map(str::to_string);
        match (token("IdToken"), token("AccessToken"), token("RefreshToken")) {
            (Some(id_token), Some(access_token), Some(refresh_token)) => {
                Ok(Tokens { id_token, access_token, refresh_token })
            }
            _ => Err(BackendError::Config(format!("sign-in of {username} did not finish: {out}"))),
        }
    }

    /// Runs one GraphQL request through the data API's authorization and
    /// execution (no HTTP); answers the response body AppSync would send
    /// (a refused request is `{"errors": [{"errorType": "UnauthorizedException", ..}]}`).
    pub async fn graphql(&self, query: &str, variables: Value, auth: Auth) -> Result<Value, BackendError> {
        let api = self.data_api().ok_or_else(|| BackendError::Config("the backend has no GraphQL API".into()))?;
        let body = json!({"query": query, "variables": variables}).to_string();
        let mut sent: Vec<(String, String)> = match &auth {
            Auth::ApiKey(k) => vec![("x-api-key".into(), k.clone())],
            Auth::UserPool(t) => vec![("authorization".into(), t.clone())],
            Auth::None => vec![],
            Auth::Iam(_) => vec![],
        };
        if let Auth::Iam(c) = &auth {
            let own = vec![
                ("content-type".to_string(), "application/json".to_string()),
                ("host".to_string(), self.addr.to_string()),
            ];
            let path = url::Url::parse(&self.graphql_url()).map(|u| u.path().to_string()).unwrap_or_default();
            let now = self.identity.now();
            let keys = (c.access_key_id.as_str(), c.secret_access_key.as_str(), Some(c.session_token.as_str()));
            let signed = sigv4::sign_headers(
                "POST",
                &path,
                "",
                &own,
                body.as_bytes(),
                keys,
                self.identity.region(),
                "appsync",
                now,
            );
            sent = own.into_iter().chain(signed).collect();
        }
        let lookup = |h: &str| sent.iter().find(|(k, _)| k.eq_ignore_ascii_case(h)).map(|(_, v)| v.clone());
        let headers = Value::Object(sent.iter().map(|(k, v)| (k.clone(), json!(v))).collect());
        Ok(api.handle(&lookup, headers, body.as_bytes()).await.body)
    }

    /// Guest credentials from the first identity pool (`GetId`, then
    /// `GetCredentialsForIdentity`, as Amplify's `fetchAuthSession` calls
    /// them); answers the identity id and the credentials.
    pub fn guest_credentials(&self) -> Result<(String, Credentials), BackendError> {
        self.identity_credentials(None)
    }

    /// A signed-in user's credentials from the first identity pool, for the
    /// ID token of a sign-in of the first user pool.
    pub fn user_credentials(&self, tokens: &Tokens) -> Result<(String, Credentials), BackendError> {
        self.identity_credentials(Some(&tokens.id_token))
    }

    fn identity_credentials(&self, id_token: Option<&str>) -> Result<(String, Credentials), BackendError> {
        let pool =
            self.identity_pool_id().ok_or_else(|| BackendError::Config("the backend has no identity pool".into()))?;
        let mut logins = json!({});
        if let Some(token) = id_token {
            let provider = self
                .identity
                .pools()
                .first()
                .and_then(|p| p.providers.first())
                .map(|p| p.provider_name.clone())
                .ok_or_else(|| BackendError::Config(format!("identity pool {pool} trusts no user pool")))?;
            logins[provider] = json!(token);
        }
        let id = self.identity.handle("GetId", &json!({"IdentityPoolId": pool, "Logins": logins}))?;
        let id = id["IdentityId"].as_str().unwrap_or_default().to_string();
        let out = self.identity.handle("GetCredentialsForIdentity", &json!({"IdentityId": id, "Logins": logins}))?;
        let c = &out["Credentials"];
        let text = |k: &str| c[k].as_str().unwrap_or_default().to_string();
        let credentials = Credentials {
            access_key_id: text("AccessKeyId"),
            secret_access_key: text("SecretKey"),
            session_token: text("SessionToken"),
            expiration: c["Expiration"].as_i64().unwrap_or_default(),
        };
        Ok((out["IdentityId"].as_str().unwrap_or(&id).to_string(), credentials))
    }
}
