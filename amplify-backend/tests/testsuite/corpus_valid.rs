//! The valid side of the bad-input corpus: programs at or past the limits the
//! corpus probes, which the L3s and the construct layer keep deployable. Each
//! synthesizes, and cfn-lint finds no error and no warning in any template.

use crate::lint_support;

use std::path::PathBuf;

use amplify_backend::auth::{define_auth, AuthProps, LoginWith};
use amplify_backend::data::{a, define_data, AuthorizationModes, DataProps};
use amplify_backend::function::{define_function, FunctionProps};
use amplify_backend::storage::{access, define_storage, StorageAction::*, StorageProps};
use amplify_backend::{Backend, IntoDefinitions};
use constructs::{App, AppProps, CfnResource, CloudAssembly, Construct, Stack};
use serde_json::{json, Value};

fn context() -> indexmap::IndexMap<String, Value> {
    [
        ("amplify-backend-type".to_string(), json!("sandbox")),
        ("amplify-backend-namespace".to_string(), json!("chatapp")),
        ("amplify-backend-name".to_string(), json!("dev")),
    ]
    .into_iter()
    .collect()
}

fn outdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("amplify-corpus-valid-{}", std::process::id())).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// Synthesizes the backend into a directory of its own; returns the assembly
/// and its template files.
fn synth<D: IntoDefinitions>(name: &str, definitions: D) -> (CloudAssembly, Vec<PathBuf>) {
    let dir = outdir(name);
    let app = App::with_props(AppProps { context: context(), outdir: Some(dir.clone()), ..Default::default() });
    let backend = Backend::build(app, definitions);
    let assembly = backend.synth().unwrap_or_else(|e| panic!("{name}: {e}"));
    let files = assembly.stacks.iter().map(|s| dir.join(&s.template_file)).collect();
    (assembly, files)
}

#[track_caller]
fn assert_lint_clean(name: &str, files: &[PathBuf]) {
    let findings = lint_support::cfn_lint_findings(files);
    assert!(findings.is_empty(), "{name}: cfn-lint errors and warnings:\n{}", findings.join("\n"));
}

fn auth() -> amplify_backend::auth::AuthDefinition {
    define_auth(AuthProps { login_with: LoginWith::email(), groups: vec!["ADMINS".into()], ..Default::default() })
}

fn handler(props: FunctionProps) -> amplify_backend::function::FunctionDefinition {
    define_function(FunctionProps { entry: "tests/fixtures/functions/say-hello/handler.ts".into(), ..props })
}

/// The resources of one type, over every template.
fn all_of_type<'a>(assembly: &'a CloudAssembly, ty: &str) -> Vec<&'a Value> {
    assembly
        .stacks
        .iter()
        .flat_map(|s| s.template["Resources"].as_object().into_iter().flatten())
        .filter(|(_, r)| r["Type"] == ty)
        .map(|(_, r)| r)
        .collect()
}

/// A policy document's length as IAM counts it, with each intrinsic standing
/// for a bucket ARN of the longest name (63 characters).
fn deployed_len(doc: &Value) -> usize {
    fn walk(v: &Value) -> usize {
        match v {
            Value::Object(o)
                if o.len() == 1 && o.keys().next().is_some_and(|k| k.starts_with("Fn::") || k == "Ref") =>
            {
                match o.get("Fn::Join") {
                    Some(args) => {
                        args[1].as_array().unwrap().iter().map(|p| walk(p).saturating_sub(2)).sum::<usize>() + 2
                    }
                    None => "\"arn:aws:s3:::".len() + 63 + 1,
                }
            }
            Value::Object(o) => {
                2 + o.iter().map(|(k, x)| k.len() + 3 + walk(x)).sum::<usize>() + o.len().saturating_sub(1)
            }
            Value::Array(a) => 2 + a.iter().map(walk).sum::<usize>() + a.len().saturating_sub(1),
            Value::String(s) => s.len() + 2,
            other => other.to_string().len(),
        }
    }
    walk(doc)
}

/// About 42 paths made the authenticated role's inline policy larger than
/// IAM's 10,240 characters; 60 paths now deploy, the excess in managed policies.
#[test]
fn sixty_storage_paths_stay_within_iam_policy_quotas() {
    let rules = access(|allow| {
        (0..60)
            .map(|i| {
                (
                    format!("documents/section-{i:02}/*"),
                    vec![allow.authenticated.to([Read, Write, Delete]), allow.groups(["ADMINS"]).to([Read])],
                )
            })
            .collect::<Vec<_>>()
    });
    let storage = define_storage(StorageProps { name: "files".into(), access: rules, ..Default::default() });
    let (assembly, files) = synth("storage-60-paths", (auth(), storage));
    let inline: usize = all_of_type(&assembly, "AWS::IAM::Policy")
        .iter()
        .filter(|p| p["Properties"]["Roles"].to_string().contains("authenticated"))
        .map(|p| deployed_len(&p["Properties"]["PolicyDocument"]))
        .sum();
    assert!(inline <= 10_240 / 2, "the storage share of the authenticated role's inline quota: {inline}");
    let managed = all_of_type(&assembly, "AWS::IAM::ManagedPolicy");
    assert!(managed.len() >= 2, "the rest went to managed policies: {}", managed.len());
    for m in &managed {
        let len = deployed_len(&m["Properties"]["PolicyDocument"]);
        assert!(len <= 6_144, "a managed policy of {len} characters");
    }
    assert!(managed.len() <= 10, "IAM attaches at most 10 managed policies to a role by default");
    assert_lint_clean("storage-60-paths", &files);
}

#[test]
fn a_custom_handler_within_appsync_js_and_a_large_environment_deploy() {
    let code = "import { util } from '@aws-appsync/utils';\n\
                export function request(ctx) {\n  const out = [];\n  for (const k of Object.keys(ctx.args)) { out.push(k); }\n  return { payload: out };\n}\n\
                export function response(ctx) {\n  if (ctx.error) { util.error(ctx.error.message, ctx.error.type); }\n  return ctx.result?.length ?? 0;\n}\n";
    let schema = a::schema([("Note", a::model([("text", a::string())]).authorization(|allow| [allow.owner()]))]).add(
        "countArgs",
        a::query()
            .arguments([("a", a::string()), ("b", a::string())])
            .returns(a::integer())
            .handler(a::handler::custom_inline(code))
            .authorization(|allow| [allow.authenticated()]),
    );
    let data =
        define_data(DataProps { schema, authorization_modes: AuthorizationModes::user_pool(), ..Default::default() });
    // Just under Lambda's 4 KB: 30 variables of 10 + 120 bytes.
    let environment = (0..30).map(|i| (format!("SETTING_{i:02}"), "v".repeat(120).as_str().into())).collect();
    let f = handler(FunctionProps { name: "configured".into(), environment, ..Default::default() });
    let (_, files) = synth("data-and-env", (auth(), data, f));
    assert_lint_clean("data-and-env", &files);
}

/// 300 functions do not fit one template; spread by `resource_group_name`,
/// as the quota error says, they deploy.
#[test]
fn three_hundred_functions_spread_by_resource_group_name_deploy() {
    let functions: Vec<_> = (0..300)
        .map(|i| {
            let group = ["function", "functions2"][i % 2].to_string();
            handler(FunctionProps { name: format!("f{i}"), resource_group_name: Some(group), ..Default::default() })
        })
        .collect();
    let (assembly, files) = synth("functions-300", functions);
    assert!(assembly.stacks.iter().all(|s| s.resource_count() <= 500));
    assert_lint_clean("functions-300", &files);
}

/// Programs of the construct layer's and the L1s' corpus that pass: names and
/// intrinsics that only deployment resolves, and a tree at the depth limit.
#[test]
fn construct_layer_programs_at_the_limits_deploy() {
    let dir = outdir("constructs");
    let app = App::with_props(AppProps { outdir: Some(dir.clone()), ..Default::default() });
    let stack = Stack::new(&app, "S");
    let mut scope = Construct::new(&stack, "c");
    for _ in 0..constructs::MAX_TREE_DEPTH - 3 {
        scope = Construct::new(&scope, "c");
    }
    let deep = CfnResource::new(&scope, "Deep", "AWS::SQS::Queue");
    deep.set_property("DelaySeconds", 900);
    let topic = CfnResource::new(&stack, "Topic", "AWS::SNS::Topic");
    cfn_types::enable_schema_checks(&stack);
    topic.set_property("DisplayName", constructs::fns::sub("${AWS::StackName}-topic"));
    topic.set_property("Tags", constructs::cfn!([{"Key": "queue", "Value": (deep.get_att("QueueName"))}]));
    let assembly = app.synth().unwrap_or_else(|e| panic!("{e}"));
    let files: Vec<PathBuf> = assembly.stacks.iter().map(|s| dir.join(&s.template_file)).collect();
    assert_lint_clean("constructs", &files);
}
