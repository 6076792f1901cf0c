//! `Secrets`: the values of the parameters `AMPLIFY_SSM_ENV_CONFIG` names,
//! the branch's parameter first, then the shared one.

use std::collections::BTreeMap;

use aws_sdk_ssm::Client;

/// The variable that maps each secret's variable name to its SSM parameters.
pub const SSM_ENV_CONFIG: &str = "AMPLIFY_SSM_ENV_CONFIG";

/// SSM's limit of names per `GetParameters` call.
const NAMES_PER_CALL: usize = 10;

/// Why the secrets could not be loaded or one is missing.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// `AMPLIFY_SSM_ENV_CONFIG` is not what amplify-backend writes.
    #[error("{SSM_ENV_CONFIG} is not a JSON object of {{\"path\", \"sharedPath\"}} entries ({0}); it is written by amplify-backend, do not set it by hand")]
    Config(String),
    /// SSM refused or failed a call.
    #[error("cannot read SSM parameters {names:?}: {message}")]
    Ssm {
        /// The parameters asked for.
        names: Vec<String>,
        /// SSM's error.
        message: String,
    },
    /// A secret has neither parameter.
    #[error("secret {name} is not set (no SSM parameter {path} or {shared_path}); set it with `ampx sandbox secret set {name}` (or `ampx dev secret set {name}` locally)")]
    Missing {
        /// The variable name.
        name: String,
        /// The branch's parameter.
        path: String,
        /// The shared parameter.
        shared_path: String,
    },
    /// The function has no secret of that name.
    #[error("the function has no secret {0}; give it one with secret(\"{0}\") in its environment")]
    Unknown(String),
}

/// One secret's parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Entry {
    path: String,
    shared_path: String,
}

/// The function's secrets, by environment variable name.
#[derive(Clone, Debug, Default)]
pub struct Secrets {
    entries: BTreeMap<String, Entry>,
    values: BTreeMap<String, String>,
}

impl Secrets {
    /// Loads the secrets `AMPLIFY_SSM_ENV_CONFIG` names, with the AWS
    /// configuration of the environment (the execution role in Lambda). No
    /// variable, no secrets, no call.
    pub async fn load() -> Result<Secrets, Error> {
        let config = std::env::var(SSM_ENV_CONFIG).unwrap_or_default();
        let entries = parse(&config)?;
        if entries.is_empty() {
            return Ok(Secrets::default());
        }
        let sdk = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
        fetch(&Client::new(&sdk), entries).await
    }

    /// Loads the secrets of `config` (an `AMPLIFY_SSM_ENV_CONFIG` value) with `client`.
    pub async fn load_with(client: &Client, config: &str) -> Result<Secrets, Error> {
        fetch(client, parse(config)?).await
    }

    /// A secret's value; `None` when it is not set or not the function's.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }

    /// A secret's value, or an error that says how to set it.
    pub fn require(&self, name: &str) -> Result<&str, Error> {
        if let Some(value) = self.get(name) {
            return Ok(value);
        }
        let entry = self.entries.get(name).ok_or_else(|| Error::Unknown(name.to_string()))?;
        Err(Error::Missing { name: name.to_string(), path: entry.path.clone(), shared_path: entry.shared_path.clone() })
    }

    /// The names of the secrets that have no value (set them, or the handler
    /// sees the placeholder in the environment).
    pub fn missing(&self) -> Vec<&str> {
        self.entries.keys().filter(|n| !self.values.contains_key(*n)).map(String::as_str).collect()
    }

    /// Every secret with a value.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.values.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// Puts each value in the process environment, as Amplify's Node.js loader
    /// does, so `std::env::var("API_KEY")` reads it.
    ///
    /// # Safety
    ///
    /// Changing the environment races with any other thread reading it
    /// ([`std::env::set_var`]): call this before starting threads, e.g. in a
    /// plain `fn main` that builds its runtime afterwards.
    pub unsafe fn set_env(&self) {
        for (name, value) in &self.values {
            std::env::set_var(name, value);
        }
    }
}

/// The entries of an `AMPLIFY_SSM_ENV_CONFIG` value (empty: none).
fn parse(config: &str) -> Result<BTreeMap<String, Entry>, Error> {
    if config.trim().is_empty() {
        return Ok(BTreeMap::new());
    }
    let json: serde_json::Value = serde_json::from_str(config).map_err(|e| Error::Config(e.to_string()))?;
    let object = json.as_object().ok_or_else(|| Error::Config("not an object".into()))?;
    object
        .iter()
        .map(|(name, e)| {
            let field = |key: &str| {
                e.get(key)
                    .and_then(|v| v.as_str())
                    .map(str::to_string)
                    .ok_or_else(|| Error::Config(format!("{name} has no \"{key}\"")))
            };
            Ok((name.clone(), Entry { path: field("path")?, shared_path: field("sharedPath")? }))
        })
        .collect()
}

async fn fetch(client: &Client, entries: BTreeMap<String, Entry>) -> Result<Secrets, Error> {
    let mut found: BTreeMap<String, String> = BTreeMap::new();
    get_parameters(client, entries.values().map(|e| e.path.clone()).collect(), &mut found).await?;
    let shared = entries.values().filter(|e| !found.contains_key(&e.path)).map(|e| e.shared_path.clone()).collect();
    get_parameters(client, shared, &mut found).await?;
    let values = entries
        .iter()
        .filter_map(|(name, e)| {
            let value = found.get(&e.path).or_else(|| found.get(&e.shared_path))?;
            Some((name.clone(), value.clone()))
        })
        .collect();
    Ok(Secrets { entries, values })
}

async fn get_parameters(
    client: &Client,
    mut names: Vec<String>,
    found: &mut BTreeMap<String, String>,
) -> Result<(), Error> {
    names.sort();
    names.dedup();
    for chunk in names.chunks(NAMES_PER_CALL) {
        let out = client.get_parameters().set_names(Some(chunk.to_vec())).with_decryption(true).send().await.map_err(
            |e| Error::Ssm { names: chunk.to_vec(), message: aws_sdk_ssm::error::DisplayErrorContext(e).to_string() },
        )?;
        for p in out.parameters() {
            if let (Some(name), Some(value)) = (p.name(), p.value()) {
                found.insert(name.to_string(), value.to_string());
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_config_is_read_as_amplify_writes_it() {
        let entries =
            parse(r#"{"API_KEY":{"path":"/amplify/app/dev/API_KEY","sharedPath":"/amplify/shared/app/API_KEY"}}"#)
                .unwrap();
        assert_eq!(
            entries["API_KEY"],
            Entry { path: "/amplify/app/dev/API_KEY".into(), shared_path: "/amplify/shared/app/API_KEY".into() }
        );
        assert!(parse("").unwrap().is_empty());
        let err = parse(r#"{"API_KEY":{"path":"/p"}}"#).unwrap_err().to_string();
        assert!(err.contains("API_KEY has no \"sharedPath\"") && err.contains("written by amplify-backend"), "{err}");
        assert!(matches!(parse("[1]"), Err(Error::Config(_))));
    }

    #[test]
    fn a_missing_secret_says_how_to_set_it() {
        let entries = parse(r#"{"API_KEY":{"path":"/b/API_KEY","sharedPath":"/s/API_KEY"}}"#).unwrap();
        let secrets = Secrets { entries, values: BTreeMap::new() };
        assert_eq!(secrets.missing(), ["API_KEY"]);
        let err = secrets.require("API_KEY").unwrap_err().to_string();
        assert!(err.contains("/b/API_KEY or /s/API_KEY") && err.contains("ampx sandbox secret set API_KEY"), "{err}");
        assert!(matches!(secrets.require("OTHER"), Err(Error::Unknown(_))));
    }
}
