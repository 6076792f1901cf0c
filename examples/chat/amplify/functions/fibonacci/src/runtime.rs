//! A client of the Lambda Runtime API (`AWS_LAMBDA_RUNTIME_API`): HTTP/1.1
//! over one connection per call, which is all the API asks for.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;

/// One invocation: its request id and the event (JSON text).
pub struct Invocation {
    pub request_id: String,
    pub event: String,
}

/// An answer: status, headers (names in lower case) and body.
type Reply = (u16, Vec<(String, String)>, Vec<u8>);

/// The Runtime API at `host:port`.
pub struct Runtime {
    api: String,
}

impl Runtime {
    /// The API the environment names.
    pub fn from_env() -> Result<Runtime, String> {
        let api = std::env::var("AWS_LAMBDA_RUNTIME_API").map_err(|_| "AWS_LAMBDA_RUNTIME_API is not set")?;
        Ok(Runtime { api })
    }

    /// Waits for the next invocation.
    pub fn next(&self) -> Result<Invocation, String> {
        let (status, headers, body) = self.call("GET", "/invocation/next", &[], b"")?;
        if status != 200 {
            return Err(format!("invocation/next answered {status}"));
        }
        let request_id = headers
            .into_iter()
            .find(|(k, _)| k == "lambda-runtime-aws-request-id")
            .map(|(_, v)| v)
            .ok_or("invocation/next gave no request id")?;
        Ok(Invocation { request_id, event: String::from_utf8_lossy(&body).into_owned() })
    }

    /// Answers `request_id` with `json`.
    pub fn respond(&self, request_id: &str, json: &str) -> Result<(), String> {
        self.call("POST", &format!("/invocation/{request_id}/response"), &[], json.as_bytes()).map(|_| ())
    }

    /// Fails `request_id` with Lambda's error shape.
    pub fn fail(&self, request_id: &str, error_type: &str, message: &str) -> Result<(), String> {
        let body = format!(r#"{{"errorType":"{error_type}","errorMessage":"{}"}}"#, message.replace('"', "'"));
        let header = [("Lambda-Runtime-Function-Error-Type", error_type)];
        self.call("POST", &format!("/invocation/{request_id}/error"), &header, body.as_bytes()).map(|_| ())
    }

    fn call(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Result<Reply, String> {
        let io = |e: std::io::Error| format!("the Runtime API at {}: {e}", self.api);
        let mut stream = TcpStream::connect(&self.api).map_err(io)?;
        let mut head = format!(
            "{method} /2018-06-01/runtime{path} HTTP/1.1\r\nHost: {}\r\nContent-Length: {}\r\nConnection: close\r\n",
            self.api,
            body.len()
        );
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(body)).map_err(io)?;
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        reader.read_line(&mut line).map_err(io)?;
        let status = line.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        let mut answer_headers = Vec::new();
        loop {
            line.clear();
            reader.read_line(&mut line).map_err(io)?;
            match line.trim_end().split_once(':') {
                Some((k, v)) => answer_headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string())),
                None => break,
            }
        }
        let mut answer = Vec::new();
        reader.read_to_end(&mut answer).map_err(io)?;
        Ok((status, answer_headers, answer))
    }
}
