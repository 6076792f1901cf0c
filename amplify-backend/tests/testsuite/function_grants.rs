//! How other categories use a function: grants land in the role's one policy
//! (across stacks), environment variables are added, the function is found by
//! name, and it is placed in the stack the backend chooses.

use crate::function_support;

use amplify_backend::backend::FunctionLink;
use amplify_backend::function::{define_function, FunctionProps};
use amplify_backend::iam::PolicyStatement;
use amplify_backend::{Backend, Category, Definition};
use constructs::{CfnResource, IConstruct};
use function_support::*;
use serde_json::json;

/// A stand-in for a category built after functions (as storage is): it makes a
/// bucket in its stack and gives `say-hello` access to it.
struct Uploads {
    links: bool,
}

impl Definition for Uploads {
    type Built = ();

    fn category(&self) -> Category {
        Category::Storage
    }

    fn needs(&self) -> &'static [Category] {
        &[Category::Function]
    }

    fn build(self, backend: &mut Backend) {
        let stack = backend.stack(Category::Storage);
        let bucket = CfnResource::new(&stack, "Bucket", "AWS::S3::Bucket");
        let f = backend.functions().get("say-hello").expect("functions are built first").clone();
        let objects = constructs::Value::concat([bucket.get_att("Arn"), "/*".into()]);
        f.add_to_role_policy(PolicyStatement::allow(["s3:GetObject", "s3:PutObject"], [objects.clone()]));
        // The same grant twice is written once.
        f.add_to_role_policy(PolicyStatement::allow(["s3:GetObject", "s3:PutObject"], [objects]));
        f.add_to_role_policy(PolicyStatement::allow(["s3:ListBucket"], [bucket.get_att("Arn")]));
        f.add_environment("BUCKET_NAME", bucket.ref_());
    }

    fn function_links(&self) -> Vec<FunctionLink> {
        if !self.links {
            return Vec::new();
        }
        // A trigger that also reads the bucket: it belongs with storage.
        vec![
            FunctionLink {
                function: "say-hello".into(),
                stack: "storage".into(),
                category_uses_function: true,
                function_uses_category: false,
            },
            FunctionLink {
                function: "say-hello".into(),
                stack: "storage".into(),
                category_uses_function: false,
                function_uses_category: true,
            },
        ]
    }
}

#[test]
fn grants_from_another_category_land_in_the_role_policy() {
    let backend = backend((Uploads { links: false }, say_hello()));
    let out = synth(&backend);
    let t = nested(&out, &backend, "function");
    let (policy_id, policy) = one(t, "AWS::IAM::Policy");
    assert!(policy_id.starts_with("sayhellolambdaServiceRoleDefaultPolicy"));
    assert_eq!(policy["Properties"]["Roles"], json!([{"Ref": "sayhellolambdaServiceRole4BCAA6E2"}]));
    let statements = policy["Properties"]["PolicyDocument"]["Statement"].as_array().unwrap();
    assert_eq!(statements.len(), 2);
    assert_eq!(statements[0]["Action"], json!(["s3:GetObject", "s3:PutObject"]));
    // The bucket is in the storage stack: referenced through a stack parameter.
    let joined = &statements[0]["Resource"]["Fn::Join"][1];
    assert!(
        joined[0]["Ref"].as_str().unwrap().starts_with("referencetoamplifychatappdevsandboxde98f094bcstorage"),
        "{joined}"
    );
    assert_eq!(joined[1], "/*");
    assert_eq!(statements[1]["Action"], "s3:ListBucket");
    let lambda = &t["Resources"]["sayhellolambdaEFA46D92"];
    assert!(lambda["DependsOn"].as_array().unwrap().contains(&json!(policy_id)));
    let vars = &lambda["Properties"]["Environment"]["Variables"];
    assert!(vars["BUCKET_NAME"]["Ref"]
        .as_str()
        .unwrap()
        .starts_with("referencetoamplifychatappdevsandboxde98f094bcstorage"));
    assert_eq!(vars["AMPLIFY_SSM_ENV_CONFIG"], "{}");
    // The handle shows the policy it made.
    let r = backend.functions().get("say-hello").unwrap().resources();
    assert!(r.policy.is_some());
}

#[test]
fn a_function_that_serves_and_uses_a_category_goes_in_its_stack() {
    let backend = backend((say_hello(), Uploads { links: true }));
    let f = backend.functions().get("say-hello").unwrap();
    assert_eq!(f.stack().node().path(), format!("{ROOT}/storage"));
    let out = synth(&backend);
    let t = nested(&out, &backend, "storage");
    assert_eq!(of_type(t, "AWS::Lambda::Function").len(), 1);
    // In one stack, the grant is a plain GetAtt, and there is no function stack.
    let (_, policy) = one(t, "AWS::IAM::Policy");
    assert!(policy["Properties"]["PolicyDocument"]["Statement"][1]["Resource"]["Fn::GetAtt"].is_array());
    assert!(out.stack(&format!("{ROOT}/function")).is_none());
}

#[test]
fn resource_group_name_chooses_the_stack() {
    let f = define_function(FunctionProps {
        name: "resolver".into(),
        entry: fixture("say-hello/handler.ts"),
        resource_group_name: Some("data".into()),
        ..Default::default()
    });
    let backend = backend((f,));
    let out = synth(&backend);
    assert_eq!(of_type(nested(&out, &backend, "data"), "AWS::Lambda::Function").len(), 1);
    assert!(out.stack(&format!("{ROOT}/function")).is_none());
}

#[test]
fn reserved_environment_names_from_other_categories_are_reported() {
    let backend = backend((say_hello(),));
    let f = backend.functions().get("say-hello").unwrap();
    f.add_environment("AWS_REGION", "us-east-1");
    let err = backend.app().synth_in_memory().unwrap_err();
    assert!(
        err.problems.iter().any(|p| p.path == format!("{ROOT}/function/say-hello-lambda")
            && p.message.contains("AWS_REGION is set by Lambda")),
        "{err}"
    );
}
