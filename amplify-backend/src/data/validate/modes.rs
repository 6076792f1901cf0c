//! Resolves the API's authorization modes against what the backend provides.

use super::Diagnostics;
use crate::data::auth_modes::{AuthMode, AuthorizationModes, DataContext, EnabledModes};

const PATH: &str = "authorization_modes";

/// The default mode and the additional ones. IAM is always on: functions given access
/// with `allow.resource(...)` and identity-pool users call the API with IAM.
pub(super) fn resolve(modes: &AuthorizationModes, context: &DataContext, diag: &mut Diagnostics) -> EnabledModes {
    let default =
        modes.default_authorization_mode.unwrap_or(if context.user_pool { AuthMode::UserPool } else { AuthMode::Iam });
    match default {
        AuthMode::UserPool if !context.user_pool => diag.error(
            PATH,
            "the default authorization mode is the user pool, but the backend has no auth.",
            "add `define_auth(...)` to the backend, or choose another `default_authorization_mode`.",
        ),
        AuthMode::Oidc if modes.oidc_authorization_mode.is_none() => diag.error(
            PATH,
            "the default authorization mode is OIDC, but no OIDC provider is configured.",
            "set `oidc_authorization_mode` in `authorization_modes`.",
        ),
        AuthMode::Lambda if modes.lambda_authorization_mode.is_none() => diag.error(
            PATH,
            "the default authorization mode is Lambda, but no authorizer function is configured.",
            "set `lambda_authorization_mode` in `authorization_modes`.",
        ),
        _ => {}
    }
    if let Some(key) = &modes.api_key_authorization_mode {
        if !(1..=365).contains(&key.expires_in_days) {
            diag.error(
                PATH,
                format!("an API key must expire in 1 to 365 days, not {}.", key.expires_in_days),
                "set `api_key_authorization_mode.expires_in_days` between 1 and 365.",
            );
        }
    }
    if let Some(lambda) = &modes.lambda_authorization_mode {
        if lambda.time_to_live_in_seconds > 3600 {
            diag.error(
                PATH,
                format!(
                    "a Lambda authorizer's answer can be cached at most 3600 s, not {}.",
                    lambda.time_to_live_in_seconds
                ),
                "lower `lambda_authorization_mode.time_to_live_in_seconds`.",
            );
        }
        if let Some(functions) = &context.functions {
            if !functions.contains(&lambda.function) {
                diag.error(
                    PATH,
                    format!("the Lambda authorizer `{}` is not a function of this backend.", lambda.function),
                    "pass the name of a `define_function` resource of the backend.",
                );
            }
        }
    }
    let candidates = [
        (AuthMode::UserPool, context.user_pool),
        (AuthMode::ApiKey, modes.api_key_authorization_mode.is_some()),
        (AuthMode::Iam, true),
        (AuthMode::Oidc, modes.oidc_authorization_mode.is_some()),
        (AuthMode::Lambda, modes.lambda_authorization_mode.is_some()),
    ];
    let additional = candidates.iter().filter(|(m, on)| *on && *m != default).map(|(m, _)| *m).collect();
    EnabledModes { default, additional }
}
