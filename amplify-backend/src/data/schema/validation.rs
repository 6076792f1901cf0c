//! Field validation (`.validate(|v| ...)`), Amplify's `a.string().validate(v => ...)`:
//! rules the create and update mutations check on the caller's input before writing.
//!
//! ```
//! use amplify_backend::data::a;
//!
//! let name = a::string().validate(|v| v.min_length(3).max_length(10).message("3 to 10 letters"));
//! let stars = a::integer().validate(|v| v.positive().lte(5.0));
//! # let _ = (name, stars);
//! ```
//!
//! Numeric rules apply to `a::integer()` and `a::float()` fields, string rules to
//! `a::string()` fields, as in Amplify; validation reports any other use.

/// What a rule checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ValidationKind {
    /// Greater than the value.
    Gt,
    /// Less than the value.
    Lt,
    /// Greater than or equal to the value.
    Gte,
    /// Less than or equal to the value.
    Lte,
    /// At least this many characters.
    MinLength,
    /// At most this many characters.
    MaxLength,
    /// Starts with the value.
    StartsWith,
    /// Ends with the value.
    EndsWith,
    /// The whole value matches the regular expression (Java's `String.matches`).
    Matches,
}

impl ValidationKind {
    /// Amplify's name for it (the `type` of the `@validate` directive).
    pub fn as_str(self) -> &'static str {
        match self {
            ValidationKind::Gt => "gt",
            ValidationKind::Lt => "lt",
            ValidationKind::Gte => "gte",
            ValidationKind::Lte => "lte",
            ValidationKind::MinLength => "minLength",
            ValidationKind::MaxLength => "maxLength",
            ValidationKind::StartsWith => "startsWith",
            ValidationKind::EndsWith => "endsWith",
            ValidationKind::Matches => "matches",
        }
    }

    /// Whether it compares numbers (else it reads strings).
    pub fn is_numeric(self) -> bool {
        matches!(self, ValidationKind::Gt | ValidationKind::Lt | ValidationKind::Gte | ValidationKind::Lte)
    }

    /// The phrase of Amplify's default message (`must be greater than`).
    fn phrase(self) -> &'static str {
        match self {
            ValidationKind::Gt => "must be greater than",
            ValidationKind::Lt => "must be less than",
            ValidationKind::Gte => "must be greater than or equal to",
            ValidationKind::Lte => "must be less than or equal to",
            ValidationKind::MinLength => "must have a minimum length of",
            ValidationKind::MaxLength => "must have a maximum length of",
            ValidationKind::StartsWith => "must start with",
            ValidationKind::EndsWith => "must end with",
            ValidationKind::Matches => "must match",
        }
    }
}

/// One rule: what it checks, against which value (as Amplify writes it in the
/// directive), and the message given for a failure, if any.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidationRule {
    /// What it checks.
    pub kind: ValidationKind,
    /// The value, as text (`3`, `0.5`, `^[a-z]+$`).
    pub value: String,
    /// The message a failure answers; Amplify's default when `None`.
    pub message: Option<String>,
    /// A numeric value that is not a finite number (reported by validation).
    pub(crate) not_finite: bool,
}

impl ValidationRule {
    /// The message a failure answers: the one given, or Amplify's default
    /// (`Field title of type Post must have a minimum length of 3`).
    pub fn message_for(&self, type_name: &str, field: &str) -> String {
        match &self.message {
            Some(m) => m.clone(),
            None => format!("Field {field} of type {type_name} {} {}", self.kind.phrase(), self.value),
        }
    }
}

/// The argument of `.validate(|v| ...)`: each method adds a rule; `.message(...)`
/// sets the failure message of the rule before it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Validations {
    pub(crate) rules: Vec<ValidationRule>,
}

/// A number as JavaScript prints it for the common cases (`3`, not `3.0`), as
/// Amplify writes the directive's value.
fn number_text(n: f64) -> String {
    format!("{n}")
}

impl Validations {
    fn push(mut self, kind: ValidationKind, value: String, not_finite: bool) -> Self {
        self.rules.push(ValidationRule { kind, value, message: None, not_finite });
        self
    }

    fn number(self, kind: ValidationKind, n: f64) -> Self {
        self.push(kind, number_text(n), !n.is_finite())
    }

    /// Greater than `n`.
    pub fn gt(self, n: f64) -> Self {
        self.number(ValidationKind::Gt, n)
    }

    /// Less than `n`.
    pub fn lt(self, n: f64) -> Self {
        self.number(ValidationKind::Lt, n)
    }

    /// Greater than or equal to `n`.
    pub fn gte(self, n: f64) -> Self {
        self.number(ValidationKind::Gte, n)
    }

    /// Less than or equal to `n`.
    pub fn lte(self, n: f64) -> Self {
        self.number(ValidationKind::Lte, n)
    }

    /// Greater than 0 (Amplify writes it as `gt` 0).
    pub fn positive(self) -> Self {
        self.gt(0.0)
    }

    /// Less than 0 (Amplify writes it as `lt` 0).
    pub fn negative(self) -> Self {
        self.lt(0.0)
    }

    /// At least `n` characters (UTF-16 code units, as Java and JavaScript count).
    pub fn min_length(self, n: u32) -> Self {
        self.push(ValidationKind::MinLength, n.to_string(), false)
    }

    /// At most `n` characters.
    pub fn max_length(self, n: u32) -> Self {
        self.push(ValidationKind::MaxLength, n.to_string(), false)
    }

    /// Starts with `prefix`.
    pub fn starts_with(self, prefix: impl Into<String>) -> Self {
        self.push(ValidationKind::StartsWith, prefix.into(), false)
    }

    /// Ends with `suffix`.
    pub fn ends_with(self, suffix: impl Into<String>) -> Self {
        self.push(ValidationKind::EndsWith, suffix.into(), false)
    }

    /// The whole value matches the regular expression `pattern`.
    pub fn matches(self, pattern: impl Into<String>) -> Self {
        self.push(ValidationKind::Matches, pattern.into(), false)
    }

    /// The message a failure of the rule just added answers (Amplify's second
    /// argument, `v.minLength(3, 'Too short')`).
    pub fn message(mut self, message: impl Into<String>) -> Self {
        if let Some(last) = self.rules.last_mut() {
            last.message = Some(message.into());
        }
        self
    }

    /// The rules, in order.
    pub fn rules(&self) -> &[ValidationRule] {
        &self.rules
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_as_amplify_writes_them() {
        let v = Validations::default().gt(3.0).lt(0.5).positive().negative();
        let values: Vec<&str> = v.rules.iter().map(|r| r.value.as_str()).collect();
        assert_eq!(values, ["3", "0.5", "0", "0"]);
        assert_eq!(v.rules[2].kind, ValidationKind::Gt);
        assert_eq!(v.rules[3].kind, ValidationKind::Lt);
    }

    #[test]
    fn messages_default_to_amplifys_and_attach_to_the_rule_before() {
        let v = Validations::default().min_length(3).max_length(10).message("too long");
        assert_eq!(v.rules[0].message_for("Post", "title"), "Field title of type Post must have a minimum length of 3");
        assert_eq!(v.rules[1].message_for("Post", "title"), "too long");
    }
}
