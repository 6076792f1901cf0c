//! Names computed from construct paths, with the AWS CDK's algorithms, so that a
//! construct gets the same logical ID here as in a TypeScript CDK app.

use md5::{Digest, Md5};
use sha1::Sha1;

/// The id that is left out of logical IDs and node addresses, so that a construct
/// can wrap another one transparently.
pub const HIDDEN_ID: &str = "Default";
/// The id that is left out of the human part of logical IDs (but still hashed).
pub const HIDDEN_FROM_HUMAN_ID: &str = "Resource";
/// CloudFormation's limit on logical IDs.
pub const MAX_LOGICAL_ID_LEN: usize = 255;
const MAX_HUMAN_LEN: usize = 240;
const HASH_LEN: usize = 8;

/// Why a unique id could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unable to calculate a unique id for an empty set of components")]
pub struct EmptyPathError;

/// CDK's `makeUniqueId`: a CloudFormation-safe id for a path of construct ids.
///
/// ```
/// use constructs::names::make_unique_id;
/// assert_eq!(make_unique_id(&["Bucket", "Resource"]).unwrap(), "Bucket83908E77");
/// assert_eq!(make_unique_id(&["Bucket"]).unwrap(), "Bucket");
/// ```
pub fn make_unique_id<S: AsRef<str>>(components: &[S]) -> Result<String, EmptyPathError> {
    let components: Vec<&str> = components.iter().map(AsRef::as_ref).filter(|c| *c != HIDDEN_ID).collect();
    if components.is_empty() {
        return Err(EmptyPathError);
    }
    if components.len() == 1 {
        let candidate = remove_non_alphanumeric(components[0]);
        if candidate.len() <= MAX_LOGICAL_ID_LEN {
            return Ok(candidate);
        }
    }
    let hash = path_hash(&components);
    let mut human = String::new();
    for c in remove_dupes(&components) {
        if c != HIDDEN_FROM_HUMAN_ID {
            human.push_str(&remove_non_alphanumeric(c));
        }
    }
    human.truncate(MAX_HUMAN_LEN);
    human.push_str(&hash);
    Ok(human)
}

/// CDK's `Names.nodeUniqueId`: the unique id of a construct's path below the root
/// (nested template files and cross-stack reference names are made of it).
pub(crate) fn node_unique_id(node: &crate::node::Node) -> String {
    let ids: Vec<String> = node.scopes().iter().skip(1).map(|n| n.id().to_string()).collect();
    make_unique_id(&ids).unwrap_or_default()
}

/// The first 8 hex digits, upper case, of the MD5 of the joined path.
fn path_hash(components: &[&str]) -> String {
    let digest = Md5::digest(components.join("/").as_bytes());
    hex(&digest[..HASH_LEN / 2]).to_uppercase()
}

/// Drops a component when the previous kept one already ends with it
/// (`Stack/Stack/Topic` reads `StackTopic`).
fn remove_dupes<'a>(components: &[&'a str]) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::with_capacity(components.len());
    for c in components {
        if out.last().is_none_or(|last| !last.ends_with(c)) {
            out.push(c);
        }
    }
    out
}

/// Keeps ASCII letters and digits only.
pub fn remove_non_alphanumeric(s: &str) -> String {
    s.chars().filter(char::is_ascii_alphanumeric).collect()
}

/// The `constructs` library's node address: `c8` and 40 hex digits of a SHA-1 over
/// the ids from the root, skipping `Default`.
///
/// ```
/// use constructs::names::node_addr;
/// assert_eq!(node_addr(&["", "MyStack"]), "c8a07db2275e7f9159feb020f62cf2c0068f4b1631");
/// ```
pub fn node_addr<S: AsRef<str>>(ids: &[S]) -> String {
    let mut hasher = Sha1::new();
    for id in ids.iter().map(AsRef::as_ref) {
        if id == HIDDEN_ID {
            continue;
        }
        hasher.update(id.as_bytes());
        hasher.update(b"\n");
    }
    let digest = hasher.finalize();
    format!("c8{}", hex(&digest))
}

/// Lower-case hex of some bytes.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 0xf) as usize] as char);
    }
    s
}

/// SHA-256 of some bytes, as lower-case hex (asset hashes).
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&sha2::Sha256::digest(bytes))
}

/// Whether a string is a valid CloudFormation logical ID.
pub fn is_valid_logical_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= MAX_LOGICAL_ID_LEN && id.chars().all(|c| c.is_ascii_alphanumeric())
}
