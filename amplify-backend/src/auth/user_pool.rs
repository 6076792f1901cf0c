//! The user pool's properties, from the auth props.

use cfn_types::cognito::user_pool::NumberAttributeConstraintsProperty;
use cfn_types::cognito::user_pool::{
    AccountRecoverySettingProperty, AdminCreateUserConfigProperty, CfnUserPoolProps, InviteMessageTemplateProperty,
    PasswordPolicyProperty, PoliciesProperty, RecoveryOptionProperty, SchemaAttributeProperty, SignInPolicyProperty,
    SmsConfigurationProperty, StringAttributeConstraintsProperty, UserAttributeUpdateSettingsProperty,
    UsernameConfigurationProperty, VerificationMessageTemplateProperty,
};
use cfn_types::Val;
use constructs::Value;

use super::passwordless;
use super::props::{AccountRecovery, AuthProps, MfaMode, VerificationStyle, STANDARD_ATTRIBUTES};
use super::senders;
use crate::BackendIdentifier;

pub(crate) const CODE: &str = "{####}";
/// Where Cognito puts the user name in an invitation.
pub(crate) const USERNAME: &str = "{username}";
const LINK: &str = "{##Verify Email##}";

// Amplify's defaults (the CDK user pool's).
const DEFAULT_SUBJECT: &str = "Verify your new account";

fn default_code_message(code: &str) -> String {
    format!("The verification code to your new account is {code}")
}

fn default_link_message(link: &str) -> String {
    format!("Verify your account by clicking on {link}")
}

/// Attributes users sign in with (`email`, `phone_number`).
pub(crate) fn username_attributes(p: &AuthProps) -> Vec<&'static str> {
    let mut out = Vec::new();
    if p.login_with.email.is_some() {
        out.push("email");
    }
    if p.login_with.phone.is_some() {
        out.push("phone_number");
    }
    out
}

/// The user pool props. `sms_role_arn` is set when phone login or SMS MFA needs one.
pub(crate) fn user_pool_props(
    p: &AuthProps,
    id: &BackendIdentifier,
    sms_role_arn: Option<Value>,
    external_id: &str,
) -> CfnUserPoolProps {
    let login = username_attributes(p);
    let mut props = CfnUserPoolProps { user_pool_name: p.name.clone().map(Into::into), ..Default::default() };
    if p.login_with.username {
        // A user name signs in; email and phone become aliases.
        if !login.is_empty() {
            props.alias_attributes = Some(Value::from(login.clone()).into());
        }
    } else if !login.is_empty() {
        props.username_attributes = Some(Value::from(login.clone()).into());
    }
    if !login.is_empty() {
        props.auto_verified_attributes = Some(Value::from(login.clone()).into());
        props.user_attribute_update_settings = Some(
            UserAttributeUpdateSettingsProperty {
                attributes_require_verification_before_update: Value::from(login.clone()).into(),
            }
            .into(),
        );
    }
    props.username_configuration = Some(UsernameConfigurationProperty { case_sensitive: Some(false.into()) }.into());
    let invitation = p.login_with.email.as_ref().and_then(|e| e.user_invitation.as_ref()).map(|i| {
        InviteMessageTemplateProperty {
            email_message: i.email_body.map(|f| f(USERNAME, CODE).into()),
            email_subject: i.email_subject.clone().map(Into::into),
            sms_message: i.sms_message.map(|f| f(USERNAME, CODE).into()),
        }
        .into()
    });
    props.admin_create_user_config = Some(
        AdminCreateUserConfigProperty {
            allow_admin_create_user_only: Some(false.into()),
            invite_message_template: invitation,
            ..Default::default()
        }
        .into(),
    );
    props.email_configuration =
        p.login_with.email.as_ref().and(p.senders.ses()).map(|ses| senders::ses_configuration(ses).into());

    // Schema: login attributes are required; then the user's attributes.
    let mut schema: Vec<Val<SchemaAttributeProperty>> = Vec::new();
    for a in &login {
        if !p.user_attributes.contains_key(*a) {
            schema.push(
                SchemaAttributeProperty {
                    name: Some((*a).into()),
                    required: Some(true.into()),
                    mutable: Some(true.into()),
                    ..Default::default()
                }
                .into(),
            );
        }
    }
    for (name, attr) in &p.user_attributes {
        let custom = name.strip_prefix("custom:");
        let mut s = SchemaAttributeProperty {
            name: Some(custom.unwrap_or(name).into()),
            required: Some(attr.required.into()),
            mutable: Some(attr.mutable.into()),
            ..Default::default()
        };
        if custom.is_some() {
            s.attribute_data_type = Some(Value::from(attr.data_type.as_str()).into());
            let bounded = attr.min.is_some() || attr.max.is_some();
            match attr.data_type {
                super::props::AttributeType::Number if bounded => {
                    s.number_attribute_constraints = Some(
                        NumberAttributeConstraintsProperty {
                            min_value: attr.min.map(|m| m.to_string().into()),
                            max_value: attr.max.map(|m| m.to_string().into()),
                        }
                        .into(),
                    );
                }
                super::props::AttributeType::String if bounded => {
                    s.string_attribute_constraints = Some(
                        StringAttributeConstraintsProperty {
                            min_length: attr.min.map(|m| m.to_string().into()),
                            max_length: attr.max.map(|m| m.to_string().into()),
                        }
                        .into(),
                    );
                }
                _ => {}
            }
        } else if !STANDARD_ATTRIBUTES.contains(&name.as_str()) {
            // Reported by validation; keep the template well-formed meanwhile.
            continue;
        }
        schema.push(s.into());
    }
    if !schema.is_empty() {
        props.schema = Some(schema.into());
    }

    // Verification messages.
    let mut template = VerificationMessageTemplateProperty::default();
    if let Some(email) = &p.login_with.email {
        let subject = email.verification_email_subject.clone().unwrap_or_else(|| DEFAULT_SUBJECT.into());
        match email.verification_email_style {
            VerificationStyle::Code => {
                let msg = email.verification_email_body.unwrap_or(default_code_message)(CODE);
                template.default_email_option = Some(Value::from("CONFIRM_WITH_CODE").into());
                template.email_message = Some(msg.clone().into());
                template.email_subject = Some(subject.clone().into());
                props.email_verification_message = Some(msg.into());
                props.email_verification_subject = Some(subject.into());
            }
            VerificationStyle::Link => {
                template.default_email_option = Some(Value::from("CONFIRM_WITH_LINK").into());
                let msg = email.verification_email_body.unwrap_or(default_link_message)(LINK);
                template.email_message_by_link = Some(msg.into());
                template.email_subject_by_link = Some(subject.into());
            }
        }
    }
    let sms = p
        .login_with
        .phone
        .as_ref()
        .and_then(|ph| ph.verification_message)
        .map(|f| f(CODE))
        .unwrap_or_else(|| default_code_message(CODE));
    template.sms_message = Some(sms.clone().into());
    props.sms_verification_message = Some(sms.into());
    props.verification_message_template = Some(template.into());

    // Passwords.
    let pw = p.password_policy.unwrap_or_default();
    let sign_in_policy = passwordless::first_factors(p)
        .map(|factors| SignInPolicyProperty { allowed_first_auth_factors: Some(factors.into()) }.into());
    if let Some((party, verification)) = passwordless::web_authn_settings(p, id) {
        props.web_authn_relying_party_id = Some(party.into());
        props.web_authn_user_verification = Some(verification.into());
    }
    props.policies = Some(
        PoliciesProperty {
            sign_in_policy,
            password_policy: Some(
                PasswordPolicyProperty {
                    minimum_length: Some(i64::from(pw.min_length).into()),
                    require_lowercase: Some(pw.require_lowercase.into()),
                    require_numbers: Some(pw.require_numbers.into()),
                    require_symbols: Some(pw.require_symbols.into()),
                    require_uppercase: Some(pw.require_uppercase.into()),
                    ..Default::default()
                }
                .into(),
            ),
        }
        .into(),
    );

    // MFA.
    if let Some(m) = &p.multifactor {
        let config = match m.mode {
            MfaMode::Off => "OFF",
            MfaMode::Optional => "OPTIONAL",
            MfaMode::Required => "ON",
        };
        props.mfa_configuration = Some(Value::from(config).into());
        if m.mode != MfaMode::Off {
            let mut enabled: Vec<&str> = Vec::new();
            if m.sms {
                enabled.push("SMS_MFA");
            }
            if m.totp {
                enabled.push("SOFTWARE_TOKEN_MFA");
            }
            if m.email {
                enabled.push("EMAIL_OTP");
            }
            props.enabled_mfas = Some(enabled.into());
            if m.sms {
                props.sms_authentication_message = m.sms_message.map(|f| f(CODE).into());
            }
        }
    }
    if let Some(arn) = sms_role_arn {
        let sns = p.senders.sns();
        props.sms_configuration = Some(
            SmsConfigurationProperty {
                sns_caller_arn: Some(arn.into()),
                external_id: Some(external_id.into()),
                sns_region: sns.and_then(|s| s.sns_region.clone()).map(Into::into),
                ..Default::default()
            }
            .into(),
        );
    }

    // Account recovery.
    let recovery = p.account_recovery.unwrap_or(match (p.login_with.email.is_some(), p.login_with.phone.is_some()) {
        (false, true) => AccountRecovery::PhoneOnlyWithoutMfa,
        (true, true) => AccountRecovery::EmailAndPhoneWithoutMfa,
        _ => AccountRecovery::EmailOnly,
    });
    let mechanisms: Vec<(&str, i64)> = match recovery {
        AccountRecovery::EmailOnly => vec![("verified_email", 1)],
        AccountRecovery::PhoneOnlyWithoutMfa => vec![("verified_phone_number", 1)],
        // Cognito's legacy order, which may send the code to an MFA phone: only
        // leaving the setting out gives it.
        AccountRecovery::PhoneAndEmail => return props,
        AccountRecovery::PhoneWithoutMfaAndEmail => vec![("verified_phone_number", 1), ("verified_email", 2)],
        AccountRecovery::EmailAndPhoneWithoutMfa => vec![("verified_email", 1), ("verified_phone_number", 2)],
        AccountRecovery::None => vec![("admin_only", 1)],
    };
    props.account_recovery_setting = Some(
        AccountRecoverySettingProperty {
            recovery_mechanisms: Some(
                mechanisms
                    .into_iter()
                    .map(|(name, priority)| {
                        Val::from(RecoveryOptionProperty {
                            name: Some(Value::from(name).into()),
                            priority: Some(priority.into()),
                        })
                    })
                    .collect::<Vec<_>>()
                    .into(),
            ),
        }
        .into(),
    );
    props
}

/// Whether Cognito must send SMS (and so needs a role for SNS).
pub(crate) fn needs_sms(p: &AuthProps) -> bool {
    p.login_with.phone.is_some() || p.multifactor.as_ref().is_some_and(|m| m.sms && m.mode != MfaMode::Off)
}
