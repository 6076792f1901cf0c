//! AWS's AppSync linter (`@aws-appsync/eslint-plugin`, its `recommended` rules, with
//! TypeScript's type information over `@aws-appsync/utils`) finds nothing in any
//! APPSYNC_JS resolver or function code of any example, inline or staged as an
//! asset. A deliberately bad file in the same run proves the rules are active.

use crate::support;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// Every APPSYNC_JS code of an assembly: (a file name naming its element, the code).
fn appsync_code(dir: &Path, templates: &[PathBuf]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for file in templates {
        let template: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        let Some(resources) = template["Resources"].as_object() else { continue };
        for (id, r) in resources {
            let kind = r["Type"].as_str().unwrap_or_default();
            if !matches!(kind, "AWS::AppSync::Resolver" | "AWS::AppSync::FunctionConfiguration") {
                continue;
            }
            let p = &r["Properties"];
            if p["Runtime"]["Name"] != "APPSYNC_JS" {
                continue;
            }
            let stem = file.file_name().unwrap().to_string_lossy().replace(".template.json", "");
            let name = format!("{stem}__{id}.js");
            let code = match p["Code"].as_str() {
                Some(code) => code.to_string(),
                None => staged_asset(dir, &p["CodeS3Location"])
                    .unwrap_or_else(|| panic!("{name}: no inline Code and no staged CodeS3Location asset")),
            };
            out.push((name, code));
        }
    }
    out
}

/// The file an `s3://…/<hash>.js` location names, found in the assembly by its hash.
fn staged_asset(dir: &Path, location: &Value) -> Option<String> {
    let text = location.to_string();
    let hash = text.split(|c: char| !c.is_ascii_hexdigit()).find(|w| w.len() == 64)?;
    let entry = std::fs::read_dir(dir).ok()?.flatten().find(|e| e.file_name().to_string_lossy().contains(hash))?;
    std::fs::read_to_string(entry.path()).ok()
}

#[test]
fn the_appsync_linter_finds_nothing_in_any_generated_resolver() {
    let modules = support::tool("TOOLS_NODE_MODULES", ".tools/node/node_modules");
    let work = tempfile::tempdir().unwrap();
    let code_dir = work.path().join("code");
    std::fs::create_dir(&code_dir).unwrap();

    let mut files = Vec::new();
    for example in support::examples() {
        let dir = tempfile::tempdir().unwrap();
        let assembly = support::synth_into(&example, dir.path());
        let templates: Vec<_> = assembly.stacks.iter().map(|s| dir.path().join(&s.template_file)).collect();
        for (name, code) in appsync_code(dir.path(), &templates) {
            std::fs::write(code_dir.join(&name), code).unwrap();
            files.push(name);
        }
    }
    assert!(files.len() >= 20, "expected the chat example's resolvers and functions, found {files:?}");

    // A file that breaks three rules: the run must report exactly these.
    let bad = "import { util } from '@aws-appsync/utils';\n\
               export function request(ctx) {\n  try { util.error('x'); } catch (e) { return {}; }\n  \
               for (let i = 0; i < 3; i++) {}\n  return {};\n}\n\
               export function response(ctx) { return ctx.prev.result; }\n";
    std::fs::write(code_dir.join("zz_bad.js"), bad).unwrap();

    // eslint and TypeScript resolve packages from the project's node_modules.
    std::os::unix::fs::symlink(&modules, work.path().join("node_modules")).unwrap();
    std::fs::write(
        work.path().join("tsconfig.json"),
        r#"{ "compilerOptions": { "allowJs": true, "checkJs": false, "noEmit": true, "target": "es2022",
             "module": "esnext", "moduleResolution": "bundler", "skipLibCheck": true },
             "include": ["code/*.js"] }"#,
    )
    .unwrap();
    std::fs::write(
        work.path().join("eslint.config.mjs"),
        "import appsync from '@aws-appsync/eslint-plugin';\n\
         export default [{ files: ['code/*.js'], ...appsync.configs.recommended,\n  \
         languageOptions: { ...appsync.configs.recommended.languageOptions,\n    \
         parserOptions: { project: './tsconfig.json', tsconfigRootDir: import.meta.dirname } } }];\n",
    )
    .unwrap();

    let out = Command::new("node")
        .arg(modules.join("eslint/bin/eslint.js"))
        .args(["--format", "json", "--no-warn-ignored", "code"])
        .current_dir(work.path())
        .output()
        .expect("node runs eslint");
    let report: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("eslint printed no JSON ({e}):\n{}", String::from_utf8_lossy(&out.stderr)));
    let mut bad_rules = Vec::new();
    let mut findings = Vec::new();
    for file in report.as_array().expect("one entry per file") {
        let name = Path::new(file["filePath"].as_str().unwrap()).file_name().unwrap().to_string_lossy().to_string();
        for m in file["messages"].as_array().unwrap() {
            let rule = m["ruleId"].as_str().unwrap_or("(parse error)").to_string();
            if name == "zz_bad.js" {
                bad_rules.push(rule);
            } else {
                findings.push(format!("{name}:{}:{} {rule}: {}", m["line"], m["column"], m["message"]));
            }
        }
    }
    let checked = report.as_array().unwrap().len();
    assert_eq!(checked, files.len() + 1, "eslint checked every file");
    bad_rules.sort();
    assert_eq!(
        bad_rules,
        ["@aws-appsync/no-disallowed-unary-operators", "@aws-appsync/no-for", "@aws-appsync/no-try"],
        "the rules are active"
    );
    assert!(findings.is_empty(), "the AppSync linter rejects generated code:\n{}", findings.join("\n"));
}
