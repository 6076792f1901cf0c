//! Test harness: a moto server per test, the `ampx` binary run against it, SDK
//! clients to look at what moto has, and cloud assemblies built with `constructs`.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use aws_config::retry::RetryConfig;
use aws_config::{BehaviorVersion, Region};
use aws_sdk_s3::config::Credentials;

pub mod backend;

pub const REGION: &str = "us-east-1";
/// moto's account.
pub const ACCOUNT: &str = "123456789012";

/// A moto server on 127.0.0.1, stopped when dropped.
pub struct Moto {
    child: Child,
    pub port: u16,
    pub endpoint: String,
}

fn moto_server() -> PathBuf {
    let path = std::env::var_os("MOTO_SERVER")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../.tools/moto/bin/moto_server"));
    assert!(path.is_file(), "moto_server not found at {}: run scripts/install-tools", path.display());
    path
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

impl Moto {
    /// Starts moto and waits until it answers.
    pub fn start() -> Moto {
        Moto::start_command(Command::new(moto_server()))
    }

    /// Starts moto with the stand-ins of `moto/moto_for_amplify.py`, which a
    /// whole Amplify backend needs to deploy (nested stack outputs, resource types
    /// moto does not model, the template metadata Amplify's CLI reads).
    pub fn start_for_amplify() -> Moto {
        let mut python = Command::new(moto_server().with_file_name("python"));
        python.arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/testsuite/moto/moto_for_amplify.py"));
        Moto::start_command(python)
    }

    fn start_command(mut server: Command) -> Moto {
        let port = free_port();
        let child = server
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("moto_server starts");
        let moto = Moto { child, port, endpoint: format!("http://127.0.0.1:{port}") };
        let deadline = Instant::now() + Duration::from_secs(60);
        while moto.http("GET", "/moto-api/data.json").is_err() {
            assert!(Instant::now() < deadline, "moto_server did not start on port {port}");
            std::thread::sleep(Duration::from_millis(100));
        }
        moto
    }

    fn http(&self, method: &str, path: &str) -> std::io::Result<String> {
        let mut s = TcpStream::connect(("127.0.0.1", self.port))?;
        write!(s, "{method} {path} HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n")?;
        let mut response = String::new();
        s.read_to_string(&mut response)?;
        Ok(response)
    }

    /// Forgets everything (between cases that share a server).
    pub fn reset(&self) {
        self.http("POST", "/moto-api/reset").expect("moto resets");
    }

    /// The SDK config the test's own clients use (no retries: moto's 500s are final).
    pub async fn sdk_config(&self) -> aws_config::SdkConfig {
        aws_config::defaults(BehaviorVersion::latest())
            .region(Region::new(REGION))
            .credentials_provider(Credentials::new("testing", "testing", None, None, "tests"))
            .endpoint_url(&self.endpoint)
            .retry_config(RetryConfig::disabled())
            .load()
            .await
    }

    pub async fn cfn(&self) -> aws_sdk_cloudformation::Client {
        aws_sdk_cloudformation::Client::new(&self.sdk_config().await)
    }

    pub async fn s3(&self) -> aws_sdk_s3::Client {
        let conf = aws_sdk_s3::config::Builder::from(&self.sdk_config().await).force_path_style(true).build();
        aws_sdk_s3::Client::from_conf(conf)
    }

    pub async fn ssm(&self) -> aws_sdk_ssm::Client {
        aws_sdk_ssm::Client::new(&self.sdk_config().await)
    }

    pub async fn lambda(&self) -> aws_sdk_lambda::Client {
        aws_sdk_lambda::Client::new(&self.sdk_config().await)
    }

    /// What `cdk bootstrap` leaves that deployments need: the assets bucket and
    /// the version parameter.
    pub async fn bootstrap(&self) {
        self.bootstrap_qualified("hnb659fds").await
    }

    /// What `cdk bootstrap --qualifier <qualifier>` leaves.
    pub async fn bootstrap_qualified(&self, qualifier: &str) {
        self.s3()
            .await
            .create_bucket()
            .bucket(format!("cdk-{qualifier}-assets-{ACCOUNT}-{REGION}"))
            .send()
            .await
            .expect("bucket");
        self.ssm()
            .await
            .put_parameter()
            .name(format!("/cdk-bootstrap/{qualifier}/version"))
            .value("21")
            .r#type(aws_sdk_ssm::types::ParameterType::String)
            .send()
            .await
            .expect("parameter");
    }

    /// Runs `ampx` in `cwd` against this server.
    pub fn ampx(&self, cwd: &Path, args: &[&str]) -> Run {
        self.ampx_with_input(cwd, args, None)
    }

    /// Runs `ampx` with `input` on its standard input.
    pub fn ampx_with_input(&self, cwd: &Path, args: &[&str], input: Option<&str>) -> Run {
        run(self.ampx_command(cwd), args, input)
    }

    /// Runs `ampx` on a pseudo-terminal: once it has printed `prompt`, types
    /// `answer` and Enter. Its stdout has everything the terminal showed.
    pub fn ampx_on_terminal(&self, cwd: &Path, args: &[&str], prompt: &str, answer: &str) -> Run {
        let mut cmd = self.ampx_command(cwd);
        let ampx = cmd.get_program().to_owned();
        cmd = {
            let mut python = Command::new(moto_server().with_file_name("python"));
            python.current_dir(cwd).arg("-c").arg(TERMINAL_DRIVER).arg(prompt).arg(answer).arg(ampx);
            for (key, value) in cmd.get_envs() {
                match value {
                    Some(value) => python.env(key, value),
                    None => python.env_remove(key),
                };
            }
            python
        };
        run(cmd, args, None)
    }

    /// `ampx` in `cwd`, set up to reach this server.
    pub fn ampx_command(&self, cwd: &Path) -> Command {
        let mut cmd = ampx_command(cwd);
        cmd.env("AWS_ENDPOINT_URL", &self.endpoint)
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_REGION", REGION);
        cmd
    }
}

/// `python -c DRIVER PROMPT ANSWER PROGRAM ARGS...`: runs the program on a
/// pseudo-terminal, types the answer after the prompt shows, and prints all the
/// terminal showed. Gives up after 60 s of silence.
const TERMINAL_DRIVER: &str = r#"
import os, pty, select, signal, sys
prompt, answer, argv = sys.argv[1].encode(), sys.argv[2].encode(), sys.argv[3:]
pid, fd = pty.fork()
if pid == 0:
    os.execv(argv[0], argv)
seen = b""
def more():
    global seen
    if not select.select([fd], [], [], 60)[0]:
        os.kill(pid, signal.SIGKILL)
        return False
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        return False
    seen += chunk
    return bool(chunk)
while prompt not in seen and more():
    pass
os.write(fd, answer + b"\r")
while more():
    pass
_, status = os.waitpid(pid, 0)
sys.stdout.buffer.write(seen)
sys.exit(os.waitstatus_to_exitcode(status))
"#;

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `ampx` with a clean AWS environment: no profile files, no instance metadata,
/// and no retries (moto answers failures with HTTP 500s, which the SDK retries).
pub fn ampx_command(cwd: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ampx"));
    cmd.current_dir(cwd);
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("AWS_") {
            cmd.env_remove(key);
        }
    }
    cmd.env("AWS_CONFIG_FILE", "/nonexistent/ampx-tests/config")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/ampx-tests/credentials")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_MAX_ATTEMPTS", "1")
        .env("USER", "tester");
    cmd
}

/// What a run of `ampx` did.
pub struct Run {
    pub output: Output,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn success(&self) -> bool {
        self.output.status.success()
    }

    /// Everything it printed.
    pub fn all(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }

    /// Panics with the output unless it succeeded.
    pub fn ok(self) -> Run {
        assert!(self.success(), "ampx failed:\n--- stdout\n{}\n--- stderr\n{}", self.stdout, self.stderr);
        self
    }

    /// Panics with the output unless it failed.
    pub fn failed(self) -> Run {
        assert!(!self.success(), "ampx should have failed:\n--- stdout\n{}\n--- stderr\n{}", self.stdout, self.stderr);
        self
    }
}

pub fn run(mut cmd: Command, args: &[&str], input: Option<&str>) -> Run {
    cmd.args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("ampx starts");
    {
        let mut stdin = child.stdin.take().expect("stdin");
        if let Some(input) = input {
            stdin.write_all(input.as_bytes()).expect("input written");
        }
    }
    let output = child.wait_with_output().expect("ampx runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    Run { output, stdout, stderr }
}

/// A project directory named `name` (the sandbox namespace) inside a temp dir.
pub fn project(name: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join(name);
    std::fs::create_dir_all(&dir).expect("project dir");
    (tmp, dir)
}

/// The API calls that `ampx -v` reports, as `(operation, count)`.
pub fn api_calls(run: &Run) -> Vec<(String, u32)> {
    api_calls_in(&run.stderr)
}

/// The API calls of the first `-v` summary in `text`.
pub fn api_calls_in(text: &str) -> Vec<(String, u32)> {
    let line = text.lines().find(|l| l.contains("API calls (")).unwrap_or_default();
    let inner = line.split("API calls (").nth(1).unwrap_or_default().trim_end_matches(')');
    inner
        .split(", ")
        .filter_map(|p| {
            let (op, n) = p.rsplit_once(' ')?;
            Some((op.to_string(), n.parse().ok()?))
        })
        .collect()
}

/// Validates an `amplify_outputs.json` against Amplify's v1.5 schema with the
/// pinned `jsonschema` of the tools (an outside judge); panics with the errors.
pub fn assert_valid_outputs(document: &Path) {
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("../reference/amplify-outputs-schema-v1.5.json");
    let output = Command::new(moto_server().with_file_name("python"))
        .arg("-c")
        .arg(
            "import json, sys, jsonschema\n\
             schema, doc = (json.load(open(p)) for p in sys.argv[1:3])\n\
             errors = [f'{list(e.absolute_path)}: {e.message}' for e in jsonschema.Draft202012Validator(schema).iter_errors(doc)]\n\
             print('\\n'.join(errors)); sys.exit(1 if errors else 0)",
        )
        .arg(&schema)
        .arg(document)
        .output()
        .expect("python runs");
    assert!(
        output.status.success(),
        "{} does not validate against the v1.5 schema:\n{}{}",
        document.display(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
