//! Case conversion, Rust keywords and unique-name allocation.

use std::collections::BTreeSet;

/// Mixed-case spellings that read as one word but that no splitting rule can tell
/// from two (`OAuth` is shaped like `XAxis`): each is written as one capitalized
/// word before splitting.
const TERMS: &[&str] =
    &["OAuth", "IoT", "FSx", "SaaS", "DDoS", "QnA", "SerDe", "OTel", "IdC", "VCpu", "MySQL", "LoRaWAN"];

/// Rewrites the [`TERMS`] and the IEC units (`KiB`, `MiB`, `GiB`, ..., also as
/// rates: `MiBps`) found at a word start and end as one capitalized word each
/// (`AllowedOAuthFlows` -> `AllowedOauthFlows`, `MemoryMiB` -> `MemoryMib`).
fn join_terms(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < b.len() {
        let at_start = i == 0 || !b[i - 1].is_ascii_uppercase();
        let ends_at = |len: usize| b.get(i + len).is_none_or(|c| !c.is_ascii_lowercase());
        let term = TERMS.iter().find(|t| s[i..].starts_with(**t) && ends_at(t.len())).map(|t| t.len());
        let unit = || {
            let iec = b.len() >= i + 3 && b"KMGTPE".contains(&b[i]) && b[i + 1] == b'i' && b[i + 2] == b'B';
            let rate = iec && s[i + 3..].starts_with("ps");
            match (iec, rate) {
                (true, true) if ends_at(5) => Some(5),
                (true, false) if ends_at(3) => Some(3),
                _ => None,
            }
        };
        match term.or_else(unit).filter(|_| at_start) {
            Some(len) => {
                out.push(b[i].to_ascii_uppercase() as char);
                out.push_str(&s[i + 1..i + len].to_ascii_lowercase());
                i += len;
            }
            None => {
                out.push(b[i] as char);
                i += 1;
            }
        }
    }
    out
}

/// Splits an identifier into words: at non-alphanumeric characters; before an
/// uppercase letter that follows a lowercase letter (except a one-letter lowercase
/// prefix: `vCpu`) or a digit; and before the last capital of an acronym followed
/// by a lowercase word (`HTTPServer` -> `HTTP`, `Server`), but not when that
/// lowercase is a plural `s` (`CallbackURLs` -> `Callback`, `URLs`) or a version
/// (`IPv4`, `DBv2`). Mixed-case terms (`OAuth`, `IoT`, `MiB`) are one word.
pub fn words(s: &str) -> Vec<String> {
    let s = join_terms(s);
    let mut out = Vec::new();
    for chunk in s.split(|c: char| !c.is_ascii_alphanumeric()) {
        let chars: Vec<char> = chunk.chars().collect();
        let mut cur = String::new();
        for (i, &c) in chars.iter().enumerate() {
            if i > 0 && !cur.is_empty() && c.is_ascii_uppercase() {
                let prev = chars[i - 1];
                let next = chars.get(i + 1).copied();
                let after = chars.get(i + 2).copied();
                let acronym_suffix = match next {
                    Some('s') => after.is_none_or(|a| !a.is_ascii_lowercase()),
                    Some('v') => after.is_some_and(|a| a.is_ascii_digit()),
                    _ => false,
                };
                let boundary = (prev.is_ascii_lowercase() && i > 1)
                    || prev.is_ascii_digit()
                    || (prev.is_ascii_uppercase() && next.is_some_and(|n| n.is_ascii_lowercase()) && !acronym_suffix);
                if boundary {
                    out.push(std::mem::take(&mut cur));
                }
            }
            cur.push(c);
        }
        if !cur.is_empty() {
            out.push(cur);
        }
    }
    out
}

/// `snake_case`.
pub fn snake(s: &str) -> String {
    words(s).iter().map(|w| w.to_ascii_lowercase()).collect::<Vec<_>>().join("_")
}

/// `PascalCase`; acronyms become capitalized words (`HTTPServer` -> `HttpServer`).
/// An underscore separates two words when the first ends and the second starts
/// with a digit.
pub fn pascal(s: &str) -> String {
    let mut out = String::new();
    for w in words(s) {
        if out.ends_with(|c: char| c.is_ascii_digit()) && w.starts_with(|c: char| c.is_ascii_digit()) {
            out.push('_');
        }
        let mut chars = w.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars.map(|c| c.to_ascii_lowercase()));
        }
    }
    out
}

const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn", "else", "enum",
    "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod", "move",
    "mut", "override", "priv", "pub", "ref", "return", "static", "struct", "trait", "true", "try", "type", "typeof",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["crate", "self", "super", "Self", "_"];

/// A snake_case identifier for a field or module: raw (`r#type`) for keywords, with
/// a trailing underscore for the few that cannot be raw, and a leading `n` when it
/// would start with a digit.
pub fn field_ident(name: &str) -> String {
    let mut s = snake(name);
    if s.is_empty() {
        s = "value".into();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'n');
    }
    if NOT_RAW.contains(&s.as_str()) {
        s.push('_');
    } else if KEYWORDS.contains(&s.as_str()) {
        s.insert_str(0, "r#");
    }
    s
}

/// Allocates unique names in one namespace.
#[derive(Default)]
pub struct Names {
    used: BTreeSet<String>,
}

impl Names {
    /// A namespace where `reserved` are taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Names { used: reserved.iter().map(|s| s.to_string()).collect() }
    }

    /// Whether `name` is taken.
    pub fn is_taken(&self, name: &str) -> bool {
        self.used.contains(name)
    }

    /// Takes the first free candidate; when all are taken, the last candidate with
    /// the smallest free numeric suffix (`2`, `3`, ...).
    pub fn take(&mut self, candidates: &[String]) -> String {
        self.take_sep(candidates, "")
    }

    /// As [`take`](Names::take), with `sep` before the numeric suffix (always `_`
    /// after a digit).
    pub fn take_sep(&mut self, candidates: &[String], sep: &str) -> String {
        for c in candidates {
            if !self.used.contains(c) {
                self.used.insert(c.clone());
                return c.clone();
            }
        }
        let base = candidates.last().expect("at least one candidate");
        let sep = if base.ends_with(|c: char| c.is_ascii_digit()) { "_" } else { sep };
        let mut n = 2;
        loop {
            let c = format!("{base}{sep}{n}");
            if !self.used.contains(&c) {
                self.used.insert(c.clone());
                return c;
            }
            n += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases() {
        assert_eq!(snake("BucketName"), "bucket_name");
        assert_eq!(snake("VPCId"), "vpc_id");
        assert_eq!(snake("S3Bucket"), "s3_bucket");
        assert_eq!(snake("IPv6Address"), "ipv6_address");
        assert_eq!(snake("SSEAlgorithm"), "sse_algorithm");
        assert_eq!(snake("httpEndpoint"), "http_endpoint");
        assert_eq!(pascal("PAY_PER_REQUEST"), "PayPerRequest");
        assert_eq!(pascal("t2.micro"), "T2Micro");
        assert_eq!(pascal("1.0"), "1_0");
        assert_eq!(pascal("iso8601UTC"), "Iso8601Utc");
        assert_eq!(field_ident("Type"), "r#type");
        assert_eq!(field_ident("Self"), "self_");
        assert_eq!(field_ident("3Foo"), "n3_foo");
    }

    #[test]
    fn acronyms_plurals_versions_and_mixed_case_terms_are_one_word() {
        let cases = [
            // plural acronyms
            ("CallbackURLs", "callback_urls"),
            ("LogoutURLs", "logout_urls"),
            ("OpenIdConnectProviderARNs", "open_id_connect_provider_arns"),
            ("ReplicationServersSecurityGroupsIDs", "replication_servers_security_groups_ids"),
            ("PreferredCacheClusterAZs", "preferred_cache_cluster_azs"),
            ("CNAMEs", "cnames"),
            ("ExadataStorageInTBsLowestScaledValue", "exadata_storage_in_tbs_lowest_scaled_value"),
            ("VPCs", "vpcs"),
            // a capitalized word after an acronym still splits
            ("HTTPServer", "http_server"),
            ("VPCSecurityGroupIds", "vpc_security_group_ids"),
            ("DBInstanceIdentifier", "db_instance_identifier"),
            ("ForwardWhenContentTypeIsUnknown", "forward_when_content_type_is_unknown"),
            // versions
            ("PrivateIPv4Address", "private_ipv4_address"),
            ("DynamoDBv2Action", "dynamo_dbv2_action"),
            ("IpV6Addresses", "ip_v6_addresses"),
            // mixed-case terms and units
            ("AllowedOAuthFlows", "allowed_oauth_flows"),
            ("AllowedOAuthFlowsUserPoolClient", "allowed_oauth_flows_user_pool_client"),
            ("OAuth2Credentials", "oauth2_credentials"),
            ("EnableIoTLoggingParams", "enable_iot_logging_params"),
            ("FSxLustreConfig", "fsx_lustre_config"),
            ("AWSManagedRulesAntiDDoSRuleSet", "aws_managed_rules_anti_ddos_rule_set"),
            ("OpenXJsonSerDe", "open_x_json_serde"),
            ("MemoryGiBPerVCpu", "memory_gib_per_vcpu"),
            ("CurrentMiBps", "current_mibps"),
            ("vCpu", "vcpu"),
            // one-letter words that are words
            ("XAxis", "x_axis"),
            ("ARecord", "a_record"),
            ("TopK", "top_k"),
            ("AmazonQProperties", "amazon_q_properties"),
            // a term's letters inside other words are left alone
            ("VpcIdCidr", "vpc_id_cidr"),
        ];
        for (cfn, rust) in cases {
            assert_eq!(snake(cfn), rust, "{cfn}");
        }
        assert_eq!(pascal("CallbackURLs"), "CallbackUrls");
        assert_eq!(pascal("OAuth2CredentialProvider"), "Oauth2CredentialProvider");
        assert_eq!(pascal("LocationFSxONTAP"), "LocationFsxOntap");
        assert_eq!(pascal("IPv6"), "Ipv6");
    }
}
