//! What `Backend::build` hands back: the built part of each definition, in the
//! shape given, built in the order the definitions' needs call for.

use amplify_backend::auth::{define_auth, AuthProps, LoginWith, Triggers};
use amplify_backend::data::{a, define_data, DataProps};
use amplify_backend::function::{define_function, FunctionProps};
use amplify_backend::storage::{define_storage, StorageProps};
use amplify_backend::{Backend, Category, Definition};

use crate::function_support::{backend, fixture, nested, one, synth};

fn handler(name: &str) -> amplify_backend::function::FunctionDefinition {
    define_function(FunctionProps { name: name.into(), entry: fixture("say-hello/handler.ts"), ..Default::default() })
}

#[test]
fn the_parts_come_back_in_the_shape_given_and_typed() {
    let auth = define_auth(AuthProps { login_with: LoginWith::email(), ..Default::default() });
    let media = define_storage(StorageProps { name: "media".into(), ..Default::default() });
    let backend = backend((auth, vec![handler("a"), handler("b")], media));
    let (auth, functions, media) = backend.parts();
    assert_eq!(functions.iter().map(|f| f.name()).collect::<Vec<_>>(), ["a", "b"]);
    assert_eq!(media.name(), "media");
    // The handles are the constructs of the tree: an override shows in the template.
    auth.resources().user_pool.add_property_override("UserPoolTier", "PLUS");
    let assembly = synth(&backend);
    let (_, pool) = one(nested(&assembly, &backend, "auth"), "AWS::Cognito::UserPool");
    assert_eq!(pool["Properties"]["UserPoolTier"], "PLUS");
    // The backend's registries hold the same parts.
    assert_eq!(backend.functions().len(), 2);
    assert_eq!(backend.storage().default_bucket().map(|b| b.name()), Some("media"));
}

#[test]
fn what_a_definition_needs_is_built_first_whatever_the_order_given() {
    // Auth comes first, yet its trigger finds the function: functions are built before it.
    let notify = handler("notify");
    let auth = define_auth(AuthProps {
        login_with: LoginWith::email(),
        triggers: Triggers { post_confirmation: Some(notify.clone()), ..Default::default() },
        ..Default::default()
    });
    let backend = backend((auth, notify));
    let assembly = synth(&backend);
    let (_, pool) = one(nested(&assembly, &backend, "auth"), "AWS::Cognito::UserPool");
    assert!(pool["Properties"]["LambdaConfig"]["PostConfirmation"].is_object(), "{pool}");
}

#[test]
fn a_schema_that_does_not_validate_comes_back_as_its_errors() {
    let schema = a::schema([("Post", a::model([("author", a::ref_("Missing"))]))]);
    let backend = backend((define_data(DataProps { schema, ..Default::default() }),));
    let (data,) = backend.parts();
    let errors = data.as_ref().expect_err("the schema refers to a missing type");
    assert!(!errors.0.is_empty());
    let synthesis = backend.app().synth_in_memory().expect_err("synthesis reports the schema too");
    for e in &errors.0 {
        let message = format!("data schema: {}: {}", e.path, e.message.trim_end_matches('.'));
        assert!(synthesis.problems.iter().any(|p| p.message == message && p.code == e.code), "{synthesis}");
    }
}

/// A stand-in category that needs another one.
struct Needy(Category, &'static [Category]);

impl Definition for Needy {
    type Built = Category;

    fn category(&self) -> Category {
        self.0
    }

    fn needs(&self) -> &'static [Category] {
        self.1
    }

    fn build(self, _: &mut Backend) -> Category {
        self.0
    }
}

#[test]
fn definitions_that_need_each_other_are_reported_with_the_cycle() {
    let backend = backend((
        Needy(Category::Auth, &[Category::Storage]),
        Needy(Category::Storage, &[Category::Auth]),
        Needy(Category::Function, &[]),
    ));
    // Every definition is still built, so every other problem is reported too.
    assert_eq!(backend.parts(), &(Category::Auth, Category::Storage, Category::Function));
    let error = backend.app().synth_in_memory().expect_err("a cycle");
    assert!(error.mentions("definitions need each other in a cycle (auth -> storage -> auth)"), "{error}");
}
