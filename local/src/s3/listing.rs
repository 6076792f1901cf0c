//! ListObjectsV2's paging: keys under a prefix in byte order, those sharing
//! the part up to the next delimiter rolled up into one common prefix, a
//! page of at most `max_keys` entries (keys and prefixes alike), and an
//! opaque continuation token that resumes after the page's last entry.

use base64::Engine;
use s3s::{s3_error, S3Result};

use super::store::{ObjectMeta, ObjectStore};

/// One page of a listing.
#[derive(Debug, Default)]
pub struct Page {
    /// Keys and their objects.
    pub objects: Vec<(String, ObjectMeta)>,
    /// Common prefixes.
    pub prefixes: Vec<String>,
    /// Whether more entries follow.
    pub truncated: bool,
    /// The token for the next page, when truncated.
    pub next_token: Option<String>,
}

fn encode_token(marker: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(marker.as_bytes())
}

fn decode_token(token: &str) -> S3Result<String> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token.as_bytes())
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(|| s3_error!(InvalidArgument, "The continuation token provided is incorrect"))
}

/// A listing entry: the key itself, or the common prefix it rolls up into.
fn entry<'a>(key: &'a str, prefix: &str, delimiter: Option<&str>) -> (&'a str, bool) {
    if let Some(d) = delimiter {
        if let Some(at) = key[prefix.len()..].find(d) {
            return (&key[..prefix.len() + at + d.len()], true);
        }
    }
    (key, false)
}

/// Lists one page of `bucket`.
pub fn list(
    store: &ObjectStore,
    bucket: &str,
    prefix: &str,
    delimiter: Option<&str>,
    continuation_token: Option<&str>,
    start_after: Option<&str>,
    max_keys: usize,
) -> S3Result<Page> {
    // Entries at or before the marker were on earlier pages.
    let marker = match continuation_token {
        Some(t) => Some(decode_token(t)?),
        None => start_after.map(str::to_string),
    };
    let from = match &marker {
        Some(m) if m.as_str() > prefix => m.clone(),
        _ => prefix.to_string(),
    };
    let mut page = Page::default();
    let mut last: Option<String> = None;
    let mut failure = None;
    store
        .scan(bucket, &from, |key, meta| {
            if !key.starts_with(prefix) {
                return false;
            }
            let (name, is_prefix) = entry(key, prefix, delimiter);
            if marker.as_deref().is_some_and(|m| name <= m) || last.as_deref() == Some(name) {
                return true;
            }
            if page.objects.len() + page.prefixes.len() == max_keys {
                page.truncated = max_keys > 0;
                return false;
            }
            last = Some(name.to_string());
            if is_prefix {
                page.prefixes.push(name.to_string());
            } else {
                page.objects.push((key.to_string(), meta));
            }
            true
        })
        .map_err(|e| failure = Some(e))
        .ok();
    if let Some(e) = failure {
        return Err(s3s::S3Error::with_message(s3s::S3ErrorCode::InternalError, e.to_string()));
    }
    if page.truncated {
        page.next_token = last.as_deref().map(encode_token);
    }
    Ok(page)
}

/// S3's `encoding-type=url`: every byte but the unreserved ones and `/`
/// percent-encoded.
pub fn url_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_roll_up_at_the_first_delimiter_after_the_prefix() {
        assert_eq!(entry("photos/2024/a.png", "photos/", Some("/")), ("photos/2024/", true));
        assert_eq!(entry("photos/a.png", "photos/", Some("/")), ("photos/a.png", false));
        assert_eq!(entry("photos/a.png", "", Some("/")), ("photos/", true));
        assert_eq!(entry("a--b--c", "a", Some("--")), ("a--", true));
        assert_eq!(entry("photos/a.png", "", None), ("photos/a.png", false));
    }

    #[test]
    fn tokens_round_trip_and_bad_ones_are_refused() {
        let t = encode_token("profile-pictures/ü/");
        assert_eq!(decode_token(&t).unwrap(), "profile-pictures/ü/");
        assert_eq!(decode_token("%%%").unwrap_err().code().as_str(), "InvalidArgument");
    }

    #[test]
    fn url_encoding_keeps_slashes() {
        assert_eq!(url_encode("a b/c+d.png"), "a%20b/c%2Bd.png");
    }
}
