//! `util.time`'s formatted dates: patterns in the letters of Java's
//! `DateTimeFormatter` (`yyyy-MM-dd HH:mm:ssZ`), in UTC or a fixed offset.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Timelike, Utc};

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/// A piece of a pattern: a run of one letter, or literal text.
#[derive(Debug, PartialEq)]
enum Token {
    Field(char, usize),
    Literal(String),
}

fn tokenize(pattern: &str) -> Result<Vec<Token>, String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\'' {
            // '' is a quote; 'text' is literal text.
            if chars.get(i + 1) == Some(&'\'') {
                out.push(Token::Literal("'".into()));
                i += 2;
                continue;
            }
            let end = chars[i + 1..]
                .iter()
                .position(|&x| x == '\'')
                .ok_or_else(|| format!("unterminated quote in the date pattern {pattern:?}"))?;
            out.push(Token::Literal(chars[i + 1..i + 1 + end].iter().collect()));
            i += end + 2;
        } else if c.is_ascii_alphabetic() {
            let n = chars[i..].iter().take_while(|&&x| x == c).count();
            if !"yuMdDHhkKmsSaEeZXxzV".contains(c) {
                return Err(format!("the date pattern letter '{c}' is not supported (in {pattern:?})"));
            }
            out.push(Token::Field(c, n));
            i += n;
        } else {
            out.push(Token::Literal(c.to_string()));
            i += 1;
        }
    }
    Ok(out)
}

/// A time zone given to `util.time`: `UTC`, `GMT`, `Z` or a fixed offset
/// (`+08:00`, `-0530`, `UTC+8`). Region names (`Australia/Perth`) need the tz
/// database, which this runtime does not carry.
pub fn zone(name: &str) -> Result<FixedOffset, String> {
    let trimmed = name.trim();
    let rest = ["UTC", "GMT", "UT"].iter().find_map(|p| trimmed.strip_prefix(p)).unwrap_or(trimmed);
    if rest.is_empty() || rest == "Z" {
        return Ok(FixedOffset::east_opt(0).expect("zero offset"));
    }
    parse_offset(rest).ok_or_else(|| {
        format!("the time zone {name:?} is not supported locally: use UTC or a fixed offset such as +08:00")
    })
}

fn parse_offset(s: &str) -> Option<FixedOffset> {
    let (sign, digits) = match s.as_bytes().first()? {
        b'+' => (1, &s[1..]),
        b'-' => (-1, &s[1..]),
        _ => return None,
    };
    let digits: String = digits.chars().filter(|c| *c != ':').collect();
    if !digits.chars().all(|c| c.is_ascii_digit()) || digits.is_empty() || digits.len() > 4 {
        return None;
    }
    let (h, m) = if digits.len() <= 2 {
        (digits.parse::<i32>().ok()?, 0)
    } else {
        let split = digits.len() - 2;
        (digits[..split].parse::<i32>().ok()?, digits[split..].parse::<i32>().ok()?)
    };
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}

fn offset_text(secs: i32, colon: bool, z_for_zero: bool, minutes: bool) -> String {
    if secs == 0 && z_for_zero {
        return "Z".into();
    }
    let sign = if secs < 0 { '-' } else { '+' };
    let (h, m) = (secs.abs() / 3600, secs.abs() % 3600 / 60);
    match (minutes || m != 0, colon) {
        (false, _) => format!("{sign}{h:02}"),
        (true, true) => format!("{sign}{h:02}:{m:02}"),
        (true, false) => format!("{sign}{h:02}{m:02}"),
    }
}

/// `ms` since the epoch, formatted with `pattern` in `zone_name`.
pub fn format_millis(ms: f64, pattern: &str, zone_name: &str) -> Result<String, String> {
    let tz = zone(zone_name)?;
    let at = Utc.timestamp_millis_opt(ms as i64).single().ok_or_else(|| format!("{ms} is not a valid time"))?;
    let t = at.with_timezone(&tz);
    let mut out = String::new();
    for token in tokenize(pattern)? {
        match token {
            Token::Literal(s) => out.push_str(&s),
            Token::Field(c, n) => out.push_str(&field(&t, c, n, zone_name)),
        }
    }
    Ok(out)
}

fn field(t: &DateTime<FixedOffset>, c: char, n: usize, zone_name: &str) -> String {
    let num = |v: i64| format!("{v:0n$}");
    let secs = t.offset().local_minus_utc();
    match c {
        'y' | 'u' if n == 2 => format!("{:02}", t.year().rem_euclid(100)),
        'y' | 'u' => num(t.year() as i64),
        'M' if n >= 4 => MONTHS[t.month0() as usize].into(),
        'M' if n == 3 => MONTHS[t.month0() as usize][..3].into(),
        'M' => num(t.month() as i64),
        'd' => num(t.day() as i64),
        'D' => num(t.ordinal() as i64),
        'H' => num(t.hour() as i64),
        'k' => num(if t.hour() == 0 { 24 } else { t.hour() as i64 }),
        'K' => num((t.hour() % 12) as i64),
        'h' => num(if t.hour().is_multiple_of(12) { 12 } else { (t.hour() % 12) as i64 }),
        'm' => num(t.minute() as i64),
        's' => num(t.second() as i64),
        'S' => {
            let nanos = format!("{:09}", t.nanosecond() % 1_000_000_000);
            nanos.chars().chain(std::iter::repeat('0')).take(n).collect()
        }
        'a' => (if t.hour() < 12 { "AM" } else { "PM" }).into(),
        'E' | 'e' if n >= 4 => DAYS[t.weekday().num_days_from_monday() as usize].into(),
        'E' | 'e' => DAYS[t.weekday().num_days_from_monday() as usize][..3].into(),
        'Z' if n <= 3 => offset_text(secs, false, false, true),
        'Z' if n == 4 => {
            if secs == 0 {
                "GMT".into()
            } else {
                format!("GMT{}", offset_text(secs, true, false, true))
            }
        }
        'Z' => offset_text(secs, true, true, true),
        'X' | 'x' => {
            let z = c == 'X';
            match n {
                1 => offset_text(secs, false, z, false),
                2 | 4 => offset_text(secs, false, z, true),
                _ => offset_text(secs, true, z, true),
            }
        }
        'z' | 'V' => {
            if secs == 0 {
                "UTC".into()
            } else {
                zone_name.trim().to_string()
            }
        }
        _ => String::new(),
    }
}

/// Parses `text` written in `pattern`; a time without an offset is in `zone_name`.
pub fn parse_formatted(text: &str, pattern: &str, zone_name: &str) -> Result<i64, String> {
    let bad = || format!("{text:?} does not match the date pattern {pattern:?}");
    let tokens = tokenize(pattern)?;
    let (mut year, mut month, mut day, mut hour, mut minute, mut second, mut nanos) = (1970, 1, 1, 0, 0, 0, 0u32);
    let mut pm: Option<bool> = None;
    let mut offset: Option<FixedOffset> = None;
    let mut rest = text;
    for (i, token) in tokens.iter().enumerate() {
        match token {
            Token::Literal(s) => rest = rest.strip_prefix(s.as_str()).ok_or_else(bad)?,
            Token::Field(c, n) => {
                // Adjacent numbers (yyyyMMdd) take exactly their width.
                let next_numeric = matches!(tokens.get(i + 1), Some(Token::Field(x, _)) if "yuMdDHhkKmsS".contains(*x));
                let take_number = |rest: &mut &str| -> Result<i64, String> {
                    let limit = if next_numeric || *c == 'S' { *n } else { usize::MAX };
                    let len = rest.chars().take(limit).take_while(|c| c.is_ascii_digit()).count();
                    let v = rest[..len].parse::<i64>().map_err(|_| bad())?;
                    *rest = &rest[len..];
                    Ok(v)
                };
                match c {
                    'y' | 'u' => {
                        let v = take_number(&mut rest)?;
                        year = if *n == 2 { 2000 + v as i32 } else { v as i32 };
                    }
                    'M' if *n >= 3 => {
                        let idx = MONTHS
                            .iter()
                            .position(|m| {
                                let name = if *n == 3 { &m[..3] } else { m };
                                rest.to_ascii_lowercase().starts_with(&name.to_ascii_lowercase())
                            })
                            .ok_or_else(bad)?;
                        rest = &rest[if *n == 3 { 3 } else { MONTHS[idx].len() }..];
                        month = idx as u32 + 1;
                    }
                    'M' => month = take_number(&mut rest)? as u32,
                    'd' => day = take_number(&mut rest)? as u32,
                    'H' | 'k' => hour = take_number(&mut rest)? as u32 % 24,
                    'h' | 'K' => hour = take_number(&mut rest)? as u32 % 12,
                    'm' => minute = take_number(&mut rest)? as u32,
                    's' => second = take_number(&mut rest)? as u32,
                    'S' => {
                        let start = rest;
                        let v = take_number(&mut rest)?;
                        let digits = start.len() - rest.len();
                        nanos = (v * 10i64.pow(9u32.saturating_sub(digits as u32))) as u32;
                    }
                    'a' => {
                        let up = rest.get(..2).map(str::to_ascii_uppercase).ok_or_else(bad)?;
                        pm = Some(match up.as_str() {
                            "AM" => false,
                            "PM" => true,
                            _ => return Err(bad()),
                        });
                        rest = &rest[2..];
                    }
                    'E' | 'e' => {
                        let name = DAYS
                            .iter()
                            .map(|d| if *n >= 4 { *d } else { &d[..3] })
                            .find(|d| rest.starts_with(d))
                            .ok_or_else(bad)?;
                        rest = &rest[name.len()..];
                    }
                    'Z' | 'X' | 'x' | 'z' | 'V' => {
                        let s = rest.strip_prefix("GMT").or_else(|| rest.strip_prefix("UTC")).unwrap_or(rest);
                        if let Some(r) = s.strip_prefix('Z') {
                            offset = FixedOffset::east_opt(0);
                            rest = r;
                        } else {
                            let len = s
                                .char_indices()
                                .take_while(|(i, c)| {
                                    (*i == 0 && (*c == '+' || *c == '-')) || c.is_ascii_digit() || *c == ':'
                                })
                                .count();
                            if len == 0 {
                                offset = FixedOffset::east_opt(0);
                            } else {
                                offset = Some(parse_offset(&s[..len]).ok_or_else(bad)?);
                            }
                            rest = &s[len..];
                        }
                    }
                    _ => take_number(&mut rest).map(|_| ())?,
                }
            }
        }
    }
    if !rest.is_empty() {
        return Err(bad());
    }
    if pm == Some(true) {
        hour += 12;
    }
    let naive = NaiveDate::from_ymd_opt(year, month, day)
        .and_then(|d| d.and_hms_nano_opt(hour, minute, second, nanos))
        .ok_or_else(bad)?;
    let tz = match offset {
        Some(o) => o,
        None => zone(zone_name)?,
    };
    local_millis(naive, tz).ok_or_else(bad)
}

fn local_millis(naive: NaiveDateTime, tz: FixedOffset) -> Option<i64> {
    tz.from_local_datetime(&naive).single().map(|t| t.timestamp_millis())
}

/// An ISO 8601 date-time (`2018-02-01T17:21:05.180+08:00`); without an offset it
/// is UTC, and a date alone is its midnight.
pub fn parse_iso(text: &str) -> Result<i64, String> {
    let t = text.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(t) {
        return Ok(d.timestamp_millis());
    }
    let utc = FixedOffset::east_opt(0).expect("zero offset");
    for f in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"] {
        if let Ok(n) = NaiveDateTime::parse_from_str(t, f) {
            return local_millis(n, utc).ok_or_else(|| format!("{text:?} is not a valid time"));
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return Ok(d.and_hms_opt(0, 0, 0).and_then(|n| local_millis(n, utc)).unwrap_or_default());
    }
    Err(format!("{text:?} is not an ISO 8601 date-time"))
}

#[cfg(test)]
mod tests {
    use super::*;

    // 2018-02-06T19:01:35.749Z
    const MS: f64 = 1_517_943_695_749.0;

    #[test]
    fn formats_javas_pattern_letters() {
        assert_eq!(format_millis(MS, "yyyy-MM-dd HH:mm:ssZ", "UTC").unwrap(), "2018-02-06 19:01:35+0000");
        assert_eq!(format_millis(MS, "yyyy-MM-dd HH:mm:ssZ", "+08:00").unwrap(), "2018-02-07 03:01:35+0800");
        assert_eq!(format_millis(MS, "dd MMM yy, h:mm a", "UTC").unwrap(), "06 Feb 18, 7:01 PM");
        assert_eq!(format_millis(MS, "EEEE d MMMM yyyy", "UTC").unwrap(), "Tuesday 6 February 2018");
        assert_eq!(format_millis(MS, "HH:mm:ss.SSSXXX", "-05:30").unwrap(), "13:31:35.749-05:30");
        assert_eq!(format_millis(MS, "yyyy-MM-dd'T'HH:mm:ssX", "UTC").unwrap(), "2018-02-06T19:01:35Z");
    }

    #[test]
    fn region_zones_and_unknown_letters_are_clear_errors() {
        let e = format_millis(MS, "yyyy", "Australia/Perth").unwrap_err();
        assert!(e.contains("Australia/Perth") && e.contains("fixed offset"), "{e}");
        let e = format_millis(MS, "yyyy-QQ", "UTC").unwrap_err();
        assert!(e.contains("'Q'"), "{e}");
    }

    #[test]
    fn parses_what_it_formats() {
        for (pattern, zone) in [
            ("yyyy-MM-dd HH:mm:ss.SSSZ", "UTC"),
            ("dd MMM yyyy hh:mm:ss.SSS a", "+08:00"),
            ("yyyyMMddHHmmssSSS", "-0300"),
        ] {
            let text = format_millis(MS, pattern, zone).unwrap();
            assert_eq!(parse_formatted(&text, pattern, zone).unwrap(), MS as i64, "{pattern}: {text}");
        }
        assert_eq!(
            parse_formatted("2018-02-06 19:01:35+0800", "yyyy-MM-dd HH:mm:ssZ", "UTC").unwrap(),
            1_517_914_895_000
        );
        assert!(parse_formatted("2018/02/06", "yyyy-MM-dd", "UTC").is_err());
    }

    #[test]
    fn parses_iso_8601() {
        assert_eq!(parse_iso("2018-02-01T17:21:05.180+08:00").unwrap(), 1_517_476_865_180);
        assert_eq!(parse_iso("2018-02-01T09:21:05.180Z").unwrap(), 1_517_476_865_180);
        assert_eq!(parse_iso("2018-02-01").unwrap(), 1_517_443_200_000);
        assert!(parse_iso("yesterday").is_err());
    }
}
