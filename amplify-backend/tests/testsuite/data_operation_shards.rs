//! Lambda-backed custom operations are sharded like models: each operation's
//! resolver in the `Operations` shard of its name, each function's data source,
//! role and invoking AppSync function in the `LambdaSources` shard of the data
//! source's name. So hundreds of them synthesize within CloudFormation's limits
//! and pass cfn-lint, and the data stack holds none of them.

use std::path::PathBuf;

use amplify_backend::auth::{define_auth, AuthDefinition, AuthProps, LoginWith};
use amplify_backend::data::*;
use amplify_backend::function::{define_function, FunctionDefinition, FunctionProps};
use amplify_backend::Backend;
use constructs::assertions::{Match, Template};
use constructs::{CloudAssembly, StackArtifact};
use serde_json::Value as Json;

use crate::function_support::{app, ROOT};
use crate::lint_support::cfn_lint_findings;

fn owned(fields: Vec<(&str, Field)>) -> Model {
    a::model(fields).authorization(|allow| [allow.owner()])
}

/// `ops` queries answered by `functions` functions in turn (operation `i` by
/// function `i % functions`); functions go in `groups` resource groups (none: the
/// function stack).
fn lambda_backed(
    ops: usize,
    functions: usize,
    groups: usize,
) -> (AuthDefinition, DataDefinition, Vec<FunctionDefinition>) {
    let mut schema = a::schema([("Note", owned(vec![("text", a::string())]))]);
    for i in 0..ops {
        schema = schema.add(
            format!("op{i}"),
            a::query()
                .arguments([("id", a::id())])
                .returns(a::string())
                .handler(a::handler::function(format!("fn{}", i % functions).as_str()))
                .authorization(|allow| [allow.authenticated()]),
        );
    }
    let functions = (0..functions)
        .map(|i| {
            define_function(FunctionProps {
                name: format!("fn{i}"),
                entry: crate::function_support::fixture("say-hello/handler.ts"),
                resource_group_name: (groups > 0).then(|| format!("handlers{}", i % groups)),
                ..Default::default()
            })
        })
        .collect();
    let auth = define_auth(AuthProps { login_with: LoginWith::email(), ..Default::default() });
    let data = define_data(DataProps { schema, ..Default::default() });
    (auth, data, functions)
}

fn count(t: &Json, section: &str) -> usize {
    t.get(section).and_then(Json::as_object).map_or(0, |m| m.len())
}

fn stack<'a>(out: &'a CloudAssembly, path: &str) -> &'a StackArtifact {
    out.stacks.iter().find(|s| s.construct_path == path).unwrap_or_else(|| panic!("no stack {path}"))
}

fn shards<'a>(out: &'a CloudAssembly, family: &str) -> Vec<&'a StackArtifact> {
    let prefix = format!("{ROOT}/data/amplifyData/{family}");
    out.stacks.iter().filter(|s| s.construct_path.strip_prefix(&prefix).is_some_and(|x| x.len() == 1)).collect()
}

/// Every template of `out` within CloudFormation's limits.
fn assert_within_limits(out: &CloudAssembly) {
    for s in &out.stacks {
        let t = &s.template;
        let path = &s.construct_path;
        assert!(count(t, "Resources") <= 500, "{path}: {} resources", count(t, "Resources"));
        assert!(count(t, "Outputs") <= 200, "{path}: {} outputs", count(t, "Outputs"));
        assert!(count(t, "Parameters") <= 200, "{path}: {} parameters", count(t, "Parameters"));
        assert!(serde_json::to_string(t).unwrap().len() < 1_000_000, "{path}: over 1 MB");
    }
}

/// A function's Lambda data source, role and invoking function live in a
/// `LambdaSources` shard; the operations it answers reach the invoking function
/// through a parameter, and the data stack keeps only the function's ARN.
#[test]
fn a_lambda_handler_gets_its_data_source_role_and_function_in_a_lambda_sources_shard() {
    let backend = Backend::build(app(), lambda_backed(2, 1, 0));
    let out = backend.app().synth_in_memory().unwrap_or_else(|e| panic!("{e}"));

    let data = Template::from_json(stack(&out, &format!("{ROOT}/data")).template.clone());
    data.resource_count_is("AWS::AppSync::DataSource", 1); // the API's NONE source only
    data.resource_count_is("AWS::AppSync::FunctionConfiguration", 1); // the auth function only
    data.resource_count_is("AWS::IAM::Role", 0);
    // The function's ARN comes in from the function stack, and goes on to the shard.
    data.has_parameter("*", Match::object_like([("Type", "String")]));
    let arn_param = data.to_json()["Parameters"]
        .as_object()
        .unwrap()
        .keys()
        .find(|k| k.contains("functionfn0lambda") && k.ends_with("Arn"))
        .cloned()
        .expect("a parameter for fn0's ARN");

    let sources = shards(&out, "LambdaSources");
    assert_eq!(sources.len(), 1, "one function, one shard");
    let shard = Template::from_json(sources[0].template.clone());
    shard.resource_count_is("AWS::AppSync::DataSource", 1);
    shard.has_resource_properties(
        "AWS::AppSync::DataSource",
        Match::object_like([
            ("Name", Match::exact("Fn0LambdaDataSource")),
            ("Type", Match::exact("AWS_LAMBDA")),
            (
                "LambdaConfig",
                Match::object_like([(
                    "LambdaFunctionArn",
                    Match::object_like([("Ref", Match::string_like_regexp("functionfn0lambda.*Arn$"))]),
                )]),
            ),
        ]),
    );
    // Its role may invoke that function (and its versions) and nothing else.
    shard.has_resource_properties(
        "AWS::IAM::Role",
        Match::object_like([(
            "Policies",
            Match::array_with([Match::object_like([(
                "PolicyDocument",
                Match::object_like([(
                    "Statement",
                    Match::array_with([Match::object_like([
                        ("Action", Json::from("lambda:InvokeFunction")),
                        ("Effect", Json::from("Allow")),
                    ])]),
                )]),
            )])]),
        )]),
    );
    shard.has_resource_properties(
        "AWS::AppSync::FunctionConfiguration",
        Match::object_like([("Name", "InvokeFn0Function")]),
    );
    // Operations shards read the invoking function's id from the shard's output.
    shard.has_output(
        "*",
        Match::object_like([(
            "Value",
            Match::object_like([("Fn::GetAtt", Match::array_with([Json::from("FunctionId")]))]),
        )]),
    );
    let ops = shards(&out, "Operations");
    assert!(!ops.is_empty());
    let mut resolvers = 0;
    for o in &ops {
        let t = Template::from_json(o.template.clone());
        t.resource_count_is("AWS::AppSync::DataSource", 0);
        t.resource_count_is("AWS::AppSync::FunctionConfiguration", 0);
        let found = t.find_resources(
            "AWS::AppSync::Resolver",
            Match::object_like([(
                "Properties",
                Match::object_like([(
                    "PipelineConfig",
                    Match::object_like([(
                        "Functions",
                        Match::array_with([Match::object_like([(
                            "Ref",
                            Match::string_like_regexp("LambdaSources.*InvokeFn0.*FunctionId$"),
                        )])]),
                    )]),
                )]),
            )]),
        );
        resolvers += found.len();
    }
    assert_eq!(resolvers, 2, "both operations run fn0's invoking function");
    assert!(!arn_param.is_empty());
}

/// Three hundred Lambda-backed operations answered by 170 functions (in two
/// resource groups, since one function stack holds about 100): before, the data
/// stack held 510 resources for them; now every template is within
/// CloudFormation's limits and cfn-lint finds nothing, errors or warnings.
#[test]
fn three_hundred_lambda_backed_operations_synthesize_within_limits_and_pass_cfn_lint() {
    let dir = crate::function_support::scratch("three-hundred-lambda-operations");
    let backend = Backend::build(app(), lambda_backed(300, 170, 2));
    backend.app().set_outdir(&dir);
    let out = backend.synth().unwrap_or_else(|e| panic!("{e}"));
    assert_within_limits(&out);
    let data = stack(&out, &format!("{ROOT}/data"));
    assert!(count(&data.template, "Resources") < 100, "{}", count(&data.template, "Resources"));
    let sources = shards(&out, "LambdaSources");
    assert_eq!(sources.len(), 16, "170 data sources spread over every shard");
    let ds: usize = sources
        .iter()
        .map(|s| {
            Template::from_json(s.template.clone()).find_resources("AWS::AppSync::DataSource", Match::any_value()).len()
        })
        .sum();
    assert_eq!(ds, 170, "one data source per function");
    let resolvers: usize = shards(&out, "Operations")
        .iter()
        .map(|s| {
            Template::from_json(s.template.clone()).find_resources("AWS::AppSync::Resolver", Match::any_value()).len()
        })
        .sum();
    assert_eq!(resolvers, 300);
    let files: Vec<PathBuf> = out.stacks.iter().map(|s| dir.join(&s.template_file)).collect();
    let findings = cfn_lint_findings(&files);
    assert!(findings.is_empty(), "{}", findings.join("\n"));
}

/// Past 200 functions of other stacks the data stack runs out of parameters
/// (one ARN each): the fix is in the schema's terms, not construct-layer advice.
#[test]
fn more_handler_functions_than_data_stack_parameters_names_the_fix() {
    let backend = Backend::build(app(), lambda_backed(300, 300, 3));
    let err = backend.app().synth_in_memory().unwrap_err();
    assert_eq!(err.problems.len(), 1, "{err}");
    let d = &err.problems[0];
    assert_eq!(d.code, constructs::codes::TEMPLATE_QUOTA, "{err}");
    assert_eq!(d.path, format!("{ROOT}/data"), "{err}");
    assert!(d.message.contains("parameters"), "{err}");
    assert!(d.fix.contains("a::handler::function") && d.fix.contains("fieldName"), "{err}");
    assert!(!d.fix.contains("NestedStack"), "{err}");
}
