//! Answers the custom query `fibonacci(n: Int!): Int` from AppSync's Lambda
//! resolver event (`{"arguments": {"n": 10}, "identity": ..., ...}`).

use lambda_runtime::{service_fn, Diagnostic, LambdaEvent};
use serde::Deserialize;

/// The largest `n` whose number fits GraphQL's 32-bit `Int`.
const MAX_N: i64 = 46;

/// The part of the resolver event this handler reads.
#[derive(Debug, Deserialize)]
struct Event {
    arguments: Arguments,
}

#[derive(Debug, Deserialize)]
struct Arguments {
    n: Option<i64>,
}

/// A bad argument: AppSync shows it as a GraphQL error of type `Lambda:BadRequest`.
#[derive(Debug, PartialEq)]
struct BadRequest(String);

impl From<BadRequest> for Diagnostic {
    fn from(e: BadRequest) -> Diagnostic {
        Diagnostic { error_type: "BadRequest".into(), error_message: e.0 }
    }
}

fn fibonacci(n: Option<i64>) -> Result<i64, BadRequest> {
    let n = n.ok_or_else(|| BadRequest("the query needs the argument n".into()))?;
    if !(0..=MAX_N).contains(&n) {
        return Err(BadRequest(format!("n must be an integer from 0 to {MAX_N}, not {n}")));
    }
    let (mut a, mut b) = (0i64, 1i64);
    for _ in 0..n {
        (a, b) = (b, a + b);
    }
    Ok(a)
}

async fn handler(event: LambdaEvent<Event>) -> Result<i64, BadRequest> {
    let answer = fibonacci(event.payload.arguments.n);
    println!("fibonacci: {answer:?}");
    answer
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_runtime::Error> {
    lambda_runtime::run(service_fn(handler)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_within_graphqls_int() {
        let event: Event = serde_json::from_str(r#"{"arguments": {"n": 10}, "identity": {"sub": "x"}}"#).unwrap();
        assert_eq!(fibonacci(event.arguments.n), Ok(55));
        assert_eq!(fibonacci(Some(46)), Ok(1_836_311_903));
        assert!(fibonacci(Some(47)).unwrap_err().0.contains("from 0 to 46"));
        assert!(fibonacci(Some(-1)).is_err());
        assert!(fibonacci(None).unwrap_err().0.contains("needs the argument n"));
    }
}
