//! Function placement with real categories: a function that auth and data both
//! call deploys without a cycle between nested stacks; a trigger that reads data
//! gets data's endpoint through SSM so that it deploys too; and a function for
//! which every stack closes a cycle (a Rust trigger that reads data) is reported
//! with each cycle and what to do.

use crate::function_support;
use crate::lint_support;

use std::collections::{BTreeMap, BTreeSet};

use amplify_backend::auth::{auth_access, define_auth, AuthAction, AuthProps, LoginWith, Triggers};
use amplify_backend::data::{a, define_data, AuthorizationModes, DataProps};
use amplify_backend::function::{
    define_function, FunctionDefinition, FunctionProps, RustBuild, RustBuilder, SECRET_PLACEHOLDER,
};
use constructs::IConstruct;
use function_support::{backend, copy_dir, fixture, nested, of_type, one, scratch, ROOT};
use serde_json::{json, Value};

fn post_confirmation() -> FunctionDefinition {
    define_function(FunctionProps {
        name: "post-confirmation".into(),
        entry: "tests/fixtures/functions/say-hello/handler.ts".into(),
        ..Default::default()
    })
}

fn chat_models() -> amplify_backend::data::Schema {
    a::schema([("Chat", a::model([("name", a::string())]).authorization(|allow| [allow.owner()]))])
}

fn data(schema: amplify_backend::data::Schema) -> amplify_backend::data::DataDefinition {
    define_data(DataProps { schema, authorization_modes: AuthorizationModes::user_pool(), ..Default::default() })
}

fn auth_triggering(
    f: &FunctionDefinition,
    access: Vec<amplify_backend::auth::AuthAccess>,
) -> impl amplify_backend::Definition {
    define_auth(AuthProps {
        login_with: LoginWith::email(),
        triggers: Triggers { post_confirmation: Some(f.clone()), ..Default::default() },
        access,
        ..Default::default()
    })
}

/// The construct path of the stack a function was put in, below the root.
fn stack_of<P>(backend: &amplify_backend::Backend<P>, name: &str) -> String {
    let f = backend.functions().get(name).expect("the function is built");
    f.stack().node().path().trim_start_matches(&format!("{ROOT}/")).to_string()
}

#[test]
fn a_trigger_that_is_also_a_resolver_deploys_without_a_cycle() {
    let f = post_confirmation();
    let schema = chat_models().add(
        "welcome",
        a::query()
            .returns(a::string())
            .handler(a::handler::function("post-confirmation"))
            .authorization(|allow| [allow.authenticated()]),
    );
    let backend = backend((f.clone(), auth_triggering(&f, vec![]), data(schema)));
    assert_eq!(stack_of(&backend, "post-confirmation"), "function");
    let assembly = backend.app().synth_in_memory().unwrap_or_else(|e| panic!("{e}"));

    // Both categories point at the one function, through the function stack.
    let auth = &assembly.stack(&format!("{ROOT}/auth")).unwrap().template;
    let pool = auth["Resources"].as_object().unwrap().values().find(|r| r["Type"] == "AWS::Cognito::UserPool").unwrap();
    let trigger = &pool["Properties"]["LambdaConfig"]["PostConfirmation"]["Ref"];
    assert!(trigger.as_str().unwrap().contains("functionNestedStack"), "{trigger}");
    let data = serde_json::to_string(&assembly.stack(&format!("{ROOT}/data")).unwrap().template).unwrap();
    assert!(data.contains("postconfirmationlambda"), "the data source names the function");
}

#[test]
fn a_trigger_that_manages_users_moves_in_with_auth() {
    let f = post_confirmation();
    let access = auth_access(|allow| vec![allow.resource(&f).to([AuthAction::AddUserToGroup])]);
    let backend = backend((f.clone(), auth_triggering(&f, access)));
    assert_eq!(stack_of(&backend, "post-confirmation"), "auth");
    let assembly = backend.app().synth_in_memory().unwrap_or_else(|e| panic!("{e}"));
    // One stack, plain references; the grant is a policy the function does not
    // wait for, since the pool waits for the function.
    let auth = &assembly.stack(&format!("{ROOT}/auth")).unwrap().template["Resources"];
    // (The function's own policy only reads the pool's id from SSM.)
    let (id, policy) = auth
        .as_object()
        .unwrap()
        .iter()
        .find(|(_, r)| r["Type"] == "AWS::IAM::Policy" && r.to_string().contains("cognito-idp"))
        .unwrap();
    let statement = &policy["Properties"]["PolicyDocument"]["Statement"][0];
    assert_eq!(statement["Action"], "cognito-idp:AdminAddUserToGroup");
    assert_eq!(statement["Resource"]["Fn::GetAtt"][1], "Arn");
    let lambda = auth.as_object().unwrap().values().find(|r| r["Type"] == "AWS::Lambda::Function").unwrap();
    assert!(!lambda.get("DependsOn").is_some_and(|d| d.to_string().contains(id.as_str())), "{lambda}");
}

/// Where data publishes its endpoint for the reference's sandbox.
const ENDPOINT_PATH: &str = "/amplify/resource_reference/chatapp/dev-sandbox-de98f094bc/AMPLIFY_DATA_GRAPHQL_ENDPOINT";

fn reading_data(function: &str) -> amplify_backend::data::DataDefinition {
    use amplify_backend::data::ResourceOperation;
    data(chat_models().authorization(|allow| [allow.resource(function).to([ResourceOperation::Query])]))
}

/// The nested stacks of the root template and the stacks each one refers to
/// (through the outputs it reads or an explicit `DependsOn`).
fn stack_graph(root: &Value) -> BTreeMap<String, BTreeSet<String>> {
    let resources = root["Resources"].as_object().unwrap();
    let stacks: Vec<&String> =
        resources.iter().filter(|(_, r)| r["Type"] == "AWS::CloudFormation::Stack").map(|(id, _)| id).collect();
    let mut graph = BTreeMap::new();
    for id in &stacks {
        let r = &resources[id.as_str()];
        let text = format!("{}{}", r["Properties"]["Parameters"], r["DependsOn"]);
        let refers: BTreeSet<String> = stacks
            .iter()
            .filter(|other| *other != id && text.contains(other.as_str()))
            .map(|s| s.to_string())
            .collect();
        graph.insert(id.to_string(), refers);
    }
    graph
}

/// Whether the graph has a cycle (a depth-first walk from every node).
fn has_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> bool {
    fn reaches(graph: &BTreeMap<String, BTreeSet<String>>, from: &str, to: &str, seen: &mut BTreeSet<String>) -> bool {
        graph[from].iter().any(|n| n == to || (seen.insert(n.clone()) && reaches(graph, n, to, seen)))
    }
    graph.keys().any(|k| reaches(graph, k, k, &mut BTreeSet::new()))
}

/// The root template's logical ID of a category's nested stack.
fn stack_id(root: &Value, category: &str) -> String {
    root["Resources"]
        .as_object()
        .unwrap()
        .iter()
        .find(|(id, r)| {
            r["Type"] == "AWS::CloudFormation::Stack" && id.starts_with(category) && id.len() == category.len() + 8
        })
        .map(|(id, _)| id.clone())
        .unwrap_or_else(|| panic!("no {category} stack"))
}

#[test]
fn a_trigger_that_reads_data_gets_the_endpoint_through_ssm_and_deploys() {
    let f = post_confirmation();
    let backend = backend((f.clone(), auth_triggering(&f, vec![]), reading_data("post-confirmation")));
    assert_eq!(stack_of(&backend, "post-confirmation"), "function");
    let out_dir = scratch("placement-through-ssm");
    backend.app().set_outdir(&out_dir);
    let assembly = backend.synth().unwrap_or_else(|e| panic!("{e}"));

    // auth -> function <- data -> auth: no cycle, and function refers to nothing.
    let root = assembly.template(ROOT).unwrap();
    let graph = stack_graph(root);
    assert!(!has_cycle(&graph), "{graph:?}");
    let (auth_id, data_id, function_id) = (stack_id(root, "auth"), stack_id(root, "data"), stack_id(root, "function"));
    assert!(graph[&function_id].is_empty(), "{graph:?}");
    assert!(graph[&auth_id].contains(&function_id) && graph[&data_id].contains(&function_id), "{graph:?}");

    // The function: the endpoint is a placeholder its loader fills from SSM, and
    // it may read exactly that parameter. No statement names data's API.
    let functions = nested(&assembly, &backend, "function");
    assert!(functions.get("Parameters").is_none(), "nothing is passed in: {}", functions["Parameters"]);
    assert!(!functions.to_string().contains("GraphQLAPI"), "no statement or variable names the API");
    let (_, lambda) = one(functions, "AWS::Lambda::Function");
    assert_eq!(lambda["Properties"]["Handler"], "amplify_ssm_env.handler");
    let vars = &lambda["Properties"]["Environment"]["Variables"];
    assert_eq!(vars["AMPLIFY_DATA_GRAPHQL_ENDPOINT"], SECRET_PLACEHOLDER);
    let config: Value = serde_json::from_str(vars["AMPLIFY_SSM_ENV_CONFIG"].as_str().unwrap()).unwrap();
    // Every reference of data is listed (Amplify's `{path}` entries); only the
    // endpoint is read from SSM alone, the others are also given directly.
    let path = |v: &str| ENDPOINT_PATH.replace("AMPLIFY_DATA_GRAPHQL_ENDPOINT", v);
    let names = [
        "AMPLIFY_DATA_GRAPHQL_ENDPOINT",
        "AMPLIFY_DATA_MODEL_INTROSPECTION_SCHEMA_BUCKET_NAME",
        "AMPLIFY_DATA_MODEL_INTROSPECTION_SCHEMA_KEY",
        "AMPLIFY_DATA_DEFAULT_NAME",
    ];
    let expected: serde_json::Map<String, Value> =
        names.iter().map(|v| (v.to_string(), json!({"path": path(v)}))).collect();
    assert_eq!(config, Value::Object(expected));
    assert_eq!(vars["AMPLIFY_DATA_DEFAULT_NAME"], "amplifyData", "the rest of data's environment is still there");
    let (role_id, _) = one(functions, "AWS::IAM::Role");
    let (_, own) = one(functions, "AWS::IAM::Policy");
    let statements = own["Properties"]["PolicyDocument"]["Statement"].as_array().unwrap();
    let ssm: std::collections::BTreeSet<String> = statements
        .iter()
        .filter(|s| s["Action"] == "ssm:GetParameters")
        .map(|s| s["Resource"]["Fn::Sub"].as_str().unwrap().to_string())
        .collect();
    let arn = |p: String| format!("arn:${{AWS::Partition}}:ssm:${{AWS::Region}}:${{AWS::AccountId}}:parameter{p}");
    assert_eq!(ssm, names.iter().map(|v| arn(path(v))).collect());
    let others: Vec<&Value> = statements.iter().filter(|s| s["Action"] != "ssm:GetParameters").collect();
    assert_eq!(others.len(), 1, "{statements:?}");
    assert_eq!(others[0]["Action"], "s3:GetObject");

    // The data stack: the parameter holds the endpoint, and a policy there lets
    // the function's role (passed in by the root) call the query.
    let data = nested(&assembly, &backend, "data");
    let (api_id, _) = one(data, "AWS::AppSync::GraphQLApi");
    let (parameter_id, parameter) = of_type(data, "AWS::SSM::Parameter")
        .into_iter()
        .find(|(_, p)| p["Properties"]["Name"] == ENDPOINT_PATH)
        .expect("the endpoint's parameter");
    assert!(
        parameter_id.starts_with("AMPLIFYDATAGRAPHQLENDPOINTParameter"),
        "Amplify's construct path: {parameter_id}"
    );
    assert_eq!(parameter["Properties"]["Name"], ENDPOINT_PATH);
    assert_eq!(parameter["Properties"]["Type"], "String");
    assert_eq!(parameter["Properties"]["Value"], json!({"Fn::GetAtt": [api_id, "GraphQLUrl"]}));
    let (_, policy) = of_type(data, "AWS::IAM::Policy")
        .into_iter()
        .find(|(id, _)| id.starts_with("postconfirmationlambdapolicy"))
        .expect("the function's data policy is in the data stack");
    assert_eq!(
        policy["Properties"]["PolicyDocument"]["Statement"],
        json!([{"Effect": "Allow", "Action": "appsync:GraphQL", "Resource":
            {"Fn::Join": ["", [{"Fn::GetAtt": [api_id, "Arn"]}, "/types/Query/*"]]}
        }])
    );
    let role_parameter = policy["Properties"]["Roles"][0]["Ref"].as_str().unwrap();
    let passed = &root["Resources"][data_id.as_str()]["Properties"]["Parameters"][role_parameter];
    assert_eq!(passed["Fn::GetAtt"][0], function_id, "{passed}");
    let output = passed["Fn::GetAtt"][1].as_str().unwrap().trim_start_matches("Outputs.");
    assert_eq!(functions["Outputs"][output]["Value"], json!({"Ref": role_id}), "the role's name, by reference");

    let files: Vec<std::path::PathBuf> = assembly.stacks.iter().map(|s| out_dir.join(&s.template_file)).collect();
    let errors = lint_support::cfn_lint_errors(&files);
    assert!(errors.is_empty(), "cfn-lint:\n{}", errors.join("\n"));
}

#[test]
fn a_rust_trigger_that_reads_data_cannot_be_placed_and_the_error_says_what_to_do() {
    // A Rust handler gets no loader, so nothing breaks auth -> function -> data -> auth.
    let krate = scratch("placement-rust-trigger").join("rust-no-linker");
    copy_dir(&fixture("rust-no-linker"), &krate);
    let f = define_function(FunctionProps {
        name: "post-confirmation".into(),
        entry: krate,
        // A target rustc refuses at once: the test is about placement, not building.
        rust: RustBuild {
            builder: RustBuilder::Cargo,
            target: Some("x86_64-unknown-nowhere-musl".into()),
            ..Default::default()
        },
        ..Default::default()
    });
    let backend = backend((f.clone(), auth_triggering(&f, vec![]), reading_data("post-confirmation")));
    let error = backend.app().synth_in_memory().expect_err("auth -> function -> data -> auth cannot deploy");
    let placement = error
        .problems
        .iter()
        .find(|p| p.code == amplify_backend::codes::BACKEND_PLACEMENT)
        .unwrap_or_else(|| panic!("no placement error in:\n{error}"));
    assert_eq!(placement.path, ROOT);
    for part in [
        "in 'function': auth -> function -> data -> auth",
        "in 'auth': auth -> data -> auth",
        "in 'data': auth -> data -> auth",
        "split it into one function per role",
        "TypeScript, JavaScript or Python code",
        "A Rust or custom-runtime handler gets no loader",
    ] {
        assert!(placement.sentence().contains(part), "{part} not in: {}", placement.sentence());
    }
    // Synthesis finds the same cycle in the templates, with the references behind it.
    assert!(error.mentions("CloudFormation would reject it as a circular dependency"), "{error}");
}

#[test]
fn placement_leaves_functions_nobody_calls_in_the_function_stack() {
    let f = post_confirmation();
    let auth = define_auth(AuthProps { login_with: LoginWith::email(), ..Default::default() });
    let backend = backend((f.clone(), auth, data(chat_models())));
    assert_eq!(stack_of(&backend, "post-confirmation"), "function");
    let assembly = backend.app().synth_in_memory().unwrap_or_else(|e| panic!("{e}"));
    let root: &Value = assembly.template(ROOT).unwrap();
    assert!(root["Resources"].as_object().unwrap().keys().any(|k| k.starts_with("function")));
}
