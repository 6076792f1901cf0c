//! TLS for the local endpoints (the Amplify client always uses `wss://`): a
//! local certificate authority kept in a directory the caller gives, created
//! on first run the way mkcert does, and a server certificate for 127.0.0.1
//! and localhost signed by it on each start.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::Router;
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use rcgen::{BasicConstraints, CertificateParams, DistinguishedName, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose};
use rustls::ServerConfig;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

/// Why TLS could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    /// Reading or writing the CA directory failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// Making or reading a key or certificate failed.
    #[error("{0}")]
    Certificate(String),
}

const CA_CERT: &str = "rootCA.pem";
const CA_KEY: &str = "rootCA-key.pem";
const CA_NAME: &str = "ampx dev local CA";

/// The local CA and the server configuration it signs for.
pub struct LocalCa {
    /// The CA certificate (PEM) to trust: in a browser, or `NODE_EXTRA_CA_CERTS`.
    pub ca_cert_path: PathBuf,
    /// The CA certificate, DER.
    pub ca_cert: CertificateDer<'static>,
    /// A rustls server configuration with a fresh certificate for 127.0.0.1
    /// and localhost.
    pub server_config: Arc<ServerConfig>,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> TlsError + '_ {
    move |source| TlsError::Io { path: path.to_path_buf(), source }
}

fn cert_err(e: impl std::fmt::Display) -> TlsError {
    TlsError::Certificate(e.to_string())
}

fn this_year() -> i32 {
    let secs = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    1970 + (secs / 31_556_952) as i32
}

fn ca_params() -> CertificateParams {
    let mut params = CertificateParams::default();
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, CA_NAME);
    dn.push(DnType::OrganizationName, "ampx dev");
    params.distinguished_name = dn;
    params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign, KeyUsagePurpose::DigitalSignature];
    params.not_before = rcgen::date_time_ymd(this_year() - 1, 1, 1);
    params.not_after = rcgen::date_time_ymd(this_year() + 10, 1, 1);
    params
}

impl LocalCa {
    /// Loads the CA from `dir`, creating the directory and the CA on first
    /// run, and signs a server certificate for 127.0.0.1 and localhost.
    pub fn load_or_create(dir: &Path) -> Result<LocalCa, TlsError> {
        std::fs::create_dir_all(dir).map_err(io(dir))?;
        let (cert_path, key_path) = (dir.join(CA_CERT), dir.join(CA_KEY));
        let (ca_pem, ca_key) = if cert_path.is_file() && key_path.is_file() {
            let key_pem = std::fs::read_to_string(&key_path).map_err(io(&key_path))?;
            let key = KeyPair::from_pem(&key_pem).map_err(|e| cert_err(format!("{}: {e}", key_path.display())))?;
            (std::fs::read_to_string(&cert_path).map_err(io(&cert_path))?, key)
        } else {
            let key = KeyPair::generate().map_err(cert_err)?;
            let cert = ca_params().self_signed(&key).map_err(cert_err)?;
            write_private(&key_path, &key.serialize_pem())?;
            std::fs::write(&cert_path, cert.pem()).map_err(io(&cert_path))?;
            (cert.pem(), key)
        };
        let ca_cert = CertificateDer::from_pem_slice(ca_pem.as_bytes())
            .map_err(|e| cert_err(format!("{}: {e}", cert_path.display())))?;
        // The issuer is rebuilt from the same name and key, so what it signs
        // chains to the stored CA certificate.
        let issuer = Issuer::new(ca_params(), ca_key);
        let server_key = KeyPair::generate().map_err(cert_err)?;
        let mut params =
            CertificateParams::new(vec!["127.0.0.1".to_string(), "localhost".to_string()]).map_err(cert_err)?;
        params.distinguished_name.push(DnType::CommonName, "ampx dev 127.0.0.1");
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature, KeyUsagePurpose::KeyEncipherment];
        params.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ServerAuth];
        params.not_before = rcgen::date_time_ymd(this_year() - 1, 1, 1);
        params.not_after = rcgen::date_time_ymd(this_year() + 2, 1, 1);
        let server_cert = params.signed_by(&server_key, &issuer).map_err(cert_err)?;
        let key = PrivateKeyDer::try_from(server_key.serialize_der()).map_err(cert_err)?;
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let mut config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(cert_err)?
            .with_no_client_auth()
            .with_single_cert(vec![server_cert.der().clone(), ca_cert.clone()], key)
            .map_err(cert_err)?;
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(LocalCa { ca_cert_path: cert_path, ca_cert, server_config: Arc::new(config) })
    }
}

fn write_private(path: &Path, text: &str) -> Result<(), TlsError> {
    std::fs::write(path, text).map_err(io(path))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).map_err(io(path))?;
    }
    Ok(())
}

/// Serves `router` over TLS on `listener` until the task is dropped. Each
/// connection is HTTP/1.1 with upgrades (for the realtime WebSocket).
pub async fn serve_tls(listener: TcpListener, router: Router, config: Arc<ServerConfig>) {
    let acceptor = TlsAcceptor::from(config);
    loop {
        let Ok((tcp, _)) = listener.accept().await else { continue };
        let _ = tcp.set_nodelay(true);
        let acceptor = acceptor.clone();
        let service = TowerToHyperService::new(router.clone());
        tokio::spawn(async move {
            let Ok(tls) = acceptor.accept(tcp).await else { return };
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(tls), service)
                .with_upgrades()
                .await;
        });
    }
}
