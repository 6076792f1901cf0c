//! Synthesizes the chat example's assembly into a temporary directory, the way
//! `ampx dev` finds it after running the backend program.

use constructs::{App, AppProps};
use serde_json::json;

/// The chat backend's sandbox assembly, written to a fresh directory.
pub fn chat_assembly() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let context = json!({"amplify-backend-namespace": "chatapp", "amplify-backend-name": "dev", "amplify-backend-type": "sandbox"});
    let props = AppProps {
        outdir: Some(dir.path().to_path_buf()),
        context: serde_json::from_value(context).unwrap(),
        ..AppProps::default()
    };
    let app = App::with_props(props);
    chat::backend(app.clone());
    app.synth().expect("the chat backend synthesizes");
    dir
}
