//! `ampx generate graphql-client-code`: the statements are valid GraphQL for the
//! API (judged by graphql-js), follow Amplify's shapes, and as TypeScript their
//! `API.ts` types make `client.graphql` typed (judged by `tsc` with aws-amplify).

use crate::codegen_support;

use std::path::Path;
use std::process::Command;

use ampx::codegen::statements::{Options, StatementTarget};
use codegen_support::{backends, node_modules, Project};

/// Synthesizes the blog backend and generates its client code for `target` into
/// `out`; returns the file names written and the API's schema.
fn generate(out: &Path, target: StatementTarget) -> (Vec<String>, String) {
    let assembly = tempfile::tempdir().unwrap();
    backends::synth(assembly.path(), backends::blog());
    let options = Options { target, ..Default::default() };
    let paths = ampx::codegen::generate_graphql_client_code(assembly.path(), out, &options).unwrap();
    let sdl = ampx::codegen::source::read(assembly.path()).unwrap().unwrap().sdl.text().to_string();
    let names = paths.iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
    (names, sdl)
}

#[test]
fn graphql_statements_are_valid_for_the_api() {
    let out = tempfile::tempdir().unwrap();
    let (files, sdl) = generate(out.path(), StatementTarget::Graphql);
    assert_eq!(files, ["queries.graphql", "mutations.graphql", "subscriptions.graphql"]);
    let schema = out.path().join("schema.graphql");
    std::fs::write(&schema, &sdl).unwrap();

    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/testsuite/codegen_support/validate_statements.js");
    let run = Command::new("node")
        .arg(script)
        .arg(&schema)
        .args(files.iter().map(|f| out.path().join(f)))
        .env("NODE_PATH", node_modules())
        .output()
        .expect("node runs");
    let report = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    assert!(report.is_empty(), "graphql-js rejects statements:\n{report}");

    // Every root field has its statement.
    let queries = std::fs::read_to_string(out.path().join("queries.graphql")).unwrap();
    for op in ["query GetPost($id: ID!) {", "query ListPosts(", "query PostsByAuthor(", "query PostCount("] {
        assert!(queries.contains(op), "no {op} in\n{queries}");
    }
    assert!(queries.starts_with("# this is an auto generated file. This will be overwritten\n"));
}

#[test]
fn statements_select_two_levels_with_typename_as_amplify_does() {
    let out = tempfile::tempdir().unwrap();
    generate(out.path(), StatementTarget::Graphql);
    let queries = std::fs::read_to_string(out.path().join("queries.graphql")).unwrap();
    let get_author = queries.split("\n\n").find(|s| s.starts_with("query GetAuthor(")).unwrap();
    // Leaves and objects one level down (their leaves only), `__typename` in each.
    assert!(get_author.contains("    posts {\n      nextToken\n      __typename\n    }\n"), "{get_author}");
    assert!(get_author.contains("    profile {\n      authorId\n"), "{get_author}");
    assert!(!get_author.contains("items"), "{get_author}");
    assert!(get_author.ends_with("    owner\n    __typename\n  }\n}"), "{get_author}");
}

#[test]
fn typed_documents_type_check_with_aws_amplify() {
    let project = Project::new();
    let (files, _) = generate(&project.dir().join("client"), StatementTarget::Typescript);
    assert_eq!(files, ["queries.ts", "mutations.ts", "subscriptions.ts", "API.ts"]);
    let queries = std::fs::read_to_string(project.dir().join("client/queries.ts")).unwrap();
    assert!(queries.contains("import * as APITypes from \"./API\";\ntype GeneratedQuery<InputType, OutputType>"));
    assert!(
        queries.contains("` as GeneratedQuery<APITypes.GetPostQueryVariables, APITypes.GetPostQuery>;\n"),
        "{queries}"
    );
    project.copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/testsuite/frontend/client"), "client");

    let diagnostics = project.tsc();
    let text: Vec<String> = diagnostics.iter().map(|d| d.to_string()).collect();
    let (wrong, rest): (Vec<_>, Vec<_>) = diagnostics.iter().partition(|d| d.file == "client/wrong_variables.ts");
    assert!(rest.is_empty(), "{}", text.join("\n"));
    assert_eq!(wrong.len(), 1, "{}", text.join("\n"));
    assert!(wrong[0].message.contains("Type 'number' is not assignable to type 'string'"), "{}", wrong[0]);
}
