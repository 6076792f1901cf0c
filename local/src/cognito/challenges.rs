//! Sign-ins in progress: the state between InitiateAuth and
//! RespondToAuthChallenge. Kept in memory (a restart only makes a user type
//! the password again) and valid for three minutes, as Cognito's sessions are.

use std::collections::HashMap;
use std::sync::Mutex;

use num_bigint::BigUint;

use super::srp::ServerEphemeral;

/// How long a challenge can be answered.
pub(crate) const CHALLENGE_SECONDS: i64 = 180;

/// What the server remembers about one challenge.
#[derive(Clone, Debug)]
pub(crate) enum Challenge {
    /// SRP after InitiateAuth(USER_SRP_AUTH), found again by its secret block.
    PasswordVerifier {
        pool_id: String,
        client_id: String,
        /// The user's username (USER_ID_FOR_SRP); `None` for the decoy
        /// challenge given for an unknown user, which can never succeed.
        username: Option<String>,
        user_id_for_srp: String,
        ephemeral: ServerEphemeral,
        client_public: BigUint,
    },
    /// A user with a temporary password must choose a new one.
    NewPasswordRequired { pool_id: String, client_id: String, username: String },
}

/// The challenges in progress, by key (secret block or session).
#[derive(Default)]
pub(crate) struct Challenges {
    open: Mutex<HashMap<String, (i64, Challenge)>>,
}

impl Challenges {
    /// Remembers `challenge` under `key` until `now` + three minutes.
    pub fn insert(&self, key: String, challenge: Challenge, now: i64) {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        open.retain(|_, (expires, _)| *expires > now);
        open.insert(key, (now + CHALLENGE_SECONDS, challenge));
    }

    /// Takes the challenge under `key` (each can be answered once):
    /// `Err(true)` if it expired, `Err(false)` if there is none.
    pub fn take(&self, key: &str, now: i64) -> Result<Challenge, bool> {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        match open.remove(key) {
            Some((expires, challenge)) if expires > now => Ok(challenge),
            Some(_) => Err(true),
            None => Err(false),
        }
    }
}
