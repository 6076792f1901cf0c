//! `$amplify/env/<name>`: synthesis writes the typed environment module of a
//! bundled function with every variable it ends up with; `tsc` checks a handler
//! against it (a wrong name fails); esbuild bundles the import as `process.env`,
//! so the bundle runs and does not change with the declared types.

use crate::function_support::*;

use std::path::Path;
use std::process::{Command, Output};

use amplify_backend::function::{define_function, FunctionProps};

const HANDLER: &str = r#"import { env } from '$amplify/env/say-hello';

export const handler = async () => `${env.GREETING} from ${env.AWS_REGION}, table ${env.TABLE_NAME}`;
"#;

/// A TypeScript project as an Amplify user has it: `tsconfig.json` maps
/// `$amplify/*` to `.amplify/generated/*`; `process` is declared as
/// `@types/node` declares it (the pinned tools have no `@types/node`).
fn project(name: &str) -> std::path::PathBuf {
    let dir = ts_project(name);
    let function = dir.join("amplify/functions/say-hello");
    std::fs::create_dir_all(&function).unwrap();
    std::fs::write(function.join("handler.ts"), HANDLER).unwrap();
    std::fs::write(
        dir.join("tsconfig.json"),
        r#"{
  "compilerOptions": {
    "strict": true, "noEmit": true, "target": "es2022", "module": "es2022", "moduleResolution": "bundler", "types": [],
    "paths": { "$amplify/*": ["./.amplify/generated/*"] }
  },
  "include": ["amplify/functions/say-hello/*.ts", "node-process.d.ts"]
}"#,
    )
    .unwrap();
    std::fs::write(
        dir.join("node-process.d.ts"),
        "declare const process: { env: { [key: string]: string | undefined } };\n",
    )
    .unwrap();
    dir
}

fn say_hello(project: &Path) -> amplify_backend::function::FunctionDefinition {
    define_function(
        FunctionProps {
            name: "say-hello".into(),
            entry: project.join("amplify/functions/say-hello/handler.ts"),
            ..Default::default()
        }
        .env("GREETING", "Hello"),
    )
}

fn tsc(project: &Path) -> Output {
    let tsc = tools_node_modules().join("typescript/bin/tsc");
    Command::new("node").arg(tsc).arg("-p").arg(project).output().expect("node runs (install Node.js)")
}

#[test]
fn the_typed_module_lists_every_variable_and_tsc_checks_the_handler_against_it() {
    let project = project("env-module-tsc");
    let backend = backend((say_hello(&project),));
    let (f,) = backend.parts();
    // Added after definition, as a category adds its variables.
    f.add_environment("TABLE_NAME", "todos");
    let (_, code) = synth_code_dir(&backend, &scratch("env-module-tsc-out"), "say-hello");

    let module = std::fs::read_to_string(project.join(".amplify/generated/env/say-hello.ts")).unwrap();
    assert!(module.contains("export const env = process.env as LambdaProvidedEnvVars & AmplifyBackendEnvVars;"));
    let own = &module[module.find("type AmplifyBackendEnvVars").unwrap()..];
    assert_eq!(own, "type AmplifyBackendEnvVars = {\n  GREETING: string;\n  TABLE_NAME: string;\n};\n");
    assert!(module.contains("  AWS_REGION: string;"), "the runtime's variables");

    let out = tsc(&project);
    assert!(
        out.status.success(),
        "tsc: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );

    // The bundle imports nothing: `env` is the process environment.
    let script = "const { handler } = await import(process.argv[1]); process.stdout.write(await handler());";
    let run = Command::new("node")
        .env_remove("NODE_PATH")
        .envs([("GREETING", "Hi"), ("AWS_REGION", "eu-west-1"), ("TABLE_NAME", "todos-abc")])
        .args(["--input-type=module", "--eval", script, &format!("file://{}", code.join("index.mjs").display())])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&run.stdout), "Hi from eu-west-1, table todos-abc", "{run:?}");

    // A name the function does not have fails the type check.
    std::fs::write(
        project.join("amplify/functions/say-hello/typo.ts"),
        "import { env } from '$amplify/env/say-hello';\nexport const greeting: string = env.GREETNG;\n",
    )
    .unwrap();
    let out = tsc(&project);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "tsc accepted env.GREETNG");
    assert!(text.contains("typo.ts(2,37)") && text.contains("Property 'GREETNG' does not exist"), "{text}");
}

#[test]
fn the_bundle_does_not_change_with_the_declared_types() {
    let project = project("env-module-stable");
    let first = backend((say_hello(&project),));
    let (_, code) = synth_code_dir(&first, &scratch("env-module-stable-1"), "say-hello");
    let before = dir_hash(&code);

    let second = backend((say_hello(&project),));
    second.parts().0.add_environment("BUCKET_NAME", "photos");
    let (_, code) = synth_code_dir(&second, &scratch("env-module-stable-2"), "say-hello");
    let module = std::fs::read_to_string(project.join(".amplify/generated/env/say-hello.ts")).unwrap();
    assert!(module.contains("  BUCKET_NAME: string;"), "{module}");
    assert_eq!(dir_hash(&code), before, "a new variable's type must not change the code asset");
}

#[test]
fn another_functions_module_is_refused_with_the_right_import() {
    let project = project("env-module-other");
    std::fs::write(
        project.join("amplify/functions/say-hello/handler.ts"),
        "import { env } from '$amplify/env/other-function';\nexport const handler = async () => env.X;\n",
    )
    .unwrap();
    let backend = backend((say_hello(&project),));
    let err = backend.app().synth_in_memory().unwrap_err().to_string();
    assert!(
        err.contains("function 'say-hello'")
            && err.contains("'$amplify/env/other-function' is not this function's environment module")
            && err.contains("import '$amplify/env/say-hello'"),
        "{err}"
    );
}
