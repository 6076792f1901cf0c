//! Proof that the generated types match the registry schemas they come from.
//!
//! Every resource type of the enabled features has a generated sample
//! (`tests/samples`, written by `cfn-types/codegen`) that builds the L1 through the
//! public API with every property it can fill. Each is synthesized in its own
//! stack; its rendered `Properties` must validate against the type's original
//! registry schema, and each attribute accessor must render an `Fn::GetAtt` of an
//! attribute the schema lists as read-only (or, for a few older types, a writable
//! property cfn-lint knows CloudFormation returns, such as an AppSync data source's
//! `Name`).
//!
//! The schemas come from cfn-lint (`CFN_SCHEMAS_DIR`, by default the copy that
//! `scripts/install-tools` puts in `.tools/` and names in `.tools/env`).

use crate::samples;

use std::collections::BTreeMap;
use std::path::PathBuf;

use constructs::{App, AppProps, CfnResource, Stack, StackProps, Value};
use serde_json::Value as Json;

fn schemas_dir() -> PathBuf {
    let workspace = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    cfn_types_codegen::pinned::schemas_dir(&workspace).unwrap_or_else(|e| panic!("{e}"))
}

fn read_json(path: &std::path::Path) -> Json {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The registry schema of every type, by name.
fn registry() -> BTreeMap<String, Json> {
    let dir = schemas_dir();
    let index = read_json(&dir.join("providers/us-east-1.json"));
    index
        .as_object()
        .expect("the provider index is an object")
        .iter()
        .map(|(name, hash)| {
            let hash = hash.as_str().expect("a schema file name");
            (name.clone(), read_json(&dir.join(format!("resources/{hash}.json"))))
        })
        .collect()
}

/// Removes every `pattern` keyword whose value is `pattern`, and makes a
/// `patternProperties` key that is `pattern` match any name.
fn drop_pattern(schema: &mut Json, pattern: &str) {
    match schema {
        Json::Object(o) => {
            if o.get("pattern").and_then(Json::as_str) == Some(pattern) {
                o.remove("pattern");
            }
            if let Some(Json::Object(pp)) = o.get_mut("patternProperties") {
                if let Some(v) = pp.shift_remove(pattern) {
                    pp.insert(String::new(), v);
                }
            }
            o.values_mut().for_each(|v| drop_pattern(v, pattern));
        }
        Json::Array(a) => a.iter_mut().for_each(|v| drop_pattern(v, pattern)),
        _ => {}
    }
}

fn patterns(schema: &Json, out: &mut Vec<String>) {
    match schema {
        Json::Object(o) => {
            if let Some(p) = o.get("pattern").and_then(Json::as_str) {
                out.push(p.to_string());
            }
            if let Some(pp) = o.get("patternProperties").and_then(Json::as_object) {
                out.extend(pp.keys().cloned());
            }
            o.values().for_each(|v| patterns(v, out));
        }
        Json::Array(a) => a.iter().for_each(|v| patterns(v, out)),
        _ => {}
    }
}

fn options() -> jsonschema::ValidationOptions<'static> {
    jsonschema::options().with_draft(jsonschema::Draft::Draft7).should_validate_formats(true)
}

/// The validator of a resource's `Properties`: the registry schema as it is, less
/// the handler schemas (they point at other documents and say nothing of
/// properties) and the few patterns (and `patternProperties` names) that are not
/// ECMA-262 regexes (`(?s)`, `\Z`, inline flags), which JSON Schema validators
/// refuse; those are returned.
fn validator(schema: &Json) -> Result<(jsonschema::Validator, Vec<String>), String> {
    let mut schema = schema.clone();
    if let Some(o) = schema.as_object_mut() {
        o.remove("handlers");
    }
    let mut all = Vec::new();
    patterns(&schema, &mut all);
    all.sort();
    all.dedup();
    let mut dropped = Vec::new();
    for p in all {
        if options().build(&serde_json::json!({"type": "string", "pattern": p})).is_err() {
            drop_pattern(&mut schema, &p);
            dropped.push(p);
        }
    }
    let v = options().build(&schema).map_err(|e| e.to_string())?;
    Ok((v, dropped))
}

/// The writable properties cfn-lint accepts in `Fn::GetAtt` for older types whose
/// documented return values the schema does not list as read-only: the
/// `_exceptions` table of the `cfnlint/schema/_getatts.py` beside the schemas.
fn documented_get_atts() -> BTreeMap<String, Vec<String>> {
    let path = schemas_dir().join("../../schema/_getatts.py");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let table = text.split("_exceptions = {").nth(1).and_then(|t| t.split("\n}").next());
    let table = table.unwrap_or_else(|| panic!("{}: no `_exceptions` table", path.display()));
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut current = String::new();
    for quoted in table.split('"').skip(1).step_by(2) {
        if quoted.contains("::") {
            current = quoted.to_string();
        } else {
            out.entry(current.clone()).or_default().push(quoted.to_string());
        }
    }
    out
}

struct Synthesized {
    properties: Json,
    logical_id: String,
    attributes: Json,
}

/// Builds a sample in a stack of its own and synthesizes it.
fn synthesize(type_name: &str, sample: samples::Sample) -> Result<Synthesized, String> {
    let app = App::with_props(AppProps { path_metadata: false, ..Default::default() });
    let stack = Stack::with_props(&app, "S", StackProps { skip_bootstrap_version_rule: true, ..Default::default() });
    let attrs = sample(&stack);
    let probe = CfnResource::new(&stack, "Probe", "Custom::Probe");
    probe.set_property("Attributes", Value::Array(attrs));
    let assembly = app.synth_in_memory().map_err(|e| format!("{type_name}: synthesis failed: {e}"))?;
    let template = assembly.template("S").ok_or("no template")?.clone();
    let resources = template["Resources"].as_object().ok_or("no resources")?;
    let (logical_id, resource) = resources
        .iter()
        .find(|(_, r)| r["Type"] == type_name)
        .ok_or_else(|| format!("{type_name}: not in the template"))?;
    Ok(Synthesized {
        properties: resource.get("Properties").cloned().unwrap_or(Json::Object(Default::default())),
        logical_id: logical_id.clone(),
        attributes: resources["Probe"]["Properties"]["Attributes"].clone(),
    })
}

#[test]
fn every_sample_validates_against_its_registry_schema_and_reads_read_only_attributes() {
    let registry = registry();
    let documented = documented_get_atts();
    assert!(documented["AWS::AppSync::DataSource"].contains(&"Name".to_string()));
    let all = samples::all();
    assert!(!all.is_empty(), "no feature enabled");
    let mut failures = Vec::new();
    let mut attributes = 0;
    for (type_name, sample) in &all {
        let Some(schema) = registry.get(*type_name) else {
            failures.push(format!("{type_name}: not in the registry"));
            continue;
        };
        let synthesized = match synthesize(type_name, *sample) {
            Ok(s) => s,
            Err(e) => {
                failures.push(e);
                continue;
            }
        };
        match validator(schema) {
            Ok((v, dropped)) => {
                for p in dropped {
                    eprintln!("note: {type_name}: pattern {p:?} is not ECMA-262; not checked");
                }
                for error in v.iter_errors(&synthesized.properties) {
                    failures.push(format!("{type_name}: {} at {}", error, error.instance_path()));
                }
            }
            Err(e) => failures.push(format!("{type_name}: schema does not compile: {e}")),
        }
        let read_only: Vec<String> = schema["readOnlyProperties"]
            .as_array()
            .map(|a| a.iter().filter_map(|p| p.as_str().map(str::to_string)).collect())
            .unwrap_or_default();
        for attr in synthesized.attributes.as_array().into_iter().flatten() {
            attributes += 1;
            let get_att = &attr["Fn::GetAtt"];
            let target = get_att[0].as_str().unwrap_or_default();
            let name = get_att[1].as_str().unwrap_or_default();
            let pointer = format!("/properties/{}", name.replace('.', "/"));
            let documented = documented.get(*type_name).is_some_and(|d| d.iter().any(|a| a == name));
            if target != synthesized.logical_id || !(read_only.contains(&pointer) || documented) {
                failures.push(format!(
                    "{type_name}: accessor renders {attr}, not a read-only property nor a documented return value"
                ));
            }
        }
    }
    eprintln!("{} resource types validated, {attributes} attribute accessors checked", all.len());
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn every_type_of_the_enabled_features_has_a_sample() {
    let registry = registry();
    let enabled: Vec<&str> = samples::FEATURES.iter().filter(|(_, on)| *on).map(|(f, _)| *f).collect();
    let sampled: Vec<&str> = samples::all().iter().map(|(t, _)| *t).collect();
    let expected: Vec<&String> = registry
        .keys()
        .filter(|t| t.split("::").nth(1).is_some_and(|ns| enabled.contains(&ns.to_ascii_lowercase().as_str())))
        .collect();
    assert_eq!(expected.len(), sampled.len(), "types of the enabled features vs samples");
    for t in expected {
        assert!(sampled.contains(&t.as_str()), "{t} has no sample");
    }
}
