//! Temporary credentials as STS issues them: an access key id (`ASIA...`), a
//! secret, a session token and an expiry, minted from the system's random
//! source.

use aws_lc_rs::rand::{SecureRandom, SystemRandom};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde::{Deserialize, Serialize};

use super::caller::Caller;

/// How long identity pool credentials last (Cognito's one hour).
pub const IDENTITY_CREDENTIALS_SECONDS: i64 = 3600;
/// How long a function role's credentials last (Lambda's sessions last hours).
pub const ROLE_CREDENTIALS_SECONDS: i64 = 12 * 3600;

/// A set of temporary credentials.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credentials {
    /// `AWS_ACCESS_KEY_ID`.
    pub access_key_id: String,
    /// `AWS_SECRET_ACCESS_KEY`.
    pub secret_access_key: String,
    /// `AWS_SESSION_TOKEN`.
    pub session_token: String,
    /// When they expire (Unix seconds).
    pub expiration: i64,
}

/// Credentials with the caller they were issued to, as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Issued {
    /// The credentials.
    pub credentials: Credentials,
    /// Whose.
    pub caller: Caller,
}

fn random_bytes(n: usize) -> Vec<u8> {
    let mut bytes = vec![0u8; n];
    // The OS source does not fail on supported platforms; handing out
    // predictable secrets would be worse than stopping.
    SystemRandom::new().fill(&mut bytes).expect("the system random source works");
    bytes
}

const KEY_ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

impl Credentials {
    /// New random credentials that expire `lifetime` seconds after `now`.
    pub fn mint(now: i64, lifetime: i64) -> Credentials {
        let id: String =
            random_bytes(16).iter().map(|b| KEY_ALPHABET[*b as usize % KEY_ALPHABET.len()] as char).collect();
        let secret = STANDARD.encode(random_bytes(30));
        let token = STANDARD.encode(random_bytes(96));
        Credentials {
            access_key_id: format!("ASIA{id}"),
            secret_access_key: secret,
            session_token: token,
            expiration: now + lifetime,
        }
    }

    /// The environment variables AWS SDKs read them from (what a function's
    /// process gets): `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
    /// `AWS_SESSION_TOKEN`.
    pub fn env_vars(&self) -> [(&'static str, String); 3] {
        [
            ("AWS_ACCESS_KEY_ID", self.access_key_id.clone()),
            ("AWS_SECRET_ACCESS_KEY", self.secret_access_key.clone()),
            ("AWS_SESSION_TOKEN", self.session_token.clone()),
        ]
    }
}
