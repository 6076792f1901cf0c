//! The construct layer's part of the bad-input corpus: each program is what a
//! user could write, and must fail synthesis with the right code, naming the
//! construct and the fix, without a panic and without leaving files behind
//! ([`expect_synth_failure`]).

use std::rc::Rc;

use constructs::assertions::expect_synth_failure;
use constructs::{
    codes, fns, App, AppProps, Aspects, Asset, CfnCondition, CfnMapping, CfnOutput, CfnOutputProps, CfnParameter,
    CfnParameterProps, CfnResource, Construct, IConstruct, NestedStack, Node, Stack, StackProps, Value,
};
use serde_json::json;

fn app() -> App {
    App::with_props(AppProps::default())
}

/// Builds a program in a fresh app and checks how its synthesis fails; returns
/// the first problem's path.
fn fails(code: &str, build: impl FnOnce(&App)) -> String {
    let app = app();
    build(&app);
    expect_synth_failure(code, |dir| {
        app.set_outdir(dir);
        app.synth()
    })
    .path
}

fn queue(scope: &impl IConstruct, id: &str) -> CfnResource {
    CfnResource::new(scope, id, "AWS::SQS::Queue")
}

macro_rules! bad {
    ($($name:ident: $code:expr, $path:expr, |$app:ident| $body:block)*) => {$(
        #[test]
        fn $name() {
            let path = fails($code, |$app: &App| $body);
            assert_eq!(path.as_str(), &*$path);
        }
    )*};
}

bad! {
    empty_id: codes::EMPTY_ID, "S", |app| { queue(&Stack::new(app, "S"), ""); }
    slash_in_id: codes::SLASH_IN_ID, "S", |app| { queue(&Stack::new(app, "S"), "a/b"); }
    duplicate_id: codes::DUPLICATE_ID, "S/Q", |app| {
        let s = Stack::new(app, "S");
        queue(&s, "Q");
        queue(&s, "Q");
    }
    element_outside_a_stack: codes::OUTSIDE_STACK, "Loose", |app| { queue(app, "Loose"); }
    element_in_a_plain_construct_of_the_app: codes::OUTSIDE_STACK, "Group/Q", |app| {
        queue(&Construct::new(app, "Group"), "Q");
    }
    nested_stack_outside_a_stack: codes::STACK_PLACEMENT, "N", |app| { NestedStack::new(app, "N"); }
    stack_inside_a_stack: codes::STACK_PLACEMENT, "S/Inner", |app| { Stack::new(&Stack::new(app, "S"), "Inner"); }
    stack_name_with_underscore: codes::INVALID_STACK_NAME, "S", |app| {
        Stack::with_props(app, "S", StackProps { stack_name: Some("my_stack".into()), ..Default::default() });
    }
    stack_name_starting_with_a_digit: codes::INVALID_STACK_NAME, "9lives", |app| { Stack::new(app, "9lives"); }
    stack_name_too_long: codes::INVALID_STACK_NAME, "S", |app| {
        Stack::with_props(app, "S", StackProps { stack_name: Some("a".repeat(129)), ..Default::default() });
    }
    missing_asset: codes::ASSET_UNREADABLE, "S/Code", |app| {
        Asset::new(&Stack::new(app, "S"), "Code", "/definitely/not/here.zip");
    }
    aspect_that_always_adds: codes::ASPECT_LOOP, "<root>", |app| {
        let s = Stack::new(app, "S");
        queue(&s, "Q");
        // Every construct it visits gets a new child, which it then visits.
        Aspects::of(&s).add(Rc::new(|node: &Node| {
            if !node.is_stack() {
                queue(node, "Child");
            }
        }));
    }
    plain_validation: codes::VALIDATION, "S/Q", |app| {
        queue(&Stack::new(app, "S"), "Q").node().add_validation(|| vec!["queue needs a name".into()]);
    }
    users_own_error_code: "MYORG042", "S/Q", |app| {
        queue(&Stack::new(app, "S"), "Q").node().add_error("MYORG042", "queues must be encrypted", "set KmsMasterKeyId");
    }
    nan_property: codes::INVALID_VALUE, "S/Q", |app| {
        queue(&Stack::new(app, "S"), "Q").set_property("DelaySeconds", f64::NAN);
    }
    infinite_property_in_a_list: codes::INVALID_VALUE, "S/Q", |app| {
        queue(&Stack::new(app, "S"), "Q").set_property("Numbers", Value::Array(vec![1.into(), f64::INFINITY.into()]));
    }
    reference_to_a_dropped_construct: codes::DANGLING_REFERENCE, "S/Q", |app| {
        let s = Stack::new(app, "S");
        queue(&s, "Q").set_property("Other", dangling_ref());
    }
    reference_into_another_app: codes::REFERENCE_OUTSIDE_STACK, "S/Q", |app| {
        let s = Stack::new(app, "S");
        let other = App::with_props(AppProps::default());
        let far = queue(&Stack::new(&other, "Far"), "Far");
        queue(&s, "Q").set_property("Other", far.ref_());
        std::mem::forget(other);
    }
    condition_of_another_stack: codes::INVALID_REFERENCE, "B/Q", |app| {
        let a = Stack::new(app, "A");
        let c = CfnCondition::new(&a, "C", fns::equals(fns::Aws::region(), "us-east-1"));
        queue(&Stack::new(app, "B"), "Q").set_property("P", fns::if_(&c, "a", "b"));
    }
    mapping_of_another_stack: codes::INVALID_REFERENCE, "B/Q", |app| {
        let m = CfnMapping::new(&Stack::new(app, "A"), "M");
        m.set_value("k", "v", "x");
        queue(&Stack::new(app, "B"), "Q").set_property("P", m.find_in_map("k", "v"));
    }
    raw_ref_to_a_missing_resource: codes::REF_MISSING, "S/Q", |app| {
        queue(&Stack::new(app, "S"), "Q").set_property("P", json!({"Ref": "Nope"}));
    }
    ref_name_to_a_missing_parameter: codes::REF_MISSING, "S/Q", |app| {
        queue(&Stack::new(app, "S"), "Q").set_property("P", fns::ref_name("Stage"));
    }
    raw_get_att_of_a_missing_resource: codes::GETATT_MISSING, "S/Q", |app| {
        queue(&Stack::new(app, "S"), "Q").set_property("P", json!({"Fn::GetAtt": ["Nope", "Arn"]}));
    }
    get_att_in_dotted_form: codes::GETATT_MISSING, "S/Q", |app| {
        queue(&Stack::new(app, "S"), "Q").add_property_override("P", json!({"Fn::GetAtt": "Nope.Arn"}));
    }
    sub_of_a_missing_name: codes::REF_MISSING, "S/Q", |app| {
        queue(&Stack::new(app, "S"), "Q").set_property("P", fns::sub("arn:${AWS::Partition}:${Missing}"));
    }
    sub_of_a_missing_attribute: codes::GETATT_MISSING, "S/Q", |app| {
        queue(&Stack::new(app, "S"), "Q").set_property("P", fns::sub("${Gone.Arn}"));
    }
    depends_on_a_missing_resource: codes::DEPENDS_ON_MISSING, "S/Q", |app| {
        queue(&Stack::new(app, "S"), "Q").add_override("DependsOn", json!(["Nope"]));
    }
    condition_override_to_a_missing_condition: codes::CONDITION_MISSING, "S/Q", |app| {
        queue(&Stack::new(app, "S"), "Q").add_override("Condition", "IsProd");
    }
    fn_if_of_a_missing_condition: codes::CONDITION_MISSING, "S/Q", |app| {
        queue(&Stack::new(app, "S"), "Q").set_property("P", json!({"Fn::If": ["IsProd", 1, 2]}));
    }
    parameter_type_typo: codes::PARAMETER_TYPE, "S/P", |app| {
        CfnParameter::new(&Stack::new(app, "S"), "P", CfnParameterProps { parameter_type: Some("Stringg".into()), ..Default::default() });
    }
    parameter_list_of_strings: codes::PARAMETER_TYPE, "S/P", |app| {
        CfnParameter::new(&Stack::new(app, "S"), "P", CfnParameterProps { parameter_type: Some("List<String>".into()), ..Default::default() });
    }
    resource_refers_to_itself: codes::SELF_REFERENCE, "S/Q", |app| {
        let q = queue(&Stack::new(app, "S"), "Q");
        q.set_property("P", q.ref_());
    }
    resource_reads_its_own_attribute: codes::SELF_REFERENCE, "S/Q", |app| {
        let q = queue(&Stack::new(app, "S"), "Q");
        q.set_property("P", q.get_att("Arn"));
    }
    resource_subs_itself: codes::SELF_REFERENCE, "S/Q", |app| {
        queue(&Stack::new(app, "S"), "Q").set_property("P", fns::sub("${Q.Arn}"));
    }
    resource_depends_on_itself: codes::SELF_REFERENCE, "S/Q", |app| {
        queue(&Stack::new(app, "S"), "Q").add_override("DependsOn", "Q");
    }
    invalid_logical_id: codes::INVALID_LOGICAL_ID, "S/Q", |app| {
        queue(&Stack::new(app, "S"), "Q").override_logical_id("my-queue");
    }
    duplicate_logical_id: codes::DUPLICATE_LOGICAL_ID, "S/B", |app| {
        let s = Stack::new(app, "S");
        queue(&s, "A").override_logical_id("Same");
        queue(&s, "B").override_logical_id("Same");
    }
    too_many_resources: codes::TEMPLATE_QUOTA, "S", |app| {
        let s = Stack::new(app, "S");
        for i in 0..501 {
            queue(&s, &format!("Q{i}"));
        }
    }
    too_many_outputs: codes::TEMPLATE_QUOTA, "S", |app| {
        let s = Stack::new(app, "S");
        for i in 0..201 {
            CfnOutput::new(&s, &format!("O{i}"), CfnOutputProps { value: "x".into(), ..Default::default() });
        }
    }
    too_many_parameters: codes::TEMPLATE_QUOTA, "S", |app| {
        let s = Stack::new(app, "S");
        for i in 0..201 {
            CfnParameter::new(&s, &format!("P{i}"), CfnParameterProps::default());
        }
    }
    template_over_a_megabyte: codes::TEMPLATE_SIZE, "S", |app| {
        let s = Stack::new(app, "S");
        for i in 0..20 {
            queue(&s, &format!("Q{i}")).set_property("Blob", "x".repeat(60_000));
        }
    }
    resources_in_a_cycle: codes::RESOURCE_CYCLE, "S", |app| {
        let s = Stack::new(app, "S");
        let a = queue(&s, "A");
        let b = queue(&s, "B");
        a.set_property("P", b.ref_());
        b.set_property("P", a.get_att("Arn"));
    }
    stacks_in_a_cycle: codes::STACK_CYCLE, "A", |app| {
        let a = queue(&Stack::new(app, "A"), "QA");
        let b = queue(&Stack::new(app, "B"), "QB");
        a.set_property("P", b.ref_());
        b.set_property("P", a.ref_());
    }
    two_stacks_with_one_name: codes::DUPLICATE_STACK_NAME, "Two", |app| {
        let props = || StackProps { stack_name: Some("shared".into()), ..Default::default() };
        queue(&Stack::with_props(app, "One", props()), "Q");
        queue(&Stack::with_props(app, "Two", props()), "Q");
    }
    two_exports_with_one_name: codes::DUPLICATE_EXPORT, "B/O", |app| {
        for s in ["A", "B"] {
            let props = CfnOutputProps { value: "x".into(), export_name: Some("shared-name".into()), ..Default::default() };
            CfnOutput::new(&Stack::new(app, s), "O", props);
        }
    }
    export_name_with_a_space: codes::INVALID_EXPORT_NAME, "S/O", |app| {
        let props = CfnOutputProps { value: "x".into(), export_name: Some("my export".into()), ..Default::default() };
        CfnOutput::new(&Stack::new(app, "S"), "O", props);
    }
    nested_stack_id_too_long_for_a_file_name: codes::FILE_NAME_TOO_LONG, &format!("S/{}", "N".repeat(250)), |app| {
        NestedStack::new(&Stack::new(app, "S"), &"N".repeat(250));
    }
}

// The strict case needs its own app (the macro's apps are not strict).
#[test]
fn warnings_fail_synthesis_in_strict_mode_only() {
    let build = |strict: bool| {
        let app = App::with_props(AppProps { strict, ..Default::default() });
        queue(&Stack::new(&app, "S"), "Q").node().add_warning("MYORG007", "queue has no DLQ", "add a RedrivePolicy");
        app
    };
    let relaxed = build(false).synth_in_memory().expect("a warning alone does not fail synthesis");
    assert_eq!(relaxed.warnings.len(), 1);
    assert_eq!((relaxed.warnings[0].code.as_str(), relaxed.warnings[0].path.as_str()), ("MYORG007", "S/Q"));
    let strict = build(true);
    let p = expect_synth_failure("MYORG007", |dir| {
        strict.set_outdir(dir);
        strict.synth()
    });
    assert_eq!(p.path, "S/Q");
    assert_eq!(p.severity, constructs::Severity::Error);
}

/// A reference to a resource of an app that is gone.
fn dangling_ref() -> Value {
    let other = app();
    let q = queue(&Stack::new(&other, "Gone"), "Q");
    q.ref_()
}
