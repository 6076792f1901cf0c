//! Where the console reaches a sandbox's Cognito services and which
//! certificate authorities it trusts on the way: by default the region's
//! endpoints (or the one endpoint override, an emulator) and the system's
//! roots. A caller may name other endpoints and one more CA, e.g. a local
//! backend (`ampx dev`'s, whose CA is its own) speaking the same protocols.

use std::sync::Arc;

use ampx_console::ApiError;
use rustls::RootCertStore;
use rustls_pki_types::pem::PemObject as _;
use rustls_pki_types::CertificateDer;

use crate::aws::Aws;

/// The endpoints and trust the console's own clients use.
#[derive(Clone, Debug, Default)]
pub struct Reach {
    /// Cognito user pools (`InitiateAuth`, the admin API); `None`: the
    /// endpoint override, else the region's.
    pub cognito_idp: Option<String>,
    /// Cognito identity pools (`GetId`, `GetCredentialsForIdentity`);
    /// `None`: the endpoint override, else the region's.
    pub cognito_identity: Option<String>,
    /// A CA certificate (PEM) trusted besides the system's roots.
    pub extra_ca_pem: Option<Vec<u8>>,
}

impl Reach {
    /// The user pools' endpoint, ending in `/`.
    pub fn cognito_idp_url(&self, aws: &Aws) -> String {
        self.cognito_idp.clone().map_or_else(|| default_endpoint(aws, "cognito-idp"), |e| slash(&e))
    }

    /// The identity pools' endpoint override, if any (the SDK finds the
    /// region's itself).
    pub fn cognito_identity_url(&self, aws: &Aws) -> Option<String> {
        self.cognito_identity.clone().or_else(|| aws.endpoint.clone())
    }

    /// A TLS client configuration trusting the system's roots and the
    /// extra CA.
    pub fn tls(&self) -> Result<Arc<rustls::ClientConfig>, ApiError> {
        let mut roots = RootCertStore::empty();
        // A system store with a few unreadable entries still serves the rest.
        let native = rustls_native_certs::load_native_certs();
        roots.add_parsable_certificates(native.certs);
        if let Some(pem) = &self.extra_ca_pem {
            for cert in CertificateDer::pem_slice_iter(pem) {
                let cert = cert.map_err(|e| untrusted(format!("the extra CA is not PEM: {e}")))?;
                roots.add(cert).map_err(|e| untrusted(format!("the extra CA is not a usable certificate: {e}")))?;
            }
        }
        if roots.is_empty() {
            return Err(untrusted("no trusted certificate authority (the system's store is empty)".into()));
        }
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| untrusted(e.to_string()))?
            .with_root_certificates(roots)
            .with_no_client_auth();
        Ok(Arc::new(config))
    }
}

fn untrusted(message: String) -> ApiError {
    ApiError { status: 502, kind: "TlsSetup".into(), message }
}

/// `url` with the path `/` when it has none (an origin); a URL with a path
/// (a local backend's `/cognito`) is used as it is.
fn slash(url: &str) -> String {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    if after_scheme.contains('/') {
        url.to_string()
    } else {
        format!("{url}/")
    }
}

/// How a service's endpoint is reached: the endpoint override (an
/// emulator), else the region's.
pub fn default_endpoint(aws: &Aws, service: &str) -> String {
    match &aws.endpoint {
        Some(e) => slash(e.trim_end_matches('/')),
        None => format!("https://{service}.{}.{}/", aws.region, aws.url_suffix()),
    }
}

#[cfg(test)]
mod tests {
    use super::slash;

    #[test]
    fn an_origin_gets_the_root_path_and_a_path_is_kept() {
        assert_eq!(slash("http://127.0.0.1:5000"), "http://127.0.0.1:5000/");
        assert_eq!(slash("https://127.0.0.1:4443/cognito"), "https://127.0.0.1:4443/cognito");
        assert_eq!(
            slash("https://cognito-idp.us-east-1.amazonaws.com/"),
            "https://cognito-idp.us-east-1.amazonaws.com/"
        );
    }
}
