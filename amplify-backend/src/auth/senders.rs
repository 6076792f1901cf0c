//! Who sends the user pool's messages (Amplify's `senders`): email through
//! Amazon SES or a function, SMS through Amazon SNS options or a function.
//!
//! A custom sender gets Cognito's messages encrypted with a KMS key: the one
//! given, or a key made beside the first sender function (in its stack, so that
//! the user pool, which refers to the function, refers to the key in the same
//! direction). The function may decrypt with it and Cognito may invoke it.

use base64::Engine;
use cfn_types::cognito::user_pool::{EmailConfigurationProperty, EmailSendingAccount};
use cfn_types::kms::key::{CfnKey, CfnKeyProps};
use constructs::{cfn, Aws, Construct, Value};
use indexmap::IndexMap;

use crate::backend::Backend;
use crate::function::FunctionDefinition;
use crate::iam::{self, PolicyStatement};

/// The pool's senders; Cognito's own email and the SMS role `define_auth`
/// makes when none is given.
#[derive(Clone, Default)]
pub struct Senders {
    /// Email: SES or a function.
    pub email: Option<EmailSender>,
    /// SMS: SNS options or a function.
    pub sms: Option<SmsSender>,
}

/// How the pool sends email.
#[derive(Clone)]
pub enum EmailSender {
    /// Through Amazon SES, from an address verified there.
    Ses(SesEmail),
    /// Through a function of the backend (a custom email sender).
    Custom(CustomSender),
}

/// Email through Amazon SES (Amplify's `{ fromEmail, fromName, replyTo }`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SesEmail {
    /// The sender address, verified in SES in the backend's region.
    pub from_email: String,
    /// The name shown with it.
    pub from_name: Option<String>,
    /// Where replies go.
    pub reply_to: Option<String>,
}

/// How the pool sends SMS.
#[derive(Clone)]
pub enum SmsSender {
    /// Through Amazon SNS, with these options.
    Sns(SnsSms),
    /// Through a function of the backend (a custom SMS sender).
    Custom(CustomSender),
}

/// Amazon SNS options (Amplify's `{ externalId, snsCallerArn, snsRegion }`).
/// Without a role, `define_auth` makes one that may publish.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SnsSms {
    /// The external id the role's trust policy requires (with `sns_caller_arn`).
    pub external_id: Option<String>,
    /// Your role Cognito sends SMS with (with `external_id`).
    pub sns_caller_arn: Option<String>,
    /// The SNS region, when not the pool's.
    pub sns_region: Option<String>,
}

/// A function that sends the messages itself, and the KMS key Cognito encrypts
/// them with (made when not given; both senders must name the same key).
#[derive(Clone)]
pub struct CustomSender {
    /// The function (in `define_backend`).
    pub handler: FunctionDefinition,
    /// An existing key's ARN.
    pub kms_key_arn: Option<String>,
}

impl Senders {
    /// The custom senders, as `(LambdaConfig key, sender)`.
    pub(crate) fn custom(&self) -> Vec<(&'static str, &CustomSender)> {
        let email = match &self.email {
            Some(EmailSender::Custom(c)) => Some(("CustomEmailSender", c)),
            _ => None,
        };
        let sms = match &self.sms {
            Some(SmsSender::Custom(c)) => Some(("CustomSMSSender", c)),
            _ => None,
        };
        email.into_iter().chain(sms).collect()
    }

    /// The SES settings, when email goes through SES.
    pub(crate) fn ses(&self) -> Option<&SesEmail> {
        match &self.email {
            Some(EmailSender::Ses(ses)) => Some(ses),
            _ => None,
        }
    }

    /// The SNS options, when given.
    pub(crate) fn sns(&self) -> Option<&SnsSms> {
        match &self.sms {
            Some(SmsSender::Sns(sns)) => Some(sns),
            _ => None,
        }
    }

    /// Problems with the senders, each with its fix.
    pub(crate) fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(ses) = self.ses() {
            if let Some(problem) = address_problem(&ses.from_email) {
                out.push(format!("senders.email from_email '{}' {problem}", ses.from_email));
            }
            if let Some(reply) = &ses.reply_to {
                if let Some(problem) = address_problem(reply) {
                    out.push(format!("senders.email reply_to '{reply}' {problem}"));
                }
            }
        }
        if let Some(sns) = self.sns() {
            if sns.external_id.is_some() != sns.sns_caller_arn.is_some() {
                out.push(
                    "senders.sms needs both external_id and sns_caller_arn to use your own role (its trust policy \
                     must require that external id), or neither to let define_auth make one"
                        .into(),
                );
            }
        }
        let keys: Vec<&String> = self.custom().iter().filter_map(|(_, c)| c.kms_key_arn.as_ref()).collect();
        if keys.len() == 2 && keys[0] != keys[1] {
            out.push(format!(
                "the custom email and SMS senders name different KMS keys ({} and {}); Cognito encrypts both with one \
                 key: give both the same kms_key_arn",
                keys[0], keys[1]
            ));
        }
        out
    }
}

/// Why an address cannot go in `EmailConfiguration`, if it cannot.
fn address_problem(address: &str) -> Option<&'static str> {
    let valid = address.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')
    });
    if !valid || address.chars().any(|c| c.is_whitespace() || c == '<' || c == '>') {
        Some("is not an email address; give one such as no-reply@example.com")
    } else if !address.is_ascii() {
        Some("is not ASCII; write an internationalized domain in its punycode form (xn--...)")
    } else {
        None
    }
}

/// `EmailConfiguration` for SES: Amazon SES sends from the verified address
/// in the backend's region (`DEVELOPER`), as Amplify configures it.
pub(crate) fn ses_configuration(ses: &SesEmail) -> EmailConfigurationProperty {
    let from = match &ses.from_name {
        Some(name) => format!("{} <{}>", display_name(name), ses.from_email),
        None => ses.from_email.clone(),
    };
    let source_arn = Value::concat([
        "arn:".into(),
        Aws::partition(),
        ":ses:".into(),
        Aws::region(),
        ":".into(),
        Aws::account_id(),
        format!(":identity/{}", ses.from_email).into(),
    ]);
    EmailConfigurationProperty {
        email_sending_account: Some(EmailSendingAccount::Developer.into()),
        from: Some(from.into()),
        reply_to_email_address: ses.reply_to.clone().map(Into::into),
        source_arn: Some(source_arn.into()),
        ..Default::default()
    }
}

/// The name in a `From` header (RFC 5322): as it is when it is a phrase of
/// plain words or already quoted, quoted when it holds other ASCII, and an
/// RFC 2047 encoded word when it is not ASCII.
fn display_name(name: &str) -> String {
    const SPECIALS_ALLOWED: &str = "!#$%&'*+-/=?^_`{|}~ ";
    let quoted = name.len() >= 2 && name.starts_with('"') && name.ends_with('"');
    if !name.is_ascii() {
        format!("=?UTF-8?B?{}?=", base64::engine::general_purpose::STANDARD.encode(name))
    } else if quoted || name.chars().all(|c| c.is_ascii_alphanumeric() || SPECIALS_ALLOWED.contains(c)) {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

/// Wires the custom senders: their `LambdaConfig` entries (with the key), the
/// key when none is given, the functions' right to use it, and Cognito's right
/// to invoke them. Returns the entries and the key made, if any.
pub(crate) fn wire_custom(
    backend: &Backend,
    scope: &Construct,
    prefix: &str,
    user_pool_arn: &Value,
    senders: &Senders,
) -> (IndexMap<String, Value>, Option<CfnKey>, Vec<String>) {
    let mut config = IndexMap::new();
    let mut problems = Vec::new();
    let custom = senders.custom();
    let found: Vec<_> = custom
        .iter()
        .filter_map(|(event, sender)| match backend.functions().get(sender.handler.name()) {
            Some(function) => Some((*event, *sender, function)),
            None => {
                problems.push(format!(
                    "the {event} sender is function '{}', which is not in define_backend; add it there",
                    sender.handler.name()
                ));
                None
            }
        })
        .collect();
    let Some((_, _, first)) = found.first() else {
        return (config, None, problems);
    };
    let given = custom.iter().find_map(|(_, c)| c.kms_key_arn.clone());
    let made = given.is_none().then(|| {
        // Beside the first sender, so that its stack, not auth's, owns it.
        CfnKey::new(
            first.stack(),
            &format!("{prefix}CustomSenderKey"),
            CfnKeyProps {
                enable_key_rotation: Some(true.into()),
                key_policy: Some(cfn!({
                    "Version": "2012-10-17",
                    "Statement": [{
                        "Effect": "Allow",
                        "Principal": {"AWS": (Value::concat(["arn:".into(), Aws::partition(), ":iam::".into(), Aws::account_id(), ":root".into()]))},
                        "Action": "kms:*",
                        "Resource": "*"
                    }]
                })),
                ..Default::default()
            },
        )
    });
    let key_arn: Value = match (&given, &made) {
        (Some(arn), _) => arn.as_str().into(),
        (None, Some(key)) => key.get_att("Arn"),
        (None, None) => unreachable!("a key is given or made"),
    };
    for (event, _, function) in &found {
        config.insert(
            (*event).to_string(),
            cfn!({"LambdaArn": (function.resources().lambda.get_att("Arn")), "LambdaVersion": "V1_0"}),
        );
        function.add_to_role_policy(PolicyStatement::allow(
            ["kms:Decrypt", "kms:Encrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*"],
            [key_arn.clone()],
        ));
        let source = iam::InvokeSource::Arn(user_pool_arn.clone());
        iam::allow_invoke(
            scope,
            &format!("{event}Permission"),
            function.resources().lambda.get_att("Arn"),
            iam::Service::CognitoIdp,
            source,
        );
    }
    config.insert("KMSKeyID".into(), key_arn);
    (config, made, problems)
}

#[cfg(test)]
mod tests {
    use super::display_name;

    #[test]
    fn from_names_are_quoted_or_encoded_as_rfc_5322_asks() {
        assert_eq!(display_name("My App"), "My App");
        assert_eq!(display_name("\"My App\""), "\"My App\"");
        assert_eq!(display_name("support@example.com"), "\"support@example.com\"");
        assert_eq!(display_name("Foo \"Bar\" \\Baz"), "\"Foo \\\"Bar\\\" \\\\Baz\"");
        assert_eq!(display_name("あいう"), "=?UTF-8?B?44GC44GE44GG?=");
    }
}
