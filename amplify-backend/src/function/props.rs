//! `FunctionProps`: what `define_function` reads, as Amplify's `defineFunction` does.

use std::path::PathBuf;

use constructs::Value;

use super::secret::Secret;

/// The settings of a function, named after Amplify's `defineFunction` props
/// (`memoryMB` is `memory_mb`, `resourceGroupName` is `resource_group_name`, ...).
///
/// Every field but `entry` has Amplify's default; build props with
/// `..Default::default()`.
#[derive(Clone, Debug, Default)]
pub struct FunctionProps {
    /// The function's name in the backend (`say-hello`): 1 to 64 letters, digits,
    /// `-` and `_`. Other categories find the function by it, and it tags the
    /// resources (`amplify:friendly-name`). CloudFormation names the Lambda
    /// function itself, as in Amplify. Empty: the file name of `entry` without
    /// its extension, as Amplify does.
    pub name: String,
    /// Where the code is. One of:
    /// - a TypeScript (`.ts`, `.mts`, `.cts`) or JavaScript (`.mjs`, `.js`, `.cjs`)
    ///   file, bundled with esbuild as Amplify does, with the npm packages it
    ///   imports (see the [module docs](super));
    /// - a Python file (`.py`), deployed alone;
    /// - a directory, deployed as it is (set `handler` unless it holds `index.mjs`,
    ///   `index.js`, `handler.py`, a `bootstrap` executable, ...);
    /// - a Rust crate (a directory with `Cargo.toml`, or the `Cargo.toml` itself),
    ///   cross-compiled to a `bootstrap` for `provided.al2023`.
    ///
    /// Write it with [`entry!`](crate::entry!): `entry!("handler.ts")` is the
    /// `handler.ts` next to the source file that says so, as a relative `entry`
    /// is in Amplify, however the program is started. A plain relative path is
    /// resolved against `CARGO_MANIFEST_DIR` at run time (Cargo sets it for
    /// `cargo run` and `cargo test`), else against the current directory.
    pub entry: PathBuf,
    /// The Lambda `Handler`. Default: `<file stem>.handler` for a file entry,
    /// found in the directory for a directory entry, `bootstrap` for Rust.
    pub handler: Option<String>,
    /// The runtime. Default: Node.js 22 for JavaScript (as Amplify today), Python
    /// 3.13 for Python, `provided.al2023` for Rust and `bootstrap` executables.
    pub runtime: Option<Runtime>,
    /// The instruction set. Default: x86_64.
    pub architecture: Architecture,
    /// Memory in MB, 128 to 10240. Default: 512.
    pub memory_mb: Option<u32>,
    /// Timeout in seconds, 1 to 900. Default: 3.
    pub timeout_seconds: Option<u32>,
    /// `/tmp` size in MB, 512 to 10240. Default: 512.
    pub ephemeral_storage_size_mb: Option<u32>,
    /// Environment variables: literals, tokens, or [`secret`](super::secret())s
    /// (resolved from SSM Parameter Store at run time, never written into a
    /// template).
    pub environment: Vec<(String, EnvValue)>,
    /// When to run the function: Amplify's `every 5m`, `every 1h`, `every day`,
    /// `every week`, `every month`, `every year`; a cron of 5 or 6 fields
    /// (`0 12 * * ? *`); or an EventBridge expression (`rate(5 minutes)`,
    /// `cron(0 12 * * ? *)`). A plain string runs in UTC on an EventBridge rule;
    /// [`FunctionSchedule::zoned`] runs in a time zone on EventBridge Scheduler.
    pub schedule: Vec<FunctionSchedule>,
    /// Log retention, format and level.
    pub logging: FunctionLogging,
    /// Lambda layer version ARNs (at most 5).
    pub layers: Vec<String>,
    /// The nested stack to put the function in (`data`, `auth`, `storage`, or a
    /// name of your own) instead of the one chosen from how categories use it.
    pub resource_group_name: Option<String>,
    /// How a Rust crate is built.
    pub rust: RustBuild,
    /// How a JavaScript or TypeScript file is bundled.
    pub bundling: FunctionBundling,
}

/// One schedule (Amplify's `FunctionSchedule`): an expression, and optionally
/// the time zone it is read in and a description. `"every 5m".into()` is one in UTC.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FunctionSchedule {
    /// `every 5m`, a cron of 5 or 6 fields, `rate(...)` or `cron(...)`.
    pub expression: String,
    /// An IANA time zone (`Europe/Paris`): the schedule becomes an
    /// `AWS::Scheduler::Schedule` evaluated in it, as Amplify's zoned schedules
    /// (`{ cron, timezone }`, `{ rate, timezone }`) are. `None`: UTC, on an
    /// EventBridge rule.
    pub timezone: Option<String>,
    /// A description of the schedule.
    pub description: Option<String>,
}

impl FunctionSchedule {
    /// `expression` read in `timezone` (`FunctionSchedule::zoned("0 9 ? * 2 *", "Europe/Paris")`).
    pub fn zoned(expression: impl Into<String>, timezone: impl Into<String>) -> Self {
        FunctionSchedule { expression: expression.into(), timezone: Some(timezone.into()), description: None }
    }

    /// With a description.
    pub fn described(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }
}

impl From<&str> for FunctionSchedule {
    fn from(expression: &str) -> Self {
        FunctionSchedule { expression: expression.to_string(), ..Default::default() }
    }
}

impl From<String> for FunctionSchedule {
    fn from(expression: String) -> Self {
        FunctionSchedule { expression, ..Default::default() }
    }
}

/// Bundling options (Amplify's `bundling`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FunctionBundling {
    /// Minify the bundle. Default: true, as in Amplify; the source map keeps
    /// stack traces readable.
    pub minify: bool,
}

impl Default for FunctionBundling {
    fn default() -> Self {
        FunctionBundling { minify: true }
    }
}

impl FunctionProps {
    /// Adds an environment variable (a literal, a token or a [`secret`](super::secret())).
    ///
    /// ```
    /// use amplify_backend::function::{secret, FunctionProps};
    /// let props = FunctionProps { name: "say-hello".into(), ..Default::default() }
    ///     .env("GREETING", "Hello")
    ///     .env("API_KEY", secret("API_KEY"));
    /// assert_eq!(props.environment.len(), 2);
    /// ```
    pub fn env(mut self, key: impl Into<String>, value: impl Into<EnvValue>) -> Self {
        self.environment.push((key.into(), value.into()));
        self
    }
}

/// The value of an environment variable.
#[derive(Clone, Debug)]
pub enum EnvValue {
    /// A literal or a token, written into the template.
    Value(Value),
    /// A secret: only its SSM parameter path is written into the template.
    Secret(Secret),
}

impl From<&str> for EnvValue {
    fn from(s: &str) -> Self {
        EnvValue::Value(s.into())
    }
}

impl From<String> for EnvValue {
    fn from(s: String) -> Self {
        EnvValue::Value(s.into())
    }
}

impl From<Value> for EnvValue {
    fn from(v: Value) -> Self {
        EnvValue::Value(v)
    }
}

impl From<Secret> for EnvValue {
    fn from(s: Secret) -> Self {
        EnvValue::Secret(s)
    }
}

/// The Lambda runtimes a function can use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Runtime {
    /// `nodejs18.x` (deprecated by Lambda since 2025-09-01; kept for existing functions).
    Node18,
    /// `nodejs20.x` (deprecated by Lambda since 2026-04-30).
    Node20,
    /// `nodejs22.x`
    Node22,
    /// `nodejs24.x`
    Node24,
    /// `python3.10` (deprecated by Lambda from 2026-10-31).
    Python3_10,
    /// `python3.11`
    Python3_11,
    /// `python3.12`
    Python3_12,
    /// `python3.13`
    Python3_13,
    /// `python3.14`
    Python3_14,
    /// `provided.al2023`: a `bootstrap` executable (Rust, Go, ...).
    ProvidedAl2023,
}

impl Runtime {
    /// The name Lambda uses (`nodejs22.x`).
    pub fn as_str(self) -> &'static str {
        match self {
            Runtime::Node18 => "nodejs18.x",
            Runtime::Node20 => "nodejs20.x",
            Runtime::Node22 => "nodejs22.x",
            Runtime::Node24 => "nodejs24.x",
            Runtime::Python3_10 => "python3.10",
            Runtime::Python3_11 => "python3.11",
            Runtime::Python3_12 => "python3.12",
            Runtime::Python3_13 => "python3.13",
            Runtime::Python3_14 => "python3.14",
            Runtime::ProvidedAl2023 => "provided.al2023",
        }
    }

    pub(crate) fn language(self) -> Language {
        match self {
            Runtime::Node18 | Runtime::Node20 | Runtime::Node22 | Runtime::Node24 => Language::Node,
            Runtime::Python3_10
            | Runtime::Python3_11
            | Runtime::Python3_12
            | Runtime::Python3_13
            | Runtime::Python3_14 => Language::Python,
            Runtime::ProvidedAl2023 => Language::Provided,
        }
    }

    pub(crate) fn to_cfn(self) -> cfn_types::lambda::function::Runtime {
        use cfn_types::lambda::function::Runtime as R;
        match self {
            Runtime::Node18 => R::Nodejs18X,
            Runtime::Node20 => R::Nodejs20X,
            Runtime::Node22 => R::Nodejs22X,
            Runtime::Node24 => R::Nodejs24X,
            Runtime::Python3_10 => R::Python3_10,
            Runtime::Python3_11 => R::Python3_11,
            Runtime::Python3_12 => R::Python3_12,
            Runtime::Python3_13 => R::Python3_13,
            Runtime::Python3_14 => R::Python3_14,
            Runtime::ProvidedAl2023 => R::ProvidedAl2023,
        }
    }
}

/// What kind of code a runtime runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Language {
    Node,
    Python,
    Provided,
}

impl Language {
    pub(crate) fn default_runtime(self) -> Runtime {
        match self {
            Language::Node => Runtime::Node22,
            Language::Python => Runtime::Python3_13,
            Language::Provided => Runtime::ProvidedAl2023,
        }
    }

    pub(crate) fn describe(self) -> &'static str {
        match self {
            Language::Node => "Node.js",
            Language::Python => "Python",
            Language::Provided => "a bootstrap executable (provided.al2023)",
        }
    }
}

/// The instruction set a function runs on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Architecture {
    /// `x86_64`
    #[default]
    X86_64,
    /// `arm64` (Graviton).
    Arm64,
}

impl Architecture {
    /// The Rust target a crate is built for (static musl binaries run on any
    /// Amazon Linux).
    pub fn rust_target(self) -> &'static str {
        match self {
            Architecture::X86_64 => "x86_64-unknown-linux-musl",
            Architecture::Arm64 => "aarch64-unknown-linux-musl",
        }
    }

    pub(crate) fn to_cfn(self) -> cfn_types::lambda::function::Architectures {
        match self {
            Architecture::X86_64 => cfn_types::lambda::function::Architectures::X86_64,
            Architecture::Arm64 => cfn_types::lambda::function::Architectures::Arm64,
        }
    }
}

/// Logging settings (Amplify's `logging`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FunctionLogging {
    /// Days to keep the logs: one of CloudWatch's values (1, 3, 5, 7, 14, 30, 60,
    /// 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
    /// 3653). Set: the function logs to a log group of its own with this
    /// retention. Unset: Lambda's `/aws/lambda/<name>`, kept forever.
    pub retention_days: Option<u32>,
    /// Text or JSON log lines.
    pub format: Option<LogFormat>,
    /// The application log level (needs the JSON format, which it then implies).
    pub level: Option<LogLevel>,
}

/// The format of log lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    /// Plain text.
    Text,
    /// Structured JSON.
    Json,
}

/// The application log level.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogLevel {
    /// `TRACE`
    Trace,
    /// `DEBUG`
    Debug,
    /// `INFO`
    Info,
    /// `WARN`
    Warn,
    /// `ERROR`
    Error,
    /// `FATAL`
    Fatal,
}

/// The context key that makes every Rust function without an explicit
/// [`RustBuild::target`] build for the target it names: `ampx dev` sets it to
/// the host's, so that the local Lambda runs the binaries.
pub const RUST_TARGET_CONTEXT: &str = "amplify-function-rust-target";

/// How a Rust crate is built into a `bootstrap` binary.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RustBuild {
    /// The tool. Default: [`RustBuilder::Auto`].
    pub builder: RustBuilder,
    /// The binary to build, when the crate has several (`cargo build --bin`).
    pub bin: Option<String>,
    /// The Rust target. Default: the one the [`RUST_TARGET_CONTEXT`] context
    /// names, else the musl target of the architecture
    /// ([`Architecture::rust_target`]). A glibc target works only if the binary
    /// does not need a newer glibc than Amazon Linux 2023's (2.34).
    pub target: Option<String>,
    /// Cargo features to enable.
    pub features: Vec<String>,
}

/// The tool that cross-compiles a Rust crate.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RustBuilder {
    /// `cargo lambda` if installed, else `cargo zigbuild`, else `cargo build`.
    #[default]
    Auto,
    /// `cargo build --release --target <target>`: needs the target installed
    /// (`rustup target add`) and, across architectures, a linker for it.
    Cargo,
    /// `cargo zigbuild --release --target <target>`: links with Zig.
    Zigbuild,
    /// `cargo lambda build --release`.
    CargoLambda,
}
