//! Names Amplify derives from model and field names: plurals, operation names, input
//! and connection type names, index names. The JS client finds operations by these
//! names, so they follow Amplify's conventions exactly.

/// `chatId` -> `ChatId`.
pub fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `Messages` -> `messages`.
pub fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Nouns whose plural is the same word.
const UNCOUNTABLE: &[&str] = &[
    "equipment",
    "information",
    "rice",
    "money",
    "species",
    "series",
    "fish",
    "sheep",
    "deer",
    "moose",
    "news",
    "metadata",
];

/// Irregular plurals, matched at the end of the name (`SalesPerson` -> `SalesPeople`).
const IRREGULAR: &[(&str, &str)] = &[
    ("person", "people"),
    ("woman", "women"),
    ("man", "men"),
    ("child", "children"),
    ("tooth", "teeth"),
    ("foot", "feet"),
    ("mouse", "mice"),
    ("goose", "geese"),
];

/// English plural of a PascalCase name, by the rules of the `pluralize` package that
/// Amplify uses for common nouns: `Chat` -> `Chats`, `Category` -> `Categories`,
/// `Status` -> `Statuses`, `Person` -> `People`.
pub fn pluralize(name: &str) -> String {
    let lower = name.to_lowercase();
    if UNCOUNTABLE.iter().any(|w| lower.ends_with(w)) {
        return name.to_string();
    }
    for (singular, plural) in IRREGULAR {
        if lower.ends_with(singular) {
            let stem = &name[..name.len() - singular.len()];
            let first_upper = name[stem.len()..].starts_with(|c: char| c.is_uppercase());
            let plural = if first_upper { capitalize(plural) } else { plural.to_string() };
            return format!("{stem}{plural}");
        }
    }
    let is_vowel = |c: char| "aeiou".contains(c);
    let before = |n: usize| lower.chars().rev().nth(n);
    let stem_of = |n: usize| &name[..name.len() - n];
    if lower.ends_with("quiz") {
        return format!("{name}zes");
    }
    for ending in ["matrix", "vertex", "index", "appendix"] {
        if lower.ends_with(ending) {
            return format!("{}ices", stem_of(2));
        }
    }
    if lower.ends_with("sis") {
        return format!("{}ses", stem_of(3));
    }
    if ["x", "ch", "ss", "sh", "zz"].iter().any(|e| lower.ends_with(e)) {
        return format!("{name}es");
    }
    if lower.ends_with("us") || lower.ends_with("alias") || lower.ends_with("gas") {
        return format!("{name}es");
    }
    if lower.ends_with('y') && (before(1).is_some_and(|c| !is_vowel(c)) || lower.ends_with("quy")) {
        return format!("{}ies", stem_of(1));
    }
    for ending in ["knife", "wife", "life"] {
        if lower.ends_with(ending) {
            return format!("{}ves", stem_of(2));
        }
    }
    for ending in ["arf", "lf", "eaf", "eof", "oaf", "hoof"] {
        if lower.ends_with(ending) {
            return format!("{}ves", stem_of(1));
        }
    }
    for ending in ["hero", "potato", "tomato", "echo"] {
        if lower.ends_with(ending) {
            return format!("{name}es");
        }
    }
    if lower.ends_with('s') {
        return name.to_string();
    }
    format!("{name}s")
}

/// The names generated for one model.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelNames {
    /// `Chats`.
    pub plural: String,
    /// `getChat`.
    pub get: String,
    /// `listChats`.
    pub list: String,
    /// `createChat`.
    pub create: String,
    /// `updateChat`.
    pub update: String,
    /// `deleteChat`.
    pub delete: String,
    /// `onCreateChat`.
    pub on_create: String,
    /// `onUpdateChat`.
    pub on_update: String,
    /// `onDeleteChat`.
    pub on_delete: String,
    /// `ModelChatConnection`.
    pub connection: String,
    /// `ModelChatFilterInput`.
    pub filter_input: String,
    /// `ModelChatConditionInput`.
    pub condition_input: String,
    /// `CreateChatInput`.
    pub create_input: String,
    /// `UpdateChatInput`.
    pub update_input: String,
    /// `DeleteChatInput`.
    pub delete_input: String,
    /// `ModelSubscriptionChatFilterInput`.
    pub subscription_filter_input: String,
    /// `ModelChatPrimaryCompositeKeyConditionInput` (composite sort keys only).
    pub primary_composite_key_condition: String,
    /// `ModelChatPrimaryCompositeKeyInput` (composite sort keys only).
    pub primary_composite_key_input: String,
}

impl ModelNames {
    /// The names for model `name`.
    pub fn new(name: &str) -> Self {
        let plural = pluralize(name);
        ModelNames {
            get: format!("get{name}"),
            list: format!("list{plural}"),
            create: format!("create{name}"),
            update: format!("update{name}"),
            delete: format!("delete{name}"),
            on_create: format!("onCreate{name}"),
            on_update: format!("onUpdate{name}"),
            on_delete: format!("onDelete{name}"),
            connection: format!("Model{name}Connection"),
            filter_input: format!("Model{name}FilterInput"),
            condition_input: format!("Model{name}ConditionInput"),
            create_input: format!("Create{name}Input"),
            update_input: format!("Update{name}Input"),
            delete_input: format!("Delete{name}Input"),
            subscription_filter_input: format!("ModelSubscription{name}FilterInput"),
            primary_composite_key_condition: format!("Model{name}PrimaryCompositeKeyConditionInput"),
            primary_composite_key_input: format!("Model{name}PrimaryCompositeKeyInput"),
            plural,
        }
    }
}

/// Amplify's default index name: `messagesByChatIdAndSentAt`.
pub fn default_index_name(model: &str, partition_key: &str, sort_keys: &[String]) -> String {
    format!("{}By{}", lower_first(&pluralize(model)), key_suffix(partition_key, sort_keys))
}

/// Amplify's default index query field: `listMessageByChatIdAndSentAt`.
pub fn default_index_query_field(model: &str, partition_key: &str, sort_keys: &[String]) -> String {
    format!("list{model}By{}", key_suffix(partition_key, sort_keys))
}

fn key_suffix(partition_key: &str, sort_keys: &[String]) -> String {
    let mut s = capitalize(partition_key);
    for sk in sort_keys {
        s.push_str("And");
        s.push_str(&capitalize(sk));
    }
    s
}

/// The index a `has_many`/`has_one` queries on the related model: `gsi-Chat.messages`.
pub fn relationship_index_name(parent: &str, field: &str) -> String {
    format!("gsi-{parent}.{field}")
}

/// The attribute that stores a composite sort key: `status#createdAt`.
pub fn composite_key_attribute(sort_keys: &[String]) -> String {
    sort_keys.join("#")
}

/// The argument name of a composite sort key: `statusCreatedAt`.
pub fn composite_key_argument(sort_keys: &[String]) -> String {
    let mut s = String::new();
    for (i, k) in sort_keys.iter().enumerate() {
        if i == 0 {
            s.push_str(k);
        } else {
            s.push_str(&capitalize(k));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plurals_follow_pluralize_for_common_nouns() {
        for (s, p) in [
            ("Chat", "Chats"),
            ("Message", "Messages"),
            ("Category", "Categories"),
            ("Day", "Days"),
            ("Status", "Statuses"),
            ("Box", "Boxes"),
            ("Match", "Matches"),
            ("Person", "People"),
            ("SalesPerson", "SalesPeople"),
            ("Analysis", "Analyses"),
            ("Leaf", "Leaves"),
            ("Wife", "Wives"),
            ("Hero", "Heroes"),
            ("Species", "Species"),
            ("News", "News"),
            ("Index", "Indices"),
            ("Quiz", "Quizzes"),
            ("Address", "Addresses"),
        ] {
            assert_eq!(pluralize(s), p, "{s}");
        }
    }

    #[test]
    fn index_names_follow_amplify() {
        assert_eq!(default_index_name("Response", "i18n", &["order".into()]), "responsesByI18nAndOrder");
        assert_eq!(
            default_index_query_field("Customer", "accountRepresentativeId", &[]),
            "listCustomerByAccountRepresentativeId"
        );
        assert_eq!(composite_key_argument(&["status".into(), "createdAt".into()]), "statusCreatedAt");
    }
}
