//! `amplify_outputs.json` before deployment, written into the cloud assembly.
//!
//! Amplify writes the file only after a deployment (`ampx sandbox`, `ampx
//! generate outputs`), into the project, where the frontend reads it. Synthesis
//! already knows its shape and every literal in it (auth settings, bucket paths,
//! custom outputs), so the backend program writes that much beside the templates,
//! with `<deployed value of ...>` placeholders for the rest. Inside the assembly
//! it can never replace the deployed file a frontend uses.

use constructs::{CloudAssembly, Diagnostic, IConstruct, SynthError};

use crate::codes;

use super::Backend;
use crate::outputs::{from_template, AmplifyOutputs};

/// The file's name, in the cloud assembly directory.
pub const PREDEPLOY_OUTPUTS_FILE: &str = "amplify_outputs.json";

impl<P> Backend<P> {
    /// `amplify_outputs.json` as far as the synthesized root template tells it:
    /// deployed values are `<deployed value of ...>` placeholders (see
    /// [`from_template`]).
    ///
    /// # Errors
    ///
    /// A [`SynthError`] on the root stack when its outputs cannot make the file
    /// (a custom output that clashes with a category's, say).
    pub fn predeploy_outputs(&self, assembly: &CloudAssembly) -> Result<AmplifyOutputs, SynthError> {
        let root = self.root.node().path();
        let problem = |message: String, fix: &str| SynthError {
            problems: vec![Diagnostic::error(codes::OUTPUTS, message, fix).at(root)],
        };
        let template = assembly.template(&self.root.stack_name()).ok_or_else(|| {
            problem("the assembly has no root stack template".into(), "synthesize the backend's own app")
        })?;
        let mut outputs = from_template(template).map_err(|e| {
            problem(
                format!("amplify_outputs.json cannot be built from the root stack's outputs: {e}"),
                "check what backend.add_output(..) adds",
            )
        })?;
        // The template names the introspection in S3; synthesis has its text.
        if let Some(data) = outputs.data.as_mut().filter(|d| d.model_introspection.is_none()) {
            data.model_introspection = self.model_introspection.borrow().clone();
        }
        Ok(outputs)
    }

    /// Adds [`Backend::predeploy_outputs`] to the assembly's files, to be written
    /// with it.
    pub(crate) fn add_predeploy_outputs(&self, assembly: &mut CloudAssembly) -> Result<(), SynthError> {
        let outputs = self.predeploy_outputs(assembly)?;
        assembly.add_file(PREDEPLOY_OUTPUTS_FILE, outputs.to_json_pretty().into_bytes());
        Ok(())
    }
}
