//! Shared by the code generation tests: test backends, and a TypeScript project
//! checked by the pinned `tsc` against the pinned `aws-amplify`.
//!
//! Tests that need Node fail (they do not skip) when the tools are missing: the
//! message says to run `scripts/install-tools`.
#![allow(dead_code)]

pub mod backends;

use std::path::{Path, PathBuf};
use std::process::Command;

/// The workspace root.
pub fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root").to_path_buf()
}

/// The pinned Node modules (typescript, aws-amplify), or a failure saying how to
/// install them.
pub fn node_modules() -> PathBuf {
    let dir = std::env::var_os("TOOLS_NODE_MODULES")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join(".tools/node/node_modules"));
    let node_ok = Command::new("node").arg("--version").output().is_ok_and(|o| o.status.success());
    assert!(node_ok, "`node` is not on PATH: install Node 20+, then run scripts/install-tools");
    for package in ["typescript", "aws-amplify", "@aws-amplify/data-schema"] {
        assert!(
            dir.join(package).join("package.json").exists(),
            "{package} is missing from {}: run scripts/install-tools (and `source .tools/env`)",
            dir.display()
        );
    }
    dir
}

/// One `tsc` diagnostic.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    /// The file, relative to the project.
    pub file: String,
    /// The line (1-based).
    pub line: u32,
    /// `TS2353`, ...
    pub code: String,
    /// The message with its elaboration lines.
    pub message: String,
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}({}): {} {}", self.file, self.line, self.code, self.message)
    }
}

/// A TypeScript project in a temporary directory, using the pinned node modules.
pub struct Project {
    tmp: tempfile::TempDir,
}

impl Project {
    /// An empty project: strict, no emit, bundler resolution, `@aws-amplify/backend`
    /// mapped to a shim that re-exports Amplify's schema builder (for the
    /// reference's TypeScript backend).
    pub fn new() -> Project {
        let modules = node_modules();
        let tmp = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(&modules, tmp.path().join("node_modules")).unwrap();
        let project = Project { tmp };
        project.write(
            "tsconfig.json",
            r#"{
  "compilerOptions": {
    "strict": true,
    "noEmit": true,
    "skipLibCheck": true,
    "target": "ES2022",
    "lib": ["ES2022", "DOM"],
    "module": "ESNext",
    "moduleResolution": "Bundler",
    "types": [],
    "paths": { "@aws-amplify/backend": ["./shim/amplify-backend.ts"] }
  },
  "include": ["**/*.ts"],
  "exclude": ["node_modules"]
}
"#,
        );
        project.write(
            "shim/amplify-backend.ts",
            "// What the reference backend imports from @aws-amplify/backend: the schema builder.\n\
             export { a, type ClientSchema } from '@aws-amplify/data-schema';\n\
             export const defineData = <T>(props: T): T => props;\n",
        );
        project
    }

    /// The project directory.
    pub fn dir(&self) -> &Path {
        self.tmp.path()
    }

    /// Writes `text` to `path` in the project.
    pub fn write(&self, path: &str, text: &str) {
        let path = self.dir().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// Copies the files of a directory of the repository (`ampx/tests/testsuite/frontend/chat`)
    /// into `to` in the project.
    pub fn copy_dir(&self, from: &Path, to: &str) {
        for entry in std::fs::read_dir(from).unwrap_or_else(|e| panic!("{}: {e}", from.display())) {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            self.write(&format!("{to}/{}", path.file_name().unwrap().to_string_lossy()), &text);
        }
    }

    /// Runs `tsc -p` over the project; returns its diagnostics (none: it type-checks).
    pub fn tsc(&self) -> Vec<Diagnostic> {
        let tsc = node_modules().join("typescript/bin/tsc");
        let out = Command::new("node")
            .arg(&tsc)
            .args(["-p", ".", "--pretty", "false"])
            .current_dir(self.dir())
            .output()
            .expect("node runs tsc");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let diagnostics = parse_diagnostics(&stdout);
        assert_eq!(
            out.status.success(),
            diagnostics.is_empty(),
            "tsc exited with {} but printed {} diagnostics:\n{stdout}\n{}",
            out.status,
            diagnostics.len(),
            String::from_utf8_lossy(&out.stderr)
        );
        diagnostics
    }
}

/// `file(line,col): error TSxxxx: message`, with indented continuation lines.
fn parse_diagnostics(output: &str) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = Vec::new();
    for line in output.lines() {
        let head = line.split_once("): error TS").and_then(|(place, rest)| {
            let (file, position) = place.rsplit_once('(')?;
            let (line, _column) = position.split_once(',')?;
            let (code, message) = rest.split_once(": ")?;
            Some(Diagnostic {
                file: file.replace('\\', "/"),
                line: line.parse().ok()?,
                code: format!("TS{code}"),
                message: message.to_string(),
            })
        });
        match (head, out.last_mut()) {
            (Some(d), _) => out.push(d),
            (None, Some(last)) => {
                last.message.push('\n');
                last.message.push_str(line.trim());
            }
            (None, None) => {}
        }
    }
    out
}
