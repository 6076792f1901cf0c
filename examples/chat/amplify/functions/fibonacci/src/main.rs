//! Answers the custom query `fibonacci(n: Int): Int` (AppSync's Lambda
//! resolver event: `{"arguments": {"n": 10}, "identity": ..., ...}`).

mod runtime;

/// The largest `n` whose number fits GraphQL's 32-bit `Int`.
const MAX_N: i64 = 46;

/// The `n` argument: the number after `"n":` in the event's `arguments`
/// (the query's one argument, so nothing else there is named `n`).
fn argument(event: &str) -> Result<i64, String> {
    let arguments = event.find("\"arguments\"").map(|i| &event[i..]).ok_or("the event has no arguments")?;
    let missing = || "the query needs the argument n".to_string();
    let after = arguments.find("\"n\"").map(|i| &arguments[i + 3..]).ok_or_else(missing)?;
    let value = after.trim_start().strip_prefix(':').ok_or_else(missing)?.trim_start();
    let end = value.find(|c: char| !(c.is_ascii_digit() || c == '-')).unwrap_or(value.len());
    value[..end].parse().map_err(|_| format!("n must be an integer from 0 to {MAX_N}"))
}

fn fibonacci(n: i64) -> Result<i64, String> {
    if !(0..=MAX_N).contains(&n) {
        return Err(format!("n must be an integer from 0 to {MAX_N}, not {n}"));
    }
    let (mut a, mut b) = (0i64, 1i64);
    for _ in 0..n {
        (a, b) = (b, a + b);
    }
    Ok(a)
}

fn main() {
    let runtime = match runtime::Runtime::from_env() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    loop {
        let invocation = match runtime.next() {
            Ok(i) => i,
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(1);
            }
        };
        let answer = argument(&invocation.event).and_then(fibonacci);
        println!("fibonacci: {answer:?}");
        let sent = match answer {
            Ok(number) => runtime.respond(&invocation.request_id, &number.to_string()),
            Err(message) => runtime.fail(&invocation.request_id, "BadRequest", &message),
        };
        if let Err(e) = sent {
            eprintln!("{e}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_n_and_answers_within_int() {
        let event = r#"{"arguments": {"n" : 10}, "identity": {"sub": "x"}, "source": null}"#;
        assert_eq!(argument(event).and_then(fibonacci), Ok(55));
        assert_eq!(fibonacci(46), Ok(1_836_311_903));
        assert!(fibonacci(47).unwrap_err().contains("from 0 to 46"));
        assert!(argument(r#"{"arguments": {}}"#).unwrap_err().contains("needs the argument n"));
        assert!(argument(r#"{"arguments": {"n": null}}"#).unwrap_err().contains("must be an integer"));
    }
}
