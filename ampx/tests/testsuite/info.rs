//! `ampx info`: the system, tools and the project's crate and npm versions for
//! a bug report, and no credential's value.

use crate::common::{ampx_command, run};

#[test]
fn info_reports_the_projects_versions_and_never_a_credential() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("app");
    std::fs::create_dir_all(project.join("amplify/functions")).unwrap();
    std::fs::write(
        dir.path().join("Cargo.lock"),
        "version = 4\n\n[[package]]\nname = \"amplify-backend\"\nversion = \"0.7.3\"\n\n[[package]]\nname = \"constructs\"\nversion = \"0.7.1\"\n",
    )
    .unwrap();
    let esbuild = dir.path().join("node_modules/esbuild");
    std::fs::create_dir_all(&esbuild).unwrap();
    std::fs::write(esbuild.join("package.json"), r#"{"name":"esbuild","version":"0.28.2"}"#).unwrap();

    let mut cmd = ampx_command(&project.join("amplify/functions"));
    cmd.env("AWS_REGION", "eu-central-1").env("AWS_SECRET_ACCESS_KEY", "do-not-print-me").env("SHELL", "/bin/zsh");
    let out = run(cmd, &["info"], None);
    assert!(out.success(), "{}", out.stderr);
    let text = &out.stdout;
    for section in
        ["System:", "Binaries:", "Crates (Cargo.lock):", "npm packages (node_modules):", "AWS environment variables:"]
    {
        assert!(text.contains(section), "{section} in:\n{text}");
    }
    // Found from a directory below the project, as Cargo and Node.js find them.
    assert!(text.contains("  amplify-backend: 0.7.3\n") && text.contains("  constructs: 0.7.1\n"), "{text}");
    assert!(text.contains("  amplify-function-runtime: Not Found\n"), "{text}");
    assert!(text.contains("  esbuild: 0.28.2\n") && text.contains("  typescript: Not Found\n"), "{text}");
    assert!(text.contains(&format!("  ampx: {}\n", env!("CARGO_PKG_VERSION"))), "{text}");
    assert!(text.contains("  Shell: /bin/zsh\n"), "{text}");
    assert!(text.contains("  AWS_REGION = eu-central-1\n"), "{text}");
    assert!(text.contains("  AWS_SECRET_ACCESS_KEY: set\n") && !text.contains("do-not-print-me"), "{text}");
}
