//! `define_function`: Lambda functions, as Amplify's `defineFunction`.
//!
//! A function is an `AWS::Lambda::Function` with its own execution role
//! (`AWSLambdaBasicExecutionRole`), code published as a content-hashed asset,
//! optional schedules (EventBridge rules) and log group, in the nested stack the
//! backend chooses (`function`, or the stack of a category it both serves and
//! uses, or `resource_group_name`). The root stack lists the deployed names in
//! the `definedFunctions` output (`AWS::Amplify::Function`). Categories built
//! later find a function in [`Backend::functions`](crate::Backend::functions) and extend it with
//! [`Function::add_to_role_policy`] and [`Function::add_environment`].
//!
//! # Code
//!
//! `entry` is a file, a directory or a Rust crate. Write it with
//! [`entry!`](crate::entry!) to resolve it against the source file that declares
//! the function, as Amplify resolves `entry: './handler.ts'` against
//! `resource.ts`: `entry: entry!("handler.ts")`.
//!
//! - **TypeScript and JavaScript** (`.ts`, `.mts`, `.cts`, `.mjs`, `.js`, `.cjs`)
//!   are bundled as Amplify bundles them, with esbuild: one ES module,
//!   `index.mjs` (`index.cjs` for `.cjs`/`.cts`), with the npm packages it
//!   imports from the project's `node_modules` (the AWS SDK too), for the
//!   runtime's Node.js version (`nodejs22.x` is esbuild's `node22`), minified
//!   ([`FunctionBundling::minify`]) and with its source map (`index.mjs.map`).
//!   CommonJS packages in the bundle can `require` Node.js built-ins. The
//!   handler is `index.handler`; synthesis fails when the module does not export
//!   it, or with esbuild's errors (`handler.ts:2:20: Unexpected ";"`).
//!
//!   esbuild comes from npm: the project's own (`node_modules/esbuild` in the
//!   entry's directory or above, as `npm install --save-dev esbuild` leaves it),
//!   else one in a `NODE_PATH` directory, else esbuild 0.28.2, which
//!   amplify-backend installs with npm into its cache on first use
//!   (`AMPLIFY_BACKEND_CACHE_DIR`, else `~/.cache/amplify-backend`). Node.js 18
//!   or later must be on `PATH`. Bundles are cached there too, and reused while
//!   every file esbuild read and the project's `package.json`, `tsconfig.json`
//!   and lock file keep their content.
//!
//!   As in Amplify, `import { env } from '$amplify/env/<name>'` gives the handler
//!   its environment, typed: synthesis writes
//!   `.amplify/generated/env/<name>.ts` (map `$amplify/*` to
//!   `.amplify/generated/*` in `tsconfig.json`) with the Lambda runtime's
//!   variables and every variable of the function, and the bundle gets
//!   `process.env` for it, so the code asset does not change with the types.
//!   The project directory is the backend program's when the entry is in it,
//!   else the nearest `package.json`'s above the entry.
//! - **Python** (`.py`) files are deployed alone, as they are, with the handler
//!   `<file stem>.handler`. Code with imports of its own modules or packages goes
//!   in a directory.
//! - **Directories** are deployed as they are (`node_modules`, Python packages and
//!   all). The handler is `FunctionProps::handler`, or found: `bootstrap`,
//!   `index.mjs`/`index.js`/`index.cjs`, `handler.mjs`/`.js`/`.cjs`, `handler.py`,
//!   `lambda_function.py`, `index.py`.
//! - **Rust**: a crate (a directory with `Cargo.toml`) is built into a `bootstrap`
//!   for `provided.al2023` when the backend is built, with `cargo lambda` or
//!   `cargo zigbuild` if installed, else `cargo build --release --target
//!   x86_64-unknown-linux-musl` (`aarch64-unknown-linux-musl` for
//!   [`Architecture::Arm64`]). A missing target or linker fails synthesis with the
//!   function's name and what to install. Nothing is built for other entries.
//!
//! # Secrets
//!
//! [`secret("API_KEY")`](secret()) as an environment value never reaches a
//! template. The variable holds `<value will be resolved during runtime>`, and
//! `AMPLIFY_SSM_ENV_CONFIG` maps it to its SSM parameters, as Amplify writes it:
//! `{"API_KEY": {"path": "/amplify/<namespace>/<name>-<type>-<hash>/API_KEY",
//! "sharedPath": "/amplify/shared/<namespace>/API_KEY"}}`. The role may call
//! `ssm:GetParameters` on exactly those parameters.
//!
//! - **Node.js and Python code** needs nothing: a small generated module
//!   (`amplify_ssm_env`) becomes the Lambda handler; it loads the parameters
//!   (branch path first, then the shared one) into the environment with the AWS
//!   SDK the runtime ships, then imports the handler, which reads
//!   `process.env.API_KEY` / `os.environ["API_KEY"]` as in Amplify. A bundle or
//!   single Python file gets it next to the code; a directory is deployed as a
//!   copy with it (the directory itself is never written to).
//! - **Rust** crates and other `bootstrap` executables are the process Lambda
//!   starts, so they load their secrets themselves: the `amplify-function-runtime`
//!   crate reads `AMPLIFY_SSM_ENV_CONFIG` as the generated loader does.
//!
//!   ```ignore
//!   let secrets = amplify_function_runtime::Secrets::load().await?;
//!   let api_key = secrets.require("API_KEY")?; // says how to set it when missing
//!   ```
//!
//! # Triggers that use data
//!
//! A function that a category calls (an auth trigger: the user pool names its
//! ARN) and that uses data (`allow.resource(fn)`: a policy on the API and the
//! `AMPLIFY_DATA_GRAPHQL_ENDPOINT` variable) closes auth -> function -> data ->
//! auth in whatever nested stack it goes, which CloudFormation rejects ("circular
//! dependency between nested stacks"). When the backend finds no placement
//! without a cycle, such a function no longer refers to the data stack:
//!
//! - the data stack publishes the endpoint as an `AWS::SSM::Parameter` (`String`,
//!   one of Amplify's resource references, which data always publishes: see
//!   [`resource_references`])
//!   at `/amplify/resource_reference/<namespace>/<name>-<type>-<hash>/AMPLIFY_DATA_GRAPHQL_ENDPOINT`
//!   ([`BackendIdentifier::resource_reference_path`](crate::BackendIdentifier::resource_reference_path),
//!   Amplify's path; no secret can have it);
//! - the variable holds `<value will be resolved during runtime>` and
//!   `AMPLIFY_SSM_ENV_CONFIG` lists that path (as `{"path": ...}`, Amplify's entry), so the
//!   generated loader sets it before the handler is imported; the role may
//!   `ssm:GetParameters` on exactly that parameter (an ARN built with pseudo
//!   parameters, not a reference);
//! - `appsync:GraphQL` goes in a policy in the data stack attached to the role by
//!   name ([`Function::add_to_role_policy_in`], listed in
//!   [`FunctionResources::policies_elsewhere`]): data refers to the function, not
//!   the other way round.
//!
//! Only the functions the cycle needs are changed, so a backend that deploys
//! without this keeps its templates. Only Node.js and Python code (files and
//! directories) gets the loader: a Rust or custom-runtime handler in that situation
//! fails synthesis with each cycle and what to do. Between the function stack's
//! deployment and the data stack's, a new trigger finds no parameter yet (the
//! loader logs it): the data stack deploys after the function's, in the same
//! deployment.

mod build;
mod bundle;
mod code;
mod define;
mod dir_loader;
mod entry;
mod esbuild;
#[allow(clippy::module_inception)]
mod function;
mod packages;
mod props;
mod provided;
mod registry;
pub mod resource_references;
mod rust_build;
mod schedule;
mod scheduler;
mod secret;
mod shim;
mod staging;
pub(crate) mod trigger;
mod typed_env;
mod validate;

pub use define::{define_function, define_function_from, FunctionDefinition, FunctionRef};
pub use entry::entry_path;
pub use function::{Function, FunctionResources, ScheduleResources, ZonedScheduleResources};
pub use props::{
    Architecture, EnvValue, FunctionBundling, FunctionLogging, FunctionProps, FunctionSchedule, LogFormat, LogLevel,
    Runtime, RustBuild, RustBuilder, RUST_TARGET_CONTEXT,
};
pub use provided::{ProvidedFunction, ProvidedFunctionProps};
pub use registry::Functions;
pub use resource_references::DATA_GRAPHQL_ENDPOINT;
pub use secret::{secret, Secret, SECRET_PLACEHOLDER, SSM_ENV_CONFIG};
pub(crate) use validate::RETENTION_DAYS;
