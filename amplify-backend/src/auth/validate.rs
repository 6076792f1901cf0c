//! Checks on the auth props that CloudFormation would only reject at deploy time.

use super::props::{AuthProps, MfaMode, STANDARD_ATTRIBUTES};

/// Every problem, each with how to fix it.
pub(crate) fn validate(p: &AuthProps) -> Vec<String> {
    let mut out = Vec::new();
    let lw = &p.login_with;
    if lw.email.is_none() && lw.phone.is_none() && !lw.username && lw.external_providers.is_none() {
        out.push("auth has no login method; set login_with.email, phone, username or external_providers".into());
    }
    for (name, _) in &p.user_attributes {
        let custom = name.strip_prefix("custom:");
        match custom {
            Some(n) if n.is_empty() || n.len() > 20 => {
                out.push(format!("custom attribute '{name}' must have 1 to 20 characters after 'custom:'"))
            }
            None if !STANDARD_ATTRIBUTES.contains(&name.as_str()) => out.push(format!(
                "'{name}' is not a standard attribute; use one of {} or a 'custom:' name",
                STANDARD_ATTRIBUTES.join(", ")
            )),
            _ => {}
        }
    }
    if let Some(m) = &p.multifactor {
        if m.mode != MfaMode::Off && !m.sms && !m.totp && !m.email {
            out.push("multifactor is on but no factor is enabled; set sms, totp or email".into());
        }
        if m.email && m.mode != MfaMode::Off && lw.email.is_none() {
            out.push("email MFA needs email login".into());
        }
        if m.email && m.mode != MfaMode::Off && p.senders.ses().is_none() {
            out.push(
                "multifactor.email needs Amazon SES to send the codes (Cognito refuses email MFA with its own \
                 email); set senders.email to EmailSender::Ses(SesEmail { from_email, .. }) with an address \
                 verified in SES, or turn email MFA off"
                    .into(),
            );
        }
        if let Some(f) = m.sms_message.filter(|_| m.sms && m.mode != MfaMode::Off) {
            out.extend(message_problem(
                "multifactor.sms_message",
                &f(super::user_pool::CODE),
                &[super::user_pool::CODE],
                140,
            ));
        }
    }
    if let Some(i) = lw.email.as_ref().and_then(|e| e.user_invitation.as_ref()) {
        use super::user_pool::{CODE, USERNAME};
        if let Some(f) = i.email_body {
            out.extend(message_problem("user_invitation.email_body", &f(USERNAME, CODE), &[USERNAME, CODE], 20_000));
        }
        if let Some(f) = i.sms_message {
            out.extend(message_problem("user_invitation.sms_message", &f(USERNAME, CODE), &[USERNAME, CODE], 140));
        }
        if let Some(subject) = &i.email_subject {
            let n = subject.chars().count();
            if n == 0 || n > 140 {
                out.push(format!("user_invitation.email_subject has {n} characters, and Cognito takes 1 to 140"));
            }
        }
    }
    if let Some(name) = &p.name {
        if name.is_empty() || name.len() > 100 || !name.chars().all(|c| c.is_ascii_alphanumeric()) {
            out.push(format!(
                "auth name '{name}' must be 1 to 100 letters and digits (it starts the construct ids and names the \
                 user pool)"
            ));
        }
    }
    out.extend(p.senders.problems());
    out.extend(super::passwordless::problems(p));
    if let Some(email) = &lw.email {
        // Cognito's rules for the verification message (its schema's pattern and
        // lengths), in the terms of the props that make it.
        if let Some(body) = email.verification_email_body {
            let text = body(super::user_pool::CODE);
            if !text.contains(super::user_pool::CODE) {
                out.push(format!(
                    "the verification email made by verification_email_body does not contain the code; make verification_email_body include the code it is given (Cognito puts it where {} is)",
                    super::user_pool::CODE
                ));
            } else if !(6..=20_000).contains(&text.chars().count()) {
                out.push("the verification email made by verification_email_body must have 6 to 20,000 characters; shorten or lengthen verification_email_body".into());
            }
        }
        if let Some(subject) = &email.verification_email_subject {
            let n = subject.chars().count();
            if n == 0 || n > 140 {
                out.push(format!(
                    "verification_email_subject has {n} characters, and Cognito takes 1 to 140; shorten verification_email_subject"
                ));
            }
        }
    }
    if let Some(pw) = &p.password_policy {
        if !(6..=99).contains(&pw.min_length) {
            out.push(format!("password min_length {} is out of range; use 6 to 99", pw.min_length));
        }
    }
    let mut seen = std::collections::HashSet::new();
    for g in &p.groups {
        if g.is_empty() || g.len() > 128 || g.chars().any(char::is_whitespace) {
            out.push(format!("group name '{g}' is invalid; use 1 to 128 characters without spaces"));
        }
        if !seen.insert(g) {
            out.push(format!("group '{g}' is listed twice; list each group once"));
        }
    }
    if let Some(x) = &lw.external_providers {
        if x.callback_urls.is_empty() {
            out.push("external providers need at least one callback URL; set external_providers.callback_urls".into());
        }
        if let Some(d) = &x.domain_prefix {
            if d.is_empty()
                || d.len() > 63
                || !d.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            {
                out.push(format!("domain prefix '{d}' must be 1 to 63 lower-case letters, digits or hyphens"));
            }
        }
        out.extend(x.problems());
        // The same rule as function secrets and `ampx sandbox secret set`.
        for name in x.secret_names() {
            if let Some(problem) = crate::function::secret(&name).problem() {
                out.push(format!("external providers: {problem}"));
            }
        }
    }
    out
}

/// Why a message made by a prop function is not one Cognito takes: each
/// placeholder must be in it and it must fit.
fn message_problem(prop: &str, text: &str, placeholders: &[&str], max: usize) -> Option<String> {
    if let Some(missing) = placeholders.iter().find(|p| !text.contains(*p)) {
        return Some(format!(
            "the message made by {prop} does not contain {missing}; make {prop} include each value it is given \
             (Cognito puts them where {} stand)",
            placeholders.join(" and ")
        ));
    }
    let n = text.chars().count();
    (n > max).then(|| format!("the message made by {prop} has {n} characters, and Cognito takes at most {max}"))
}
