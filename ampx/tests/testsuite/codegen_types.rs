//! `ampx generate types`: the generated `Schema` checked by the pinned `tsc` with
//! the pinned `aws-amplify`. One TypeScript project holds every case (so `tsc`
//! runs once): the chat and blog frontends, which must type-check; wrong uses,
//! each of which must fail with its diagnostic; an exact type equality with
//! Amplify's `ClientSchema` of the reference's TypeScript backend; and the chat
//! frontend against the chat schema without `Chat.name`, which must fail.

use crate::codegen_support;

use std::path::Path;
use std::sync::OnceLock;

use codegen_support::{backends, workspace, Diagnostic, Project};

/// The project and what `tsc` said about it, shared by the tests.
struct Checked {
    _project: Project,
    diagnostics: Vec<Diagnostic>,
    /// Generated `amplify_data_schema.ts` by directory.
    generated: Vec<(String, String)>,
}

impl Checked {
    fn in_dir(&self, dir: &str) -> Vec<&Diagnostic> {
        self.diagnostics.iter().filter(|d| d.file.starts_with(&format!("{dir}/"))).collect()
    }

    fn generated(&self, dir: &str) -> &str {
        &self.generated.iter().find(|(d, _)| d == dir).unwrap().1
    }
}

fn frontend(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/testsuite/frontend").join(name)
}

/// Synthesizes `schema` and generates its types into `dir` of the project.
fn generate(project: &Project, dir: &str, schema: amplify_backend::data::Schema) -> String {
    let assembly = tempfile::tempdir().unwrap();
    backends::synth(assembly.path(), schema);
    let out = project.dir().join(dir);
    let path = ampx::codegen::generate_types(assembly.path(), &out).unwrap_or_else(|e| panic!("{dir}: {e}"));
    assert_eq!(path, out.join("amplify_data_schema.ts"));
    std::fs::read_to_string(path).unwrap()
}

fn checked() -> &'static Checked {
    static CHECKED: OnceLock<Checked> = OnceLock::new();
    CHECKED.get_or_init(|| {
        let project = Project::new();
        let mut generated = Vec::new();
        for (dir, schema, app) in [
            ("chat", backends::chat(), "chat"),
            ("chat-without-name", backends::chat_with_name(false), "chat"),
            ("blog", backends::blog(), "blog"),
        ] {
            generated.push((dir.to_string(), generate(&project, dir, schema)));
            project.copy_dir(&frontend(app), dir);
        }
        project.copy_dir(&frontend("wrong"), "wrong");
        project.copy_dir(&frontend("equal"), "equal");
        project.copy_dir(&workspace().join("reference/amplify-gen2-chat/input/data"), "reference/data");
        let diagnostics = project.tsc();
        Checked { _project: project, diagnostics, generated }
    })
}

fn list(diagnostics: &[&Diagnostic]) -> String {
    diagnostics.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n")
}

#[test]
fn the_chat_frontend_type_checks() {
    let c = checked();
    let errors = c.in_dir("chat");
    assert!(errors.is_empty(), "{}\n\n{}", list(&errors), c.generated("chat"));
}

#[test]
fn the_blog_frontend_type_checks() {
    let c = checked();
    let errors = c.in_dir("blog");
    assert!(errors.is_empty(), "{}\n\n{}", list(&errors), c.generated("blog"));
}

#[test]
fn the_schema_equals_amplifys_client_schema_of_the_reference() {
    let c = checked();
    let errors: Vec<&Diagnostic> = c.in_dir("equal").into_iter().chain(c.in_dir("reference")).collect();
    assert!(errors.is_empty(), "{}\n\n{}", list(&errors), c.generated("chat"));
}

#[test]
fn wrong_uses_fail_with_their_diagnostic() {
    let c = checked();
    // (file, code, words of the message)
    let expected = [
        ("wrong/unknown_field.ts", "TS2353", "'title' does not exist in type"),
        ("wrong/missing_required_field.ts", "TS2345", "Property 'title' is missing"),
        (
            "wrong/wrong_enum_value.ts",
            "TS2322",
            "Type '\"DELETED\"' is not assignable to type '\"DRAFT\" | \"PUBLISHED\" | \"ARCHIVED\"",
        ),
        ("wrong/wrong_argument_type.ts", "TS2322", "Type 'number' is not assignable to type 'string'"),
        ("wrong/disabled_operation.ts", "TS2339", "Property 'delete' does not exist on type"),
        ("wrong/async_result.ts", "TS2339", "Property 'title' does not exist on type"),
    ];
    let wrong = c.in_dir("wrong");
    for (file, code, words) in expected {
        let found: Vec<&&Diagnostic> = wrong.iter().filter(|d| d.file == file).collect();
        assert_eq!(found.len(), 1, "{file}: expected one diagnostic, got:\n{}", list(&wrong));
        assert!(
            found[0].code == code && found[0].message.contains(words),
            "{file}: expected {code} with {words:?}, got {}",
            found[0]
        );
    }
    assert_eq!(wrong.len(), expected.len(), "{}", list(&wrong));
}

#[test]
fn removing_a_field_from_the_rust_schema_breaks_the_frontend() {
    let c = checked();
    let errors = c.in_dir("chat-without-name");
    assert!(!errors.is_empty(), "the chat frontend still type-checks without Chat.name");
    for e in &errors {
        let about_name = e.message.contains("'name'") || e.message.contains("'\"name\"'");
        assert!(about_name, "an error not about the removed field: {e}");
    }
    // The same frontend type-checks against the schema with the field.
    assert!(c.in_dir("chat").is_empty(), "{}", list(&c.in_dir("chat")));
}

#[test]
fn the_chat_schema_is_declared_as_the_reference_declares_it() {
    let text = checked().generated("chat");
    for line in [
        "import { a, type ClientSchema } from '@aws-amplify/data-schema';",
        "      name: a.string(),",
        "      messages: a.hasMany('Message', 'chatId'),",
        "      chatId: a.id(),",
        "      chat: a.belongsTo('Chat', 'chatId'),",
        "    .authorization((allow) => [allow.owner()]),",
        "export type Schema = ClientSchema<typeof schema>;",
    ] {
        assert!(text.lines().any(|l| l == line), "no line {line:?} in\n{text}");
    }
    // Implicit fields stay implicit.
    assert!(!text.contains("createdAt") && !text.contains("  id:"), "{text}");
}

fn ampx(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_ampx")).args(args).output().expect("ampx runs")
}

#[test]
fn the_commands_write_the_files_from_an_assembly() {
    let tmp = tempfile::tempdir().unwrap();
    let assembly = tmp.path().join("cdk.out");
    backends::synth(&assembly, backends::chat());
    let app = assembly.to_str().unwrap();

    let web = tmp.path().join("web/src");
    let out = ampx(&["generate", "types", "--app", app, "--out-dir", web.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let file = web.join("amplify_data_schema.ts");
    assert!(String::from_utf8_lossy(&out.stdout).contains(&file.display().to_string()));
    assert!(std::fs::read_to_string(&file).unwrap().contains("export type Schema = ClientSchema<typeof schema>;"));

    let graphql = tmp.path().join("graphql");
    let out = ampx(&[
        "generate",
        "graphql-client-code",
        "--app",
        app,
        "--out",
        graphql.to_str().unwrap(),
        "--statement-target",
        "graphql",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let queries = std::fs::read_to_string(graphql.join("queries.graphql")).unwrap();
    assert!(queries.contains("query GetChat($id: ID!) {\n  getChat(id: $id) {\n"), "{queries}");
}

#[test]
fn a_backend_without_data_gets_a_clear_error() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("manifest.json"),
        r#"{"version":"55.0.0","artifacts":{"S":{"type":"aws:cloudformation:stack","properties":{"templateFile":"S.template.json"}}}}"#,
    )
    .unwrap();
    std::fs::write(tmp.path().join("S.template.json"), r#"{"Resources":{"Q":{"Type":"AWS::SQS::Queue"}}}"#).unwrap();
    let err = ampx::codegen::generate_types(tmp.path(), &tmp.path().join("out")).unwrap_err().to_string();
    assert!(err.contains("no data API") && err.contains("define_data"), "{err}");
    assert!(!tmp.path().join("out/amplify_data_schema.ts").exists());
    assert_eq!(ampx::codegen::write_types_if_data(tmp.path(), &tmp.path().join("out")).unwrap(), None);
}

#[test]
fn a_large_schema_is_read_from_the_staged_assets() {
    use amplify_backend::data::{a, Schema};
    // Enough models that the introspection and the SDL pass the 64 KB inline limit
    // and are staged as file assets.
    let mut schema = Schema::new();
    for i in 0..80 {
        let fields = (0..8).map(|f| (format!("field{f}"), a::string()));
        schema = schema.add(format!("Item{i}"), a::model(fields).authorization(|allow| [allow.owner()]));
    }
    let tmp = tempfile::tempdir().unwrap();
    backends::synth(tmp.path(), schema);
    let templates: String = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".template.json"))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    assert!(templates.contains("\"amplifyApiModelIntrospectionS3Uri\""), "the introspection is not staged");
    assert!(templates.contains("\"DefinitionS3Location\""), "the schema is not staged");
    assert!(!templates.contains("\"amplifyApiModelIntrospection\""), "the introspection is also inline");

    let text =
        std::fs::read_to_string(ampx::codegen::generate_types(tmp.path(), &tmp.path().join("web")).unwrap()).unwrap();
    for i in [0, 41, 79] {
        assert!(text.contains(&format!("  Item{i}: a\n    .model({{\n      field0: a.string(),\n")), "Item{i}");
    }
}
