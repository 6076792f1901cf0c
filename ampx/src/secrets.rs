//! Backend secrets as SSM SecureString parameters, at Amplify's paths
//! (`/amplify/<namespace>/<name>-<type>-<hash>/<secret>`). A value is only ever
//! sent to SSM or, for `get`, printed on standard output when asked for; it
//! never goes to a log, a template or an output.

use amplify_backend::BackendIdentifier;
use aws_sdk_ssm::types::ParameterType;

use crate::aws::{has_code, Aws, OpResult};
use crate::errors::{Error, Result};

/// Checks a secret's name: SSM allows letters, digits and `_.-` in a path segment.
pub fn validate_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 512
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if ok {
        Ok(())
    } else {
        Err(Error::InvalidName {
            what: "secret name",
            value: name.into(),
            reason: "use letters, digits, '_', '-' and '.' only (e.g. STRIPE_API_KEY)".into(),
        })
    }
}

/// Stores (or replaces) a secret.
pub async fn set(aws: &Aws, id: &BackendIdentifier, name: &str, value: &str) -> Result<()> {
    validate_name(name)?;
    aws.ssm
        .put_parameter()
        .name(id.secret_path(name))
        .value(value)
        .r#type(ParameterType::SecureString)
        .overwrite(true)
        .send()
        .await
        .op("SSM.PutParameter")
        .map_err(|e| redact(e, value))?;
    Ok(())
}

/// Some services quote a rejected value in their message; a secret's must not
/// reach the terminal or a CI log that way.
fn redact(err: Error, value: &str) -> Error {
    match err {
        Error::Aws { operation, message, advice } => {
            Error::Aws { operation, message: message.replace(value, "<the value>"), advice }
        }
        other => other,
    }
}

/// A secret's value.
pub async fn get(aws: &Aws, id: &BackendIdentifier, name: &str) -> Result<String> {
    validate_name(name)?;
    let path = id.secret_path(name);
    match aws.ssm.get_parameter().name(&path).with_decryption(true).send().await {
        Ok(out) => Ok(out.parameter.and_then(|p| p.value).unwrap_or_default()),
        Err(e) if has_code(&e, "ParameterNotFound") => {
            Err(Error::SecretNotFound { name: name.into(), path, flags: String::new() })
        }
        Err(e) => Err(crate::aws::aws_error("SSM.GetParameter", &e)),
    }
}

/// The parameters directly under `prefix` (names and dates, never values).
async fn parameters(aws: &Aws, prefix: &str) -> Result<Vec<aws_sdk_ssm::types::Parameter>> {
    let mut out = Vec::new();
    let mut token = None;
    loop {
        let page = aws
            .ssm
            .get_parameters_by_path()
            .path(prefix)
            .recursive(false)
            .with_decryption(false)
            .set_next_token(token)
            .send()
            .await
            .op("SSM.GetParametersByPath")?;
        out.extend(page.parameters().iter().cloned());
        token = page.next_token;
        if token.is_none() {
            return Ok(out);
        }
    }
}

/// The names of the backend's secrets (not their values), sorted.
pub async fn list(aws: &Aws, id: &BackendIdentifier) -> Result<Vec<String>> {
    let prefix = id.secret_prefix();
    let mut names: Vec<String> = parameters(aws, &prefix)
        .await?
        .iter()
        .filter_map(|p| p.name()?.strip_prefix(&prefix).map(str::to_string))
        .collect();
    names.sort();
    Ok(names)
}

/// When a secret the backend can read (its own, or one shared by the app) last
/// changed, in seconds since the epoch; `None` when there is none. Synthesis puts it
/// in the context (`secretLastUpdated`) so that a changed secret changes the
/// template and is fetched again at deployment.
pub async fn last_updated(aws: &Aws, id: &BackendIdentifier) -> Result<Option<i64>> {
    let shared = id.shared_secret_path("");
    let mut newest = None;
    for prefix in [id.secret_prefix(), shared] {
        for p in parameters(aws, &prefix).await? {
            newest = newest.max(p.last_modified_date().map(|d| d.secs()));
        }
    }
    Ok(newest)
}

/// Deletes a secret.
pub async fn remove(aws: &Aws, id: &BackendIdentifier, name: &str) -> Result<()> {
    validate_name(name)?;
    let path = id.secret_path(name);
    match aws.ssm.delete_parameter().name(&path).send().await {
        Ok(_) => Ok(()),
        Err(e) if has_code(&e, "ParameterNotFound") => {
            Err(Error::SecretNotFound { name: name.into(), path, flags: String::new() })
        }
        Err(e) => Err(crate::aws::aws_error("SSM.DeleteParameter", &e)),
    }
}

/// Deletes every secret of the backend (never the app's shared ones); returns
/// their names.
pub async fn remove_all(aws: &Aws, id: &BackendIdentifier) -> Result<Vec<String>> {
    let names = list(aws, id).await?;
    // SSM deletes at most 10 parameters a call.
    for chunk in names.chunks(10) {
        let paths: Vec<String> = chunk.iter().map(|n| id.secret_path(n)).collect();
        aws.ssm
            .delete_parameters()
            .set_names(Some(paths))
            .send()
            .await
            .map_err(|e| crate::aws::aws_error("SSM.DeleteParameters", &e))?;
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fake_aws::{self, Reply};

    #[tokio::test]
    async fn a_rejected_value_is_not_repeated_in_the_error() {
        let value = "hunter2-0123456789";
        let (aws, seen) = fake_aws::aws(move |_| {
            let message =
                format!("1 validation error detected: Value '{value}' at 'value' failed to satisfy constraint");
            Reply::json(400, &serde_json::json!({"__type": "ValidationException", "message": message}).to_string())
        });
        let id = BackendIdentifier::sandbox("todoapp", "dev");
        let err = set(&aws, &id, "API_KEY", value).await.unwrap_err().to_string();
        assert_eq!(seen.operations(), ["SSM.PutParameter"]);
        assert!(err.contains("Value '<the value>' at 'value' failed"), "{err}");
        assert!(!err.contains(value), "{err}");
    }
}
