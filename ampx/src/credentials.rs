//! Credentials: a `--profile` that exists and wins over the environment, and,
//! when none are found, which sources were tried and how to provide them.

use aws_config::profile::ProfileFileCredentialsProvider;
use aws_runtime::env_config::file::EnvConfigFiles;
use aws_sdk_cloudformation::config::SharedCredentialsProvider;
use aws_types::os_shim_internal::{Env, Fs};

use crate::errors::{Error, Result};

/// The config and credentials files the SDK reads.
fn files() -> String {
    let config = std::env::var("AWS_CONFIG_FILE").unwrap_or_else(|_| "~/.aws/config".into());
    let credentials = std::env::var("AWS_SHARED_CREDENTIALS_FILE").unwrap_or_else(|_| "~/.aws/credentials".into());
    format!("{config} and {credentials}")
}

/// Fails unless the profile is in the config or credentials file.
pub async fn check_profile(name: &str) -> Result<()> {
    let profiles = aws_config::profile::load(&Fs::real(), &Env::real(), &EnvConfigFiles::default(), None).await;
    let known: Vec<String> = match &profiles {
        Ok(set) if set.get_profile(name).is_some() => return Ok(()),
        Ok(set) => set.profiles().map(str::to_string).collect(),
        Err(_) => Vec::new(),
    };
    Err(Error::UnknownProfile {
        profile: name.into(),
        files: files(),
        known: if known.is_empty() { "none".into() } else { known.join(", ") },
    })
}

/// Credentials from the named profile only: a profile asked for by name wins
/// over access keys in the environment, as with the AWS CLI.
pub fn from_profile(name: &str) -> SharedCredentialsProvider {
    SharedCredentialsProvider::new(ProfileFileCredentialsProvider::builder().profile_name(name).build())
}

/// No credentials: what was tried, and how to provide some. `detail` is the
/// SDK's account (shown with `-v`).
pub fn missing(detail: String, profile: Option<&str>) -> Error {
    if detail.contains("expired") || detail.contains("Expired") {
        return Error::CredentialsRefused {
            message: "the credentials have expired".into(),
            advice: crate::failures::advice(crate::failures::Cause::Expired, ""),
        };
    }
    let (tried, fix) = match profile {
        Some(p) => (
            format!("the profile '{p}' in {}", files()),
            format!("add keys to it (`aws configure --profile {p}`) or sign in (`aws sso login --profile {p}`)"),
        ),
        None => {
            let profile = std::env::var("AWS_PROFILE").unwrap_or_else(|_| "default".into());
            (
                format!(
                    "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, the profile '{profile}' in {}, web identity \
                     (AWS_WEB_IDENTITY_TOKEN_FILE), the container credentials endpoint, the EC2 instance metadata \
                     service",
                    files()
                ),
                "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, pass --profile NAME (or set AWS_PROFILE), or run \
                 `aws configure`"
                    .into(),
            )
        }
    };
    Error::NoCredentials { tried, fix, detail }
}
