//! Where mutations meet subscriptions: one broadcast channel per subscription
//! field; a mutation's result goes to the channels of the subscription fields
//! whose `@aws_subscribe(mutations:)` lists it. Each subscriber filters what
//! it receives.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::Value;
use tokio::sync::broadcast;

/// How many publishes a slow subscriber may fall behind before it skips.
const BACKLOG: usize = 1024;

/// The publish/subscribe hub of one API.
pub struct Hub {
    topics: HashMap<String, broadcast::Sender<Arc<Value>>>,
    by_mutation: HashMap<String, Vec<String>>,
}

impl Hub {
    /// A hub for the subscription fields `fields`, with the map of mutation
    /// field to the subscription fields it publishes to.
    pub fn new(fields: impl IntoIterator<Item = String>, by_mutation: HashMap<String, Vec<String>>) -> Hub {
        let mut topics = HashMap::new();
        for f in fields.into_iter().chain(by_mutation.values().flatten().cloned()) {
            topics.entry(f).or_insert_with(|| broadcast::channel(BACKLOG).0);
        }
        Hub { topics, by_mutation }
    }

    /// A receiver of what is published to subscription field `field`.
    pub fn subscribe(&self, field: &str) -> Option<broadcast::Receiver<Arc<Value>>> {
        self.topics.get(field).map(broadcast::Sender::subscribe)
    }

    /// Publishes mutation field `mutation`'s result; answers how many
    /// subscribers it reached (before their filters).
    pub fn publish(&self, mutation: &str, payload: Value) -> usize {
        let Some(fields) = self.by_mutation.get(mutation) else { return 0 };
        let payload = Arc::new(payload);
        fields.iter().filter_map(|f| self.topics.get(f)).map(|tx| tx.send(payload.clone()).unwrap_or(0)).sum()
    }
}
