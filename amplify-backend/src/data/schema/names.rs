//! `IntoNames`: one name or a list of names, so `a::has_many("Message", "chatId")` and
//! `a::has_many("Message", ["tenantId", "chatId"])` both read naturally.

/// A single name or a list of names (field names, group names, ...).
pub trait IntoNames {
    /// The names, in order.
    fn into_names(self) -> Vec<String>;
}

impl IntoNames for &str {
    fn into_names(self) -> Vec<String> {
        vec![self.to_string()]
    }
}

impl IntoNames for String {
    fn into_names(self) -> Vec<String> {
        vec![self]
    }
}

impl IntoNames for &String {
    fn into_names(self) -> Vec<String> {
        vec![self.clone()]
    }
}

impl<const N: usize> IntoNames for [&str; N] {
    fn into_names(self) -> Vec<String> {
        self.iter().map(|s| s.to_string()).collect()
    }
}

impl IntoNames for &[&str] {
    fn into_names(self) -> Vec<String> {
        self.iter().map(|s| s.to_string()).collect()
    }
}

impl IntoNames for Vec<&str> {
    fn into_names(self) -> Vec<String> {
        self.into_iter().map(str::to_string).collect()
    }
}

impl IntoNames for Vec<String> {
    fn into_names(self) -> Vec<String> {
        self
    }
}
