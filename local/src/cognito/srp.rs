//! Secure Remote Password as Cognito speaks it (the `USER_SRP_AUTH` flow).
//!
//! The group is RFC 5054's 3072-bit prime with g = 2 and SHA-256. Cognito's
//! variant differs from the RFC in details that must match bit for bit:
//! integers are hashed in their minimal two's-complement big-endian form (a
//! leading zero byte when the top bit is set, never padded to the length of
//! N), x = H(salt | H(poolName | userId | ":" | password)), the session key is
//! 16 bytes of HKDF-SHA256 over S salted with u, and the client proves it holds
//! the key with an HMAC over the pool name, user id, secret block and a
//! timestamp.

use std::sync::LazyLock;

use aws_lc_rs::{digest, hkdf, hmac, rand};
use num_bigint::BigUint;

const N_HEX: &str = concat!(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74",
    "020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437",
    "4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED",
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF05",
    "98DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB",
    "9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B",
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF695581718",
    "3995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33",
    "A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7",
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864",
    "D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E2",
    "08E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
);

/// The 3072-bit safe prime of RFC 5054.
static N: LazyLock<BigUint> = LazyLock::new(|| BigUint::parse_bytes(N_HEX.as_bytes(), 16).expect("N is valid hex"));
static G: LazyLock<BigUint> = LazyLock::new(|| BigUint::from(2u32));
/// The multiplier k = H(N | g).
static K: LazyLock<BigUint> = LazyLock::new(|| hash_to_int(&[&signed_bytes(&N), &signed_bytes(&G)]));

const HKDF_INFO: &[u8] = b"Caldera Derived Key";
/// Random bytes in a private SRP exponent (as many as Amplify's client uses).
const EXPONENT_BYTES: usize = 128;

/// The big-endian two's-complement encoding with the fewest bytes (Java's
/// `BigInteger.toByteArray`), which is how Cognito hashes its integers.
pub fn signed_bytes(n: &BigUint) -> Vec<u8> {
    let mut bytes = n.to_bytes_be();
    if bytes[0] & 0x80 != 0 {
        bytes.insert(0, 0);
    }
    bytes
}

/// Lower-case hex of `n` without padding, as Cognito sends SRP_B and SALT.
pub fn to_hex(n: &BigUint) -> String {
    n.to_str_radix(16)
}

/// Parses hex as sent by a client (SRP_A); `None` if it is not hex.
pub fn from_hex(hex: &str) -> Option<BigUint> {
    if hex.is_empty() {
        return None;
    }
    BigUint::parse_bytes(hex.as_bytes(), 16)
}

fn sha256(parts: &[&[u8]]) -> [u8; 32] {
    let mut context = digest::Context::new(&digest::SHA256);
    for part in parts {
        context.update(part);
    }
    context.finish().as_ref().try_into().expect("SHA-256 is 32 bytes")
}

fn hash_to_int(parts: &[&[u8]]) -> BigUint {
    BigUint::from_bytes_be(&sha256(parts))
}

fn random_int(bytes: usize) -> BigUint {
    let mut buf = vec![0u8; bytes];
    rand::fill(&mut buf).expect("the system random source works");
    BigUint::from_bytes_be(&buf)
}

/// x = H(salt | H(poolName | userId ":" password)).
fn private_key(pool_name: &str, user_id: &str, password: &str, salt: &BigUint) -> BigUint {
    let inner = sha256(&[pool_name.as_bytes(), user_id.as_bytes(), b":", password.as_bytes()]);
    hash_to_int(&[&signed_bytes(salt), &inner])
}

/// What the server keeps instead of a password: a salt and v = g^x mod N.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verifier {
    pub salt: BigUint,
    pub verifier: BigUint,
}

impl Verifier {
    /// A verifier with a fresh random salt.
    pub fn new(pool_name: &str, user_id: &str, password: &str) -> Verifier {
        Self::with_salt(pool_name, user_id, password, random_int(16))
    }

    fn with_salt(pool_name: &str, user_id: &str, password: &str, salt: BigUint) -> Verifier {
        let x = private_key(pool_name, user_id, password, &salt);
        Verifier { verifier: G.modpow(&x, &N), salt }
    }

    /// True if `password` is the one this verifier was made from (for the
    /// flows that send the password itself).
    pub fn matches(&self, pool_name: &str, user_id: &str, password: &str) -> bool {
        let candidate = Self::with_salt(pool_name, user_id, password, self.salt.clone());
        // Constant-time comparison of the two encodings.
        let a = signed_bytes(&candidate.verifier);
        let b = signed_bytes(&self.verifier);
        a.len() == b.len() && aws_lc_rs::constant_time::verify_slices_are_equal(&a, &b).is_ok()
    }
}

/// The server's half of one SRP exchange.
#[derive(Clone, Debug)]
pub struct ServerEphemeral {
    secret: BigUint,
    /// B = k v + g^b mod N, sent as SRP_B.
    pub public: BigUint,
}

impl ServerEphemeral {
    /// A fresh ephemeral for `verifier`.
    pub fn new(verifier: &BigUint) -> ServerEphemeral {
        loop {
            let secret = random_int(EXPONENT_BYTES);
            let public = (&*K * verifier + G.modpow(&secret, &N)) % &*N;
            if public != BigUint::ZERO {
                return ServerEphemeral { secret, public };
            }
        }
    }

    /// The shared 16-byte key, from the client's A; `None` when A is not
    /// acceptable (A mod N = 0 or u = 0, which would let a client skip the
    /// password).
    pub fn session_key(&self, client_public: &BigUint, verifier: &BigUint) -> Option<[u8; 16]> {
        if (client_public % &*N) == BigUint::ZERO {
            return None;
        }
        let u = scrambler(client_public, &self.public)?;
        let base = (client_public * verifier.modpow(&u, &N)) % &*N;
        let shared = base.modpow(&self.secret, &N);
        Some(derive_key(&shared, &u))
    }
}

/// u = H(A | B); zero is refused by both sides.
fn scrambler(client_public: &BigUint, server_public: &BigUint) -> Option<BigUint> {
    let u = hash_to_int(&[&signed_bytes(client_public), &signed_bytes(server_public)]);
    (u != BigUint::ZERO).then_some(u)
}

struct KeyLength;

impl hkdf::KeyType for KeyLength {
    fn len(&self) -> usize {
        16
    }
}

fn derive_key(shared: &BigUint, u: &BigUint) -> [u8; 16] {
    let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, &signed_bytes(u)).extract(&signed_bytes(shared));
    let mut key = [0u8; 16];
    prk.expand(&[HKDF_INFO], KeyLength)
        .and_then(|okm| okm.fill(&mut key))
        .expect("16 bytes is a valid HKDF-SHA256 output length");
    key
}

/// HMAC-SHA256 of pool name | user id | secret block | timestamp under the
/// session key: the client's PASSWORD_CLAIM_SIGNATURE (before base64).
pub fn claim_signature(
    key: &[u8; 16],
    pool_name: &str,
    user_id: &str,
    secret_block: &[u8],
    timestamp: &str,
) -> Vec<u8> {
    let key = hmac::Key::new(hmac::HMAC_SHA256, key);
    let mut context = hmac::Context::with_key(&key);
    context.update(pool_name.as_bytes());
    context.update(user_id.as_bytes());
    context.update(secret_block);
    context.update(timestamp.as_bytes());
    context.sign().as_ref().to_vec()
}

/// True if `signature` is the claim signature for these inputs (constant time).
pub fn verify_claim(
    key: &[u8; 16],
    pool_name: &str,
    user_id: &str,
    secret_block: &[u8],
    timestamp: &str,
    signature: &[u8],
) -> bool {
    let expected = claim_signature(key, pool_name, user_id, secret_block, timestamp);
    expected.len() == signature.len() && aws_lc_rs::constant_time::verify_slices_are_equal(&expected, signature).is_ok()
}

/// The client's half, as Amplify computes it: used by tests and tools that
/// sign in without a browser.
pub struct Client {
    secret: BigUint,
    /// A = g^a mod N, sent as SRP_A (hex).
    pub public: BigUint,
}

impl Default for Client {
    fn default() -> Self {
        Self::new()
    }
}

impl Client {
    /// A client with a fresh random ephemeral.
    pub fn new() -> Client {
        let secret = random_int(EXPONENT_BYTES);
        Client { public: G.modpow(&secret, &N), secret }
    }

    /// The session key from the server's SALT and SRP_B; `None` if B is unusable.
    pub fn session_key(
        &self,
        pool_name: &str,
        user_id: &str,
        password: &str,
        salt: &BigUint,
        server_public: &BigUint,
    ) -> Option<[u8; 16]> {
        if (server_public % &*N) == BigUint::ZERO {
            return None;
        }
        let u = scrambler(&self.public, server_public)?;
        let x = private_key(pool_name, user_id, password, salt);
        // S = (B - k g^x)^(a + u x) mod N, kept non-negative by adding k g^x's
        // complement modulo N.
        let kgx = (&*K * G.modpow(&x, &N)) % &*N;
        let base = (server_public + &*N - kgx) % &*N;
        let shared = base.modpow(&(&self.secret + &u * &x), &N);
        Some(derive_key(&shared, &u))
    }
}

/// Parses Cognito's TIMESTAMP ("Sun Dec 6 06:36:47 UTC 2026", day not padded)
/// into Unix seconds; `None` if it has another form.
pub fn parse_timestamp(timestamp: &str) -> Option<i64> {
    let format = time::macros::format_description!(
        "[weekday repr:short] [month repr:short] [day padding:none] [hour]:[minute]:[second] UTC [year]"
    );
    time::PrimitiveDateTime::parse(timestamp, format).ok().map(|t| t.assume_utc().unix_timestamp())
}

/// Formats Unix seconds as Cognito's TIMESTAMP (what clients send).
pub fn format_timestamp(unix_seconds: i64) -> String {
    let format = time::macros::format_description!(
        "[weekday repr:short] [month repr:short] [day padding:none] [hour]:[minute]:[second] UTC [year]"
    );
    time::OffsetDateTime::from_unix_timestamp(unix_seconds).ok().and_then(|t| t.format(format).ok()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_bytes_adds_a_sign_byte_only_when_the_top_bit_is_set() {
        assert_eq!(signed_bytes(&BigUint::from(0x14u32)), vec![0x14]);
        assert_eq!(signed_bytes(&BigUint::from(0xECu32)), vec![0x00, 0xEC]);
        assert_eq!(signed_bytes(&BigUint::from(0x0100u32)), vec![0x01, 0x00]);
        assert_eq!(signed_bytes(&BigUint::ZERO), vec![0x00]);
        assert_eq!(signed_bytes(&N)[0], 0);
        assert_eq!(signed_bytes(&N).len(), 3072 / 8 + 1);
    }

    #[test]
    fn k_is_the_hash_of_n_and_g_in_signed_form() {
        // Computed independently from the hex strings the client hashes.
        let mut hex = String::from("00");
        hex.push_str(&N_HEX.to_lowercase());
        hex.push_str("02");
        let bytes: Vec<u8> =
            (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap()).collect();
        assert_eq!(*K, BigUint::from_bytes_be(&sha256(&[&bytes])));
    }

    #[test]
    fn client_and_server_derive_the_same_key_only_with_the_right_password() {
        let verifier = Verifier::new("pool", "user-1", "Passw0rd!");
        let server = ServerEphemeral::new(&verifier.verifier);
        let client = Client::new();
        let server_key = server.session_key(&client.public, &verifier.verifier).unwrap();
        let good = client.session_key("pool", "user-1", "Passw0rd!", &verifier.salt, &server.public).unwrap();
        let bad = client.session_key("pool", "user-1", "Passw0rd?", &verifier.salt, &server.public).unwrap();
        let other_pool = client.session_key("other", "user-1", "Passw0rd!", &verifier.salt, &server.public).unwrap();
        assert_eq!(server_key, good);
        assert_ne!(server_key, bad);
        assert_ne!(server_key, other_pool);
    }

    #[test]
    fn a_zero_client_public_is_refused() {
        let verifier = Verifier::new("pool", "u", "p");
        let server = ServerEphemeral::new(&verifier.verifier);
        assert!(server.session_key(&BigUint::ZERO, &verifier.verifier).is_none());
        assert!(server.session_key(&N, &verifier.verifier).is_none());
    }

    #[test]
    fn verifier_matches_the_password_it_was_made_from() {
        let verifier = Verifier::new("pool", "u", "secret");
        assert!(verifier.matches("pool", "u", "secret"));
        assert!(!verifier.matches("pool", "u", "Secret"));
        assert!(!verifier.matches("pool", "v", "secret"));
    }

    #[test]
    fn claim_signature_covers_every_input() {
        let key = [7u8; 16];
        let sig = claim_signature(&key, "pool", "u", b"block", "Sun Dec 6 06:36:47 UTC 2026");
        assert!(verify_claim(&key, "pool", "u", b"block", "Sun Dec 6 06:36:47 UTC 2026", &sig));
        assert!(!verify_claim(&key, "pool", "u", b"block", "Sun Dec 6 06:36:48 UTC 2026", &sig));
        assert!(!verify_claim(&key, "pool", "u", b"blocK", "Sun Dec 6 06:36:47 UTC 2026", &sig));
        assert!(!verify_claim(&[8u8; 16], "pool", "u", b"block", "Sun Dec 6 06:36:47 UTC 2026", &sig));
    }

    #[test]
    fn timestamps_use_an_unpadded_day() {
        // 2026-12-06T06:36:47Z is a Sunday.
        let t = parse_timestamp("Sun Dec 6 06:36:47 UTC 2026").unwrap();
        assert_eq!(t, 1_796_539_007);
        assert_eq!(format_timestamp(t), "Sun Dec 6 06:36:47 UTC 2026");
        assert_eq!(format_timestamp(t + 10 * 86_400), "Wed Dec 16 06:36:47 UTC 2026");
        assert!(parse_timestamp("2026-12-06T06:36:47Z").is_none());
    }
}
