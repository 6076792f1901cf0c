//! `ampx dev secret ...`: the secrets functions read under `ampx dev`, in the
//! local store (`.amplify/local/lambda/secrets.json`), at the SSM paths the
//! sandbox uses, so a function's `AMPLIFY_SSM_ENV_CONFIG` finds them. They
//! never leave the machine; a running `ampx dev` gives new values to the next
//! cold start.

use std::path::Path;

use amplify_backend::BackendIdentifier;
use local::lambda::SecretStore;

use crate::cli::SecretCommand;
use crate::commands::{identifier_flags, sandbox_identifier, Context};
use crate::errors::{Error, Result};
use crate::{dev, prompt, secrets};

/// The store of the project in `cwd`.
pub fn store(cwd: &Path) -> SecretStore {
    SecretStore::new(&cwd.join(dev::DATA_DIR).join(dev::LAMBDA_DIR))
}

fn local(e: impl std::fmt::Display) -> Error {
    Error::Local(e.to_string())
}

/// Runs one `ampx dev secret` command.
pub fn run(ctx: &Context, command: SecretCommand) -> Result<()> {
    let identifier = match &command {
        SecretCommand::Set { identifier, .. }
        | SecretCommand::Get { identifier, .. }
        | SecretCommand::List { identifier }
        | SecretCommand::Remove { identifier, .. } => identifier.clone(),
    };
    let id = sandbox_identifier(&ctx.cwd, identifier.as_deref())?;
    let flags = identifier_flags(identifier.as_deref());
    let store = store(&ctx.cwd);
    match command {
        SecretCommand::Set { name, .. } => {
            secrets::validate_name(&name)?;
            let value = prompt::read_secret(&format!("Value of {name}"))?;
            store.set(&id.secret_path(&name), &value).map_err(local)?;
            eprintln!("Set local secret {name} of sandbox {} (functions get it at their next start)", id.name);
        }
        SecretCommand::Get { name, .. } => {
            secrets::validate_name(&name)?;
            println!("{}", get(&store, &id, &name, &flags)?);
        }
        SecretCommand::List { .. } => {
            let prefix = id.secret_path("");
            let names = store.list(&prefix).map_err(local)?;
            if names.is_empty() {
                eprintln!("No local secrets in sandbox {} (set one with `ampx dev secret set NAME{flags}`)", id.name);
            }
            for (path, _) in names {
                println!("{}", path.trim_start_matches(&prefix));
            }
        }
        SecretCommand::Remove { name: None, .. } => {
            let prefix = id.secret_path("");
            let mut removed = Vec::new();
            for (path, _) in store.list(&prefix).map_err(local)? {
                store.remove(&path).map_err(local)?;
                removed.push(path.trim_start_matches(&prefix).to_string());
            }
            eprintln!("Removed {} local secret(s) of sandbox {}: {}", removed.len(), id.name, removed.join(", "));
        }
        SecretCommand::Remove { name: Some(name), .. } => {
            secrets::validate_name(&name)?;
            if !store.remove(&id.secret_path(&name)).map_err(local)? {
                return Err(not_found(&id, &name, &flags));
            }
            eprintln!("Removed local secret {name} of sandbox {}", id.name);
        }
    }
    Ok(())
}

fn not_found(id: &BackendIdentifier, name: &str, flags: &str) -> Error {
    Error::Local(format!(
        "no local secret {name} in sandbox {} ({}); set it with `ampx dev secret set {name}{flags}`",
        id.name,
        id.secret_path(name)
    ))
}

/// A secret's value (the sandbox's path, then the shared one).
fn get(store: &SecretStore, id: &BackendIdentifier, name: &str, flags: &str) -> Result<String> {
    for path in [id.secret_path(name), id.shared_secret_path(name)] {
        if let Some(s) = store.get(&path).map_err(local)? {
            return Ok(s.value);
        }
    }
    Err(not_found(id, name, flags))
}
