//! Messages that Cognito would email or text: locally they go to an
//! [`EventSink`] (`ampx dev` prints them), since nothing is delivered.

use std::fmt;
use std::sync::Arc;

/// How a message would have travelled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeliveryMedium {
    Email,
    Sms,
}

impl DeliveryMedium {
    /// Cognito's name (`EMAIL`, `SMS`).
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryMedium::Email => "EMAIL",
            DeliveryMedium::Sms => "SMS",
        }
    }

    /// The medium that reaches `attribute` (`email` or `phone_number`).
    pub fn for_attribute(attribute: &str) -> DeliveryMedium {
        if attribute == "phone_number" {
            DeliveryMedium::Sms
        } else {
            DeliveryMedium::Email
        }
    }
}

/// What a message was for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MessagePurpose {
    /// The code that confirms a sign-up.
    SignUp,
    /// The code that lets a user set a new password.
    ForgotPassword,
    /// The code that verifies a (new) attribute value.
    VerifyAttribute(String),
    /// An administrator created the user; the "code" is the temporary password.
    Invitation,
}

/// One message that would have been sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageSent {
    pub pool_id: String,
    /// The user's username (a UUID in pools that sign in by email).
    pub username: String,
    /// The address or number the message would have gone to.
    pub destination: String,
    pub medium: DeliveryMedium,
    pub purpose: MessagePurpose,
    /// The code, or the temporary password of an invitation.
    pub code: String,
    /// The text a `CustomMessage` trigger wrote (code filled in), if any.
    pub message: Option<String>,
}

impl fmt::Display for MessageSent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match &self.purpose {
            MessagePurpose::SignUp => "sign-up confirmation code".to_string(),
            MessagePurpose::ForgotPassword => "password reset code".to_string(),
            MessagePurpose::VerifyAttribute(attr) => format!("{attr} verification code"),
            MessagePurpose::Invitation => "temporary password".to_string(),
        };
        let medium = match self.medium {
            DeliveryMedium::Email => "email",
            DeliveryMedium::Sms => "SMS",
        };
        write!(f, "[{}] {what} for {} (by {medium}): {}", self.pool_id, self.destination, self.code)?;
        match &self.message {
            Some(m) => write!(f, " (message: {m:?})"),
            None => Ok(()),
        }
    }
}

/// Receives every message the pools would have sent. Cheap to clone.
#[derive(Clone)]
pub struct EventSink(Arc<dyn Fn(&MessageSent) + Send + Sync>);

impl EventSink {
    /// A sink that calls `f` for each message (on the calling thread, so keep it quick).
    pub fn new(f: impl Fn(&MessageSent) + Send + Sync + 'static) -> EventSink {
        EventSink(Arc::new(f))
    }

    /// A sink that drops every message.
    pub fn discard() -> EventSink {
        EventSink::new(|_| {})
    }

    /// A sink that forwards messages to the returned receiver.
    pub fn channel() -> (EventSink, std::sync::mpsc::Receiver<MessageSent>) {
        let (tx, rx) = std::sync::mpsc::channel();
        let tx = std::sync::Mutex::new(tx);
        let sink = EventSink::new(move |m| {
            // A dropped receiver only means nobody listens any more.
            if let Ok(tx) = tx.lock() {
                let _ = tx.send(m.clone());
            }
        });
        (sink, rx)
    }

    pub(crate) fn send(&self, message: MessageSent) {
        (self.0)(&message);
    }
}

impl fmt::Debug for EventSink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EventSink")
    }
}

/// Cognito's masked destination: `a***@e***` for emails, `+*******0100` for numbers.
pub(crate) fn mask(destination: &str, medium: DeliveryMedium) -> String {
    match medium {
        DeliveryMedium::Email => match destination.split_once('@') {
            Some((local, domain)) => {
                format!("{}***@{}***", local.chars().next().unwrap_or('*'), domain.chars().next().unwrap_or('*'))
            }
            None => "***".to_string(),
        },
        DeliveryMedium::Sms => {
            let chars: Vec<char> = destination.chars().collect();
            let keep = chars.len().saturating_sub(4);
            chars.iter().enumerate().map(|(i, c)| if i == 0 || i >= keep { *c } else { '*' }).collect()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn destinations_are_masked_like_cognito() {
        assert_eq!(mask("alice@example.com", DeliveryMedium::Email), "a***@e***");
        assert_eq!(mask("+15555550100", DeliveryMedium::Sms), "+*******0100");
    }

    #[test]
    fn the_printed_line_names_the_destination_and_code() {
        let m = MessageSent {
            pool_id: "us-east-1_x".into(),
            username: "u".into(),
            destination: "a@b.c".into(),
            medium: DeliveryMedium::Email,
            purpose: MessagePurpose::SignUp,
            code: "123456".into(),
            message: None,
        };
        assert_eq!(m.to_string(), "[us-east-1_x] sign-up confirmation code for a@b.c (by email): 123456");
    }
}
