//! The pools' RS256 signing keys, the ID and access tokens Cognito issues, and
//! their verification.

use std::collections::HashMap;
use std::sync::Mutex;

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rsa::{KeyPair, KeySize};
use aws_lc_rs::signature::KeyPair as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde_json::{json, Map, Value};

use super::attributes;
use super::config::{ClientConfig, GroupConfig, PoolConfig};
use super::errors::{CognitoError, Result};
use super::store::Store;
use super::user::User;

/// One pool's signing key, made once and kept in the store.
pub(crate) struct SigningKey {
    pub kid: String,
    encoding: EncodingKey,
    decoding: DecodingKey,
    n: String,
    e: String,
    /// Tokens whose signature this key has checked, with their claims and
    /// `exp`: a client sends the same token with every request, and an RS256
    /// check costs more than the rest of a small request's authorization.
    verified: Mutex<HashMap<String, Verified>>,
}

/// A checked token's claims and `exp`.
type Verified = (Map<String, Value>, i64);

/// Tokens remembered per key; past this the oldest half is dropped (expired first).
const VERIFIED_CAPACITY: usize = 4096;

impl SigningKey {
    /// The pool's key from the store, generated (RSA 2048) the first time.
    pub fn load_or_create(store: &Store, pool_id: &str) -> Result<SigningKey> {
        let der = store.meta_or_insert(&format!("signing-key/{pool_id}"), SigningKey::generate_pkcs8)?;
        SigningKey::from_pkcs8(&der, &format!("user pool {pool_id}"))
    }

    /// A new RSA 2048 key, PKCS#8 DER.
    pub(crate) fn generate_pkcs8() -> Vec<u8> {
        let pair = KeyPair::generate(KeySize::Rsa2048).expect("RSA key generation works");
        let der: aws_lc_rs::encoding::Pkcs8V1Der = pair.as_der().expect("a new key encodes");
        der.as_ref().to_vec()
    }

    /// The key of PKCS#8 DER kept by `owner` (named in the error when damaged).
    pub(crate) fn from_pkcs8(der: &[u8], owner: &str) -> Result<SigningKey> {
        let damaged = |what: &str| {
            CognitoError::Config(format!(
                "the signing key of {owner} in the local store is damaged ({what}); \
                 run `ampx dev --reset` to start with empty stores"
            ))
        };
        let pair = KeyPair::from_pkcs8(der).map_err(|e| damaged(&e.to_string()))?;
        let public = pair.public_key();
        let n = URL_SAFE_NO_PAD.encode(public.modulus().big_endian_without_leading_zero());
        let e = URL_SAFE_NO_PAD.encode(public.exponent().big_endian_without_leading_zero());
        let pem = format!("-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n", STANDARD.encode(der));
        let encoding = EncodingKey::from_rsa_pem(pem.as_bytes()).map_err(|e| damaged(&e.to_string()))?;
        let decoding = DecodingKey::from_rsa_components(&n, &e).map_err(|e| damaged(&e.to_string()))?;
        // A stable id derived from the public key, as Cognito's kids are opaque.
        let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, format!("{n}.{e}").as_bytes());
        let kid = STANDARD.encode(&digest.as_ref()[..24]);
        Ok(SigningKey { kid, encoding, decoding, n, e, verified: Mutex::default() })
    }

    /// The key as one entry of a JWKS.
    pub fn jwk(&self) -> Value {
        json!({"alg": "RS256", "e": self.e, "kid": self.kid, "kty": "RSA", "n": self.n, "use": "sig"})
    }

    /// A JWT of `claims` signed with this key (RS256, with its `kid`).
    pub(crate) fn sign(&self, claims: &Map<String, Value>) -> String {
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some(self.kid.clone());
        jsonwebtoken::encode(&header, claims, &self.encoding).expect("claims sign")
    }

    /// The claims of `token` if this key signed it and it has not expired.
    /// The signature is checked once per token; expiry on every call.
    pub fn decode(&self, token: &str, now: i64) -> std::result::Result<Map<String, Value>, TokenProblem> {
        let known = self.verified.lock().unwrap_or_else(|e| e.into_inner()).get(token).cloned();
        let (claims, exp) = match known {
            Some(found) => found,
            None => {
                let (claims, exp) = self.check_signature(token)?;
                self.remember(token, &claims, exp, now);
                (claims, exp)
            }
        };
        // Checked here, not by the library, so that `now` is the same clock as issuing.
        if exp <= now {
            return Err(TokenProblem::Expired);
        }
        Ok(claims)
    }

    /// The claims and `exp` of `token` if this key signed it.
    fn check_signature(&self, token: &str) -> std::result::Result<(Map<String, Value>, i64), TokenProblem> {
        let mut validation = Validation::new(Algorithm::RS256);
        validation.validate_aud = false;
        validation.validate_exp = false;
        validation.required_spec_claims = ["exp".to_string()].into();
        let data = jsonwebtoken::decode::<Map<String, Value>>(token, &self.decoding, &validation)
            .map_err(|_| TokenProblem::Invalid)?;
        let exp = data.claims.get("exp").and_then(Value::as_i64).ok_or(TokenProblem::Invalid)?;
        Ok((data.claims, exp))
    }

    fn remember(&self, token: &str, claims: &Map<String, Value>, exp: i64, now: i64) {
        let mut verified = self.verified.lock().unwrap_or_else(|e| e.into_inner());
        if verified.len() >= VERIFIED_CAPACITY {
            verified.retain(|_, (_, exp)| *exp > now);
            if verified.len() >= VERIFIED_CAPACITY {
                let mut by_exp: Vec<i64> = verified.values().map(|(_, exp)| *exp).collect();
                let (_, median, _) = by_exp.select_nth_unstable(VERIFIED_CAPACITY / 2);
                let median = *median;
                verified.retain(|_, (_, exp)| *exp > median);
            }
        }
        verified.insert(token.to_string(), (claims.clone(), exp));
    }
}

/// Why a token was refused.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum TokenProblem {
    Invalid,
    Expired,
}

/// The `kid` of a token's header, without checking anything.
pub(crate) fn kid_of(token: &str) -> Option<String> {
    jsonwebtoken::decode_header(token).ok()?.kid
}

/// What one authentication hands the client.
pub(crate) struct TokenSet {
    pub id_token: String,
    pub access_token: String,
    /// Seconds the access token lives.
    pub expires_in: u64,
}

/// Everything a pair of tokens is made from.
pub(crate) struct TokenInputs<'a> {
    pub key: &'a SigningKey,
    pub issuer: &'a str,
    pub pool: &'a PoolConfig,
    pub client: &'a ClientConfig,
    pub user: &'a User,
    pub origin_jti: &'a str,
    pub auth_time: i64,
    pub now: i64,
    /// A `PreTokenGeneration` trigger's `claimsOverrideDetails`.
    pub claims_override: Option<&'a Value>,
}

/// Issues an ID token and an access token with Cognito's claims.
pub(crate) fn issue(t: &TokenInputs) -> TokenSet {
    let event_id = uuid::Uuid::new_v4().to_string();
    let groups = user_groups(t.pool, t.user);
    let group_names: Vec<&str> = groups.iter().map(|g| g.name.as_str()).collect();

    let mut id = Map::new();
    id.insert("sub".into(), json!(t.user.sub()));
    if !group_names.is_empty() {
        id.insert("cognito:groups".into(), json!(group_names));
        let roles: Vec<&str> = groups.iter().filter_map(|g| g.role_arn.as_deref()).collect();
        if !roles.is_empty() {
            id.insert("cognito:roles".into(), json!(roles));
            id.insert("cognito:preferred_role".into(), json!(roles[0]));
        }
    }
    for (name, value) in &t.user.attributes {
        if name == "sub" || !attributes::readable(Some(t.client), name) {
            continue;
        }
        let claim = match name.as_str() {
            "email_verified" | "phone_number_verified" => json!(value == "true"),
            _ => json!(value),
        };
        id.insert(name.clone(), claim);
    }
    id.insert("iss".into(), json!(t.issuer));
    id.insert("cognito:username".into(), json!(t.user.username));
    id.insert("origin_jti".into(), json!(t.origin_jti));
    id.insert("aud".into(), json!(t.client.client_id));
    id.insert("event_id".into(), json!(event_id));
    id.insert("token_use".into(), json!("id"));
    id.insert("auth_time".into(), json!(t.auth_time));
    id.insert("exp".into(), json!(t.now + t.client.id_token_validity.as_secs() as i64));
    id.insert("iat".into(), json!(t.now));
    id.insert("jti".into(), json!(uuid::Uuid::new_v4().to_string()));

    let mut access = Map::new();
    access.insert("sub".into(), json!(t.user.sub()));
    if !group_names.is_empty() {
        access.insert("cognito:groups".into(), json!(group_names));
    }
    access.insert("iss".into(), json!(t.issuer));
    access.insert("client_id".into(), json!(t.client.client_id));
    access.insert("origin_jti".into(), json!(t.origin_jti));
    access.insert("event_id".into(), json!(event_id));
    access.insert("token_use".into(), json!("access"));
    access.insert("scope".into(), json!("aws.cognito.signin.user.admin"));
    access.insert("auth_time".into(), json!(t.auth_time));
    let access_validity = t.client.access_token_validity.as_secs();
    access.insert("exp".into(), json!(t.now + access_validity as i64));
    access.insert("iat".into(), json!(t.now));
    access.insert("jti".into(), json!(uuid::Uuid::new_v4().to_string()));
    access.insert("username".into(), json!(t.user.username));

    if let Some(details) = t.claims_override {
        super::triggers::apply_claims_override(details, &mut id, &mut access);
    }
    TokenSet { id_token: t.key.sign(&id), access_token: t.key.sign(&access), expires_in: access_validity }
}

/// The user's groups, in precedence order (lowest first, unranked last).
pub(crate) fn user_groups<'a>(pool: &'a PoolConfig, user: &User) -> Vec<&'a GroupConfig> {
    let mut groups: Vec<&GroupConfig> = pool.groups.iter().filter(|g| user.groups.contains(&g.name)).collect();
    groups.sort_by_key(|g| (g.precedence.unwrap_or(i64::MAX), g.name.clone()));
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> SigningKey {
        SigningKey::from_pkcs8(&SigningKey::generate_pkcs8(), "test pool").unwrap()
    }

    fn token(key: &SigningKey, exp: i64) -> String {
        let claims = json!({"sub": "a", "exp": exp});
        key.sign(claims.as_object().unwrap())
    }

    #[test]
    fn a_remembered_token_still_expires_and_a_forged_one_is_never_remembered() {
        let key = key();
        let t = token(&key, 1_000);
        assert_eq!(key.decode(&t, 10).unwrap()["sub"], "a");
        assert_eq!(key.decode(&t, 999).unwrap()["sub"], "a");
        assert_eq!(key.decode(&t, 1_000), Err(TokenProblem::Expired));
        // Another key's token with the same claims is refused, every time.
        let forged = token(&self::key(), 1_000);
        for _ in 0..2 {
            assert_eq!(key.decode(&forged, 10), Err(TokenProblem::Invalid));
        }
    }

    #[test]
    fn the_remembered_tokens_stay_bounded() {
        let key = key();
        let claims = key.decode(&token(&key, 5_000), 0).unwrap();
        for i in 0..VERIFIED_CAPACITY + 10 {
            key.remember(&format!("t{i}"), &claims, 1_000 + i as i64, 0);
        }
        let verified = key.verified.lock().unwrap();
        assert!(verified.len() <= VERIFIED_CAPACITY);
        // The latest-expiring tokens are the ones kept.
        assert!(verified.contains_key(&format!("t{}", VERIFIED_CAPACITY + 9)));
    }
}
