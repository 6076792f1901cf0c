//! Where mutations meet subscriptions. Each subscription field is a topic; a
//! mutation's result goes to the topics whose `@aws_subscribe(mutations:)`
//! lists it. A topic's subscribers are grouped by `ShapeKey`, everything
//! that can change what their selection set makes of a payload: one task per
//! group shapes each publish once, then hands the same text to every member
//! whose own filters admit it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use futures_util::future::BoxFuture;
use serde_json::Value;
use tokio::sync::mpsc;

use super::filter::Subscriber;
use super::shape::ShapeKey;

/// What a subscription field tells its starter once it passed authorization
/// and its resolver: the field (the topic) and the subscriber's filters.
#[derive(Debug)]
pub(crate) struct Started {
    /// The subscription field.
    pub field: String,
    /// The argument and enhanced filters.
    pub filter: Subscriber,
}

/// Shapes a payload with a group's selection set: the serialized
/// `{data, errors}` body, or `None` when there is nothing to send.
pub(crate) type Evaluate = Arc<dyn Fn(Arc<Value>) -> BoxFuture<'static, Option<String>> + Send + Sync>;

/// Sends a shaped body to one subscriber.
pub(crate) type Deliver = Arc<dyn Fn(&str) + Send + Sync>;

/// The publish/subscribe hub of one API.
pub struct Hub {
    topics: HashMap<String, Arc<Topic>>,
    by_mutation: HashMap<String, Vec<String>>,
}

#[derive(Default)]
struct Topic {
    state: Mutex<TopicState>,
}

#[derive(Default)]
struct TopicState {
    /// The number of the last publish; a member receives only later ones.
    seq: u64,
    groups: HashMap<ShapeKey, Arc<Group>>,
}

struct Event {
    seq: u64,
    payload: Arc<Value>,
}

struct Group {
    key: ShapeKey,
    events: mpsc::UnboundedSender<Event>,
    members: Arc<Mutex<Members>>,
}

#[derive(Default)]
struct Members {
    next_id: u64,
    by_id: HashMap<u64, Member>,
}

struct Member {
    joined: u64,
    filter: Subscriber,
    deliver: Deliver,
}

/// A subscriber's place in its group; dropping it leaves (and ends the group
/// with its last member).
pub(crate) struct Membership {
    topic: Arc<Topic>,
    group: Arc<Group>,
    id: u64,
}

/// A poisoned lock only means another task panicked mid-update of plain
/// maps; what they hold is still consistent enough to go on.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Hub {
    /// A hub for the subscription fields `fields`, with the map of mutation
    /// field to the subscription fields it publishes to.
    pub fn new(fields: impl IntoIterator<Item = String>, by_mutation: HashMap<String, Vec<String>>) -> Hub {
        let mut topics = HashMap::new();
        for f in fields.into_iter().chain(by_mutation.values().flatten().cloned()) {
            topics.entry(f).or_insert_with(Arc::default);
        }
        Hub { topics, by_mutation }
    }

    /// Whether `field` is a subscription field.
    pub fn has_topic(&self, field: &str) -> bool {
        self.topics.contains_key(field)
    }

    /// Adds a subscriber of `field` to the group of `key` (starting the group,
    /// with `evaluate` as its shaper, if it is the first). It receives what is
    /// published from now on and passes `filter`. `joined` runs once it is a
    /// member and before it can receive anything (to acknowledge the start).
    /// `None` when `field` is not a subscription field.
    pub(crate) fn join(
        &self,
        field: &str,
        key: ShapeKey,
        filter: Subscriber,
        deliver: Deliver,
        evaluate: impl FnOnce() -> Evaluate,
        joined: impl FnOnce(),
    ) -> Option<Membership> {
        let topic = self.topics.get(field)?.clone();
        let mut state = lock(&topic.state);
        let seq = state.seq;
        let group = state.groups.entry(key).or_insert_with_key(|key| Group::start(key.clone(), evaluate())).clone();
        let id = {
            let mut members = lock(&group.members);
            let id = members.next_id;
            members.next_id += 1;
            members.by_id.insert(id, Member { joined: seq, filter, deliver });
            id
        };
        joined();
        drop(state);
        Some(Membership { topic, group, id })
    }

    /// Publishes mutation field `mutation`'s result; answers how many
    /// subscribers it reached (before their filters).
    pub fn publish(&self, mutation: &str, payload: Value) -> usize {
        let Some(fields) = self.by_mutation.get(mutation) else { return 0 };
        let payload = Arc::new(payload);
        let mut reached = 0;
        for topic in fields.iter().filter_map(|f| self.topics.get(f)) {
            let mut state = lock(&topic.state);
            state.seq += 1;
            let seq = state.seq;
            for group in state.groups.values() {
                reached += lock(&group.members).by_id.len();
                let _ = group.events.send(Event { seq, payload: payload.clone() });
            }
        }
        reached
    }

    /// How many groups `field` has (one per distinct shape).
    #[cfg(test)]
    fn groups(&self, field: &str) -> usize {
        self.topics.get(field).map_or(0, |t| lock(&t.state).groups.len())
    }
}

impl Group {
    fn start(key: ShapeKey, evaluate: Evaluate) -> Arc<Group> {
        let (events, rx) = mpsc::unbounded_channel();
        let members = Arc::new(Mutex::new(Members::default()));
        tokio::spawn(fan_out(rx, members.clone(), evaluate));
        Arc::new(Group { key, events, members })
    }
}

/// A group's task: for each publish, in order, the members it reaches; one
/// evaluation; the same text to each. Ends when the group is dropped.
async fn fan_out(mut events: mpsc::UnboundedReceiver<Event>, members: Arc<Mutex<Members>>, evaluate: Evaluate) {
    let mut targets = Vec::new();
    while let Some(event) = events.recv().await {
        targets.extend(
            lock(&members)
                .by_id
                .values()
                .filter(|m| event.seq > m.joined && m.filter.matches(&event.payload))
                .map(|m| m.deliver.clone()),
        );
        if targets.is_empty() {
            continue;
        }
        if let Some(body) = evaluate(event.payload).await {
            for deliver in &targets {
                deliver(&body);
            }
        }
        targets.clear();
    }
}

impl Drop for Membership {
    fn drop(&mut self) {
        let mut state = lock(&self.topic.state);
        let empty = {
            let mut members = lock(&self.group.members);
            members.by_id.remove(&self.id);
            members.by_id.is_empty()
        };
        // The last member ends the group: its task stops once the sender goes.
        if empty && state.groups.get(&self.group.key).is_some_and(|g| Arc::ptr_eq(g, &self.group)) {
            state.groups.remove(&self.group.key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::appsync::auth::{AuthMode, RequestAuth};
    use serde_json::json;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    fn hub() -> Hub {
        Hub::new(["onNote".to_string()], HashMap::from([("addNote".to_string(), vec!["onNote".to_string()])]))
    }

    fn key(query: &str, groups: &[&str]) -> ShapeKey {
        let auth = RequestAuth {
            mode: AuthMode::UserPools,
            identity: None,
            groups: groups.iter().map(|g| g.to_string()).collect(),
            policy: None,
        };
        ShapeKey::new(query, None, &json!({}), &auth)
    }

    /// An evaluator that tags the payload with `label` and counts its calls.
    fn evaluator(label: &'static str, calls: Arc<AtomicUsize>) -> impl FnOnce() -> Evaluate {
        move || {
            Arc::new(move |payload: Arc<Value>| {
                calls.fetch_add(1, Ordering::SeqCst);
                Box::pin(async move { Some(format!("{label}:{}", payload["id"])) })
            })
        }
    }

    type Inbox = Arc<Mutex<Vec<String>>>;

    fn inbox() -> (Inbox, Deliver) {
        let got: Inbox = Arc::default();
        let sink = got.clone();
        (got, Arc::new(move |body: &str| sink.lock().unwrap().push(body.to_string())))
    }

    fn owner_filter(owner: &str) -> Subscriber {
        let f = json!({"filterGroup": [{"filters": [{"fieldName": "owner", "operator": "eq", "value": owner}]}]});
        Subscriber::new(&json!({}), &[], Some(&f)).unwrap()
    }

    async fn settle() {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    #[tokio::test]
    async fn one_evaluation_per_shape_and_filters_per_member() {
        let hub = hub();
        let (a_calls, b_calls) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let (ann, to_ann) = inbox();
        let (bob, to_bob) = inbox();
        let (admin, to_admin) = inbox();
        let acks = Arc::new(AtomicUsize::new(0));
        let ack = || {
            let acks = acks.clone();
            move || {
                acks.fetch_add(1, Ordering::SeqCst);
            }
        };
        // ann and bob share a shape (same document, no groups) but not a filter.
        let _a = hub
            .join("onNote", key("q", &[]), owner_filter("ann"), to_ann, evaluator("plain", a_calls.clone()), ack())
            .unwrap();
        let _b = hub
            .join("onNote", key("q", &[]), owner_filter("bob"), to_bob, evaluator("unused", b_calls.clone()), ack())
            .unwrap();
        // An admin's field-level rules may differ: a group of its own.
        let _c = hub
            .join(
                "onNote",
                key("q", &["Admins"]),
                Subscriber::default(),
                to_admin,
                evaluator("admin", b_calls.clone()),
                ack(),
            )
            .unwrap();
        assert_eq!(acks.load(Ordering::SeqCst), 3);
        assert_eq!(hub.groups("onNote"), 2);
        assert!(hub
            .join("nope", key("q", &[]), Subscriber::default(), inbox().1, evaluator("x", a_calls.clone()), ack())
            .is_none());

        assert_eq!(hub.publish("addNote", json!({"id": 1, "owner": "ann"})), 3);
        assert_eq!(hub.publish("other", json!({"id": 2, "owner": "ann"})), 0);
        hub.publish("addNote", json!({"id": 3, "owner": "bob"}));
        settle().await;
        assert_eq!(*ann.lock().unwrap(), ["plain:1"]);
        assert_eq!(*bob.lock().unwrap(), ["plain:3"]);
        assert_eq!(*admin.lock().unwrap(), ["admin:1", "admin:3"]);
        // One evaluation per publish for the shared group, none from the
        // second member's evaluator (the group already had one).
        assert_eq!(a_calls.load(Ordering::SeqCst), 2);
        assert_eq!(b_calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn members_get_only_later_publishes_and_the_last_one_out_ends_the_group() {
        let hub = hub();
        let calls = Arc::new(AtomicUsize::new(0));
        let (first, to_first) = inbox();
        let a =
            hub.join("onNote", key("q", &[]), Subscriber::default(), to_first, evaluator("g", calls.clone()), || {});
        let a = a.unwrap();
        hub.publish("addNote", json!({"id": 1}));
        // Joins before the group's task has run the first publish: still not its.
        let (second, to_second) = inbox();
        let b =
            hub.join("onNote", key("q", &[]), Subscriber::default(), to_second, evaluator("g", calls.clone()), || {});
        let b = b.unwrap();
        hub.publish("addNote", json!({"id": 2}));
        settle().await;
        assert_eq!(*first.lock().unwrap(), ["g:1", "g:2"]);
        assert_eq!(*second.lock().unwrap(), ["g:2"]);
        drop(a);
        assert_eq!(hub.groups("onNote"), 1);
        drop(b);
        assert_eq!(hub.groups("onNote"), 0);
        assert_eq!(hub.publish("addNote", json!({"id": 3})), 0);
        settle().await;
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }
}
