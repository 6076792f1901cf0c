//! The chat example synthesized in memory as a sandbox or a branch, with its
//! templates by stack (relative to the root) and references followed across
//! nested stacks.

use amplify_backend::Backend;
use constructs::assertions::Template;
use constructs::{App, AppProps, CloudAssembly, StackArtifact};
use serde_json::{json, Value as Json};

/// The synthesized chat backend and the handles of what it built.
pub struct Chat {
    pub backend: Backend<chat::Parts>,
    pub assembly: CloudAssembly,
}

impl Chat {
    /// The sandbox `chatapp`/`dev`, as the snapshots synthesize it.
    pub fn sandbox() -> Chat {
        Chat::synth("chatapp", "dev", "sandbox")
    }

    /// The `main` branch of the Amplify app `d1abcdefghij`.
    pub fn branch() -> Chat {
        Chat::synth("d1abcdefghij", "main", "branch")
    }

    fn synth(namespace: &str, name: &str, kind: &str) -> Chat {
        let context =
            [("amplify-backend-namespace", namespace), ("amplify-backend-name", name), ("amplify-backend-type", kind)];
        let app = App::with_props(AppProps {
            context: context.into_iter().map(|(k, v)| (k.to_string(), json!(v))).collect(),
            ..Default::default()
        });
        let backend = chat::backend(app);
        let assembly = backend.app().synth_in_memory().unwrap_or_else(|e| panic!("{e}"));
        Chat { backend, assembly }
    }

    /// The root stack's name (and construct path).
    pub fn root(&self) -> String {
        self.backend.root_stack().stack_name()
    }

    /// A stack by its path below the root (`""` is the root, `"auth"`,
    /// `"data/amplifyData/Models2/Message"`).
    pub fn stack(&self, below_root: &str) -> &StackArtifact {
        let path = if below_root.is_empty() { self.root() } else { format!("{}/{below_root}", self.root()) };
        self.assembly.stack(&path).unwrap_or_else(|| panic!("no stack {path}"))
    }

    /// A construct path below the root.
    fn below_root(&self, path: &str) -> String {
        path.strip_prefix(&self.root()).unwrap_or(path).trim_start_matches('/').to_string()
    }

    /// The template of a stack, for the assertions API.
    pub fn template(&self, below_root: &str) -> Template {
        Template::from_json(self.stack(below_root).template.clone())
    }

    /// Every stack with its path below the root.
    pub fn stacks(&self) -> impl Iterator<Item = (String, &StackArtifact)> {
        self.assembly.stacks.iter().map(|s| (self.below_root(&s.construct_path), s))
    }

    /// What `value`, found in stack `below_root`, stands for once CloudFormation
    /// has passed it through nested stack parameters and outputs: the stack it
    /// comes from and the value there (`("auth", {"Ref": "<role>"})`).
    pub fn follow(&self, below_root: &str, value: &Json) -> (String, Json) {
        let artifact = self.stack(below_root);
        if let Some(parameter) = value.get("Ref").and_then(Json::as_str) {
            if artifact.template["Parameters"].get(parameter).is_some() {
                let parent = self.below_root(artifact.parent.as_deref().expect("a nested stack has a parent"));
                let resource = self.nested_stack_resource(&parent, &artifact.template_file);
                return self.follow(&parent, &resource["Properties"]["Parameters"][parameter]);
            }
        }
        if let Some([Json::String(id), Json::String(attribute)]) =
            value.get("Fn::GetAtt").and_then(Json::as_array).map(Vec::as_slice)
        {
            if let Some(output) = attribute.strip_prefix("Outputs.") {
                let file = &artifact.template["Resources"][id]["Metadata"]["aws:asset:path"];
                let (child, stack) = self
                    .stacks()
                    .find(|(_, s)| s.template_file == *file)
                    .unwrap_or_else(|| panic!("{id} in {below_root:?} is not a nested stack"));
                return self.follow(&child, &stack.template["Outputs"][output]["Value"]);
            }
        }
        (below_root.to_string(), value.clone())
    }

    /// The `AWS::CloudFormation::Stack` resource in `parent` that deploys `template_file`.
    fn nested_stack_resource(&self, parent: &str, template_file: &str) -> Json {
        let resources = self.stack(parent).template["Resources"].as_object().expect("resources");
        resources
            .values()
            .find(|r| r["Metadata"]["aws:asset:path"] == template_file)
            .cloned()
            .unwrap_or_else(|| panic!("no nested stack resource for {template_file} in {parent:?}"))
    }
}
