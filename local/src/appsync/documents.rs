//! Parsed GraphQL documents by query text. A client sends the same few
//! documents over and over (its generated operations with new variables), so
//! each is parsed once, as GraphQL servers commonly do.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use async_graphql::parser::types::ExecutableDocument;

/// Documents kept; past this the cache starts afresh (a client has far fewer).
const CAPACITY: usize = 512;

/// The documents parsed so far, shared by every request of one API.
#[derive(Default)]
pub(crate) struct Documents {
    parsed: Mutex<HashMap<Arc<str>, ExecutableDocument>>,
}

impl Documents {
    /// The document of `query`, parsed on first sight; `None` when it does not
    /// parse (async-graphql then parses it again and reports the error).
    pub fn get(&self, query: &str) -> Option<ExecutableDocument> {
        if let Some(doc) = self.lock().get(query) {
            return Some(doc.clone());
        }
        let doc = async_graphql::parser::parse_query(query).ok()?;
        let mut parsed = self.lock();
        if parsed.len() >= CAPACITY {
            parsed.clear();
        }
        parsed.insert(Arc::from(query), doc.clone());
        Some(doc)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Arc<str>, ExecutableDocument>> {
        self.parsed.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_is_parsed_once_and_a_bad_one_is_not_kept() {
        let docs = Documents::default();
        let q = "query($id: ID!) { getChat(id: $id) { id name } }";
        let first = docs.get(q).unwrap();
        assert_eq!(docs.lock().len(), 1);
        let again = docs.get(q).unwrap();
        assert_eq!(format!("{first:?}"), format!("{again:?}"));
        assert!(docs.get("query { unclosed").is_none());
        assert_eq!(docs.lock().len(), 1);
    }

    #[test]
    fn the_cache_stays_bounded() {
        let docs = Documents::default();
        for i in 0..CAPACITY + 3 {
            docs.get(&format!("{{ f{i} }}")).unwrap();
        }
        assert!(docs.lock().len() <= CAPACITY);
    }
}
