//! A moto server for the test, spoken to over DynamoDB's JSON 1.0 protocol.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// A DynamoDB error answer: its code (after the `#` of `__type`) and body.
#[derive(Debug, Clone)]
pub struct MotoError {
    pub kind: String,
    pub body: Value,
}

/// moto_server on a free port of 127.0.0.1, stopped when dropped.
pub struct Moto {
    child: Child,
    endpoint: String,
    agent: ureq::Agent,
}

fn moto_server() -> PathBuf {
    let path = std::env::var_os("MOTO_SERVER").map(PathBuf::from).unwrap_or_else(|| {
        panic!("MOTO_SERVER is not set: run scripts/install-tools, then `source .tools/env`, before this test")
    });
    assert!(path.is_file(), "MOTO_SERVER points at {}, which is not a file: run scripts/install-tools", path.display());
    path
}

impl Moto {
    /// Starts moto and waits until it answers.
    pub fn start() -> Moto {
        let port = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port();
        let child = Command::new(moto_server())
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("moto_server starts");
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build();
        let moto =
            Moto { child, endpoint: format!("http://127.0.0.1:{port}"), agent: ureq::Agent::new_with_config(config) };
        let deadline = Instant::now() + Duration::from_secs(60);
        while moto.agent.get(format!("{}/moto-api/data.json", moto.endpoint)).call().is_err() {
            assert!(Instant::now() < deadline, "moto_server did not start on port {port}");
            std::thread::sleep(Duration::from_millis(100));
        }
        moto
    }

    /// Forgets every table.
    pub fn reset(&self) {
        self.agent.post(format!("{}/moto-api/reset", self.endpoint)).send("").expect("moto resets");
    }

    /// One DynamoDB call.
    pub fn call(&self, operation: &str, request: &Value) -> Result<Value, MotoError> {
        let mut response = self
            .agent
            .post(&self.endpoint)
            .header("X-Amz-Target", format!("DynamoDB_20120810.{operation}"))
            .header("Content-Type", "application/x-amz-json-1.0")
            .header(
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0",
            )
            .send(request.to_string())
            .unwrap_or_else(|e| panic!("moto did not answer {operation}: {e}"));
        let status = response.status().as_u16();
        let text = response.body_mut().read_to_string().expect("moto's answer is text");
        if status >= 500 {
            let first_line = text.lines().find(|l| l.contains("Error")).unwrap_or("").trim().to_string();
            return Err(MotoError {
                kind: format!("moto failed internally ({status})"),
                body: serde_json::json!({ "text": first_line }),
            });
        }
        let body: Value = serde_json::from_str(&text)
            .unwrap_or_else(|_| panic!("moto answered {operation} with non-JSON ({status}): {text}"));
        if status == 200 {
            Ok(body)
        } else {
            let kind = match body["__type"].as_str() {
                Some(kind) if status < 500 => kind.rsplit('#').next().unwrap_or("").to_string(),
                _ => format!("moto failed internally ({status})"),
            };
            Err(MotoError { kind, body })
        }
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
