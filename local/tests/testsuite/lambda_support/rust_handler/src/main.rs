//! Speaks the Lambda Runtime API over plain HTTP/1.1: `next`, then `response`
//! (or `error` when the event asks for one), forever.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

fn call(api: &str, method: &str, path: &str, body: &[u8], extra: &str) -> std::io::Result<Reply> {
    let mut stream = TcpStream::connect(api)?;
    let request = format!(
        "{method} /2018-06-01/runtime{path} HTTP/1.1\r\nHost: {api}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n{extra}\r\n",
        body.len()
    );
    stream.write_all(request.as_bytes())?;
    stream.write_all(body)?;
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let status = line.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let mut headers = Vec::new();
    loop {
        line.clear();
        reader.read_line(&mut line)?;
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        if let Some((k, v)) = l.split_once(':') {
            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    let length = headers.iter().find(|(k, _)| k == "content-length").and_then(|(_, v)| v.parse().ok());
    let mut body = Vec::new();
    match length {
        Some(n) => {
            body.resize(n, 0);
            reader.read_exact(&mut body)?;
        }
        None => {
            reader.read_to_end(&mut body)?;
        }
    }
    Ok(Reply { status, headers, body })
}

fn main() {
    let api = std::env::var("AWS_LAMBDA_RUNTIME_API").expect("AWS_LAMBDA_RUNTIME_API is set");
    eprintln!("rust handler started");
    loop {
        let next = match call(&api, "GET", "/invocation/next", b"", "") {
            Ok(r) if r.status == 200 => r,
            _ => return,
        };
        let id = next.headers.iter().find(|(k, _)| k == "lambda-runtime-aws-request-id").map(|(_, v)| v.clone());
        let Some(id) = id else { return };
        let event = String::from_utf8_lossy(&next.body).to_string();
        if event.contains("\"fail\":true") {
            let doc = r#"{"errorType":"RustError","errorMessage":"asked to fail","stackTrace":[]}"#;
            let _ = call(&api, "POST", &format!("/invocation/{id}/error"), doc.as_bytes(), "Lambda-Runtime-Function-Error-Type: RustError\r\n");
            continue;
        }
        let answer = format!(r#"{{"runtime":"rust","pid":{},"event":{event}}}"#, std::process::id());
        let _ = call(&api, "POST", &format!("/invocation/{id}/response"), answer.as_bytes(), "");
    }
}
