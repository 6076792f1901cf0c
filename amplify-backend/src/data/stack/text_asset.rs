//! Large generated text (the SDL of a big schema, its model introspection) goes to
//! S3 as a content-hashed file asset instead of inline, so no template nears
//! CloudFormation's 1 MB limit.

use constructs::{Asset, IConstruct};
use sha2::{Digest, Sha256};

/// Text up to this size stays inline in the template.
pub const INLINE_LIMIT: usize = 64 * 1024;

/// Stages `text` as a file asset named `file_name` (under a directory named by the
/// content's hash, so the same text is written once and synthesis stays
/// deterministic). A write failure is reported by synthesis on the asset.
pub fn stage(scope: &impl IConstruct, id: &str, file_name: &str, text: &str) -> Asset {
    let hash = Sha256::digest(text.as_bytes());
    let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
    let dir = std::env::temp_dir().join("amplify-backend-data").join(hex);
    let path = dir.join(file_name);
    if !path.exists() {
        // Errors surface through the asset, which cannot read a missing file.
        let _ = std::fs::create_dir_all(&dir).and_then(|_| std::fs::write(&path, text));
    }
    Asset::new(scope, id, &path)
}
