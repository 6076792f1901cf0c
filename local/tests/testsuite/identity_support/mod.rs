//! A backend with every kind of IAM caller, synthesized in the test process:
//! email sign-in with an identity pool that admits guests; `Notice` (guests
//! read, identity-pool users do anything, owners over user pool tokens);
//! `Secret` (owners only); the function `reader`, given query access with
//! `allow.resource`; and the function `bystander`, given none.

use amplify_backend::auth::{define_auth, AuthProps, LoginWith};
use amplify_backend::data::{a, define_data, AuthorizationModes, DataProps, Operation, Provider, ResourceOperation};
use amplify_backend::function::{define_function, FunctionProps};
use amplify_backend::Backend;
use constructs::{App, AppProps};
use local::assembly::Assembly;
use serde_json::json;

/// The backend's assembly, in a fresh directory.
pub fn iam_assembly() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let context =
        json!({"amplify-backend-namespace": "iam", "amplify-backend-name": "test", "amplify-backend-type": "sandbox"});
    let app = App::with_props(AppProps {
        outdir: Some(dir.path().to_path_buf()),
        context: serde_json::from_value(context).unwrap(),
        ..AppProps::default()
    });
    let entry = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/testsuite/identity_support/handler.mjs");
    let function =
        |name: &str| define_function(FunctionProps { name: name.into(), entry: entry.into(), ..Default::default() });
    let schema = a::schema([
        (
            "Notice",
            a::model([("text", a::string())]).authorization(|allow| {
                [
                    allow.guest().to([Operation::Read]),
                    allow.authenticated().provider(Provider::IdentityPool),
                    allow.owner(),
                ]
            }),
        ),
        ("Secret", a::model([("text", a::string())]).authorization(|allow| [allow.owner()])),
    ])
    .authorization(|allow| [allow.resource("reader").to([ResourceOperation::Query])]);
    let data =
        define_data(DataProps { schema, authorization_modes: AuthorizationModes::user_pool(), ..Default::default() });
    let auth = define_auth(AuthProps {
        login_with: LoginWith { email: Some(Default::default()), ..Default::default() },
        ..Default::default()
    });
    let backend = Backend::build(app, (auth, data, function("reader"), function("bystander")));
    if let Err(e) = backend.synth() {
        panic!("the IAM test backend does not synthesize: {e}");
    }
    dir
}

/// The execution role of the function whose name contains `name`.
pub fn function_role(assembly: &Assembly, name: &str) -> String {
    assembly
        .of_type("AWS::Lambda::Function")
        .find(|f| f.logical_id.to_lowercase().contains(name))
        .and_then(|f| f.str_property("Role"))
        .unwrap_or_else(|| panic!("no function {name} with a role"))
        .to_string()
}
