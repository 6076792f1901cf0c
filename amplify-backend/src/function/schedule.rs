//! Schedules: Amplify's `every 5m` strings and crons, and EventBridge's own
//! `rate(...)`/`cron(...)`, turned into EventBridge schedule expressions.

/// The EventBridge expression for one schedule, or why it is not one.
/// `timeout_seconds` is the function's: a schedule more frequent than it would
/// start a run before the last one may have finished (Amplify refuses those too).
pub(crate) fn expression(schedule: &str, timeout_seconds: u32) -> Result<String, String> {
    let s = schedule.trim();
    if let Some(inner) = s.strip_prefix("rate(").and_then(|r| r.strip_suffix(')')) {
        return rate(inner, timeout_seconds).map(|()| s.to_string());
    }
    if let Some(inner) = s.strip_prefix("cron(").and_then(|r| r.strip_suffix(')')) {
        let fields: Vec<&str> = inner.split_whitespace().collect();
        if fields.len() != 6 {
            return Err(format!(
                "schedule '{s}': an EventBridge cron has 6 fields (minutes hours day-of-month month day-of-week year)"
            ));
        }
        return cron(&fields).map(|f| format!("cron({})", f.join(" ")));
    }
    if let Some(interval) = s.strip_prefix("every ") {
        return every(interval.trim(), timeout_seconds);
    }
    let fields: Vec<&str> = s.split_whitespace().collect();
    if fields.len() == 5 || fields.len() == 6 {
        let mut fields = fields;
        if fields.len() == 5 {
            fields.push("*");
        }
        // A Unix-style `* *` for both days means every day; EventBridge wants one `?`.
        if fields[2] == "*" && fields[4] == "*" {
            fields[4] = "?";
        }
        return cron(&fields).map(|f| format!("cron({})", f.join(" ")));
    }
    Err(format!(
        "schedule '{s}' is not one Amplify reads: use 'every 5m', 'every 1h', 'every day', 'every week', \
         'every month', 'every year', a cron ('0 12 * * ? *'), 'rate(5 minutes)' or 'cron(0 12 * * ? *)'"
    ))
}

/// Why `tz` is not an IANA time zone EventBridge Scheduler knows, if it is not.
pub(crate) fn timezone_problem(tz: &str) -> Option<String> {
    tz.parse::<chrono_tz::Tz>().is_err().then(|| {
        format!("schedule time zone '{tz}' is not an IANA time zone; use one such as 'UTC', 'Europe/Paris' or 'America/New_York'")
    })
}

fn rate(inner: &str, timeout_seconds: u32) -> Result<(), String> {
    let bad = || {
        format!(
            "schedule 'rate({inner})': use 'rate(<positive whole number> <minute(s)|hour(s)|day(s)>)', singular for 1"
        )
    };
    let mut parts = inner.split_whitespace();
    let (Some(n), Some(unit), None) = (parts.next(), parts.next(), parts.next()) else { return Err(bad()) };
    let n: u64 = n.parse().ok().filter(|n| *n > 0).ok_or_else(bad)?;
    let seconds = match (unit, n == 1) {
        ("minute", true) | ("minutes", false) => 60,
        ("hour", true) | ("hours", false) => 3600,
        ("day", true) | ("days", false) => 86400,
        _ => return Err(bad()),
    };
    not_shorter_than_timeout(&format!("rate({inner})"), n.saturating_mul(seconds), timeout_seconds)
}

fn every(interval: &str, timeout_seconds: u32) -> Result<String, String> {
    let fixed = match interval {
        "day" => Some("cron(0 0 * * ? *)"),
        "week" => Some("cron(0 0 ? * 1 *)"),
        "month" => Some("cron(0 0 1 * ? *)"),
        "year" => Some("cron(0 0 1 1 ? *)"),
        _ => None,
    };
    if let Some(f) = fixed {
        return Ok(f.to_string());
    }
    let digits: String = interval.chars().take_while(char::is_ascii_digit).collect();
    let unit = &interval[digits.len()..];
    let n: u32 = digits.parse().unwrap_or(0);
    match unit {
        "m" | "h" if n == 0 => Err(format!("schedule 'every {interval}' has no rate; give a positive whole number")),
        "m" => {
            not_shorter_than_timeout(&format!("every {interval}"), u64::from(n) * 60, timeout_seconds)?;
            Ok(format!("cron(*/{n} * * * ? *)"))
        }
        "h" => Ok(format!("cron(0 */{n} * * ? *)")),
        _ => Err(format!(
            "schedule 'every {interval}' is not an interval Amplify knows; use 'every <n>m', 'every <n>h', \
             'every day', 'every week', 'every month' or 'every year'"
        )),
    }
}

fn not_shorter_than_timeout(what: &str, period_seconds: u64, timeout_seconds: u32) -> Result<(), String> {
    if period_seconds < u64::from(timeout_seconds) {
        return Err(format!(
            "schedule '{what}' runs more often than the function's timeout of {timeout_seconds} seconds; \
             schedule it less often or lower timeout_seconds"
        ));
    }
    Ok(())
}

/// Checks the 6 fields of an EventBridge cron, as Amplify does.
fn cron<'a>(fields: &[&'a str]) -> Result<Vec<&'a str>, String> {
    const NAMES: [(&str, u32, u32); 6] = [
        ("minutes", 0, 59),
        ("hours", 0, 23),
        ("day-of-month", 1, 31),
        ("month", 1, 12),
        ("day-of-week", 1, 7),
        ("year", 1970, 2199),
    ];
    let mut errors = Vec::new();
    for (i, (field, (name, min, max))) in fields.iter().zip(NAMES).enumerate() {
        if let Err(e) = cron_field(field, min, max, i) {
            errors.push(format!("cron field for {name} '{field}': {e}"));
        }
    }
    if fields[2] != "?" && fields[4] != "?" {
        errors.push(
            "a cron cannot set both day-of-month and day-of-week; use '?' in one of them (EventBridge's rule)"
                .to_string(),
        );
    }
    if errors.is_empty() {
        Ok(fields.to_vec())
    } else {
        Err(format!("schedule '{}': {}", fields.join(" "), errors.join("; ")))
    }
}

/// One cron field: `*`, `?` (days only), numbers, ranges, steps and lists; month
/// and weekday names and `L`/`W`/`#` are left to EventBridge.
fn cron_field(field: &str, min: u32, max: u32, index: usize) -> Result<(), String> {
    let is_day = index == 2 || index == 4;
    if field == "*" || (is_day && field == "?") {
        return Ok(());
    }
    let in_range = |s: &str| s.parse::<u32>().is_ok_and(|n| (min..=max).contains(&n));
    for item in field.split(',') {
        let (base, step) = match item.split_once('/') {
            Some((b, s)) => (b, Some(s)),
            None => (item, None),
        };
        if let Some(step) = step {
            if !step.parse::<u32>().is_ok_and(|n| n > 0) {
                return Err("steps must be positive whole numbers".into());
            }
        }
        if base == "*" && step.is_some() {
            continue;
        }
        // Names (JAN, MON-FRI) and L, W, # are EventBridge's to check.
        let named = base.chars().any(|c| c.is_ascii_alphabetic() || c == '#');
        if named && (index == 3 || is_day) {
            continue;
        }
        let ok = match base.split_once('-') {
            Some((a, b)) => in_range(a) && in_range(b) && a.parse::<u32>().ok() <= b.parse::<u32>().ok(),
            None => in_range(base),
        };
        if !ok {
            return Err(format!("use whole numbers from {min} to {max}"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amplify_intervals() {
        assert_eq!(expression("every 5m", 3).unwrap(), "cron(*/5 * * * ? *)");
        assert_eq!(expression("every 2h", 3).unwrap(), "cron(0 */2 * * ? *)");
        assert_eq!(expression("every day", 3).unwrap(), "cron(0 0 * * ? *)");
        assert_eq!(expression("every week", 3).unwrap(), "cron(0 0 ? * 1 *)");
        assert_eq!(expression("every month", 3).unwrap(), "cron(0 0 1 * ? *)");
        assert_eq!(expression("every year", 3).unwrap(), "cron(0 0 1 1 ? *)");
        assert!(expression("every 0m", 3).unwrap_err().contains("positive whole number"));
        assert!(expression("every 5s", 3).is_err());
        assert!(expression("every 1m", 120).unwrap_err().contains("timeout of 120 seconds"));
    }

    #[test]
    fn crons_and_rates() {
        assert_eq!(expression("0 12 * * ? *", 3).unwrap(), "cron(0 12 * * ? *)");
        assert_eq!(expression("0 12 * * *", 3).unwrap(), "cron(0 12 * * ? *)");
        assert_eq!(expression("15 10 ? * MON-FRI", 3).unwrap(), "cron(15 10 ? * MON-FRI *)");
        assert_eq!(expression("cron(0/15 * * * ? *)", 3).unwrap(), "cron(0/15 * * * ? *)");
        assert_eq!(expression("rate(5 minutes)", 3).unwrap(), "rate(5 minutes)");
        assert_eq!(expression("rate(1 day)", 3).unwrap(), "rate(1 day)");
        assert!(expression("rate(1 days)", 3).is_err());
        assert!(expression("rate(0 minutes)", 3).is_err());
        assert!(expression("rate(1 minute)", 300).unwrap_err().contains("timeout"));
        assert!(expression("61 * * * ? *", 3).unwrap_err().contains("minutes"));
        assert!(expression("0 0 1 * 2 *", 3).unwrap_err().contains("both day-of-month and day-of-week"));
        assert!(expression("cron(0 0 * * ?)", 3).unwrap_err().contains("6 fields"));
        assert!(expression("whenever", 3).unwrap_err().contains("every 5m"));
    }
}
