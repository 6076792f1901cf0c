//! TypeScript functions as Amplify users write them: bundled with esbuild (npm
//! packages from the project's node_modules, modules of their own), deployed
//! as `index.mjs` and its source map, runnable by Node.js alone, lint-clean;
//! esbuild's errors name the function and the place; bundles follow the code.

use crate::function_support;
use crate::lint_support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use amplify_backend::entry;
use amplify_backend::function::{define_function, FunctionBundling, FunctionProps, Runtime};
use function_support::*;
use serde_json::{json, Value as Json};

fn greet(project: &Path) -> amplify_backend::function::FunctionDefinition {
    define_function(FunctionProps {
        name: "greet".into(),
        entry: project.join("amplify/functions/greet/handler.ts"),
        ..Default::default()
    })
}

/// Imports `module` (nothing else on NODE_PATH) and calls its `handler` with
/// `event`.
fn call_handler(module: &Path, event: Json, env: &[(&str, &str)]) -> Output {
    let script = "const { handler } = await import(process.argv[1]); \
                  process.stdout.write(JSON.stringify(await handler(JSON.parse(process.argv[2]))));";
    let url = format!("file://{}", module.display());
    Command::new("node")
        .current_dir(module.parent().unwrap())
        .env_remove("NODE_PATH")
        .envs(env.iter().copied())
        .args(["--input-type=module", "--eval", script, &url, &event.to_string()])
        .output()
        .expect("node runs (install Node.js)")
}

fn file_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().to_string()).collect();
    names.sort();
    names
}

#[test]
fn a_typescript_handler_is_bundled_with_its_packages_and_runs_under_node() {
    let project = ts_project("ts-bundle");
    let backend = backend((greet(&project),));
    let (assembly, code) = synth_code_dir(&backend, &scratch("ts-bundle-out"), "greet");

    let (_, lambda) = one(nested(&assembly, &backend, "function"), "AWS::Lambda::Function");
    assert_eq!(lambda["Properties"]["Handler"], "index.handler");
    assert_eq!(lambda["Properties"]["Runtime"], "nodejs22.x");
    assert_eq!(lambda["Metadata"]["aws:asset:is-bundled"], true);

    // The bundle and its source map, nothing of the project.
    assert_eq!(file_names(&code), ["index.mjs", "index.mjs.map"]);
    let bundle = std::fs::read_to_string(code.join("index.mjs")).unwrap();
    assert!(bundle.trim_end().ends_with("//# sourceMappingURL=index.mjs.map"), "{}", &bundle[bundle.len() - 80..]);
    assert!(!bundle.contains("from\"graphql\"") && !bundle.contains("from 'graphql'"), "graphql is bundled in");
    let map: Json = serde_json::from_str(&std::fs::read_to_string(code.join("index.mjs.map")).unwrap()).unwrap();
    let sources: Vec<&str> = map["sources"].as_array().unwrap().iter().map(|s| s.as_str().unwrap()).collect();
    // Named by their place in the project, wherever it is.
    for own in ["amplify/functions/greet/handler.ts", "amplify/functions/greet/greeting.ts"] {
        assert!(sources.contains(&own), "{own} not in {sources:?}");
    }
    assert!(sources.iter().any(|s| s.contains("graphql/language/parser")), "{sources:?}");
    assert!(sources.iter().any(|s| s.contains("debug/src/node.js")), "{sources:?}");
    let handler_at = sources.iter().position(|s| *s == "amplify/functions/greet/handler.ts").unwrap();
    assert_eq!(
        map["sourcesContent"][handler_at].as_str().unwrap(),
        std::fs::read_to_string(project.join("amplify/functions/greet/handler.ts")).unwrap()
    );

    // A copy of the asset, away from any node_modules, runs as Lambda would run it.
    let alone = scratch("ts-bundle-run");
    copy_dir(&code, &alone);
    let out = call_handler(
        &alone.join("index.mjs"),
        json!({"name": "Ada", "query": "query { chat(id: 1) { name } }"}),
        &[("DEBUG", "greet")],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let result: Json = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        result,
        json!({"message": "Hello, Ada!", "query": "{\n  chat(id: 1) {\n    name\n  }\n}", "logs": true})
    );
    // debug (CommonJS, loads `tty` and `util` with require) logged through Node.js.
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("greet greeting Ada"), "{stderr}");
}

#[test]
fn the_templates_of_a_bundled_function_are_lint_clean() {
    let cfn_lint = lint_support::cfn_lint();
    let project = ts_project("ts-lint");
    let backend = backend((greet(&project),));
    let out = scratch("ts-lint-out");
    let (assembly, _) = synth_code_dir(&backend, &out, "greet");
    let files: Vec<PathBuf> = assembly.stacks.iter().map(|s| out.join(&s.template_file)).collect();
    let report = Command::new(&cfn_lint).args(["--format", "json", "--"]).args(&files).output().expect("cfn-lint runs");
    let findings: Json = serde_json::from_slice(&report.stdout)
        .unwrap_or_else(|e| panic!("cfn-lint output is not JSON ({e}): {}", String::from_utf8_lossy(&report.stderr)));
    let problems: Vec<String> = findings
        .as_array()
        .expect("a list of findings")
        .iter()
        .filter(|f| f["Level"] == "Error" || f["Level"] == "Warning")
        .map(|f| format!("{} {} {}", f["Rule"]["Id"], f["Filename"], f["Message"]))
        .collect();
    assert!(problems.is_empty(), "cfn-lint:\n{}", problems.join("\n"));
}

#[test]
fn a_syntax_error_names_the_function_and_the_place() {
    let project = ts_project("ts-syntax");
    let handler = project.join("amplify/functions/greet/handler.ts");
    std::fs::write(&handler, "export const handler = async () => {\n  const x: number = ;\n  return x;\n};\n").unwrap();
    let backend = backend((greet(&project),));
    let err = backend.app().synth_in_memory().expect_err("esbuild rejects the code").to_string();
    assert!(err.contains("function 'greet': esbuild cannot bundle"), "{err}");
    assert!(err.contains("amplify/functions/greet/handler.ts:2:20: Unexpected \";\""), "{err}");
}

#[test]
fn an_unresolvable_import_is_named() {
    let project = ts_project("ts-unresolved");
    let handler = project.join("amplify/functions/greet/handler.ts");
    std::fs::write(&handler, "import { x } from 'not-installed-anywhere';\nexport const handler = async () => x;\n")
        .unwrap();
    let err = backend((greet(&project),)).app().synth_in_memory().expect_err("unresolved").to_string();
    assert!(
        err.contains("handler.ts:1:18: Could not resolve \"not-installed-anywhere\""),
        "the import and where it is: {err}"
    );
}

#[test]
fn a_handler_that_is_not_exported_is_reported() {
    let project = ts_project("ts-no-export");
    let handler = project.join("amplify/functions/greet/handler.ts");
    std::fs::write(&handler, "export const main = async () => 1;\n").unwrap();
    let err = backend((greet(&project),)).app().synth_in_memory().expect_err("no handler").to_string();
    assert!(err.contains("exports no 'handler' (it exports: main)"), "{err}");
    // Naming it is enough.
    let named = define_function(FunctionProps {
        name: "greet".into(),
        entry: handler,
        handler: Some("main".into()),
        ..Default::default()
    });
    let b = backend((named,));
    let assembly = synth(&b);
    let (_, lambda) = one(nested(&assembly, &b, "function"), "AWS::Lambda::Function");
    assert_eq!(lambda["Properties"]["Handler"], "index.main");
}

#[test]
fn a_change_to_an_imported_module_makes_a_new_bundle() {
    let project = ts_project("ts-cache");
    let first = synth_code_dir(&backend((greet(&project),)), &scratch("ts-cache-1"), "greet").1;
    let again = synth_code_dir(&backend((greet(&project),)), &scratch("ts-cache-2"), "greet").1;
    assert_eq!(first.file_name(), again.file_name(), "the same code, the same asset");
    std::fs::write(
        project.join("amplify/functions/greet/greeting.ts"),
        "export const greeting = (name: string): string => `Howdy, ${name}!`;\n",
    )
    .unwrap();
    let changed = synth_code_dir(&backend((greet(&project),)), &scratch("ts-cache-3"), "greet").1;
    assert_ne!(first.file_name(), changed.file_name(), "a changed import is a new asset");
    let out = call_handler(&changed.join("index.mjs"), json!({"name": "Ada", "query": "{ a }"}), &[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(serde_json::from_slice::<Json>(&out.stdout).unwrap()["message"], "Howdy, Ada!");
}

#[test]
fn bundling_follows_the_runtime_and_the_minify_setting() {
    let project = ts_project("ts-options");
    let readable = define_function(FunctionProps {
        name: "greet".into(),
        entry: project.join("amplify/functions/greet/greeting.ts"),
        handler: Some("greeting".into()),
        runtime: Some(Runtime::Node20),
        bundling: FunctionBundling { minify: false },
        ..Default::default()
    });
    let b = backend((readable,));
    let (assembly, code) = synth_code_dir(&b, &scratch("ts-options-out"), "greet");
    let (_, lambda) = one(nested(&assembly, &b, "function"), "AWS::Lambda::Function");
    assert_eq!(
        (&lambda["Properties"]["Runtime"], &lambda["Properties"]["Handler"]),
        (&json!("nodejs20.x"), &json!("index.greeting"))
    );
    let bundle = std::fs::read_to_string(code.join("index.mjs")).unwrap();
    assert!(bundle.contains("var greeting = (name) => `Hello, ${name}!`;"), "unminified, types stripped:\n{bundle}");
}

#[test]
fn entry_is_relative_to_the_file_that_declares_it() {
    // This file is tests/testsuite/function_typescript.rs.
    let path = entry!("../fixtures/functions/ts-project/package.json");
    assert!(path.is_absolute(), "{}", path.display());
    assert_eq!(path.canonicalize().unwrap(), fixture("ts-project/package.json").canonicalize().unwrap());
}
