//! Who a data request runs as, as the page names it.

use serde::{Deserialize, Serialize};

/// Who a request runs as: `{"type": "userPool", "token"}`,
/// `{"type": "apiKey"}`, `{"type": "iam"}` (the identity pool's guest),
/// `{"type": "iam", "idToken"}` (the identity pool's credentials for a
/// signed-in user), `{"type": "admin"}` or `{"type": "none"}`.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq, Hash)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Identity {
    /// A user pool token (a user signed in with "sign in as").
    #[serde(rename_all = "camelCase")]
    UserPool {
        /// The ID or access token.
        token: String,
    },
    /// The data API's first API key.
    ApiKey,
    /// Identity pool credentials: a signed-in user's for `id_token`, else a guest's.
    #[serde(rename_all = "camelCase")]
    Iam {
        /// The user's ID token.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id_token: Option<String>,
    },
    /// The backend's administrator: IAM credentials from no identity pool,
    /// allowed every operation (the local admin role for `ampx dev`, the
    /// developer's own credentials for a sandbox).
    Admin,
    /// No credentials.
    None,
}

impl Identity {
    /// Whether requests as this identity are signed with SigV4.
    pub fn is_iam(&self) -> bool {
        matches!(self, Identity::Iam { .. } | Identity::Admin)
    }
}

#[cfg(test)]
mod tests {
    use super::Identity;

    #[test]
    fn identities_read_as_the_page_writes_them() {
        let read = |s: &str| serde_json::from_str::<Identity>(s).unwrap();
        assert_eq!(read(r#"{"type":"userPool","token":"t"}"#), Identity::UserPool { token: "t".into() });
        assert_eq!(read(r#"{"type":"apiKey"}"#), Identity::ApiKey);
        assert_eq!(read(r#"{"type":"iam"}"#), Identity::Iam { id_token: None });
        assert_eq!(read(r#"{"type":"iam","idToken":"i"}"#), Identity::Iam { id_token: Some("i".into()) });
        assert_eq!(read(r#"{"type":"admin"}"#), Identity::Admin);
        assert!(read(r#"{"type":"admin"}"#).is_iam());
        assert!(serde_json::from_str::<Identity>(r#"{"type":"root"}"#).is_err());
    }
}
