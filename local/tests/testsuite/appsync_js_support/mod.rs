//! The chat example synthesized into a directory, with every resolver and
//! function compiled as the data API holds them (shared by the tests and the
//! benchmark).

#![allow(dead_code)]

use std::collections::HashMap;
use std::path::Path;

use constructs::{App, AppProps};
use local::appsync::js::{DataSource, PipelineFunction, ResolverCode, Runtime};
use serde_json::{json, Value};

/// The chat backend's resolvers (`Type.field`) and functions (by name), as code.
pub struct Chat {
    pub resolvers: HashMap<String, (String, Vec<String>)>,
    pub functions: HashMap<String, (String, DataSource)>,
    /// UNIT resolvers on the NONE data source (the owner fields), as code.
    pub units: HashMap<String, String>,
}

pub fn synth(dir: &Path) -> Chat {
    let context = [
        ("amplify-backend-namespace", "chatapp"),
        ("amplify-backend-name", "dev"),
        ("amplify-backend-type", "sandbox"),
    ];
    let app = App::with_props(AppProps {
        outdir: Some(dir.to_path_buf()),
        context: context.into_iter().map(|(k, v)| (k.to_string(), json!(v))).collect(),
        ..Default::default()
    });
    let backend = chat::backend(app);
    let assembly = backend.app().synth().unwrap_or_else(|e| panic!("{e}"));
    let assets: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    let code_of = |props: &Value| -> String {
        if let Some(code) = props["Code"].as_str() {
            return code.to_string();
        }
        // CodeS3Location: s3://<bucket>/<hash>.js, staged in the assembly.
        let parts = props["CodeS3Location"]["Fn::Join"][1].as_array().expect("an s3 location");
        let key = parts.last().and_then(Value::as_str).expect("the object key").trim_start_matches('/');
        let hash = key.trim_end_matches(".js");
        let file = assets
            .iter()
            .find(|p| p.file_name().unwrap().to_string_lossy().contains(hash))
            .unwrap_or_else(|| panic!("no asset for {key} in {assets:?}"));
        let file =
            if file.is_dir() { std::fs::read_dir(file).unwrap().next().unwrap().unwrap().path() } else { file.clone() };
        std::fs::read_to_string(file).unwrap()
    };
    let mut chat = Chat { resolvers: HashMap::new(), functions: HashMap::new(), units: HashMap::new() };
    for stack in &assembly.stacks {
        let resources = stack.template["Resources"].as_object().cloned().unwrap_or_default();
        let name_of = |logical: &str| resources[logical]["Properties"]["Name"].as_str().map(str::to_string);
        for (_, r) in &resources {
            let props = &r["Properties"];
            match r["Type"].as_str() {
                Some("AWS::AppSync::FunctionConfiguration") => {
                    let ds = &props["DataSourceName"]["Fn::GetAtt"][0];
                    let ds = match ds.as_str() {
                        Some(n) if n.contains("NONEDS") => DataSource::None,
                        Some(n) => DataSource::Named(n.to_string()),
                        None => panic!("a data source: {props}"),
                    };
                    chat.functions.insert(props["Name"].as_str().unwrap().to_string(), (code_of(props), ds));
                }
                Some("AWS::AppSync::Resolver") if props["Kind"] == "UNIT" => {
                    let ds = props["DataSourceName"]["Ref"].as_str().unwrap_or_default();
                    assert!(ds.contains("NONEDS"), "a UNIT resolver on the NONE data source: {props}");
                    let field =
                        format!("{}.{}", props["TypeName"].as_str().unwrap(), props["FieldName"].as_str().unwrap());
                    chat.units.insert(field, code_of(props));
                }
                Some("AWS::AppSync::Resolver") => {
                    let pipeline: Option<Vec<String>> = props["PipelineConfig"]["Functions"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|f| match (f["Fn::GetAtt"][0].as_str(), f["Ref"].as_str()) {
                            (Some(logical), _) => Some(name_of(logical).unwrap()),
                            (_, Some(param)) if param.contains("AuthFunction") => Some("AuthFunction".to_string()),
                            // A function of another stack (the Lambda invocation of a custom
                            // query): not a model resolver; the backend tests run those.
                            (_, Some(_)) => None,
                            other => panic!("unexpected function reference {other:?}"),
                        })
                        .collect();
                    let Some(pipeline) = pipeline else { continue };
                    let field =
                        format!("{}.{}", props["TypeName"].as_str().unwrap(), props["FieldName"].as_str().unwrap());
                    chat.resolvers.insert(field, (code_of(props), pipeline));
                }
                _ => {}
            }
        }
    }
    chat
}

/// Every resolver, compiled, as the data API would hold them.
pub struct Loaded {
    pub rt: Runtime,
    pub resolvers: HashMap<String, ResolverCode>,
}

pub fn load() -> Loaded {
    let dir = tempfile::tempdir().unwrap();
    let chat = synth(dir.path());
    let rt = Runtime::new();
    let mut functions = HashMap::new();
    for (name, (code, ds)) in &chat.functions {
        let compiled = rt.compile(&format!("function {name}"), code).unwrap_or_else(|e| panic!("{e}"));
        functions.insert(name.clone(), PipelineFunction { code: compiled, data_source: ds.clone() });
    }
    let mut resolvers = HashMap::new();
    for (field, (code, pipeline)) in &chat.resolvers {
        let compiled = rt.compile(field, code).unwrap_or_else(|e| panic!("{e}"));
        let functions = pipeline.iter().map(|f| functions[f].clone()).collect();
        resolvers.insert(field.clone(), ResolverCode::Pipeline { code: compiled, functions });
    }
    for (field, code) in &chat.units {
        let compiled = rt.compile(field, code).unwrap_or_else(|e| panic!("{e}"));
        resolvers.insert(field.clone(), ResolverCode::Unit { code: compiled, data_source: DataSource::None });
    }
    Loaded { rt, resolvers }
}
