//! AppSync's scalars and how it checks their input values.

use std::sync::LazyLock;

use async_graphql::Value;
use regex::Regex;

/// The scalars AppSync defines; a schema uses them without declaring them.
pub const AWS_SCALARS: [&str; 9] =
    ["AWSDate", "AWSTime", "AWSDateTime", "AWSTimestamp", "AWSEmail", "AWSJSON", "AWSURL", "AWSPhone", "AWSIPAddress"];

const OFFSET: &str = r"(Z|[+-]\d{2}:\d{2}(:\d{2})?)";

static DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"^(\d{{4}})-(\d{{2}})-(\d{{2}}){OFFSET}?$")).expect("regex"));
static TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"^(\d{{2}}):(\d{{2}})(:(\d{{2}})(\.\d{{1,9}})?)?{OFFSET}?$")).expect("regex")
});
static DATE_TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"^(\d{{4}})-(\d{{2}})-(\d{{2}})T(\d{{2}}):(\d{{2}})(:(\d{{2}})(\.\d{{1,9}})?)?{OFFSET}$"))
        .expect("regex")
});
static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$").expect("regex")
});
static PHONE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\+?[0-9][0-9 ()\-.]{3,}$").expect("regex"));

fn valid_date(y: &str, m: &str, d: &str) -> bool {
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<u32>(), m.parse::<u32>(), d.parse::<u32>()) else { return false };
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

fn valid_clock(h: &str, m: &str, s: Option<&str>) -> bool {
    let ok = |v: &str, max: u32| v.parse::<u32>().is_ok_and(|n| n <= max);
    ok(h, 23) && ok(m, 59) && s.is_none_or(|s| ok(s, 59))
}

fn valid_offset(offset: Option<&str>) -> bool {
    match offset {
        None | Some("Z") => true,
        Some(o) => {
            let parts: Vec<&str> = o[1..].split(':').collect();
            parts[0].parse::<u32>().is_ok_and(|h| h <= 18) && parts[1].parse::<u32>().is_ok_and(|m| m <= 59)
        }
    }
}

/// Whether `text` is a valid value of the AWS scalar `name`.
pub fn valid_text(name: &str, text: &str) -> bool {
    match name {
        "AWSDate" => DATE
            .captures(text)
            .is_some_and(|c| valid_date(&c[1], &c[2], &c[3]) && valid_offset(c.get(4).map(|m| m.as_str()))),
        "AWSTime" => TIME.captures(text).is_some_and(|c| {
            valid_clock(&c[1], &c[2], c.get(4).map(|m| m.as_str())) && valid_offset(c.get(6).map(|m| m.as_str()))
        }),
        "AWSDateTime" => DATE_TIME.captures(text).is_some_and(|c| {
            valid_date(&c[1], &c[2], &c[3])
                && valid_clock(&c[4], &c[5], c.get(7).map(|m| m.as_str()))
                && valid_offset(c.get(9).map(|m| m.as_str()))
        }),
        "AWSEmail" => EMAIL.is_match(text),
        "AWSJSON" => serde_json::from_str::<serde_json::Value>(text).is_ok(),
        "AWSURL" => {
            url::Url::parse(text).is_ok_and(|u| !u.scheme().is_empty() && u.has_host() || u.scheme() == "mailto")
        }
        "AWSPhone" => PHONE.is_match(text) && text.chars().filter(char::is_ascii_digit).count() >= 4,
        "AWSIPAddress" => {
            let (addr, prefix) = match text.split_once('/') {
                Some((a, p)) => (a, Some(p)),
                None => (text, None),
            };
            match addr.parse::<std::net::IpAddr>() {
                Ok(ip) => {
                    prefix.is_none_or(|p| p.parse::<u8>().is_ok_and(|n| n <= if ip.is_ipv4() { 32 } else { 128 }))
                }
                Err(_) => false,
            }
        }
        _ => true,
    }
}

/// The input check async-graphql runs for the AWS scalar `name`.
pub fn validator(name: &'static str) -> impl Fn(&Value) -> bool + Send + Sync + 'static {
    move |value| match (name, value) {
        ("AWSTimestamp", Value::Number(n)) => n.is_i64(),
        ("AWSTimestamp", _) => false,
        (_, Value::String(s)) => valid_text(name, s),
        _ => false,
    }
}

/// AppSync's description of each AWS scalar, for introspection.
pub fn description(name: &str) -> &'static str {
    match name {
        "AWSDate" => "An extended ISO 8601 date string: YYYY-MM-DD, optionally with a time zone offset.",
        "AWSTime" => "An extended ISO 8601 time string: hh:mm(:ss(.sss)), optionally with a time zone offset.",
        "AWSDateTime" => "An extended ISO 8601 date and time string with a time zone offset.",
        "AWSTimestamp" => "The number of seconds since 1970-01-01T00:00Z.",
        "AWSEmail" => "An email address.",
        "AWSJSON" => "A JSON string.",
        "AWSURL" => "A URL with a scheme.",
        "AWSPhone" => "A phone number.",
        "AWSIPAddress" => "An IPv4 or IPv6 address, optionally with a CIDR prefix.",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::valid_text;

    #[test]
    fn dates_times_and_datetimes() {
        for ok in ["2024-02-29", "1970-01-01Z", "2024-12-31+05:30"] {
            assert!(valid_text("AWSDate", ok), "{ok}");
        }
        for bad in ["2023-02-29", "2024-13-01", "2024-1-01", "20240101", "2024-01-01T00:00Z"] {
            assert!(!valid_text("AWSDate", bad), "{bad}");
        }
        for ok in ["12:30", "23:59:59", "12:30:00.123Z", "00:00:00-08:00"] {
            assert!(valid_text("AWSTime", ok), "{ok}");
        }
        for bad in ["24:00", "12:60", "1:00"] {
            assert!(!valid_text("AWSTime", bad), "{bad}");
        }
        for ok in ["2024-05-01T12:30:00.000Z", "2024-05-01T12:30Z", "2024-05-01T12:30:00+02:00"] {
            assert!(valid_text("AWSDateTime", ok), "{ok}");
        }
        for bad in ["2024-05-01T12:30:00", "2024-05-01 12:30:00Z", "2024-05-32T00:00:00Z"] {
            assert!(!valid_text("AWSDateTime", bad), "{bad}");
        }
    }

    #[test]
    fn other_scalars() {
        assert!(valid_text("AWSEmail", "a.b+c@example.com"));
        assert!(!valid_text("AWSEmail", "not-an-email"));
        assert!(valid_text("AWSJSON", r#"{"a":[1,2]}"#));
        assert!(!valid_text("AWSJSON", "{a:1}"));
        assert!(valid_text("AWSURL", "https://example.com/x?y=1"));
        assert!(!valid_text("AWSURL", "example.com"));
        assert!(valid_text("AWSPhone", "+1 (555) 010-9999"));
        assert!(!valid_text("AWSPhone", "call me"));
        assert!(valid_text("AWSIPAddress", "10.0.0.1/8"));
        assert!(valid_text("AWSIPAddress", "::1"));
        assert!(!valid_text("AWSIPAddress", "10.0.0.256"));
        assert!(!valid_text("AWSIPAddress", "10.0.0.1/33"));
    }
}
